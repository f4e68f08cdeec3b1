"""The demo people (`manage.py load_demo`, every loader that creates workers) are plausible:
the birth date and sex are those of the ID number; work starts and the union is joined on or
after the 16th birthday, not in the future, and joining comes after starting work; every
skill level was obtained at an age and after the years of work the ladder of
`people.plausibility` asks (no senior technician at 16), and the current level is the latest."""

from __future__ import annotations

import datetime as dt

import pytest

from deltaunion.core.idnumber import parse_id_number
from deltaunion.people import plausibility
from deltaunion.people.models import SkillLevelRecord, Worker

pytestmark = pytest.mark.usefixtures("demo_data", "db")


def _problems(worker: Worker, today: dt.date) -> list[str]:
    out = []
    info = parse_id_number(worker.id_number)
    if (worker.birth_date, worker.sex) != (info.birth_date, info.sex):
        out.append(f"birth date or sex not from the ID number: {worker.birth_date} {worker.sex}")
    out += plausibility.date_problems(
        birth_date=worker.birth_date,
        started_work_on=worker.started_work_on,
        member_since=worker.member_since,
        today=today,
    )
    records = sorted(worker.skill_levels.all(), key=lambda r: (r.obtained_on, r.pk))
    for r in records:
        if r.obtained_on > today:
            out.append(f"level {r.level} obtained in the future")
        check = plausibility.level_check(
            r.level,
            birth_date=worker.birth_date,
            obtained_on=r.obtained_on,
            started_work_on=worker.started_work_on,
            member_since=worker.member_since,
            through_contest=r.source == SkillLevelRecord.Source.CONTEST,
        )
        if not check.ok:
            out.append(f"level {r.level} on {r.obtained_on}: {check}")
    if records and worker.skill_level != records[-1].level:
        out.append(f"current level {worker.skill_level}, latest record {records[-1].level}")
    if worker.skill_level and not records:
        check = plausibility.level_check(
            worker.skill_level,
            birth_date=worker.birth_date,
            obtained_on=today,
            started_work_on=worker.started_work_on,
            member_since=worker.member_since,
        )
        if not check.ok:
            out.append(f"level {worker.skill_level} today: {check}")
    return out


def test_every_demo_worker_is_plausible():
    today = dt.date.today()
    workers = list(Worker.objects.filter(is_demo=True).prefetch_related("skill_levels").order_by("pk"))
    assert len(workers) >= 200
    found = {(w.pk, w.name): p for w in workers if (p := _problems(w, today))}
    assert found == {}


def test_the_rules_are_exercised_by_the_demo():
    """The people demo has every level, its workers' dates are filled in, and its most senior
    technicians are no younger than the ladder allows."""
    people = Worker.objects.filter(is_demo=True, started_work_on__isnull=False)
    assert people.count() >= 200
    assert set(people.exclude(skill_level=None).values_list("skill_level", flat=True)) == {1, 2, 3, 4, 5}
    assert people.filter(is_member=True, member_since__isnull=False).count() >= 150
    assert not people.filter(is_member=False, member_since__isnull=False).exists()
    youngest_senior = max(people.filter(skill_level=1).values_list("birth_date", flat=True))
    assert plausibility.full_years(youngest_senior, dt.date.today()) >= 33

"""Worker services other than import: skill levels, creation and updates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from deltaunion.core.audit import history_for
from deltaunion.core.idnumber import make_id_number
from deltaunion.people.models import Worker
from deltaunion.people.services import skill_level_record_add, worker_create, worker_update


def test_skill_level_follows_the_latest_record(world):
    w = world.hz_b  # level 4 from the fixture, with no history yet
    skill_level_record_add(worker=w, level=4, obtained_on=dt.date(2019, 5, 1), by=world.hz_officer)
    skill_level_record_add(worker=w, level=2, obtained_on=dt.date(2022, 5, 1), by=world.hz_officer)
    w.refresh_from_db()
    assert w.skill_level == 2

    # An older certificate entered later does not move the current level back.
    skill_level_record_add(worker=w, level=5, obtained_on=dt.date(2010, 5, 1), by=world.hz_officer)
    w.refresh_from_db()
    assert w.skill_level == 2
    assert [r.level for r in w.skill_levels.all()] == [2, 4, 5]

    entries = list(history_for(w).filter(action="worker.skill_level"))
    assert len(entries) == 3
    assert entries[-1].before == {"skill_level": 4} and entries[-1].after["skill_level"] == 4
    assert entries[1].before == {"skill_level": 4} and entries[1].after["skill_level"] == 2
    assert all(e.actor == world.hz_officer for e in entries)


def test_skill_level_record_is_scoped_and_validated(world):
    w = world.hz_a
    with pytest.raises(Http404):
        skill_level_record_add(worker=w, level=1, obtained_on=dt.date(2020, 1, 1), by=world.sz_officer)
    with pytest.raises(ValidationError):
        skill_level_record_add(worker=w, level=6, obtained_on=dt.date(2020, 1, 1), by=world.hz_officer)
    with pytest.raises(ValidationError):
        skill_level_record_add(
            worker=w, level=1, obtained_on=dt.date.today() + dt.timedelta(days=1), by=world.hz_officer
        )
    w.refresh_from_db()
    assert w.skill_level == 3
    assert not w.skill_levels.exists()


def test_worker_create_derives_birth_date_and_sex_and_audits(world):
    number = make_id_number("330106", dt.date(1992, 2, 29), 48)
    w = worker_create(organisation=world.hz_unit, name=" 新人 ", id_number=number.lower(), by=world.hz_officer)
    assert w.name == "新人"
    assert (w.birth_date, w.sex) == (dt.date(1992, 2, 29), "F")
    entry = history_for(w).get()
    assert entry.action == "worker.create" and entry.actor == world.hz_officer
    with pytest.raises(ValidationError):
        worker_create(organisation=world.hz_unit, name="又一个", id_number=number, by=world.hz_officer)
    with pytest.raises(Http404):
        worker_create(
            organisation=world.sz_unit,
            name="外省",
            id_number=make_id_number("320505", dt.date(1990, 1, 1), 1),
            by=world.hz_officer,
        )


def test_worker_update_refuses_identity_fields_and_bad_phones(world):
    with pytest.raises(ValidationError):
        worker_update(worker=world.hz_a, by=world.hz_officer, id_number="11010519491231002X")
    with pytest.raises(ValidationError):
        worker_update(worker=world.hz_a, by=world.hz_officer, phone="12")
    with pytest.raises(Http404):
        worker_update(worker=world.hz_a, by=world.sz_officer, trade="焊工")
    fresh = Worker.objects.get(pk=world.hz_a.pk)
    assert (fresh.phone, fresh.trade, fresh.id_number) == (world.hz_a.phone, "电工", world.hz_a.id_number)

"""Worker services other than import: skill levels, creation and updates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from deltaunion.core.audit import describe, history_for
from deltaunion.core.idnumber import make_id_number
from deltaunion.core.permissions import Forbidden
from deltaunion.people.models import Worker
from deltaunion.people.services import (
    employer_get_or_create,
    skill_level_record_add,
    worker_create,
    worker_link_account,
    worker_update,
)


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
    # Unions are public: registering a worker in one the officer does not manage is a 403.
    with pytest.raises(Forbidden):
        worker_create(
            organisation=world.sz_unit,
            name="外省",
            id_number=make_id_number("320505", dt.date(1990, 1, 1), 1),
            by=world.hz_officer,
        )
    assert not Worker.objects.filter(name="外省").exists()


def test_worker_update_refuses_identity_fields_and_bad_phones(world):
    with pytest.raises(ValidationError):
        worker_update(worker=world.hz_a, by=world.hz_officer, id_number="11010519491231002X")
    with pytest.raises(ValidationError):
        worker_update(worker=world.hz_a, by=world.hz_officer, phone="12")
    with pytest.raises(Http404):
        worker_update(worker=world.hz_a, by=world.sz_officer, trade="焊工")
    fresh = Worker.objects.get(pk=world.hz_a.pk)
    assert (fresh.phone, fresh.trade, fresh.id_number) == (world.hz_a.phone, "电工", world.hz_a.id_number)


# --- updates through model_update ------------------------------------------------------------------


def _changes(worker):
    """The worker's audit entries after their registration (the fixtures register them through the service)."""
    return history_for(worker).exclude(action="worker.create")


def test_worker_update_writes_the_changed_fields_in_one_entry(world):
    worker_update(worker=world.hz_a, by=world.hz_officer, trade="焊工", phone="139 1234-5678", is_member=True)
    entry = _changes(world.hz_a).get()
    # The phone is the same once cleaned and is_member did not change: only the trade is recorded.
    assert (entry.action, entry.before, entry.after) == ("worker.update", {"trade": "电工"}, {"trade": "焊工"})
    assert Worker.objects.get(pk=world.hz_a.pk).trade == "焊工"


def test_worker_update_that_changes_nothing_writes_nothing(world):
    worker_update(worker=world.hz_a, by=world.hz_officer, trade="电工", name=" 王建国 ")
    assert not _changes(world.hz_a).exists()


def test_worker_update_refuses_bad_values_and_changes_nothing(world, english):
    with pytest.raises(ValidationError) as exc:
        worker_update(worker=world.hz_a, by=world.hz_officer, name="   ")
    assert exc.value.messages == ["The name cannot be empty"]
    with pytest.raises(ValidationError):
        worker_update(worker=world.hz_a, by=world.hz_officer, trade="工" * 101)  # longer than the field
    assert world.hz_a.trade == "电工"  # the instance is restored too
    with pytest.raises(ValidationError) as exc:
        worker_update(worker=world.hz_a, by=world.hz_officer, employer=world.sz_employer)
    assert exc.value.messages == ["The employer does not belong to this union"]
    fresh = Worker.objects.get(pk=world.hz_a.pk)
    assert (fresh.name, fresh.trade, fresh.employer_id) == ("王建国", "电工", world.hz_employer.pk)
    assert not _changes(world.hz_a).exists()


def test_worker_update_follows_the_refusal_rule(world, english):
    # The worker sees their own record but may not change it: 403 with the reason.
    with pytest.raises(Forbidden) as exc:
        worker_update(worker=world.hz_self, by=world.worker, trade="焊工")
    assert str(exc.value) == "Only the officers who manage the worker's union may change the record"
    # Those who may not see the record at all get the 404 of a missing one.
    for user in (world.sz_officer, world.nobody, world.zj_judge):
        with pytest.raises(Http404):
            worker_update(worker=world.hz_a, by=user, trade="焊工")
    # A federation administrator above the union may.
    worker_update(worker=world.hz_a, by=world.zj_admin, trade="钳工")
    assert Worker.objects.get(pk=world.hz_a.pk).trade == "钳工"


def test_skill_level_record_of_ones_own_record_is_refused(world):
    with pytest.raises(Forbidden):
        skill_level_record_add(worker=world.hz_self, level=1, obtained_on=dt.date(2020, 1, 1), by=world.worker)
    assert not world.hz_self.skill_levels.exists()


def test_skill_level_history_reads_as_sentences(world):
    skill_level_record_add(worker=world.hz_a, level=2, obtained_on=dt.date(2022, 5, 1), by=world.hz_officer)
    [item] = describe(_changes(world.hz_a))
    assert item.action == "记录了技能等级"
    changes = {c.field: (c.before, c.after) for c in item.changes}
    assert changes == {"当前技能等级": ("三级/高级工", "二级/技师"), "来源": ("—", "技能等级认定")}


def test_link_account(world, users):
    from deltaunion.accounts.tests.factories import UserFactory

    login = UserFactory(username="wang")
    worker_link_account(worker=world.hz_a, user=login, by=world.hz_officer)
    assert Worker.objects.get(user=login) == world.hz_a
    with pytest.raises(ValidationError):  # a login belongs to one worker
        worker_link_account(worker=world.hz_b, user=login, by=world.hz_officer)
    with pytest.raises(Http404):
        worker_link_account(worker=world.hz_b, user=UserFactory(), by=world.sz_officer)
    [entry] = _changes(world.hz_a)
    assert entry.action == "worker.link_account" and entry.after == {"user_id": login.pk}


def test_employer_registration_is_for_the_unions_officers(world):
    with pytest.raises(Forbidden):
        employer_get_or_create(name="新单位", organisation=world.sz_unit, ownership="private", by=world.hz_officer)
    employer = employer_get_or_create(
        name="新单位", organisation=world.hz_unit, ownership="private", by=world.hz_officer
    )
    assert history_for(employer).get().action == "employer.create"
    # Asking again finds it (and writes nothing).
    assert (
        employer_get_or_create(name="新单位", organisation=world.hz_unit, ownership=None, by=world.hz_officer)
        == employer
    )
    assert history_for(employer).count() == 1


# --- plausible dates ------------------------------------------------------------------------------------


def test_worker_create_and_update_refuse_implausible_dates(world):
    born = dt.date(2000, 2, 29)  # a leap day (16 is a multiple of 4: the 16th birthday is a leap day too)
    number = make_id_number("330106", born, 64)
    sixteen = dt.date(2016, 2, 29)
    for kwargs, fragment in [
        ({"member_since": sixteen - dt.timedelta(days=1)}, "年满16周岁"),
        ({"started_work_on": dt.date(2016, 2, 28)}, "年满16周岁"),
        ({"member_since": dt.date.today() + dt.timedelta(days=1)}, "晚于今天"),
        ({"started_work_on": dt.date(2018, 9, 1), "member_since": dt.date(2018, 8, 31)}, "参加工作日期"),
    ]:
        with pytest.raises(ValidationError) as exc:
            worker_create(organisation=world.hz_unit, name="新人", id_number=number, by=world.hz_officer, **kwargs)
        assert fragment in exc.value.messages[0], (kwargs, exc.value.messages)
        assert not Worker.objects.filter(id_number=number).exists()
    w = worker_create(
        organisation=world.hz_unit,
        name="新人",
        id_number=number,
        by=world.hz_officer,
        started_work_on=sixteen,
        member_since=sixteen,
    )
    assert (w.started_work_on, w.member_since) == (sixteen, sixteen)
    # An update is held to the same rules against the dates already stored.
    with pytest.raises(ValidationError):
        worker_update(worker=w, by=world.hz_officer, member_since=sixteen - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        worker_update(worker=w, by=world.hz_officer, started_work_on=dt.date(2017, 1, 1))  # after joining
    fresh = Worker.objects.get(pk=w.pk)
    assert (fresh.started_work_on, fresh.member_since) == (sixteen, sixteen)
    worker_update(worker=w, by=world.hz_officer, member_since=dt.date(2019, 5, 4))
    assert Worker.objects.get(pk=w.pk).member_since == dt.date(2019, 5, 4)

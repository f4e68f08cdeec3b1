"""Registration: eligibility, quota, approval, Excel import, qualification."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from deltaunion.contests import services
from deltaunion.contests.models import Quota, Registration
from deltaunion.core.excel import build_workbook

from .factories import WorkerFactory, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_officer_entry_is_approved_and_audited():
    w = build_world()
    reg = services.registration_create(stage=w.stage, worker=w.worker(0), by=w.officer)
    assert reg.status == Registration.Status.APPROVED
    from deltaunion.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="registration.create", object_id=str(reg.pk)).exists()


@pytest.mark.parametrize(
    ("settings", "worker_kwargs", "fragment"),
    [
        ({"members_only": True}, {"is_member": False}, "not a union member"),
        ({"max_age": 30}, {"birth_date": dt.date(1970, 1, 1)}, "above the maximum age"),
        ({"min_age": 30}, {"birth_date": dt.date(2004, 1, 1)}, "below the minimum age"),
        ({"level_highest": 3, "level_lowest": 4}, {"skill_level": 2}, "outside the allowed range"),
        ({"level_highest": 3, "level_lowest": 4}, {"skill_level": None}, "no recorded skill level"),
        ({"region_prefixes": ["31"]}, {}, "not inside the contest's region"),
    ],
)
def test_ineligible_worker_is_refused_and_nothing_changes(settings, worker_kwargs, fragment):
    w = build_world()
    services.contest_update(contest=w.contest, by=w.officer, **settings)
    w.stage.refresh_from_db()
    services.quota_set(stage=w.stage, organisation=w.province, places=5, by=w.officer)
    worker = w.worker(0, **worker_kwargs)
    with pytest.raises(ValidationError) as exc:
        services.registration_create(stage=w.stage, worker=worker, by=w.officer, organisation=w.province)
    assert fragment in " ".join(exc.value.messages)
    assert not Registration.objects.exists()
    assert Quota.objects.get().used == 0


def test_region_by_prefix_and_alliance_admits_inside():
    w = build_world(region_prefixes=["3205"])
    services.registration_create(stage=w.stage, worker=w.worker(0), by=w.officer)  # employer in 320500
    with pytest.raises(ValidationError):
        services.registration_create(stage=w.stage, worker=w.worker(1), by=w.officer)  # 320100


def test_quota_is_enforced_and_freed_by_rejection():
    w = build_world()
    services.quota_set(stage=w.stage, organisation=w.province, places=2, by=w.officer)
    a = services.registration_create(stage=w.stage, worker=w.worker(0), by=w.officer, organisation=w.province)
    services.registration_create(stage=w.stage, worker=w.worker(1), by=w.officer, organisation=w.province)
    with pytest.raises(ValidationError, match="quota"):
        services.registration_create(stage=w.stage, worker=w.worker(0), by=w.officer, organisation=w.province)
    assert Registration.objects.count() == 2
    services.registration_withdraw(registration=a, by=w.officer)
    assert Quota.objects.get().used == 1
    services.registration_create(stage=w.stage, worker=w.worker(0), by=w.officer, organisation=w.province)
    assert Quota.objects.get().used == 2
    # An organisation without a quota row has no places once quotas exist.
    with pytest.raises(ValidationError, match="no places"):
        services.registration_create(stage=w.stage, worker=w.worker(1), by=w.officer, organisation=w.cities[1])


def test_self_entry_waits_for_sending_union_and_rejection_needs_reason():
    from .factories import UserFactory

    w = build_world()
    user = UserFactory()
    worker = w.worker(0, user=user)
    reg = services.registration_create(stage=w.stage, worker=worker, by=user)
    assert reg.status == Registration.Status.PENDING
    with pytest.raises(ValidationError):
        services.registration_decide(registration=reg, approve=False, by=w.officer)
    reg = services.registration_decide(registration=reg, approve=True, by=w.officer)
    assert reg.status == Registration.Status.APPROVED


def test_duplicate_entry_refused():
    w = build_world()
    worker = w.worker(0)
    services.registration_create(stage=w.stage, worker=worker, by=w.officer)
    with pytest.raises(ValidationError, match="already entered"):
        services.registration_create(stage=w.stage, worker=worker, by=w.officer)


def test_team_entry_size_and_members():
    w = build_world(entry_kind="team", team_size_min=2, team_size_max=3)
    captain, mate = w.worker(0), w.worker(0)
    with pytest.raises(ValidationError):
        services.registration_create(stage=w.stage, worker=captain, by=w.officer, team_name="一队")
    reg = services.registration_create(stage=w.stage, worker=captain, by=w.officer, team_name="一队", members=[mate])
    assert list(reg.members.values_list("worker_id", flat=True)) == [mate.pk]
    with pytest.raises(ValidationError, match="already entered"):
        services.registration_create(stage=w.stage, worker=mate, by=w.officer, team_name="二队", members=[w.worker(1)])


def _xlsx(rows):
    return build_workbook(["身份证号", "姓名"], rows)


def test_import_is_all_or_nothing_with_row_report():
    w = build_world(members_only=True)
    good = [w.worker(i) for i in range(3)]
    bad = w.worker(0, is_member=False)
    data = _xlsx([(x.id_number, x.name) for x in good] + [(bad.id_number, bad.name), ("110101199001011234", "某人")])
    result = services.registrations_import(data=data, stage=w.stage, organisation=w.province, by=w.officer)
    assert not result.ok
    assert {e.row for e in result.errors} == {5, 6}
    assert not Registration.objects.exists()
    data = _xlsx([(x.id_number, x.name) for x in good])
    result = services.registrations_import(data=data, stage=w.stage, organisation=w.province, by=w.officer)
    assert result.ok and result.created == 3
    assert Registration.objects.filter(source="import").count() == 3


def test_import_over_quota_changes_nothing():
    w = build_world()
    services.quota_set(stage=w.stage, organisation=w.province, places=2, by=w.officer)
    people = [w.worker(i) for i in range(3)]
    result = services.registrations_import(
        data=_xlsx([(x.id_number, x.name) for x in people]), stage=w.stage, organisation=w.province, by=w.officer
    )
    assert not result.ok and "quota" in result.errors[0].message
    assert not Registration.objects.exists() and Quota.objects.get().used == 0


def test_name_mismatch_in_import():
    w = build_world()
    x = w.worker(0)
    result = services.registrations_import(
        data=_xlsx([(x.id_number, "别人")]), stage=w.stage, organisation=w.province, by=w.officer
    )
    assert result.errors[0].column == "姓名"


def test_outsider_cannot_register():
    from deltaunion.core.permissions import Forbidden

    from .factories import UserFactory

    w = build_world()
    # Refused with the permission's message (403); whether the stage is visible is the page's question.
    with pytest.raises(Forbidden, match="sending union's officers"):
        services.registration_create(stage=w.stage, worker=WorkerFactory(), by=UserFactory())
    assert not Registration.objects.exists()

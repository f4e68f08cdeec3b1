"""Bases, recognition, itineraries, targets and the reasons a worker may not apply: the rules
the services enforce, with their messages."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from deltaunion.core.imports import run_import
from deltaunion.core.models import AuditEntry
from deltaunion.core.permissions import Forbidden
from deltaunion.core.statemachine import TransitionError, illegal_pairs
from deltaunion.core.testing import make_xlsx, read_xlsx
from deltaunion.heritage.tests.factories import regions
from deltaunion.orgs.services import organisation_create
from deltaunion.people.models import Title
from deltaunion.recuperation import imports, rules, selectors, services
from deltaunion.recuperation.models import Application, Base, Batch, Itinerary
from deltaunion.recuperation.tests.factories import SUZHOU_BASE_2, base, batch, enter, hz_workers, itinerary, red_route

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def messages_of(exc) -> str:
    return " | ".join(exc.value.messages)


# --- itineraries -------------------------------------------------------------------------------------------


def test_an_itinerary_shorter_than_three_days_and_two_nights_is_refused_with_that_reason(world):
    places = regions()
    for days, nights in ((2, 1), (3, 1), (2, 2)):
        with pytest.raises(ValidationError) as exc:
            services.itinerary_create(
                organisation=world.sz,
                title=f"太短的行程{days}{nights}",
                by=world.sz_officer,
                province=places["js"],
                days=days,
                nights=nights,
                price="1000",
            )
        assert "at least 3 days and 2 nights" in messages_of(exc)
    assert not Itinerary.objects.exists()
    it = itinerary(world)
    with pytest.raises(ValidationError) as exc:
        services.itinerary_update(itinerary=it, by=world.sz_officer, nights=1)
    assert "at least 3 days and 2 nights" in messages_of(exc)
    it.refresh_from_db()
    assert it.nights == 3


def test_publishing_needs_the_nights_the_programme_and_a_published_red_route(world):
    places = regions()
    it = services.itinerary_create(
        organisation=world.sz,
        title="未完成的行程",
        by=world.sz_officer,
        province=places["js"],
        days=3,
        nights=2,
        price="900",
    )
    with pytest.raises(TransitionError) as exc:
        services.itinerary_publish(itinerary=it, by=world.sz_officer)
    assert "Add the bases" in messages_of(exc)
    services.itinerary_set_stays(itinerary=it, stays=[(base(world), 1)], by=world.sz_officer)
    with pytest.raises(TransitionError) as exc:
        services.itinerary_publish(itinerary=it, by=world.sz_officer)
    assert "add up to 1" in messages_of(exc)
    services.itinerary_set_stays(itinerary=it, stays=[(base(world), 2)], by=world.sz_officer)
    services.itinerary_update(itinerary=it, by=world.sz_officer, programme=["一", "二", "三"])
    with pytest.raises(TransitionError) as exc:
        services.itinerary_publish(itinerary=it, by=world.sz_officer)
    assert "red visit route" in messages_of(exc)
    services.itinerary_update(itinerary=it, by=world.sz_officer, red_route=red_route(world))
    services.itinerary_publish(itinerary=it, by=world.sz_officer)
    it.refresh_from_db()
    assert it.status == "published" and it.published_at
    # A published itinerary keeps what publishing required.
    with pytest.raises(ValidationError):
        services.itinerary_update(itinerary=it, by=world.sz_officer, programme=["一"])
    assert Itinerary.objects.get(pk=it.pk).programme == ["一", "二", "三"]


def test_only_the_publishing_unions_officers_change_an_itinerary(world):
    it = itinerary(world)
    for outsider in (world.hz_officer, world.worker, world.zj_admin):
        with pytest.raises(Forbidden):
            services.itinerary_update(itinerary=it, by=outsider, summary="改")
    assert Itinerary.objects.get(pk=it.pk).summary == ""


# --- bases and recognition ------------------------------------------------------------------------------------


def test_a_base_recognised_by_any_federation_is_usable_by_all_and_the_matrix_shows_since_and_until(world):
    recognised = base(world, "东山测试基地", kind="recognised", position=SUZHOU_BASE_2)
    assert not selectors.is_usable(recognised)
    it = services.itinerary_create(
        organisation=world.sz,
        title="用未认定基地的行程",
        by=world.sz_officer,
        province=regions()["js"],
        days=3,
        nights=2,
        price="900",
    )
    with pytest.raises(ValidationError) as exc:
        services.itinerary_set_stays(itinerary=it, stays=[(recognised, 2)], by=world.sz_officer)
    assert "no federation recognises them now" in messages_of(exc)
    # Zhejiang recognises a Jiangsu base: usable by all four from then on.
    with pytest.raises(Forbidden):  # a city officer is not a provincial federation
        services.recognition_grant(
            base=recognised, federation=world.zj, valid_from=dt.date(2022, 1, 1), by=world.hz_officer
        )
    rec = services.recognition_grant(
        base=recognised, federation=world.zj, valid_from=dt.date(2022, 1, 1), valid_until=None, by=world.zj_admin
    )
    assert selectors.is_usable(recognised)
    services.itinerary_set_stays(itinerary=it, stays=[(recognised, 2)], by=world.sz_officer)
    feds, rows = selectors.recognition_matrix()
    row = next(r for r in rows if r.base.pk == recognised.pk)
    cell = row.cells[[f.pk for f in feds].index(world.zj.pk)]
    assert cell.valid_from == dt.date(2022, 1, 1) and cell.valid_until is None and row.usable
    # Ended yesterday: no longer usable today; only the recognising federation may end it.
    with pytest.raises(Forbidden):
        services.recognition_end(recognition=rec, by=world.sz_officer)
    services.recognition_end(recognition=rec, by=world.zj_admin, on=timezone.localdate() - dt.timedelta(days=1))
    assert not selectors.is_usable(recognised)
    assert selectors.recognition_state(Base.objects.get(pk=recognised.pk).recognitions.get()) == "ended"
    with pytest.raises(ValidationError):
        services.recognition_grant(
            base=recognised,
            federation=world.zj,
            valid_from=dt.date(2024, 1, 1),
            valid_until=dt.date(2023, 1, 1),
            by=world.zj_admin,
        )


def test_a_sanatorium_is_usable_without_recognition_and_bases_must_lie_in_the_four_provinces(world):
    assert selectors.is_usable(base(world))
    places = regions()
    with pytest.raises(ValidationError) as exc:
        services.base_create(
            organisation=world.sz,
            by=world.sz_officer,
            name="坐标在浙江的基地",
            kind="recognised",
            province=places["js"],
            longitude=120.1551,
            latitude=30.2741,  # Hangzhou
            capacity=10,
        )
    assert "do not lie in" in messages_of(exc)
    with pytest.raises(Forbidden):
        services.base_create(
            organisation=world.sz,
            by=world.hz_officer,
            name="越权登记",
            kind="sanatorium",
            province=places["js"],
            capacity=5,
        )


def test_bases_are_imported_all_or_nothing_and_exported_with_the_same_columns(world):
    headers = imports.export_headers()
    good = [
        "太湖导入测试基地",
        "职工疗休养基地",
        "江苏省",
        "苏州市",
        "",
        "吴中区",
        "120.40",
        "31.07",
        "是",
        "80",
        "",
        "",
        "300—500元",
        "全年",
        "",
        "测试",
    ]
    bad = ["越界的基地", "度假村", "江苏省", "", "", "", "121.47", "31.23", "否", "十", "", "", "", "", "", ""]
    result = run_import(imports.BaseImport(organisation=world.sz), make_xlsx([good, bad], headers), by=world.sz_officer)
    assert not result.ok and not Base.objects.exists()
    text = " ".join(e.message for e in result.errors)
    assert "Unrecognised kind" in text and "number of beds" in text
    result = run_import(imports.BaseImport(organisation=world.sz), make_xlsx([good], headers), by=world.sz_officer)
    assert result.ok and result.created == 1
    b = Base.objects.get(name="太湖导入测试基地")
    assert b.kind == "recognised" and b.capacity == 80 and b.price_band == "standard" and b.coordinates_approximate
    assert AuditEntry.objects.filter(action="recup_base.import", object_id=str(b.pk)).exists()
    row = imports.export_row(Base.objects.select_related("province", "city", "county").get(pk=b.pk))
    assert row[:3] == ["太湖导入测试基地", "职工疗休养基地", "江苏省"] and row[12] == "300—500元"
    again = run_import(imports.BaseImport(organisation=world.sz), make_xlsx([good], headers), by=world.sz_officer)
    assert not again.ok and "already registered" in again.errors[0].message
    assert read_xlsx(imports.BaseImport(organisation=None).template())[0] == headers


# --- targets --------------------------------------------------------------------------------------------------


def test_a_federation_sets_its_own_yearly_target(world):
    t = services.target_set(federation=world.zj, year=2023, workers=3000, by=world.zj_admin)
    services.target_set(federation=world.zj, year=2023, workers=3200, trips_per_worker=2, by=world.zj_admin)
    t.refresh_from_db()
    assert (t.workers, t.trips_per_worker) == (3200, 2)
    for outsider in (world.hz_officer, world.sz_officer, world.worker):
        with pytest.raises(Forbidden):
            services.target_set(federation=world.zj, year=2023, workers=1, by=outsider)
    with pytest.raises(Forbidden):
        services.target_set(federation=world.hz, year=2023, workers=1, by=world.zj_admin)  # not a provincial federation


# --- applying: every reason why not -----------------------------------------------------------------------------


def test_every_reason_a_worker_cannot_apply_is_named(world):
    it = itinerary(world)
    b = batch(world, it)
    # Not a member.
    assert any("Only union members" in p for p in rules.apply_problems(world.hz_b, b))
    with pytest.raises(ValidationError) as exc:
        services.application_submit(batch=b, by=world.hz_officer, worker=world.hz_b)
    assert "Only union members" in messages_of(exc)
    # Not a worker of the sending federation (a Suzhou worker, Jiangsu; the batch is for Zhejiang).
    problems = rules.apply_problems(world.sz_a, b)
    assert any("for the workers of 浙江省总工会; your union belongs to 江苏省总工会" in p for p in problems)
    # Batch closed.
    assert any(
        "closed" in p
        for p in rules.apply_problems(world.hz_a, b, now=b.applications_close_at + dt.timedelta(minutes=1))
    )
    draft = batch(world, it, open_=False)
    assert any("closed" in p for p in rules.apply_problems(world.hz_a, draft))
    # A priority-only batch: no group in the record.
    only = batch(world, it, priority_only=True)
    assert any("only for Model and advanced workers" in p for p in rules.apply_problems(world.hz_self, only))
    assert rules.apply_problems(world.hz_a, only) == []  # skill level 3: a skilled worker
    # Already applied.
    services.application_submit(batch=b, by=world.worker)
    with pytest.raises(ValidationError) as exc:
        services.application_submit(batch=b, by=world.worker)
    assert "already applied" in messages_of(exc)
    # Without a worker record.
    with pytest.raises(Forbidden):
        services.application_submit(batch=b, by=world.nobody)


def test_one_trip_a_year_unless_the_federation_allows_more(world):
    from deltaunion.recuperation.tests.factories import drawn

    d = drawn(world, places=1, applicants=1, seed="one")
    app = d.apps[0]
    services.application_confirm(application=app, by=world.hz_officer)
    other = batch(world, d.itinerary, start=d.batch.start_date + dt.timedelta(days=20))
    problems = rules.apply_problems(app.worker, other)
    assert any(f"already have a recuperation trip in {other.start_date.year}" in p for p in problems)
    services.target_set(
        federation=world.zj, year=other.start_date.year, workers=3000, trips_per_worker=2, by=world.zj_admin
    )
    assert rules.apply_problems(app.worker, other) == []


def test_the_worker_applies_and_their_union_approves_or_refuses_with_a_reason(
    world, django_capture_on_commit_callbacks
):
    from deltaunion.core.models import Notification

    b = batch(world, itinerary(world))
    app = services.application_submit(batch=b, by=world.worker)
    assert app.status == "pending" and app.union == world.hz_unit and app.sender == world.zj
    with pytest.raises(Forbidden):
        services.application_decide(application=app, approve=True, by=world.sz_officer)
    with pytest.raises(Forbidden):
        services.application_decide(application=app, approve=True, by=world.worker)  # not their own approval
    with pytest.raises(ValidationError) as exc:
        services.application_decide(application=app, approve=False, by=world.hz_officer)
    assert "Give the reason" in messages_of(exc)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(application=app, approve=True, by=world.hz_officer)
    app.refresh_from_db()
    assert app.status == "approved" and app.decided_by == world.hz_officer
    note = Notification.objects.get(recipient=world.worker)
    assert note.url == f"/recuperation/applications/{app.pk}/"
    # An officer enters a worker without a login: approved in the same step.
    entered = enter(world, b, [world.hz_a])[0]
    assert entered.status == "approved"
    with pytest.raises(Forbidden):
        services.application_submit(batch=b, by=world.sz_officer, worker=hz_workers(world, 1)[0])


def test_illegal_transitions_of_every_stateful_model_change_nothing(world):
    it = itinerary(world, publish=False)
    b = batch(world, itinerary(world), open_=False)
    app = Application.objects.create(batch=b, worker=world.hz_a, union=world.hz_unit, sender=world.zj)
    for obj in (it, b, app):
        machine = type(obj).workflow
        for state, t in illegal_pairs(machine):
            type(obj).objects.filter(pk=obj.pk).update(status=state)
            obj.refresh_from_db()
            before = AuditEntry.objects.count()
            with pytest.raises(TransitionError):
                machine.fire(obj, t.name, by=world.superuser, system=True)
            obj.refresh_from_db()
            assert obj.status == state, (type(obj).__name__, state, t.name)
            assert AuditEntry.objects.count() == before


def test_group_trips_are_recorded_by_the_sending_federation(world):
    places = regions()
    with pytest.raises(ValidationError):
        services.group_trip_record(
            sender=world.zj,
            by=world.zj_admin,
            destination=places["zj"],
            start_date=dt.date(2023, 5, 1),
            days=3,
            nights=2,
            workers=40,
        )
    with pytest.raises(ValidationError):
        services.group_trip_record(
            sender=world.zj,
            by=world.zj_admin,
            destination=places["js"],
            start_date=dt.date(2023, 5, 1),
            days=3,
            nights=2,
            workers=40,
            gig=30,
            skilled=20,
        )
    with pytest.raises(ValidationError) as exc:
        services.group_trip_record(
            sender=world.zj,
            by=world.zj_admin,
            destination=places["js"],
            start_date=dt.date(2023, 5, 1),
            days=2,
            nights=1,
            workers=40,
        )
    assert "at least 3 days and 2 nights" in messages_of(exc)
    with pytest.raises(Forbidden):
        services.group_trip_record(
            sender=world.zj,
            by=world.hz_officer,
            destination=places["js"],
            start_date=dt.date(2023, 5, 1),
            days=3,
            nights=2,
            workers=4,
        )
    trip = services.group_trip_record(
        sender=world.zj,
        by=world.zj_admin,
        destination=places["js"],
        start_date=dt.date(2023, 5, 1),
        days=3,
        nights=2,
        workers=40,
        gig=5,
    )
    assert trip.pk and AuditEntry.objects.filter(action="recup_group_trip.create", object_id=str(trip.pk)).exists()


def test_priority_groups_come_from_the_record_not_from_the_applicant(world):
    assert rules.priority_groups(world.hz_self) == []
    assert [g.group for g in rules.priority_groups(world.hz_a)] == ["skilled"]
    Title.objects.create(worker=world.hz_self, kind=Title.Kind.MODEL_WORKER, name="浙江省劳动模范", year=2021)
    world.hz_self.is_gig_worker = True
    found = rules.priority_groups(world.hz_self)
    assert [g.group for g in found] == ["model_worker", "gig"]
    assert found[0].evidence == "浙江省劳动模范（2021）"


def test_key_task_evidence_reports_workers_sent_against_the_target_per_federation(world):
    services.target_set(federation=world.zj, year=2023, workers=3000, by=world.zj_admin)
    services.group_trip_record(
        sender=world.zj,
        by=world.zj_admin,
        destination=regions()["js"],
        start_date=dt.date(2023, 5, 1),
        days=3,
        nights=2,
        workers=120,
    )
    task = SimpleNamespace(
        kind="recuperation",
        plan=SimpleNamespace(year=2023),
        title="组织职工赴其他三地开展职工疗休养交流活动",
        target="不少于3000名",
    )
    [evidence] = selectors.key_task_evidence(task)
    assert (evidence.done, evidence.target, evidence.complete) == (120, 3000, False)
    assert "浙江省总工会" in str(evidence.label)
    assert selectors.key_task_evidence(SimpleNamespace(kind="contest", title="竞赛")) == []


def test_a_new_provincial_federation_is_a_sender_in_the_matrix(world):
    organisation_create(name="安徽省总工会", kind="provincial", parent=world.acftu, region=regions()["ah"], by=None)
    m = selectors.exchange_matrix(2023)
    assert [r.federation.name for r in m.rows] == ["江苏省总工会", "浙江省总工会", "安徽省总工会"]
    assert [p.code for p in m.provinces] == ["310000", "320000", "330000", "340000"]
    assert Batch.objects.count() == 0

"""Closing, the draw, confirmations, cancellations, expiry and the waiting list, the trip and its
review: the draw is reproducible from its published seed, nothing changes after the list is
fixed, every allocation step is audited and told to the worker, and taken ≤ places."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from deltaunion.core.audit import history
from deltaunion.core.models import AuditEntry, Notification
from deltaunion.core.permissions import Forbidden
from deltaunion.core.privacy import mask_name
from deltaunion.core.statemachine import TransitionError
from deltaunion.heritage.tests.factories import regions
from deltaunion.people.models import Title
from deltaunion.recuperation import draw, selectors, services
from deltaunion.recuperation.models import Application, Batch
from deltaunion.recuperation.tests.factories import after, batch, drawn, enter, hz_workers, itinerary

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
A = Application.Status


def statuses(b: Batch) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in Application.objects.filter(batch=b).values_list("status", flat=True):
        out[s] = out.get(s, 0) + 1
    return out


def test_the_seed_is_committed_when_the_batch_opens_and_revealed_only_by_the_draw(world):
    b = batch(world, itinerary(world), seed="a-known-seed")
    b.refresh_from_db()
    assert b.seed_hash == draw.seed_hash("a-known-seed") and b.seed_committed_at
    record = selectors.draw_record(b)
    assert record["seed"] == "" and record["seed_sha256"] == b.seed_hash and record["applications"] == []
    # The secret is in no audit entry.
    assert not AuditEntry.objects.filter(after__icontains="a-known-seed").exists()


def test_closing_fixes_the_list_with_the_groups_of_the_records_and_nothing_changes_after(world):
    b = batch(world, itinerary(world), places=2, seed="fix")
    workers = hz_workers(world, 3)
    Title.objects.create(worker=workers[0], kind=Title.Kind.MODEL_WORKER, name="杭州市劳动模范", year=2022)
    apps = enter(world, b, workers)
    pending = services.application_submit(batch=b, by=world.worker)
    with pytest.raises(ValidationError) as exc:
        services.batch_close(batch=b, by=world.sz_officer)
    assert "can be closed after that" in " ".join(exc.value.messages)
    with pytest.raises(Forbidden):
        services.batch_close(batch=b, by=world.hz_officer, now=after(b))
    services.batch_close(batch=b, by=world.sz_officer, now=after(b))
    b.refresh_from_db()
    pending.refresh_from_db()
    assert b.status == "closed" and pending.status == "rejected" and not pending.in_draw
    first = Application.objects.get(pk=apps[0].pk)
    assert first.in_draw and first.groups == ["model_worker"] and first.primary_group == "model_worker"
    assert first.evidence == ["杭州市劳动模范（2022）"] and first.public_name == mask_name(first.worker.name)
    assert b.inputs_digest == draw.entries_digest(selectors.draw_record(b)["applications"])
    # After the seed is committed and the list fixed, no application changes.
    frozen = "fixed when applications closed"
    for attempt in (
        lambda: services.application_decide(application=pending, approve=True, by=world.hz_officer),
        lambda: services.application_withdraw(application=apps[1], by=world.hz_officer),
        lambda: services.application_submit(batch=b, by=world.hz_officer, worker=world.hz_a),
    ):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert frozen in " ".join(exc.value.messages) or "closed" in " ".join(exc.value.messages)
    assert statuses(b) == {"approved": 3, "rejected": 1}


def test_the_draw_is_reproducible_from_its_published_seed_and_list(world):
    d = drawn(world, places=4, applicants=10, reserves={"skilled": 2}, seed="reproducible-seed")
    b = d.batch
    assert b.status == "drawn" and b.taken == 4
    record = selectors.draw_record(b)
    assert record["seed"] == "reproducible-seed"
    # Anyone re-running the published record gets the stored outcome ...
    assert draw.verify(record) == (True, [])
    outcome = draw.rerun(record)
    offered = list(Application.objects.filter(batch=b, status=A.OFFERED).order_by("draw_rank"))
    assert [a.ref for a in offered] == [r for r, _g in outcome.offered]
    waiting = list(Application.objects.filter(batch=b, status=A.WAITING).order_by("wait_position"))
    assert [a.ref for a in waiting] == outcome.waiting
    # ... which is the draw's rule itself, from nothing but the seed and the list.
    entries = [draw.Entry(e["ref"], tuple(e["groups"])) for e in record["applications"]]
    assert draw.run("reproducible-seed", 4, {"skilled": 2}, entries).as_dict() == record["outcome"]
    assert selectors.verify_draw(b).ok
    # The management command re-runs it too.
    out = StringIO()
    call_command("recuperation_verify_draw", str(b.pk), stdout=out)
    assert "same result" in out.getvalue()


def test_a_list_changed_after_closing_is_refused_by_the_draw_and_shown_by_the_check(world):
    b = batch(world, itinerary(world), places=1, seed="tamper")
    apps = enter(world, b, hz_workers(world, 3))
    services.batch_close(batch=b, by=world.sz_officer, now=after(b))
    Application.objects.filter(pk=apps[2].pk).update(groups=["gig"])  # behind the services' back
    with pytest.raises(ValidationError) as exc:
        services.batch_draw(batch=b, by=world.sz_officer, now=after(b, 2))
    assert "differs from the list fixed" in " ".join(exc.value.messages)
    assert Batch.objects.get(pk=b.pk).status == "closed"


def test_reserved_places_go_to_the_priority_groups_first(world):
    it = itinerary(world)
    b = batch(world, it, places=3, reserves={"gig": 2}, seed="gig-first")
    gig = hz_workers(world, 2, is_gig_worker=True)
    others = hz_workers(world, 8)
    enter(world, b, others + gig)
    services.batch_close(batch=b, by=world.sz_officer, now=after(b))
    services.batch_draw(batch=b, by=world.sz_officer, now=after(b, 2))
    offered = Application.objects.filter(batch=b, status=A.OFFERED)
    assert {a.worker_id for a in offered if a.drawn_for == "gig"} == {w.pk for w in gig}
    assert offered.count() == 3


def test_confirm_cancel_and_the_waiting_list_in_draw_order_each_step_audited_and_told(
    world, django_capture_on_commit_callbacks
):
    d = drawn(world, places=2, applicants=5, seed="waiting")
    b = d.batch
    offered = list(Application.objects.filter(batch=b, status=A.OFFERED).order_by("draw_rank"))
    waiting = list(Application.objects.filter(batch=b, status=A.WAITING).order_by("wait_position"))
    assert selectors.waiting_place(waiting[1]) == 2
    now = after(b, 3)
    services.application_confirm(application=offered[0], by=world.hz_officer, now=now)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_cancel(application=offered[1], by=world.hz_officer, reason="家中有事", now=now)
    first = Application.objects.get(pk=waiting[0].pk)
    assert first.status == A.OFFERED and first.confirm_by == now + dt.timedelta(days=b.confirm_days)
    assert Batch.objects.get(pk=b.pk).taken == 2
    assert selectors.waiting_place(Application.objects.get(pk=waiting[1].pk)) == 1
    # Each step is in the application's history, as sentences.
    actions = [i.action for i in history(first)]
    assert "passed a free place from the waiting list" in actions and "put on the waiting list by the draw" in actions
    cancelled = [i.action for i in history(offered[1])]
    assert cancelled[0] == "cancelled the place" and "drew a place" in cancelled
    # Confirming twice, or a cancelled place, is an illegal transition.
    with pytest.raises(TransitionError):
        services.application_confirm(application=offered[0], by=world.hz_officer, now=now)
    with pytest.raises(TransitionError):
        services.application_confirm(application=offered[1], by=world.hz_officer, now=now)
    # Only the worker and their union respond.
    with pytest.raises(Forbidden):
        services.application_cancel(application=offered[0], by=world.sz_officer, now=now)


def test_an_unconfirmed_place_expires_and_passes_on(world, django_capture_on_commit_callbacks):
    me = world.hz_self
    it = itinerary(world)
    b = batch(world, it, places=1, seed="expire")
    others = hz_workers(world, 2)
    mine = services.application_submit(batch=b, by=world.worker)
    services.application_decide(application=mine, approve=True, by=world.hz_officer)
    enter(world, b, others)
    services.batch_close(batch=b, by=world.sz_officer, now=after(b))
    services.batch_draw(batch=b, by=world.sz_officer, now=after(b, 2))
    offered = Application.objects.get(batch=b, status=A.OFFERED)
    late = offered.confirm_by + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as exc:
        services.application_confirm(application=offered, by=world.hz_officer, now=late)
    assert "has passed" in " ".join(exc.value.messages)
    assert services.offers_expire(now=offered.confirm_by - dt.timedelta(minutes=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.offers_expire(now=late) == 1
    offered.refresh_from_db()
    assert offered.status == A.EXPIRED
    nxt = Application.objects.get(batch=b, status=A.OFFERED)
    assert nxt.wait_position == 1 and Batch.objects.get(pk=b.pk).taken == 1
    if offered.worker_id == me.pk:
        assert Notification.objects.filter(recipient=world.worker, kind="recuperation.place_expired").exists()


def test_the_draw_tells_everyone_their_result(world, django_capture_on_commit_callbacks):
    b = batch(world, itinerary(world), places=1, seed="tell")
    mine = services.application_submit(batch=b, by=world.worker)
    services.application_decide(application=mine, approve=True, by=world.hz_officer)
    enter(world, b, hz_workers(world, 2))
    services.batch_close(batch=b, by=world.sz_officer, now=after(b))
    with django_capture_on_commit_callbacks(execute=True):
        services.batch_draw(batch=b, by=world.sz_officer, now=after(b, 2))
    mine.refresh_from_db()
    kind = "recuperation.place_offered" if mine.status == A.OFFERED else "recuperation.waiting_list"
    note = Notification.objects.get(recipient=world.worker, kind=kind)
    assert note.url.endswith(f"/applications/{mine.pk}/")


def test_the_trip_is_travelled_rated_and_reviewed_in_the_community(world):
    b = batch(world, itinerary(world), places=1, seed="travel", start=timezone.localdate() + dt.timedelta(days=40))
    mine = services.application_submit(batch=b, by=world.worker)
    services.application_decide(application=mine, approve=True, by=world.hz_officer)
    services.batch_close(batch=b, by=world.sz_officer, now=after(b))
    services.batch_draw(batch=b, by=world.sz_officer, now=after(b, 2))
    services.application_confirm(application=mine, by=world.worker, now=after(b, 3))
    with pytest.raises(ValidationError):
        services.trip_rate(application=mine, by=world.worker, rating=5)  # not yet travelled
    with pytest.raises(ValidationError):
        services.batch_complete(batch=b, by=world.sz_officer, now=after(b, 4))  # before the return
    back = timezone.make_aware(dt.datetime.combine(b.end_date, dt.time(20)))
    services.batch_complete(batch=b, by=world.sz_officer, now=back)
    mine.refresh_from_db()
    assert mine.status == A.TRAVELLED and Batch.objects.get(pk=b.pk).status == "completed"
    assert selectors.attention_count(world.worker) == 1
    with pytest.raises(Forbidden):
        services.trip_rate(application=mine, by=world.hz_officer, rating=5)
    with pytest.raises(ValidationError):
        services.trip_rate(application=mine, by=world.worker, rating=6)
    services.trip_rate(application=mine, by=world.worker, rating=4, title="很好", body="疗养院环境很好。")
    mine.refresh_from_db()
    assert mine.rating == 4 and mine.review.subject == b.itinerary and mine.review.kind == "review"
    assert selectors.attention_count(world.worker) == 0
    assert [p.pk for p in selectors.itinerary_reviews(b.itinerary, world.nobody)] == [mine.review_id]
    # Reviews are moderated like every post: hidden by the worker's union's officers.
    from deltaunion.community import services as community

    community.content_hide(obj=mine.review, by=world.hz_officer, reason="测试")
    assert selectors.itinerary_reviews(b.itinerary, world.nobody) == []
    with pytest.raises(ValidationError):
        services.trip_rate(application=mine, by=world.worker, rating=5)
    assert selectors.itinerary_rating(b.itinerary) == (4.0, 1)


def test_cancelling_a_batch_cancels_its_applications(world):
    d = drawn(world, places=1, applicants=3, seed="cancel")
    with pytest.raises(ValidationError):
        services.batch_cancel(batch=d.batch, by=world.sz_officer, reason="")
    services.batch_cancel(batch=d.batch, by=world.sz_officer, reason="基地检修")
    assert statuses(d.batch) == {"cancelled": 3}
    b = Batch.objects.get(pk=d.batch.pk)
    assert b.status == "cancelled" and b.taken == 0
    with pytest.raises(TransitionError):
        services.batch_cancel(batch=b, by=world.sz_officer, reason="再次取消")


def test_the_exchange_matrix_counts_travelled_workers_and_recorded_trips_against_targets(world):
    services.target_set(federation=world.zj, year=2023, workers=3000, by=world.zj_admin)
    places = regions()
    services.group_trip_record(
        sender=world.zj,
        by=world.zj_admin,
        destination=places["js"],
        start_date=dt.date(2023, 6, 2),
        days=3,
        nights=2,
        workers=50,
        gig=10,
    )
    services.group_trip_record(
        sender=world.js,
        by=world.superuser,
        destination=places["zj"],
        start_date=dt.date(2023, 7, 2),
        days=3,
        nights=2,
        workers=30,
    )
    # A batch of 2023, travelled.
    it = itinerary(world)
    start = dt.date(2023, 5, 16)
    close = timezone.make_aware(dt.datetime(2023, 4, 20, 17))
    b = services.batch_create(
        itinerary=it, senders=[world.zj], by=world.sz_officer, start_date=start, places=2, applications_close_at=close
    )
    services.batch_open(batch=b, by=world.sz_officer, now=timezone.make_aware(dt.datetime(2023, 4, 1)), seed="2023")
    workers = hz_workers(world, 3)
    enter(world, b, workers, now=timezone.make_aware(dt.datetime(2023, 4, 2)))
    services.batch_close(batch=b, by=world.sz_officer, now=close + dt.timedelta(hours=1))
    services.batch_draw(batch=b, by=world.sz_officer, now=close + dt.timedelta(hours=2))
    for a in Application.objects.filter(batch=b, status=A.OFFERED):
        services.application_confirm(application=a, by=world.hz_officer, now=close + dt.timedelta(days=1))
    services.batch_complete(batch=b, by=world.sz_officer, now=timezone.make_aware(dt.datetime(2023, 5, 21)))
    m = selectors.exchange_matrix(2023)
    zj = next(r for r in m.rows if r.federation == world.zj)
    js_index = [p.code for p in m.provinces].index("320000")
    assert zj.cells[js_index].workers == 52 and zj.cells[js_index].trips == 2
    assert zj.sent == 52 and zj.target == 3000 and zj.percent == round(100 * 52 / 3000, 1)
    assert zj.months[4] == 2 and zj.months[5] == 50
    assert zj.groups["gig"] == 10 and sum(zj.groups.values()) == 52
    js = next(r for r in m.rows if r.federation == world.js)
    assert js.sent == 30 and js.target is None
    figures = {f.base.pk: f for f in selectors.base_figures(2023)}
    stay = it.stays.get()
    assert figures[stay.base_id].guest_nights == 2 * 3

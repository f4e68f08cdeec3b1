"""The draw writes its steps set-wise (plain values, one UPDATE and one audit row per
application sent as a batch): the rows are the ones the model path writes — the application's
name and organisation as `str()` and the scoping give them, the state before and after with
every changed field — the batch object the caller holds is the drawn row, and an application
that is no longer in the state the draw leaves stops the draw with nothing changed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from deltaunion.core.audit import history, object_org_path
from deltaunion.core.models import AuditEntry
from deltaunion.core.statemachine import TransitionError
from deltaunion.recuperation import services
from deltaunion.recuperation.models import Application, Batch
from deltaunion.recuperation.tests.factories import after, batch, enter, hz_workers, itinerary

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
A = Application.Status


def _entries(app: Application) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="recuperation.application", object_id=str(app.pk)).order_by("id"))


def test_each_drawn_application_has_its_own_audit_entry_with_every_change(world):
    b = batch(world, itinerary(world), places=2, reserves={"gig": 1}, seed="audit-rows")
    workers = hz_workers(world, 3) + hz_workers(world, 1, is_gig_worker=True)
    enter(world, b, workers)
    services.batch_close(batch=b, by=world.sz_officer, now=after(b))
    now = after(b, 2)
    before = timezone.now()
    held = Batch.objects.get(pk=b.pk)
    outcome = services.batch_draw(batch=held, by=world.sz_officer, now=now)
    # The caller's batch is the row as drawn (what refresh_from_db would read).
    fresh = Batch.objects.get(pk=b.pk)
    assert held.status == fresh.status == "drawn" and held.taken == fresh.taken == 2
    assert held.drawn_at == fresh.drawn_at == now and held.updated_at == fresh.updated_at
    apps = Application.objects.filter(batch=b).select_related("worker", "union", "batch__itinerary")
    assert len(apps) == 4
    for app in apps:
        entry = _entries(app)[-1]
        assert entry.actor_id == world.sz_officer.pk
        assert entry.object_repr == str(app) and entry.org_path == object_org_path(app) != ""
        assert entry.before == {"status": "approved"} and entry.note == ""
        assert entry.created_at >= before
        if app.status == A.OFFERED:
            assert entry.action == "recup_application.offer"
            assert entry.after == {
                "status": "offered",
                "draw_rank": app.draw_rank,
                "drawn_for": app.drawn_for,
                "offered_at": now.isoformat(),
                "confirm_by": app.confirm_by.isoformat(),
                "lottery_key": outcome.keys[app.ref],
            }
            assert app.offered_at == now and app.updated_at == now
        else:
            assert app.status == A.WAITING and entry.action == "recup_application.wait"
            assert entry.after == {
                "status": "waiting",
                "wait_position": app.wait_position,
                "lottery_key": outcome.keys[app.ref],
            }
        assert app.lottery_key == outcome.keys[app.ref]
    ranks = sorted(a.draw_rank for a in apps if a.status == A.OFFERED)
    assert ranks == [1, 2] and sorted(a.wait_position for a in apps if a.status == A.WAITING) == [1, 2]
    gig = next(a for a in apps if a.worker_id == workers[-1].pk)
    assert gig.status == A.OFFERED and gig.drawn_for == "gig"
    # The history reads them as sentences, like every other step.
    assert any(i.action == "drew a place" for i in history(gig))


def test_an_application_moved_behind_the_services_back_stops_the_draw_and_nothing_changes(world):
    b = batch(world, itinerary(world), places=1, seed="moved")
    apps = enter(world, b, hz_workers(world, 3))
    services.batch_close(batch=b, by=world.sz_officer, now=after(b))
    Application.objects.filter(pk=apps[1].pk).update(status=A.WITHDRAWN)  # the list itself is unchanged
    audited = AuditEntry.objects.count()
    with pytest.raises(TransitionError):
        services.batch_draw(batch=b, by=world.sz_officer, now=after(b, 2))
    assert Batch.objects.get(pk=b.pk).status == "closed"
    assert sorted(Application.objects.filter(batch=b).values_list("status", flat=True)) == [
        "approved",
        "approved",
        "withdrawn",
    ]
    assert AuditEntry.objects.count() == audited


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Undone(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_messages_are_queued_in_the_draws_own_transaction(world):
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    from deltaunion.core.models import Notification

    with override_settings(TASKS=DB_TASKS):
        b = batch(world, itinerary(world), places=1, seed="queued")
        mine = services.application_submit(batch=b, by=world.worker)
        services.application_decide(application=mine, approve=True, by=world.hz_officer)
        enter(world, b, hz_workers(world, 2))
        services.batch_close(batch=b, by=world.sz_officer, now=after(b))
        queued = DBTaskResult.objects.filter(task_path__endswith=".draw_messages")
        # A draw rolled back leaves no task behind ...
        with pytest.raises(Undone), transaction.atomic():
            services.batch_draw(batch=b, by=world.sz_officer, now=after(b, 2))
            assert queued.count() == 1
            raise Undone
        assert not queued.exists() and Batch.objects.get(pk=b.pk).status == "closed"
        # ... a committed one commits its task with it; nobody is told until the worker runs it.
        services.batch_draw(batch=b, by=world.sz_officer, now=after(b, 2))
        task = queued.get()
        assert task.args_kwargs == {"args": [b.pk], "kwargs": {}}
        told = Notification.objects.filter(
            recipient=world.worker, kind__in=["recuperation.place_offered", "recuperation.waiting_list"]
        )
        assert not told.exists()
        call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0.1, verbosity=0)
        mine.refresh_from_db()
        kind = "recuperation.place_offered" if mine.status == A.OFFERED else "recuperation.waiting_list"
        assert told.count() == 1 and told.get().kind == kind

"""Real concurrent connections on PostgreSQL: confirmations, cancellations, expiries and
waiting-list promotions on one batch at the same moment never over-allocate its places."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from deltaunion.recuperation import services
from deltaunion.recuperation.models import HOLDING, Application, Batch

from .factories import after, drawn

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent connections"),
]

A = Application.Status


def run_together(jobs: list[Callable[[], object]]) -> list[object]:
    """Run each job in its own thread (its own connection), all released at the same moment.
    Returns each job's result or the exception it raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def worker(i: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # collected and checked by the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def holding(batch: Batch) -> int:
    return Application.objects.filter(batch=batch, status__in=HOLDING).count()


@pytest.mark.parametrize("round_", range(2))
def test_fifty_connections_confirming_cancelling_expiring_and_promoting_never_over_allocate(world, round_):
    places = 10
    d = drawn(world, places=places, applicants=60, seed=f"storm-{round_}")
    b = d.batch
    offered = list(Application.objects.filter(batch=b, status=A.OFFERED).order_by("draw_rank"))
    waiting = list(Application.objects.filter(batch=b, status=A.WAITING).order_by("wait_position"))
    assert len(offered) == places and len(waiting) == 50
    now = after(b, 3)
    late = now + dt.timedelta(days=b.confirm_days + 1)  # every offer made before is due
    officer = world.hz_officer
    jobs: list[Callable[[], object]] = []
    for app in offered[:5]:  # confirmed and cancelled at the same moment
        jobs.append(lambda a=app: services.application_confirm(application=a, by=officer, now=now))
        jobs.append(lambda a=app: services.application_cancel(application=a, by=officer, reason="并发", now=now))
    for app in offered[5:]:  # cancelled: each place passes to the waiting list
        jobs.append(lambda a=app: services.application_cancel(application=a, by=officer, reason="并发", now=now))
    for app in waiting[:20]:  # confirmed before or after being promoted
        jobs.append(lambda a=app: services.application_confirm(application=a, by=officer, now=now))
    for _ in range(8):  # the organiser fills free places from the waiting list
        jobs.append(lambda: services.batch_fill(batch=b, by=world.sz_officer, now=now))
    for _ in range(7):  # the scheduled job releases unconfirmed places
        jobs.append(lambda: services.offers_expire(now=late, batch=b))
    assert len(jobs) == 50
    if round_:
        jobs.reverse()

    results = run_together(jobs)

    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert not unexpected, unexpected
    b.refresh_from_db()
    assert holding(b) <= places
    assert b.taken == holding(b)
    # Nothing was lost: once the waiting list fills the free places, every place is held.
    services.batch_fill(batch=b, by=world.sz_officer, now=now)
    b.refresh_from_db()
    left = Application.objects.filter(batch=b, status=A.WAITING).count()
    assert b.taken == holding(b) == (places if left else holding(b))
    assert b.taken <= places
    # The waiting list was promoted in draw order: everyone promoted stood before everyone left.
    promoted = Application.objects.filter(batch=b, wait_position__isnull=False).exclude(status=A.WAITING)
    still = Application.objects.filter(batch=b, status=A.WAITING)
    if promoted.exists() and still.exists():
        assert max(p.wait_position for p in promoted) < min(s.wait_position for s in still)


def test_every_place_cancelled_while_the_waiting_list_is_filled_from_fifty_connections(world):
    places = 12
    d = drawn(world, places=places, applicants=80, seed="cancel-storm")
    b = d.batch
    offered = list(Application.objects.filter(batch=b, status=A.OFFERED))
    now = after(b, 3)
    jobs: list[Callable[[], object]] = [
        (lambda a=app: services.application_cancel(application=a, by=world.hz_officer, reason="并发", now=now))
        for app in offered
    ]
    jobs += [(lambda: services.batch_fill(batch=b, by=world.sz_officer, now=now)) for _ in range(50 - len(jobs))]

    results = run_together(jobs)

    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert not unexpected, unexpected
    b.refresh_from_db()
    assert b.taken == holding(b) == places  # every cancelled place passed on, none twice
    assert Application.objects.filter(batch=b, status=A.CANCELLED).count() == sum(
        1 for r in results[: len(offered)] if isinstance(r, Application)
    )

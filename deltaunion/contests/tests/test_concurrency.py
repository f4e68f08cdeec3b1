"""Real concurrent connections on PostgreSQL: quota never over-filled; confirmations and
sign-off at the same moment leave a consistent module."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from deltaunion.contests import services
from deltaunion.contests.models import Mark, Module, Quota, Registration

from .factories import build_world, register_and_draw

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent connections"),
]


def run_together(jobs: list[Callable[[], object]]) -> list[object]:
    """Run each job in its own thread (own connection), released at the same moment.
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
        t.join(60)
    return results


def test_concurrent_registrations_never_exceed_quota():
    w = build_world()
    places, attempts = 3, 12
    services.quota_set(stage=w.stage, organisation=w.province, places=places, by=w.officer)
    workers = [w.worker(i) for i in range(attempts)]
    results = run_together(
        [
            (
                lambda wk=wk: services.registration_create(
                    stage=w.stage, worker=wk, by=w.officer, organisation=w.province
                )
            )
            for wk in workers
        ]
    )
    ok = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(ok) == places
    assert len(refused) == attempts - places, [r for r in results if not isinstance(r, (Registration, ValidationError))]
    assert Registration.objects.filter(stage=w.stage).count() == places
    assert Quota.objects.get(stage=w.stage).used == places


@pytest.mark.parametrize("round_", range(5))
def test_confirmations_and_sign_off_at_the_same_moment_are_consistent(round_):
    w = build_world()
    numbers = register_and_draw(w, 1)
    a1, a2, _b1 = w.aspects
    m1 = services.mark_enter(aspect=a1, number=numbers[0], value=20, by=w.judges[0])
    m2 = services.mark_enter(aspect=a2, number=numbers[0], value="5.00", by=w.judges[0])
    module = w.modules[0]
    jobs = [
        lambda: services.mark_confirm(mark=m1, by=w.judges[1]),
        lambda: services.mark_confirm(mark=m2, by=w.judges[2]),
        lambda: services.module_sign_off(module=module, by=w.chief),
    ]
    if round_ % 2:
        jobs.reverse()
    results = run_together(jobs)
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert not unexpected, unexpected
    module = Module.objects.get(pk=module.pk)
    marks = list(Mark.objects.filter(aspect__module=module))
    if module.signed_off_at is not None:
        # Signed off only once everything was confirmed, and nothing was confirmed after the lock.
        assert all(m.status == Mark.Status.CONFIRMED for m in marks)
        assert all(m.confirmed_at <= module.signed_off_at for m in marks)
    else:
        # The sign-off was refused (marks still unconfirmed at that moment); the confirmations stood.
        sign_off_result = next(r for r in results if not isinstance(r, Mark))
        assert isinstance(sign_off_result, ValidationError)
        assert all(m.status == Mark.Status.CONFIRMED for m in marks)
        services.module_sign_off(module=module, by=w.chief)


def test_two_judges_confirming_one_mark_one_wins():
    w = build_world()
    numbers = register_and_draw(w, 1)
    mark = services.mark_enter(aspect=w.aspects[0], number=numbers[0], value=20, by=w.judges[0])
    results = run_together(
        [
            lambda: services.mark_confirm(mark=mark, by=w.judges[1]),
            lambda: services.mark_confirm(mark=mark, by=w.judges[2]),
        ]
    )
    winners = [r for r in results if isinstance(r, Mark)]
    assert len(winners) == 1
    assert isinstance(next(r for r in results if not isinstance(r, Mark)), ValidationError)
    mark.refresh_from_db()
    assert mark.status == Mark.Status.CONFIRMED and mark.confirmed_by_id == winners[0].confirmed_by_id

"""Real concurrent connections on PostgreSQL: a union's nomination places are never over-filled,
whoever nominates at the same moment; two organisers checking one nomination at once leave it
checked once."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from deltaunion.core.permissions import Forbidden
from deltaunion.honours import services
from deltaunion.honours.models import Nomination, Quota
from deltaunion.people.tests.factories import WorkerFactory

from .factories import TODAY, build_selection, nominate

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent connections"),
]


def run_together(jobs: list[Callable[[], object]]) -> list[object]:
    """Each job in its own thread (its own connection), released at the same moment; each
    job's result or the exception it raised."""
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


def test_concurrent_nominations_never_exceed_a_union_quota(world):
    places, attempts = 3, 10
    built = build_selection(world, quota=places)
    workers = [WorkerFactory(organisation=world.hz_unit, name=f"候选人{i}") for i in range(attempts)]
    # Several officers of Hangzhou nominate at the same moment.
    officers = [world.hz_officer, world.zj_admin]
    results = run_together(
        [
            (
                lambda w=w, by=officers[i % 2]: services.nomination_create(
                    selection=built.selection,
                    category=built.category,
                    organisation=world.hz,
                    worker=w,
                    years_in_trade=10,
                    statement="事迹",
                    by=by,
                    today=TODAY,
                )
            )
            for i, w in enumerate(workers)
        ]
    )
    ok = [r for r in results if isinstance(r, Nomination)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(ok) == places, results
    assert len(refused) == attempts - places, [r for r in results if not isinstance(r, Nomination | ValidationError)]
    assert Nomination.objects.filter(selection=built.selection, organisation=world.hz).count() == places
    assert Quota.objects.get(selection=built.selection, organisation=world.hz).used == places
    # Suzhou's places are its own: untouched.
    assert Quota.objects.get(selection=built.selection, organisation=world.sz).used == 0


@pytest.mark.parametrize("round_", range(3))
def test_a_withdrawal_and_new_nominations_at_the_same_moment_stay_within_the_quota(world, round_):
    built = build_selection(world, quota=2)
    first = nominate(world, built, world.hz_a, submit=False)
    nominate(world, built, world.hz_self, submit=False)
    newcomers = [WorkerFactory(organisation=world.hz_unit, name=f"新人{i}") for i in range(3)]
    jobs = [lambda: services.nomination_withdraw(nomination=first, by=world.hz_officer, reason="换人")]
    jobs += [
        (
            lambda w=w: services.nomination_create(
                selection=built.selection,
                category=built.category,
                organisation=world.hz,
                worker=w,
                years_in_trade=10,
                by=world.hz_officer,
                today=TODAY,
            )
        )
        for w in newcomers
    ]
    if round_ % 2:
        jobs.reverse()
    results = run_together(jobs)
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert not unexpected, unexpected
    holding = Nomination.objects.filter(
        selection=built.selection, organisation=world.hz, status__in=Nomination.HOLDS_PLACE
    ).count()
    quota = Quota.objects.get(selection=built.selection, organisation=world.hz)
    assert holding == quota.used <= quota.places == 2


def test_two_organisers_checking_one_nomination_at_once_check_it_once(world):
    built = build_selection(world)
    nomination = nominate(world, built, world.hz_a)
    second = world.superuser
    results = run_together(
        [
            lambda: services.nomination_accept(nomination=nomination, by=world.zj_admin),
            lambda: services.nomination_return(nomination=nomination, reasons="材料不全", by=second),
        ]
    )
    done = [r for r in results if isinstance(r, Nomination)]
    assert len(done) == 1, results
    assert all(isinstance(r, Nomination | ValidationError | Forbidden) for r in results), results
    nomination.refresh_from_db()
    assert nomination.status in (Nomination.Status.IN_REVIEW, Nomination.Status.RETURNED)
    assert nomination.checked_by_id in (world.zj_admin.pk, second.pk)

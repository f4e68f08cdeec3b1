"""Real concurrent connections on PostgreSQL: a referral is answered once, whoever answers at the
same moment; a withdrawal and an answer at the same moment leave a consistent case."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from deltaunion.accounts.tests.factories import UserFactory
from deltaunion.core.models import AuditEntry
from deltaunion.core.statemachine import TransitionError
from deltaunion.orgs.models import Role
from deltaunion.orgs.services import org_role_grant
from deltaunion.relations import services
from deltaunion.relations.models import Case, CaseStatus, DeclineReason, Referral, ReferralMode
from deltaunion.relations.tests.factories import open_case

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent connections"),
]


def run_together(jobs: list[Callable[[], object]]) -> list[object]:
    """Each job in its own thread (its own connection), released at the same moment; returns each
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


def _referred(world, mode=ReferralMode.REFERRAL) -> Case:
    case = open_case(world)
    services.case_assign(case=case, assignee=world.hz_officer, by=world.hz_officer)
    services.case_refer(case=case, to_organisation=world.sz, mode=mode, by=world.hz_officer)
    return case


REFUSED = (TransitionError, ValidationError)


@pytest.mark.parametrize("round_", range(3))
def test_two_officers_answer_the_same_referral_at_once(world, round_):
    second = UserFactory(username=f"sz_officer_2_{round_}")
    org_role_grant(user=second, organisation=world.sz, role=Role.OFFICER, by=None)
    case = _referred(world, ReferralMode.TRANSFER)
    results = run_together(
        [
            lambda: services.case_answer_referral(case=Case.objects.get(pk=case.pk), accept=True, by=world.sz_officer),
            lambda: services.case_answer_referral(
                case=Case.objects.get(pk=case.pk), accept=False, reason=DeclineReason.DUPLICATE, by=second
            ),
        ]
    )
    answered = [r for r in results if isinstance(r, Referral)]
    assert len(answered) == 1, results
    assert all(isinstance(r, REFUSED) for r in results if not isinstance(r, Referral)), results
    referral = Referral.objects.get(case=case)
    case.refresh_from_db()
    if referral.status == Referral.Status.ACCEPTED:
        assert case.status == CaseStatus.ACCEPTED and case.organisation == world.sz
    else:
        assert referral.status == Referral.Status.DECLINED
        assert case.status == CaseStatus.ASSIGNED and case.organisation == world.hz
    answers = AuditEntry.objects.filter(action__in=["relations_referral.accept", "relations_referral.decline"])
    assert answers.count() == 1


def test_a_withdrawal_and_an_acceptance_at_once_leave_one_outcome(world):
    case = _referred(world)
    results = run_together(
        [
            lambda: services.case_answer_referral(case=Case.objects.get(pk=case.pk), accept=True, by=world.sz_officer),
            lambda: services.case_withdraw_referral(case=Case.objects.get(pk=case.pk), by=world.hz_officer),
        ]
    )
    done = [r for r in results if isinstance(r, Referral)]
    assert len(done) == 1 and all(isinstance(r, REFUSED) for r in results if r not in done), results
    referral = Referral.objects.get(case=case)
    case.refresh_from_db()
    expected = {Referral.Status.ACCEPTED: CaseStatus.ACCEPTED, Referral.Status.WITHDRAWN: CaseStatus.ASSIGNED}
    assert case.status == expected[referral.status]

"""Every case transition by a role that may take it and by one that may not; every illegal
transition of the case, referral and signal machines refused with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from deltaunion.core.models import AuditEntry
from deltaunion.core.permissions import Forbidden
from deltaunion.core.statemachine import TransitionError, illegal_pairs
from deltaunion.orgs.models import Role
from deltaunion.orgs.services import org_role_grant
from deltaunion.relations import services
from deltaunion.relations.models import Case, CaseStatus, Outcome, Referral, ReferralMode, Signal
from deltaunion.relations.tests.factories import hz_city, open_case, party

pytestmark = pytest.mark.django_db
S = CaseStatus


@pytest.fixture
def w(world):
    """The world, with an officer of the Hangzhou grassroots union (eligible to handle a Hangzhou
    case, not its owner) and a case for the worker with a login."""
    from deltaunion.accounts.tests.factories import UserFactory

    world.unit_officer = UserFactory(username="unit_officer")
    org_role_grant(user=world.unit_officer, organisation=world.hz_unit, role=Role.OFFICER, by=None)
    p = party("陈小明", seq=115)
    p["user"] = world.worker
    world.case = open_case(world, parties=[p])
    return world


def _at(case: Case, status: str) -> Case:
    Case.objects.filter(pk=case.pk).update(status=status)  # test setup: put the case in a state
    case.refresh_from_db()
    return case


def _refer(w, mode=ReferralMode.REFERRAL):
    services.case_assign(case=w.case, assignee=w.unit_officer, by=w.hz_officer)
    return services.case_refer(case=w.case, to_organisation=w.sz, mode=mode, by=w.hz_officer)


# step, source state, who may (attribute of the world), who may not
STEP_ROLES = [
    ("mediate", S.ASSIGNED, "unit_officer", "worker"),
    ("agree", S.MEDIATION, "hz_officer", "worker"),
    ("no_agreement", S.MEDIATION, "unit_officer", "sz_officer"),
    ("arbitrate", S.NO_AGREEMENT, "unit_officer", "worker"),
    ("litigate", S.ARBITRATION, "hz_officer", "worker"),
    ("legal_aid", S.NO_AGREEMENT, "unit_officer", "zj_judge"),
    ("close", S.AGREEMENT, "hz_officer", "unit_officer"),
    ("follow_up", S.CLOSED, "unit_officer", "worker"),
    ("reopen", S.FOLLOW_UP, "zj_admin", "unit_officer"),
]


@pytest.mark.parametrize("step,source,allowed,refused", STEP_ROLES)
def test_each_step_by_an_allowed_and_a_refused_role(w, step, source, allowed, refused):
    services.case_assign(case=w.case, assignee=w.unit_officer, by=w.hz_officer)
    case = _at(w.case, source)
    outcome = Outcome.AGREEMENT_FULFILLED if step == "close" else ""
    before = AuditEntry.objects.count()
    with pytest.raises(Forbidden):
        services.case_step(case=case, step=step, by=getattr(w, refused), outcome=outcome)
    case.refresh_from_db()
    assert case.status == source and AuditEntry.objects.count() == before
    services.case_step(case=case, step=step, by=getattr(w, allowed), outcome=outcome)
    case.refresh_from_db()
    assert case.status == Case.workflow.get(step).target


def test_assign_by_the_owner_only(w):
    with pytest.raises(Forbidden):
        services.case_assign(case=w.case, assignee=w.unit_officer, by=w.unit_officer)
    with pytest.raises(Forbidden):
        services.case_assign(case=w.case, assignee=w.unit_officer, by=w.worker)
    services.case_assign(case=w.case, assignee=w.unit_officer, by=w.hz_officer)
    w.case.refresh_from_db()
    assert w.case.status == S.ASSIGNED and w.case.assignee == w.unit_officer


def test_only_an_officer_of_the_case_is_assigned(w):
    with pytest.raises(ValidationError):
        services.case_assign(case=w.case, assignee=w.sz_officer, by=w.hz_officer)
    w.case.refresh_from_db()
    assert w.case.status == S.RECEIVED


def test_refer_by_the_owner_not_by_the_assignee(w):
    services.case_assign(case=w.case, assignee=w.unit_officer, by=w.hz_officer)
    with pytest.raises(Forbidden):
        services.case_refer(case=w.case, to_organisation=w.sz, mode=ReferralMode.REFERRAL, by=w.unit_officer)
    assert not Referral.objects.exists()
    services.case_refer(case=w.case, to_organisation=w.sz, mode=ReferralMode.REFERRAL, by=w.hz_officer)
    w.case.refresh_from_db()
    assert w.case.status == S.REFERRED


@pytest.mark.parametrize("accept", [True, False])
def test_the_receiving_union_answers_not_the_sender(w, accept):
    _refer(w)
    with pytest.raises(Forbidden):
        services.case_answer_referral(case=w.case, accept=accept, by=w.hz_officer, reason="duplicate")
    w.case.refresh_from_db()
    assert w.case.status == S.REFERRED
    services.case_answer_referral(case=w.case, accept=accept, by=w.sz_officer, reason="duplicate")
    w.case.refresh_from_db()
    assert w.case.status == (S.ACCEPTED if accept else S.ASSIGNED)


def test_withdraw_by_the_sender_not_the_receiver(w):
    _refer(w)
    with pytest.raises(Forbidden):
        services.case_withdraw_referral(case=w.case, by=w.sz_officer)
    services.case_withdraw_referral(case=w.case, by=w.hz_officer)
    w.case.refresh_from_db()
    assert w.case.status == S.ASSIGNED
    assert Referral.objects.get().status == Referral.Status.WITHDRAWN


def test_closing_needs_an_outcome(w):
    services.case_assign(case=w.case, assignee=w.unit_officer, by=w.hz_officer)
    with pytest.raises(ValidationError):
        services.case_step(case=w.case, step="close", by=w.hz_officer)
    w.case.refresh_from_db()
    assert w.case.status == S.ASSIGNED and w.case.outcome == ""


def test_a_step_in_the_future_is_refused(w):
    services.case_assign(case=w.case, assignee=w.unit_officer, by=w.hz_officer)
    with pytest.raises(ValidationError):
        services.case_step(case=w.case, step="mediate", by=w.hz_officer, on=dt.date.today() + dt.timedelta(days=3))


def test_every_illegal_case_transition_changes_nothing(w):
    case = w.case
    for state, t in illegal_pairs(Case.workflow):
        _at(case, state)
        before = AuditEntry.objects.count()
        with pytest.raises(TransitionError):
            Case.workflow.fire(case, t.name, by=w.superuser)
        case.refresh_from_db()
        assert case.status == state, (state, t.name)
        assert AuditEntry.objects.count() == before


def test_every_illegal_referral_transition_changes_nothing(w):
    referral = _refer(w)
    for state, t in illegal_pairs(Referral.workflow):
        Referral.objects.filter(pk=referral.pk).update(status=state)
        referral.refresh_from_db()
        with pytest.raises(TransitionError):
            Referral.workflow.fire(referral, t.name, by=w.superuser)
        referral.refresh_from_db()
        assert referral.status == state


def test_every_illegal_signal_transition_changes_nothing(w):
    signal = services.signal_create(
        organisation=w.hz,
        by=w.hz_officer,
        kind="layoffs",
        severity="general",
        workers_affected=5,
        origins={},
        site_provinces=[],
        occurred_on=dt.date(2023, 5, 1),
        description="裁员",
        city=hz_city(),
        employer_name="杭州测试企业",
        industry="manufacturing",
        ownership="private",
    )
    for state, t in illegal_pairs(Signal.workflow):
        Signal.objects.filter(pk=signal.pk).update(status=state)
        with pytest.raises(TransitionError):
            Signal.workflow.fire(signal, t.name, by=w.superuser)
        signal.refresh_from_db()
        assert signal.status == state


def test_signal_status_by_its_union_only(w):
    signal = services.signal_create(
        organisation=w.hz,
        by=w.hz_officer,
        kind="layoffs",
        severity="general",
        workers_affected=5,
        origins={},
        site_provinces=[],
        occurred_on=dt.date(2023, 5, 1),
        description="裁员",
        city=hz_city(),
        employer_name="杭州测试企业",
        industry="manufacturing",
        ownership="private",
    )
    with pytest.raises(Forbidden):
        services.signal_set_status(signal=signal, status=Signal.Status.HANDLING, by=w.sz_officer)
    services.signal_set_status(signal=signal, status=Signal.Status.HANDLING, by=w.hz_officer)
    signal.refresh_from_db()
    assert signal.status == Signal.Status.HANDLING


def test_the_worker_gets_a_message_at_each_step(w, django_capture_on_commit_callbacks):
    from deltaunion.core.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        services.case_assign(case=w.case, assignee=w.unit_officer, by=w.hz_officer)
        services.case_step(case=w.case, step="mediate", by=w.unit_officer)
    titles = list(Notification.objects.filter(recipient=w.worker).values_list("title", flat=True))
    assert len(titles) == 2
    assert all(w.case.number in t for t in titles)
    body = Notification.objects.filter(recipient=w.worker).first().body
    assert "15" in body  # mediation: what happens next (art. 14)

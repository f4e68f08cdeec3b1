"""Referrals between unions: accept (the receiving union gains access, the sender keeps the
case), decline with a reason code (it goes back, the receiver loses sight of it), transfer (the
receiver takes ownership, the sender loses it), and what each side sees and may do."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from deltaunion.core.models import Notification
from deltaunion.core.permissions import Forbidden, can
from deltaunion.relations import selectors, services
from deltaunion.relations.models import CaseStatus, DeclineReason, Referral, ReferralMode
from deltaunion.relations.tests.factories import open_case, party

pytestmark = pytest.mark.django_db
S = CaseStatus


@pytest.fixture
def case(world):
    c = open_case(world, parties=[party(owed="6000"), party("李秀英", seq=242, birth=None, owed="4000")])
    services.case_assign(case=c, assignee=world.hz_officer, by=world.hz_officer)
    return c


def _visible(user, case) -> bool:
    return selectors.visible_cases(user).filter(pk=case.pk).exists()


def test_before_the_referral_the_other_city_sees_nothing(world, case, client):
    assert not _visible(world.sz_officer, case)
    client.force_login(world.sz_officer)
    assert client.get(f"/relations/cases/{case.pk}/").status_code == 404


def test_a_pending_referral_is_seen_masked_and_answered_by_the_receiver(world, case, client):
    services.case_refer(case=case, to_organisation=world.sz, mode=ReferralMode.REFERRAL, by=world.hz_officer)
    assert _visible(world.sz_officer, case)
    assert can(world.sz_officer, "relations.answer_referral", case)
    assert not can(world.sz_officer, "relations.see_personal_data", case)
    assert not can(world.sz_officer, "relations.handle_case", case)
    client.force_login(world.sz_officer)
    page = client.get(f"/relations/cases/{case.pk}/").content.decode()
    assert "330106198503142315" not in page and "3301**********2315" in page
    assert 'data-testid="answer"' in page
    # Seeing is not handling: a step is a 403 with the reason.
    response = client.post(f"/relations/cases/{case.pk}/step/", {"step": "mediate"})
    assert response.status_code == 403


def test_accepting_a_referral_gives_access_and_the_sender_keeps_the_case(
    world, case, django_capture_on_commit_callbacks
):
    services.case_refer(case=case, to_organisation=world.sz, mode=ReferralMode.REFERRAL, by=world.hz_officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_answer_referral(case=case, accept=True, by=world.sz_officer)
    case.refresh_from_db()
    assert case.status == S.ACCEPTED and case.organisation == world.hz
    referral = Referral.objects.get(case=case)
    assert referral.status == Referral.Status.ACCEPTED and referral.answered_by == world.sz_officer
    # The receiver works on it and reads its personal data; the owner still owns it.
    assert can(world.sz_officer, "relations.handle_case", case)
    assert can(world.sz_officer, "relations.see_personal_data", case)
    assert not can(world.sz_officer, "relations.own_case", case)
    assert can(world.hz_officer, "relations.own_case", case)
    services.case_step(case=case, step="mediate", by=world.sz_officer)
    services.case_step(case=case, step="agree", by=world.sz_officer)
    with pytest.raises(Forbidden):
        services.case_step(case=case, step="close", by=world.sz_officer, outcome="agreement_fulfilled")
    services.case_step(case=case, step="close", by=world.hz_officer, outcome="agreement_fulfilled")
    # The sender was told.
    assert Notification.objects.filter(recipient=world.hz_officer, kind="relations.referral_answered").exists()


def test_declining_needs_a_reason_code_and_sends_the_case_back(world, case, client):
    services.case_refer(case=case, to_organisation=world.sz, mode=ReferralMode.TRANSFER, by=world.hz_officer)
    with pytest.raises(ValidationError):
        services.case_answer_referral(case=case, accept=False, by=world.sz_officer, reason="because")
    case.refresh_from_db()
    assert case.status == S.REFERRED
    services.case_answer_referral(case=case, accept=False, by=world.sz_officer, reason=DeclineReason.NO_CONNECTION)
    case.refresh_from_db()
    assert case.status == S.ASSIGNED and case.organisation == world.hz
    referral = Referral.objects.get(case=case)
    assert (referral.status, referral.decline_reason) == (Referral.Status.DECLINED, "no_connection")
    assert not _visible(world.sz_officer, case)
    # The owner's page shows the reason in words.
    client.force_login(world.hz_officer)
    page = client.get(f"/relations/cases/{case.pk}/").content.decode()
    assert "用人单位和职工均不在本地" in page and "no_connection" not in page


def test_a_transfer_moves_ownership(world, case, client):
    services.case_refer(case=case, to_organisation=world.sz, mode=ReferralMode.TRANSFER, by=world.hz_officer)
    services.case_answer_referral(case=case, accept=True, by=world.sz_officer)
    case.refresh_from_db()
    assert case.organisation == world.sz and case.assignee is None and case.status == S.ACCEPTED
    assert can(world.sz_officer, "relations.own_case", case)
    assert not _visible(world.hz_officer, case)
    client.force_login(world.hz_officer)
    assert client.get(f"/relations/cases/{case.pk}/").status_code == 404
    services.case_assign(case=case, assignee=world.sz_officer, by=world.sz_officer)
    services.case_step(case=case, step="legal_aid", by=world.sz_officer)
    services.case_step(case=case, step="close", by=world.sz_officer, outcome="legal_aid_done")
    case.refresh_from_db()
    assert case.status == S.CLOSED


def test_one_pending_referral_at_a_time_and_never_to_itself(world, case):
    with pytest.raises(ValidationError):
        services.case_refer(case=case, to_organisation=world.hz, mode=ReferralMode.REFERRAL, by=world.hz_officer)
    services.case_refer(case=case, to_organisation=world.sz, mode=ReferralMode.REFERRAL, by=world.hz_officer)
    with pytest.raises(ValidationError):  # the state machine: a referred case is not referred again
        services.case_refer(case=case, to_organisation=world.js, mode=ReferralMode.REFERRAL, by=world.hz_officer)
    assert Referral.objects.filter(case=case).count() == 1


def test_referring_through_the_pages(world, case, client):
    client.force_login(world.hz_officer)
    response = client.post(f"/relations/cases/{case.pk}/refer/", {"to_organisation": world.sz.pk, "mode": "referral"})
    assert response.status_code == 302
    client.force_login(world.sz_officer)
    assert case.number in client.get("/relations/").content.decode()  # awaiting our answer
    response = client.post(f"/relations/cases/{case.pk}/answer/", {"decision": "accept"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.ACCEPTED
    # A third party is refused the answer before any lookup of the referral: 404.
    client.force_login(world.zj_judge)
    assert client.post(f"/relations/cases/{case.pk}/answer/", {"decision": "accept"}).status_code == 404

"""A selection from setup to the roll of honour: nominations (eligibility, completeness, the
two-person check), the expert review with its outlier check and sign-off, public notice with an
objection, naming — which writes the honour to the person's record and issues a certificate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from deltaunion.core.audit import history
from deltaunion.core.models import AuditEntry
from deltaunion.core.permissions import Forbidden
from deltaunion.honours import selectors, services
from deltaunion.honours.models import Award, Nomination, Quota, Review, Selection
from deltaunion.people.models import Title

from .factories import TODAY, accept, build_selection, nominate, score_all, to_review

pytestmark = pytest.mark.usefixtures("english")
N = Nomination.Status


def test_the_whole_way_to_the_roll_of_honour(world):
    built = build_selection(world)
    a = nominate(world, built, world.hz_a)
    b = nominate(world, built, world.sz_a)
    assert a.status == N.SUBMITTED and a.submitted_by == world.hz_officer
    accept(world, a)
    accept(world, b)
    to_review(world, built)
    score_all(built, a, [(9, 9), (9, 8), (8, 9), (9, 9)])
    score_all(built, b, [(7, 7), (7, 8), (8, 7), (7, 7)])
    services.panel_sign_off(panel=built.panel, by=built.chair)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.rank, b.rank) == (1, 2)
    assert a.score > b.score
    now = timezone.now()
    services.selection_notice(selection=built.selection, by=world.zj_admin, now=now)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (N.ON_NOTICE, N.NOT_SELECTED)
    # Not named before the notice period is over.
    with pytest.raises(ValidationError, match="public notice runs until"):
        services.selection_name(selection=built.selection, by=world.zj_admin, now=now + dt.timedelta(days=1))
    later = now + dt.timedelta(days=8)
    awards = services.selection_name(
        selection=built.selection, by=world.zj_admin, now=later, named_on=dt.date(2023, 6, 1)
    )
    assert len(awards) == 1
    award = awards[0]
    assert award.recipient_name == "王建国" and award.named_on == dt.date(2023, 6, 1)
    assert award.issuing_body == "沪苏浙皖三省一市总工会"
    # Written to the person's record, with the date and body in its history.
    title = Title.objects.get(worker=world.hz_a)
    assert title.kind == Title.Kind.GRAND_CRAFTSMAN and title.year == 2023 and title.awarded_by == world.zj
    entry = AuditEntry.objects.get(action="worker.honour_recorded", object_id=str(world.hz_a.pk))
    assert "2023-06-01" in entry.note and "沪苏浙皖三省一市总工会" in entry.note
    built.selection.refresh_from_db()
    assert built.selection.status == Selection.Status.PUBLISHED
    # On the roll; the certificate verifies.
    assert [r.recipient_name for r in selectors.roll()] == ["王建国"]
    info = selectors.certificate_verify(award.code.lower())
    assert info is not None and info["valid"] and info["name"] == "王建国"
    # The nomination's history reads as sentences.
    actions = [item.action for item in history(a)]
    assert "named the honour" in actions and "submitted the nomination" in actions


def test_quota_is_a_limit_and_a_withdrawal_frees_the_place(world):
    from deltaunion.people.tests.factories import WorkerFactory

    built = build_selection(world, quota=1)
    first = nominate(world, built, world.hz_a, submit=False)
    with pytest.raises(ValidationError, match="used all its 1 nomination places"):
        nominate(world, built, world.hz_self, submit=False)
    services.nomination_withdraw(nomination=first, by=world.hz_officer, reason="换人")
    second = nominate(world, built, world.hz_self, submit=False)
    assert Quota.objects.get(selection=built.selection, organisation=world.hz).used == 1
    assert second.status == N.DRAFT
    other = WorkerFactory(organisation=world.sz_unit)
    # A union nominates only its own people, and only with places.
    with pytest.raises(ValidationError, match="does not belong to the nominating union"):
        nominate(world, built, other, by=world.hz_officer, organisation=world.hz, submit=False)


def test_eligibility_rules_refuse_with_reasons(world):
    built = build_selection(
        world, trades=["焊工"], min_years=15, skill_level_at_least=2, prior_title_kinds=["craftsman"]
    )
    with pytest.raises(ValidationError) as exc:
        nominate(world, built, world.hz_a, submit=False, years_in_trade=3)
    text = " ".join(exc.value.messages)
    assert "trade must be one of" in text
    assert "At least 15 years" in text
    assert "skill level must be" in text
    assert "prior honour is required" in text
    assert Nomination.objects.count() == 0
    assert Quota.objects.get(selection=built.selection, organisation=world.hz).used == 0


def test_an_incomplete_nomination_cannot_be_submitted_and_is_returned_with_reasons(world):
    built = build_selection(world)
    nomination = services.nomination_create(
        selection=built.selection,
        category=built.category,
        organisation=world.hz,
        worker=world.hz_a,
        years_in_trade=10,
        statement="",
        by=world.hz_officer,
        today=TODAY,
    )
    with pytest.raises(ValidationError) as exc:
        services.nomination_submit(nomination=nomination, by=world.hz_officer, today=TODAY)
    assert any("Required material missing: 事迹材料" in m for m in exc.value.messages)
    nomination = nominate(world, built, world.hz_self)
    with pytest.raises(ValidationError, match="Give the reasons"):
        services.nomination_return(nomination=nomination, reasons=" ", by=world.zj_admin)
    services.nomination_return(nomination=nomination, reasons="缺少单位推荐意见", by=world.zj_admin)
    nomination.refresh_from_db()
    assert nomination.status == N.RETURNED and nomination.reason == "缺少单位推荐意见"
    services.nomination_submit(nomination=nomination, by=world.hz_officer, today=TODAY)
    assert Nomination.objects.get(pk=nomination.pk).status == N.SUBMITTED


def test_who_submitted_a_nomination_never_checks_it(world):
    built = build_selection(world)
    # zj_admin manages Hangzhou too: they may nominate for it, but then not check it.
    nomination = nominate(world, built, world.hz_a, by=world.zj_admin, organisation=world.hz)
    with pytest.raises(Forbidden, match="never by the person who submitted it"):
        services.nomination_accept(nomination=nomination, by=world.zj_admin)
    with pytest.raises(Forbidden):
        services.nomination_return(nomination=nomination, reasons="x", by=world.zj_admin)
    assert Nomination.objects.get(pk=nomination.pk).status == N.SUBMITTED


def test_outlier_flag_blocks_sign_off_until_the_chair_decides(world):
    built = build_selection(world)
    nomination = accept(world, nominate(world, built, world.hz_a))
    to_review(world, built)
    # Totals 90, 88, 89, 40: Q = (88 − 40) / (90 − 40) = 0.96 > 0.765 (n = 4).
    score_all(built, nomination, [(9, 9), (9, 8.5), (8.5, 9.5), (4, 4)])
    nomination.refresh_from_db()
    assert nomination.outlier_flagged and not nomination.outlier_resolved
    assert nomination.outlier_review.total == Decimal("40.00")
    with pytest.raises(ValidationError, match="outlying score waits for the chair"):
        services.panel_sign_off(panel=built.panel, by=built.chair)
    with pytest.raises(Forbidden):
        services.outlier_resolve(nomination=nomination, exclude=True, note="x", by=built.experts[1])
    services.outlier_resolve(nomination=nomination, exclude=True, note="与其他专家评分差距过大", by=built.chair)
    assert Review.objects.get(pk=nomination.outlier_review_id).excluded
    services.panel_sign_off(panel=built.panel, by=built.chair)
    nomination.refresh_from_db()
    # The mean of the three counted sheets.
    assert nomination.score == Decimal("89.00") and nomination.rank == 1


def test_scores_are_locked_after_sign_off_and_experts_see_only_their_own_before(world):
    built = build_selection(world)
    a = accept(world, nominate(world, built, world.hz_a))
    to_review(world, built)
    score_all(built, a, [(9, 9), (8, 8), (8, 9)])
    expert = built.experts[1]
    sheets = selectors.visible_reviews(a, expert)
    assert [s.member.user for s in sheets] == [expert]
    assert len(selectors.visible_reviews(a, built.chair)) == 3
    assert selectors.visible_reviews(a, world.zj_admin) == []
    services.panel_sign_off(panel=built.panel, by=built.chair)
    assert len(selectors.visible_reviews(a, expert)) == 3
    with pytest.raises(ValidationError, match="signed off"):
        score_all(built, a, [(1, 1)])


def test_sign_off_needs_three_sheets_per_nomination(world):
    built = build_selection(world)
    a = accept(world, nominate(world, built, world.hz_a))
    to_review(world, built)
    score_all(built, a, [(9, 9), (8, 8)])
    with pytest.raises(ValidationError, match="2 of 3 score sheets"):
        services.panel_sign_off(panel=built.panel, by=built.chair)


def test_shared_ranks_and_a_tie_at_the_last_place_is_not_broken(world):
    built = build_selection(world)
    a = accept(world, nominate(world, built, world.hz_a))
    b = accept(world, nominate(world, built, world.sz_a))
    to_review(world, built)
    same = [(8, 8), (8, 8), (8, 8)]
    score_all(built, a, same)
    score_all(built, b, same)
    services.panel_sign_off(panel=built.panel, by=built.chair)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.rank == b.rank == 1
    with pytest.raises(ValidationError, match="share the places"):
        services.selection_notice(selection=built.selection, by=world.zj_admin)
    services.category_set_places(category=built.category, places=2, by=world.zj_admin)
    services.selection_notice(selection=built.selection, by=world.zj_admin)
    assert set(Nomination.objects.values_list("status", flat=True)) == {N.ON_NOTICE}


def test_an_upheld_objection_disqualifies_and_naming_waits_for_answers(world):
    built = build_selection(world)
    a = accept(world, nominate(world, built, world.hz_a))
    to_review(world, built)
    score_all(built, a, [(9, 9), (9, 9), (9, 9)])
    services.panel_sign_off(panel=built.panel, by=built.chair)
    now = timezone.now()
    services.selection_notice(selection=built.selection, by=world.zj_admin, now=now)
    a.refresh_from_db()
    with pytest.raises(ValidationError, match="Leave a contact"):
        services.objection_file(nomination=a, text="材料不实", now=now)
    objection = services.objection_file(nomination=a, text="材料不实", contact="13800000000", now=now)
    with pytest.raises(ValidationError, match="Answer every objection"):
        services.selection_name(selection=built.selection, by=world.zj_admin, now=now + dt.timedelta(days=8))
    services.objection_answer(objection=objection, upheld=True, response="经核实，部分材料不实", by=world.zj_admin)
    a.refresh_from_db()
    assert a.status == N.DISQUALIFIED
    awards = services.selection_name(selection=built.selection, by=world.zj_admin, now=now + dt.timedelta(days=8))
    assert awards == [] and not Award.objects.exists()
    assert list(selectors.roll()) == []


def test_the_chair_does_not_also_name_the_honours(world):
    from deltaunion.orgs.models import Role
    from deltaunion.orgs.services import org_role_grant

    built = build_selection(world)
    org_role_grant(user=built.chair, organisation=world.zj, role=Role.OFFICER, by=None)
    a = accept(world, nominate(world, built, world.hz_a))
    to_review(world, built)
    score_all(built, a, [(9, 9), (9, 9), (9, 9)])
    services.panel_sign_off(panel=built.panel, by=built.chair)
    now = timezone.now()
    services.selection_notice(selection=built.selection, by=world.zj_admin, now=now)
    with pytest.raises(Forbidden, match="not by a chair"):
        services.selection_name(selection=built.selection, by=built.chair, now=now + dt.timedelta(days=8))

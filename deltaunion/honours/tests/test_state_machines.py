"""Every state machine of the app: each illegal (state, transition) pair is refused and changes
nothing; each transition a person fires is allowed to its role and refused (403, with the
permission's message) to the others; the system's steps are never taken by hand."""

from __future__ import annotations

import pytest

from deltaunion.core.models import AuditEntry
from deltaunion.core.permissions import Forbidden
from deltaunion.core.statemachine import TransitionError, illegal_pairs
from deltaunion.honours import services
from deltaunion.honours.models import Award, Exhibition, Nomination, Objection, Selection

from .factories import accept, build_selection, named_award, nominate, result, score_all, to_review

pytestmark = pytest.mark.usefixtures("english")
MACHINES = [Selection, Nomination, Objection, Award, Exhibition]


@pytest.mark.parametrize("model", MACHINES, ids=lambda m: m.__name__)
def test_illegal_transitions_change_nothing(model, world):
    machine = model.workflow
    obj = _instance(model, world)
    for state, transition in illegal_pairs(machine):
        model.objects.filter(pk=obj.pk).update(**{machine.field: state})
        obj.refresh_from_db()
        entries = AuditEntry.objects.count()
        with pytest.raises(TransitionError):
            machine.fire(obj, transition.name, by=world.superuser, system=True)
        assert getattr(model.objects.get(pk=obj.pk), machine.field) == state
        assert AuditEntry.objects.count() == entries


def _instance(model, world):
    if model is Selection:
        return build_selection(world).selection
    if model is Nomination:
        return nominate(world, build_selection(world), world.hz_a)
    if model is Award:
        return named_award(world).award
    if model is Objection:
        built = named_award(world)
        return Objection.objects.create(nomination=built.nomination, contact="x", text="x")
    exhibition = services.exhibition_create(organisation=world.hz, title="测试展", by=world.hz_officer)
    services.exhibition_item_add(exhibition=exhibition, result=result(world), by=world.hz_officer)
    return exhibition


def test_system_steps_are_never_taken_by_hand(world):
    built = build_selection(world)
    nomination = accept(world, nominate(world, built, world.hz_a))
    to_review(world, built)
    with pytest.raises(TransitionError, match="taken by the system"):
        Selection.workflow.fire(built.selection, "notice", by=world.superuser)
    with pytest.raises(TransitionError, match="taken by the system"):
        Nomination.workflow.fire(nomination, "notice", by=world.superuser)


def test_selection_steps_by_role(world):
    built = build_selection(world)
    selection = built.selection
    for outsider in (world.hz_officer, world.sz_officer, world.worker, built.chair, world.nobody):
        with pytest.raises(Forbidden, match="organising union"):
            services.selection_transition(selection=selection, name="close", by=outsider)
    services.selection_transition(selection=selection, name="close", by=world.zj_admin)
    services.selection_transition(selection=selection, name="reopen", by=world.zj_admin)
    with pytest.raises(Forbidden):
        services.selection_notice(selection=selection, by=world.hz_officer)


def test_nomination_steps_by_role(world):
    built = build_selection(world)
    draft = nominate(world, built, world.hz_a, submit=False)
    # Submit: the nominating union's officers (and those above them), not Suzhou, not an expert.
    for outsider in (world.sz_officer, world.worker, built.chair, world.nobody):
        with pytest.raises(Forbidden, match="nomination places"):
            services.nomination_submit(nomination=draft, by=outsider, today=_today())
    services.nomination_submit(nomination=draft, by=world.hz_officer, today=_today())
    draft.refresh_from_db()
    # Check: the organisers, never the union (nor the submitter).
    for outsider in (world.hz_officer, world.sz_officer, built.chair):
        with pytest.raises(Forbidden):
            services.nomination_accept(nomination=draft, by=outsider)
    accept(world, draft)
    # Withdraw: the union; disqualify: the organisers.
    with pytest.raises(Forbidden):
        services.nomination_withdraw(nomination=draft, by=world.sz_officer)
    with pytest.raises(Forbidden):
        services.nomination_disqualify(nomination=draft, reason="x", by=world.hz_officer)
    services.nomination_disqualify(nomination=draft, reason="经查不符合条件", by=world.zj_admin)
    assert Nomination.objects.get(pk=draft.pk).status == Nomination.Status.DISQUALIFIED


def test_scoring_and_sign_off_by_role(world):
    built = build_selection(world)
    nomination = accept(world, nominate(world, built, world.hz_a))
    to_review(world, built)
    criteria = list(built.category.criteria.all())
    scores = {c.pk: 8 for c in criteria}
    for outsider in (world.zj_admin, world.hz_officer, world.zj_judge):
        with pytest.raises(Forbidden, match="experts of the panel"):
            services.review_submit(nomination=nomination, by=outsider, scores=scores)
    score_all(built, nomination, [(8, 8), (8, 8), (8, 8)])
    for outsider in (built.experts[1], world.zj_admin):
        with pytest.raises(Forbidden, match="chair"):
            services.panel_sign_off(panel=built.panel, by=outsider)
    services.panel_sign_off(panel=built.panel, by=built.chair)


def test_objection_and_revocation_by_role(world):
    built = named_award(world)
    objection = Objection.objects.create(nomination=built.nomination, contact="x", text="x")
    for outsider in (world.hz_officer, world.sz_officer, built.chair):
        with pytest.raises(Forbidden):
            services.objection_answer(objection=objection, upheld=False, response="x", by=outsider)
        with pytest.raises(Forbidden):
            services.award_revoke(award=built.award, reason="x", by=outsider)
    services.objection_answer(objection=objection, upheld=False, response="不成立", by=world.zj_admin)
    services.award_revoke(award=built.award, reason="撤销", by=world.zj_admin)
    assert Award.objects.get(pk=built.award.pk).status == Award.Status.REVOKED


def test_exhibition_steps_by_role(world):
    exhibition = services.exhibition_create(organisation=world.hz, title="测试展", by=world.hz_officer)
    with pytest.raises(TransitionError, match="Add results"):
        services.exhibition_transition(exhibition=exhibition, name="publish", by=world.hz_officer)
    services.exhibition_item_add(exhibition=exhibition, result=result(world), by=world.hz_officer)
    for outsider in (world.sz_officer, world.worker, world.zj_judge):
        with pytest.raises(Forbidden):
            services.exhibition_transition(exhibition=exhibition, name="publish", by=outsider)
    services.exhibition_transition(exhibition=exhibition, name="publish", by=world.hz_officer)
    assert Exhibition.objects.get(pk=exhibition.pk).status == Exhibition.Status.PUBLISHED


def _today():
    from .factories import TODAY

    return TODAY

"""The contest engine's declared state machines: every status moves by a declared transition,
fired by someone the transition's permission allows; anything else changes nothing."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from deltaunion.contests import selectors, services
from deltaunion.contests.models import (
    Appeal,
    Contest,
    ContestRole,
    Mark,
    Objection,
    Recheck,
    Registration,
    ResultSet,
    Stage,
)
from deltaunion.core.audit import history_for
from deltaunion.core.permissions import Forbidden
from deltaunion.core.statemachine import TransitionError, illegal_pairs, machines

from .factories import UserFactory, build_world, mark_everything, register_and_draw, sign_off_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def run() -> SimpleNamespace:
    """A stage run to public notice, with an appeal, an objection, a re-check and a second
    stage open for registration with a worker's own (pending) entry; plus an organiser."""
    leader = UserFactory()
    w = build_world()
    register_and_draw(w, 3, leader=leader)
    mark_everything(w)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    recheck = services.recheck_start(stage=w.stage, by=w.chief, seed="s")
    for item in recheck.items.all():
        services.recheck_item_record(item=item, error_found=False, by=w.chief)
    services.recheck_complete(recheck=recheck, by=w.chief)
    result_set = services.result_set_publish(stage=w.stage, by=w.officer)
    appeal = services.appeal_file(
        registration=w.registrations[0],
        reason="评分有误",
        by=leader,
        now=selectors.appeal_deadline(w.stage) - dt.timedelta(minutes=1),
    )
    objection = services.objection_file(result_set=result_set, text="名次有误", contact="13800000000")
    second = services.stage_create(contest=w.contest, name="复赛", by=w.officer)
    services.stage_set_status(stage=second, status=Stage.Status.REGISTRATION, by=w.officer)
    self_entrant = UserFactory()
    pending = services.registration_create(stage=second, worker=w.worker(1, user=self_entrant), by=self_entrant)
    organiser = UserFactory()
    services.contest_role_grant(contest=w.contest, user=organiser, role=ContestRole.Kind.ORGANISER, by=w.officer)
    return SimpleNamespace(
        w=w,
        recheck=recheck,
        result_set=result_set,
        appeal=appeal,
        objection=objection,
        second=second,
        pending=pending,
        organiser=organiser,
        mark=Mark.objects.filter(aspect=w.aspects[0]).first(),
    )


# Per machine: the object, one declared transition with a state it leaves, the user its
# permission allows, and a user who may see the object but not fire it (403).
CASES = {
    Contest: (lambda r: r.w.contest, "open", "draft", lambda r: r.w.officer, lambda r: r.w.judges[0]),
    Stage: (lambda r: r.second, "open_checkin", "registration", lambda r: r.w.officer, lambda r: r.w.judges[0]),
    Registration: (lambda r: r.pending, "approve", "pending", lambda r: r.w.officer, lambda r: r.organiser),
    Appeal: (lambda r: r.appeal, "dismiss", "pending", lambda r: r.w.arbiter, lambda r: r.w.officer),
    ResultSet: (lambda r: r.result_set, "withdraw", "notice", lambda r: r.w.officer, lambda r: r.w.chief),
    Objection: (lambda r: r.objection, "dismiss", "open", lambda r: r.w.officer, lambda r: r.w.chief),
    Recheck: (lambda r: r.recheck, "void", "passed", lambda r: r.w.chief, lambda r: r.w.arbiter),
    Mark: (lambda r: r.mark, "reject", "entered", lambda r: r.w.judges[2], lambda r: r.w.officer),
}
CONTEST_MACHINES = {m.model: m for m in machines() if m.model._meta.app_label == "contests"}


def test_every_stateful_contests_model_has_a_machine_and_a_case_here():
    stateful = {
        m
        for m in apps.get_app_config("contests").get_models()
        if any(f.name in {"status", "state"} for f in m._meta.concrete_fields)
    }
    assert stateful == set(CONTEST_MACHINES) == set(CASES)


def _set_state(obj, machine, state):
    """Put the object in `state` behind the services' back (a final result set is chained, a
    voided mark was voided by someone other than its judge)."""
    extra = {"chain_index": 99, "content_hash": "0" * 64} if isinstance(obj, ResultSet) and state == "final" else {}
    if isinstance(obj, Mark) and state == "voided":
        extra = {"voided_by": type(obj.entered_by).objects.exclude(pk=obj.entered_by_id).first()}
    type(obj).objects.filter(pk=obj.pk).update(**{machine.field: state}, **extra)
    obj.refresh_from_db()


@pytest.mark.parametrize("model", list(CASES), ids=lambda m: m.__name__)
def test_undeclared_transitions_raise_and_change_nothing(run, model):
    machine = CONTEST_MACHINES[model]
    get, _name, _source, allowed, _denied = CASES[model]
    obj, user = get(run), allowed(run)
    for state, transition in illegal_pairs(machine):
        _set_state(obj, machine, state)
        entries = history_for(obj).count()
        with pytest.raises(TransitionError):
            machine.fire(obj, transition.name, by=user)
        assert type(obj).objects.values_list(machine.field, flat=True).get(pk=obj.pk) == state
        assert history_for(obj).count() == entries, (state, transition.name)


@pytest.mark.parametrize("model", list(CASES), ids=lambda m: m.__name__)
def test_a_declared_transition_by_the_allowed_role_works_and_is_audited(run, model):
    machine = CONTEST_MACHINES[model]
    get, name, source, allowed, _denied = CASES[model]
    obj = get(run)
    _set_state(obj, machine, source)
    machine.fire(obj, name, by=allowed(run))
    target = machine.get(name).target
    assert type(obj).objects.values_list(machine.field, flat=True).get(pk=obj.pk) == target
    entry = history_for(obj).first()
    assert entry.action == machine.action_code(machine.get(name)) and entry.actor == allowed(run)
    assert entry.before == {machine.field: source} and entry.after[machine.field] == target


@pytest.mark.parametrize("model", list(CASES), ids=lambda m: m.__name__)
def test_a_role_that_sees_but_may_not_act_is_forbidden(run, model):
    machine = CONTEST_MACHINES[model]
    get, name, source, _allowed, denied = CASES[model]
    obj = get(run)
    _set_state(obj, machine, source)
    entries = history_for(obj).count()
    with pytest.raises(Forbidden):
        machine.fire(obj, name, by=denied(run))
    assert type(obj).objects.values_list(machine.field, flat=True).get(pk=obj.pk) == source
    assert history_for(obj).count() == entries


# --- the services move state only through the machines -----------------------------------------


def _refused(call, obj, field="status"):
    """`call` raises a ValidationError (TransitionError or a rule) and changes nothing."""
    model = type(obj)
    before = model.objects.values_list(field, flat=True).get(pk=obj.pk)
    entries = history_for(obj).count()
    with pytest.raises(ValidationError):
        call()
    assert model.objects.values_list(field, flat=True).get(pk=obj.pk) == before
    assert history_for(obj).count() == entries


def test_services_refuse_undeclared_moves(run):
    w = run.w
    services.contest_set_status(contest=w.contest, status=Contest.Status.RUNNING, by=w.officer)
    _refused(lambda: services.contest_set_status(contest=w.contest, status="draft", by=w.officer), w.contest)
    _refused(lambda: services.contest_update(contest=w.contest, status="open", by=w.officer), w.contest)
    # By hand a stage only opens and closes registration and check-in; the draw seals it.
    _refused(lambda: services.stage_set_status(stage=run.second, status="marking", by=w.officer), run.second)
    _refused(lambda: services.stage_set_status(stage=w.stage, status="final", by=w.officer), w.stage)
    _refused(lambda: services.stage_set_status(stage=w.stage, status="planned", by=w.officer), w.stage)
    approved = w.registrations[1]
    _refused(lambda: services.registration_decide(registration=approved, approve=True, by=w.officer), approved)
    # A checked-in competitor cannot withdraw (the transition's guard).
    _refused(lambda: services.registration_withdraw(registration=approved, by=w.officer), approved)
    services.appeal_rule(appeal=run.appeal, upheld=False, ruling="维持原评分", by=w.arbiter)
    _refused(lambda: services.appeal_rule(appeal=run.appeal, upheld=True, ruling="改判", by=w.arbiter), run.appeal)
    services.objection_resolve(objection=run.objection, upheld=False, response="经核实无误", by=w.officer)
    _refused(
        lambda: services.objection_resolve(objection=run.objection, upheld=True, response="x", by=w.officer),
        run.objection,
    )
    _refused(lambda: services.recheck_complete(recheck=run.recheck, by=w.chief), run.recheck)
    _refused(lambda: services.mark_confirm(mark=run.mark, by=w.judges[2]), run.mark)
    rs = services.result_set_finalise(
        result_set=run.result_set, by=w.officer, now=run.result_set.notice_until + dt.timedelta(seconds=1)
    )
    _refused(lambda: services.result_set_withdraw(result_set=rs, reason="更正", by=w.officer), rs)
    _refused(lambda: services.result_set_finalise(result_set=rs, by=w.officer), rs)
    w.stage.refresh_from_db()
    assert w.stage.status == Stage.Status.FINAL


def test_services_fire_the_transitions(run):
    w = run.w
    services.registration_decide(registration=run.pending, approve=True, by=w.officer)
    assert history_for(run.pending).filter(action="registration.approve").exists()
    services.stage_set_status(stage=run.second, status=Stage.Status.CHECKIN, by=w.officer)
    assert history_for(run.second).first().action == "stage.open_checkin"
    services.result_set_withdraw(result_set=run.result_set, reason="异议成立，更正后重新公示", by=w.officer)
    run.result_set.refresh_from_db()
    w.stage.refresh_from_db()
    run.recheck.refresh_from_db()
    assert (run.result_set.status, w.stage.status, run.recheck.status) == ("withdrawn", "revealed", "failed")
    assert [e.action for e in history_for(run.recheck)[:1]] == ["recheck.void"]
    assert history_for(w.stage).first().action == "stage.withdraw_results"


def test_the_permission_of_each_service_refuses_with_403(run):
    w = run.w
    with pytest.raises(Forbidden):  # an organiser sees the registration, the sending union decides
        services.registration_decide(registration=run.pending, approve=True, by=run.organiser)
    with pytest.raises(Forbidden):
        services.appeal_rule(appeal=run.appeal, upheld=False, ruling="x", by=w.officer)
    with pytest.raises(Forbidden):
        services.stage_set_status(stage=run.second, status="checkin", by=w.judges[0])
    with pytest.raises(Forbidden):
        services.contest_set_status(contest=w.contest, status="open", by=w.chief)
    with pytest.raises(Forbidden):
        services.recheck_start(stage=w.stage, by=w.arbiter)
    assert Registration.objects.get(pk=run.pending.pk).status == "pending"
    assert Appeal.objects.get(pk=run.appeal.pk).status == "pending"

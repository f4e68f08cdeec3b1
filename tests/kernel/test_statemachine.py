"""Declared state machines: every illegal step refused, firing by name or target, guards,
permissions, steps of the system, one audit entry per transition, and row locking."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from deltaunion.core import statemachine
from deltaunion.core.audit import describe, history_for
from deltaunion.core.permissions import Forbidden, refusal
from deltaunion.core.statemachine import ANY, StateMachine, Transition, TransitionError, illegal_pairs, machines
from deltaunion.workplans.models import KeyTask
from deltaunion.workplans.tests.factories import KeyTaskFactory

S = KeyTask.Status
MACHINES = machines()
ILLEGAL = [(m, state, t) for m in MACHINES for state, t in illegal_pairs(m)]


def test_the_apps_declare_machines():
    assert any(m.model is KeyTask and m.field == "status" for m in MACHINES)
    for m in MACHINES:
        assert m.transitions, m
        for t in m.transitions:
            assert str(t.label), f"{m.model.__name__}.{t.name} has no label"


@pytest.mark.parametrize(
    ("machine", "state", "transition"),
    ILLEGAL,
    ids=[f"{m.model.__name__}.{t.name}@{state}" for m, state, t in ILLEGAL],
)
def test_every_illegal_step_is_refused(machine, state, transition):
    with pytest.raises(TransitionError) as exc:
        machine.check(state, transition)
    assert exc.value.messages and machine.state_label(state) in exc.value.messages[0]


@pytest.mark.parametrize("machine", MACHINES, ids=[m.model.__name__ for m in MACHINES])
def test_every_legal_step_passes_the_check(machine):
    illegal = {(s, t.name) for s, t in illegal_pairs(machine)}
    for state in machine.states():
        for t in machine.transitions:
            if (state, t.name) not in illegal:
                machine.check(state, t)  # does not raise
                assert t in machine.allowed_from(state)


# --- firing ----------------------------------------------------------------------------------------


@pytest.fixture
def task(tree):
    return KeyTaskFactory(lead_org=tree.hz, title="杭州牵头的任务")


def _status(task) -> str:
    return KeyTask.objects.get(pk=task.pk).status


def test_fire_by_name_and_by_target_state(task, users):
    KeyTask.workflow.fire(task, "start", by=users.hz_officer)
    assert task.status == _status(task) == S.IN_PROGRESS
    KeyTask.workflow.fire(task, to=S.DONE, by=users.hz_officer, note="验收")
    assert _status(task) == S.DONE
    assert [e.action for e in history_for(task)] == ["key_task.complete", "key_task.start"]
    assert history_for(task).first().note == "验收"


def test_each_transition_is_one_audit_entry_with_its_label(task, users):
    KeyTask.workflow.fire(task, "cancel", by=users.hz_officer)
    KeyTask.workflow.fire(task, "restore", by=users.hz_officer)
    items = describe(history_for(task))
    assert [i.action for i in items] == [
        str(KeyTask.workflow.get("restore").label),
        str(KeyTask.workflow.get("cancel").label),
    ]
    assert [(c.before, c.after) for c in items[0].changes] == [
        (KeyTask.workflow.state_label(S.CANCELLED), KeyTask.workflow.state_label(S.PLANNED))
    ]
    assert all(i.actor == users.hz_officer.full_name for i in items)


@pytest.mark.parametrize(("name", "to"), [("reopen", None), (None, S.DONE), (None, S.CANCELLED)])
def test_an_illegal_fire_changes_nothing(task, users, name, to):
    KeyTask.workflow.fire(task, "start", by=users.hz_officer)
    if to == S.DONE:
        KeyTask.objects.filter(pk=task.pk).update(status=S.CANCELLED)  # cancelled → done is not declared
    if to == S.CANCELLED:
        KeyTask.objects.filter(pk=task.pk).update(status=S.DONE)  # done → cancelled is not declared
    before = _status(task)
    with pytest.raises(TransitionError):
        KeyTask.workflow.fire(task, name, to=to, by=users.hz_officer)
    assert _status(task) == before
    assert history_for(task).count() == 1


def test_fire_reads_the_state_from_the_row_not_the_instance(task, users):
    stale = KeyTask.objects.get(pk=task.pk)
    KeyTask.workflow.fire(task, "start", by=users.hz_officer)
    # `stale` still says planned; the row says in progress, so starting again is refused.
    with pytest.raises(TransitionError):
        KeyTask.workflow.fire(stale, "start", by=users.hz_officer)
    assert history_for(task).count() == 1


def test_fire_needs_a_name_or_a_target(task, users):
    with pytest.raises(TypeError):
        KeyTask.workflow.fire(task, by=users.hz_officer)
    with pytest.raises(KeyError):
        KeyTask.workflow.fire(task, "no_such_step", by=users.hz_officer)


@pytest.mark.parametrize("who", ["sz_officer", "worker", "zj_judge", "nobody"])
def test_the_transitions_permission_refuses_with_its_message(task, users, who):
    with pytest.raises(Forbidden) as exc:
        KeyTask.workflow.fire(task, "start", by=getattr(users, who))
    assert str(exc.value) == refusal("workplans.manage_task")
    assert _status(task) == S.PLANNED
    assert not history_for(task).exists()


def test_available_lists_what_the_user_may_fire_now(task, users):
    assert {t.name for t in KeyTask.workflow.available(task, users.hz_officer)} == {"start", "complete", "cancel"}
    assert KeyTask.workflow.available(task, users.sz_officer) == []
    assert dict(KeyTask.workflow.choices(task, users.hz_officer)) == {
        S.IN_PROGRESS: KeyTask.workflow.state_label(S.IN_PROGRESS),
        S.DONE: KeyTask.workflow.state_label(S.DONE),
        S.CANCELLED: KeyTask.workflow.state_label(S.CANCELLED),
    }


# --- guards and steps of the system: a machine of the test's own on the same model ---------------------


def _needs_a_title(task):
    return "A key task needs a title" if not task.title.strip() else None  # a guard's reason (no catalogue here)


@pytest.fixture
def test_machine():
    machine = StateMachine(
        KeyTask,
        "status",
        action="kernel_test_task",
        transitions=[
            Transition("finish", [S.IN_PROGRESS], S.DONE, "finished (test)", "workplans.manage_task", _needs_a_title),
            Transition("expire", ANY, S.CANCELLED, "expired (test)", None),
        ],
    )
    yield machine
    statemachine._MACHINES.remove(machine)


def test_a_guard_refuses_with_its_reason_and_changes_nothing(test_machine, task, users, english):
    KeyTask.objects.filter(pk=task.pk).update(status=S.IN_PROGRESS, title=" ")
    task.refresh_from_db()
    assert test_machine.available(task, users.hz_officer) == []  # the guard hides the button too
    with pytest.raises(TransitionError) as exc:
        test_machine.fire(task, "finish", by=users.hz_officer)
    assert exc.value.messages == ["A key task needs a title"]
    assert _status(task) == S.IN_PROGRESS and not history_for(task).exists()
    KeyTask.objects.filter(pk=task.pk).update(title="有标题")
    task.refresh_from_db()
    test_machine.fire(task, "finish", by=users.hz_officer)
    assert _status(task) == S.DONE


def test_a_step_of_the_system_is_not_taken_by_hand(test_machine, task, users):
    with pytest.raises(TransitionError):
        test_machine.fire(task, "expire", by=users.superuser)
    assert _status(task) == S.PLANNED
    test_machine.fire(task, "expire", by=None, system=True, note="到期")
    assert _status(task) == S.CANCELLED
    [item] = describe(history_for(task))
    assert (item.actor, item.action, item.note) == ("系统", "expired (test)", "到期")


def test_system_skips_the_permission_not_the_declaration(test_machine, task, users):
    # A system step may be taken for anyone, but never from a state that does not allow it.
    test_machine.fire(task, "expire", by=users.nobody, system=True)
    with pytest.raises(TransitionError):
        test_machine.fire(task, "finish", by=None, system=True)  # cancelled → done is not declared
    assert _status(task) == S.CANCELLED


def test_changes_are_saved_with_the_transition_and_audited(task, users):
    KeyTask.workflow.fire(task, "start", by=users.hz_officer, changes={"lead_note": "提前启动"})
    fresh = KeyTask.objects.get(pk=task.pk)
    assert (fresh.status, fresh.lead_note) == (S.IN_PROGRESS, "提前启动")
    entry = history_for(task).get()
    assert entry.after == {"status": S.IN_PROGRESS, "lead_note": "提前启动"}


def test_a_locked_fire_takes_the_state_the_caller_read_under_its_lock(task, users):
    with transaction.atomic():
        mine = KeyTask.objects.select_for_update().get(pk=task.pk)
        KeyTask.workflow.fire(mine, "start", by=users.hz_officer, locked=True, changes={"lead_note": "提前启动"})
    fresh = KeyTask.objects.get(pk=task.pk)
    assert (fresh.status, fresh.lead_note) == (S.IN_PROGRESS, "提前启动")
    entry = history_for(task).get()  # the same audit entry as an unlocked fire writes
    assert (entry.action, entry.before) == ("key_task.start", {"status": S.PLANNED})
    assert entry.after == {"status": S.IN_PROGRESS, "lead_note": "提前启动"}


def test_a_locked_fire_checks_the_step_and_the_permission(task, users):
    with transaction.atomic():
        mine = KeyTask.objects.select_for_update().get(pk=task.pk)
        with pytest.raises(Forbidden):
            KeyTask.workflow.fire(mine, "start", by=users.worker, locked=True)
    with transaction.atomic():
        mine = KeyTask.objects.select_for_update().get(pk=task.pk)
        with pytest.raises(TransitionError):
            KeyTask.workflow.fire(mine, "reopen", by=users.hz_officer, locked=True)
    assert _status(task) == S.PLANNED
    assert not history_for(task).exists()


@pytest.mark.django_db(transaction=True)
def test_a_locked_fire_needs_the_callers_transaction():
    # Outside a transaction there is no lock to hold: refused before anything is read or written.
    assert not connection.in_atomic_block
    with pytest.raises(TypeError):
        KeyTask.workflow.fire(KeyTask(title="未保存"), "start", by=None, locked=True)


def test_a_machine_must_name_known_states_and_distinct_steps():
    with pytest.raises(ValueError):
        StateMachine(KeyTask, "status", transitions=[Transition("x", [S.PLANNED], "nowhere", "x")])
    with pytest.raises(ValueError):
        StateMachine(
            KeyTask,
            "status",
            transitions=[Transition("x", [S.PLANNED], S.DONE, "x"), Transition("x", [S.DONE], S.PLANNED, "y")],
        )


# --- concurrency -------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_fires_on_one_row_make_exactly_one_transition(tree, users):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks (select_for_update is a no-op there)")
    task = KeyTaskFactory(lead_org=tree.hz, title="并发测试")
    barrier = threading.Barrier(4)
    outcomes: list[str] = []
    lock = threading.Lock()

    def fire() -> None:
        try:
            barrier.wait()
            mine = KeyTask.objects.get(pk=task.pk)  # each thread its own instance, all saying "planned"
            KeyTask.workflow.fire(mine, to=S.IN_PROGRESS, by=users.hz_officer)
            result = "fired"
        except TransitionError:
            result = "refused"
        except Exception as exc:  # reported by the assertion below
            result = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=fire) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["fired", "refused", "refused", "refused"]
    assert _status(task) == S.IN_PROGRESS
    assert history_for(task).filter(action="key_task.start").count() == 1

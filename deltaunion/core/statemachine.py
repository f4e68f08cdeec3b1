"""Declared state machines: the only way a stateful model changes state.

A model declares its machine next to its states:

    class Quiz(models.Model):
        class Status(models.TextChoices): ...
        status = models.CharField(...)

    Quiz.workflow = StateMachine(
        Quiz, "status", action="quiz",
        transitions=[
            Transition("open", source=[Quiz.Status.DRAFT], target=Quiz.Status.OPEN,
                       label=_("opened"), permission="practice.manage_quiz"),
            ...
        ],
    )

and services fire it: `Quiz.workflow.fire(quiz, "open", by=user)` (or `to=Quiz.Status.OPEN`).
A transition names the permission whose predicate decides who may fire it (tested against
the object; `None` for steps only the system takes, such as a derived status). An illegal
transition is a `TransitionError` (a `ValidationError`: 400 in the API, a message on pages)
and changes nothing; every fired transition writes one audit entry, labelled with the
transition's label. `model_update` refuses to write a machine's field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from deltaunion.core import permissions
from deltaunion.core.audit import log_action, register_actions

ANY = "*"


class TransitionError(ValidationError):
    """The transition is not allowed from the object's current state (or a guard refused it)."""


@dataclass(frozen=True)
class Transition:
    name: str
    source: Sequence[str] | str
    target: str
    label: str | Promise
    permission: str | None = None
    # A guard returns a message (why not) or None; it sees the locked object.
    guard: Callable[[Any], str | Promise | None] | None = None

    def leaves(self, state: str) -> bool:
        return self.source == ANY or state in self.sources

    @property
    def sources(self) -> tuple[str, ...]:
        return (ANY,) if self.source == ANY else tuple(self.source)


_MACHINES: list[StateMachine] = []


@dataclass
class StateMachine:
    model: type[models.Model]
    field: str
    transitions: Sequence[Transition]
    action: str = ""
    extra_update_fields: tuple[str, ...] = field(default=())
    # Called as on_fired(obj, transition, by) after each fired transition, in its transaction:
    # a state another machine derives from this one follows it there (a contest its stages).
    on_fired: Callable[[Any, Transition, Any], None] | None = None

    def __post_init__(self) -> None:
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.model.__name__}: transition names repeat")
        states = set(self.states())
        for t in self.transitions:
            if t.target not in states or any(s != ANY and s not in states for s in t.sources):
                raise ValueError(f"{self.model.__name__}.{t.name}: unknown state")
        self.action = self.action or self.model._meta.model_name
        register_actions({self.action_code(t): t.label for t in self.transitions})
        _MACHINES.append(self)

    # --- reading ---------------------------------------------------------------------------

    def states(self) -> list[str]:
        return [value for value, _label in self.model._meta.get_field(self.field).choices]

    def state_label(self, state: str) -> str:
        return str(dict(self.model._meta.get_field(self.field).choices).get(state, state))

    def action_code(self, t: Transition) -> str:
        return f"{self.action}.{t.name}"

    def get(self, name: str) -> Transition:
        for t in self.transitions:
            if t.name == name:
                return t
        raise KeyError(f"{self.model.__name__} has no transition {name!r}")

    def find(self, state: str, target: str) -> Transition | None:
        for t in self.transitions:
            if t.target == target and t.leaves(state):
                return t
        return None

    def allowed_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if t.leaves(state)]

    def check(self, state: str, transition: Transition) -> None:
        """TransitionError unless `transition` may leave `state` (no permission check)."""
        if not transition.leaves(state):
            raise TransitionError(
                _("This cannot be done now: it is “%(state)s”, and “%(action)s” is not possible from there")
                % {"state": self.state_label(state), "action": transition.label}
            )

    def available(self, obj: Any, user: Any) -> list[Transition]:
        """What the user may fire now (for the buttons of a page)."""
        state = getattr(obj, self.field)
        return [
            t
            for t in self.allowed_from(state)
            if t.permission is not None and permissions.can(user, t.permission, obj) and not _guard_says(t, obj)
        ]

    def choices(self, obj: Any, user: Any) -> list[tuple[str, str]]:
        """(target state, its label) for each transition the user may fire now: a page's select."""
        return [(t.target, self.state_label(t.target)) for t in self.available(obj, user)]

    # --- writing ---------------------------------------------------------------------------

    def fire(
        self,
        obj: Any,
        name: str | None = None,
        *,
        to: str | None = None,
        by: Any,
        note: str = "",
        system: bool = False,
        changes: dict[str, Any] | None = None,
        locked: bool = False,
    ) -> Any:
        """Move `obj` along transition `name` (or to state `to`). Locks the row, re-reads the
        state, checks source, permission (unless `system`) and guard, saves, audits.

        `changes` are further fields set in the same save (a timestamp, a reason); they are
        part of the audit entry.

        `locked=True` is for a service that already holds the row's lock in its own transaction
        and read `obj` under it (`select_for_update`): the state is taken from `obj` instead of
        being locked and read again, and no savepoint is made — a failure rolls back the
        caller's whole transaction. The checks, the save and the audit entry are the same."""
        if locked and not transaction.get_connection().in_atomic_block:
            raise TypeError("fire(locked=True) needs the caller's transaction that holds the row's lock")
        with transaction.atomic(savepoint=not locked):
            if locked:
                current = getattr(obj, self.field)
            else:
                manager = type(obj)._default_manager
                current = manager.select_for_update().values_list(self.field, flat=True).get(pk=obj.pk)
            if name is not None:
                t = self.get(name)
            else:
                if to is None:
                    raise TypeError("fire() needs a transition name or a target state")
                t = self.find(current, to)
                if t is None:
                    raise TransitionError(
                        _("“%(a)s” cannot change to “%(b)s”")
                        % {"a": self.state_label(current), "b": self.state_label(to)}
                    )
            self.check(current, t)
            if not system:
                if t.permission is None:
                    raise TransitionError(_("This step is taken by the system, not by hand"))
                permissions.require(by, t.permission, obj)
            setattr(obj, self.field, current)
            reason = _guard_says(t, obj)
            if reason:
                raise TransitionError(str(reason))
            setattr(obj, self.field, t.target)
            extra = dict(changes or {})
            for key, value in extra.items():
                setattr(obj, key, value)
            update = [self.field, *extra.keys(), *self._timestamps(obj)]
            obj.save(update_fields=list(dict.fromkeys(update)))
            log_action(
                actor=by,
                action=self.action_code(t),
                obj=obj,
                before={self.field: current},
                after={self.field: t.target, **extra},
                note=note,
            )
            if self.on_fired is not None:
                self.on_fired(obj, t, by)
        return obj

    def _timestamps(self, obj: Any) -> list[str]:
        names = {f.name for f in obj._meta.concrete_fields}
        return [n for n in ("updated_at", *self.extra_update_fields) if n in names]


def _guard_says(t: Transition, obj: Any) -> str | Promise | None:
    return t.guard(obj) if t.guard is not None else None


def machines() -> list[StateMachine]:
    return list(_MACHINES)


def machine_fields(model: type[models.Model]) -> set[str]:
    return {m.field for m in _MACHINES if issubclass(model, m.model)}


def illegal_pairs(machine: StateMachine) -> Iterable[tuple[str, Transition]]:
    """Every (state, transition) the machine must refuse: what the tests walk."""
    for state in machine.states():
        for t in machine.transitions:
            if not t.leaves(state):
                yield state, t

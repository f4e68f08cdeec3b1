"""A key task's state, computed on read from what fulfils it and from its deadline.

Every app registers what it can link to a key task and how it counts (`DomainApp.key_task_evidence`,
collected by `core.registry.key_task_evidence`): contests held, routes published against the 30
required, workers sent against the 3,000 targets, mechanisms set up, honours named. From that:

- 已完成 when every piece of evidence is complete;
- 逾期 when the deadline (the task's own, else the end of its plan's year) has passed without that;
- 进行中 when something has been done (with a progress figure and what it was computed from);
- 未开始 otherwise.

An officer may set the state by hand (in progress, done, cancelled) through the state machine,
with a reason kept on the task and in the audit log; that decision is shown as such, beside
the computed figure. Computing on read keeps the state true on today's date without a job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from deltaunion.core.registry import Evidence, key_task_evidence
from deltaunion.workplans.models import KeyTask

NOT_STARTED, IN_PROGRESS, DONE, OVERDUE, CANCELLED = "not_started", "in_progress", "done", "overdue", "cancelled"
STATES = (
    (DONE, pgettext_lazy("key task state", "Done")),
    (IN_PROGRESS, pgettext_lazy("key task state", "In progress")),
    (NOT_STARTED, pgettext_lazy("key task state", "Not started")),
    (OVERDUE, pgettext_lazy("key task state", "Overdue")),
    (CANCELLED, pgettext_lazy("key task state", "Cancelled")),
)
LABELS = dict(STATES)
COUNTED = (DONE, IN_PROGRESS, NOT_STARTED, OVERDUE)


@dataclass
class EvidenceLine:
    label: str
    done: Any
    target: Any
    complete: bool
    url: str
    percent: int | None


@dataclass
class TaskState:
    code: str
    percent: int | None
    evidence: list[EvidenceLine] = field(default_factory=list)
    deadline: dt.date | None = None
    deadline_from_plan_year: bool = False
    set_by_hand: bool = False
    reason: str = ""
    computed_code: str = ""

    @property
    def label(self) -> str:
        return str(LABELS[self.code])

    @property
    def computed_label(self) -> str:
        return str(LABELS[self.computed_code])

    @property
    def basis(self) -> str:
        """What the state was computed from, in one sentence."""
        parts = []
        if self.evidence:
            parts.extend(f"{e.label} {_figure(e)}".strip() for e in self.evidence)
        else:
            parts.append(_("no activity on the platform is linked to this task"))
        if self.deadline:
            if self.deadline_from_plan_year:
                parts.append(_("deadline: end of the plan's year (%(d)s)") % {"d": self.deadline.isoformat()})
            else:
                parts.append(_("deadline: %(d)s") % {"d": self.deadline.isoformat()})
        if self.percent is not None:
            parts.append(_("progress %(p)s%%") % {"p": self.percent})
        return _("; ").join(parts)


def _figure(e: EvidenceLine) -> str:
    if e.target not in (None, ""):
        return f"{e.done}/{e.target}"
    if e.complete:
        return str(_("complete"))
    return str(e.done) if e.done not in (None, "") else ""


def _percent(done: Any, target: Any, complete: bool) -> int | None:
    if complete:
        return 100
    if target in (None, "", 0):
        return None
    ratio = min(Decimal(str(done or 0)) / Decimal(str(target)), Decimal(1))
    return int((ratio * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _reached(done: Any, target: Any) -> bool:
    """A figure that reached its target is complete (e.g. 30 of the 30 routes required)."""
    try:
        return target not in (None, "", 0) and Decimal(str(done or 0)) >= Decimal(str(target))
    except ArithmeticError:
        return False


def deadline_of(task: KeyTask) -> tuple[dt.date | None, bool]:
    """The task's own deadline, else the last day of its plan's year (a yearly plan)."""
    if task.deadline:
        return task.deadline, False
    year = getattr(getattr(task, "plan", None), "year", None)
    return (dt.date(year, 12, 31), True) if year else (None, False)


def task_state(task: KeyTask, *, today: dt.date | None = None, evidence: Iterable[Evidence] | None = None) -> TaskState:
    today = today or timezone.localdate()
    items = list(key_task_evidence(task) if evidence is None else evidence)
    lines = []
    for e in items:
        complete = bool(e.complete) or _reached(e.done, e.target)
        lines.append(
            EvidenceLine(
                label=str(e.label),
                done=e.done,
                target=e.target,
                complete=complete,
                url=e.url,
                percent=_percent(e.done, e.target, complete),
            )
        )
    figures = [line.percent for line in lines if line.percent is not None]
    percent = round(sum(figures) / len(figures)) if figures else None
    deadline, from_year = deadline_of(task)
    if lines and all(line.complete for line in lines):
        computed = DONE
    elif deadline and today > deadline:
        computed = OVERDUE
    elif any(line.complete or (line.done not in (None, "", 0)) for line in lines):
        computed = IN_PROGRESS
    else:
        computed = NOT_STARTED
    state = TaskState(
        code=computed,
        percent=percent,
        evidence=lines,
        deadline=deadline,
        deadline_from_plan_year=from_year,
        computed_code=computed,
    )
    stored = {
        KeyTask.Status.IN_PROGRESS: IN_PROGRESS,
        KeyTask.Status.DONE: DONE,
        KeyTask.Status.CANCELLED: CANCELLED,
    }.get(task.status)
    if stored:
        state.code, state.set_by_hand, state.reason = stored, True, task.status_reason
    return state


@dataclass
class Tally:
    """How many tasks are in each state (done, in progress, not started, overdue, cancelled)."""

    counts: dict[str, int] = field(default_factory=lambda: {code: 0 for code, _label in STATES})

    def add(self, code: str) -> None:
        self.counts[code] = self.counts.get(code, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict[str, int]:
        return {**self.counts, "total": self.total}


def lead_label(task: KeyTask) -> str:
    """Who leads the task as the seed gives it, or 未明确 when it names no one."""
    if task.lead_org_id:
        return task.lead_org.name
    if task.lead_alliance_id:
        return task.lead_alliance.name
    return task.lead_note or str(_("Not specified"))

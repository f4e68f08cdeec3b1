from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from deltaunion.core.permissions import require
from deltaunion.workplans.models import KeyTask


def key_task_set_status(*, task: KeyTask, status: str, by: Any, note: str = "") -> KeyTask:
    """An officer's decision on a key task's state, through its declared transitions (403 for
    those who may see the task but not manage it; setting the state it already has changes
    nothing). Setting a state by hand (in progress, done, cancelled) needs a reason, kept on
    the task and in the audit entry; "planned" hands the state back to the computation from
    the evidence and the deadline (`workplans.progress.task_state`)."""
    if status not in KeyTask.Status.values:
        raise ValidationError(_("Unknown status: %(s)s") % {"s": status})
    require(by, "workplans.manage_task", task)
    if task.status == status:
        return task
    note = (note or "").strip()
    if status != KeyTask.Status.PLANNED and not note:
        raise ValidationError(_("Give the reason for setting the state by hand"))
    reason = note[:500] if status != KeyTask.Status.PLANNED else ""
    return KeyTask.workflow.fire(task, to=status, by=by, note=note, changes={"status_reason": reason})

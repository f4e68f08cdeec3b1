from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from deltaunion.core.permissions import require
from deltaunion.workplans.models import KeyTask


def key_task_set_status(*, task: KeyTask, status: str, by: Any, note: str = "") -> KeyTask:
    """Move a key task to `status` through its declared transitions (403 for those who may
    see the task but not manage it; setting the status it already has changes nothing)."""
    if status not in KeyTask.Status.values:
        raise ValidationError(_("Unknown status: %(s)s") % {"s": status})
    require(by, "workplans.manage_task", task)
    if task.status == status:
        return task
    return KeyTask.workflow.fire(task, to=status, by=by, note=note)

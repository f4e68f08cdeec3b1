from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from deltaunion.core.audit import log_action
from deltaunion.orgs.models import Organisation, Role
from deltaunion.orgs.scoping import scope_for
from deltaunion.workplans.models import KeyTask


def key_task_can_manage(*, task: KeyTask, user: Any) -> bool:
    """The lead organisation's officers manage a task; a joint task (no single lead) belongs
    to the administrators of the provincial federations together."""
    scope = scope_for(user)
    if task.lead_org_id:
        return scope.manages(task.lead_org)
    if scope.is_superuser:
        return True
    provincial_paths = set(
        Organisation.objects.filter(kind=Organisation.Kind.PROVINCIAL).values_list("path", flat=True)
    )
    return any(r == Role.FEDERATION_ADMIN and p in provincial_paths for r, p in scope.roles)


@transaction.atomic
def key_task_set_status(*, task: KeyTask, status: str, by: Any, note: str = "") -> KeyTask:
    if not key_task_can_manage(task=task, user=by):
        raise Http404("not found")
    if status not in KeyTask.Status.values:
        raise ValidationError(_("Unknown status: %(s)s") % {"s": status})
    task = KeyTask.objects.select_for_update().get(pk=task.pk)
    if task.status == status:
        return task
    before = {"status": task.status}
    task.status = status
    task.save(update_fields=["status", "updated_at"])
    log_action(actor=by, action="key_task.status", obj=task, before=before, after={"status": status}, note=note)
    return task

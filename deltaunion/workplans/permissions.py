"""Who may do what with work plans and key tasks."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from deltaunion.core.permissions import define, memo, predicate
from deltaunion.orgs.models import Organisation, Role
from deltaunion.orgs.scoping import scope_for


@predicate
def manages_key_task(user: Any, task: Any) -> bool:
    """The lead organisation's officers manage a task; a joint task (no single lead) belongs
    to the administrators of the provincial federations together."""
    scope = scope_for(user)
    if task is None:
        return False
    if task.lead_org_id:
        return scope.manages(task.lead_org)
    if scope.is_superuser:
        return True
    provincial = memo(
        user,
        "workplans.provincial_paths",
        lambda: set(Organisation.objects.filter(kind=Organisation.Kind.PROVINCIAL).values_list("path", flat=True)),
    )
    return any(r == Role.FEDERATION_ADMIN and p in provincial for r, p in scope.roles)


define(
    "workplans.manage_task",
    manages_key_task,
    refusal=_("Only the lead organisation of this key task (for a joint task, a provincial federation) may change it"),
)

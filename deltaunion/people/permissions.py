"""Who may do what with workers' records."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from deltaunion.core.permissions import define, predicate
from deltaunion.orgs.scoping import scope_for


@predicate
def manages_some_organisation(user: Any) -> bool:
    return scope_for(user).is_manager


define(
    "people.view_worker_list",
    manages_some_organisation,
    refusal=_("The list of workers is for the officers of their unions"),
)

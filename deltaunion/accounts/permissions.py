"""Who may do what with accounts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from deltaunion.core.permissions import define, predicate
from deltaunion.orgs.scoping import scope_for


@predicate
def holds_office(user: Any) -> bool:
    """Officers, federation administrators and superusers: the people who connect systems."""
    return scope_for(user).is_manager


define(
    "accounts.use_api_tokens",
    holds_office,
    refusal=_("API tokens are for union officers who connect other systems to the platform"),
)

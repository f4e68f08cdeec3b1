"""Who may do what with accounts and their API tokens."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from deltaunion.core.permissions import define, is_superuser, predicate
from deltaunion.orgs.scoping import scope_for


@predicate
def holds_office(user: Any) -> bool:
    """Officers, federation administrators and superusers: the people who connect systems."""
    return scope_for(user).is_manager


@predicate
def is_same_user(user: Any, other: Any) -> bool:
    return other is not None and getattr(user, "is_authenticated", False) and other.pk == user.pk


@predicate
def owns_token(user: Any, token: Any) -> bool:
    return token is not None and getattr(user, "is_authenticated", False) and token.user_id == user.pk


define(
    "accounts.use_api_tokens",
    holds_office,
    refusal=_("API tokens are for union officers who connect other systems to the platform"),
)
define(
    "accounts.create_api_token",
    is_same_user | is_superuser,
    refusal=_("An API token is created by the person it belongs to"),
)
define(
    "accounts.revoke_api_token",
    owns_token | is_superuser,
    refusal=_("Only the owner of an API token may revoke it"),
)

"""Reads of accounts and their tokens, scoped to the user who asks."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from deltaunion.accounts.models import ApiToken
from deltaunion.orgs.scoping import scope_for


def api_tokens_of(user: Any) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first (a token is its owner's alone)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_for_user_or_404(user: Any, token_id: int) -> ApiToken:
    """One of the user's tokens; someone else's is a 404, the same as a missing one."""
    return get_object_or_404(api_tokens_of(user), pk=token_id)


def user_roles(user: Any) -> list[tuple[str, str]]:
    """(role, organisation path) of every role the user holds."""
    return sorted(scope_for(user).roles)

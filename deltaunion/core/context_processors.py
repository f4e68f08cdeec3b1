"""What every page needs: the navigation from the app registry and the sign-in/out links."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from deltaunion.core.registry import NavItem
from deltaunion.core.viewer import nav_items_with_counts


def _links(request: HttpRequest, section: str) -> list[dict[str, Any]]:
    """The menu: what the viewer may open, with counts (core.viewer caches both per user)."""
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    out = []
    user = getattr(request, "user", None)
    for item, count in nav_items_with_counts(user, section):
        out.append(
            {
                "label": item.label,
                "url": reverse(item.url_name),
                "active": _is_active(item, current),
                "count": count,
            }
        )
    return out


def _is_active(item: NavItem, current: str) -> bool:
    marks = list(item.active) or [item.url_name.rsplit(":", 1)[0] + ":" if ":" in item.url_name else item.url_name]
    return any(current.startswith(m) if m.endswith(":") else current == m for m in marks)


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "nav_main": SimpleLazyObject(lambda: _links(request, "main")),
        "nav_user": SimpleLazyObject(lambda: _links(request, "user")),
        "login_url": resolve_url(settings.LOGIN_URL),
        "logout_url": resolve_url(settings.LOGOUT_URL),
    }

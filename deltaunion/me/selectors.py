"""Reads of the worker's own space: the sections of every app, and the inbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from deltaunion.core import notifications
from deltaunion.core.models import Notification
from deltaunion.core.registry import me_count, me_sections


@dataclass(frozen=True)
class Section:
    label: Any
    url: str
    count: int


def sections(user: Any) -> list[Section]:
    """Every app's part of 我的, with how many items need the worker's attention (the unread
    count from the viewer's cached record, core.viewer)."""
    from deltaunion.core import viewer

    def counted(s: Any) -> int:
        known = viewer.count(user, s.count) if s.count else None
        return known if known is not None else me_count(s, user)

    return [Section(s.label, reverse(s.url_name), counted(s)) for s in me_sections()]


def latest_unread(user: Any, n: int = 3) -> list[Notification]:
    """The user's newest unread messages, kept per user until one of their messages is written,
    read or deleted (version `inbox:<user id>`, core.viewer)."""
    from deltaunion.core import fragments

    if not getattr(user, "is_authenticated", False):
        return []
    return fragments.cached(
        "me-latest",
        (user.pk, n),
        [f"inbox:{user.pk}"],
        lambda: list(messages(user).filter(read_at__isnull=True)[:n]),
        ttl=600,
    )


def unread_count(user: Any) -> int:
    return notifications.unread_count(user)


def messages(user: Any) -> QuerySet[Notification]:
    """The user's own messages, newest first (nobody else's: the recipient is the filter)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def message_for_user_or_404(user: Any, message_id: int) -> Notification:
    from django.http import Http404

    note = messages(user).filter(pk=message_id).first()
    if note is None:
        raise Http404("not found")
    return note


def my_certificates(user: Any) -> QuerySet[Any]:
    """The certificates of the user's own awards (not revoked), newest first."""
    from deltaunion.contests.models import Certificate

    if not getattr(user, "is_authenticated", False):
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(award__worker__user=user, revoked=False)
        .select_related("award__contest", "award__result_set__stage")
        .order_by("-issued_at", "-id")
    )

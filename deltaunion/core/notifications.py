"""Notifications: a service tells a user that something happened to them (站内消息 and beyond).

    from deltaunion.core.notifications import notify

    notify(
        worker.user,
        kind="contests.registration_approved",
        title=_("Your registration is approved"),
        body=_("…"),
        url=reverse("me:contests"),
    )

`notify` is called inside the service's transaction and does its work after the commit
(`transaction.on_commit`): a rolled-back action sends nothing, and a failing channel never
breaks or blocks the action that caused it (the failure is logged and recorded as a
`Delivery`). The in-site inbox (a `Notification` row) is always written; outside channels are
adapters listed in `settings.NOTIFICATION_CHANNELS`.

A channel adapter is a class with a `name` and `send(notification) -> str` (a detail for
the delivery record; raise to report a failure). SMS and WeChat template messages are
documented adapters here, not connected: they need a provider account per deployment.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.functional import Promise
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class Channel:
    """The interface of an outside channel."""

    name = ""

    def send(self, notification: Any) -> str:
        raise NotImplementedError


class SmsChannel(Channel):
    """SMS through a provider (阿里云短信, 腾讯云短信…): not connected.

    To connect one: subclass, implement `send` with the provider's SDK — the recipient's
    `phone`, a template id per `notification.kind` and the title as its parameter — and list
    the subclass in `NOTIFICATION_CHANNELS`."""

    name = "sms"

    def send(self, notification: Any) -> str:
        raise NotImplementedError("no SMS provider is configured for this deployment")


class WeChatTemplateChannel(Channel):
    """WeChat official-account template messages: not connected.

    To connect one: the user's openid (bound at login through the official account), a
    template id per `notification.kind`, and the access token of the deployment's account."""

    name = "wechat"

    def send(self, notification: Any) -> str:
        raise NotImplementedError("no WeChat official account is configured for this deployment")


def _channels() -> list[Channel]:
    return [import_string(path)() for path in getattr(settings, "NOTIFICATION_CHANNELS", [])]


def notify(
    recipient: Any,
    *,
    kind: str,
    title: str | Promise,
    body: str | Promise = "",
    url: str = "",
) -> None:
    """Write an in-site message to `recipient` after the current transaction commits, then hand
    it to the configured channels. A user who is None (a worker without a login) gets nothing."""
    if recipient is None or getattr(recipient, "pk", None) is None:
        return
    title_text, body_text = str(title)[:200], str(body)
    recipient_id = recipient.pk

    def deliver() -> None:
        from deltaunion.core.models import Delivery, Notification

        try:
            note = Notification.objects.create(
                recipient_id=recipient_id, kind=kind[:60], title=title_text, body=body_text, url=url[:300]
            )
        except Exception:  # never break what caused it
            log.exception("notification %s to user %s was not written", kind, recipient_id)
            return
        for channel in _channels():
            try:
                detail = channel.send(note)
                status = Delivery.Status.SENT
            except NotImplementedError as exc:
                detail, status = str(exc), Delivery.Status.SKIPPED
            except Exception as exc:
                log.exception("channel %s failed for notification %s", channel.name, note.pk)
                detail, status = str(exc), Delivery.Status.FAILED
            try:
                Delivery.objects.create(
                    notification=note, channel=channel.name, status=status, detail=str(detail)[:300]
                )
            except Exception:
                log.exception("delivery record of notification %s", note.pk)

    transaction.on_commit(deliver)


def unread_count(user: Any) -> int:
    from deltaunion.core.models import Notification

    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user: Any, ids: list[int] | None = None) -> int:
    """Mark the user's messages read (all of them, or those with `ids`). Returns how many."""
    from django.utils import timezone

    from deltaunion.core import fragments
    from deltaunion.core.models import Notification

    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    n = qs.update(read_at=timezone.now())
    fragments.bump(f"inbox:{user.pk}")  # the cached unread count (core.viewer): an update sends no signal
    return n

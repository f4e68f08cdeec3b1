"""Notifications: written after the commit, never when the action rolls back, never breaking it."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from deltaunion.core.models import Delivery, Notification
from deltaunion.core.notifications import Channel, mark_read, notify, unread_count


class Exploding(Channel):
    name = "boom"

    def send(self, notification):
        raise RuntimeError("provider down")


class Recording(Channel):
    name = "rec"
    sent: list[int] = []

    def send(self, notification):
        type(self).sent.append(notification.pk)
        return "ok"


def test_a_message_is_written_after_the_commit(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(users.worker, kind="test.hello", title="报名已通过", body="请按时参赛", url="/me/")
        assert not Notification.objects.exists()  # nothing before the commit
    note = Notification.objects.get()
    assert (note.recipient, note.title, note.url) == (users.worker, "报名已通过", "/me/")
    assert unread_count(users.worker) == 1 and unread_count(users.hz_officer) == 0
    assert mark_read(users.worker) == 1 and unread_count(users.worker) == 0


def test_a_rolled_back_action_sends_nothing(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(users.worker, kind="test.hello", title="不会发出")
            raise RuntimeError("the action failed")
    assert not Notification.objects.exists()


@override_settings(
    NOTIFICATION_CHANNELS=[
        "tests.kernel.test_notifications.Exploding",
        "deltaunion.core.notifications.SmsChannel",
        "tests.kernel.test_notifications.Recording",
    ]
)
def test_a_failing_channel_never_breaks_the_action_or_the_others(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(users.worker, kind="test.hello", title="你好")
    note = Notification.objects.get()
    assert dict(Delivery.objects.values_list("channel", "status")) == {
        "boom": "failed",
        "sms": "skipped",
        "rec": "sent",
    }
    assert Recording.sent[-1] == note.pk


def test_nobody_to_notify_is_fine(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(None, kind="test.hello", title="无人")
    assert not Notification.objects.exists()

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One state change: who, when, what, and the object's fields before and after.

    `object_type` is the model label ("people.worker") and `object_id` a string so the
    log can point at any model without a generic foreign key join on every read.
    `org_path` copies the scoping path of the object's organisation at write time, so
    "history visible to this officer" is one indexed prefix query.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Actor"),
    )
    action = models.CharField(_("Operation"), max_length=80)
    object_type = models.CharField(_("Object type"), max_length=80)
    object_id = models.CharField(_("Object ID"), max_length=64)
    object_repr = models.CharField(_("Object"), max_length=255)
    org_path = models.CharField(_("Organisation path"), max_length=255, blank=True, default="")
    before = models.JSONField(_("Before"), null=True, blank=True)
    after = models.JSONField(_("After"), null=True, blank=True)
    note = models.CharField(_("Note"), max_length=500, blank=True, default="")
    created_at = models.DateTimeField(_("Time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Audit entry")
        verbose_name_plural = _("Audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-created_at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        before = self.before or {}
        after = self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class ImportJob(models.Model):
    """A large Excel import running in the background (`core.imports`): its file, progress and outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Not imported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(_("Import"), max_length=80)
    context = models.JSONField(_("Context"), default=dict)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("File name"), max_length=255, blank=True, default="")
    data = models.BinaryField(_("File"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("Steps"), default=0)
    done = models.PositiveIntegerField(_("Steps done"), default=0)
    counts = models.JSONField(_("Result"), default=dict, blank=True)
    errors = models.JSONField(_("Errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("Finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Import job")
        verbose_name_plural = _("Import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.key} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


class CounterSlot(models.Model):
    """Pending increments of a counter (`core.counters`) without Redis: 16 slots per object, so
    that concurrent likes touch different rows; `fold_counters` moves them into the object's column."""

    name = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    slot = models.PositiveSmallIntegerField()
    delta = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "object_id", "slot"], name="counter_slot_unique")]

    def __str__(self) -> str:
        return f"{self.name}:{self.object_id}:{self.slot}"


class Notification(models.Model):
    """A message to one user (站内消息), written by `core.notifications.notify`."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("Recipient")
    )
    kind = models.CharField(_("Kind"), max_length=60)
    title = models.CharField(pgettext_lazy("heading", "Title"), max_length=200)
    body = models.TextField(_("Message"), blank=True, default="")
    url = models.CharField(_("Link"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("Sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("Read at"), null=True, blank=True)

    scope_org_field = None
    scope_owner_field = "recipient"

    class Meta:
        verbose_name = _("Message")
        verbose_name_plural = _("Messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One attempt to send a notification through an outside channel (SMS, WeChat)."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not configured")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("Channel"), max_length=20)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices)
    detail = models.CharField(_("Detail"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)

    class Meta:
        verbose_name = _("Delivery")
        verbose_name_plural = _("Deliveries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.channel}: {self.status}"

"""The audit log: every state change made by a service writes one row here."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models

from deltaunion.core.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The object's concrete field values as JSON-safe data (FKs as ids)."""
    names = (
        list(fields)
        if fields is not None
        else [f.attname for f in obj._meta.concrete_fields if f.name not in {"created_at", "updated_at"}]
    )
    return {name: _plain(getattr(obj, name)) for name in names}


def object_org_path(obj: models.Model) -> str:
    """The materialised path of the organisation an object belongs to, if any."""
    path = getattr(obj, "path", None)
    if isinstance(path, str) and obj._meta.label_lower == "orgs.organisation":
        return path
    org = getattr(obj, "audit_organisation", None)
    if callable(org):
        org = org()
    if org is None:
        org = getattr(obj, "organisation", None)
    return getattr(org, "path", "") or ""


def log_action(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Write one audit row. Call it inside the service's transaction."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        org_path=object_org_path(obj),
        before=before,
        after=after,
        note=note[:500],
    )


def history_for(obj: models.Model):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")

"""The audit log: every state change made by a service writes one row here.

Actions are codes ("contest.create", "stage.reveal") registered with a translatable label by
each app's `AppConfig.audit_actions`, by state machines (one per transition) and by
`model_update` (`<model>.update`). The history users read is rendered from the stored before
and after values: verbose field names, choice labels and related objects' names, never raw
codes or ids ("张三 把 状态 从 计划中 改为 进行中"). Raw values stay in the admin.
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deltaunion.core.actions import (  # noqa: F401 (re-exported)
    GENERIC_ACTIONS,
    action_label,
    action_registered,
    register_actions,
    registered_actions,
)
from deltaunion.core.models import AuditEntry

log = logging.getLogger(__name__)


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, Promise):
        return str(value)
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
    """The materialised path of the organisation an object belongs to, if any.

    A model says where its organisation is with `audit_organisation()` or an `organisation`
    field; a model that *is* an organisation has a `path` and `is_organisation = True`."""
    if getattr(obj, "is_organisation", False):
        return getattr(obj, "path", "") or ""
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
    """Write one audit row. Call it inside the service's transaction.

    With `AUDIT_STRICT` (the tests), an unregistered action code is an error, so no code
    reaches a user's history page without a label."""
    if not action_registered(action):
        if getattr(settings, "AUDIT_STRICT", False):
            raise KeyError(f"audit action {action!r} is not registered (AppConfig.audit_actions)")
        log.warning("unregistered audit action %s", action)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        org_path=object_org_path(obj),
        before=_plain_dict(before),
        after=_plain_dict(after),
        note=(note or "")[:500],
    )


def _plain_dict(data: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if data is None else {k: _plain(v) for k, v in data.items()}


def history_for(obj: models.Model):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")


# --- readable history -------------------------------------------------------------------------


@dataclass
class Change:
    field: str  # the field's verbose name
    before: str
    after: str


@dataclass
class HistoryItem:
    entry: AuditEntry
    actor: str
    action: str
    object: str
    changes: list[Change] = field(default_factory=list)
    note: str = ""

    @property
    def when(self) -> dt.datetime:
        return self.entry.created_at


EMPTY = "—"


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    for f in model._meta.get_fields():
        if getattr(f, "attname", None) == key or f.name == key:
            return f if not f.auto_created or f.concrete else None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _field_label(model: type[models.Model] | None, key: str) -> str:
    extra = getattr(model, "audit_labels", {}) if model is not None else {}
    if key in extra:
        return str(extra[key])
    f = _field(model, key)
    if f is not None and getattr(f, "verbose_name", None):
        return str(f.verbose_name)
    return str(GENERIC_FIELD_LABELS.get(key, key.replace("_", " ")))


GENERIC_FIELD_LABELS: dict[str, Promise] = {
    "status": gettext_lazy("Status"),
    "note": gettext_lazy("Note"),
    "reason": gettext_lazy("Reason"),
    "count": gettext_lazy("Count"),
    "rows": gettext_lazy("Rows"),
}


def _choices_for(model: type[models.Model] | None, key: str) -> dict[Any, str]:
    extra = getattr(model, "audit_choices", {}) if model is not None else {}
    if key in extra:
        return {k: str(v) for k, v in extra[key]}
    f = _field(model, key)
    if f is None:
        return {}
    choices = getattr(f, "choices", None) or getattr(getattr(f, "base_field", None), "choices", None)
    return {k: str(v) for k, v in (choices or [])}


def _display_scalar(value: Any, f: models.Field | None, choices: dict[Any, str], names: dict[Any, str]) -> str:
    if value is None or value == "":
        return EMPTY
    if choices and value in choices:
        return choices[value]
    if isinstance(f, models.ForeignKey | models.OneToOneField) or (f is not None and f.many_to_many):
        return names.get(value, EMPTY if value is None else _("(removed)"))
    if isinstance(value, bool) or isinstance(f, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None:
            return value
        if timezone.is_aware(parsed):
            parsed = timezone.localtime(parsed)
        return date_format(parsed, "DATETIME_FORMAT")
    if isinstance(f, models.DateField) and isinstance(value, str):
        parsed = parse_date(value)
        return date_format(parsed, "DATE_FORMAT") if parsed else value
    if isinstance(value, dict):
        from deltaunion.core.excel import list_join

        return list_join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _display(value: Any, f: models.Field | None, choices: dict[Any, str], names: dict[Any, str]) -> str:
    if isinstance(value, list):
        if not value:
            return EMPTY
        from deltaunion.core.excel import list_join

        return list_join(_display_scalar(v, f, choices, names) for v in value)
    return _display_scalar(value, f, choices, names)


def _related_names(entries: list[AuditEntry]) -> dict[tuple[str, str], dict[Any, str]]:
    """Names of every related object the entries mention, one query per related model."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    keys: dict[tuple[str, str], type[models.Model]] = {}
    for e in entries:
        model = _model(e.object_type)
        for data in (e.before or {}, e.after or {}):
            for key, value in data.items():
                f = _field(model, key)
                if f is None or not (f.many_to_one or f.one_to_one or f.many_to_many):
                    continue
                related = f.related_model
                keys[(e.object_type, key)] = related
                for v in value if isinstance(value, list) else [value]:
                    if v is not None and not isinstance(v, dict | list):
                        wanted[related].add(v)
    fetched = {m: {pk: str(o) for pk, o in m._default_manager.in_bulk(list(ids)).items()} for m, ids in wanted.items()}
    out: dict[tuple[str, str], dict[Any, str]] = {}
    for k, related in keys.items():
        names = fetched.get(related, {})
        # JSON keeps ids as they were; match both int and str forms.
        out[k] = {**names, **{str(pk): n for pk, n in names.items()}}
    return out


def describe(entries: Iterable[AuditEntry]) -> list[HistoryItem]:
    """Audit entries as sentences a user reads."""
    entries = list(entries)
    related = _related_names(entries)
    items = []
    for e in entries:
        model = _model(e.object_type)
        before, after = e.before or {}, e.after or {}
        changes = []
        hidden = set(getattr(model, "audit_hidden", ())) if model is not None else set()
        for key in dict.fromkeys([*before.keys(), *after.keys()]):
            if key in hidden or key in {"id", "created_at", "updated_at"}:
                continue
            b, a = before.get(key), after.get(key)
            if e.before is not None and b == a:
                continue
            f = _field(model, key)
            choices = _choices_for(model, key)
            names = related.get((e.object_type, key), {})
            changes.append(
                Change(
                    field=_field_label(model, key),
                    before=_display(b, f, choices, names) if e.before is not None else "",
                    after=_display(a, f, choices, names) if e.after is not None else "",
                )
            )
        actor = e.actor
        items.append(
            HistoryItem(
                entry=e,
                actor=(getattr(actor, "full_name", "") or getattr(actor, "username", "")) if actor else _("System"),
                action=action_label(e.action),
                object=e.object_repr,
                changes=changes,
                note=e.note,
            )
        )
    return items


def history(obj: models.Model, limit: int = 100) -> list[HistoryItem]:
    """An object's history as sentences, newest first (decide who may read it before calling)."""
    return describe(history_for(obj)[:limit])

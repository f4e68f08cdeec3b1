"""Kernel services every app uses to write."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from deltaunion.core.audit import log_action
from deltaunion.core.statemachine import machine_fields


def model_update(
    *,
    instance: models.Model,
    fields: Iterable[str],
    data: Mapping[str, Any],
    by: Any,
    action: str | None = None,
    note: str = "",
) -> tuple[models.Model, bool]:
    """Set those of `fields` that `data` holds, validate them, save, and write one audit entry.

    The one way to change an object's fields: atomic, with a snapshot of the changed fields
    before and after (many-to-many fields as lists of ids). Fields outside `fields` are
    refused, as is a state field of a declared state machine (state moves by transition).
    Validation is the model's own (`full_clean` on the changed fields: lengths, choices,
    constraints), so an over-long value is an error, never silently cut.
    Returns the instance and whether anything changed; nothing changed writes nothing.
    """
    allowed = list(fields)
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(unknown)})
    locked = sorted(set(allowed) & machine_fields(type(instance)))
    if locked:
        raise ValueError(f"{type(instance).__name__}.{locked[0]} changes only through its state machine")
    meta = instance._meta
    concrete, m2m = {}, {}
    for name in allowed:
        if name not in data:
            continue
        f = meta.get_field(name)
        if f.many_to_many:
            m2m[name] = data[name]
        else:
            concrete[name] = f
    with transaction.atomic():
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for name, f in concrete.items():
            old = getattr(instance, f.attname)
            setattr(instance, name, data[name])
            new = getattr(instance, f.attname)
            if old != new:
                before[f.attname], after[f.attname] = old, new
        if before:
            exclude = _exclude_for(meta, {meta.get_field(a).name for a in before})
            try:
                instance.full_clean(exclude=exclude, validate_unique=True)
            except ValidationError:
                for attname, old in before.items():
                    setattr(instance, attname, old)
                raise
            stamp = [f.name for f in meta.concrete_fields if getattr(f, "auto_now", False)]
            instance.save(update_fields=[meta.get_field(a).name for a in before] + stamp)
        for name, values in m2m.items():
            manager = getattr(instance, name)
            old_ids = sorted(manager.values_list("pk", flat=True))
            new_ids = sorted(v.pk if isinstance(v, models.Model) else v for v in values)
            if old_ids != new_ids:
                manager.set(new_ids)
                before[name], after[name] = old_ids, new_ids
        if not before:
            return instance, False
        log_action(
            actor=by,
            action=action or f"{meta.model_name}.update",
            obj=instance,
            before=before,
            after=after,
            note=note,
        )
    return instance, True


def _exclude_for(meta: Any, changed: set[str]) -> list[str]:
    """The fields `full_clean` may skip: the unchanged ones — except the partners of a changed
    field in a unique constraint, so that (parent, name) is checked when only the name changed."""
    keep = set(changed)
    groups = [set(g) for g in meta.unique_together]
    groups += [set(c.fields) for c in meta.constraints if isinstance(c, models.UniqueConstraint) and c.fields]
    for group in groups:
        if group & changed:
            keep |= group
    return [f.name for f in meta.concrete_fields if f.name not in keep]

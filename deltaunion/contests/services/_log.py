"""Creating an object with its audit entry: its filled-in fields, as the history shows them."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from deltaunion.core.audit import log_action, snapshot

M = TypeVar("M", bound=models.Model)


def log_created(*, by: Any, action: str, obj: models.Model, note: str = "", **extra: Any) -> None:
    """One audit entry for a new object: its filled-in fields (not empty, not off) and `extra`."""
    after = {k: v for k, v in snapshot(obj).items() if not (v is None or v is False or v in ("", [], {}))}
    log_action(actor=by, action=action, obj=obj, after={**after, **extra}, note=note)


def create_logged(model: type[M], *, by: Any, action: str, **fields: Any) -> M:
    """`model.objects.create(**fields)` and its audit entry (call inside the service's transaction)."""
    obj = model.objects.create(**fields)
    log_created(by=by, action=action, obj=obj)
    return obj

"""Writes of the worker's own space: marking messages read (the user's own only)."""

from __future__ import annotations

from typing import Any

from deltaunion.core import notifications


def messages_mark_read(*, by: Any, ids: list[int] | None = None) -> int:
    """Mark the user's messages read: those with `ids`, or all. Reading one's own inbox is not
    an audited action (it changes nothing anyone else sees)."""
    return notifications.mark_read(by, ids)

"""Masking of personal data: the one place that decides how a masked value looks.

Pages, the API and exports all call these; whether a viewer sees the full value is each
app's permission (`people.see_personal_data` and the like), never decided here.
"""

from __future__ import annotations

from typing import Any

MASK = "*"


def mask_id_number(value: str) -> str:
    """3301**********1234: the province and city digits and the last four stay."""
    if not value:
        return ""
    if len(value) < 8:
        return MASK * len(value)
    return value[:4] + MASK * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """139****5678: the first three and the last four digits stay."""
    if not value:
        return ""
    if len(value) < 7:
        return MASK * len(value)
    return value[:3] + MASK * (len(value) - 7) + value[-4:]


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧**娜: enough to recognise yourself, not to identify others."""
    name = name or ""
    if len(name) <= 1:
        return name or MASK
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * (len(name) - 2) + name[-1]


def person_name(user: Any, *, full: bool) -> str:
    """A user's display name, masked unless `full`."""
    if user is None:
        return ""
    name = getattr(user, "full_name", "") or getattr(user, "username", "") or str(user)
    return name if full else mask_name(name)


def personal(value: str, kind: str, *, full: bool) -> str:
    """`kind` is "id_number", "phone" or "name"."""
    if full:
        return value or ""
    return {"id_number": mask_id_number, "phone": mask_phone, "name": mask_name}[kind](value)

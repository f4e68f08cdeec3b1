"""The pure rules of points campaigns: a rule's configuration, the week an action falls in, a
measured value's range and the points an action earns within its caps. No database here, so
mutation testing (`make mutation`) can run them against fast unit tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

RULE_FIELDS = ("code", "name", "points", "once_only", "per_day_cap", "per_week_cap", "total_cap", "value_label")
CAP_FIELDS = ("per_day_cap", "per_week_cap", "total_cap")
MEASURE_LIMIT = Decimal("1000000")  # a measured value is above 0 and below this (kg, km, minutes…)


def clean_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule as stored: code and name required, whole points ≥ 1, each cap at least one action's points."""
    out = {k: rule.get(k) for k in RULE_FIELDS if k in rule}
    if not str(out.get("code") or "").strip() or not str(out.get("name") or "").strip():
        raise ValidationError(_("Each rule needs a code and a name"))
    try:
        out["points"] = int(out.get("points"))
        for cap in CAP_FIELDS:
            value = out.get(cap)
            out[cap] = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        raise ValidationError(_("Points and caps are whole numbers")) from None
    if out["points"] < 1 or any(out[c] is not None and out[c] < out["points"] for c in CAP_FIELDS):
        raise ValidationError(
            _("Rule %(name)s: points must be at least 1 and every cap at least the points of one action")
            % {"name": out["name"]}
        )
    out["once_only"] = bool(out.get("once_only"))
    out["code"] = str(out["code"]).strip()
    out["name"] = str(out["name"]).strip()
    out["value_label"] = str(out.get("value_label") or "").strip()
    return out


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday and Sunday of the week `day` falls in."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def measured_value(value: Any, *, value_label: str) -> Decimal | None:
    """The measured value of an action, exact: required when the rule names one, else optional."""
    if value in (None, ""):
        if value_label:
            raise ValidationError(_("Enter the %(what)s") % {"what": value_label})
        return None
    try:
        measured = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError(_("Enter a number")) from None
    if not measured.is_finite() or not Decimal("0") < measured < MEASURE_LIMIT:
        raise ValidationError(_("Enter a positive number"))
    return measured


def points_within_caps(
    points: int,
    *,
    total_cap: int | None = None,
    earned_total: int = 0,
    per_day_cap: int | None = None,
    earned_day: int = 0,
    per_week_cap: int | None = None,
    earned_week: int = 0,
    max_points: int | None = None,
    member_points: int = 0,
) -> int:
    """The points one action earns: its rule's points, cut by what is left under each cap that is
    set (the rule's total, day and week caps and the campaign's maximum), never below 0."""
    left = [points]
    if total_cap is not None:
        left.append(total_cap - earned_total)
    if per_day_cap is not None:
        left.append(per_day_cap - earned_day)
    if per_week_cap is not None:
        left.append(per_week_cap - earned_week)
    if max_points is not None:
        left.append(max_points - member_points)
    return max(0, min(left))

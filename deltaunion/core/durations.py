"""Durations in the units people think in: 15 分钟, not 900 秒; 2 小时, not 120 分钟.

The one place of truth for showing a length of time; templates use the `duration` filter
(`{% load du %}{{ quiz.time_limit_seconds|duration }}`, `{{ minutes|duration:"minutes" }}`).
"""

from __future__ import annotations

from django.utils.translation import ngettext

_UNITS = (
    (86400, lambda n: ngettext("%(n)d day", "%(n)d days", n)),
    (3600, lambda n: ngettext("%(n)d hour", "%(n)d hours", n)),
    (60, lambda n: ngettext("%(n)d minute", "%(n)d minutes", n)),
    (1, lambda n: ngettext("%(n)d second", "%(n)d seconds", n)),
)


def duration_text(seconds: int | float | None, *, parts: int = 2) -> str:
    """A length of time in its largest units, at most `parts` of them ("1 小时 30 分钟",
    "15 分钟", "45 秒"); "" for no value. Seconds are dropped once the time is over an hour."""
    if seconds is None or seconds == "":
        return ""
    total = max(0, round(float(seconds)))
    if total == 0:
        return ngettext("%(n)d second", "%(n)d seconds", 0) % {"n": 0}
    if total >= 3600:
        total = round(total / 60) * 60
    out = []
    for size, label in _UNITS:
        n, total = divmod(total, size)
        if n:
            out.append(label(n) % {"n": n})
        if len(out) == parts:
            break
    return " ".join(out)

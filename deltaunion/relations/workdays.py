"""Deadlines in working days on China's calendar: public holidays and make-up working days (调休).

The calendar is the `chinese-calendar` package (`chinese_calendar`), which knows the State
Council's holiday arrangements year by year: its 1.11 release covers 2004–2026 and raises for
other years. For a year it does not know, a working day is Monday to Friday (weekends only) and
the deadline is marked *estimated*: the case says so (ESTIMATED_NOTE) and the deadline is worked
out again once the package knows the year (`services.deadlines_recompute`, the
`relations_deadlines` command, run after upgrading the package). Never an exception.

Counting: the day a step starts is not counted (期间开始的当日不计入); the deadline is the n-th
working day after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

ESTIMATED_NOTE = _(
    "Working days are counted by weekends only until the State Council publishes the holiday arrangements"
)

# Labour Dispute Mediation and Arbitration Law (劳动争议调解仲裁法), art. 14: no agreement within
# 15 days of the mediation organisation receiving the application → the parties may apply for
# arbitration (calendar days).
MEDIATION_DAYS = 15


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    estimated: bool  # some day on the way lies in a year the calendar does not know


class WorkCalendar:
    """Working days from a day → (is it a working day, or None when the year is unknown)."""

    def __init__(self, lookup: Callable[[dt.date], bool | None]):
        self._lookup = lookup

    def is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """(working day?, known?): an unknown year counts Monday–Friday."""
        known = self._lookup(day)
        if known is None:
            return day.weekday() < 5, False
        return known, True

    def add_workdays(self, start: dt.date, days: int) -> Deadline:
        """The `days`-th working day after `start` (the start itself is not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day, counted, estimated = start, 0, False
        while counted < days:
            day += dt.timedelta(days=1)
            working, known = self.is_workday(day)
            estimated = estimated or not known
            if working:
                counted += 1
        return Deadline(day, estimated)

    def knows(self, year: int) -> bool:
        return self._lookup(dt.date(year, 6, 1)) is not None


def _chinese_calendar_lookup(day: dt.date) -> bool | None:
    try:
        import chinese_calendar
    except ImportError:  # not installed: weekends only, every deadline estimated
        return None
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # "no available data for year …"
        return None


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    return WorkCalendar(_chinese_calendar_lookup)


def calendar_version() -> str:
    try:
        import chinese_calendar
    except ImportError:
        return ""
    return getattr(chinese_calendar, "__version__", "")


# --- the deadline of each step of a case ------------------------------------------------------------------

WORKING, CALENDAR = "working", "calendar"

# state → (days, how they count); states without a deadline are left out.
STEP_RULES: dict[str, tuple[int, str]] = {
    "received": (3, WORKING),  # assign an officer
    "assigned": (15, WORKING),  # act: mediation, referral, arbitration or legal aid
    "referred": (5, WORKING),  # the receiving union answers
    "accepted": (15, WORKING),
    "mediation": (MEDIATION_DAYS, CALENDAR),  # art. 14: then ready for arbitration
    "no_agreement": (15, WORKING),  # help to arbitration, court or legal aid
    "agreement": (15, WORKING),  # check the agreement is carried out
}


def step_deadline(state: str, start: dt.date, calendar: WorkCalendar | None = None) -> Deadline | None:
    rule = STEP_RULES.get(state)
    if rule is None:
        return None
    days, how = rule
    if how == CALENDAR:
        return Deadline(start + dt.timedelta(days=days), False)
    return (calendar or default_calendar()).add_workdays(start, days)


def ready_for_arbitration(applied_on: dt.date | None, today: dt.date) -> bool:
    """15 days have passed since the mediation application (the application day not counted)."""
    return applied_on is not None and today > applied_on + dt.timedelta(days=MEDIATION_DAYS)

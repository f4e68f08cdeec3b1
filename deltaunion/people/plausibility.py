"""What makes a worker's dates and skill levels plausible (pure rules, no database).

Union membership (the Trade Union Law and the union's constitution: a member is a worker who
earns a wage; the Labour Law forbids employing anyone under 16):

- a worker starts work on or after their 16th birthday, and not in the future;
- a worker joins the union on or after their 16th birthday, on or after the day they
  started work, and not in the future.

Skill levels (the five national vocational skill levels, 1 the highest). The national rules
ask for years in the trade between levels; this platform's demo follows a simple ladder of
minimum age and minimum years of work on the day a level is obtained:

    level 5 (五级/初级工)     18 years old, no years of work required
    level 4 (四级/中级工)     20 years old, 2 years of work
    level 3 (三级/高级工)     23 years old, 5 years of work
    level 2 (二级/技师)       28 years old, 8 years of work
    level 1 (一级/高级技师)   33 years old, 12 years of work

A promotion through a contest (破格晋升) may skip the years of work, but never the age of 18.
Years of work count from the day the worker started work; when that day is unknown, from the
day they joined the union (which is later, so the rule is only stricter).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MIN_WORKING_AGE = 16
# level → (minimum age, minimum full years of work) on the day the level is obtained
SKILL_LEVEL_MINIMUMS: dict[int, tuple[int, int]] = {5: (18, 0), 4: (20, 2), 3: (23, 5), 2: (28, 8), 1: (33, 12)}
CONTEST_PROMOTION_MIN_AGE = 18


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 1 March in a common year (one is a
    full year older only once the day has passed)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 3, 1)


def full_years(start: dt.date, end: dt.date) -> int:
    """Full years from `start` to `end` (an age on a day); negative when `end` is earlier."""
    years = end.year - start.year
    if add_years(start, years) > end:
        years -= 1
    return years


def sixteenth_birthday(birth_date: dt.date) -> dt.date:
    return add_years(birth_date, MIN_WORKING_AGE)


def date_problems(
    *, birth_date: dt.date, started_work_on: dt.date | None, member_since: dt.date | None, today: dt.date
) -> list[str]:
    """The broken rules of a worker's dates, as keys: "work_before_16", "work_in_future",
    "joined_before_16", "joined_in_future", "joined_before_work"."""
    problems = []
    sixteen = sixteenth_birthday(birth_date)
    if started_work_on is not None:
        if started_work_on < sixteen:
            problems.append("work_before_16")
        if started_work_on > today:
            problems.append("work_in_future")
    if member_since is not None:
        if member_since < sixteen:
            problems.append("joined_before_16")
        if member_since > today:
            problems.append("joined_in_future")
        if started_work_on is not None and member_since < started_work_on:
            problems.append("joined_before_work")
    return problems


@dataclass(frozen=True)
class LevelCheck:
    level: int
    age: int
    years_of_work: int | None
    min_age: int
    min_years: int

    @property
    def ok(self) -> bool:
        return self.age >= self.min_age and (self.min_years == 0 or (self.years_of_work or 0) >= self.min_years)


def level_check(
    level: int,
    *,
    birth_date: dt.date,
    obtained_on: dt.date,
    started_work_on: dt.date | None,
    member_since: dt.date | None = None,
    through_contest: bool = False,
) -> LevelCheck:
    """Whether `level` obtained on `obtained_on` follows the ladder above."""
    min_age, min_years = SKILL_LEVEL_MINIMUMS[level]
    if through_contest:
        min_age, min_years = CONTEST_PROMOTION_MIN_AGE, 0
    since = started_work_on or member_since
    years = full_years(since, obtained_on) if since is not None else None
    return LevelCheck(level, full_years(birth_date, obtained_on), years, min_age, min_years)


def earliest_day_for_level(level: int, *, birth_date: dt.date, started_work_on: dt.date) -> dt.date:
    """The first day a worker may obtain `level` by certification."""
    min_age, min_years = SKILL_LEVEL_MINIMUMS[level]
    return max(add_years(birth_date, min_age), add_years(started_work_on, min_years))

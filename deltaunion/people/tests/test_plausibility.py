"""The pure rules of plausible dates and skill levels (`people.plausibility`)."""

from __future__ import annotations

import datetime as dt

import pytest

from deltaunion.people import plausibility as p


def test_ages_and_the_16th_birthday():
    assert p.full_years(dt.date(2000, 5, 10), dt.date(2016, 5, 9)) == 15
    assert p.full_years(dt.date(2000, 5, 10), dt.date(2016, 5, 10)) == 16
    assert p.full_years(dt.date(2000, 5, 10), dt.date(1999, 5, 10)) == -1
    assert p.sixteenth_birthday(dt.date(2000, 2, 29)) == dt.date(2016, 2, 29)
    assert p.add_years(dt.date(2000, 2, 29), 1) == dt.date(2001, 3, 1)
    assert p.full_years(dt.date(2000, 2, 29), dt.date(2001, 2, 28)) == 0
    assert p.full_years(dt.date(2000, 2, 29), dt.date(2001, 3, 1)) == 1


def test_date_problems():
    born, today = dt.date(2000, 5, 10), dt.date(2026, 1, 1)
    sixteen = dt.date(2016, 5, 10)
    ok = p.date_problems(birth_date=born, started_work_on=sixteen, member_since=sixteen, today=today)
    assert ok == []
    assert p.date_problems(birth_date=born, started_work_on=None, member_since=None, today=today) == []
    day_before = sixteen - dt.timedelta(days=1)
    assert p.date_problems(birth_date=born, started_work_on=day_before, member_since=None, today=today) == [
        "work_before_16"
    ]
    assert p.date_problems(birth_date=born, started_work_on=None, member_since=day_before, today=today) == [
        "joined_before_16"
    ]
    tomorrow = today + dt.timedelta(days=1)
    assert p.date_problems(birth_date=born, started_work_on=tomorrow, member_since=tomorrow, today=today) == [
        "work_in_future",
        "joined_in_future",
    ]
    assert p.date_problems(birth_date=born, started_work_on=today, member_since=today, today=today) == []
    assert p.date_problems(
        birth_date=born, started_work_on=dt.date(2020, 1, 2), member_since=dt.date(2020, 1, 1), today=today
    ) == ["joined_before_work"]


@pytest.mark.parametrize(
    ("level", "age", "years"),
    [(5, 18, 0), (4, 20, 2), (3, 23, 5), (2, 28, 8), (1, 33, 12)],
)
def test_the_skill_level_ladder(level, age, years):
    born = dt.date(1980, 6, 15)
    started = dt.date(1998, 6, 15)  # at 18
    first = p.earliest_day_for_level(level, birth_date=born, started_work_on=started)
    assert first == max(dt.date(1980 + age, 6, 15), dt.date(1998 + years, 6, 15))
    assert p.level_check(level, birth_date=born, obtained_on=first, started_work_on=started).ok
    before = first - dt.timedelta(days=1)
    assert not p.level_check(level, birth_date=born, obtained_on=before, started_work_on=started).ok
    # Years of work count from joining the union when the start of work is unknown.
    assert p.level_check(level, birth_date=born, obtained_on=first, started_work_on=None, member_since=started).ok
    # A contest promotion skips the years of work but not the age of 18.
    young = dt.date(2000, 6, 15)
    assert p.level_check(
        level, birth_date=young, obtained_on=dt.date(2018, 6, 15), started_work_on=None, through_contest=True
    ).ok
    assert not p.level_check(
        level, birth_date=young, obtained_on=dt.date(2018, 6, 14), started_work_on=None, through_contest=True
    ).ok


def test_a_senior_technician_at_16_is_implausible():
    born = dt.date(2000, 1, 1)
    check = p.level_check(1, birth_date=born, obtained_on=dt.date(2016, 6, 1), started_work_on=dt.date(2016, 1, 1))
    assert not check.ok and check.age == 16 and check.years_of_work == 0
    late_starter = p.level_check(
        2, birth_date=dt.date(1970, 1, 1), obtained_on=dt.date(2010, 1, 1), started_work_on=dt.date(2005, 1, 1)
    )
    assert not late_starter.ok  # 40 years old but only 5 years of work
    unknown = p.level_check(3, birth_date=dt.date(1970, 1, 1), obtained_on=dt.date(2010, 1, 1), started_work_on=None)
    assert not unknown.ok  # years of work unknown: not shown to be enough

"""The pure campaign rules, without a database: what `make mutation` runs against
`campaigns/rules.py`. Each test pins one rule a real bug could break."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from deltaunion.campaigns.rules import MEASURE_LIMIT, clean_rule, measured_value, points_within_caps, week_bounds

pytestmark = pytest.mark.usefixtures("english")

caps = st.one_of(st.none(), st.integers(min_value=0, max_value=500))


# points_within_caps -----------------------------------------------------------------------------


def test_no_cap_gives_the_rules_points():
    assert points_within_caps(10) == 10


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"total_cap": 50, "earned_total": 45}, 5),
        ({"total_cap": 50, "earned_total": 50}, 0),
        ({"total_cap": 50, "earned_total": 0}, 10),
        ({"per_day_cap": 3, "earned_day": 2}, 1),
        ({"per_day_cap": 30, "earned_day": 29}, 1),
        ({"per_week_cap": 5, "earned_week": 5}, 0),
        ({"per_week_cap": 12, "earned_week": 7}, 5),
        ({"max_points": 490, "member_points": 485}, 5),
        ({"max_points": 490, "member_points": 490}, 0),
        ({"max_points": 490, "member_points": 500}, 0),  # never negative
        ({"total_cap": 50, "earned_total": 48, "per_day_cap": 30, "earned_day": 21}, 2),
        ({"total_cap": 50, "earned_total": 0, "per_day_cap": 30, "earned_day": 27}, 3),
        ({"per_week_cap": 40, "earned_week": 36, "max_points": 490, "member_points": 488}, 2),
        ({"per_week_cap": 40, "earned_week": 38, "max_points": 490, "member_points": 400}, 2),
    ],
)
def test_each_cap_cuts_the_points_to_what_is_left(kwargs, expected):
    assert points_within_caps(10, **kwargs) == expected


def test_an_unset_cap_ignores_what_was_earned():
    assert points_within_caps(10, earned_total=1000, earned_day=1000, earned_week=1000, member_points=10**6) == 10


@given(
    points=st.integers(min_value=1, max_value=100),
    total=caps,
    day=caps,
    week=caps,
    maximum=caps,
    earned=st.integers(min_value=0, max_value=600),
)
def test_the_award_is_the_least_of_the_points_and_every_cap_left(points, total, day, week, maximum, earned):
    got = points_within_caps(
        points,
        total_cap=total,
        earned_total=earned,
        per_day_cap=day,
        earned_day=earned // 3,
        per_week_cap=week,
        earned_week=earned // 2,
        max_points=maximum,
        member_points=earned + 1,
    )
    assert 0 <= got <= points
    for cap, used in ((total, earned), (day, earned // 3), (week, earned // 2), (maximum, earned + 1)):
        if cap is not None:
            assert got <= max(0, cap - used)
    left = [points] + [
        c - u
        for c, u in ((total, earned), (day, earned // 3), (week, earned // 2), (maximum, earned + 1))
        if c is not None
    ]
    assert got == max(0, min(left))


# week_bounds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("offset", range(7))
def test_every_day_of_a_week_belongs_to_its_monday_to_sunday(offset):
    monday = dt.date(2023, 7, 3)
    assert week_bounds(monday + dt.timedelta(days=offset)) == (monday, dt.date(2023, 7, 9))


def test_the_next_monday_starts_a_new_week():
    assert week_bounds(dt.date(2023, 7, 10)) == (dt.date(2023, 7, 10), dt.date(2023, 7, 16))
    assert week_bounds(dt.date(2023, 7, 9))[1] == dt.date(2023, 7, 9)


# measured_value ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["0", "-1", "-0.01", "abc", "1000000", "1000000.01", "NaN", "Infinity", "-Infinity", "1e7"]
)
def test_a_measured_value_outside_zero_to_a_million_is_refused(value):
    with pytest.raises(ValidationError):
        measured_value(value, value_label="体重（kg）")


@pytest.mark.parametrize("value", ["0.01", "82", "82.35", "999999.99", 70, Decimal("65.5")])
def test_a_measured_value_inside_the_range_is_kept_exactly(value):
    assert measured_value(value, value_label="体重（kg）") == Decimal(str(value))


def test_the_limit_is_a_million():
    assert Decimal("1000000") == MEASURE_LIMIT


def test_a_missing_value_is_refused_only_when_the_rule_names_one():
    with pytest.raises(ValidationError, match="Enter the 体重"):
        measured_value("", value_label="体重（kg）")
    with pytest.raises(ValidationError, match="Enter the 体重"):
        measured_value(None, value_label="体重（kg）")
    assert measured_value("", value_label="") is None
    assert measured_value(None, value_label="") is None


def test_text_gets_its_own_message():
    with pytest.raises(ValidationError, match="Enter a number"):
        measured_value("八十", value_label="")
    with pytest.raises(ValidationError, match="positive"):
        measured_value("0", value_label="")


# clean_rule -------------------------------------------------------------------------------------


def test_a_rule_is_cleaned_to_whole_numbers_and_stripped_text():
    got = clean_rule(
        {
            "code": " meal ",
            "name": " 上传膳食记录 ",
            "points": "1",
            "per_day_cap": "3",
            "total_cap": 180,
            "per_week_cap": "",
        }
    )
    assert got == {
        "code": "meal",
        "name": "上传膳食记录",
        "points": 1,
        "per_day_cap": 3,
        "per_week_cap": None,
        "total_cap": 180,
        "once_only": False,
        "value_label": "",
    }


def test_unknown_keys_are_dropped_and_once_only_is_a_boolean():
    got = clean_rule({"code": "p", "name": "体测", "points": 20, "once_only": 1, "value_label": " 体重 ", "evil": 1})
    assert "evil" not in got and got["once_only"] is True and got["value_label"] == "体重"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"code": "", "name": "x", "points": 1}, "code and a name"),
        ({"code": "x", "name": "  ", "points": 1}, "code and a name"),
        ({"name": "x", "points": 1}, "code and a name"),
        ({"code": "x", "name": "x", "points": "two"}, "whole numbers"),
        ({"code": "x", "name": "x", "points": None}, "whole numbers"),
        ({"code": "x", "name": "x", "points": 1, "total_cap": "1.5"}, "whole numbers"),
        ({"code": "x", "name": "x", "points": 0}, "at least 1"),
        ({"code": "x", "name": "x", "points": -5}, "at least 1"),
        ({"code": "x", "name": "x", "points": 5, "total_cap": 4}, "every cap"),
        ({"code": "x", "name": "x", "points": 5, "per_day_cap": 4}, "every cap"),
        ({"code": "x", "name": "x", "points": 5, "per_week_cap": 4}, "every cap"),
    ],
)
def test_a_bad_rule_is_refused_with_its_reason(rule, message):
    with pytest.raises(ValidationError, match=message):
        clean_rule(rule)


def test_a_cap_equal_to_one_actions_points_is_allowed():
    got = clean_rule({"code": "x", "name": "x", "points": 5, "per_day_cap": 5, "per_week_cap": 5, "total_cap": 5})
    assert (got["per_day_cap"], got["per_week_cap"], got["total_cap"]) == (5, 5, 5)
    assert clean_rule({"code": "x", "name": "x", "points": 1})["points"] == 1


@pytest.mark.parametrize("cap", ["total_cap", "per_day_cap", "per_week_cap", "max_points"])
def test_nothing_earned_yet_leaves_the_whole_cap(cap):
    assert points_within_caps(10, **{cap: 10}) == 10
    assert points_within_caps(10, **{cap: 7}) == 7


def test_a_rule_without_a_name_is_refused():
    with pytest.raises(ValidationError, match="code and a name"):
        clean_rule({"code": "x", "points": 1})

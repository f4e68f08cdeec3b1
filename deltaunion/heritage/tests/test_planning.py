"""Route planning (pure): length, travel time, reach and the open-day check."""

from __future__ import annotations

import pytest

from deltaunion.heritage import geo, planning
from deltaunion.heritage.planning import StopPlan

TUE_SUN = (2, 3, 4, 5, 6, 7)


def stops(*specs) -> list[StopPlan]:
    return [
        StopPlan(position=i, name=name, longitude=lng, latitude=lat, day=day, open_days=days)
        for i, (name, lng, lat, day, days) in enumerate(specs, start=1)
    ]


def test_a_monday_visit_to_a_venue_closed_on_mondays_is_warned():
    route = stops(("书记部", 121.46, 31.23, 1, TUE_SUN), ("人民公园", 121.47, 31.23, 1, tuple(range(1, 8))))
    [warning] = planning.open_day_warnings(route, start_weekday=1)
    assert (warning.position, warning.name, warning.weekday, warning.closed) == (1, "书记部", 1, True)
    assert planning.open_day_warnings(route, start_weekday=2) == []


def test_a_later_day_falls_on_a_later_weekday_and_wraps_round_the_week():
    route = stops(("甲", 121.0, 31.0, 1, TUE_SUN), ("乙", 120.0, 30.0, 2, TUE_SUN))
    # Starting on a Sunday: day 1 is Sunday (open), day 2 is Monday (closed).
    [warning] = planning.open_day_warnings(route, start_weekday=7)
    assert (warning.name, warning.weekday, warning.closed) == ("乙", 1, True)
    assert planning.weekday_of(7, 2) == 1
    assert planning.weekday_of(3, 9) == 4


def test_unknown_opening_days_are_flagged_but_not_called_closed():
    route = stops(("未知", 121.0, 31.0, 1, ()))
    [warning] = planning.open_day_warnings(route, start_weekday=3)
    assert warning.closed is False


def test_the_start_is_a_weekday():
    with pytest.raises(ValueError):
        planning.open_day_warnings([], start_weekday=0)


def test_metrics_sum_the_legs():
    route = stops(
        ("杭州", 120.1551, 30.2741, 1, ()), ("苏州", 120.5853, 31.2990, 1, ()), ("上海", 121.4737, 31.2304, 2, ())
    )
    m = planning.metrics(route)
    legs = geo.path_legs_km([(s.longitude, s.latitude) for s in route])
    assert m.length_km == pytest.approx(sum(legs), abs=0.05)
    assert m.travel_minutes == geo.travel_minutes(legs)
    assert 120 < m.length_km < 260  # 杭州→苏州 ~120 km, 苏州→上海 ~85 km
    assert planning.metrics([]).length_km == 0


def test_reach():
    assert planning.reach(["330000", "330000"], ["330100", "330100"]) == "city"
    assert planning.reach(["330000", "330000"], ["330100", "330400"]) == "province"
    assert planning.reach(["330000", "310000"], ["330100", "310000"]) == "region"

"""Planning a route: its length, travel time and whether every stop is open on the day it is
visited. Pure functions over plain data (no Django), tested on their own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from deltaunion.heritage import geo


@dataclass(frozen=True)
class StopPlan:
    position: int
    name: str
    longitude: float
    latitude: float
    day: int = 1  # the route's day on which the stop is visited (1 = the first)
    open_days: tuple[int, ...] = ()  # ISO weekdays; empty = not known


@dataclass(frozen=True)
class Metrics:
    legs_km: tuple[float, ...]
    length_km: float
    travel_minutes: int


def metrics(stops: Sequence[StopPlan]) -> Metrics:
    """The great-circle length between consecutive stops and the coach travel estimate."""
    legs = geo.path_legs_km([(s.longitude, s.latitude) for s in stops])
    return Metrics(
        legs_km=tuple(round(km, 2) for km in legs),
        length_km=round(sum(legs), 1),
        travel_minutes=geo.travel_minutes(legs),
    )


@dataclass(frozen=True)
class DayWarning:
    position: int
    name: str
    weekday: int  # the ISO weekday the stop falls on
    closed: bool  # True: closed that day; False: the opening days are not known


def weekday_of(start_weekday: int, day: int) -> int:
    """The ISO weekday of the route's `day` (1-based) when it starts on `start_weekday`."""
    return (start_weekday - 1 + day - 1) % 7 + 1


def open_day_warnings(stops: Sequence[StopPlan], start_weekday: int) -> list[DayWarning]:
    """Stops closed on the weekday they are visited (a Monday visit to a venue closed on
    Mondays), and stops whose opening days are unknown, for a route starting that weekday."""
    if not 1 <= start_weekday <= 7:
        raise ValueError("start_weekday is an ISO weekday, 1 (Monday) to 7 (Sunday)")
    out = []
    for s in stops:
        weekday = weekday_of(start_weekday, s.day)
        if not s.open_days:
            out.append(DayWarning(s.position, s.name, weekday, closed=False))
        elif weekday not in s.open_days:
            out.append(DayWarning(s.position, s.name, weekday, closed=True))
    return out


def reach(provinces: Sequence[str], cities: Sequence[str]) -> str:
    """ "region" across provinces, "province" across cities of one province, "city" otherwise."""
    if len(set(provinces)) > 1:
        return "region"
    if len(set(cities)) > 1:
        return "province"
    return "city"

"""Coordinate conversions against published test points, distances and travel times.

Published reference values:

- eviltransform (github.com/googollee/eviltransform, `python/test.py`, `go/transform_test.go`):
  WGS-84 → GCJ-02 pairs for Shanghai, Shenzhen and Beijing, (lat, lng):
  (31.1774276, 121.5272106) → (31.17530398364597, 121.531541859215)
  (22.543847, 113.912316)   → (22.540796131694766, 113.9171764808363)
  (39.911954, 116.377817)   → (39.91334545536069, 116.38404722455657)
- coordtransform (github.com/wandergis/coordtransform, README "result"), (lng, lat) of (116.404, 39.915):
  bd09togcj02  → (116.39762729119315, 39.90865673957631)
  gcj02tobd09  → (116.41036949371029, 39.92133699351021)
  wgs84togcj02 → (116.41024449916938, 39.91640428150164)
  gcj02towgs84 → (116.39775550083061, 39.91359571849836) (their one-step approximation)

Each direction must land within 1 m of the published value.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deltaunion.heritage import geo

EVILTRANSFORM = [
    # wgsLat, wgsLng, gcjLat, gcjLng
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
]
BEIJING = (116.404, 39.915)
COORDTRANSFORM = {
    "bd09togcj02": (116.39762729119315, 39.90865673957631),
    "gcj02tobd09": (116.41036949371029, 39.92133699351021),
    "wgs84togcj02": (116.41024449916938, 39.91640428150164),
    "gcj02towgs84": (116.39775550083061, 39.91359571849836),
}


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return geo.distance_m(a[0], a[1], b[0], b[1])


@pytest.mark.parametrize("wlat,wlng,glat,glng", EVILTRANSFORM)
def test_wgs84_to_gcj02_matches_eviltransform(wlat, wlng, glat, glng):
    assert metres(geo.wgs84_to_gcj02(wlng, wlat), (glng, glat)) < 1.0


@pytest.mark.parametrize("wlat,wlng,glat,glng", EVILTRANSFORM)
def test_gcj02_to_wgs84_matches_eviltransform(wlat, wlng, glat, glng):
    assert metres(geo.gcj02_to_wgs84(glng, glat), (wlng, wlat)) < 1.0


def test_beijing_against_coordtransform_in_every_direction():
    assert metres(geo.bd09_to_gcj02(*BEIJING), COORDTRANSFORM["bd09togcj02"]) < 1.0
    assert metres(geo.gcj02_to_bd09(*BEIJING), COORDTRANSFORM["gcj02tobd09"]) < 1.0
    assert metres(geo.wgs84_to_gcj02(*BEIJING), COORDTRANSFORM["wgs84togcj02"]) < 1.0
    # Their GCJ→WGS is a one-step approximation; the exact inverse still lands within 1 m of it.
    assert metres(geo.gcj02_to_wgs84(*BEIJING), COORDTRANSFORM["gcj02towgs84"]) < 1.0


def test_wgs84_to_bd09_and_back_through_the_published_gcj02_point():
    # WGS → BD is WGS → GCJ (published) → BD; BD → WGS comes back to the start.
    gcj = COORDTRANSFORM["wgs84togcj02"]
    bd = geo.wgs84_to_bd09(*BEIJING)
    assert metres(bd, geo.gcj02_to_bd09(*gcj)) < 1.0
    assert metres(geo.bd09_to_wgs84(*bd), BEIJING) < 1.0
    assert metres(geo.convert(*bd, geo.BD09, geo.GCJ02), gcj) < 1.0


def test_the_offsets_are_hundreds_of_metres_inside_china():
    # A sanity check that the conversions do something: GCJ-02 is 100–700 m off, BD-09 more.
    shanghai = (121.4737, 31.2304)
    assert 100 < metres(geo.wgs84_to_gcj02(*shanghai), shanghai) < 700
    assert metres(geo.wgs84_to_bd09(*shanghai), shanghai) > 700


@pytest.mark.parametrize(
    "point",
    [(2.3522, 48.8566), (-74.006, 40.7128), (151.2093, -33.8688), (139.6917, 35.6895), (37.6173, 55.7558)],
    ids=["paris", "new-york", "sydney", "tokyo", "moscow"],
)
def test_points_outside_china_pass_through_unchanged(point):
    for source in geo.SYSTEMS:
        for target in geo.SYSTEMS:
            assert geo.convert(*point, source, target) == point


@given(
    lng=st.floats(min_value=73.5, max_value=134.7, allow_nan=False),
    lat=st.floats(min_value=18.2, max_value=53.5, allow_nan=False),
)
def test_round_trips_inside_china(lng, lat):
    # Both inverses are iterated to 1e-9°: back to the start within a centimetre.
    for system in (geo.GCJ02, geo.BD09):
        there = geo.convert(lng, lat, geo.WGS84, system)
        back = geo.convert(*there, system, geo.WGS84)
        assert metres(back, (lng, lat)) < 0.01


def test_unknown_system_is_an_error():
    with pytest.raises(KeyError):
        geo.convert(121.0, 31.0, "cgcs2000x", geo.WGS84)


# --- distances and travel times ------------------------------------------------------------------------


def test_great_circle_distances():
    # One degree of longitude on the equator is 2πR/360 on the mean radius.
    assert geo.distance_m(0, 0, 1, 0) == pytest.approx(2 * math.pi * geo.EARTH_RADIUS_M / 360, rel=1e-9)
    assert geo.distance_m(121.47, 31.23, 121.47, 31.23) == 0
    # People's Square, Shanghai → Tian'anmen, Beijing: about 1 067 km.
    assert geo.distance_m(121.4737, 31.2304, 116.3974, 39.9087) / 1000 == pytest.approx(1067, abs=3)
    a, b = (120.1551, 30.2741), (120.5853, 31.2990)
    assert geo.distance_m(*a, *b) == pytest.approx(geo.distance_m(*b, *a))


def test_route_legs_and_travel_time():
    hangzhou, suzhou, shanghai = (120.1551, 30.2741), (120.5853, 31.2990), (121.4737, 31.2304)
    legs = geo.path_legs_km([hangzhou, suzhou, shanghai])
    assert len(legs) == 2
    assert legs[0] == pytest.approx(geo.distance_m(*hangzhou, *suzhou) / 1000)
    assert geo.path_legs_km([hangzhou]) == []
    # A hop in town at 25 km/h, a medium leg at 50 km/h, the motorway at 80 km/h (roads ×1.3).
    assert geo.leg_minutes(10 / 1.3) == 24
    assert geo.leg_minutes(60 / 1.3) == 72
    assert geo.leg_minutes(160 / 1.3) == 120
    assert geo.leg_minutes(0) == 0
    assert geo.travel_minutes(legs) == sum(geo.leg_minutes(km) for km in legs)


def test_point_in_polygon_with_a_hole():
    square = [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]]
    geometry = {"type": "Polygon", "coordinates": square}
    assert geo.in_geometry(1, 1, geometry)
    assert not geo.in_geometry(5, 5, geometry)  # in the hole
    assert not geo.in_geometry(11, 5, geometry)
    assert geo.distance_to_geometry_m(11, 5, geometry) == pytest.approx(geo.distance_m(10, 5, 11, 5), rel=0.01)


def test_simplify_keeps_the_shape_and_the_ends():
    line = [[0, 0], [1, 0.0001], [2, 0], [3, 5], [4, 0]]
    assert geo.simplify(line, 0.01) == [[0, 0], [2, 0], [3, 5], [4, 0]]

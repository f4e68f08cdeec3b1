"""Coordinates, distances and travel times: pure functions, no Django.

Three coordinate systems meet in China:

- WGS-84: GPS receivers, Tianditu (CGCS2000 differs from WGS-84 by centimetres), OpenStreetMap.
- GCJ-02 (国测局坐标, "Mars coordinates"): Amap (高德), Tencent maps, Apple maps in China.
- BD-09: Baidu maps, GCJ-02 shifted once more.

The conversions are the standard published ones (the GCJ-02 offset polynomial on the Krasovsky
ellipsoid, and Baidu's polar shift), as implemented by the coordtransform and eviltransform
projects. GCJ-02 → WGS-84 has no closed form: it is solved by fixed-point iteration to well
under a centimetre. Points outside China pass through unchanged (the offset applies inside
China only), using the same rough bounding box as those projects. BD-09 → GCJ-02 starts
from the published closed form and refines it the same way.

Everything is stored as WGS-84; a page converts to GCJ-02 only at the edge, when its tile layer
is in GCJ-02.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

WGS84 = "wgs84"
GCJ02 = "gcj02"
BD09 = "bd09"
SYSTEMS = (WGS84, GCJ02, BD09)

# Krasovsky 1940 ellipsoid, which the GCJ-02 offset is defined on.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0
EARTH_RADIUS_M = 6371008.8  # mean radius (IUGG), for great-circle distances


def out_of_china(lng: float, lat: float) -> bool:
    """The rough box outside which no offset applies (the one the published algorithms use)."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _gcj_offset(lng: float, lat: float) -> tuple[float, float]:
    d_lat = _transform_lat(lng - 105.0, lat - 35.0)
    d_lng = _transform_lng(lng - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return d_lng, d_lat


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    if out_of_china(lng, lat):
        return lng, lat
    d_lng, d_lat = _gcj_offset(lng, lat)
    return lng + d_lng, lat + d_lat


def gcj02_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    """The exact inverse: iterate w ← w − (gcj(w) − g) until the error is below 1e-9° (~0.1 mm)."""
    if out_of_china(lng, lat):
        return lng, lat
    w_lng, w_lat = lng, lat
    for _ in range(30):
        g_lng, g_lat = wgs84_to_gcj02(w_lng, w_lat)
        e_lng, e_lat = g_lng - lng, g_lat - lat
        if abs(e_lng) < 1e-9 and abs(e_lat) < 1e-9:
            break
        w_lng, w_lat = w_lng - e_lng, w_lat - e_lat
    return w_lng, w_lat


def gcj02_to_bd09(lng: float, lat: float) -> tuple[float, float]:
    if out_of_china(lng, lat):
        return lng, lat
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def _bd09_to_gcj02_closed_form(lng: float, lat: float) -> tuple[float, float]:
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def bd09_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    """The published closed form (a few centimetres off), refined by fixed-point iteration
    until GCJ-02 → BD-09 gives the point back to 1e-9°."""
    if out_of_china(lng, lat):
        return lng, lat
    g_lng, g_lat = _bd09_to_gcj02_closed_form(lng, lat)
    for _ in range(10):
        b_lng, b_lat = gcj02_to_bd09(g_lng, g_lat)
        e_lng, e_lat = b_lng - lng, b_lat - lat
        if abs(e_lng) < 1e-9 and abs(e_lat) < 1e-9:
            break
        g_lng, g_lat = g_lng - e_lng, g_lat - e_lat
    return g_lng, g_lat


def wgs84_to_bd09(lng: float, lat: float) -> tuple[float, float]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lng, lat))


def bd09_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    return gcj02_to_wgs84(*bd09_to_gcj02(lng, lat))


_TO_WGS = {WGS84: lambda lng, lat: (lng, lat), GCJ02: gcj02_to_wgs84, BD09: bd09_to_wgs84}
_FROM_WGS = {WGS84: lambda lng, lat: (lng, lat), GCJ02: wgs84_to_gcj02, BD09: wgs84_to_bd09}


def convert(lng: float, lat: float, source: str, target: str) -> tuple[float, float]:
    """(lng, lat) from one system to another; KeyError for an unknown system."""
    if source == target:
        return lng, lat
    return _FROM_WGS[target](*_TO_WGS[source](lng, lat))


def to_wgs84(lng: float, lat: float, source: str) -> tuple[float, float]:
    return convert(lng, lat, source, WGS84)


# --- distances and travel times ------------------------------------------------------------------


def distance_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine on the mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def path_legs_km(points: Sequence[tuple[float, float]]) -> list[float]:
    """The great-circle length of each leg between consecutive (lng, lat) points, in km."""
    return [distance_m(*a, *b) / 1000 for a, b in zip(points, points[1:], strict=False)]


# Roads are longer than the great circle, and a coach is slower in town than between cities.
ROAD_FACTOR = 1.3
SPEEDS_KMH = ((20.0, 25.0), (80.0, 50.0), (math.inf, 80.0))  # (road km up to, average km/h)


def leg_minutes(great_circle_km: float) -> int:
    """An estimate of one leg by coach: road distance = 1.3 × the great circle; 25 km/h for a
    short hop in town, 50 km/h up to 80 km, 80 km/h on the motorway beyond."""
    road = great_circle_km * ROAD_FACTOR
    speed = next(v for limit, v in SPEEDS_KMH if road <= limit)
    return math.ceil(road / speed * 60) if road > 0 else 0


def travel_minutes(legs_km: Iterable[float]) -> int:
    return sum(leg_minutes(km) for km in legs_km)


# --- point in polygon (the province check of imports) ----------------------------------------------


def _in_ring(lng: float, lat: float, ring: Sequence[Sequence[float]]) -> bool:
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / ((yj - yi) or 1e-300) + xi:
            inside = not inside
        j = i
    return inside


def in_polygon(lng: float, lat: float, polygon: Sequence[Sequence[Sequence[float]]]) -> bool:
    """GeoJSON Polygon coordinates: the outer ring, then holes."""
    if not polygon or not _in_ring(lng, lat, polygon[0]):
        return False
    return not any(_in_ring(lng, lat, hole) for hole in polygon[1:])


def in_geometry(lng: float, lat: float, geometry: dict) -> bool:
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        return in_polygon(lng, lat, coords)
    if kind == "MultiPolygon":
        return any(in_polygon(lng, lat, p) for p in coords)
    return False


def _segment_distance_m(lng: float, lat: float, a: Sequence[float], b: Sequence[float]) -> float:
    # Local equirectangular projection: fine for the few kilometres this is used for.
    k = math.cos(math.radians(lat))
    ax, ay = (a[0] - lng) * k, a[1] - lat
    bx, by = (b[0] - lng) * k, b[1] - lat
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy)))
    px, py = ax + t * dx, ay + t * dy
    return math.hypot(px, py) * math.pi / 180 * EARTH_RADIUS_M


def distance_to_geometry_m(lng: float, lat: float, geometry: dict) -> float:
    """0 inside; otherwise the distance to the nearest edge (approximate, for tolerances)."""
    if in_geometry(lng, lat, geometry):
        return 0.0
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    best = math.inf
    for polygon in polygons:
        for ring in polygon:
            for a, b in zip(ring, ring[1:], strict=False):
                best = min(best, _segment_distance_m(lng, lat, a, b))
    return best


def simplify(points: Sequence[Sequence[float]], tolerance: float) -> list[list[float]]:
    """Douglas–Peucker on a ring or line (in degrees); keeps the first and last point."""
    if len(points) < 3:
        return [list(p) for p in points]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first][0], points[first][1]
        bx, by = points[last][0], points[last][1]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        index, dmax = -1, 0.0
        for i in range(first + 1, last):
            px, py = points[i][0], points[i][1]
            d = abs(dy * px - dx * py + bx * ay - by * ax) / norm if norm else math.hypot(px - ax, py - ay)
            if d > dmax:
                index, dmax = i, d
        if dmax > tolerance and index > 0:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [list(p) for p, k in zip(points, keep, strict=True) if k]

"""The public API: published venues as GeoJSON with the map's filters, published routes with
their ordered stops; bad parameters are 400/422, never 500."""

from __future__ import annotations

import pytest

from deltaunion.heritage import geo, services
from deltaunion.heritage.tests.factories import HANGZHOU, HANGZHOU_2, SUZHOU, regions, route, venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world):
    regions()
    a = venue(world, "杭州纪念馆", publish=True, open_days=[2, 3, 4, 5, 6, 7])
    b = venue(world, "杭州工业遗产", position=HANGZHOU_2, kind="industrial", theme="industry", publish=True)
    c = venue(world, "苏州旧址", where="sz", kind="site", publish=True)
    draft = venue(world, "杭州草稿", position=(120.13, 30.25))
    r = route(world, [b, a, c], "杭苏线路", days=2, publish=True)
    route(world, [a, b], "草稿线路")
    return {"a": a, "b": b, "c": c, "draft": draft, "route": r}


def test_venues_are_a_geojson_feature_collection_of_published_venues(client, published):
    response = client.get("/api/heritage/venues")
    assert response.status_code == 200
    doc = response.json()
    assert doc["type"] == "FeatureCollection"
    names = sorted(f["properties"]["name"] for f in doc["features"])
    assert names == ["杭州工业遗产", "杭州纪念馆", "苏州旧址"]
    feature = next(f for f in doc["features"] if f["properties"]["name"] == "杭州纪念馆")
    assert feature["geometry"] == {"type": "Point", "coordinates": [HANGZHOU[0], HANGZHOU[1]]}
    props = feature["properties"]
    assert props["province"] == "330000" and props["city"] == "330100" and props["open_days"] == [2, 3, 4, 5, 6, 7]
    assert props["groups_this_year"] == 0 and props["url"] == f"/heritage/venues/{published['a'].pk}/"


@pytest.mark.parametrize(
    "query,names",
    [
        ({"province": "320000"}, ["苏州旧址"]),
        ({"kind": "industrial"}, ["杭州工业遗产"]),
        ({"theme": "labour_movement"}, ["杭州纪念馆", "苏州旧址"]),
        ({"province": "330000", "kind": "memorial"}, ["杭州纪念馆"]),
        ({"city": "330100"}, ["杭州工业遗产", "杭州纪念馆"]),
        ({"q": "工业"}, ["杭州工业遗产"]),
    ],
)
def test_venue_filters(client, published, query, names):
    doc = client.get("/api/heritage/venues", query).json()
    assert sorted(f["properties"]["name"] for f in doc["features"]) == names


def test_gcj02_at_the_edge(client, published):
    doc = client.get("/api/heritage/venues", {"crs": "gcj02", "kind": "memorial", "province": "330000"}).json()
    [feature] = doc["features"]
    expected = geo.wgs84_to_gcj02(*HANGZHOU)
    assert feature["geometry"]["coordinates"] == pytest.approx(list(expected), abs=1e-7)
    assert doc["coordinate_system"] == "gcj02"


@pytest.mark.parametrize(
    "query,status",
    [
        ({"province": "999999"}, 400),
        ({"province": "浙江"}, 422),
        ({"kind": "castle"}, 422),
        ({"theme": "x" * 50}, 422),
        ({"crs": "bd09"}, 422),
        ({"q": "x" * 101}, 422),
    ],
)
def test_bad_parameters_are_refused(client, published, query, status):
    response = client.get("/api/heritage/venues", query)
    assert response.status_code == status
    assert response.json()["detail"]


def test_routes_with_their_ordered_stops(client, published):
    response = client.get("/api/heritage/routes")
    assert response.status_code == 200
    [r] = response.json()
    assert r["title"] == "杭苏线路" and r["reach"] == "region" and r["days"] == 2
    assert [s["name"] for s in r["stops"]] == ["杭州工业遗产", "杭州纪念馆", "苏州旧址"]
    assert [s["position"] for s in r["stops"]] == [1, 2, 3]
    assert r["length_km"] == pytest.approx(
        (geo.distance_m(*HANGZHOU_2, *HANGZHOU) + geo.distance_m(*HANGZHOU, *SUZHOU)) / 1000, abs=0.05
    )
    assert r["travel_minutes"] > 0
    assert client.get("/api/heritage/routes", {"province": "310000"}).json() == []
    assert len(client.get("/api/heritage/routes", {"province": "320000"}).json()) == 1
    assert client.get("/api/heritage/routes", {"reach": "city"}).json() == []
    assert client.get("/api/heritage/routes", {"reach": "moon"}).status_code == 422


def test_a_withdrawn_route_leaves_the_api(client, published, world):
    services.route_withdraw(route=published["route"], by=world.hz_officer)
    assert client.get("/api/heritage/routes").json() == []

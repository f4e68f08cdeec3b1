"""Venue imports (Excel through the kernel's framework, and GeoJSON) and the exports.

A file with bad rows — no coordinates, a point outside China, an unknown coordinate system, a
province that does not contain the point — is refused with a report of every row, and
nothing is imported."""

from __future__ import annotations

import json

import pytest

from deltaunion.core.imports import run_import
from deltaunion.core.permissions import Forbidden
from deltaunion.core.testing import make_xlsx, read_xlsx
from deltaunion.heritage import geo
from deltaunion.heritage.imports import (
    COLUMNS,
    VenueImport,
    format_open_days,
    parse_open_days,
    run_geojson_import,
)
from deltaunion.heritage.models import Status, Venue
from deltaunion.heritage.tests.factories import HANGZHOU, regions, venue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADERS = ["名称", "类型", "主题", "省份", "城市", "经度", "纬度", "坐标系", "开放日", "来源"]
GOOD = {
    "名称": "导入测试纪念馆",
    "类型": "纪念馆",
    "主题": "早期工人运动",
    "省份": "浙江省",
    "城市": "杭州市",
    "经度": "120.1551",
    "纬度": "30.2741",
    "坐标系": "WGS-84",
    "开放日": "周二至周日",
    "来源": "测试",
}


def _run(world, rows, headers=HEADERS, by=None):
    regions()
    return run_import(VenueImport(organisation=world.hz), make_xlsx(rows, headers), by=by or world.hz_officer)


def test_a_clean_file_imports_drafts_converted_to_wgs84(world):
    gcj = geo.wgs84_to_gcj02(*HANGZHOU)
    amap = {**GOOD, "名称": "高德坐标的馆", "经度": str(gcj[0]), "纬度": str(gcj[1]), "坐标系": "高德"}
    result = _run(world, [GOOD, amap])
    assert result.ok, result.errors
    assert result.counts == {"created": 2}
    v = Venue.objects.get(name="高德坐标的馆")
    assert v.status == Status.DRAFT and v.organisation == world.hz and v.city.code == "330100"
    assert v.coordinate_system == "gcj02"
    assert geo.distance_m(v.longitude, v.latitude, *HANGZHOU) < 0.1
    assert Venue.objects.get(name="导入测试纪念馆").open_days == [2, 3, 4, 5, 6, 7]


def test_bad_rows_are_all_reported_and_nothing_is_imported(world):
    rows = [
        GOOD,
        {**GOOD, "名称": "没有坐标", "经度": "", "纬度": ""},
        {**GOOD, "名称": "在巴黎", "经度": "2.3522", "纬度": "48.8566"},
        {**GOOD, "名称": "坐标系不明", "坐标系": "墨卡托"},
        {**GOOD, "名称": "省份不符", "省份": "江苏省", "城市": ""},
    ]
    result = _run(world, rows)
    assert not result.ok
    by_row = {}
    for e in result.errors:
        by_row.setdefault(e.row, []).append((e.column, e.message))
    assert set(by_row) == {3, 4, 5, 6}
    assert ("经度", "“经度” must be filled in") in by_row[3]
    assert ("纬度", "“纬度” must be filled in") in by_row[3]
    assert any("outside China" in m for _c, m in by_row[4])
    assert any(c == "坐标系" and "Unknown coordinate system" in m for c, m in by_row[5])
    assert any(c == "省份" and "lie in 浙江省, not in 江苏省" in m for c, m in by_row[6])
    assert not Venue.objects.exists()


def test_duplicates_in_the_file_and_in_the_database_are_refused(world):
    venue(world, "导入测试纪念馆")
    result = _run(world, [GOOD, {**GOOD}])
    messages = [e.message for e in result.errors]
    assert "This venue is already recorded" in messages
    assert "The same venue as in row 2" in messages
    assert Venue.objects.count() == 1


def test_only_the_unions_officers_import(world):
    regions()
    with pytest.raises(Forbidden):
        run_import(VenueImport(organisation=world.hz), make_xlsx([GOOD], HEADERS), by=world.sz_officer)


def test_the_excel_template_has_every_column():
    headers = read_xlsx(VenueImport().template())[0]
    assert headers == [c.header for c in COLUMNS]


def test_opening_days_in_words():
    assert parse_open_days("周二至周日") == [2, 3, 4, 5, 6, 7]
    assert parse_open_days("每天") == [1, 2, 3, 4, 5, 6, 7]
    assert parse_open_days("星期一、星期三，周五") == [1, 3, 5]
    assert parse_open_days("周六至周一") == [1, 6, 7]
    assert parse_open_days("2-4") == [2, 3, 4]
    assert format_open_days([2, 3, 4, 5, 6, 7]) == "周二至周日"
    assert format_open_days([1, 3, 5]) == "周一、周三、周五"
    assert format_open_days([]) == ""
    for days in ([1], [2, 3], [1, 2, 3, 5, 7], list(range(1, 8))):
        assert parse_open_days(format_open_days(days)) == days
    with pytest.raises(Exception, match="周二至周日"):
        parse_open_days("工作日")


# --- GeoJSON ------------------------------------------------------------------------------------------


def _geojson(features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


def _feature(lng, lat, **props):
    base = {"名称": "GeoJSON纪念馆", "类型": "旧址", "主题": "建党历程", "省份": "浙江省"}
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lng, lat]},
        "properties": {**base, **props},
    }


def test_geojson_import_and_its_bad_features(world):
    regions()
    good = _feature(*HANGZHOU)
    bad = [
        {
            "type": "Feature",
            "geometry": None,
            "properties": {"名称": "无坐标", "类型": "旧址", "主题": "建党历程", "省份": "浙江省"},
        },
        _feature(-74.0, 40.7, 名称="纽约"),
        _feature(*HANGZHOU, 名称="坐标系错", 坐标系="UTM"),
        _feature(121.4737, 31.2304, 名称="在上海"),
    ]
    result = run_geojson_import(VenueImport(organisation=world.hz), _geojson([good, *bad]), by=world.hz_officer)
    assert sorted({e.row for e in result.errors}) == [3, 4, 5, 6]
    assert not Venue.objects.exists()
    result = run_geojson_import(VenueImport(organisation=world.hz), _geojson([good]), by=world.hz_officer)
    assert result.ok and Venue.objects.get().name == "GeoJSON纪念馆"


def test_geojson_that_is_not_geojson_is_refused(world):
    importer = VenueImport(organisation=world.hz)
    for data in (b"not json", b'{"type": "Feature"}', b'{"type": "FeatureCollection", "features": []}', b"\xff\xfe"):
        result = run_geojson_import(importer, data, by=world.hz_officer)
        assert not result.ok and result.errors[0].row == 0


def test_an_export_imports_again(world, client):
    v = venue(world, "往返测试馆", open_days=[2, 3, 4, 5, 6, 7], publish=True, address="某路1号")
    xlsx = client.get("/heritage/venues.xlsx").content
    geojson = client.get("/heritage/venues.geojson").content
    original = {f: getattr(v, f) for f in ("name", "kind", "theme", "province_id", "city_id", "open_days", "address")}
    position = (v.longitude, v.latitude)
    for data, run in ((xlsx, run_import), (geojson, run_geojson_import)):
        Venue.objects.all().delete()
        result = run(VenueImport(organisation=world.hz), data, by=world.hz_officer)
        assert result.ok, result.errors
        again = Venue.objects.get()
        assert {f: getattr(again, f) for f in original} == original
        assert geo.distance_m(again.longitude, again.latitude, *position) < 0.05


def test_exports_hold_only_published_venues_and_no_formula(world, client):
    venue(world, '=HYPERLINK("http://x")', publish=True)
    venue(world, "草稿馆", position=(120.17, 30.26))
    import io

    from openpyxl import load_workbook

    data = client.get("/heritage/venues.xlsx").content
    rows = read_xlsx(data)
    assert rows[0] == [c.header for c in COLUMNS]
    assert [r[0] for r in rows[1:]] == ['=HYPERLINK("http://x")']
    cell = load_workbook(io.BytesIO(data)).worksheets[0]["A2"]
    assert cell.data_type == "s" and cell.quotePrefix  # kept as text, never a live formula
    doc = json.loads(client.get("/heritage/venues.geojson").content)
    assert [f["properties"]["name"] for f in doc["features"]] == ['=HYPERLINK("http://x")']

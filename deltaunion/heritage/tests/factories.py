"""Heritage test data, written through the services (so positions, places and history are real)."""

from __future__ import annotations

from typing import Any

from deltaunion.heritage import geo, services
from deltaunion.heritage.models import Route, Venue
from deltaunion.orgs.models import Region

# Public positions (WGS-84) well inside their cities.
HANGZHOU = (120.1551, 30.2741)  # 杭州 武林广场一带
HANGZHOU_2 = (120.1693, 30.2595)
SUZHOU = (120.5853, 31.2990)  # 苏州 观前街一带
SHANGHAI = (121.4737, 31.2304)  # 上海 人民广场


def region(code: str, name: str, level: str, parent: str | None = None) -> Region:
    return Region.objects.update_or_create(code=code, defaults={"name": name, "level": level, "parent_id": parent})[0]


def regions() -> dict[str, Region]:
    """The four provinces and the cities the tests use (the `tree` fixture has 33/3301/32/3205)."""
    P, C, K = Region.Level.PROVINCE, Region.Level.PREFECTURE, Region.Level.COUNTY
    return {
        "sh": region("310000", "上海市", P),
        "huangpu": region("310101", "黄浦区", K, "310000"),
        "js": region("320000", "江苏省", P),
        "sz": region("320500", "苏州市", C, "320000"),
        "zj": region("330000", "浙江省", P),
        "hz": region("330100", "杭州市", C, "330000"),
        "xihu": region("330106", "西湖区", K, "330100"),
        "ah": region("340000", "安徽省", P),
    }


def venue(world: Any, name: str = "测试纪念馆", *, where: str = "hz", publish: bool = False, **fields: Any) -> Venue:
    places = regions()
    by = world.hz_officer if where == "hz" else world.sz_officer
    owner = world.hz if where == "hz" else world.sz
    lng, lat = fields.pop("position", HANGZHOU if where == "hz" else SUZHOU)
    data = {
        "kind": "memorial",
        "theme": "labour_movement",
        "province": places["zj"] if where == "hz" else places["js"],
        "city": places["hz"] if where == "hz" else places["sz"],
        "longitude": lng,
        "latitude": lat,
        "coordinate_system": geo.WGS84,
        **fields,
    }
    v = services.venue_create(organisation=owner, by=by, name=name, **data)
    if publish:
        services.venue_publish(venue=v, by=by)
    return v


def route(world: Any, venues: list[Venue], title: str = "测试线路", *, publish: bool = False, **fields: Any) -> Route:
    by = world.hz_officer
    r = services.route_create(
        organisation=world.hz, title=title, theme="labour_movement", by=by, stops=venues, **fields
    )
    if publish:
        services.route_publish(route=r, by=by)
    return r

"""Demo venues, routes and visits (idempotent: `load` may run any number of times).

Venues and routes belong to the provincial federation of their (first) province and are
written through the services as the platform administrator, so each has its history. The
demo creates nothing in `orgs`: divisions and federations come from the orgs loader (a
division missing from the table is left empty). Visits are the demo worker's, marked 演示.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from deltaunion.core.registry import DemoContext
from deltaunion.heritage import demo_data as data
from deltaunion.heritage import geo, services
from deltaunion.heritage.models import Route, Status, Venue, Visit
from deltaunion.orgs.models import Organisation, Region


def _federation(province_code: str) -> Organisation | None:
    return (
        Organisation.objects.filter(kind=Organisation.Kind.PROVINCIAL, region_id=province_code).order_by("id").first()
    )


def _places(code: str) -> tuple[Region | None, Region | None, Region | None]:
    regions = {r.code: r for r in Region.objects.filter(code__in={code[:2] + "0000", code[:4] + "00", code})}
    province = regions.get(code[:2] + "0000")
    city = regions.get(code[:4] + "00") if code[:2] != "31" else None
    county = regions.get(code) if code[4:] != "00" else None
    if city is not None and city.level != Region.Level.PREFECTURE:
        city = None
    if county is not None and county.level != Region.Level.COUNTY:
        county = None
    return province, city, county


def load(ctx: DemoContext) -> dict[str, Any]:
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    venues: dict[str, Venue] = {}
    for key, name, kind, theme, code, address, (lng, lat), days, hours, background, source in data.VENUES:
        province, city, county = _places(code)
        owner = _federation(code[:2] + "0000")
        if province is None or owner is None:
            continue
        venue = Venue.objects.filter(province=province, name=name).first()
        if venue is None:
            venue = services.venue_create(
                organisation=owner,
                by=admin,
                name=name,
                kind=kind,
                theme=theme,
                province=province,
                city=city,
                county=county,
                address=address,
                longitude=lng,
                latitude=lat,
                coordinate_system=geo.GCJ02,
                coordinates_approximate=True,
                open_days=list(days),
                opening_hours=hours,
                background=background,
                source=source,
            )
        if venue.status == Status.DRAFT and key not in data.DRAFT_VENUES:
            services.venue_publish(venue=venue, by=admin)
        venues[key] = venue

    routes = 0
    for title, theme, days, stops, summary, transport, batch in data.ROUTES:
        if any(k not in venues for k, _day in stops):
            continue
        route = Route.objects.filter(title=title).first()
        if route is None:
            owner = venues[stops[0][0]].organisation
            route = services.route_create(
                organisation=owner,
                title=title,
                theme=theme,
                by=admin,
                days=days,
                summary=summary,
                transport_notes=transport,
                batch=batch,
                source=data.ROUTE_SOURCE,
                stops=[(venues[k], day) for k, day in stops],
            )
        if route.status == Status.DRAFT and batch == 1:
            services.route_publish(route=route, by=admin)
        routes += 1

    visits = _visits(venues)
    published_venues = Venue.objects.filter(status=Status.PUBLISHED).count()
    published_routes = Route.objects.filter(status=Status.PUBLISHED).count()
    ctx.summary.append(
        f"{len(venues)} heritage venues ({published_venues} published), "
        f"{routes} visit routes ({published_routes} published), {visits} visits"
    )
    return {"venues": venues}


def _visits(venues: dict[str, Venue]) -> int:
    """The demo worker's union group checked in at a few Zhejiang venues this month."""
    user = get_user_model().objects.filter(username="worker").first()
    if user is None or not hasattr(user, "worker"):
        return 0
    today = timezone.localdate()
    plan = [("nanhu_memorial", 3, 32), ("red_boat", 3, 32), ("tongyigong", 9, 18), ("yaqian", 9, 18)]
    n = 0
    for key, days_ago, people in plan:
        venue = venues.get(key)
        if venue is None or not venue.is_published:
            continue
        day = max(today - dt.timedelta(days=days_ago), today.replace(month=1, day=1))
        if Visit.objects.filter(user=user, venue=venue, visited_on=day).exists():
            n += 1
            continue
        visit = services.visit_record(
            venue=venue, by=user, visited_on=day, people=people, purpose=Visit.Purpose.STUDY, note="演示"
        )
        Visit.objects.filter(pk=visit.pk).update(is_demo=True)
        n += 1
    return n

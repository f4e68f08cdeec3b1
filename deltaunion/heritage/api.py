"""The heritage API for government and partner systems: the published venues as GeoJSON and
the published routes with their ordered stops. Public (no login), read-only.

Bad parameters are refused (422 for a value of the wrong shape, 400 with a message for an
unknown province), never a 500.
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from deltaunion.heritage import geo, selectors
from deltaunion.heritage.imports import feature, feature_collection
from deltaunion.heritage.models import Reach, Theme, VenueKind

router = Router(tags=["heritage"])

KindCode = Literal[tuple(VenueKind.values)]  # type: ignore[valid-type]
ThemeCode = Literal[tuple(Theme.values)]  # type: ignore[valid-type]
ReachCode = Literal[tuple(Reach.values)]  # type: ignore[valid-type]
Crs = Literal["wgs84", "gcj02"]


class VenueQuery(Schema):
    province: str = Field("", pattern=r"^(\d{6})?$", description="GB/T 2260 code of the province, e.g. 310000")
    city: str = Field("", pattern=r"^(\d{6})?$", description="GB/T 2260 code of the city or district")
    kind: KindCode | Literal[""] = ""
    theme: ThemeCode | Literal[""] = ""
    q: str = Field("", max_length=100, description="words in the name or the address")
    crs: Crs = Field("wgs84", description="wgs84 (RFC 7946, the default) or gcj02 for a GCJ-02 tile layer")


class Point(Schema):
    type: Literal["Point"]
    coordinates: list[float]


class VenueProperties(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    theme: str
    theme_label: str
    province: str
    province_name: str
    city: str
    city_name: str
    county: str
    county_name: str
    address: str
    coordinates_approximate: bool
    open_days: list[int] = Field(description="ISO weekdays the venue is open (1 = Monday); empty: not known")
    open_days_label: str
    opening_hours: str
    closures: str
    booking: str
    accessibility: str
    group_capacity: int | None
    background: str
    source: str
    groups_this_year: int = Field(description="union groups that checked in this year")
    url: str


class VenueFeature(Schema):
    type: Literal["Feature"]
    id: int
    geometry: Point
    properties: VenueProperties


class VenueCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[VenueFeature]
    coordinate_system: str | None = None


def _check_province(code: str) -> None:
    if code and code not in {r.code for r in selectors.provinces()}:
        raise ValidationError(_("Unknown province: use the code of Shanghai, Jiangsu, Zhejiang or Anhui"))


@router.get(
    "/venues",
    response=VenueCollection,
    summary="Published red labour-movement venues as a GeoJSON FeatureCollection (public)",
)
def list_venues(request, query: Query[VenueQuery]):
    _check_province(query.province)
    filters = selectors.VenueFilters(
        province=query.province, city=query.city, kind=query.kind, theme=query.theme, q=query.q.strip()
    )
    venues = list(selectors.published_venues(filters))
    groups = selectors.groups_this_year(venues)
    return feature_collection(
        [
            feature(
                v,
                groups=groups.get(v.pk, 0),
                crs=query.crs,
                url=reverse("heritage:venue", args=[v.pk]),
            )
            for v in venues
        ],
        crs=query.crs,
    )


class RouteQuery(Schema):
    theme: ThemeCode | Literal[""] = ""
    province: str = Field("", pattern=r"^(\d{6})?$", description="routes with a stop in this province")
    reach: ReachCode | Literal[""] = ""
    crs: Crs = "wgs84"


class StopOut(Schema):
    position: int
    day: int
    venue_id: int
    name: str
    province: str
    longitude: float
    latitude: float
    note: str
    url: str


class RouteOut(Schema):
    id: int
    title: str
    theme: str
    theme_label: str
    days: int
    reach: str
    reach_label: str
    length_km: float | None = Field(description="great-circle length between the stops")
    travel_minutes: int | None = Field(description="estimated travel time by coach")
    summary: str
    transport_notes: str
    batch: int
    organisation: str
    url: str
    stops: list[StopOut]


@router.get("/routes", response=list[RouteOut], summary="Published visit routes with their ordered stops (public)")
def list_routes(request, query: Query[RouteQuery]):
    _check_province(query.province)
    out = []
    for route in selectors.published_routes(theme=query.theme, province=query.province, reach=query.reach):
        stops = []
        for s in route.stops.all():
            lng, lat = geo.convert(s.venue.longitude, s.venue.latitude, geo.WGS84, query.crs)
            stops.append(
                {
                    "position": s.position,
                    "day": s.day,
                    "venue_id": s.venue_id,
                    "name": s.venue.name,
                    "province": s.venue.province_id,
                    "longitude": round(lng, 7),
                    "latitude": round(lat, 7),
                    "note": s.note,
                    "url": reverse("heritage:venue", args=[s.venue_id]),
                }
            )
        out.append(
            {
                "id": route.pk,
                "title": route.title,
                "theme": route.theme,
                "theme_label": str(route.get_theme_display()),
                "days": route.days,
                "reach": route.reach,
                "reach_label": str(route.get_reach_display()) if route.reach else "",
                "length_km": route.length_km,
                "travel_minutes": route.travel_minutes,
                "summary": route.summary,
                "transport_notes": route.transport_notes,
                "batch": route.batch,
                "organisation": route.organisation.name,
                "url": reverse("heritage:route", args=[route.pk]),
                "stops": stops,
            }
        )
    return out

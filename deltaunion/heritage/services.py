"""Every write of the heritage app: venues, photos, routes and their stops, visits, reviews.

Services check permissions (`require`), validate, write inside one transaction through
`model_update` / the state machines, and write the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.permissions import require
from deltaunion.core.services import model_update
from deltaunion.heritage import basemap, geo, planning
from deltaunion.heritage.models import Route, RouteStop, Status, Venue, VenuePhoto, Visit
from deltaunion.heritage.permissions import team_of
from deltaunion.orgs.models import Organisation, Region

VENUE_FIELDS = [
    "name",
    "kind",
    "theme",
    "province",
    "city",
    "county",
    "address",
    "longitude",
    "latitude",
    "coordinate_system",
    "coordinates_approximate",
    "open_days",
    "opening_hours",
    "closures",
    "booking",
    "accessibility",
    "group_capacity",
    "background",
    "source",
]
ROUTE_FIELDS = ["title", "theme", "days", "summary", "transport_notes", "batch", "source"]
MUNICIPALITIES = {"310000"}  # a municipality's districts are one city for a route's reach


# --- coordinates and places ---------------------------------------------------------------------------


def position_to_wgs84(*, longitude: Any, latitude: Any, system: str) -> tuple[float, float]:
    """(lng, lat) in WGS-84 from a position taken in `system`; ValidationError for a missing
    or impossible position, an unknown system, or a point outside China."""
    if system not in geo.SYSTEMS:
        raise ValidationError(_("Unknown coordinate system “%(s)s”: use WGS-84, GCJ-02 or BD-09") % {"s": system})
    try:
        lng, lat = float(longitude), float(latitude)
    except (TypeError, ValueError):
        raise ValidationError(_("Both longitude and latitude are needed, as decimal degrees")) from None
    if not (-180 <= lng <= 180 and -90 <= lat <= 90) or lng != lng or lat != lat:
        raise ValidationError(
            _(
                "Longitude is between −180 and 180 and latitude between −90 and 90: "
                "check the order of longitude and latitude"
            )
        )
    if geo.out_of_china(lng, lat):
        raise ValidationError(
            _("The point (%(lng)s, %(lat)s) lies outside China: check the order of longitude and latitude")
            % {"lng": lng, "lat": lat}
        )
    lng, lat = geo.to_wgs84(lng, lat, system)
    return round(lng, 7), round(lat, 7)


def check_place(*, province: Region | None, city: Region | None, county: Region | None, lng: float, lat: float) -> None:
    """The divisions must nest and the province must be one of the four and contain the point."""
    if province is None:
        raise ValidationError(_("Choose the province"))
    if province.code not in basemap.PROVINCES:
        raise ValidationError(_("Only venues in Shanghai, Jiangsu, Zhejiang and Anhui are recorded here"))
    for region in (city, county):
        if region is not None and region.code[:2] != province.code[:2]:
            raise ValidationError(
                _("%(region)s is not in %(province)s") % {"region": region.name, "province": province.name}
            )
    if city is not None and county is not None and county.parent_id and county.parent_id != city.code:
        raise ValidationError(_("%(county)s is not in %(city)s") % {"county": county.name, "city": city.name})
    if not basemap.matches_province(lng, lat, province.code):
        found = basemap.province_at(lng, lat)
        where = basemap.PROVINCES.get(found or "", "")
        raise ValidationError(
            (
                _("The coordinates lie in %(found)s, not in %(province)s")
                if where
                else _("The coordinates do not lie in %(province)s")
            )
            % {"found": where, "province": province.name}
        )


def _venue_data(data: dict[str, Any]) -> dict[str, Any]:
    """Convert the position to WGS-84 and check the place; the other fields as given."""
    data = dict(data)
    system = data.get("coordinate_system") or geo.WGS84
    lng, lat = position_to_wgs84(longitude=data.get("longitude"), latitude=data.get("latitude"), system=system)
    data.update(longitude=lng, latitude=lat, coordinate_system=system)
    check_place(province=data.get("province"), city=data.get("city"), county=data.get("county"), lng=lng, lat=lat)
    return data


# --- venues ---------------------------------------------------------------------------------------------


def venue_create(*, organisation: Organisation, by: Any, **fields: Any) -> Venue:
    require(by, "heritage.add_venue", organisation)
    unknown = set(fields) - set(VENUE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set: %(f)s") % {"f": ", ".join(sorted(unknown))})
    data = _venue_data(fields)
    with transaction.atomic():
        venue = Venue(organisation=organisation, **data)
        venue.full_clean()
        venue.save()
        log_action(actor=by, action="heritage_venue.create", obj=venue, after=snapshot(venue))
    return venue


def venue_update(*, venue: Venue, by: Any, **fields: Any) -> Venue:
    """Change a venue's facts; a position is given with the system it was taken in (and is
    converted), or left out to keep the stored one."""
    require(by, "heritage.manage_venue", venue)
    fields = dict(fields)
    province = fields.get("province", venue.province)
    city, county = fields.get("city", venue.city), fields.get("county", venue.county)
    if {"longitude", "latitude"} & set(fields):
        system = fields.get("coordinate_system") or geo.WGS84
        lng, lat = position_to_wgs84(longitude=fields.get("longitude"), latitude=fields.get("latitude"), system=system)
        fields.update(longitude=lng, latitude=lat, coordinate_system=system)
    else:
        fields.pop("coordinate_system", None)  # the system describes a position given with it
        lng, lat = venue.longitude, venue.latitude
    if {"longitude", "latitude", "province", "city", "county"} & set(fields):
        check_place(province=province, city=city, county=county, lng=lng, lat=lat)
    with transaction.atomic():
        model_update(instance=venue, fields=VENUE_FIELDS, data=fields, by=by, action="heritage_venue.update")
        if {"longitude", "latitude"} & set(fields):
            for route in Route.objects.filter(stops__venue=venue).distinct():
                _refresh_route(route)
    return venue


def venue_publish(*, venue: Venue, by: Any, note: str = "") -> Venue:
    return Venue.workflow.fire(venue, "publish", by=by, note=note, changes={"published_at": timezone.now()})


def venue_withdraw(*, venue: Venue, by: Any, note: str = "") -> Venue:
    return Venue.workflow.fire(venue, "withdraw", by=by, note=note)


def venue_republish(*, venue: Venue, by: Any, note: str = "") -> Venue:
    return Venue.workflow.fire(venue, "republish", by=by, note=note, changes={"published_at": timezone.now()})


def venue_set_status(*, venue: Venue, status: str, by: Any, note: str = "") -> Venue:
    changes = {"published_at": timezone.now()} if status == Status.PUBLISHED else None
    return Venue.workflow.fire(venue, to=status, by=by, note=note, changes=changes)


PHOTO_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def venue_photo_add(*, venue: Venue, upload: Any, caption: str, credit: str, by: Any) -> VenuePhoto:
    """A photo of the venue: a real JPEG, PNG or WebP image of at most 5 MB, with its credit."""
    require(by, "heritage.manage_venue", venue)
    from PIL import Image, UnidentifiedImageError

    if upload is None or getattr(upload, "size", 0) == 0:
        raise ValidationError(_("Choose a photo"))
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(_("A photo is at most 5 MB"))
    credit, caption = (credit or "").strip(), (caption or "").strip()
    if not credit:
        raise ValidationError(_("Name the photographer or the source and its licence"))
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("The file is not a photo (JPEG, PNG or WebP)")) from None
    if kind not in PHOTO_TYPES:
        raise ValidationError(_("The file is not a photo (JPEG, PNG or WebP)"))
    content_type, suffix = PHOTO_TYPES[kind]
    upload.seek(0)
    upload.name = f"photo{suffix}"
    with transaction.atomic():
        photo = VenuePhoto(venue=venue, image=upload, content_type=content_type, caption=caption, credit=credit)
        photo.full_clean()
        photo.save()
        log_action(
            actor=by,
            action="heritage_venue.photo_add",
            obj=venue,
            after={"caption": caption or _("Photo"), "credit": credit},
        )
    return photo


# --- routes -----------------------------------------------------------------------------------------------


def route_create(
    *, organisation: Organisation, title: str, theme: str, by: Any, stops: Sequence[Any] = (), **fields: Any
) -> Route:
    require(by, "heritage.add_route", organisation)
    unknown = set(fields) - set(ROUTE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set: %(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        route = Route(organisation=organisation, title=(title or "").strip(), theme=theme, **fields)
        route.full_clean()
        route.save()
        log_action(actor=by, action="heritage_route.create", obj=route, after=snapshot(route))
        if stops:
            route_set_stops(route=route, stops=stops, by=by)
    return route


def route_update(*, route: Route, by: Any, **fields: Any) -> Route:
    require(by, "heritage.manage_route", route)
    model_update(instance=route, fields=ROUTE_FIELDS, data=fields, by=by, action="heritage_route.update")
    if "days" in fields and route.stops.filter(day__gt=route.days).exists():
        raise ValidationError(_("Some stops are planned after the route's last day"))
    return route


def _stop_spec(item: Any) -> tuple[Venue, int, str]:
    """A stop is a venue, or (venue, day), or (venue, day, note)."""
    if isinstance(item, Venue):
        return item, 1, ""
    venue, day, *rest = item
    return venue, int(day or 1), (rest[0] if rest else "") or ""


def route_set_stops(*, route: Route, stops: Sequence[Any], by: Any) -> Route:
    """Replace the route's stops (in order); length, travel time and reach are worked out again.

    A published route keeps only published venues as stops."""
    require(by, "heritage.manage_route", route)
    specs = [_stop_spec(s) for s in stops]
    venues = [v for v, _d, _n in specs]
    if len({v.pk for v in venues}) != len(venues):
        raise ValidationError(_("A venue appears twice in the route"))
    if len(specs) > 30:
        raise ValidationError(_("A route has at most 30 stops"))
    days = [d for _v, d, _n in specs]
    if any(d < 1 or d > route.days for d in days):
        raise ValidationError(
            _("Each stop is on a day from 1 to %(days)d (the route's number of days)") % {"days": route.days}
        )
    if days != sorted(days):
        raise ValidationError(_("The stops of a later day come after those of an earlier day"))
    if route.status == Status.PUBLISHED and len(specs) < 2:
        raise ValidationError(_("A published route keeps at least two stops"))
    if route.status == Status.PUBLISHED and any(v.status != Status.PUBLISHED for v in venues):
        raise ValidationError(_("A published route may only stop at published venues"))
    with transaction.atomic():
        locked = Route.objects.select_for_update().get(pk=route.pk)
        before = list(locked.stops.select_related("venue").order_by("position"))
        old_names = [s.venue.name for s in before]
        old_metrics = {"length_km": locked.length_km, "travel_minutes": locked.travel_minutes, "reach": locked.reach}
        locked.stops.all().delete()
        RouteStop.objects.bulk_create(
            [
                RouteStop(route=locked, venue=v, position=i, day=d, note=n[:200])
                for i, (v, d, n) in enumerate(specs, start=1)
            ]
        )
        _refresh_route(locked)
        route.length_km, route.travel_minutes, route.reach = locked.length_km, locked.travel_minutes, locked.reach
        new_names = [v.name for v in venues]
        if new_names != old_names or [s.day for s in before] != days:
            log_action(
                actor=by,
                action="heritage_route.stops",
                obj=locked,
                before={"stops": old_names, **old_metrics},
                after={
                    "stops": new_names,
                    "length_km": locked.length_km,
                    "travel_minutes": locked.travel_minutes,
                    "reach": locked.reach,
                },
            )
    return route


def city_key(venue: Venue) -> str:
    if venue.province_id in MUNICIPALITIES:
        return venue.province_id
    if venue.city_id:
        return venue.city_id
    if venue.county_id:
        return venue.county_id[:4] + "00"
    return venue.province_id


def stop_plans(stops: Sequence[RouteStop]) -> list[planning.StopPlan]:
    return [
        planning.StopPlan(
            position=s.position,
            name=s.venue.name,
            longitude=s.venue.longitude,
            latitude=s.venue.latitude,
            day=s.day,
            open_days=tuple(s.venue.open_days or ()),
        )
        for s in stops
    ]


def _refresh_route(route: Route) -> None:
    """The derived figures of a route, from its stops (no audit entry of its own: the change
    that caused it has one)."""
    stops = list(route.stops.select_related("venue").order_by("position"))
    if stops:
        m = planning.metrics(stop_plans(stops))
        reach = planning.reach([s.venue.province_id for s in stops], [city_key(s.venue) for s in stops])
        values = {"length_km": m.length_km, "travel_minutes": m.travel_minutes, "reach": reach}
    else:
        values = {"length_km": None, "travel_minutes": None, "reach": ""}
    Route.objects.filter(pk=route.pk).update(**values)
    for k, v in values.items():
        setattr(route, k, v)


def route_set_status(*, route: Route, status: str, by: Any, note: str = "") -> Route:
    changes = {"published_at": timezone.now()} if status == Status.PUBLISHED else None
    return Route.workflow.fire(route, to=status, by=by, note=note, changes=changes)


def route_publish(*, route: Route, by: Any, note: str = "") -> Route:
    return Route.workflow.fire(route, "publish", by=by, note=note, changes={"published_at": timezone.now()})


def route_withdraw(*, route: Route, by: Any, note: str = "") -> Route:
    return Route.workflow.fire(route, "withdraw", by=by, note=note)


# --- visits -------------------------------------------------------------------------------------------------

VISIT_BACKDATE_DAYS = 30


def visit_record(
    *,
    venue: Venue,
    by: Any,
    visited_on: dt.date | None = None,
    people: int = 1,
    purpose: str = Visit.Purpose.STUDY,
    route: Route | None = None,
    note: str = "",
) -> Visit:
    """A check-in at a published venue for the user's union group: today, or up to 30 days back."""
    require(by, "heritage.check_in", venue)
    team = team_of(by)
    today = timezone.localdate()
    visited_on = visited_on or today
    if visited_on > today:
        raise ValidationError(_("A visit cannot be checked in before it happens"))
    if visited_on < today - dt.timedelta(days=VISIT_BACKDATE_DAYS):
        raise ValidationError(_("A visit is checked in within 30 days"))
    if route is not None and not route.stops.filter(venue=venue).exists():
        raise ValidationError(_("This venue is not a stop of that route"))
    duplicate = _("You have already checked in at this venue on that day")
    if Visit.objects.filter(user=by, venue=venue, visited_on=visited_on).exists():
        raise ValidationError(duplicate)
    with transaction.atomic():
        visit = Visit(
            venue=venue,
            organisation=team,
            user=by,
            visited_on=visited_on,
            people=people,
            purpose=purpose,
            route=route,
            note=(note or "").strip(),
        )
        visit.full_clean()
        try:
            with transaction.atomic():
                visit.save()
        except IntegrityError:  # the same check-in sent twice at once
            raise ValidationError(duplicate) from None
        log_action(actor=by, action="heritage_visit.record", obj=visit, after=snapshot(visit))
    return visit


# --- reviews (community posts about a venue) -------------------------------------------------------------


def venue_review(*, venue: Venue, by: Any, title: str, body: str) -> Any:
    """A review of a published venue: a community post about it, in the author's union."""
    require(by, "heritage.review_venue", venue)
    from deltaunion.community import services as community
    from deltaunion.heritage.selectors import REVIEW_KIND

    return community.post_create(by=by, kind=REVIEW_KIND, title=title, body=body, subject=venue)

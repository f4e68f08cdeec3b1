"""Reads of the heritage app, scoped to the user (other apps read routes through here: the
recuperation app links its itineraries to `published_routes()`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from deltaunion.heritage import planning
from deltaunion.heritage.models import (
    Route,
    RouteStop,
    Status,
    Theme,
    Venue,
    VenueKind,
    VenuePhoto,
    Visit,
)
from deltaunion.heritage.permissions import team_of, visits_visible_q
from deltaunion.heritage.services import MUNICIPALITIES, stop_plans
from deltaunion.orgs.models import Organisation, Region
from deltaunion.orgs.scoping import get_for_user_or_404, managed, managed_organisations, scoped

# Reviews of venues are community posts of the review kind.
REVIEW_KIND = "review"


@dataclass(frozen=True)
class VenueFilters:
    province: str = ""
    city: str = ""
    kind: str = ""
    theme: str = ""
    q: str = ""

    def query(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


def provinces() -> list[Region]:
    """The provinces venues may lie in (the four), as the divisions table has them."""
    from deltaunion.heritage.basemap import PROVINCES

    return list(Region.objects.filter(code__in=PROVINCES).order_by("code"))


def parse_filters(params: Any) -> tuple[VenueFilters, dict[str, str]]:
    """The map's filters from query parameters; unknown values are errors (key → message key)."""
    errors: dict[str, str] = {}
    province = (params.get("province") or "").strip()
    city = (params.get("city") or "").strip()
    kind = (params.get("kind") or "").strip()
    theme = (params.get("theme") or "").strip()
    q = (params.get("q") or "").strip()[:100]
    if province and province not in {r.code for r in provinces()}:
        errors["province"] = "province"
        province = ""
    if city and not (city.isdigit() and len(city) == 6):
        errors["city"] = "city"
        city = ""
    if kind and kind not in VenueKind.values:
        errors["kind"] = "kind"
        kind = ""
    if theme and theme not in Theme.values:
        errors["theme"] = "theme"
        theme = ""
    return VenueFilters(province=province, city=city, kind=kind, theme=theme, q=q), errors


def _filtered(qs: QuerySet[Venue], f: VenueFilters) -> QuerySet[Venue]:
    if f.province:
        qs = qs.filter(province_id=f.province)
    if f.city:
        qs = qs.filter(Q(city_id=f.city) | Q(county_id=f.city) | Q(county__parent_id=f.city))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.theme:
        qs = qs.filter(theme=f.theme)
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(address__icontains=f.q))
    return qs


def published_venues(f: VenueFilters | None = None) -> QuerySet[Venue]:
    """The public map: published venues only, whoever asks."""
    qs = Venue.objects.filter(status=Status.PUBLISHED).select_related("province", "city", "county", "organisation")
    return _filtered(qs, f or VenueFilters()).order_by("province_id", "name")


def venues_for(user: Any, f: VenueFilters | None = None) -> QuerySet[Venue]:
    """What a user may read: published venues and the drafts of the unions they manage."""
    qs = scoped(Venue.objects.select_related("province", "city", "county", "organisation"), user)
    return _filtered(qs, f or VenueFilters()).order_by("province_id", "name")


def managed_venues(user: Any, *, status: str = "") -> QuerySet[Venue]:
    qs = managed(Venue.objects.select_related("province", "city", "county", "organisation"), user)
    if status in Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("province_id", "name")


def venue_for_user_or_404(user: Any, venue_id: int) -> Venue:
    return get_for_user_or_404(
        Venue.objects.select_related("province", "city", "county", "organisation"), user, pk=venue_id
    )


def photo_for_user_or_404(user: Any, photo_id: int) -> VenuePhoto:
    return get_for_user_or_404(VenuePhoto.objects.select_related("venue__organisation"), user, pk=photo_id)


def venue_photos(venue: Venue) -> list[VenuePhoto]:
    return list(venue.photos.all())


def groups_this_year(venues: list[Venue] | QuerySet[Venue], year: int | None = None) -> dict[int, int]:
    """For each venue, how many union groups (distinct unions) checked in this year."""
    year = year or timezone.localdate().year
    ids = [v.pk for v in venues]
    rows = (
        Visit.objects.filter(venue_id__in=ids, visited_on__year=year)
        .values("venue_id")
        .annotate(n=Count("organisation", distinct=True))
    )
    return {r["venue_id"]: r["n"] for r in rows}


def open_days_label(venue: Venue) -> str:
    from deltaunion.heritage.imports import open_days_label as label

    return label(venue.open_days or [])


def place_label(venue: Venue) -> str:
    parts = [venue.province.name]
    if venue.city_id and venue.province_id not in MUNICIPALITIES:
        parts.append(venue.city.name)
    if venue.county_id:
        parts.append(venue.county.name)
    return "".join(parts)


# --- routes ------------------------------------------------------------------------------------------------


def _stops_prefetch() -> Prefetch:
    return Prefetch(
        "stops",
        queryset=RouteStop.objects.select_related("venue__province", "venue__city", "venue__county").order_by(
            "position"
        ),
    )


def published_routes(*, theme: str = "", province: str = "", reach: str = "") -> QuerySet[Route]:
    """Published routes with their ordered stops (public; also what itineraries link to)."""
    qs = (
        Route.objects.filter(status=Status.PUBLISHED).select_related("organisation").prefetch_related(_stops_prefetch())
    )
    if theme:
        qs = qs.filter(theme=theme)
    if province:
        qs = qs.filter(stops__venue__province_id=province).distinct()
    if reach:
        qs = qs.filter(reach=reach)
    return qs.order_by("batch", "title")


def routes_for(user: Any) -> QuerySet[Route]:
    return scoped(Route.objects.select_related("organisation"), user).prefetch_related(_stops_prefetch())


def managed_routes(user: Any, *, status: str = "") -> QuerySet[Route]:
    qs = managed(Route.objects.select_related("organisation"), user).prefetch_related(_stops_prefetch())
    if status in Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("batch", "title")


def route_for_user_or_404(user: Any, route_id: int) -> Route:
    return get_for_user_or_404(
        Route.objects.select_related("organisation").prefetch_related(_stops_prefetch()), user, pk=route_id
    )


def route_legs(route: Route) -> list[float]:
    return list(planning.metrics(stop_plans(list(route.stops.all()))).legs_km)


def route_day_warnings(route: Route, start_weekday: int) -> list[planning.DayWarning]:
    return planning.open_day_warnings(stop_plans(list(route.stops.all())), start_weekday)


def routes_through(venue: Venue) -> QuerySet[Route]:
    return Route.objects.filter(status=Status.PUBLISHED, stops__venue=venue).distinct().order_by("title")


def stop_choices(user: Any) -> QuerySet[Venue]:
    """Venues an officer may put on a route: published ones and their own drafts."""
    return venues_for(user).exclude(status=Status.WITHDRAWN)


def owner_choices(user: Any) -> QuerySet[Organisation]:
    """Unions an officer may record venues and routes for (provincial to district level)."""
    return managed_organisations(user).exclude(kind=Organisation.Kind.GRASSROOTS)


# --- visits ---------------------------------------------------------------------------------------------------


def visits_for(user: Any) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(visits_visible_q(user))
        .select_related("venue", "organisation", "user", "route")
        .order_by("-visited_on", "-id")
    )


def team_visits(user: Any) -> QuerySet[Visit]:
    team = team_of(user)
    if team is None:
        return Visit.objects.none()
    return visits_for(user).filter(organisation=team)


def recent_visit(user: Any, venue: Venue) -> Visit | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Visit.objects.filter(user=user, venue=venue, visited_on=timezone.localdate()).first()


# --- key-task evidence (core.registry) ----------------------------------------------------------------------

REQUIRED_ROUTES = 30


def key_task_evidence(task: Any) -> list[Any]:
    """For the 2023 key tasks of the map and the routes: how many venues and routes are
    published (routes against the 30 the plan requires for its first batch)."""
    from django.utils.translation import gettext as _

    from deltaunion.core.registry import Evidence

    kind = getattr(task, "kind", "")
    title = getattr(task, "title", "") or ""
    if kind not in {"map", "route"} and "红色工运" not in title:
        return []
    venues = Venue.objects.filter(status=Status.PUBLISHED).count()
    routes = Route.objects.filter(status=Status.PUBLISHED).count()
    if kind == "route" or "线路" in title:
        return [
            Evidence(
                _("Visit routes published"),
                done=routes,
                target=REQUIRED_ROUTES,
                complete=routes >= REQUIRED_ROUTES,
                url="/heritage/routes/",
            ),
            Evidence(_("Venues on the map"), done=venues, url="/heritage/"),
        ]
    return [
        Evidence(_("Venues on the map"), done=venues, complete=venues > 0, url="/heritage/"),
        Evidence(_("Visit routes published"), done=routes, target=REQUIRED_ROUTES, url="/heritage/routes/"),
    ]

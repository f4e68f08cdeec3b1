"""The officers' pages: bases (register, photos, recognition, import/export), itineraries,
batches and their steps, approvals, targets, recorded group trips, and the exchange matrix
with per-base figures (ECharts, tables beside the charts, Excel)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from deltaunion.core.excel import build_workbook_sheets, xlsx_bytes_response, xlsx_response
from deltaunion.core.permissions import can, require
from deltaunion.core.privacy import personal
from deltaunion.core.views import import_page, paginate
from deltaunion.orgs.models import Organisation, Region
from deltaunion.orgs.scoping import get_for_user_or_404
from deltaunion.recuperation import imports, rules, selectors, services
from deltaunion.recuperation.forms import (
    BaseForm,
    BatchForm,
    EndRecognitionForm,
    GroupTripForm,
    ItineraryForm,
    PhotoForm,
    RecognitionForm,
    StatusForm,
    TargetForm,
    default_close,
)
from deltaunion.recuperation.models import Application, Batch, BatchStatus, Itinerary, Status
from deltaunion.recuperation.views import attempt, group_names

A = Application.Status


def _regions() -> Any:
    q = None
    for code in services.FOUR_PROVINCES:
        part = Region.objects.filter(code__startswith=code[:2])
        q = part if q is None else q | part
    return q.order_by("code")


# --- the officers' home ------------------------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(user, "recuperation.use_officer_pages")
    status = request.GET.get("status", "")
    return render(
        request,
        "recuperation/manage.html",
        {
            "itineraries": selectors.managed_itineraries(user)[:200],
            "batches": selectors.managed_batches(user, status=status)[:200],
            "status": status if status in BatchStatus.values else "",
            "statuses": BatchStatus.choices,
            "pending": selectors.pending_approvals(user).count(),
        },
    )


# --- bases -----------------------------------------------------------------------------------------------------------


def _base_form(request: HttpRequest, base: Any = None) -> BaseForm:
    return BaseForm(
        request.POST or None,
        initial=BaseForm.initial_for(base) if base else {"kind": "recognised"},
        organisations=None if base else selectors.base_owner_choices(request.user),
        regions=_regions(),
    )


@login_required
def base_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "recuperation.add_base")
    form = _base_form(request)
    if request.method == "POST" and form.is_valid():
        org = form.cleaned_data["organisation"]
        ok, base = attempt(
            request,
            lambda: services.base_create(organisation=org, by=request.user, **form.data_for_service()),
            _("The base is registered"),
        )
        if ok:
            return redirect("recuperation:base", base.pk)
    return render(request, "recuperation/base_form.html", {"form": form, "creating": True})


@login_required
def base_edit(request: HttpRequest, base_id: int) -> HttpResponse:
    base = selectors.base_for_user_or_404(request.user, base_id)
    require(request.user, "recuperation.manage_base", base)
    form = _base_form(request, base)
    if request.method == "POST" and form.is_valid():
        ok, _r = attempt(
            request,
            lambda: services.base_update(base=base, by=request.user, **form.data_for_service()),
            _("The base is saved"),
        )
        if ok:
            return redirect("recuperation:base", base.pk)
        base.refresh_from_db()
    return render(request, "recuperation/base_form.html", {"form": form, "base": base})


@login_required
@require_POST
def base_photo_add(request: HttpRequest, base_id: int) -> HttpResponse:
    base = selectors.base_for_user_or_404(request.user, base_id)
    require(request.user, "recuperation.manage_base", base)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        cd = form.cleaned_data
        attempt(
            request,
            lambda: services.base_photo_add(
                base=base, upload=cd["image"], caption=cd["caption"], credit=cd["credit"], by=request.user
            ),
            _("The photo is added"),
        )
    else:
        messages.error(request, _("Choose a photo and name its credit"))
    return redirect("recuperation:base", base.pk)


@login_required
def base_recognise(request: HttpRequest, base_id: int) -> HttpResponse:
    base = selectors.base_for_user_or_404(request.user, base_id)
    require(request.user, "recuperation.recognise_base")
    feds = Organisation.objects.filter(pk__in=[f.pk for f in selectors.sender_choices(request.user)])
    form = RecognitionForm(
        request.POST or None, federations=feds, initial={"valid_from": timezone.localdate(), "federation": feds.first()}
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        require(request.user, "recuperation.recognise_base", cd["federation"])
        ok, _r = attempt(
            request,
            lambda: services.recognition_grant(
                base=base,
                federation=cd["federation"],
                valid_from=cd["valid_from"],
                valid_until=cd["valid_until"],
                note=cd["note"],
                by=request.user,
            ),
            _("The base is recognised: all four federations may use it"),
        )
        if ok:
            return redirect("recuperation:base", base.pk)
    return render(request, "recuperation/recognise.html", {"form": form, "base": base})


@login_required
@require_POST
def recognition_end(request: HttpRequest, recognition_id: int) -> HttpResponse:
    rec = selectors.recognition_for_user_or_404(request.user, recognition_id)
    require(request.user, "recuperation.revoke_recognition", rec)
    form = EndRecognitionForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.recognition_end(
                recognition=rec, by=request.user, on=form.cleaned_data["on"], note=form.cleaned_data["note"]
            ),
            _("The recognition ends on the day given"),
        )
    else:
        messages.error(request, _("Give the last day of the recognition"))
    return redirect("recuperation:base", rec.base_id)


@login_required
def base_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "recuperation.import_bases")

    def make(org_id: int | None) -> imports.BaseImport:
        if org_id is None:
            return imports.BaseImport(organisation=None)
        organisation = get_for_user_or_404(Organisation, request.user, pk=org_id)
        require(request.user, "recuperation.import_bases", organisation)
        return imports.BaseImport(organisation=organisation)

    return import_page(
        request,
        make_importer=make,
        title=_("Import bases from Excel"),
        back_url=reverse("recuperation:bases"),
        back_label=_("Recuperation bases"),
        organisations=selectors.base_owner_choices(request.user),
        organisation_label=_("Registered by"),
        intro=_(
            "Every row is checked before anything is saved: an unknown province, city or county, "
            "coordinates outside the province or a base already registered is reported, and nothing is "
            "imported until the file is right."
        ),
    )


@login_required
def base_export(request: HttpRequest) -> HttpResponse:
    require(request.user, "recuperation.use_officer_pages")
    f = selectors.base_filters(request.GET)
    return xlsx_response(
        _("recuperation-bases.xlsx"),
        imports.export_headers(),
        (imports.export_row(b) for b in selectors.bases(f)),
        title=_("Bases"),
    )


@login_required
def base_matrix_export(request: HttpRequest) -> HttpResponse:
    require(request.user, "recuperation.use_officer_pages")
    feds, rows = selectors.recognition_matrix(selectors.base_filters(request.GET))
    headers = [_("Base"), _("Kind"), _("Province"), _("Usable by all four")]
    for f in feds:
        headers += [_("%(org)s: since") % {"org": f.name}, _("%(org)s: until") % {"org": f.name}]

    def cells(row: selectors.MatrixRow) -> list[Any]:
        out: list[Any] = [
            row.base.name,
            row.base.get_kind_display(),
            row.base.province.name,
            _("Yes") if row.usable else _("No"),
        ]
        for c in row.cells:
            out += [c.valid_from if c else "", (c.valid_until or _("open-ended")) if c else ""]
        return out

    return xlsx_response(_("base-recognition-matrix.xlsx"), headers, (cells(r) for r in rows), title=_("Recognition"))


# --- itineraries ---------------------------------------------------------------------------------------------------


def _main(form: Any) -> list[Any]:
    """The form's fields but the repeated rows (stays, reserves) drawn separately."""
    return [form[name] for name in form.fields if not name.startswith(("base_", "nights_", "reserve_"))]


def _itinerary_form(request: HttpRequest, itinerary: Itinerary | None = None) -> ItineraryForm:
    stays = selectors.itinerary_stays(itinerary) if itinerary else []
    return ItineraryForm(
        request.POST or None,
        initial=ItineraryForm.initial_for(itinerary, stays) if itinerary else {"days": 3, "nights": 2, "union_pays": 0},
        organisations=None if itinerary else selectors.base_owner_choices(request.user),
        provinces=Region.objects.filter(code__in=services.FOUR_PROVINCES).order_by("code"),
        routes=selectors.red_route_choices(),
        bases=selectors.usable_bases(),
    )


@login_required
def itinerary_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "recuperation.add_itinerary")
    form = _itinerary_form(request)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data

        def save() -> Itinerary:
            it = services.itinerary_create(
                organisation=cd["organisation"], title=cd["title"], by=request.user, **form.data_for_service()
            )
            services.itinerary_set_stays(itinerary=it, stays=form.stays(), by=request.user)
            return it

        ok, it = attempt(request, save, _("The itinerary is saved as a draft: publish it when it is complete"))
        if ok:
            return redirect("recuperation:itinerary", it.pk)
    return render(
        request, "recuperation/itinerary_form.html", {"form": form, "main_fields": _main(form), "creating": True}
    )


@login_required
def itinerary_edit(request: HttpRequest, itinerary_id: int) -> HttpResponse:
    itinerary = selectors.itinerary_for_user_or_404(request.user, itinerary_id)
    require(request.user, "recuperation.manage_itinerary", itinerary)
    form = _itinerary_form(request, itinerary)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data

        def save() -> Itinerary:
            services.itinerary_update(
                itinerary=itinerary, by=request.user, title=cd["title"], **form.data_for_service()
            )
            return services.itinerary_set_stays(itinerary=itinerary, stays=form.stays(), by=request.user)

        ok, _r = attempt(request, save, _("The itinerary is saved"))
        if ok:
            return redirect("recuperation:itinerary", itinerary.pk)
        itinerary.refresh_from_db()
    return render(
        request, "recuperation/itinerary_form.html", {"form": form, "main_fields": _main(form), "itinerary": itinerary}
    )


@login_required
@require_POST
def itinerary_status(request: HttpRequest, itinerary_id: int) -> HttpResponse:
    itinerary = selectors.itinerary_for_user_or_404(request.user, itinerary_id)
    require(request.user, "recuperation.manage_itinerary", itinerary)
    form = StatusForm(request.POST)
    if form.is_valid() and form.cleaned_data["status"] in Status.values:
        attempt(
            request,
            lambda: services.itinerary_set_status(
                itinerary=itinerary, status=form.cleaned_data["status"], by=request.user, note=form.cleaned_data["note"]
            ),
            _("The status has been updated"),
        )
    else:
        messages.error(request, _("Choose a status"))
    return redirect("recuperation:itinerary", itinerary.pk)


# --- batches ---------------------------------------------------------------------------------------------------------


def _batch_form(request: HttpRequest, batch: Batch | None = None) -> BatchForm:
    feds = Organisation.objects.filter(pk__in=[f.pk for f in selectors.federations()]).order_by("region_id")
    return BatchForm(
        request.POST or None,
        initial=BatchForm.initial_for(batch)
        if batch
        else {"applications_close_at": default_close(), "confirm_days": 7},
        federations=feds,
    )


@login_required
def batch_create(request: HttpRequest, itinerary_id: int) -> HttpResponse:
    itinerary = selectors.itinerary_for_user_or_404(request.user, itinerary_id)
    require(request.user, "recuperation.add_batch", itinerary)
    form = _batch_form(request)
    if request.method == "POST" and form.is_valid():
        ok, batch = attempt(
            request,
            lambda: services.batch_create(
                itinerary=itinerary,
                senders=list(form.cleaned_data["senders"]),
                by=request.user,
                **form.data_for_service(),
            ),
            _("The batch is saved as a draft: open it for applications when it is right"),
        )
        if ok:
            return redirect("recuperation:batch", batch.pk)
    return render(
        request,
        "recuperation/batch_form.html",
        {"form": form, "main_fields": _main(form), "itinerary": itinerary, "creating": True},
    )


@login_required
def batch_edit(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_for_user_or_404(request.user, batch_id)
    require(request.user, "recuperation.manage_batch", batch)
    form = _batch_form(request, batch)
    if request.method == "POST" and form.is_valid():
        data = form.data_for_service()
        senders = list(form.cleaned_data["senders"])
        if batch.status != BatchStatus.DRAFT:
            data, senders = {"contact": data["contact"]}, None
        ok, _r = attempt(
            request,
            lambda: services.batch_update(batch=batch, by=request.user, senders=senders, **data),
            _("The batch is saved"),
        )
        if ok:
            return redirect("recuperation:batch", batch.pk)
    return render(
        request,
        "recuperation/batch_form.html",
        {"form": form, "main_fields": _main(form), "itinerary": batch.itinerary, "batch": batch},
    )


STEP_DONE = {
    "open": gettext_noop("The batch is open for applications; the fingerprint of its draw seed is published"),
    "close": gettext_noop("Applications are closed and the list for the draw is fixed"),
    "draw": gettext_noop("The places are drawn and the seed is revealed; the applicants get their results"),
    "complete": gettext_noop("The trip is recorded as travelled"),
    "fill": gettext_noop("Free places were offered to the waiting list"),
    "expire": gettext_noop("Unconfirmed places past their deadline were released"),
}


@login_required
@require_POST
def batch_step(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_for_user_or_404(request.user, batch_id)
    require(request.user, "recuperation.manage_batch", batch)
    step = request.POST.get("step", "")
    actions: dict[str, Callable[[], Any]] = {
        "open": lambda: services.batch_open(batch=batch, by=request.user),
        "close": lambda: services.batch_close(batch=batch, by=request.user),
        "draw": lambda: services.batch_draw(batch=batch, by=request.user),
        "complete": lambda: services.batch_complete(batch=batch, by=request.user),
        "fill": lambda: services.batch_fill(batch=batch, by=request.user),
        "expire": lambda: services.offers_expire(batch=batch, by=request.user),
    }
    if step not in actions:
        messages.error(request, _("Choose a step"))
    else:
        attempt(request, actions[step], _(STEP_DONE[step]))
    return redirect("recuperation:batch", batch.pk)


@login_required
@require_POST
def batch_cancel(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_for_user_or_404(request.user, batch_id)
    require(request.user, "recuperation.manage_batch", batch)
    attempt(
        request,
        lambda: services.batch_cancel(batch=batch, by=request.user, reason=request.POST.get("reason", "")[:300]),
        _("The batch is cancelled and every applicant is told"),
    )
    return redirect("recuperation:batch", batch.pk)


def _applications_rows(user: Any, apps: Any) -> Any:
    for a in apps.select_related("worker", "union", "sender").iterator(chunk_size=500):
        full = can(user, "people.see_personal_data", a.worker)
        yield [
            a.worker.name,
            personal(a.worker.phone, "phone", full=full),
            a.union.name,
            a.sender.name,
            a.get_status_display(),
            "、".join(group_names(a.groups)),
            a.draw_rank or "",
            rules.group_label(a.drawn_for) if a.drawn_for else "",
            a.wait_position or "",
            timezone.localtime(a.confirm_by).strftime("%Y-%m-%d %H:%M") if a.confirm_by else "",
            a.rating or "",
        ]


@login_required
def batch_export(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_for_user_or_404(request.user, batch_id)
    require(request.user, "recuperation.use_officer_pages")
    apps = selectors.batch_applications(request.user, batch, status=request.GET.get("status", ""))
    headers = [
        _("Worker"),
        _("Mobile number"),
        _("Union"),
        _("Sending federation"),
        _("Status"),
        _("Priority groups"),
        _("Place in the draw"),
        _("Drawn for"),
        _("Position on the waiting list"),
        _("Confirm by"),
        _("Rating"),
    ]
    return xlsx_response(
        _("batch-%(n)d-applications.xlsx") % {"n": batch.pk},
        headers,
        _applications_rows(request.user, apps),
        title=_("Applications"),
    )


# --- approvals ---------------------------------------------------------------------------------------------------------


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    require(request.user, "recuperation.use_officer_pages")
    qs = selectors.pending_approvals(request.user)
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        qs = qs.filter(worker__name__icontains=q)
    if request.GET.get("format") == "xlsx":
        headers = [_("Worker"), _("Union"), _("Trip"), _("Departure"), _("Applications close")]
        rows = (
            [
                a.worker.name,
                a.union.name,
                str(a.batch.itinerary),
                a.batch.start_date,
                timezone.localtime(a.batch.applications_close_at).strftime("%Y-%m-%d %H:%M"),
            ]
            for a in qs
        )
        return xlsx_response(_("applications-to-approve.xlsx"), headers, rows, title=_("To approve"))
    page = paginate(request, qs, 50)
    return render(
        request,
        "recuperation/approvals.html",
        {"page": page, "q": q, "rows": [(a, [g.evidence for g in rules.priority_groups(a.worker)]) for a in page]},
    )


# --- targets -----------------------------------------------------------------------------------------------------------


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    require(request.user, "recuperation.use_officer_pages")
    feds = Organisation.objects.filter(pk__in=[f.pk for f in selectors.sender_choices(request.user)])
    may_set = feds.exists()
    form = TargetForm(
        request.POST or None,
        federations=feds,
        initial={"year": timezone.localdate().year, "trips_per_worker": 1, "federation": feds.first()},
    )
    if request.method == "POST":
        require(request.user, "recuperation.set_target")
        if form.is_valid():
            cd = form.cleaned_data
            ok, _r = attempt(
                request,
                lambda: services.target_set(
                    federation=cd["federation"],
                    year=cd["year"],
                    workers=cd["workers"],
                    trips_per_worker=cd["trips_per_worker"],
                    source=cd["source"],
                    by=request.user,
                ),
                _("The target is saved"),
            )
            if ok:
                return redirect("recuperation:targets")
    return render(
        request,
        "recuperation/targets.html",
        {"targets": selectors.targets()[:200], "form": form if may_set else None},
    )


# --- recorded group trips -----------------------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    years = selectors.target_years()
    return int(raw) if raw.isdigit() and int(raw) in years else years[0]


@login_required
def group_trips(request: HttpRequest) -> HttpResponse:
    require(request.user, "recuperation.use_officer_pages")
    year = _year(request)
    senders = Organisation.objects.filter(pk__in=[f.pk for f in selectors.sender_choices(request.user)])
    form = GroupTripForm(
        request.POST or None,
        senders=senders,
        provinces=Region.objects.filter(code__in=services.FOUR_PROVINCES).order_by("code"),
        itineraries=Itinerary.objects.filter(status=Status.PUBLISHED).order_by("title"),
        bases=selectors.bases(),
        initial={"sender": senders.first(), "days": 3, "nights": 2},
    )
    if request.method == "POST":
        require(request.user, "recuperation.record_trip")
        if form.is_valid():
            ok, _r = attempt(
                request,
                lambda: services.group_trip_record(
                    sender=form.cleaned_data["sender"], by=request.user, **form.data_for_service()
                ),
                _("The group trip is recorded and counts in the exchange matrix"),
            )
            if ok:
                return redirect("recuperation:group_trips")
    trips = selectors.managed_group_trips(request.user, year=year)
    if request.GET.get("format") == "xlsx":
        headers = [
            _("Sending federation"),
            _("Destination province"),
            _("Departure"),
            _("Days"),
            _("Nights"),
            _("Workers"),
            _("Model and advanced workers"),
            _("Craftsmen and technicians"),
            _("Skilled workers"),
            _("Gig and platform workers"),
            _("Base"),
            _("Average rating (1–5)"),
        ]
        rows = (
            [
                t.sender.name,
                t.destination.name,
                t.start_date,
                t.days,
                t.nights,
                t.workers,
                t.model_workers,
                t.craftsmen,
                t.skilled,
                t.gig,
                t.base.name if t.base else "",
                t.satisfaction if t.satisfaction is not None else "",
            ]
            for t in trips
        )
        return xlsx_response(_("group-trips-%(y)d.xlsx") % {"y": year}, headers, rows, title=_("Group trips"))
    return render(
        request,
        "recuperation/group_trips.html",
        {
            "page": paginate(request, trips, 50),
            "year": year,
            "years": selectors.target_years(),
            "form": form if senders.exists() else None,
        },
    )


# --- the exchange matrix -------------------------------------------------------------------------------------------------


def _chart_data(matrix: selectors.Matrix, figures: list[selectors.BaseFigures]) -> dict[str, Any]:
    labels = selectors.group_labels()
    names = [r.federation.short_name or r.federation.name for r in matrix.rows]
    return {
        "senders": names,
        "provinces": [p.name for p in matrix.provinces],
        "cells": [[c.workers for c in r.cells] for r in matrix.rows],
        "targets": [r.target or 0 for r in matrix.rows],
        "sent": [r.sent for r in matrix.rows],
        "months": [r.months for r in matrix.rows],
        "month_labels": [_("%(m)s/") % {"m": m} for m in range(1, 13)],  # the table's heading: 1月 …
        "groups": [{"name": labels[g], "data": [r.groups[g] for r in matrix.rows]} for g in selectors.GROUP_KEYS],
        "bases": [f.base.name for f in figures],
        "occupancy": [f.occupancy for f in figures],
        "ratings": [f.rating for f in figures],
        "labels": {
            "target": _("Target"),
            "sent": _("Sent to the other three provinces"),
            "occupancy": _("Occupancy (%)"),
            "rating": _("Average rating"),
            "month": _("Month"),
        },
    }


@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    require(request.user, "recuperation.view_matrix")
    year = _year(request)
    m = selectors.exchange_matrix(year)
    figures = [f for f in selectors.base_figures(year) if f.guest_nights or f.ratings]
    labels = selectors.group_labels()
    return render(
        request,
        "recuperation/matrix.html",
        {
            "year": year,
            "years": selectors.target_years(),
            "matrix": m,
            "figures": figures,
            "group_keys": [(g, labels[g]) for g in selectors.GROUP_KEYS],
            "month_numbers": list(range(1, 13)),
            "chart": _chart_data(m, figures),
        },
    )


@login_required
def matrix_export(request: HttpRequest) -> HttpResponse:
    require(request.user, "recuperation.view_matrix")
    year = _year(request)
    m = selectors.exchange_matrix(year)
    labels = selectors.group_labels()
    provs = [p.name for p in m.provinces]
    exchange = [
        [
            r.federation.name,
            *[v for c in r.cells for v in (c.workers, c.trips)],
            r.sent,
            r.trips,
            r.target if r.target is not None else "",
            r.percent if r.percent is not None else "",
        ]
        for r in m.rows
    ]
    exchange_headers = [
        _("Sending federation"),
        *[h for p in provs for h in (_("%(p)s: workers") % {"p": p}, _("%(p)s: trips") % {"p": p})],
        _("Sent to the other three provinces"),
        _("Trips to the other three provinces"),
        _("Target"),
        _("Share of the target (%)"),
    ]
    months = [[r.federation.name, *r.months, sum(r.months)] for r in m.rows]
    groups = [[r.federation.name, *[r.groups[g] for g in selectors.GROUP_KEYS]] for r in m.rows]
    figures = selectors.base_figures(year)
    bases = [
        [
            f.base.name,
            f.base.province.name,
            f.base.capacity,
            f.trips,
            f.guest_nights,
            f.occupancy,
            f.rating if f.rating is not None else "",
            f.ratings,
        ]
        for f in figures
    ]
    data = build_workbook_sheets(
        [
            (_("Exchange matrix"), exchange_headers, exchange),
            (
                _("By month"),
                [_("Sending federation"), *[_("Month %(m)d") % {"m": i} for i in range(1, 13)], _("In all")],
                months,
            ),
            (_("By priority group"), [_("Sending federation"), *[labels[g] for g in selectors.GROUP_KEYS]], groups),
            (
                _("Bases"),
                [
                    _("Base"),
                    _("Province"),
                    _("Beds per night"),
                    _("Trips"),
                    _("Guest-nights"),
                    _("Occupancy (%)"),
                    _("Average rating"),
                    _("Ratings"),
                ],
                bases,
            ),
        ]
    )
    return xlsx_bytes_response(data, _("exchange-matrix-%(y)d.xlsx") % {"y": year})

"""Innovation pages: studios (the 七有 checklist, recognitions, yearly reports and their Excel
import), the alliance view with its charts, innovation results with photos, and exhibitions
(the public gallery and the curators' page)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.contests.models import Contest
from deltaunion.core.excel import build_workbook_sheets, xlsx_bytes_response, xlsx_response
from deltaunion.core.permissions import can, require
from deltaunion.core.views import import_page, paginate
from deltaunion.honours import selectors, services
from deltaunion.honours.forms import (
    CheckForm,
    ExhibitionForm,
    ItemForm,
    PhotoForm,
    RecognitionForm,
    ReportForm,
    ResultForm,
    StudioForm,
)
from deltaunion.honours.imports import StudioReportImport
from deltaunion.honours.models import Exhibition, ExhibitionItem, ResultKind, Studio
from deltaunion.honours.standard import INNER_MONGOLIA_FIGURES, INNER_MONGOLIA_SOURCE, Industry, StudioLevel
from deltaunion.honours.views import PAGE_SIZE, attempt, form_errors
from deltaunion.orgs.models import Organisation, Region
from deltaunion.orgs.scoping import get_for_user_or_404, managed_organisations
from deltaunion.people.models import Employer

PROVINCES = ("310000", "320000", "330000", "340000")


def _provinces() -> Any:
    return Region.objects.filter(code__in=PROVINCES).order_by("code")


# --- studios -------------------------------------------------------------------------------------------------


@login_required
def studio_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "honours.use_officer_pages")
    filters = selectors.StudioFilters.parse(request.GET)
    studios = selectors.managed_studios(request.user, filters)
    if request.GET.get("export") == "xlsx":
        require(request.user, "honours.export")
        return xlsx_response(
            _("studios.xlsx"),
            selectors.studio_export_headers(),
            selectors.studio_export_rows(studios),
            title=_("Innovation studios"),
        )
    return render(
        request,
        "honours/studios.html",
        {
            "page": paginate(request, studios, PAGE_SIZE),
            "filters": filters,
            "provinces": _provinces(),
            "levels": StudioLevel.choices,
            "industries": Industry.choices,
        },
    )


def alliance(request: HttpRequest) -> HttpResponse:
    """The alliance view: recognised studios by province, level and industry, and their yearly
    figures (charts, the same figures in tables, an Excel download)."""
    filters = selectors.StudioFilters.parse(request.GET)
    stats = selectors.alliance_stats(filters)
    if request.GET.get("export") == "xlsx":
        return xlsx_bytes_response(build_workbook_sheets(selectors.stats_sheets(stats)), _("studio-alliance.xlsx"))
    chart = {
        "years": [str(y["year"]) for y in stats.years],
        "topics": [y["topics"] for y in stats.years],
        "projects": [y["projects"] for y in stats.years],
        "results": [y["results"] for y in stats.years],
        "applied": [y["applied_results"] for y in stats.years],
        "patents": [y["patents"] for y in stats.years],
        "levels": [{"name": r["name"], "value": r["studios"]} for r in stats.by_level if r["studios"]],
        "provinces": {
            "names": [r["name"] for r in stats.by_province],
            "values": [r["studios"] for r in stats.by_province],
        },
        "industries": [{"name": r["name"], "value": r["studios"]} for r in stats.by_industry],
        "labels": {
            "topics": _("Innovation topics"),
            "projects": _("Tackling projects"),
            "results": _("Innovation results"),
            "applied": _("Results put into use"),
            "patents": _("Patents"),
            "studios": _("Studios"),
        },
    }
    studios = selectors.public_studios(filters)
    return render(
        request,
        "honours/alliance.html",
        {
            "reference": INNER_MONGOLIA_FIGURES,
            "reference_source": INNER_MONGOLIA_SOURCE,
            "stats": stats,
            "chart": chart,
            "filters": filters,
            "provinces": _provinces(),
            "levels": StudioLevel.choices,
            "industries": Industry.choices,
            "page": paginate(request, studios, PAGE_SIZE),
            "query": request.GET.urlencode(),
        },
    )


def _employers(user: Any, union: Organisation | None = None) -> Any:
    from deltaunion.orgs.scoping import scope_for

    q = Q(organisation__path__startswith=union.path) if union is not None else scope_for(user).org_q("organisation")
    return Employer.objects.filter(q).order_by("name")


@login_required
def studio_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "honours.add_studio")
    form = StudioForm(
        request.POST or None, organisations=managed_organisations(request.user), employers=_employers(request.user)
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        ok, studio = attempt(
            request,
            lambda: services.studio_create(
                organisation=cd["organisation"],
                name=cd["name"],
                lead=cd["lead_worker"],
                members=cd["member_workers"],
                employer=cd["employer"],
                industry=cd["industry"],
                site=cd["site"],
                equipment=cd["equipment"],
                rules=cd["rules"],
                funding_yuan=cd["funding_yuan"],
                founded_on=cd["founded_on"],
                by=request.user,
            ),
            _("The studio is registered: record its evidence for the seven-haves standard"),
        )
        if ok:
            return redirect("honours:studio", studio.pk)
    return render(request, "honours/studio_form.html", {"form": form, "creating": True})


@login_required
def studio_edit(request: HttpRequest, studio_id: int) -> HttpResponse:
    studio = selectors.studio_for_user_or_404(request.user, studio_id)
    require(request.user, "honours.manage_studio", studio)
    form = StudioForm(
        request.POST or None,
        initial=StudioForm.initial_for(studio),
        union=studio.organisation,
        employers=_employers(request.user, studio.organisation),
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        data = {
            "name": cd["name"],
            "lead": cd["lead_worker"],
            "members": cd["member_workers"],
            **{k: cd[k] for k in ("employer", "industry", "site", "equipment", "rules", "funding_yuan", "founded_on")},
        }
        ok, _result = attempt(
            request, lambda: services.studio_update(studio=studio, by=request.user, **data), _("Saved")
        )
        if ok:
            return redirect("honours:studio", studio.pk)
    return render(request, "honours/studio_form.html", {"form": form, "studio": studio})


def studio_detail(request: HttpRequest, studio_id: int) -> HttpResponse:
    user = request.user
    studio = selectors.studio_for_user_or_404(user, studio_id)
    may_manage = can(user, "honours.manage_studio", studio)
    if request.method == "POST":
        require(user, "honours.manage_studio", studio)
        _studio_action(request, studio)
        return redirect(reverse("honours:studio", args=[studio.pk]) + "#" + request.POST.get("action", ""))
    return render(
        request,
        "honours/studio.html",
        {
            "studio": studio,
            "may_manage": may_manage,
            "checklist": selectors.studio_checklist(studio),
            "recognitions": list(studio.recognitions.all()),
            "reports": list(studio.reports.all()),
            "results": list(studio.results.filter(selectors.result_visible_q(user)).distinct()[:50]),
            "honours": list(studio.honours.filter(status="valid").select_related("honour")),
            "members": list(studio.members.all()) if may_manage else [],
            "report_form": ReportForm() if may_manage else None,
            "recognition_form": RecognitionForm() if may_manage else None,
            "entries": selectors.studio_history(studio) if may_manage else [],
        },
    )


def _studio_action(request: HttpRequest, studio: Studio) -> None:
    by, p, action = request.user, request.POST, request.POST.get("action", "")
    if action == "check":
        form = CheckForm(p)
        if form.is_valid():
            attempt(
                request,
                lambda: services.studio_check_set(
                    studio=studio, item=form.cleaned_data["item"], evidence=form.cleaned_data["evidence"], by=by
                ),
                _("The evidence is saved"),
            )
        else:
            form_errors(request, form)
    elif action == "report":
        form = ReportForm(p)
        if form.is_valid():
            cd = dict(form.cleaned_data)
            year = cd.pop("year")
            attempt(
                request,
                lambda: services.studio_report_save(studio=studio, year=year, by=by, **cd),
                _("The yearly report is saved"),
            )
        else:
            form_errors(request, form)
    elif action == "recognition":
        form = RecognitionForm(p)
        if form.is_valid():
            attempt(
                request,
                lambda: services.studio_recognise(studio=studio, by=by, **form.cleaned_data),
                _("The recognition is recorded"),
            )
        else:
            form_errors(request, form)
    else:
        messages.error(request, _("Unknown action"))


@login_required
def report_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "honours.import_reports")

    def make_importer(org_id: int | None) -> StudioReportImport:
        if org_id is None:
            return StudioReportImport(organisation=None)
        organisation = get_for_user_or_404(Organisation, request.user, pk=org_id)
        require(request.user, "honours.import_reports", organisation)
        return StudioReportImport(organisation=organisation)

    return import_page(
        request,
        make_importer=make_importer,
        title=_("Import the studios' yearly reports"),
        back_url=reverse("honours:studios"),
        back_label=_("Innovation studios"),
        organisations=managed_organisations(request.user)[:2000],
        organisation_label=_("Studios of the union"),
        intro=_(
            "One row per studio and year. The studio is found by its name among the studios of the union you "
            "choose; a year already reported is replaced by the file's figures. Every row is checked before "
            "anything is saved."
        ),
    )


# --- results -------------------------------------------------------------------------------------------------


def _contests(user: Any) -> Any:
    from deltaunion.contests.selectors import contest_list

    return Contest.objects.filter(pk__in=contest_list(user=user).values("pk")).order_by("-starts_on", "title")


def _studios(user: Any, union: Organisation | None = None) -> Any:
    if union is not None:
        return Studio.objects.filter(organisation__path__startswith=union.path).order_by("name")
    return selectors.managed_studios(user)


@login_required
def result_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "honours.use_officer_pages")
    filters = selectors.ResultFilters.parse(request.GET)
    results = selectors.managed_results(request.user, filters)
    if request.GET.get("export") == "xlsx":
        require(request.user, "honours.export")
        return xlsx_response(
            _("innovation-results.xlsx"),
            selectors.result_export_headers(),
            selectors.result_export_rows(results),
            title=_("Innovation results"),
        )
    return render(
        request,
        "honours/results.html",
        {
            "page": paginate(request, results, PAGE_SIZE),
            "filters": filters,
            "kinds": ResultKind.choices,
            "studios": _studios(request.user),
        },
    )


def _result_data(cd: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "title",
        "kind",
        "studio",
        "contest",
        "patent_number",
        "achieved_on",
        "application_status",
        "benefit_yuan",
        "benefit_certified_by",
        "summary",
    )
    return {**{k: cd[k] for k in keys}, "owners": cd.get("owner_workers", [])}


@login_required
def result_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "honours.add_result")
    form = ResultForm(
        request.POST or None,
        organisations=managed_organisations(request.user),
        studios=_studios(request.user),
        contests=_contests(request.user),
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        data = _result_data(cd)
        ok, result = attempt(
            request,
            lambda: services.result_create(organisation=cd["organisation"], by=request.user, **data),
            _("The innovation result is registered"),
        )
        if ok:
            return redirect("honours:result", result.pk)
    return render(request, "honours/result_form.html", {"form": form, "creating": True})


@login_required
def result_edit(request: HttpRequest, result_id: int) -> HttpResponse:
    result = selectors.result_for_user_or_404(request.user, result_id)
    require(request.user, "honours.manage_result", result)
    form = ResultForm(
        request.POST or None,
        initial=ResultForm.initial_for(result),
        union=result.organisation,
        studios=_studios(request.user, result.organisation),
        contests=_contests(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = _result_data(form.cleaned_data)
        ok, _r = attempt(request, lambda: services.result_update(result=result, by=request.user, **data), _("Saved"))
        if ok:
            return redirect("honours:result", result.pk)
    return render(request, "honours/result_form.html", {"form": form, "result": result})


def result_detail(request: HttpRequest, result_id: int) -> HttpResponse:
    user = request.user
    result = selectors.result_for_user_or_404(user, result_id)
    may_manage = can(user, "honours.manage_result", result)
    from deltaunion.core.audit import history

    return render(
        request,
        "honours/result.html",
        {
            "result": result,
            "may_manage": may_manage,
            "photos": list(result.photos.all()),
            "owners": list(result.owners.all()),
            "awards": list(
                result.awards.filter(status="valid", selection__status="published").select_related("honour")
            ),
            "exhibitions": list(
                Exhibition.objects.filter(items__result=result, status=Exhibition.Status.PUBLISHED).distinct()
            ),
            "photo_form": PhotoForm() if may_manage else None,
            "entries": history(result) if may_manage else [],
        },
    )


@login_required
@require_POST
def result_photo_add(request: HttpRequest, result_id: int) -> HttpResponse:
    result = selectors.result_for_user_or_404(request.user, result_id)
    require(request.user, "honours.manage_result", result)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        cd = form.cleaned_data
        attempt(
            request,
            lambda: services.result_photo_add(
                result=result, upload=cd["image"], caption=cd["caption"], credit=cd["credit"], by=request.user
            ),
            _("The photo is added"),
        )
    else:
        messages.error(request, _("Choose a photo and name its credit"))
    return redirect("honours:result", result.pk)


def photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    item = selectors.photo_for_user_or_404(request.user, photo_id)
    try:
        handle = item.image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("not found") from None
    response = FileResponse(handle, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- exhibitions ---------------------------------------------------------------------------------------------


def exhibition_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "honours/exhibitions.html",
        {
            "exhibitions": list(selectors.published_exhibitions()[:100]),
            "mine": list(selectors.managed_exhibitions(user)[:100]) if can(user, "honours.use_officer_pages") else [],
        },
    )


@login_required
def exhibition_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "honours.add_exhibition")
    form = ExhibitionForm(request.POST or None, organisations=managed_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        cd = dict(form.cleaned_data)
        organisation = cd.pop("organisation")
        ok, exhibition = attempt(
            request,
            lambda: services.exhibition_create(organisation=organisation, by=request.user, **cd),
            _("The exhibition is set up: add its results, then publish it"),
        )
        if ok:
            return redirect("honours:exhibition_manage", exhibition.pk)
    return render(request, "honours/exhibition_form.html", {"form": form})


def exhibition_detail(request: HttpRequest, exhibition_id: int) -> HttpResponse:
    """The public gallery of an exhibition: each result with its photos, on phones and desktops."""
    exhibition = selectors.exhibition_for_user_or_404(request.user, exhibition_id)
    return render(
        request,
        "honours/exhibition.html",
        {
            "exhibition": exhibition,
            "items": selectors.exhibition_items(exhibition),
            "may_manage": can(request.user, "honours.manage_exhibition", exhibition),
        },
    )


@login_required
def exhibition_manage(request: HttpRequest, exhibition_id: int) -> HttpResponse:
    user = request.user
    exhibition = selectors.exhibition_for_user_or_404(user, exhibition_id)
    require(user, "honours.manage_exhibition", exhibition)
    if request.method == "POST":
        p, action = request.POST, request.POST.get("action", "")
        if action == "edit":
            form = ExhibitionForm(p)
            if form.is_valid():
                attempt(
                    request,
                    lambda: services.exhibition_update(exhibition=exhibition, by=user, **form.cleaned_data),
                    _("Saved"),
                )
            else:
                form_errors(request, form)
        elif action == "add":
            form = ItemForm(p, results=selectors.curatable_results(exhibition, user))
            if form.is_valid():
                attempt(
                    request,
                    lambda: services.exhibition_item_add(
                        exhibition=exhibition,
                        result=form.cleaned_data["result"],
                        note=form.cleaned_data["note"],
                        by=user,
                    ),
                    _("The result is added to the exhibition"),
                )
            else:
                form_errors(request, form)
        elif action == "remove":
            item_id = str(p.get("item", ""))
            item = (
                ExhibitionItem.objects.filter(exhibition=exhibition, pk=int(item_id)).first()
                if item_id.isdigit() and len(item_id) < 12
                else None
            )
            if item is None:
                raise Http404("not found")
            attempt(request, lambda: services.exhibition_item_remove(item=item, by=user), _("The result is removed"))
        elif action in {"publish", "withdraw"}:
            attempt(
                request,
                lambda: services.exhibition_transition(exhibition=exhibition, name=action, by=user),
                _("The exhibition's status is updated"),
            )
        else:
            messages.error(request, _("Unknown action"))
        return redirect("honours:exhibition_manage", exhibition.pk)
    from deltaunion.core.audit import history

    initial = {
        f: getattr(exhibition, f) for f in ("title", "description", "place", "opens_on", "closes_on", "key_task")
    }
    return render(
        request,
        "honours/exhibition_manage.html",
        {
            "exhibition": exhibition,
            "items": selectors.exhibition_items(exhibition),
            "form": ExhibitionForm(initial=initial),
            "item_form": ItemForm(results=selectors.curatable_results(exhibition, user)),
            "transitions": Exhibition.workflow.available(exhibition, user),
            "entries": history(exhibition),
        },
    )

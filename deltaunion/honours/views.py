"""Honours pages: the public roll of honour, certificates and public notices; selections (setup,
nominations, checking, notice, naming); the experts' review and the chairs' panels; 我的.

Thin views: objects are fetched for the user (404 for missing and not-yours), an action the
user may not take is a 403 with the permission's message, and a service's ValidationError
becomes a message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.contests.models import Contest
from deltaunion.core.audit import history
from deltaunion.core.excel import xlsx_response
from deltaunion.core.permissions import can, require
from deltaunion.core.views import paginate
from deltaunion.honours import selectors, services
from deltaunion.honours.certificates import certificate_pdf
from deltaunion.honours.eligibility import completeness_problems, nominee_problems
from deltaunion.honours.forms import (
    AnswerForm,
    CategoryForm,
    CriterionForm,
    MaterialForm,
    MaterialGiveForm,
    MemberForm,
    NominationEditForm,
    NominationForm,
    ObjectionForm,
    PanelForm,
    PlacesForm,
    QuotaForm,
    ReasonForm,
    ResolveForm,
    ReviewForm,
    SelectionForm,
    city_choices,
)
from deltaunion.honours.models import (
    Award,
    Category,
    Criterion,
    InnovationResult,
    Nomination,
    Objection,
    PanelMember,
    RequiredMaterial,
    Selection,
    Studio,
)
from deltaunion.orgs.models import Organisation, OrgRole, Role
from deltaunion.orgs.scoping import managed_organisations
from deltaunion.people.models import Employer
from deltaunion.workplans.models import KeyTask

N = Nomination.Status
PAGE_SIZE = 50


def attempt(request: HttpRequest, action: Callable[[], Any], done: str) -> tuple[bool, Any]:
    """Run a service: a ValidationError becomes an error message and (False, None)."""
    try:
        with transaction.atomic():
            result = action()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return False, None
    messages.success(request, done)
    return True, result


def form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errors:
            messages.error(request, f"{label}{_(': ')}{e}" if label else e)


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


# --- the roll of honour and certificates ---------------------------------------------------------------------


def roll(request: HttpRequest) -> HttpResponse:
    filters = selectors.RollFilters.parse(request.GET)
    awards = selectors.roll(filters)
    if request.GET.get("export") == "xlsx":
        require(request.user, "honours.export")
        return xlsx_response(
            _("roll-of-honour.xlsx"),
            [
                _("Year"),
                _("Honour"),
                _("Name"),
                _("Conferred on"),
                _("Employer"),
                _("Nominating union"),
                _("Conferred by"),
                _("Named on"),
                _("Certificate code"),
            ],
            (
                [
                    a.year,
                    a.honour.name,
                    a.recipient_name,
                    a.get_recipient_kind_display(),
                    a.employer_name,
                    a.organisation.name,
                    a.issuing_body,
                    a.named_on.isoformat(),
                    a.code,
                ]
                for a in awards
            ),
            title=_("Roll of honour"),
        )
    page = paginate(request, awards, PAGE_SIZE)
    return render(
        request,
        "honours/roll.html",
        {
            "page": page,
            "filters": filters,
            "honours": selectors.roll_honours(),
            "years": selectors.roll_years(),
            "selections": Selection.objects.filter(status=Selection.Status.NOTICE).order_by("-notice_until")[:10],
        },
    )


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    info = selectors.certificate_verify(code)
    may_download = info is not None and selectors.award_for_download(request.user, code) is not None
    return render(
        request,
        "honours/certificate_verify.html",
        {"info": info, "code": code[:40], "may_download": may_download},
        status=200 if info else 404,
    )


@login_required
def certificate_download(request: HttpRequest, code: str) -> HttpResponse:
    award = selectors.award_for_download_or_404(request.user, code)
    data = certificate_pdf(award, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=certificate-{award.code}.pdf"
    return response


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "honours/mine.html",
        {
            "awards": selectors.my_awards(user),
            "nominations": selectors.my_nominations(user),
            "studios": selectors.my_studios(user),
        },
    )


# --- selections ---------------------------------------------------------------------------------------------


@login_required
def selection_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "honours.use_officer_pages")
    filters = selectors.SelectionFilters.parse(request.GET)
    selections = selectors.selection_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        require(request.user, "honours.export")
        return xlsx_response(
            _("selections.xlsx"),
            [pgettext_title(), _("Year"), _("Organiser"), _("Conferred by"), _("Status"), _("Nominations")],
            (
                [s.title, s.year, s.lead_org.name, s.issuing_body, s.get_status_display(), s.nomination_count]
                for s in selections
            ),
            title=_("Selections"),
        )
    return render(
        request,
        "honours/selections.html",
        {"page": paginate(request, selections, PAGE_SIZE), "filters": filters, "statuses": Selection.Status.choices},
    )


def pgettext_title() -> str:
    from django.utils.translation import pgettext

    return pgettext("heading", "Title")


def _selection_form(request: HttpRequest, *, selection: Selection | None = None) -> SelectionForm:
    key_tasks = KeyTask.objects.filter(
        kind__in=[KeyTask.Kind.HONOUR, KeyTask.Kind.CONTEST, KeyTask.Kind.OTHER]
    ).order_by("-plan__year", "number")
    from deltaunion.contests.selectors import contest_list

    contests = Contest.objects.filter(pk__in=contest_list(user=request.user).values("pk")).order_by(
        "-starts_on", "title"
    )
    return SelectionForm(
        request.POST or None,
        initial=SelectionForm.initial_for(selection)
        if selection
        else {"notice_days": 7, "min_reviews": 3, "members_only": True, "year": timezone.localdate().year},
        organisations=None if selection else managed_organisations(request.user),
        key_tasks=key_tasks,
        contests=contests,
    )


SELECTION_FORM_FIELDS = (
    "description",
    "key_task",
    "contest",
    "nominations_open_on",
    "nominations_close_on",
    "review_by",
    "notice_days",
    "naming_on",
    "trades",
    "min_years",
    "skill_level_at_least",
    "prior_title_kinds",
    "members_only",
    "conflict_same_city",
    "min_reviews",
)


@login_required
def selection_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "honours.create_selection")
    form = _selection_form(request)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        ok, selection = attempt(
            request,
            lambda: services.selection_create(
                lead_org=cd["lead_org"],
                title=cd["title"],
                year=cd["year"],
                issuing_body=cd["issuing_body"],
                by=request.user,
                **{k: cd[k] for k in SELECTION_FORM_FIELDS},
            ),
            _("The selection is set up: add its categories, places, materials and panels"),
        )
        if ok:
            return redirect("honours:selection_setup", selection.pk)
    return render(request, "honours/selection_form.html", {"form": form, "creating": True})


@login_required
def selection_edit(request: HttpRequest, selection_id: int) -> HttpResponse:
    selection = selectors.selection_for_user_or_404(request.user, selection_id)
    require(request.user, "honours.manage_selection", selection)
    form = _selection_form(request, selection=selection)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        data = {k: cd[k] for k in ("title", "year", "issuing_body", *SELECTION_FORM_FIELDS)}
        ok, _result = attempt(
            request, lambda: services.selection_update(selection=selection, by=request.user, **data), _("Saved")
        )
        if ok:
            return redirect("honours:selection", selection.pk)
        selection.refresh_from_db()
    return render(request, "honours/selection_form.html", {"form": form, "selection": selection})


def _step_labels() -> dict[str, str]:
    return {
        "open": _("Open for nominations"),
        "unpublish": _("Back to preparation"),
        "close": _("Close nominations and start the review"),
        "reopen": _("Reopen nominations"),
        "cancel": _("Cancel the selection"),
    }


def _roles(user: Any, selection: Selection) -> dict[str, bool]:
    return {
        "may_manage": can(user, "honours.manage_selection", selection),
        "may_nominate": can(user, "honours.nominate", selection),
        "is_expert": can(user, "honours.score_nomination", selection),
    }


def selection_detail(request: HttpRequest, selection_id: int) -> HttpResponse:
    user = request.user
    selection = selectors.selection_for_user_or_404(user, selection_id)
    roles = _roles(user, selection)
    if not any(roles.values()):
        return redirect("honours:notice", selection.pk)
    filters = selectors.NominationFilters.parse(request.GET)
    nominations = selectors.selection_nominations(selection, user, filters)
    if request.GET.get("export") == "xlsx":
        require(user, "honours.export")
        return xlsx_response(
            _("nominations.xlsx"),
            [_("Category"), _("Nominee"), _("Nominating union"), _("Employer"), _("Status"), _("Score"), _("Rank")],
            (
                [
                    str(n.category),
                    n.nominee_name,
                    n.organisation.name,
                    e.name if (e := n.nominee_employer()) else "",
                    n.get_status_display(),
                    n.score if n.score is not None and roles["may_manage"] else "",
                    n.rank if n.rank is not None and roles["may_manage"] else "",
                ]
                for n in nominations
            ),
            title=_("Nominations"),
        )
    may_name = can(user, "honours.name_honours", selection)
    return render(
        request,
        "honours/selection.html",
        {
            "selection": selection,
            **roles,
            "categories": selectors.selection_categories(selection),
            "quotas": selectors.selection_quotas(selection, user),
            "materials": list(selection.materials.all()),
            "panels": list(selection.panels.prefetch_related("members__user", "categories__honour")),
            "page": paginate(request, nominations, PAGE_SIZE),
            "filters": filters,
            "statuses": N.choices,
            "transitions": [(t.name, _step_labels()[t.name]) for t in Selection.workflow.available(selection, user)],
            "may_notice": roles["may_manage"] and selection.status == Selection.Status.REVIEW,
            "may_name": may_name and selection.status == Selection.Status.NOTICE,
            "objections": selectors.open_objections(selection) if roles["may_manage"] else [],
            "entries": history(selection) if roles["may_manage"] else [],
            "now": timezone.now(),
        },
    )


def _setup_context(request: HttpRequest, selection: Selection) -> dict[str, Any]:
    categories = selection.categories.select_related("honour")
    expert_ids = OrgRole.objects.filter(role__in=[Role.EXPERT, Role.JUDGE]).values("user_id")
    users = (
        get_user_model()
        .objects.filter(Q(pk__in=expert_ids) | Q(honours_panel_seats__panel__selection=selection))
        .distinct()
        .order_by("full_name", "username")
    )
    return {
        "selection": selection,
        "categories": selectors.selection_categories(selection),
        "quotas": list(selection.quotas.select_related("organisation")),
        "materials": list(selection.materials.all()),
        "criteria": list(Criterion.objects.filter(category__selection=selection).select_related("category__honour")),
        "panels": list(selection.panels.prefetch_related("members__user", "members__city", "categories__honour")),
        "category_form": CategoryForm(),
        "quota_form": QuotaForm(organisations=_quota_organisations()),
        "material_form": MaterialForm(),
        "criterion_form": CriterionForm(categories=categories),
        "panel_form": PanelForm(categories=categories),
        "member_form": MemberForm(panels=selection.panels.all(), users=users, cities=city_choices()),
        "places_form": PlacesForm(),
    }


def _quota_organisations() -> Any:
    K = Organisation.Kind
    return Organisation.objects.filter(kind__in=[K.PROVINCIAL, K.CITY, K.INDUSTRY]).order_by("path")


@login_required
def selection_setup(request: HttpRequest, selection_id: int) -> HttpResponse:
    """Categories, places, required materials, criteria and panels (each form posts an action)."""
    user = request.user
    selection = selectors.selection_for_user_or_404(user, selection_id)
    require(user, "honours.manage_selection", selection)
    if request.method == "POST":
        _setup_action(request, selection)
        return redirect(reverse("honours:selection_setup", args=[selection.pk]) + "#" + request.POST.get("action", ""))
    return render(request, "honours/setup.html", _setup_context(request, selection))


def _setup_action(request: HttpRequest, selection: Selection) -> None:
    by, p, action = request.user, request.POST, request.POST.get("action", "")
    if action == "category":
        form = CategoryForm(p)
        if form.is_valid():
            cd = form.cleaned_data
            attempt(
                request,
                lambda: services.category_add(
                    selection=selection,
                    honour_name=cd["honour_name"],
                    recipient_kind=cd["recipient_kind"],
                    title_kind=cd["title_kind"],
                    studio_level=cd["studio_level"],
                    places=cd["places"],
                    by=by,
                ),
                _("The category is added"),
            )
        else:
            form_errors(request, form)
    elif action == "places":
        form = PlacesForm(p)
        if form.is_valid():
            category = Category.objects.filter(selection=selection, pk=form.cleaned_data["category"]).first()
            if category is None:
                raise Http404("not found")
            attempt(
                request,
                lambda: services.category_set_places(category=category, places=form.cleaned_data["places"], by=by),
                _("The places are changed"),
            )
        else:
            form_errors(request, form)
    elif action == "quota":
        form = QuotaForm(p, organisations=_quota_organisations())
        if form.is_valid():
            attempt(
                request,
                lambda: services.quota_set(
                    selection=selection,
                    organisation=form.cleaned_data["organisation"],
                    places=form.cleaned_data["places"],
                    by=by,
                ),
                _("The union's nomination places are set"),
            )
        else:
            form_errors(request, form)
    elif action == "material":
        form = MaterialForm(p)
        if form.is_valid():
            cd = form.cleaned_data
            attempt(
                request,
                lambda: services.material_add(
                    selection=selection,
                    label=cd["label"],
                    kind=cd["kind"],
                    required=cd["required"],
                    help=cd["help"],
                    by=by,
                ),
                _("The required material is added"),
            )
        else:
            form_errors(request, form)
    elif action == "material_remove":
        material = RequiredMaterial.objects.filter(selection=selection, pk=_int(p.get("material"))).first()
        if material is None:
            raise Http404("not found")
        attempt(request, lambda: services.material_remove(material=material, by=by), _("The material is removed"))
    elif action == "criterion":
        form = CriterionForm(p, categories=selection.categories.all())
        if form.is_valid():
            cd = form.cleaned_data
            attempt(
                request,
                lambda: services.criterion_add(
                    category=cd["category"],
                    name=cd["name"],
                    weight=cd["weight"],
                    max_score=cd["max_score"],
                    guidance=cd["guidance"],
                    by=by,
                ),
                _("The criterion is added"),
            )
        else:
            form_errors(request, form)
    elif action == "criterion_remove":
        criterion = Criterion.objects.filter(category__selection=selection, pk=_int(p.get("criterion"))).first()
        if criterion is None:
            raise Http404("not found")
        attempt(request, lambda: services.criterion_remove(criterion=criterion, by=by), _("The criterion is removed"))
    elif action == "panel":
        form = PanelForm(p, categories=selection.categories.all())
        if form.is_valid():
            attempt(
                request,
                lambda: services.panel_add(
                    selection=selection,
                    name=form.cleaned_data["name"],
                    categories=list(form.cleaned_data["categories"]),
                    by=by,
                ),
                _("The panel is formed"),
            )
        else:
            form_errors(request, form)
    elif action == "member":
        form = MemberForm(p, panels=selection.panels.all(), users=get_user_model().objects.all(), cities=city_choices())
        if form.is_valid():
            cd = form.cleaned_data
            attempt(
                request,
                lambda: services.panel_member_add(
                    panel=cd["panel"],
                    user=cd["user"],
                    is_chair=cd["is_chair"],
                    employer_name=cd["employer_name"],
                    city=cd["city"],
                    by=by,
                ),
                _("The expert is appointed"),
            )
        else:
            form_errors(request, form)
    elif action == "member_remove":
        member = PanelMember.objects.filter(panel__selection=selection, pk=_int(p.get("member"))).first()
        if member is None:
            raise Http404("not found")
        attempt(request, lambda: services.panel_member_remove(member=member, by=by), _("The expert is removed"))
    else:
        messages.error(request, _("Unknown action"))


@login_required
@require_POST
def selection_action(request: HttpRequest, selection_id: int) -> HttpResponse:
    """The selection's steps: open, close, reopen, cancel, public notice, naming; answering objections."""
    user = request.user
    selection = selectors.selection_for_user_or_404(user, selection_id)
    action = request.POST.get("action", "")
    if action in {"open", "unpublish", "close", "reopen", "cancel"}:
        attempt(
            request,
            lambda: services.selection_transition(
                selection=selection, name=action, by=user, note=request.POST.get("note", "")
            ),
            _("The selection's status is updated"),
        )
    elif action == "notice":
        attempt(
            request,
            lambda: services.selection_notice(selection=selection, by=user),
            _("The selected nominations are on public notice"),
        )
    elif action == "name":
        attempt(
            request,
            lambda: services.selection_name(selection=selection, by=user),
            _("The honours are named and the roll is published"),
        )
    elif action == "answer":
        form = AnswerForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
        else:
            objection = Objection.objects.filter(
                nomination__selection=selection, pk=form.cleaned_data["objection"]
            ).first()
            if objection is None:
                raise Http404("not found")
            attempt(
                request,
                lambda: services.objection_answer(
                    objection=objection,
                    upheld=form.cleaned_data["upheld"],
                    response=form.cleaned_data["response"],
                    by=user,
                ),
                _("The objection is answered"),
            )
    else:
        require(user, "honours.manage_selection", selection)
        messages.error(request, _("Unknown action"))
    return redirect("honours:selection", selection.pk)


# --- nominations ---------------------------------------------------------------------------------------------


def _nomination_form(request: HttpRequest, selection: Selection) -> NominationForm:
    quotas = selectors.my_quotas(selection, request.user)
    unions = Organisation.objects.filter(pk__in=[q.organisation_id for q in quotas]).order_by("path")
    paths = [u.path for u in unions]
    under = Q(pk__in=[])
    for path in paths:
        under |= Q(organisation__path__startswith=path)
    results = InnovationResult.objects.filter(under)
    if selection.contest_id:
        results = results.filter(contest_id=selection.contest_id)
    return NominationForm(
        request.POST or None,
        quotas=unions,
        categories=selection.categories.select_related("honour"),
        studios=Studio.objects.filter(under).order_by("name"),
        results=results.order_by("-achieved_on", "title"),
        employers=Employer.objects.filter(under).order_by("name"),
    )


@login_required
def nomination_create(request: HttpRequest, selection_id: int) -> HttpResponse:
    user = request.user
    selection = selectors.selection_for_user_or_404(user, selection_id)
    require(user, "honours.nominate", selection)
    form = _nomination_form(request, selection)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        ok, nomination = attempt(
            request,
            lambda: services.nomination_create(
                selection=selection,
                category=cd["category"],
                organisation=cd["organisation"],
                worker=cd.get("worker"),
                studio=cd.get("studio"),
                result=cd.get("result"),
                team_name=cd.get("team_name", ""),
                team_employer=cd.get("team_employer"),
                years_in_trade=cd.get("years_in_trade"),
                statement=cd.get("statement", ""),
                by=user,
            ),
            _("The nomination is drafted: give the required materials, then submit it"),
        )
        if ok:
            return redirect("honours:nomination", nomination.pk)
    return render(
        request,
        "honours/nominate.html",
        {"selection": selection, "form": form, "quotas": selectors.my_quotas(selection, user)},
    )


@login_required
def nomination_detail(request: HttpRequest, nomination_id: int) -> HttpResponse:
    user = request.user
    nomination = selectors.nomination_for_user_or_404(user, nomination_id)
    may_manage = can(user, "honours.manage_selection", nomination)
    may_nominate = can(user, "honours.nominate", nomination)
    if not (may_manage or may_nominate):
        return redirect("honours:review_sheet", nomination.pk)
    if request.method == "POST":
        _nomination_action(request, nomination)
        return redirect("honours:nomination", nomination.pk)
    editable = may_nominate and nomination.status in (N.DRAFT, N.RETURNED)
    award = Award.objects.filter(nomination=nomination).first()
    return render(
        request,
        "honours/nomination.html",
        {
            "nomination": nomination,
            "selection": nomination.selection,
            "may_manage": may_manage,
            "may_nominate": may_nominate,
            "editable": editable,
            "eligibility": nominee_problems(nomination)
            if nomination.status in (N.DRAFT, N.SUBMITTED, N.RETURNED)
            else [],
            "completeness": completeness_problems(nomination)
            if nomination.status in (N.DRAFT, N.SUBMITTED, N.RETURNED)
            else [],
            "materials": selectors.nomination_materials(nomination),
            "edit_form": NominationEditForm(
                initial={"years_in_trade": nomination.years_in_trade, "statement": nomination.statement}
            )
            if editable
            else None,
            "give_form": MaterialGiveForm(),
            "reason_form": ReasonForm(),
            "may_submit": editable and can(user, "honours.nominate", nomination),
            "may_withdraw": can(user, "honours.withdraw_nomination", nomination)
            and Nomination.workflow.get("withdraw").leaves(nomination.status),
            "may_check": nomination.status == N.SUBMITTED and can(user, "honours.check_nomination", nomination),
            "checker_is_submitter": nomination.status == N.SUBMITTED
            and may_manage
            and not can(user, "honours.check_nomination", nomination),
            "may_disqualify": may_manage and Nomination.workflow.get("disqualify").leaves(nomination.status),
            "reviews": selectors.visible_reviews(nomination, user),
            "objections": selectors.nomination_objections(nomination) if may_manage else [],
            "award": award,
            "may_revoke": award is not None
            and award.status == Award.Status.VALID
            and can(user, "honours.revoke_award", award),
            "entries": selectors.nomination_history(nomination, user),
        },
    )


def _nomination_action(request: HttpRequest, nomination: Nomination) -> None:
    by, p, action = request.user, request.POST, request.POST.get("action", "")
    reason = (p.get("reason") or "").strip()
    if action == "update":
        form = NominationEditForm(p)
        if form.is_valid():
            attempt(
                request,
                lambda: services.nomination_update(nomination=nomination, by=by, **form.cleaned_data),
                _("Saved"),
            )
        else:
            form_errors(request, form)
    elif action == "material":
        form = MaterialGiveForm(p, request.FILES)
        material = RequiredMaterial.objects.filter(
            selection_id=nomination.selection_id, pk=_int(p.get("material"))
        ).first()
        if material is None:
            raise Http404("not found")
        if form.is_valid():
            attempt(
                request,
                lambda: services.material_give(
                    nomination=nomination,
                    material=material,
                    text=form.cleaned_data["text"],
                    upload=form.cleaned_data["file"],
                    by=by,
                ),
                _("The material is saved"),
            )
        else:
            form_errors(request, form)
    elif action == "submit":
        attempt(
            request, lambda: services.nomination_submit(nomination=nomination, by=by), _("The nomination is submitted")
        )
    elif action == "withdraw":
        attempt(
            request,
            lambda: services.nomination_withdraw(nomination=nomination, reason=reason, by=by),
            _("The nomination is withdrawn; the place is free again"),
        )
    elif action == "return":
        attempt(
            request,
            lambda: services.nomination_return(nomination=nomination, reasons=reason, by=by),
            _("The nomination is returned with the reasons"),
        )
    elif action == "accept":
        attempt(
            request,
            lambda: services.nomination_accept(nomination=nomination, by=by),
            _("The nomination is sent to the experts"),
        )
    elif action == "disqualify":
        attempt(
            request,
            lambda: services.nomination_disqualify(nomination=nomination, reason=reason, by=by),
            _("The nomination is disqualified"),
        )
    elif action == "revoke":
        award = Award.objects.filter(nomination=nomination).first()
        if award is None:
            raise Http404("not found")
        attempt(request, lambda: services.award_revoke(award=award, reason=reason, by=by), _("The honour is revoked"))
    else:
        messages.error(request, _("Unknown action"))


@login_required
def material_file(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = selectors.material_answer_for_user_or_404(request.user, answer_id)
    try:
        handle = answer.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("not found") from None
    response = FileResponse(
        handle,
        content_type=answer.content_type or "application/octet-stream",
        as_attachment=True,
        filename=answer.filename or "material",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- public notice ---------------------------------------------------------------------------------------------


def notice(request: HttpRequest, selection_id: int) -> HttpResponse:
    """The public notice (公示) of a selection: the nominations on notice, and a form to object."""
    selection = selectors.selection_for_user_or_404(request.user, selection_id)
    now = timezone.now()
    open_for_objections = (
        selection.status == Selection.Status.NOTICE
        and selection.notice_until is not None
        and now <= selection.notice_until
    )
    return render(
        request,
        "honours/notice.html",
        {
            "selection": selection,
            "nominations": selectors.notice_nominations(selection),
            "open_for_objections": open_for_objections,
            "objection_form": ObjectionForm(),
            "may_manage": can(request.user, "honours.manage_selection", selection),
        },
    )


@require_POST
def objection_file(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = (
        Nomination.objects.select_related("selection")
        .filter(pk=nomination_id, status=N.ON_NOTICE, selection__status=Selection.Status.NOTICE)
        .first()
    )
    if nomination is None:
        raise Http404("not found")
    form = ObjectionForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.objection_file(
                nomination=nomination,
                text=form.cleaned_data["text"],
                contact=form.cleaned_data["contact"],
                by=request.user,
            ),
            _("Your objection is recorded; the organisers will answer it"),
        )
    else:
        form_errors(request, form)
    return redirect("honours:notice", nomination.selection_id)


# --- the review ----------------------------------------------------------------------------------------------


@login_required
def review_home(request: HttpRequest) -> HttpResponse:
    require(request.user, "honours.use_expert_pages")
    items = selectors.expert_worklist(request.user)
    chairs = PanelMember.objects.filter(user=request.user, is_chair=True).select_related("panel__selection")
    panels = PanelMember.objects.filter(user=request.user).select_related("panel__selection")
    return render(
        request,
        "honours/review_home.html",
        {
            "items": items,
            "chairs": list(chairs),
            "panels": list(panels),
            "todo": sum(1 for i in items if i.mine is None),
        },
    )


@login_required
def review_sheet(request: HttpRequest, nomination_id: int) -> HttpResponse:
    user = request.user
    nomination = selectors.nomination_for_user_or_404(user, nomination_id)
    require(user, "honours.score_nomination", nomination)
    from deltaunion.honours.services.review import seat_for

    seat = seat_for(nomination, user)
    mine = nomination.reviews.filter(member=seat).first() if seat else None
    criteria = list(nomination.category.criteria.order_by("order", "id"))
    initial = {f"c{k}": v for k, v in (mine.scores if mine else {}).items()}
    if mine:
        initial["comment"] = mine.comment
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            ok, _review = attempt(
                request,
                lambda: services.review_submit(
                    nomination=nomination, by=user, scores=form.scores(), comment=form.cleaned_data["comment"]
                ),
                _("Your score sheet is saved"),
            )
            if ok:
                return redirect("honours:review_home")
        else:
            form_errors(request, form)
    panel = selectors.panel_of(nomination)
    return render(
        request,
        "honours/review_sheet.html",
        {
            "nomination": nomination,
            "selection": nomination.selection,
            "form": form,
            "mine": mine,
            "materials": selectors.nomination_materials(nomination),
            "locked": panel is not None and panel.signed_off_at is not None,
            "open": nomination.status == N.IN_REVIEW,
            "reviews": selectors.visible_reviews(nomination, user),
            "panel": panel,
        },
    )


@login_required
def panel_detail(request: HttpRequest, panel_id: int) -> HttpResponse:
    user = request.user
    panel = selectors.panel_for_user_or_404(user, panel_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "resolve":
            form = ResolveForm(request.POST)
            if form.is_valid():
                nomination = Nomination.objects.filter(
                    pk=form.cleaned_data["nomination"], category__in=panel.categories.all()
                ).first()
                if nomination is None:
                    raise Http404("not found")
                attempt(
                    request,
                    lambda: services.outlier_resolve(
                        nomination=nomination,
                        exclude=form.cleaned_data["exclude"],
                        note=form.cleaned_data["note"],
                        by=user,
                    ),
                    _("The decision is recorded"),
                )
            else:
                form_errors(request, form)
        elif action == "sign_off":
            attempt(
                request, lambda: services.panel_sign_off(panel=panel, by=user), _("The panel's review is signed off")
            )
        else:
            require(user, "honours.chair_panel", panel)
            messages.error(request, _("Unknown action"))
        return redirect("honours:panel", panel.pk)
    from deltaunion.honours.services.review import sign_off_problems

    is_chair = can(user, "honours.chair_panel", panel)
    return render(
        request,
        "honours/panel.html",
        {
            "panel": panel,
            "selection": panel.selection,
            "rows": selectors.panel_board(panel, user),
            "members": list(panel.members.select_related("user", "city")),
            "is_chair": is_chair,
            "see_scores": can(user, "honours.see_panel_scores", panel),
            "problems": sign_off_problems(panel) if panel.signed_off_at is None else [],
            "resolve_form": ResolveForm(),
            "may_manage": can(user, "honours.manage_selection", panel),
        },
    )

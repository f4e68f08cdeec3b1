"""Labour-relations pages: the officers' case list (overdue first), cases with their steps,
referrals, workers and evidence; signals; building projects and their prevention measures; the
situation report (charts, Excel, PDF); and the worker's own pages (ask for help, my cases).

Thin views: objects are fetched for the user (404 for missing and not-yours), an action the user
may not take is a 403 with the permission's message, a service's ValidationError becomes a
message and changes nothing. Showing personal data in full writes a read entry (the case page
lists who read it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.core.excel import list_join, xlsx_bytes_response, xlsx_response
from deltaunion.core.permissions import can, require
from deltaunion.core.uploads import serve
from deltaunion.core.views import paginate
from deltaunion.orgs.scoping import managed_organisations
from deltaunion.people.models import Ownership
from deltaunion.relations import report as rep
from deltaunion.relations import selectors, services, workdays
from deltaunion.relations.forms import (
    AmountsForm,
    AnswerForm,
    AssignForm,
    CaseForm,
    EvidenceForm,
    HelpForm,
    MeasureForm,
    PartyForm,
    ProjectForm,
    RecordReportForm,
    ReferForm,
    SignalForm,
    SignalWorkerForm,
    StatusForm,
    StepForm,
)
from deltaunion.relations.models import (
    Case,
    CaseKind,
    CaseParty,
    CaseStatus,
    Industry,
    MeasureKind,
    Severity,
    Signal,
    SignalKind,
    province_label,
)


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


def _form_errors(request: HttpRequest, form: Any) -> None:
    messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))


def _today():
    return timezone.localdate()


# --- the officers' case list ---------------------------------------------------------------------------


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    require(request.user, "relations.use_officer_pages")
    filters = selectors.parse_case_filters(request.GET)
    if filters.errors:
        messages.warning(request, _("Some filters were not recognised and are ignored"))
    page = paginate(request, selectors.officer_cases(request.user, filters))
    rows = [(c, selectors.is_overdue(c), selectors.ready_for_arbitration(c)) for c in page]
    return render(
        request,
        "relations/cases.html",
        {
            "page": page,
            "rows": rows,
            "any_estimated": any(c.due_estimated for c, _o, _r in rows),
            "filters": filters,
            "kinds": CaseKind.choices,
            "statuses": CaseStatus.choices,
            "query": urlencode(filters.query()),
            "awaiting": selectors.awaiting_my_answer(request.user)[:20],
            "assigned": selectors.assigned_to_me(request.user),
            "estimated_note": workdays.ESTIMATED_NOTE,
        },
    )


@login_required
def cases_export(request: HttpRequest) -> HttpResponse:
    require(request.user, "relations.use_officer_pages")
    filters = selectors.parse_case_filters(request.GET)
    qs = selectors.officer_cases(request.user, filters).prefetch_related("parties")[:20000]
    headers = [
        _("Case number"),
        _("Kind of case"),
        _("Status"),
        _("Handling union"),
        _("City"),
        _("Employer"),
        _("Industry"),
        _("Ownership type"),
        _("Workers concerned"),
        _("Wages owed (yuan)"),
        _("Wages recovered (yuan)"),
        _("Wages outstanding (yuan)"),
        _("Date received"),
        _("Deadline of this step"),
        _("Overdue"),
        _("Handled by"),
    ]

    def row(c: Case) -> list[Any]:
        parties = list(c.parties.all())
        owed = sum((p.amount_owed for p in parties), start=0)
        recovered = sum((p.amount_recovered for p in parties), start=0)
        return [
            c.number,
            c.get_kind_display(),
            c.get_status_display(),
            c.organisation.name,
            c.city.name,
            c.employer_name,
            c.get_industry_display(),
            c.get_ownership_display(),
            len(parties),
            float(owed),
            float(recovered),
            float(owed - recovered),
            c.opened_on,
            c.due_on,
            _("Yes") if selectors.is_overdue(c) else "",
            (c.assignee.full_name or c.assignee.username) if c.assignee_id else "",
        ]

    return xlsx_response(_("labour-relations-cases.xlsx"), headers, (row(c) for c in qs), title=_("Cases"))


# --- opening a case ----------------------------------------------------------------------------------------


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "relations.open_case")
    form = CaseForm(
        request.POST or None,
        organisations=managed_organisations(request.user),
        projects=selectors.projects_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        ok, case = _attempt(
            request,
            lambda: services.case_open(
                organisation=cd["organisation"],
                by=request.user,
                kind=cd["kind"],
                summary=cd["summary"],
                city=cd["city"],
                employer_name=cd["employer_name"],
                industry=cd["industry"],
                ownership=cd["ownership"],
                project=cd["project"],
                opened_on=cd["opened_on"],
                parties=cd["parties"],
            ),
            _("The case is opened"),
        )
        if ok:
            return redirect("relations:case", case.pk)
    return render(request, "relations/case_form.html", {"form": form})


# --- a case --------------------------------------------------------------------------------------------------


def _case(request: HttpRequest, case_id: int) -> Case:
    return selectors.case_for_user_or_404(request.user, case_id)


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request.user
    case = _case(request, case_id)
    may_own = can(user, "relations.own_case", case)
    may_handle = can(user, "relations.handle_case", case)
    may_answer = can(user, "relations.answer_referral", case)
    officer_view = may_handle or may_answer
    parties, full = selectors.party_rows(user, case)
    evidence = selectors.case_evidence(case)
    if full:
        services.case_log_read(case=case, by=user, what=_("case page"))
    steps = [(t.name, str(t.label)) for t in Case.workflow.available(case, user) if t.name in services.STEPS]
    pending = services.pending_referral(case)
    context = {
        "case": case,
        "parties": parties,
        "full": full,
        "amounts": selectors.case_amounts(case),
        "evidence": evidence,
        "may_own": may_own,
        "may_handle": may_handle,
        "may_answer": may_answer,
        "officer_view": officer_view,
        "may_add_evidence": can(user, "relations.add_evidence", case),
        "overdue": selectors.is_overdue(case),
        "ready": selectors.ready_for_arbitration(case),
        "next_step": selectors.next_step(case),
        "handler": selectors.handler(case),
        "estimated_note": workdays.ESTIMATED_NOTE,
        "pending": pending,
        "referrals": selectors.referrals_of(case) if officer_view else [],
        "entries": selectors.case_history(case) if officer_view else [],
        "progress": selectors.case_progress(case) if not officer_view else [],
        "reads": selectors.case_reads(case) if may_handle else [],
        "step_form": StepForm(steps=steps) if steps else None,
        "assign_form": AssignForm(handlers=services.eligible_handlers(case)) if may_own and case.is_active else None,
        "refer_form": ReferForm(targets=services.referral_targets(case))
        if may_own and case.status in (CaseStatus.RECEIVED, CaseStatus.ASSIGNED)
        else None,
        "answer_form": AnswerForm() if may_answer else None,
        "evidence_form": EvidenceForm(),
        "party_form": PartyForm() if may_own and case.is_active else None,
        "amounts_editable": may_handle and case.kind == CaseKind.UNPAID_WAGES,
        "measures": selectors.measures_in_place(case.project) if case.project_id and officer_view else None,
    }
    return render(request, "relations/case.html", context)


def _back(case: Case, anchor: str = "") -> HttpResponse:
    return redirect(reverse("relations:case", args=[case.pk]) + anchor)


@login_required
@require_POST
def case_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    require(request.user, "relations.own_case", case)
    form = AssignForm(request.POST, handlers=services.eligible_handlers(case))
    if form.is_valid():
        from django.contrib.auth import get_user_model

        assignee = get_user_model().objects.filter(pk=form.cleaned_data["assignee"]).first()
        _attempt(
            request,
            lambda: services.case_assign(case=case, assignee=assignee, by=request.user, note=form.cleaned_data["note"]),
            _("The case is assigned"),
        )
    else:
        _form_errors(request, form)
    return _back(case)


@login_required
@require_POST
def case_refer(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    require(request.user, "relations.own_case", case)
    targets = services.referral_targets(case)
    form = ReferForm(request.POST, targets=targets)
    if form.is_valid():
        cd = form.cleaned_data
        target = next((o for o in targets if o.pk == cd["to_organisation"]), None)
        if target is None:
            messages.error(request, _("Choose the federation of another province or city"))
        else:
            _attempt(
                request,
                lambda: services.case_refer(
                    case=case, to_organisation=target, mode=cd["mode"], by=request.user, message=cd["message"]
                ),
                _("The case is referred: the receiving union answers within 5 working days"),
            )
    else:
        _form_errors(request, form)
    return _back(case)


@login_required
@require_POST
def case_answer(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    require(request.user, "relations.answer_referral", case)
    form = AnswerForm(request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        accept = cd["decision"] == "accept"
        ok, _result = _attempt(
            request,
            lambda: services.case_answer_referral(
                case=case, accept=accept, by=request.user, reason=cd["reason"], note=cd["note"]
            ),
            _("The referral is accepted") if accept else _("The referral is declined"),
        )
        if ok and not accept:
            return redirect("relations:cases")
    else:
        _form_errors(request, form)
    return _back(case)


@login_required
@require_POST
def case_withdraw(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    require(request.user, "relations.own_case", case)
    _attempt(
        request,
        lambda: services.case_withdraw_referral(case=case, by=request.user, note=request.POST.get("note", "")[:500]),
        _("The referral is withdrawn"),
    )
    return _back(case)


@login_required
@require_POST
def case_step(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    require(request.user, "relations.handle_case", case)
    form = StepForm(request.POST, steps=[(s, s) for s in services.STEPS])
    if form.is_valid():
        cd = form.cleaned_data
        _attempt(
            request,
            lambda: services.case_step(
                case=case, step=cd["step"], by=request.user, note=cd["note"], outcome=cd["outcome"], on=cd["on"]
            ),
            _("The step is recorded"),
        )
    else:
        _form_errors(request, form)
    return _back(case)


@login_required
@require_POST
def case_evidence(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    require(request.user, "relations.add_evidence", case)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid() and form.cleaned_data["files"]:
        uploads = form.cleaned_data["files"]

        def save() -> int:
            for f in uploads[:10]:
                services.evidence_add(case=case, upload=f, kind=form.cleaned_data["kind"], by=request.user)
            return len(uploads)

        _attempt(request, save, _("The evidence is attached"))
    elif form.is_valid():
        messages.error(request, _("Choose a file"))
    else:
        _form_errors(request, form)
    return _back(case, "#evidence")


@login_required
@require_POST
def case_party_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    require(request.user, "relations.own_case", case)
    form = PartyForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.case_add_party(case=case, by=request.user, **form.cleaned_data),
            _("The worker is added to the case"),
        )
    else:
        _form_errors(request, form)
    return _back(case, "#parties")


@login_required
@require_POST
def party_amounts(request: HttpRequest, party_id: int) -> HttpResponse:
    party = CaseParty.objects.filter(pk=party_id).first()
    if party is None:
        raise Http404("not found")
    case = _case(request, party.case_id)
    require(request.user, "relations.handle_case", case)
    party.case = case
    form = AmountsForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.party_set_amounts(party=party, by=request.user, **form.cleaned_data),
            _("The amounts are saved"),
        )
    else:
        _form_errors(request, form)
    return _back(case, "#parties")


@login_required
def evidence(request: HttpRequest, key: Any) -> HttpResponse:
    """An evidence file: only for those who may read it (404 for others who cannot see the case,
    403 for those who see it but not its personal data); every download is logged."""
    item = selectors.evidence_for_user_or_404(request.user, key)
    try:
        stored = services.evidence_open(item=item, by=request.user)
    except FileNotFoundError:
        raise Http404("not found") from None
    inline = item.is_image or item.content_type == "application/pdf"
    return serve(stored, filename=item.original_name, content_type=item.content_type, inline=inline)


# --- the worker's pages -------------------------------------------------------------------------------------


@login_required
def help_request(request: HttpRequest) -> HttpResponse:
    require(request.user, "relations.ask_for_help")
    worker = selectors.worker_record(request.user)
    form = HelpForm(
        request.POST or None,
        request.FILES or None,
        has_record=worker is not None,
        initial={"phone": getattr(worker, "phone", ""), "employer_name": getattr(worker.employer, "name", "")}
        if worker is not None and worker.employer_id
        else {"phone": getattr(worker, "phone", "")},
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            organisation = services.help_union(
                by=request.user, city=cd["city"], choice=cd["union"], id_number=cd.get("id_number", "")
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            organisation = None
        if organisation is not None:
            ok, case = _attempt(
                request,
                lambda: services.case_request(
                    by=request.user,
                    organisation=organisation,
                    kind=cd["kind"],
                    city=cd["city"],
                    employer_name=cd["employer_name"],
                    summary=cd["summary"],
                    phone=cd["phone"],
                    id_number=cd.get("id_number", ""),
                    workers_count=cd["workers_count"],
                    amount_owed=cd["amount_owed"],
                    uploads=[(f, cd["evidence_kind"]) for f in cd["files"]],
                ),
                _("Your request is sent to %(union)s. You will get a message at each step.")
                % {"union": organisation.name},
            )
            if ok:
                return redirect("relations:case", case.pk)
    elif request.method == "POST":
        _form_errors(request, form)
    return render(request, "relations/help.html", {"form": form, "worker": worker})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.my_cases(request.user))
    rows = [(c, selectors.handler(c), selectors.next_step(c)) for c in page]
    return render(request, "relations/mine.html", {"page": page, "rows": rows})


# --- signals ---------------------------------------------------------------------------------------------


@login_required
def signals(request: HttpRequest) -> HttpResponse:
    require(request.user, "relations.use_officer_pages")
    filters = selectors.parse_signal_filters(request.GET)
    page = paginate(request, selectors.signals_for(request.user, filters))
    return render(
        request,
        "relations/signals.html",
        {
            "page": page,
            "filters": filters,
            "kinds": SignalKind.choices,
            "statuses": Signal.Status.choices,
            "severities": Severity.choices,
            "query": urlencode(filters.query()),
        },
    )


@login_required
def signals_export(request: HttpRequest) -> HttpResponse:
    require(request.user, "relations.use_officer_pages")
    filters = selectors.parse_signal_filters(request.GET)
    qs = selectors.signals_for(request.user, filters).prefetch_related("shares__federation")[:20000]
    headers = [
        _("Date noticed"),
        _("Kind of signal"),
        _("Severity"),
        _("Employer"),
        _("City"),
        _("Industry"),
        _("Ownership type"),
        _("Recorded by"),
        _("Workers affected"),
        _("Where the workers come from"),
        _("Shared with"),
        _("Status"),
    ]
    return xlsx_response(
        _("early-warning-signals.xlsx"),
        headers,
        (
            [
                s.occurred_on,
                s.get_kind_display(),
                s.get_severity_display(),
                s.employer_name,
                s.city.name,
                s.get_industry_display(),
                s.get_ownership_display(),
                s.organisation.name,
                s.workers_affected,
                list_join(f"{label} {n}" for label, n in selectors.origins_rows(s)),
                list_join(sh.federation.name for sh in s.shares.all()),
                s.get_status_display(),
            ]
            for s in qs
        ),
        title=_("Signals"),
    )


@login_required
def signal_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "relations.open_signal")
    form = SignalForm(request.POST or None, organisations=managed_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        ok, signal = _attempt(
            request,
            lambda: services.signal_create(
                organisation=form.cleaned_data["organisation"],
                by=request.user,
                origins=form.origins(),
                **form.data_for_service(),
            ),
            _("The signal is recorded and shared with the federations it concerns"),
        )
        if ok:
            return redirect("relations:signal", signal.pk)
    return render(request, "relations/signal_form.html", {"form": form})


@login_required
def signal_detail(request: HttpRequest, signal_id: int) -> HttpResponse:
    user = request.user
    signal = selectors.signal_for_user_or_404(user, signal_id)
    may_manage = can(user, "relations.manage_signal", signal)
    workers, hidden = selectors.signal_worker_rows(user, signal)
    if workers:
        services.signal_log_read(signal=signal, by=user, what=_("signal page"))
    from deltaunion.core.audit import describe, history_for

    return render(
        request,
        "relations/signal.html",
        {
            "signal": signal,
            "origins": list_join(f"{label} {n}" for label, n in selectors.origins_rows(signal)),
            "sites": list_join(province_label(c) for c in signal.site_provinces),
            "shares_text": list_join(
                _("%(union)s (%(reason)s)") % {"union": s.federation.name, "reason": s.get_reason_display()}
                for s in signal.shares.select_related("federation")
            ),
            "workers": workers,
            "hidden": hidden,
            "may_manage": may_manage,
            "transitions": Signal.workflow.choices(signal, user) if may_manage else [],
            "worker_form": SignalWorkerForm() if may_manage else None,
            "cases": list(signal.cases.filter(pk__in=selectors.visible_cases(user).values("pk"))),
            "entries": describe(history_for(signal).exclude(action=services.SIGNAL_READ_ACTION)[:100])
            if may_manage
            else [],
            "reads": selectors.signal_reads(signal) if may_manage else [],
        },
    )


@login_required
@require_POST
def signal_status(request: HttpRequest, signal_id: int) -> HttpResponse:
    signal = selectors.signal_for_user_or_404(request.user, signal_id)
    require(request.user, "relations.manage_signal", signal)
    form = StatusForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.signal_set_status(
                signal=signal, status=form.cleaned_data["status"], by=request.user, note=form.cleaned_data["note"]
            ),
            _("The status has been updated"),
        )
    else:
        messages.error(request, _("Choose a status"))
    return redirect("relations:signal", signal.pk)


@login_required
@require_POST
def signal_worker_add(request: HttpRequest, signal_id: int) -> HttpResponse:
    signal = selectors.signal_for_user_or_404(request.user, signal_id)
    require(request.user, "relations.manage_signal", signal)
    form = SignalWorkerForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.signal_add_worker(signal=signal, by=request.user, **form.cleaned_data),
            _("The worker is added to the signal"),
        )
    else:
        _form_errors(request, form)
    return redirect(reverse("relations:signal", args=[signal.pk]) + "#workers")


# --- projects -------------------------------------------------------------------------------------------------


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    require(request.user, "relations.use_officer_pages")
    q = (request.GET.get("q", "") or "").strip()[:100]
    page = paginate(request, selectors.projects_for(request.user, q).prefetch_related("measures"))
    rows = [(p, {m.kind for m in p.measures.all()}) for p in page]
    return render(
        request,
        "relations/projects.html",
        {"page": page, "rows": rows, "q": q, "measure_kinds": MeasureKind.choices},
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "relations.add_project")
    form = ProjectForm(request.POST or None, organisations=managed_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        cd = dict(form.cleaned_data)
        organisation = cd.pop("organisation")
        ok, project = _attempt(
            request,
            lambda: services.project_create(organisation=organisation, by=request.user, **cd),
            _("The project is recorded"),
        )
        if ok:
            return redirect("relations:project", project.pk)
    return render(request, "relations/project_form.html", {"form": form})


@login_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_for_user_or_404(request.user, project_id)
    from deltaunion.core.audit import describe, history_for

    return render(
        request,
        "relations/project.html",
        {
            "project": project,
            "measures": selectors.measures_in_place(project),
            "all_measures": list(project.measures.prefetch_related("files").select_related("recorded_by")),
            "cases": list(project.cases.filter(pk__in=selectors.visible_cases(request.user).values("pk"))),
            "may_manage": can(request.user, "relations.manage_project", project),
            "measure_form": MeasureForm(initial={"done_on": _today()}),
            "entries": describe(history_for(project).exclude(action="relations_project.file_read")[:100]),
        },
    )


@login_required
@require_POST
def measure_add(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_for_user_or_404(request.user, project_id)
    require(request.user, "relations.manage_project", project)
    form = MeasureForm(request.POST, request.FILES)
    if form.is_valid():
        cd = form.cleaned_data
        _attempt(
            request,
            lambda: services.measure_add(
                project=project,
                by=request.user,
                kind=cd["kind"],
                done_on=cd["done_on"],
                note=cd["note"],
                uploads=cd["files"][:10],
            ),
            _("The measure is recorded"),
        )
    else:
        _form_errors(request, form)
    return redirect("relations:project", project.pk)


# --- the situation report ---------------------------------------------------------------------------------------


def _report_params(request: HttpRequest) -> tuple[int, str]:
    years = rep.years()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else (years[0] if years else _today().year)
    by = request.GET.get("by", "province")
    return year, by if by in rep.DIMENSIONS else "province"


@login_required
def report(request: HttpRequest) -> HttpResponse:
    require(request.user, "relations.view_report")
    year, by = _report_params(request)
    data = rep.report(year, by)
    labels = dict(rep.METRICS)
    chart = {
        "labels": [r["label"] for r in data["rows"]],
        "signals": [r["signals"] for r in data["rows"]],
        "cases": [r["cases"] for r in data["rows"]],
        "owed": [r["owed"] for r in data["rows"]],
        "recovered": [r["recovered"] for r in data["rows"]],
        "months": [_("%(m)s/%(y)s") % {"m": m, "y": year} for m in data["trend"]["months"]],
        "trend": data["trend"],
        "outcomes": [{"name": o["label"], "value": o["count"]} for o in data["outcomes"] if o["count"]],
        "names": {
            "signals": str(labels["signals"]),
            "cases": str(labels["cases"]),
            "owed": str(labels["owed"]),
            "recovered": str(labels["recovered"]),
            "this": str(year),
            "previous": str(year - 1),
        },
    }
    organisations = managed_organisations(request.user).filter(depth__lte=2)
    keys = [k for k, _label in rep.METRICS]
    trend = data["trend"]
    return render(
        request,
        "relations/report.html",
        {
            "data": data,
            "year": year,
            "by": by,
            "years": sorted(set(rep.years()) | {year}, reverse=True),
            "dimensions": list(rep.DIMENSIONS.items()),
            "metrics": rep.METRICS,
            "chart": chart,
            "table_rows": [(r["label"], [rep.shown(k, r[k]) for k in keys]) for r in data["rows"]],
            "total_values": [rep.shown(k, data["total"][k]) for k in keys],
            "headline": [
                (label, rep.shown(k, data["total"][k]), k)
                for k, label in rep.METRICS
                if k in ("signals", "cases", "unpaid_wages", "referred", "owed", "outstanding")
            ],
            "trend_rows": [
                (
                    m,
                    trend["this"]["signals"][i],
                    trend["this"]["cases"][i],
                    trend["previous"]["signals"][i],
                    trend["previous"]["cases"][i],
                )
                for i, m in enumerate(chart["months"])
            ],
            "query": urlencode({"year": year, "by": by}),
            "record_form": RecordReportForm(organisations=organisations, initial={"year": year})
            if organisations.exists()
            else None,
            "recorded": selectors.recorded_reports(request.user)[:20],
            "api_url": reverse("api:relations_report") + "?" + urlencode({"year": year, "by": by}),
            "ownerships": Ownership.choices,
            "industries": Industry.choices,
        },
    )


@login_required
def report_xlsx(request: HttpRequest) -> HttpResponse:
    require(request.user, "relations.view_report")
    year, _by = _report_params(request)
    return xlsx_bytes_response(rep.workbook(year), _("labour-relations-report-%(year)d.xlsx") % {"year": year})


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    require(request.user, "relations.view_report")
    year, _by = _report_params(request)
    response = HttpResponse(rep.pdf(year), content_type="application/pdf")
    name = _("labour-relations-report-%(year)d.pdf") % {"year": year}
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_POST
def report_record(request: HttpRequest) -> HttpResponse:
    require(request.user, "relations.view_report")
    form = RecordReportForm(request.POST, organisations=managed_organisations(request.user).filter(depth__lte=2))
    if form.is_valid():
        cd = form.cleaned_data
        _attempt(
            request,
            lambda: services.report_record(
                organisation=cd["organisation"], year=cd["year"], by=request.user, title=cd["title"]
            ),
            _("The report is recorded for the joint meeting"),
        )
        return redirect(reverse("relations:report") + "?" + urlencode({"year": cd["year"]}))
    _form_errors(request, form)
    return redirect("relations:report")

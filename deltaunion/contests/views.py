"""HTML pages of the contest engine: thin views that parse input, call a service or a
selector and render. Objects are fetched for the user (404 for missing and not-yours); an
action the user may not take is a 403 page with the permission's message; a service's
ValidationError becomes a message and changes nothing.

Judges' pages (`judge_*`) read only `selectors.judge_*` and never a name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.contests import selectors, services, views_results
from deltaunion.contests.certificates import certificate_pdf
from deltaunion.contests.forms import AspectForm, ObjectionForm
from deltaunion.contests.imports import RegistrationImport
from deltaunion.contests.models import (
    Appeal,
    Aspect,
    Contest,
    ContestFormat,
    ContestLevel,
    Mark,
    Module,
    Objection,
    RecheckItem,
    Registration,
    ResultSet,
    Stage,
)
from deltaunion.core import fragments, pagecache, viewer
from deltaunion.core.excel import xlsx_response
from deltaunion.core.permissions import can, require
from deltaunion.core.views import import_page, paginate
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import get_for_user_or_404, scope_for
from deltaunion.workplans.models import KeyTask


def _error_text(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


def attempt(request, action: Callable[[], Any], done: str | Callable[[Any], str]) -> tuple[bool, Any]:
    """Run a service: its ValidationError becomes an error message and (False, None); success
    shows `done` (or `done(result)`) and gives (True, result). A 403 is not caught."""
    try:
        with transaction.atomic():
            result = action()
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return False, None
    messages.success(request, done(result) if callable(done) else done)
    return True, result


def _back(request, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


def _int(value: Any) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


def stage_for(request, stage_id: int, permission: str | None = None) -> Stage:
    """The stage (404 if the user may not see it) and, with `permission`, a 403 unless they may."""
    stage = selectors.stage_for_user_or_404(request.user, stage_id)
    if permission is not None:
        require(request.user, permission, stage)
    return stage


def _page(request, template: str, stage: Stage, **context: Any):
    """A stage page: the stage, its contest and what the user may do on it."""
    context = {
        "stage": stage,
        "contest": stage.contest,
        "access": selectors.stage_access(stage, request.user),
        **context,
    }
    return render(request, template, context)


# --- contests -------------------------------------------------------------------------------


def _contest_filters(request) -> dict[str, Any]:
    g = request.GET
    return {
        "year": _int(g.get("year")),
        "format": g.get("format", "") if g.get("format", "") in ContestFormat.values else "",
        "status": g.get("status", "") if g.get("status", "") in Contest.Status.values else "",
        "level": g.get("level", "") if g.get("level", "") in ContestLevel.values else "",
        "plan_tier": g.get("tier", "") if g.get("tier", "") in KeyTask.Tier.values else "",
        "q": g.get("q", "").strip()[:100],
    }


# The list's filters and rows are the same for every viewer with the same scope (the public, or
# an officer's subtrees): rendered once per change and kept (core.fragments), keyed by the scope,
# the query and the language. Its version `contests` is bumped by any write to a contest, a plan or
# key task, or an organisation (core.viewer.connect); the TTL bounds only writes that send no
# signal (a bulk update).
CONTEST_LIST_TTL = 300


def contest_list_view(request):
    # A search (free text) or a made-up query is served uncached: the cache holds the filters' pages.
    query = fragments.query_key(
        request.GET,
        {
            "year": fragments.digits(4),
            "format": fragments.one_of(ContestFormat.values),
            "status": fragments.one_of(Contest.Status.values),
            "level": fragments.one_of(ContestLevel.values),
            "tier": fragments.one_of(KeyTask.Tier.values),
            "q": lambda v: v.strip() == "",
            "page": fragments.digits(4),
        },
    )

    def rows(scope: tuple) -> fragments.Part:
        return fragments.Part("contest-list", (get_language(), query, scope), ("contests",), CONTEST_LIST_TTL)

    def context() -> pagecache.Context:
        if query is None:
            return {"body": mark_safe(_contest_list_body(request))}, False
        viewer.prime(request.user)
        scope = selectors.contest_scope_key(request.user)
        if scope == ():
            return {}, None
        return {pagecache.HOLES: {"body": (rows(scope), lambda: _contest_list_body(request))}}, None

    # The rows are one part per scope (everyone who manages nothing shares the public one, the
    # guess read with the page; an officer's subtrees or a superuser have their own), the page
    # around them (the viewer's menu) per viewer.
    if query is None:
        return pagecache.page(request, "contest-list", template="contests/list.html", context=context, cache=False)
    return pagecache.page(
        request,
        "contest-list",
        template="contests/list.html",
        context=context,
        holes={"body": (rows(()), lambda: _contest_list_body(request))},
    )


def _contest_list_body(request) -> str:
    filters = _contest_filters(request)
    page = paginate(request, selectors.contest_list(user=request.user, **filters).select_related("key_task"))
    return render_to_string(
        "contests/_list_body.html",
        {
            "request": request,
            "page": page,
            "filters": filters,
            "years": selectors.contest_years(),
            "formats": ContestFormat.choices,
            "statuses": Contest.Status.choices,
            "levels": ContestLevel.choices,
            "tiers": KeyTask.Tier.choices,
        },
    )


@login_required
def contest_export(request):
    require(request.user, "contests.export_contests")
    qs = selectors.contest_list(user=request.user, **_contest_filters(request)).select_related("key_task")
    headers = [
        pgettext("heading", "Title"),
        _("Year"),
        _("Format"),
        _("Level"),
        _("Work-plan tier"),
        _("Lead organiser"),
        _("Key task"),
        _("Starts on"),
        _("Ends on"),
        _("Status"),
    ]
    rows = (
        [
            c.title,
            c.key_task.plan.year if c.key_task_id else (c.starts_on.year if c.starts_on else ""),
            c.get_format_display(),
            c.get_level_display(),
            c.get_plan_tier_display(),
            c.lead_org.name,
            str(c.key_task) if c.key_task_id else "",
            c.starts_on,
            c.ends_on,
            c.get_status_display(),
        ]
        for c in qs.iterator()
    )
    return xlsx_response("contests.xlsx", headers, rows, title=_("Contests"))


def contest_detail(request, contest_id: int):
    def context() -> pagecache.Context:
        viewer.prime(request.user)
        contest = selectors.contest_for_user_or_404(request.user, contest_id)
        stages, live = _contest_stages(contest)
        manages = can(request.user, "contests.manage_contest", contest)
        mine = {r.stage_id: r for r in selectors.my_registrations(request.user).filter(stage__contest=contest)}
        ctx = {
            "contest": contest,
            # Each stage with its live results and the signed-in worker's own entry on it.
            "stages": [(s, live.get(s.pk), mine.get(s.pk)) for s in stages],
            "facts": mark_safe(_contest_facts(contest)),
            "entries": selectors.contest_history(contest) if manages else [],
            "manages": manages,
        }
        # Kept for those who manage nothing: what an officer may do on a stage also reads quotas
        # and the audit history, which no version covers. A stage with final results reads as
        # finished (status_label) once its last day is over: kept until then.
        scope = scope_for(request.user)
        if manages or scope.is_manager or scope.is_superuser:
            return ctx, False
        return ctx, pagecache.earliest(*(s.ends_at or s.starts_at for s in stages if s.status == Stage.Status.FINAL))

    # Per viewer: the contest (its visibility: the contest and the viewer's roles), its stages
    # and entries (the viewer's among them) and the viewer's roles on it are all versioned.
    return pagecache.page(
        request,
        "contest",
        template="contests/detail.html",
        context=context,
        versions=["contests", "contest-stages"],
        parts=(contest_id,),
        cache=not request.GET,
    )


def _contest_facts(contest: Contest) -> str:
    """The contest's settings, organisers, trades and venues as every viewer reads them, rendered
    once per change (version `contests`, bumped by writes to contests, their venues and trades,
    plans and organisations; the TTL bounds only writes that send no signal)."""

    def render_facts() -> str:
        return render_to_string(
            "contests/_detail_facts.html",
            {
                "contest": contest,
                "trades": contest.trades.all(),
                "co_organisers": contest.co_organisers.order_by("path"),
                "venues": contest.venues.all(),
            },
        )

    return fragments.cached(
        "contest-facts", (get_language(), contest.pk), ["contests"], render_facts, ttl=CONTEST_LIST_TTL
    )


def _contest_stages(contest: Contest) -> tuple[list[Any], dict[int, Any]]:
    """A contest's stages (with their approved entries' count) and each stage's live results, the
    same for every viewer of the contest: read once per change (version `contest-stages`, bumped
    by writes to stages, entries, result sets, venues, contests and organisations; the TTL bounds
    only writes that send no signal). What the viewer may do on each stage is checked per request."""

    def read() -> tuple[list[Any], dict[int, Any]]:
        stages = list(selectors.stage_list(contest).select_related("venue", "contest__lead_org"))
        return stages, selectors.live_result_sets(stages)

    return fragments.cached("contest-stages", (contest.pk,), ["contest-stages"], read, ttl=CONTEST_LIST_TTL)


def chain_verify(request, contest_id: int):
    contest = selectors.contest_for_user_or_404(request.user, contest_id)
    report = selectors.result_chain_verify(contest)
    views_results.chain_integrity(report, contest)
    return render(
        request,
        "contests/chain.html",
        {
            "contest": contest,
            "report": report,
            "sets": selectors.final_result_sets(contest),
        },
    )


# --- a stage: the officers' hub and its actions ---------------------------------------------------


@login_required
def stage_manage(request, stage_id: int):
    stage = stage_for(request, stage_id, "contests.work_on_stage")
    access = selectors.stage_access(stage, request.user)
    recheck = selectors.open_recheck(stage) if access.scores else None
    result_set = selectors.live_result_set(stage)
    return _page(
        request,
        "contests/stage.html",
        stage,
        counts=selectors.registration_counts(stage, request.user) if access.registrations else {},
        quotas=selectors.quota_usage(stage) if access.registrations else [],
        draw=selectors.draw_state(stage),
        progress=selectors.stage_progress(stage),
        recheck=recheck,
        recheck_items=selectors.recheck_items(recheck) if recheck else [],
        result_set=result_set,
        objections=selectors.result_set_objections(result_set) if result_set and access.manager else [],
        appeals=selectors.stage_appeals(stage, request.user),
        appeal_deadline=selectors.appeal_deadline(stage),
        statuses=selectors.stage_status_choices(stage, request.user),
        qualifications=selectors.qualification_list(stage) if access.manager else [],
        final_results=access.manager and selectors.final_result_set(stage) is not None,
        entries=selectors.stage_history(stage) if access.manager else [],
    )


def _stage_object(model, pk: Any, **lookup: Any):
    obj = model.objects.filter(pk=_int(pk) or 0, **lookup).first()
    if obj is None:
        raise Http404("not found")
    return obj


def _run_stage_action(request, stage: Stage, action: str) -> str:
    """Call the service behind `action`; return the success message. Raises what services raise."""
    p, by = request.POST, request.user
    if action == "draw_order":
        services.draw_order(stage=stage, by=by)
        return _("The first draw is made: the drawing order is fixed")
    if action == "draw_numbers":
        n = services.draw_numbers(stage=stage, by=by, prefix=p.get("prefix", "").strip())
        return _("Secret numbers drawn and sealed: %(n)d competitors") % {"n": n}
    if action == "reveal":
        services.stage_reveal(stage=stage, by=by)
        return _("The mapping is revealed")
    if action in ("freeze", "unfreeze"):
        services.board_freeze(stage=stage, frozen=action == "freeze", by=by)
        return _("The live board is frozen") if action == "freeze" else _("The live board is live again")
    if action == "status":
        services.stage_set_status(stage=stage, status=p.get("status", ""), by=by)
        return _("The stage status is changed")
    if action == "sign_off":
        module = _stage_object(Module, p.get("module"), stage=stage)
        services.module_sign_off(module=module, by=by)
        return _("Module %(name)s is signed off; its marks are locked") % {"name": module.name}
    if action == "flag_resolve":
        aspect = _stage_object(Aspect, p.get("aspect"), module__stage=stage)
        services.mark_flag_resolve(aspect=aspect, number=p.get("number", ""), by=by, note=p.get("note", ""))
        return _("The discussion is closed")
    if action == "recheck_start":
        services.recheck_start(stage=stage, by=by)
        return _("The re-check is started")
    if action == "recheck_item":
        item = _stage_object(RecheckItem, p.get("item"), recheck__stage=stage)
        services.recheck_item_record(item=item, error_found=p.get("error_found") == "1", by=by, note=p.get("note", ""))
        return _("Re-check recorded")
    if action == "recheck_complete":
        recheck = selectors.open_recheck(stage)
        if recheck is None:
            raise Http404("not found")
        after = services.recheck_complete(recheck=recheck, by=by)
        if after.pk != recheck.pk:
            return _("The error rate is too high: a full re-check of every competitor has been opened")
        return _("The re-check is complete")
    if action == "publish":
        services.result_set_publish(stage=stage, by=by)
        return _("The results are on public notice")
    if action in ("finalise", "withdraw", "awards"):
        rs = _stage_object(ResultSet, p.get("result_set"), stage=stage)
        if action == "finalise":
            services.result_set_finalise(result_set=rs, by=by)
            return _("The results are final and chained; awards are applied")
        if action == "withdraw":
            services.result_set_withdraw(result_set=rs, reason=p.get("reason", ""), by=by)
            return _("The results are withdrawn from notice")
        awards = services.awards_apply(result_set=rs, by=by)
        return _("Awards applied: %(n)d") % {"n": len(awards)}
    if action == "appeal_rule":
        appeal = _stage_object(Appeal, p.get("appeal"), stage=stage)
        services.appeal_rule(appeal=appeal, upheld=p.get("upheld") == "1", ruling=p.get("ruling", ""), by=by)
        return _("The ruling is recorded")
    if action == "objection_resolve":
        objection = _stage_object(Objection, p.get("objection"), result_set__stage=stage)
        services.objection_resolve(
            objection=objection, upheld=p.get("upheld") == "1", response=p.get("response", ""), by=by
        )
        return _("The objection is answered")
    raise Http404("not found")


@login_required
@require_POST
def stage_action(request, stage_id: int):
    stage = stage_for(request, stage_id, "contests.work_on_stage")
    attempt(request, lambda: _run_stage_action(request, stage, request.POST.get("action", "")), lambda done: done)
    return redirect(_back(request, reverse("contests:stage", args=[stage.pk])))


# --- registrations -------------------------------------------------------------------------------


def _registration_filters(request) -> dict[str, Any]:
    status = request.GET.get("status", "")
    return {
        "status": status if status in Registration.Status.values else "",
        "organisation_id": _int(request.GET.get("organisation")),
    }


@login_required
def registrations_view(request, stage_id: int):
    stage = stage_for(request, stage_id, "contests.handle_registrations")
    filters = _registration_filters(request)
    page = paginate(request, selectors.registration_list(stage=stage, user=request.user, **filters))
    page.object_list = selectors.with_competitors(page.object_list, request.user)
    can_decide = {r.pk for r in page if can(request.user, "contests.decide_registration", r)}
    return _page(
        request,
        "contests/registrations.html",
        stage,
        page=page,
        status=filters["status"],
        organisation_id=filters["organisation_id"],
        statuses=Registration.Status.choices,
        organisations=selectors.sending_organisations(stage, request.user),
        quotas=selectors.quota_usage(stage),
        can_decide=can_decide,
        can_decide_pending=any(r.pk in can_decide and r.status == Registration.Status.PENDING for r in page),
        checkin_open=stage.status == Stage.Status.CHECKIN and stage.sealed_at is None,
        pending_count=selectors.pending_signups_count(stage, request.user),
    )


@login_required
def registrations_export(request, stage_id: int):
    stage = stage_for(request, stage_id, "contests.handle_registrations")
    qs = selectors.registration_list(stage=stage, user=request.user, **_registration_filters(request))
    headers, rows = selectors.registrations_sheet(qs, request.user)
    return xlsx_response(f"registrations-{stage.pk}.xlsx", headers, rows, title=_("Registrations"))


@login_required
@require_POST
def registration_decide(request, registration_id: int):
    reg = selectors.registration_for_user_or_404(request.user, registration_id)
    approve = request.POST.get("decision") == "approve"
    attempt(
        request,
        lambda: services.registration_decide(
            registration=reg, approve=approve, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("Entry approved") if approve else _("Entry rejected"),
    )
    return redirect(_back(request, reverse("contests:registrations", args=[reg.stage_id])))


@login_required
@require_POST
def registrations_approve(request, stage_id: int):
    """Approve the selected pending entries of a stage that the officer may decide."""
    stage = stage_for(request, stage_id, "contests.handle_registrations")
    ids = [i for i in (_int(v) for v in request.POST.getlist("ids")) if i is not None]
    pending = selectors.registration_list(stage=stage, user=request.user, status=Registration.Status.PENDING)
    chosen = [r for r in pending.filter(pk__in=ids) if can(request.user, "contests.decide_registration", r)]
    if not chosen:
        messages.error(request, _("Select the entries to approve"))
    else:
        attempt(
            request,
            lambda: services.registrations_approve(registrations=chosen, by=request.user),
            lambda n: _("%(n)d entries approved") % {"n": n},
        )
    return redirect(_back(request, reverse("contests:registrations", args=[stage.pk])))


@login_required
@require_POST
def registration_add(request, stage_id: int):
    """An officer enters one competitor by ID number (beside the bulk import): approved at once
    for a union they manage, with the same eligibility and quota rules."""
    stage = stage_for(request, stage_id, "contests.handle_registrations")
    by_pk = {o.pk: o for o in selectors.sending_organisations(stage, request.user)}
    org_id = _int(request.POST.get("organisation"))
    organisation = by_pk.get(org_id) if org_id is not None else None
    if org_id is not None and organisation is None:
        organisation = get_for_user_or_404(Organisation, request.user, pk=org_id)
        require(request.user, "contests.enter_for_union", organisation)
    worker = selectors.worker_to_enter(request.user, request.POST.get("id_number", ""))
    back = _back(request, reverse("contests:registrations", args=[stage.pk]))
    if worker is None:
        messages.error(request, _("No worker with this ID number in the unions you manage"))
        return redirect(back)
    organisation = organisation or selectors.signup_organisation(stage, worker)
    attempt(
        request,
        lambda: services.registration_create(stage=stage, worker=worker, by=request.user, organisation=organisation),
        _("%(name)s is entered") % {"name": worker.name},
    )
    return redirect(back)


@login_required
@require_POST
def registration_withdraw(request, registration_id: int):
    """The competitor (or their union) withdraws an entry before check-in; the place is freed."""
    reg = selectors.registration_for_user_or_404(request.user, registration_id)
    require(request.user, "contests.withdraw_registration", reg)
    attempt(
        request,
        lambda: services.registration_withdraw(
            registration=reg, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("The entry is withdrawn"),
    )
    return redirect(_back(request, _my_contests_url() or reverse("contests:detail", args=[reg.stage.contest_id])))


@login_required
@require_POST
def registration_checkin(request, registration_id: int):
    reg = selectors.registration_for_user_or_404(request.user, registration_id)
    name = selectors.competitor_data(reg, request.user).name
    attempt(
        request,
        lambda: services.checkin_record(registration=reg, by=request.user),
        _("%(name)s is checked in") % {"name": name},
    )
    return redirect(_back(request, reverse("contests:registrations", args=[reg.stage_id])))


@login_required
def registrations_import_view(request, stage_id: int):
    stage = stage_for(request, stage_id, "contests.import_registrations")
    organisations = selectors.sending_organisations(stage, request.user)
    by_pk = {o.pk: o for o in organisations}

    def make_importer(org_id: int | None) -> RegistrationImport:
        organisation = by_pk.get(org_id) if org_id is not None else None
        if org_id is not None and organisation is None:
            # A union the user may not see: 404; one they see but may not enter for: 403.
            organisation = get_for_user_or_404(Organisation, request.user, pk=org_id)
            require(request.user, "contests.enter_for_union", organisation)
        return RegistrationImport(stage=stage, organisation=organisation)

    return import_page(
        request,
        make_importer=make_importer,
        title=_("Bulk registration from Excel"),
        back_url=reverse("contests:registrations", args=[stage.pk]),
        back_label=f"{stage.contest.title} · {stage.name}",
        organisations=organisations,
        organisation_label=_("Sending union"),
        intro=_(
            "The entries are made only if every row passes the checks (worker found, name matches, eligibility, "
            "quota); they are entered as approved by the sending union."
        ),
    )


@login_required
def checkin_export(request, stage_id: int):
    stage = stage_for(request, stage_id, "contests.handle_registrations")
    headers, rows = selectors.checkin_sheet(stage, request.user)
    return xlsx_response(f"checkin-{stage.pk}.xlsx", headers, rows, title=_("Check-in sheet"))


# --- marking scheme, sign-off, score sheets, results export ---------------------------------------


def scheme_page(request, stage: Stage, **extra: Any):
    """The marking scheme page (also re-rendered by the set-up views with a rejected form's input)."""
    return _page(
        request,
        "contests/scheme.html",
        stage,
        scheme=selectors.marking_scheme(stage),
        flags=selectors.flagged_marks(stage=stage),
        judges_min=stage.contest.judges_min,
        aspect_blank=AspectForm.rows(),
        **extra,
    )


@login_required
def scheme_view(request, stage_id: int):
    return scheme_page(request, stage_for(request, stage_id, "contests.manage_scores"))


@login_required
def score_sheet_export(request, module_id: int):
    module = selectors.module_for_user_or_404(request.user, module_id)
    require(request.user, "contests.manage_scores", module)
    headers, rows = selectors.module_score_sheet(module)
    return xlsx_response(f"scores-{module.stage_id}-{module.order}.xlsx", headers, rows, title=module.name)


@login_required
def results_export(request, stage_id: int):
    return views_results.results_export(request, stage_id)


# --- public results, objections ------------------------------------------------------------------


def _results_page(request, stage: Stage, result_set: ResultSet | None, form: ObjectionForm, status: int = 200):
    return render(
        request,
        "contests/results.html",
        {
            "stage": stage,
            "contest": stage.contest,
            "result_set": result_set,
            "rows": selectors.public_result_rows(result_set) if result_set else [],
            "form": form,
            "on_notice": result_set is not None and result_set.status == ResultSet.Status.NOTICE,
            **views_results.results_integrity(result_set),
        },
        status=status,
    )


def stage_results_view(request, stage_id: int):
    stage = stage_for(request, stage_id)
    return _results_page(request, stage, selectors.live_result_set(stage), ObjectionForm())


@require_POST
def objection_file(request, result_set_id: int):
    result_set = selectors.result_set_for_user_or_404(request.user, result_set_id)
    form = ObjectionForm(request.POST)
    if form.is_valid():
        filed, _objection = attempt(
            request,
            lambda: services.objection_file(
                result_set=result_set,
                text=form.cleaned_data["text"],
                contact=form.cleaned_data["contact"],
                by=request.user,
            ),
            _("Your objection is recorded; the organisers will answer it"),
        )
        if filed:
            return redirect(reverse("contests:results", args=[result_set.stage_id]))
    return _results_page(request, result_set.stage, result_set, form, status=400)


# --- certificates -------------------------------------------------------------------------------


def certificate_verify(request, code: str):
    info = selectors.certificate_verify(code)
    may_download = info is not None and selectors.certificate_for_download(request.user, code) is not None
    return render(
        request,
        "contests/certificate_verify.html",
        {"info": info, "code": code, "may_download": may_download},
        status=200 if info else 404,
    )


@login_required
def certificate_download(request, code: str):
    cert = selectors.certificate_for_download_or_404(request.user, code)
    data = certificate_pdf(cert, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=certificate-{cert.code}.pdf"
    return response


# --- live board ------------------------------------------------------------------------------


def _board(stage: Stage) -> dict[str, Any]:
    """The board, and while frozen the last public progress (kept in the cache)."""
    board = selectors.stage_board(stage)
    key = f"contest-board:{stage.pk}"
    if board["frozen"]:
        last = cache.get(key)
        if last is not None:
            board["progress"] = last
    else:
        cache.set(key, board["progress"], 7 * 24 * 3600)
    # The big screen pages through the whole ranking, BOARD_PAGE rows at a time.
    ranking = board["ranking"] or []
    board["ranking_pages"] = [ranking[i : i + BOARD_PAGE] for i in range(0, len(ranking), BOARD_PAGE)]
    p = board["progress"]
    board["percent_entered"] = _percent(p["marks_entered"], p["marks_expected"])
    board["percent_confirmed"] = _percent(p["marks_confirmed"], p["marks_expected"])
    return board


# Rows of the ranking on one page of the big screen (1920×1080: they fit the panel); the page
# turns every BOARD_ROTATE seconds (`?rotate=` 3–60 on the page's address).
BOARD_PAGE = 5
BOARD_ROTATE = 8


def _percent(n: int, total: int) -> int:
    return min(100, int(Decimal(n) * 100 / total)) if total else 0


_rendered: dict[str, bytes] = {}  # a board partial as rendered, by ETag (this process)


def _board_page(request, stage_id: int, template: str):
    """A board page from the stage's shared snapshot; a poll whose copy is current gets 304.
    A partial (the part a page polls) is rendered once per snapshot and kept by its ETag."""
    stage = selectors.board_stage_for(request.user, stage_id, lambda pk: stage_for(request, pk, "contests.view_board"))
    board_etag, board = selectors.stage_board_snapshot(stage, _board)
    parts = (board_etag, template, get_language(), request.user.pk, stage.updated_at.timestamp())
    etag = f'"{hashlib.sha256(repr(parts).encode()).hexdigest()[:24]}"'
    if etag in [t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    elif template.startswith("contests/_board_"):
        body = _rendered.get(etag)
        if body is None:
            context = {"stage": stage, "contest": stage.contest, "b": board}
            context["mine"] = selectors.my_numbers(stage, request.user)
            body = render(request, template, context).content
            if len(_rendered) > 500:
                _rendered.clear()
            _rendered[etag] = body
        response = HttpResponse(body)
    else:
        rotate = request.GET.get("rotate", "")
        context = {
            "stage": stage,
            "contest": stage.contest,
            "b": board,
            "rotate": min(60, max(3, int(rotate))) if rotate.isdigit() else BOARD_ROTATE,
            "mine": selectors.my_numbers(stage, request.user),
        }
        response = render(request, template, context)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def board_big(request, stage_id: int):
    return _board_page(request, stage_id, "contests/board_big.html")


def board_phone(request, stage_id: int):
    return _board_page(request, stage_id, "contests/board_phone.html")


def board_partial(request, stage_id: int):
    variant = "phone" if request.GET.get("v") == "phone" else "big"
    return _board_page(request, stage_id, f"contests/_board_{variant}.html")


# --- judges (secret numbers only) ------------------------------------------------------------------


@login_required
def judge_home(request):
    rows = [
        {"module": m, "queue": len(selectors.judge_confirmation_queue(module=m, user=request.user))}
        for m in selectors.judge_modules(user=request.user)
    ]
    return render(request, "contests/judge_home.html", {"rows": rows})


def _judge_module(request, module_id: int) -> Module:
    return selectors.judge_assignment_or_404(request.user, module_id).module


def _aspect_rows(work: dict[str, Any], competitor: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Per aspect: its definition and, for the chosen number, the mark that concerns this judge."""
    rows = []
    marks = competitor["marks"] if competitor else []
    for a in work["aspects"]:
        mine = [m for m in marks if m["aspect_id"] == a["id"] and m["mine"]]
        other = [m for m in marks if m["aspect_id"] == a["id"] and not m["mine"]]
        current = mine[0] if mine else (other[0] if a["kind"] == Aspect.Kind.MEASUREMENT and other else None)
        rows.append(
            {
                "aspect": a,
                "mark": current,
                "by_other": bool(current and not current["mine"]),
                "editable": not work["locked"]
                and (current is None or (current["mine"] and current["status"] != Mark.Status.CONFIRMED)),
                "all_or_nothing": a["kind"] == Aspect.Kind.MEASUREMENT and not a["bands"],
                "descriptors": list(enumerate((a["descriptors"] or [])[:4])),
            }
        )
    return rows


def _competitor_state(work: dict[str, Any], competitor: dict[str, Any]) -> str:
    """done (every aspect has this judge's mark, or the measurement mark), partial, or empty."""
    kinds = {a["id"]: a["kind"] for a in work["aspects"]}
    done = {
        m["aspect_id"] for m in competitor["marks"] if m["mine"] or kinds.get(m["aspect_id"]) == Aspect.Kind.MEASUREMENT
    }
    if not done:
        return "empty"
    return "done" if set(kinds) <= done else "partial"


@login_required
def judge_mark(request, module_id: int):
    module = _judge_module(request, module_id)
    work = selectors.judge_worklist(module=module, user=request.user)
    numbers = [c["number"] for c in work["competitors"]]
    number = (request.POST.get("number") or request.GET.get("number") or "").strip()
    if number and number not in numbers:
        messages.error(request, _("You cannot mark the secret number %(number)s here") % {"number": number})
        number = ""
    if request.method == "POST" and number:
        errors = _judge_save(request, module, work, number)
        if not errors:
            following = numbers[numbers.index(number) + 1 :] if number in numbers else []
            nxt = following[0] if following and request.POST.get("go") == "next" else number
            return redirect(f"{reverse('contests:judge_mark', args=[module.pk])}?number={nxt}")
        for e in errors:
            messages.error(request, e)
        work = selectors.judge_worklist(module=module, user=request.user)
    competitor = next((c for c in work["competitors"] if c["number"] == number), None)
    grid = [{"number": c["number"], "state": _competitor_state(work, c)} for c in work["competitors"]]
    index = numbers.index(number) if number in numbers else -1
    return render(
        request,
        "contests/judge_mark.html",
        {
            "module": module,
            "stage": module.stage,
            "work": work,
            "number": number,
            "grid": grid,
            "rows": _aspect_rows(work, competitor) if competitor else [],
            "previous": numbers[index - 1] if index > 0 else "",
            "next": numbers[index + 1] if 0 <= index < len(numbers) - 1 else "",
            "posted": request.POST if request.method == "POST" else {},
        },
    )


def _judge_save(request, module: Module, work: dict[str, Any], number: str) -> list[str]:
    """Enter every aspect filled in on the form, all or none: one error rolls all back."""
    aspects = {a.pk: a for a in Aspect.objects.filter(pk__in=[a["id"] for a in work["aspects"]])}
    errors: list[str] = []
    entered = 0
    with transaction.atomic():
        for aspect_id, aspect in aspects.items():
            raw = request.POST.get(f"a{aspect_id}", "").strip()
            if raw == "":
                continue
            try:
                with transaction.atomic():
                    services.mark_enter(aspect=aspect, number=number, value=raw, by=request.user)
                entered += 1
            except ValidationError as exc:
                errors.append(f"{aspect.code}: {_error_text(exc)}")
        if errors:
            transaction.set_rollback(True)
    if not errors:
        if entered:
            messages.success(request, _("Saved %(n)d marks for %(number)s") % {"n": entered, "number": number})
        else:
            messages.info(request, _("Nothing to save: enter at least one mark"))
    else:
        errors.append(_("Nothing was saved; correct the marks and save again"))
    return errors


@login_required
def judge_queue(request, module_id: int):
    module = _judge_module(request, module_id)
    if request.method == "POST":
        if request.POST.get("decision") == "confirm_all":
            _confirm_shown(request, module)
            return redirect(reverse("contests:judge_queue", args=[module.pk]))
        mark = _stage_object(Mark, request.POST.get("mark"), aspect__module=module)
        if request.POST.get("decision") == "reject":
            reason = request.POST.get("reason", "")
            sent_back = _("The mark is sent back to the judge who entered it")
            attempt(request, lambda: services.mark_reject(mark=mark, reason=reason, by=request.user), sent_back)
        else:
            attempt(request, lambda: services.mark_confirm(mark=mark, by=request.user), _("Mark confirmed"))
        return redirect(reverse("contests:judge_queue", args=[module.pk]))
    queue = selectors.judge_confirmation_queue(module=module, user=request.user)
    return render(
        request,
        "contests/judge_queue.html",
        {"module": module, "stage": module.stage, "queue": queue, "locked": module.signed_off_at is not None},
    )


def _confirm_shown(request, module) -> None:
    """ "Confirm all shown": the marks the page listed that still wait for this judge, each
    confirmed by the service (one refused does not stop the others)."""
    waiting = {row["id"] for row in selectors.judge_confirmation_queue(module=module, user=request.user)}
    ids = [int(v) for v in request.POST.getlist("marks") if v.isdigit() and int(v) in waiting]
    confirmed, refused = 0, []
    for mark in Mark.objects.filter(pk__in=ids, aspect__module=module).order_by("id"):
        try:
            services.mark_confirm(mark=mark, by=request.user)
            confirmed += 1
        except ValidationError as exc:
            refused.extend(exc.messages)
    if confirmed:
        messages.success(
            request, ngettext("%(n)d mark confirmed", "%(n)d marks confirmed", confirmed) % {"n": confirmed}
        )
    for reason in dict.fromkeys(refused):
        messages.error(request, reason)
    if not confirmed and not refused:
        messages.info(request, _("Nothing waits for your confirmation."))


@login_required
def judge_flagged(request, module_id: int):
    module = _judge_module(request, module_id)
    work = selectors.judge_worklist(module=module, user=request.user)
    codes = {a["id"]: a["code"] for a in work["aspects"]}
    flagged = [
        {"number": c["number"], "aspect": codes.get(m["aspect_id"], ""), "value": m["value"], "mine": m["mine"]}
        for c in work["competitors"]
        for m in c["marks"]
        if m["flagged"]
    ]
    rejected = [
        {"number": c["number"], "aspect": codes.get(m["aspect_id"], ""), "reason": m["rejection_reason"]}
        for c in work["competitors"]
        for m in c["marks"]
        if m["mine"] and m["status"] == Mark.Status.REJECTED
    ]
    return render(
        request,
        "contests/judge_flagged.html",
        {"module": module, "stage": module.stage, "flagged": flagged, "rejected": rejected},
    )


# --- a worker signs up themself ---------------------------------------------------------------------


@login_required
def stage_signup(request, stage_id: int):
    """The stage's entry rules, why the worker may not sign up (if so), and the 报名 button."""
    stage = stage_for(request, stage_id)
    if request.method == "POST":
        ok, _reg = attempt(
            request,
            lambda: services.registration_sign_up(stage=stage, by=request.user),
            _("Your sign-up is submitted: your union will approve or refuse it"),
        )
        if ok:
            return redirect(_my_contests_url() or reverse("contests:signup", args=[stage.pk]))
        return redirect(reverse("contests:signup", args=[stage.pk]))
    return _page(request, "contests/signup.html", stage, signup=selectors.signup_state(stage, request.user))


def _my_contests_url() -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse("me:contests")
    except NoReverseMatch:
        return ""

"""HTML pages for setting a contest up and for the officers' and team leaders' stage tasks:
create and edit a contest, venues, stages, the marking scheme, quotas, contest roles and judge
assignments, prizes/titles/promotion rules, qualification for the next stage, theory scores
and appeals.

Thin views as in views.py: objects are fetched for the user (404 for missing and not-yours);
a service's ValidationError or PermissionDenied becomes a message and changes nothing.
The theory-score page may be used by judges: it shows secret numbers only, never a name.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.contests import page_selectors as ps
from deltaunion.contests import selectors, services
from deltaunion.contests.forms import (
    AppealForm,
    AspectForm,
    ContestForm,
    ModuleForm,
    PrizeTierForm,
    PromotionRuleForm,
    QualifyForm,
    QuotaForm,
    StageForm,
    TitleRuleForm,
    VenueForm,
)
from deltaunion.contests.models import (
    Aspect,
    Contest,
    ContestRole,
    JudgeAssignment,
    Module,
    PromotionRule,
    Stage,
)
from deltaunion.contests.views import _error_text, _int
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import scope_for

FAILED = (ValidationError, PermissionDenied)


def _manager_stage(request, stage_id: int) -> tuple[Stage, ps.StageAccess]:
    """A stage the user manages (officers of the lead organisation's subtree, organisers)."""
    stage = ps.stage_for_user_or_404(request.user, stage_id)
    access = ps.stage_access(stage, request.user)
    if not access.manager:
        raise Http404("not found")
    return stage, access


# --- contests: create and edit ------------------------------------------------------------------


def _contest_form(request, *, creating: bool, contest: Contest | None = None, initial: dict | None = None):
    managed = ps.limited(ps.managed_organisations(request.user))
    partners = ps.limited(ps.partner_organisations(within=contest.lead_org if contest else None))
    if contest is not None:
        # The current lead and co-organisers stay choosable (an organiser need not manage the lead).
        managed = (managed | Organisation.objects.filter(pk=contest.lead_org_id)).order_by("path")
        partners = (partners | contest.co_organisers.all()).distinct().order_by("path")
    return ContestForm(
        request.POST or None,
        initial=initial,
        organisations=managed,
        partners=partners,
        key_tasks=ps.contest_key_tasks(),
        creating=creating,
    )


def _trades(request, form: ContestForm) -> list:
    return [
        services.trade_get_or_create(name=name, occupation_code=code, by=request.user)
        for name, code in form.cleaned_data["trades"]
    ]


@login_required
def contest_create(request):
    if not ps.can_create_contest(request.user):
        raise Http404("not found")
    initial = ContestForm.defaults()
    top = ps.managed_organisations(request.user).first()
    initial["lead_org"] = top.pk if top else None
    key_task = ps.contest_key_tasks().filter(pk=_int(request.GET.get("key_task")) or 0).first()
    if key_task is not None:
        initial.update(key_task=key_task.pk, title=key_task.title)
        if key_task.lead_org_id and scope_for(request.user).manages(key_task.lead_org):
            initial["lead_org"] = key_task.lead_org_id
    form = _contest_form(request, creating=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            with transaction.atomic():
                contest = services.contest_create(
                    title=cd["title"],
                    lead_org=cd["lead_org"],
                    by=request.user,
                    format=cd["format"],
                    level=cd["level"],
                    key_task=cd["key_task"],
                    co_organisers=cd["co_organisers"],
                    trades=_trades(request, form),
                    **form.settings(),
                )
        except FAILED as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The contest is created as a draft. Add its stages next."))
            return redirect(reverse("contests:detail", args=[contest.pk]))
    return render(request, "contests/contest_form.html", {"form": form, "creating": True, "key_task": key_task})


@login_required
def contest_edit(request, contest_id: int):
    contest = ps.contest_manage_or_404(request.user, contest_id)
    form = _contest_form(request, creating=False, contest=contest, initial=ContestForm.initial_for(contest))
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        changes: dict[str, Any] = {
            "title": cd["title"],
            "level": cd["level"],
            "status": cd["status"],
            "key_task": cd["key_task"],
            **form.settings(),
        }
        if cd["format"] != contest.format:
            changes["format"] = cd["format"]
        if cd["lead_org"].pk != contest.lead_org_id:
            changes["lead_org"] = cd["lead_org"]
        try:
            with transaction.atomic():
                services.contest_update(
                    contest=contest,
                    by=request.user,
                    co_organisers=cd["co_organisers"],
                    trades=_trades(request, form),
                    **changes,
                )
        except FAILED as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The contest is saved"))
            return redirect(reverse("contests:detail", args=[contest.pk]))
    return render(
        request,
        "contests/contest_form.html",
        {
            "form": form,
            "creating": False,
            "contest": contest,
            "venues": contest.venues.select_related("region"),
            "venue_form": VenueForm(),
        },
    )


@login_required
@require_POST
def venue_add(request, contest_id: int):
    contest = ps.contest_manage_or_404(request.user, contest_id)
    form = VenueForm(request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.venue_add(
                contest=contest, name=cd["name"], address=cd["address"].strip(), region=cd["region"], by=request.user
            )
            messages.success(request, _("Venue %(name)s added") % {"name": cd["name"]})
        except FAILED as exc:
            messages.error(request, _error_text(exc))
    else:
        messages.error(request, _form_errors(form))
    return redirect(reverse("contests:edit", args=[contest.pk]) + "#venues")


def _form_errors(form) -> str:
    """A form's errors as one line for a message: “label: error”."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return "; ".join(parts)


# --- stages ----------------------------------------------------------------------------------


@login_required
def stage_add(request, contest_id: int):
    contest = ps.contest_manage_or_404(request.user, contest_id)
    form = StageForm(request.POST or None, initial={"level": contest.level}, venues=contest.venues.all())
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            stage = services.stage_create(
                contest=contest,
                name=cd["name"],
                level=cd["level"],
                order=cd["order"],
                venue=cd["venue"],
                starts_at=cd["starts_at"],
                ends_at=cd["ends_at"],
                theory_max=cd["theory_max"],
                by=request.user,
            )
        except FAILED as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Stage %(name)s added") % {"name": stage.name})
            return redirect(reverse("contests:stage", args=[stage.pk]))
    return render(
        request,
        "contests/stage_form.html",
        {"contest": contest, "form": form, "stages": selectors.stage_list(contest).select_related("venue")},
    )


# --- marking scheme: modules and aspects ------------------------------------------------------------


def _scheme_page(request, stage: Stage, access: ps.StageAccess, **extra: Any):
    """The scheme page (as views.scheme_view) re-rendered with a rejected form's input."""
    return render(
        request,
        "contests/scheme.html",
        {
            "stage": stage,
            "contest": stage.contest,
            "access": access,
            "scheme": ps.marking_scheme(stage),
            "flags": ps.flagged_marks(stage=stage),
            "judges_min": stage.contest.judges_min,
            "aspect_blank": AspectForm.rows(),
            **extra,
        },
    )


@login_required
@require_POST
def module_add(request, stage_id: int):
    stage, access = _manager_stage(request, stage_id)
    form = ModuleForm(request.POST)
    if form.is_valid():
        try:
            module = services.module_add(
                stage=stage, name=form.cleaned_data["name"], order=form.cleaned_data["order"], by=request.user
            )
        except FAILED as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Module %(name)s added") % {"name": module.name})
            return redirect(reverse("contests:scheme", args=[stage.pk]) + f"#module-{module.pk}")
    else:
        messages.error(request, _form_errors(form))
    return _scheme_page(request, stage, access, module_posted=request.POST)


@login_required
@require_POST
def aspect_add(request, module_id: int):
    module = Module.objects.filter(pk=module_id).first()
    if module is None:
        raise Http404("not found")
    stage, access = _manager_stage(request, module.stage_id)
    form = AspectForm(request.POST)
    if form.is_valid():
        try:
            aspect = services.aspect_add(module=module, by=request.user, **form.service_kwargs())
        except FAILED as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Aspect %(code)s added") % {"code": aspect.code})
            return redirect(reverse("contests:scheme", args=[stage.pk]) + f"#module-{module.pk}")
    else:
        messages.error(request, _form_errors(form))
    return _scheme_page(request, stage, access, aspect_posted=AspectForm.rows(request.POST), aspect_module=module.pk)


# --- quotas ---------------------------------------------------------------------------------------


@login_required
def quotas_view(request, stage_id: int):
    stage, access = _manager_stage(request, stage_id)
    organisations = ps.limited(ps.partner_organisations(within=stage.contest.lead_org))
    form = QuotaForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        if form.is_valid():
            org = form.cleaned_data["organisation"]
            try:
                services.quota_set(stage=stage, organisation=org, places=form.cleaned_data["places"], by=request.user)
            except FAILED as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(
                    request, _("%(org)s: %(n)d places") % {"org": org.name, "n": form.cleaned_data["places"]}
                )
                return redirect(reverse("contests:quotas", args=[stage.pk]))
        else:
            messages.error(request, _form_errors(form))
    quotas = selectors.quota_usage(stage)
    return render(
        request,
        "contests/quotas.html",
        {
            "stage": stage,
            "contest": stage.contest,
            "access": access,
            "form": form,
            "quotas": quotas,
            "totals": {"places": sum(q["places"] for q in quotas), "used": sum(q["used"] for q in quotas)},
        },
    )


# --- contest roles and judge assignments -------------------------------------------------------------


@login_required
def roles_view(request, contest_id: int):
    contest = ps.contest_manage_or_404(request.user, contest_id)
    q = request.GET.get("q", "").strip()[:50]
    if request.method == "POST":
        user = get_user_model().objects.filter(pk=_int(request.POST.get("user")) or 0, is_active=True).first()
        if user is None:
            raise Http404("not found")
        role = request.POST.get("role", "")
        try:
            services.contest_role_grant(contest=contest, user=user, role=role, by=request.user)
        except FAILED as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                _("%(user)s is now %(role)s") % {"user": user, "role": ContestRole.Kind(role).label},
            )
        url = reverse("contests:roles", args=[contest.pk])
        return redirect(f"{url}?{urlencode({'q': q})}" if q else url)
    return render(
        request,
        "contests/roles.html",
        {
            "contest": contest,
            "roles": ps.contest_roles(contest),
            "kinds": ContestRole.Kind.choices,
            "q": q,
            "found": ps.user_search(q),
            "stages": contest.stages.order_by("order"),
        },
    )


@login_required
@require_POST
def role_revoke(request, role_id: int):
    role = ContestRole.objects.select_related("contest", "user").filter(pk=role_id).first()
    if role is None:
        raise Http404("not found")
    contest = ps.contest_manage_or_404(request.user, role.contest_id)
    try:
        services.contest_role_revoke(contest_role=role, by=request.user)
    except FAILED as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The role is revoked: %(user)s") % {"user": role.user})
    return redirect(reverse("contests:roles", args=[contest.pk]))


@login_required
def judges_view(request, stage_id: int):
    stage, access = _manager_stage(request, stage_id)
    if request.method == "POST":
        module = Module.objects.filter(pk=_int(request.POST.get("module")) or 0, stage=stage).first()
        judge = ContestRole.objects.filter(pk=_int(request.POST.get("judge")) or 0, contest=stage.contest).first()
        if module is None:
            raise Http404("not found")
        if judge is None:
            messages.error(request, _("Choose a judge"))
        else:
            aspect_ids = [i for i in (_int(a) for a in request.POST.getlist("aspects")) if i]
            aspects = list(Aspect.objects.filter(pk__in=aspect_ids))
            try:
                services.judge_assign(module=module, judge=judge, aspects=aspects, by=request.user)
            except FAILED as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(
                    request, _("%(judge)s is assigned to %(module)s") % {"judge": judge.user, "module": module.name}
                )
        return redirect(reverse("contests:judges", args=[stage.pk]) + f"#module-{module.pk}")
    return render(
        request,
        "contests/judges.html",
        {
            "stage": stage,
            "contest": stage.contest,
            "access": access,
            "scheme": ps.marking_scheme(stage),
            "judges": ps.judging_roles(stage.contest),
        },
    )


@login_required
@require_POST
def judge_unassign(request, assignment_id: int):
    assignment = JudgeAssignment.objects.select_related("module__stage", "judge__user").filter(pk=assignment_id)
    assignment = assignment.first()
    if assignment is None:
        raise Http404("not found")
    stage, _access = _manager_stage(request, assignment.module.stage_id)
    try:
        services.judge_unassign(assignment=assignment, by=request.user)
    except FAILED as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("%(judge)s no longer marks %(module)s")
            % {"judge": assignment.judge.user, "module": assignment.module.name},
        )
    return redirect(reverse("contests:judges", args=[stage.pk]) + f"#module-{assignment.module_id}")


# --- prizes, titles, promotion rules --------------------------------------------------------------


AWARD_FORMS = {"prize": PrizeTierForm, "title": TitleRuleForm, "promotion": PromotionRuleForm}


def _award_add(request, contest: Contest, kind: str, form) -> str:
    cd, by = form.cleaned_data, request.user
    if kind == "prize":
        tier = services.prize_tier_add(contest=contest, by=by, **form.service_kwargs())
        return _("Prize tier %(name)s added") % {"name": tier.name}
    if kind == "title":
        rule = services.title_rule_add(
            contest=contest, title=cd["title"], rank_from=cd["rank_from"], rank_to=cd["rank_to"], by=by
        )
        return _("Title rule %(name)s added") % {"name": rule.title}
    services.promotion_rule_add(
        contest=contest,
        level=cd["level"],
        rank_from=cd["rank_from"],
        rank_to=cd["rank_to"],
        current_level=cd["current_level"],
        new_level=cd["new_level"],
        by=by,
    )
    return _("Promotion rule added")


@login_required
def awards_view(request, contest_id: int):
    contest = ps.contest_manage_or_404(request.user, contest_id)
    forms_ = {
        "prize": PrizeTierForm(),
        "title": TitleRuleForm(),
        "promotion": PromotionRuleForm(initial={"level": contest.level}),
    }
    if request.method == "POST":
        kind = request.POST.get("form", "")
        if kind not in AWARD_FORMS:
            raise Http404("not found")
        form = forms_[kind] = AWARD_FORMS[kind](request.POST)
        if form.is_valid():
            try:
                messages.success(request, _award_add(request, contest, kind, form))
            except FAILED as exc:
                messages.error(request, _error_text(exc))
            else:
                return redirect(reverse("contests:awards", args=[contest.pk]) + f"#{kind}")
        else:
            messages.error(request, _form_errors(form))
    return render(
        request,
        "contests/awards.html",
        {
            "contest": contest,
            "forms": forms_,
            "prize_tiers": contest.prize_tiers.order_by("order"),
            "title_rules": contest.title_rules.order_by("rank_from", "id"),
            "promotion_rules": contest.promotion_rules.order_by("level", "rank_from", "id"),
            "general_rules": PromotionRule.objects.filter(contest__isnull=True).order_by("level", "rank_from", "id"),
        },
    )


# --- qualification for the next stage ------------------------------------------------------------


@login_required
def qualify_view(request, stage_id: int):
    stage, access = _manager_stage(request, stage_id)
    final = ps.final_result_set(stage)
    targets = ps.qualify_targets(stage)
    form = QualifyForm(request.POST or None, stages=targets)
    if request.method == "POST":
        if form.is_valid():
            cd = form.cleaned_data
            try:
                out = services.stage_qualify(
                    stage=stage,
                    next_stage=cd["next_stage"],
                    rule={"mode": cd["mode"], "top": cd["top"]},
                    by=request.user,
                )
            except FAILED as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(
                    request,
                    _("%(n)d qualifiers are entered into %(stage)s") % {"n": len(out), "stage": cd["next_stage"].name},
                )
                return redirect(reverse("contests:qualify", args=[stage.pk]))
        else:
            messages.error(request, _form_errors(form))
    return render(
        request,
        "contests/qualify.html",
        {
            "stage": stage,
            "contest": stage.contest,
            "access": access,
            "form": form,
            "final": final,
            "has_next": ps.later_stages(stage).exists(),
            "has_target": targets.exists(),
            "qualifications": ps.qualifications_out(stage),
        },
    )


# --- theory scores (secret numbers only) ----------------------------------------------------------


def _theory_changes(request, numbers: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(number, value) for every input filled in with a value other than the stored one."""
    out = []
    for n in numbers:
        raw = request.POST.get(f"score-{n['number']}", "").strip()
        if raw == "":
            continue
        try:
            same = n["theory_score"] is not None and Decimal(raw) == n["theory_score"]
        except (InvalidOperation, ValueError):
            same = False
        if not same:
            out.append((n["number"], raw))
    return out


@login_required
def theory_view(request, stage_id: int):
    stage = ps.stage_for_user_or_404(request.user, stage_id)
    access = ps.stage_access(stage, request.user)
    if not (access.manager or access.chief):
        raise Http404("not found")
    numbers = ps.theory_numbers(stage)
    errors: dict[str, str] = {}
    if request.method == "POST":
        changes = _theory_changes(request, numbers)
        with transaction.atomic():
            for number, raw in changes:
                try:
                    with transaction.atomic():
                        services.theory_score_set(stage=stage, number=number, score=raw, by=request.user)
                except FAILED as exc:
                    errors[number] = _error_text(exc)
            if errors:
                transaction.set_rollback(True)
        if not errors:
            if changes:
                messages.success(request, _("Theory scores saved: %(n)d") % {"n": len(changes)})
            else:
                messages.info(request, _("Nothing to save: no score was changed"))
            return redirect(reverse("contests:theory", args=[stage.pk]))
        messages.error(request, _("Nothing was saved; correct the marked scores and save again"))
    rows = []
    for n in numbers:
        posted = request.POST.get(f"score-{n['number']}", "").strip() if errors else ""
        stored = "" if n["theory_score"] is None else str(n["theory_score"])
        rows.append({"number": n["number"], "value": posted or stored, "error": errors.get(n["number"], "")})
    return render(
        request,
        "contests/theory.html",
        {
            "stage": stage,
            "contest": stage.contest,
            "access": access,
            "rows": rows,
            "entered": sum(1 for n in numbers if n["theory_score"] is not None),
            "locked": stage.revealed_at is not None,
        },
    )


# --- appeals by team leaders ------------------------------------------------------------------------


@login_required
def appeal_view(request, stage_id: int):
    stage = ps.stage_for_user_or_404(request.user, stage_id)
    access = ps.stage_access(stage, request.user)
    if not ps.can_appeal_page(stage, request.user, access):
        raise Http404("not found")
    registrations = ps.appeal_registrations(stage, request.user)
    deadline = services.appeal_deadline(stage)
    is_open = services.appeal_open(stage)
    final = ps.final_result_set(stage) is not None
    form = AppealForm(request.POST or None, registrations=registrations)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.appeal_file(
                    registration=form.cleaned_data["registration"], reason=form.cleaned_data["reason"], by=request.user
                )
            except FAILED as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, _("Your appeal is filed; the arbitration group will rule on it"))
                return redirect(reverse("contests:appeal", args=[stage.pk]))
        else:
            messages.error(request, _form_errors(form))
    return render(
        request,
        "contests/appeal.html",
        {
            "stage": stage,
            "contest": stage.contest,
            "access": access,
            "form": form,
            "has_entries": registrations.exists(),
            "others": ps.entries_led_by_others(stage, request.user),
            "deadline": deadline,
            "is_open": is_open,
            "final": final,
            "appeals": ps.appeals_filed_by(stage, request.user),
        },
    )

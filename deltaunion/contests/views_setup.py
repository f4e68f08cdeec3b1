"""HTML pages for setting a contest up and for the officers' and team leaders' stage tasks:
create and edit a contest, venues, stages, the marking scheme, quotas, contest roles and judge
assignments, prizes/titles/promotion rules, qualification for the next stage, theory scores
and appeals.

Thin views as in views.py: objects are fetched for the user (404 for missing and not-yours),
an action the user may not take is a 403 with the permission's message, and a service's
ValidationError becomes a message and changes nothing.
The theory-score page may be used by judges: it shows secret numbers only, never a name.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
from deltaunion.contests.models import Aspect, Contest, ContestRole, Module, PromotionRule
from deltaunion.contests.views import _error_text, _int, _page, _stage_object, attempt, scheme_page, stage_for
from deltaunion.core.permissions import can, require


def _managed_contest(request, contest_id: int) -> Contest:
    """A contest the user may see (404 otherwise) and set up (403 otherwise)."""
    contest = selectors.contest_for_user_or_404(request.user, contest_id)
    require(request.user, "contests.manage_contest", contest)
    return contest


# --- contests: create and edit ------------------------------------------------------------------


def _contest_form(request, *, contest: Contest | None = None, initial: dict | None = None):
    # The current lead and co-organisers stay choosable (an organiser need not manage the lead).
    return ContestForm(
        request.POST or None,
        initial=initial,
        organisations=selectors.lead_organisations(request.user, contest),
        partners=selectors.partner_organisations(within=contest.lead_org if contest else None, contest=contest),
        key_tasks=selectors.contest_key_tasks(),
        statuses=[(contest.status, contest.get_status_display()), *Contest.workflow.choices(contest, request.user)]
        if contest
        else None,
    )


def _trades(request, form: ContestForm) -> list:
    return [
        services.trade_get_or_create(name=name, occupation_code=code, by=request.user)
        for name, code in form.cleaned_data["trades"]
    ]


@login_required
def contest_create(request):
    require(request.user, "contests.create_contest")
    initial = ContestForm.defaults()
    top = selectors.lead_organisations(request.user).first()
    initial["lead_org"] = top.pk if top else None
    key_task = selectors.contest_key_tasks().filter(pk=_int(request.GET.get("key_task")) or 0).first()
    if key_task is not None:
        initial.update(key_task=key_task.pk, title=key_task.title)
        if key_task.lead_org_id and can(request.user, "contests.create_contest", key_task.lead_org):
            initial["lead_org"] = key_task.lead_org_id
    form = _contest_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        created, contest = attempt(
            request,
            lambda: services.contest_create(
                title=cd["title"],
                lead_org=cd["lead_org"],
                by=request.user,
                format=cd["format"],
                level=cd["level"],
                key_task=cd["key_task"],
                co_organisers=cd["co_organisers"],
                trades=_trades(request, form),
                **form.settings(),
            ),
            _("The contest is created as a draft. Add its stages next."),
        )
        if created:
            return redirect(reverse("contests:detail", args=[contest.pk]))
    return render(request, "contests/contest_form.html", {"form": form, "creating": True, "key_task": key_task})


@login_required
def contest_edit(request, contest_id: int):
    contest = _managed_contest(request, contest_id)
    form = _contest_form(request, contest=contest, initial=ContestForm.initial_for(contest))
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
        saved, _contest = attempt(
            request,
            lambda: services.contest_update(
                contest=contest,
                by=request.user,
                co_organisers=cd["co_organisers"],
                trades=_trades(request, form),
                **changes,
            ),
            _("The contest is saved"),
        )
        if saved:
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
    contest = _managed_contest(request, contest_id)
    back = reverse("contests:edit", args=[contest.pk]) + "#venues"
    form = VenueForm(request.POST)
    response = _submit(
        request,
        form,
        lambda cd: services.venue_add(
            contest=contest, name=cd["name"], address=cd["address"].strip(), region=cd["region"], by=request.user
        ),
        lambda venue: _("Venue %(name)s added") % {"name": venue.name},
        back,
    )
    return response or redirect(back)


def _form_errors(form) -> str:
    """A form's errors as one line for a message: “label: error”."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return "; ".join(parts)


def _submit(request, form, action: Any, done: Any, back: Any):
    """A POSTed form: if valid, run `action(cleaned_data)` as `attempt` does and give the
    redirect to `back` (or `back(result)`) on success; an invalid form is one message. None
    when there is nothing to redirect to (not a POST, or it failed)."""
    if request.method != "POST":
        return None
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return None
    done_, result = attempt(request, lambda: action(form.cleaned_data), done)
    if not done_:
        return None
    return redirect(back(result) if callable(back) else back)


# --- stages ----------------------------------------------------------------------------------


@login_required
def stage_add(request, contest_id: int):
    contest = _managed_contest(request, contest_id)
    form = StageForm(
        request.POST or None, initial={"level": contest.level}, venues=contest.venues.all(), contest=contest
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in ("name", "level", "order", "venue", "starts_at", "ends_at")}
        added, stage = attempt(
            request,
            lambda: services.stage_create(
                contest=contest, theory_max=form.cleaned_data["theory_max"], by=request.user, **fields
            ),
            lambda stage: _("Stage %(name)s added") % {"name": stage.name},
        )
        if added:
            return redirect(reverse("contests:stage", args=[stage.pk]))
    return render(
        request,
        "contests/stage_form.html",
        {"contest": contest, "form": form, "stages": selectors.stage_list(contest).select_related("venue")},
    )


# --- marking scheme: modules and aspects ------------------------------------------------------------


@login_required
@require_POST
def module_add(request, stage_id: int):
    stage = stage_for(request, stage_id, "contests.manage_contest")
    response = _submit(
        request,
        ModuleForm(request.POST),
        lambda cd: services.module_add(stage=stage, name=cd["name"], order=cd["order"], by=request.user),
        lambda module: _("Module %(name)s added") % {"name": module.name},
        lambda module: reverse("contests:scheme", args=[stage.pk]) + f"#module-{module.pk}",
    )
    if response:
        return response
    return scheme_page(request, stage, module_posted=request.POST)


@login_required
@require_POST
def aspect_add(request, module_id: int):
    module = selectors.module_for_user_or_404(request.user, module_id)
    require(request.user, "contests.manage_contest", module)
    form = AspectForm(request.POST)
    response = _submit(
        request,
        form,
        lambda _cd: services.aspect_add(module=module, by=request.user, **form.service_kwargs()),
        lambda aspect: _("Aspect %(code)s added") % {"code": aspect.code},
        reverse("contests:scheme", args=[module.stage_id]) + f"#module-{module.pk}",
    )
    if response:
        return response
    return scheme_page(request, module.stage, aspect_posted=AspectForm.rows(request.POST), aspect_module=module.pk)


# --- quotas ---------------------------------------------------------------------------------------


@login_required
def quotas_view(request, stage_id: int):
    stage = stage_for(request, stage_id, "contests.manage_contest")
    organisations = selectors.partner_organisations(within=stage.contest.lead_org)
    form = QuotaForm(request.POST or None, organisations=organisations)
    response = _submit(
        request,
        form,
        lambda cd: services.quota_set(
            stage=stage, organisation=cd["organisation"], places=cd["places"], by=request.user
        ),
        lambda quota: _("%(org)s: %(n)d places") % {"org": quota.organisation.name, "n": quota.places},
        reverse("contests:quotas", args=[stage.pk]),
    )
    if response:
        return response
    quotas = selectors.quota_usage(stage)
    return _page(
        request,
        "contests/quotas.html",
        stage,
        form=form,
        quotas=quotas,
        totals={"places": sum(q["places"] for q in quotas), "used": sum(q["used"] for q in quotas)},
    )


# --- contest roles and judge assignments -------------------------------------------------------------


@login_required
def roles_view(request, contest_id: int):
    contest = _managed_contest(request, contest_id)
    q = request.GET.get("q", "").strip()[:50]
    if request.method == "POST":
        user = get_user_model().objects.filter(pk=_int(request.POST.get("user")) or 0, is_active=True).first()
        if user is None:
            raise Http404("not found")
        role = request.POST.get("role", "")
        attempt(
            request,
            lambda: services.contest_role_grant(contest=contest, user=user, role=role, by=request.user),
            lambda granted: _("%(user)s is now %(role)s") % {"user": user, "role": granted.get_role_display()},
        )
        url = reverse("contests:roles", args=[contest.pk])
        return redirect(f"{url}?{urlencode({'q': q})}" if q else url)
    return render(
        request,
        "contests/roles.html",
        {
            "contest": contest,
            "roles": selectors.contest_role_list(contest),
            "kinds": ContestRole.Kind.choices,
            "q": q,
            "found": selectors.user_search(q),
            "stages": contest.stages.order_by("order"),
        },
    )


def _remove(request, remove: Any, done: str, back: str, **obj: Any):
    """Revoke or unassign the object (the contest's managers only) with the service `remove`;
    a refusal is a message."""
    require(request.user, "contests.manage_contest", *obj.values())
    attempt(request, lambda: remove(**obj, by=request.user), done)
    return redirect(back)


@login_required
@require_POST
def role_revoke(request, role_id: int):
    role = selectors.role_for_user_or_404(request.user, role_id)
    done = _("The role is revoked: %(user)s") % {"user": role.user}
    back = reverse("contests:roles", args=[role.contest_id])
    return _remove(request, services.contest_role_revoke, done, back, contest_role=role)


@login_required
def judges_view(request, stage_id: int):
    stage = stage_for(request, stage_id, "contests.manage_contest")
    if request.method == "POST":
        module = _stage_object(Module, request.POST.get("module"), stage=stage)
        judge = ContestRole.objects.filter(pk=_int(request.POST.get("judge")) or 0, contest=stage.contest).first()
        if judge is None:
            messages.error(request, _("Choose a judge"))
        else:
            aspect_ids = [i for i in (_int(a) for a in request.POST.getlist("aspects")) if i]
            aspects = list(Aspect.objects.filter(pk__in=aspect_ids))
            attempt(
                request,
                lambda: services.judge_assign(module=module, judge=judge, aspects=aspects, by=request.user),
                _("%(judge)s is assigned to %(module)s") % {"judge": judge.user, "module": module.name},
            )
        return redirect(reverse("contests:judges", args=[stage.pk]) + f"#module-{module.pk}")
    return _page(
        request,
        "contests/judges.html",
        stage,
        scheme=selectors.marking_scheme(stage),
        judges=selectors.judging_roles(stage.contest),
    )


@login_required
@require_POST
def judge_unassign(request, assignment_id: int):
    assignment = selectors.assignment_for_user_or_404(request.user, assignment_id)
    module = assignment.module
    done = _("%(judge)s no longer marks %(module)s") % {"judge": assignment.judge.user, "module": module.name}
    back = reverse("contests:judges", args=[module.stage_id]) + f"#module-{module.pk}"
    return _remove(request, services.judge_unassign, done, back, assignment=assignment)


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
    services.promotion_rule_add(contest=contest, by=by, **form.service_kwargs())
    return _("Promotion rule added")


@login_required
def awards_view(request, contest_id: int):
    contest = _managed_contest(request, contest_id)
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
        back = reverse("contests:awards", args=[contest.pk]) + f"#{kind}"
        response = _submit(request, form, lambda _cd: _award_add(request, contest, kind, form), lambda done: done, back)
        if response:
            return response
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
    stage = stage_for(request, stage_id, "contests.manage_contest")
    targets = selectors.qualify_targets(stage)
    form = QualifyForm(request.POST or None, stages=targets)
    response = _submit(
        request,
        form,
        lambda cd: services.stage_qualify(
            stage=stage, next_stage=cd["next_stage"], rule={"mode": cd["mode"], "top": cd["top"]}, by=request.user
        ),
        lambda out: (
            _("%(n)d qualifiers are entered into %(stage)s")
            % {"n": len(out), "stage": form.cleaned_data["next_stage"].name}
        ),
        reverse("contests:qualify", args=[stage.pk]),
    )
    if response:
        return response
    return _page(
        request,
        "contests/qualify.html",
        stage,
        form=form,
        final=selectors.final_result_set(stage),
        has_next=selectors.later_stages(stage).exists(),
        has_target=targets.exists(),
        qualifications=selectors.qualifications_out(stage),
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
    stage = stage_for(request, stage_id, "contests.manage_scores")
    numbers = selectors.theory_numbers(stage)
    errors: dict[str, str] = {}
    if request.method == "POST":
        changes = _theory_changes(request, numbers)
        with transaction.atomic():
            for number, raw in changes:
                try:
                    with transaction.atomic():
                        services.theory_score_set(stage=stage, number=number, score=raw, by=request.user)
                except ValidationError as exc:
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
    return _page(
        request,
        "contests/theory.html",
        stage,
        rows=rows,
        entered=sum(1 for n in numbers if n["theory_score"] is not None),
        locked=stage.revealed_at is not None,
    )


# --- appeals by team leaders ------------------------------------------------------------------------


@login_required
def appeal_view(request, stage_id: int):
    stage = stage_for(request, stage_id, "contests.open_appeal_page")
    registrations = selectors.appeal_registrations(stage, request.user)
    form = AppealForm(request.POST or None, registrations=registrations)
    response = _submit(
        request,
        form,
        lambda cd: services.appeal_file(registration=cd["registration"], reason=cd["reason"], by=request.user),
        _("Your appeal is filed; the arbitration group will rule on it"),
        reverse("contests:appeal", args=[stage.pk]),
    )
    if response:
        return response
    return _page(
        request,
        "contests/appeal.html",
        stage,
        form=form,
        has_entries=registrations.exists(),
        others=selectors.entries_led_by_others(stage, request.user),
        deadline=selectors.appeal_deadline(stage),
        is_open=selectors.appeal_open(stage),
        final=selectors.has_final_results(stage),
        appeals=selectors.appeals_filed_by(stage, request.user),
    )

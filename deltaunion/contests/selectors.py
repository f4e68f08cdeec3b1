"""Every read of the contest engine, for the pages, the API, the live board, exports and other apps.

Visibility (404 for missing and not-yours alike) is decided here with the organisation
scoping; what a user may *do* is `permissions.py`, asked through `can(...)`.

Judges' selectors (`judge_*`) return secret numbers only: they never touch Registration,
Worker or the sealed mapping except through `conflicted_number_ids`, which returns ids.
Selectors that name competitors (`stage_results`, the board's ranking) refuse until the
stage is revealed; personal data (names, ID numbers, phones) of registrations goes through
`competitor_data`, masked unless the viewer may see it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from deltaunion.contests import scoring
from deltaunion.contests.formats import strategy_for
from deltaunion.contests.hashing import sha256_hex
from deltaunion.contests.models import (
    STAGE_STEPS_BY_HAND,
    Appeal,
    Aspect,
    Award,
    Certificate,
    Contest,
    ContestRole,
    JudgeAssignment,
    Mark,
    Module,
    Objection,
    Qualification,
    Quota,
    Recheck,
    Registration,
    ResultRow,
    ResultSet,
    SealedMapping,
    SecretNumber,
    Stage,
    TeamMember,
)
from deltaunion.core.audit import HistoryItem, describe
from deltaunion.core.models import AuditEntry
from deltaunion.core.permissions import can
from deltaunion.core.privacy import personal
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import get_for_user_or_404, managed, managed_organisations, scoped
from deltaunion.people.models import Worker

CERTIFICATE_VERIFY_PATH = "/contests/certificates/{code}/verify/"


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --- what a user may see: 404 otherwise ----------------------------------------------------------


def _visible_or_404(qs: QuerySet, user: Any, pk: int, roles: str) -> Any:
    """The object if the user may see it (scoping) or holds a role on its contest (`roles`:
    the path to the contest's roles, so a draft is open to the people working on it)."""
    obj = scoped(qs, user).filter(pk=pk).first()
    if obj is None and _signed_in(user):
        obj = qs.filter(pk=pk, **{f"{roles}__user": user}).distinct().first()
    if obj is None:
        raise Http404("not found")
    return obj


def contest_for_user_or_404(user: Any, contest_id: int) -> Contest:
    """A contest the user may see: public, of their subtree, or one they hold a role on."""
    return _visible_or_404(Contest.objects.select_related("lead_org", "key_task__plan"), user, contest_id, "roles")


def stage_for_user_or_404(user: Any, stage_id: int) -> Stage:
    qs = Stage.objects.select_related("contest__lead_org", "venue")
    return _visible_or_404(qs, user, stage_id, "contest__roles")


def _in_visible_stage(user: Any, obj: Any, stage_id: int) -> Any:
    if obj is None:
        raise Http404("not found")
    stage_for_user_or_404(user, stage_id)
    return obj


def module_for_user_or_404(user: Any, module_id: int) -> Module:
    module = Module.objects.select_related("stage__contest__lead_org").filter(pk=module_id).first()
    return _in_visible_stage(user, module, module.stage_id if module else 0)


def assignment_for_user_or_404(user: Any, assignment_id: int) -> JudgeAssignment:
    assignment = (
        JudgeAssignment.objects.select_related("module__stage__contest__lead_org", "judge__user")
        .filter(pk=assignment_id)
        .first()
    )
    return _in_visible_stage(user, assignment, assignment.module.stage_id if assignment else 0)


def role_for_user_or_404(user: Any, role_id: int) -> ContestRole:
    role = ContestRole.objects.select_related("contest__lead_org", "user").filter(pk=role_id).first()
    if role is None:
        raise Http404("not found")
    contest_for_user_or_404(user, role.contest_id)
    return role


def registration_for_user_or_404(user: Any, registration_id: int) -> Registration:
    """A registration of the user's subtree (or their own), or any of a stage they manage."""
    qs = Registration.objects.select_related("stage__contest__lead_org", "organisation", "worker")
    reg = qs.filter(pk=registration_id).first()
    if reg is not None and can(user, "contests.manage_contest", reg):
        return reg
    return get_for_user_or_404(qs, user, pk=registration_id)


def result_set_for_user_or_404(user: Any, result_set_id: int) -> ResultSet:
    return get_for_user_or_404(ResultSet.objects.select_related("stage__contest", "contest"), user, pk=result_set_id)


def certificate_for_download(user: Any, code: str) -> Certificate | None:
    """The certificate with this code, if the user may download it."""
    cert = (
        Certificate.objects.select_related(
            "award__worker", "award__contest__lead_org", "award__registration__organisation", "award__result_set__stage"
        )
        .filter(code=(code or "").strip().upper())
        .first()
    )
    return cert if cert is not None and can(user, "contests.download_certificate", cert) else None


def certificate_for_download_or_404(user: Any, code: str) -> Certificate:
    """For anyone who may not download it, the same 404 as for an unknown code (the public
    verification page is the way to check a certificate)."""
    cert = certificate_for_download(user, code)
    if cert is None:
        raise Http404("not found")
    return cert


def _assignments_of(user: Any) -> QuerySet[JudgeAssignment]:
    if not _signed_in(user):
        return JudgeAssignment.objects.none()
    return JudgeAssignment.objects.filter(judge__user=user, judge__role__in=ContestRole.JUDGING)


def judge_assignment_or_404(user: Any, module_id: int) -> JudgeAssignment:
    """The user's assignment on a module: a judge reaches a module only through it."""
    assignment = _assignments_of(user).select_related("module__stage__contest").filter(module_id=module_id).first()
    if assignment is None:
        raise Http404("not found")
    return assignment


def judge_mark_or_404(user: Any, mark_id: int) -> Mark:
    """A mark on a module the user judges (numbers only)."""
    if not _signed_in(user):
        raise Http404("not found")
    mark = (
        Mark.objects.filter(
            pk=mark_id,
            aspect__module__assignments__judge__user=user,
            aspect__module__assignments__judge__role__in=ContestRole.JUDGING,
        )
        .select_related("aspect__module__stage__contest", "secret_number")
        .first()
    )
    if mark is None:
        raise Http404("not found")
    return mark


# --- what a user may do on a stage, as flags for the templates ----------------------------------


@dataclass(frozen=True)
class StageAccess:
    """The permissions the stage pages ask, each answered by `can`."""

    manager: bool = False  # contests.manage_contest
    registrations: bool = False  # contests.handle_registrations
    scores: bool = False  # contests.manage_scores
    chief: bool = False  # contests.chair_judging
    arbiter: bool = False  # contests.rule_appeal
    decryptor: bool = False  # contests.reveal_stage
    any: bool = False  # contests.work_on_stage


def stage_access(stage: Stage, user: Any) -> StageAccess:
    return StageAccess(
        manager=can(user, "contests.manage_contest", stage),
        registrations=can(user, "contests.handle_registrations", stage),
        scores=can(user, "contests.manage_scores", stage),
        chief=can(user, "contests.chair_judging", stage),
        arbiter=can(user, "contests.rule_appeal", stage),
        decryptor=can(user, "contests.reveal_stage", stage),
        any=can(user, "contests.work_on_stage", stage),
    )


# --- contests and stages ----------------------------------------------------------------


def contest_list(
    *,
    user: Any,
    year: int | None = None,
    started_in: int | None = None,
    format: str = "",
    status: str = "",
    level: str = "",
    plan_tier: str = "",
    lead_org_id: int | None = None,
    q: str = "",
) -> QuerySet[Contest]:
    """Contests the user may see (public ones and those of their subtree), filterable.
    `year` is the year of the joint work plan whose key task the contest carries out (so
    `year=2023` gives the plan's 16 contests); `started_in` the year the contest starts, for
    contests outside the plans too (e.g. a county's own campaign); `plan_tier` led,
    co-organised or guided."""
    filters = {
        "key_task__plan__year": year,
        "starts_on__year": started_in,
        "format": format,
        "status": status,
        "level": level,
        "plan_tier": plan_tier,
        "lead_org_id": lead_org_id,
        "title__icontains": q,
    }
    # The key task's lead (and alliance) too: the list shows each contest's lead_label.
    related = ("lead_org", "key_task__plan", "key_task__lead_org", "key_task__lead_alliance")
    qs = scoped(Contest.objects.select_related(*related), user)
    qs = qs.filter(**{k: v for k, v in filters.items() if v})
    # A record whose format or level no source gives (shown 待定) matches no format or level.
    if format:
        qs = qs.exclude(unknown_settings__icontains='"format"')
    if level:
        qs = qs.exclude(unknown_settings__icontains='"level"')
    return qs.order_by("-starts_on", "-id")


def contest_scope_key(user: Any) -> tuple[str, ...]:
    """What decides which contests `contest_list` shows the user: everyone who manages nothing
    sees the same (the public contests); an officer also their subtrees; a superuser all."""
    from deltaunion.orgs.scoping import _outermost, scope_for

    scope = scope_for(user)
    if scope.is_superuser:
        return ("*",)
    return tuple(_outermost(scope.managed_paths))


def contest_years() -> list[int]:
    years = set(Contest.objects.exclude(key_task__isnull=True).values_list("key_task__plan__year", flat=True))
    years |= {d.year for d in Contest.objects.exclude(starts_on__isnull=True).dates("starts_on", "year")}
    return sorted((y for y in years if y), reverse=True)


def stage_list(contest: Contest) -> QuerySet[Stage]:
    return contest.stages.annotate(
        registrations_count=Count("registrations", filter=Q(registrations__status=Registration.Status.APPROVED))
    ).order_by("order")


def stage_status_choices(stage: Stage, user: Any) -> list[tuple[str, str]]:
    """(status, label) the user may move the stage to by hand now."""
    steps = [t for t in Stage.workflow.available(stage, user) if t.name in STAGE_STEPS_BY_HAND]
    return [(t.target, Stage.workflow.state_label(t.target)) for t in steps]


def later_stages(stage: Stage) -> QuerySet[Stage]:
    return Stage.objects.filter(contest_id=stage.contest_id, order__gt=stage.order).order_by("order")


def qualify_targets(stage: Stage) -> QuerySet[Stage]:
    """Later stages that have not yet received qualifiers from `stage`."""
    return later_stages(stage).exclude(qualifications_in__from_stage=stage)


def draw_state(stage: Stage) -> dict[str, Any]:
    """What may be shown of the draw: whether each round is made and when it was sealed —
    never the mapping."""
    rounds = set(stage.draws.values_list("round", flat=True))
    approved = Registration.objects.filter(stage=stage, status=Registration.Status.APPROVED)
    return {
        "round1": 1 in rounds,
        "round2": 2 in rounds,
        "sealed": stage.sealed_at is not None,
        "sealed_at": stage.sealed_at,
        "numbers": SecretNumber.objects.filter(stage=stage).count(),
        "checked_in": approved.filter(checked_in_at__isnull=False).count(),
        "approved": approved.count(),
        "revealed": stage.revealed_at is not None,
    }


def seal_digest(stage: Stage) -> str:
    """The hash over the stage's mapping of secret numbers to entries."""
    pairs = sorted(
        SealedMapping.objects.filter(secret_number__stage=stage).values_list("secret_number__number", "registration_id")
    )
    return sha256_hex({"stage": stage.pk, "mapping": [[n, r] for n, r in pairs]})


# --- readable history ---------------------------------------------------------------------------


def _entries_of(*objects: Any) -> QuerySet[AuditEntry]:
    q = Q(pk__in=[])
    for obj in objects:
        q |= Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return AuditEntry.objects.filter(q).select_related("actor").order_by("-created_at", "-id")


def contest_history(contest: Contest, limit: int = 100) -> list[HistoryItem]:
    """The contest's own history as sentences, newest first (for those who manage it)."""
    return describe(_entries_of(contest)[:limit])


def stage_history(stage: Stage, limit: int = 100) -> list[HistoryItem]:
    """The stage's history with its re-checks, result sets and voided marks (each with its
    reason), as sentences, newest first."""
    related = [
        *Recheck.objects.filter(stage=stage),
        *ResultSet.objects.filter(stage=stage),
        *Mark.objects.filter(aspect__module__stage=stage, status=Mark.Status.VOIDED),
    ]
    return describe(_entries_of(stage, *related)[:limit])


# --- registrations and their personal data ---------------------------------------------------------


def _stage_registrations(stage: Stage, user: Any) -> QuerySet[Registration]:
    qs = Registration.objects.filter(stage=stage)
    return qs if can(user, "contests.manage_contest", stage) else scoped(qs, user)


def registration_list(
    *, stage: Stage, user: Any, status: str = "", organisation_id: int | None = None
) -> QuerySet[Registration]:
    """The entries of a stage the user may see: all of them for the contest's managers (they
    check competitors in), those of their subtree for a sending union, their own for a worker."""
    qs = _stage_registrations(stage, user).select_related(
        "worker__employer", "worker__organisation", "organisation", "leader", "stage__contest__lead_org"
    )
    if status:
        qs = qs.filter(status=status)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.prefetch_related("members__worker__employer", "members__worker__organisation").order_by(
        "organisation__path", "id"
    )


def registration_counts(stage: Stage, user: Any) -> dict[str, int]:
    qs = _stage_registrations(stage, user).order_by()
    return dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


@dataclass(frozen=True)
class Competitor:
    """A competitor as one viewer may see them: full or masked (`core.privacy`)."""

    name: str
    id_number: str
    phone: str
    employer: str
    full: bool
    # The worker's own union (their grassroots union), beside the union that sends them.
    union: str = ""


def competitor_data(registration: Registration, user: Any, worker: Worker | None = None) -> Competitor:
    """The competitor of a registration (or `worker`, a team member of it) for `user`: full
    name, ID number and phone for `contests.see_personal_data`, masked for anyone else."""
    full = can(user, "contests.see_personal_data", registration)
    w = worker or registration.worker
    return Competitor(
        name=personal(w.name, "name", full=full),
        id_number=personal(w.id_number, "id_number", full=full),
        phone=personal(w.phone, "phone", full=full),
        employer=w.employer.name if w.employer_id else "",
        full=full,
        union=w.organisation.name if w.organisation_id else "",
    )


def with_competitors(registrations: Any, user: Any) -> list[Registration]:
    """The registrations with `.competitor` and `.team` (members) as the user may see them."""
    out = list(registrations)
    for r in out:
        r.competitor = competitor_data(r, user)
        r.team = [competitor_data(r, user, m.worker) for m in r.members.all()]
    return out


def quota_usage(stage: Stage) -> list[dict[str, Any]]:
    return [
        {"organisation_id": q.organisation_id, "organisation": str(q.organisation), "places": q.places, "used": q.used}
        for q in Quota.objects.filter(stage=stage).select_related("organisation").order_by("organisation__path")
    ]


def sending_organisations(stage: Stage, user: Any) -> list[Organisation]:
    """Organisations the user may enter competitors for on this stage: those with a quota in
    their subtree (any organisation they manage if the stage has no quotas)."""
    quotas = managed(Quota.objects.filter(stage=stage), user).select_related("organisation")
    if Quota.objects.filter(stage=stage).exists():
        return [q.organisation for q in quotas.order_by("organisation__path")]
    return list(managed_organisations(user)[:2000])


def qualification_list(stage: Stage) -> QuerySet[Qualification]:
    """Who qualified into `stage`, from where, and why (auditable list)."""
    return Qualification.objects.filter(to_stage=stage).select_related(
        "source_registration__worker", "source_registration__organisation", "from_stage"
    )


def qualifications_out(stage: Stage) -> QuerySet[Qualification]:
    """Who went from `stage` to a later stage, by which rule and why (the auditable list)."""
    return (
        Qualification.objects.filter(from_stage=stage)
        .select_related("to_stage", "source_registration__worker", "source_registration__organisation", "created_by")
        .order_by("to_stage__order", "rank", "id")
    )


def all_signed_off(stage: Stage) -> bool:
    """The stage has modules and every one is signed off."""
    modules = Module.objects.filter(stage=stage)
    return modules.exists() and not modules.filter(signed_off_at__isnull=True).exists()


def entered_worker_ids(stage: Stage, worker_ids: Sequence[int]) -> set[int]:
    """Which of these workers hold a live entry on the stage (as competitor or team member)."""
    live = Registration.HOLDING
    taken = set(
        Registration.objects.filter(stage=stage, worker_id__in=worker_ids, status__in=live).values_list(
            "worker_id", flat=True
        )
    )
    taken |= set(
        TeamMember.objects.filter(stage=stage, worker_id__in=worker_ids, registration__status__in=live).values_list(
            "worker_id", flat=True
        )
    )
    return taken


# --- eligibility ---------------------------------------------------------------------------------


def region_prefix(code: str) -> str:
    """320500 → "3205", 310000 → "31": the prefix that covers a division and everything under it."""
    code = (code or "").strip()
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def contest_region_prefixes(contest: Contest) -> list[str]:
    prefixes = [p for p in (contest.region_prefixes or []) if p]
    if contest.region_alliance_id:
        codes = contest.region_alliance.members.exclude(region__isnull=True).values_list("region_id", flat=True)
        prefixes.extend(region_prefix(c) for c in codes)
    return sorted(set(prefixes))


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def eligibility_problems(*, stage: Stage, worker: Worker, on: dt.date | None = None) -> list[str]:
    """Every rule the worker fails for this stage, as user messages (empty = eligible)."""
    contest = stage.contest
    problems: list[str] = []
    if contest.members_only and not worker.is_member:
        problems.append(_("%(name)s is not a union member") % {"name": worker.name})
    day = on or (stage.starts_at.date() if stage.starts_at else None) or contest.starts_on or timezone.localdate()
    age = age_on(worker.birth_date, day)
    if contest.min_age is not None and age < contest.min_age:
        problems.append(
            _("%(name)s is %(age)d, below the minimum age of %(min)d")
            % {"name": worker.name, "age": age, "min": contest.min_age}
        )
    if contest.max_age is not None and age > contest.max_age:
        problems.append(
            _("%(name)s is %(age)d, above the maximum age of %(max)d")
            % {"name": worker.name, "age": age, "max": contest.max_age}
        )
    if contest.level_highest is not None or contest.level_lowest is not None:
        level = worker.skill_level
        highest = contest.level_highest or 1
        lowest = contest.level_lowest or 5
        if level is None:
            problems.append(
                _("%(name)s has no recorded skill level; this contest requires one") % {"name": worker.name}
            )
        elif not highest <= level <= lowest:
            problems.append(
                _("%(name)s's skill level (%(level)d) is outside the allowed range %(high)d–%(low)d")
                % {"name": worker.name, "level": level, "high": highest, "low": lowest}
            )
    prefixes = contest_region_prefixes(contest)
    if prefixes:
        employer = worker.employer
        code = employer.region_id if employer is not None and employer.region_id else ""
        if not code or not any(code.startswith(p) for p in prefixes):
            problems.append(_("%(name)s's employer is not inside the contest's region") % {"name": worker.name})
    return problems


# --- rankings -----------------------------------------------------------------------------


def stage_ranking(stage: Stage, *, confirmed_only: bool = True) -> list[scoring.Ranked]:
    """The anonymous ranking (secret numbers only) by the contest format's strategy."""
    strategy = strategy_for(stage)
    scores = strategy.competitor_scores(stage, confirmed_only=confirmed_only)
    return scoring.rank_scores(scores, tie_breaks=strategy.tie_breaks(stage), standardise=stage.contest.standardise)


def stage_results(stage: Stage) -> list[dict[str, Any]]:
    """The ranking with names, sending unions and registration ids — after the reveal only."""
    if stage.revealed_at is None:
        raise ValidationError(_("The stage has not been revealed"))
    mapping = {
        m.secret_number.number: m.registration
        for m in SealedMapping.objects.filter(secret_number__stage=stage).select_related(
            "secret_number", "registration__worker", "registration__organisation"
        )
    }
    out = []
    for r in stage_ranking(stage):
        reg = mapping[r.score.key]
        out.append(
            {
                "registration_id": reg.pk,
                "number": r.score.key,
                "name": reg.team_name or reg.worker.name,
                "organisation": str(reg.organisation),
                "rank": r.rank,
                "total": r.score.total,
                "theory": r.score.theory,
                "practical": r.score.practical,
                "modules": list(r.score.modules),
                "standardised": r.standardised,
            }
        )
    return out


@dataclass(frozen=True)
class Scheme:
    """What every total of a stage is computed from, as the rules page and the sheets print it."""

    modules: list[tuple[int, str]]  # (id, name) in order
    aspects: list[dict[str, Any]]  # id, module_id, code, description, kind, max_mark
    practical_max: Decimal
    theory_max: Decimal
    theory_weight: Decimal
    practical_weight: Decimal
    tie_breaks: tuple[str, ...]
    standardise: bool
    rules_version: str = scoring.RULES_VERSION


@dataclass(frozen=True)
class Components:
    """One competitor's printed figures, recomputed from the confirmed marks by the rule."""

    number: str
    aspects: dict[int, Decimal]  # aspect id → aspect mark (judgement: over every judge)
    judge_scores: dict[int, list[Decimal]]  # judgement aspect id → each judge's score
    modules: tuple[Decimal, ...]
    practical: Decimal
    practical_percent: Decimal
    theory: Decimal | None
    theory_percent: Decimal
    total: Decimal


def _tie_breaks(stage: Stage) -> tuple[str, ...]:
    try:
        return strategy_for(stage).tie_breaks(stage)
    except ValidationError:  # a format without a scoring strategy yet: the contest's own list
        return tuple(stage.contest.tie_breaks or scoring.DEFAULT_TIE_BREAKS)


def stage_scheme(stage: Stage) -> Scheme:
    contest = stage.contest
    aspects = list(
        Aspect.objects.filter(module__stage=stage)
        .order_by("module__order", "order", "id")
        .values("id", "module_id", "code", "description", "kind", "max_mark")
    )
    return Scheme(
        modules=list(Module.objects.filter(stage=stage).order_by("order").values_list("id", "name")),
        aspects=aspects,
        practical_max=sum((a["max_mark"] for a in aspects), Decimal(0)),
        theory_max=stage.theory_max,
        theory_weight=contest.theory_weight,
        practical_weight=contest.practical_weight,
        tie_breaks=_tie_breaks(stage),
        standardise=contest.standardise,
    )


def stage_components(
    stage: Stage, scheme: Scheme | None = None, *, judge_scores: bool = False
) -> dict[str, Components]:
    """Per secret number, every figure of its total recomputed from the confirmed marks by the
    published rule (`scoring`): aspect marks, module scores, practical, both figures on the 100
    scale and the total. Independent of the format strategy and of any stored result, so the
    result chain and the result sheets can check one against the other. `judge_scores` also
    lists each judge's score of the judgement aspects (for the printed sheets)."""
    scheme = scheme or stage_scheme(stage)
    position = {module_id: i for i, (module_id, _name) in enumerate(scheme.modules)}
    kinds = {
        a["id"]: (a["kind"] == Aspect.Kind.JUDGEMENT, a["max_mark"], position[a["module_id"]]) for a in scheme.aspects
    }
    confirmed = Mark.objects.filter(aspect__module__stage=stage, status=Mark.Status.CONFIRMED).order_by()
    aspect_marks: dict[int, dict[int, Decimal]] = defaultdict(dict)
    module_scores: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal("0.00")] * len(scheme.modules))
    for number_id, aspect_id, total, count in confirmed.values_list("secret_number_id", "aspect_id").annotate(
        s=Sum("mark"), n=Count("id")
    ):
        judged, max_mark, module = kinds[aspect_id]
        value = scoring.judgement_mark_from_sum(max_mark, total, count) if judged else scoring.q2(total)
        aspect_marks[number_id][aspect_id] = value
        module_scores[number_id][module] += value
    judged_scores: dict[int, dict[int, list[Decimal]]] = defaultdict(dict)
    if judge_scores:
        for number_id, aspect_id, mark in (
            confirmed.filter(kind=Aspect.Kind.JUDGEMENT)
            .order_by("secret_number_id", "aspect_id", "mark")
            .values_list("secret_number_id", "aspect_id", "mark")
        ):
            judged_scores[number_id].setdefault(aspect_id, []).append(mark)
    out: dict[str, Components] = {}
    for number_id, number, theory in SecretNumber.objects.filter(stage=stage).values_list(
        "id", "number", "theory_score"
    ):
        modules = tuple(module_scores[number_id])
        practical = sum(modules, Decimal("0.00"))
        steps = scoring.total_breakdown(
            theory=theory,
            theory_max=scheme.theory_max,
            practical=practical,
            practical_max=scheme.practical_max or Decimal(1),
            theory_weight=scheme.theory_weight,
            practical_weight=scheme.practical_weight,
        )
        out[number] = Components(
            number=number,
            aspects=aspect_marks.get(number_id, {}),
            judge_scores=judged_scores.get(number_id, {}),
            modules=modules,
            practical=practical,
            practical_percent=steps.practical_percent,
            theory=theory,
            theory_percent=steps.theory_percent,
            total=steps.total,
        )
    return out


def rank_components(components: dict[str, Components], scheme: Scheme) -> dict[str, scoring.Ranked]:
    """Ranks (and standardised scores) of recomputed components, by the stage's tie-breaks."""
    ranked = scoring.rank_scores(
        [
            scoring.CompetitorScore(
                key=c.number, total=c.total, modules=c.modules, theory=c.theory, practical=c.practical
            )
            for c in components.values()
        ],
        tie_breaks=scheme.tie_breaks,
        standardise=scheme.standardise,
    )
    return {r.score.key: r for r in ranked}


def _d2(value: Any) -> str | None:
    """A published figure as canonical text: 2 decimal places ("87.00"), None kept."""
    return None if value is None else str(Decimal(value).quantize(scoring.TWO_PLACES))


def result_content(stage: Stage) -> dict[str, Any]:
    """The canonical content of a stage's results (JSON-safe; Decimals as strings): the rule
    they were computed by, and per competitor every figure the total is re-added from. Refuses
    results whose totals do not follow from their components."""
    scheme = stage_scheme(stage)
    components = stage_components(stage, scheme)
    rows = []
    for r in stage_results(stage):
        c = components[r["number"]]
        if (c.total, c.modules, c.practical) != (r["total"], tuple(r["modules"]), r["practical"]):
            raise ValidationError(
                _("The total of %(number)s does not follow from its marks; check the marking scheme")
                % {"number": r["number"]}
            )
        rows.append(
            {
                "registration": r["registration_id"],
                "number": r["number"],
                "name": r["name"],
                "organisation": r["organisation"],
                "rank": r["rank"],
                "total": _d2(r["total"]),
                "theory": _d2(r["theory"]),
                "theory_percent": _d2(c.theory_percent),
                "practical": _d2(r["practical"]),
                "practical_percent": _d2(c.practical_percent),
                "modules": [_d2(m) for m in r["modules"]],
                "standardised": _d2(r["standardised"]),
            }
        )
    return {
        "contest": {"id": stage.contest_id, "title": stage.contest.title},
        "stage": {"id": stage.pk, "name": stage.name, "level": stage.level},
        "weights": {"theory": str(scheme.theory_weight), "practical": str(scheme.practical_weight)},
        "rules": {
            "version": scheme.rules_version,
            "rounding": "2 places, half up, each figure as produced",
            "theory_max": _d2(scheme.theory_max),
            "practical_max": _d2(scheme.practical_max),
            "modules": [name for _id, name in scheme.modules],
            "tie_breaks": list(scheme.tie_breaks),
            "standardise": scheme.standardise,
        },
        "rows": rows,
    }


# --- marking scheme, sign-off and flags (numbers only) ----------------------------------------


def _expected_marks(stage: Stage, kinds: list[str]) -> int:
    numbers = SecretNumber.objects.filter(stage=stage).count()
    judges_min = stage.contest.judges_min
    return numbers * sum(judges_min if k == Aspect.Kind.JUDGEMENT else 1 for k in kinds)


def _mark_counts(qs: QuerySet[Mark]) -> dict[str, Any]:
    return {
        "entered": Count("id"),
        "confirmed": Count("id", filter=Q(status=Mark.Status.CONFIRMED)),
        "rejected": Count("id", filter=Q(status=Mark.Status.REJECTED)),
        "flagged": Count("id", filter=Q(flagged=True, flag_resolved=False)),
    }


def marking_scheme(stage: Stage) -> list[dict[str, Any]]:
    """Modules with their aspects, judge assignments and mark counts."""
    marks = _live_marks().filter(aspect__module__stage=stage)
    counts = {r["aspect__module_id"]: r for r in marks.values("aspect__module_id").annotate(**_mark_counts(marks))}
    out = []
    modules = (
        Module.objects.filter(stage=stage)
        .prefetch_related("aspects", "assignments__judge__user", "assignments__aspects")
        .order_by("order")
    )
    for module in modules:
        aspects = list(module.aspects.all())
        c = counts.get(module.pk, {})
        out.append(
            {
                "module": module,
                "aspects": aspects,
                "assignments": list(module.assignments.all()),
                "expected": _expected_marks(stage, [a.kind for a in aspects]),
                "entered": c.get("entered", 0),
                "confirmed": c.get("confirmed", 0),
                "flagged": c.get("flagged", 0),
            }
        )
    return out


def flagged_marks(*, stage: Stage, module: Module | None = None) -> list[dict[str, Any]]:
    """Open discussion flags, grouped by (secret number, aspect), with each judge's score."""
    qs = _live_marks().filter(aspect__module__stage=stage, flagged=True, flag_resolved=False)
    if module is not None:
        qs = qs.filter(aspect__module=module)
    groups: dict[tuple[str, int], dict[str, Any]] = {}
    for m in qs.order_by("secret_number__number", "aspect__order", "id").values(
        "secret_number__number", "aspect_id", "aspect__code", "aspect__module__name", "mark"
    ):
        key = (m["secret_number__number"], m["aspect_id"])
        g = groups.setdefault(
            key,
            {
                "number": m["secret_number__number"],
                "aspect_id": m["aspect_id"],
                "aspect": m["aspect__code"],
                "module": m["aspect__module__name"],
                "scores": [],
            },
        )
        g["scores"].append(m["mark"])
    return list(groups.values())


def module_missing_marks(module: Module) -> list[tuple[str, str]]:
    """(secret number, aspect code) pairs still short of marks."""
    judges_min = module.stage.contest.judges_min
    counts = {
        (r["secret_number_id"], r["aspect_id"]): r["n"]
        for r in _live_marks()
        .filter(aspect__module=module)
        .values("secret_number_id", "aspect_id")
        .annotate(n=Count("id"))
    }
    missing = []
    for sid, number in SecretNumber.objects.filter(stage_id=module.stage_id).values_list("id", "number"):
        for aid, code, kind in module.aspects.values_list("id", "code", "kind"):
            need = judges_min if kind == Aspect.Kind.JUDGEMENT else 1
            if counts.get((sid, aid), 0) < need:
                missing.append((number, code))
    return missing


def theory_numbers(stage: Stage) -> list[dict[str, Any]]:
    """Secret numbers and their theory scores — numbers only, never a name."""
    return list(SecretNumber.objects.filter(stage=stage).order_by("number").values("number", "theory_score"))


# --- spreadsheets --------------------------------------------------------------------------------


def module_marks(module: Module) -> list[Mark]:
    """Every mark of a module, voided ones included (numbers only, never a competitor's name)."""
    return list(
        Mark.objects.filter(aspect__module=module)
        .select_related("aspect", "secret_number", "entered_by", "confirmed_by", "voided_by")
        .order_by("secret_number__number", "aspect__order", "aspect_id", "id")
    )


def module_score_sheet(module: Module) -> tuple[list[str], list[list[Any]]]:
    """One row per secret number × aspect × mark: numbers only, never names."""
    headers = [
        _("Secret number"),
        _("Aspect"),
        _("Kind"),
        _("Full marks"),
        _("Entered value"),
        _("Mark"),
        _("Status"),
        _("Flagged for discussion"),
        _("Re-marked"),
        _("Reason for voiding"),
    ]
    rows: list[list[Any]] = []
    for m in (
        Mark.objects.filter(aspect__module=module)
        .select_related("aspect", "secret_number")
        .order_by("secret_number__number", "aspect__order", "aspect_id", "id")
    ):
        rows.append(
            [
                m.secret_number.number,
                f"{m.aspect.code} {m.aspect.description}",
                m.get_kind_display(),
                m.aspect.max_mark,
                m.value,
                m.mark,
                m.get_status_display(),
                _("Yes") if m.flagged and not m.flag_resolved else "",
                _("Yes") if m.remarked else "",
                m.void_reason,
            ]
        )
    return headers, rows


def registrations_sheet(registrations: Any, user: Any) -> tuple[list[str], list[list[Any]]]:
    """The entries with their sending union, the worker's own union and employer; personal
    data masked by role."""
    headers = [
        _("Sending union"),
        _("Worker's union"),
        _("Employer"),
        _("Competitor"),
        _("ID number"),
        _("Mobile number"),
        _("Team name"),
        _("Team members"),
        _("Status"),
        _("Source"),
        _("Checked in at"),
        _("Reason"),
    ]
    rows = [
        [
            str(r.organisation),
            r.competitor.union,
            r.competitor.employer,
            r.competitor.name,
            r.competitor.id_number,
            r.competitor.phone,
            r.team_name,
            "、".join(m.name for m in r.team),
            r.get_status_display(),
            r.get_source_display(),
            r.checked_in_at,
            r.reject_reason,
        ]
        for r in with_competitors(registrations, user)
    ]
    return headers, rows


def checkin_sheet(stage: Stage, user: Any) -> tuple[list[str], list[list[Any]]]:
    """Before the draw: the approved entries to check in (sending union, employer, competitor,
    ID number masked by role). After the draw and before the reveal: secret numbers only.
    After the reveal: both."""
    if stage.sealed_at is None:
        headers = [
            _("Sending union"),
            _("Employer"),
            _("Competitor"),
            _("ID number"),
            _("Team name"),
            _("Checked in at"),
            _("Signature"),
        ]
        approved = registration_list(stage=stage, user=user, status=Registration.Status.APPROVED)
        rows = [
            [
                str(r.organisation),
                r.competitor.employer,
                r.competitor.name,
                r.competitor.id_number,
                r.team_name,
                r.checked_in_at,
                "",
            ]
            for r in with_competitors(approved, user)
        ]
        return headers, rows
    numbers = list(SecretNumber.objects.filter(stage=stage).order_by("number").values_list("number", "theory_score"))
    if stage.revealed_at is None:
        return [_("Secret number"), _("Theory score"), _("Signature")], [[n, t, ""] for n, t in numbers]
    names = {
        m.secret_number.number: m.registration
        for m in SealedMapping.objects.filter(secret_number__stage=stage).select_related(
            "secret_number", "registration__worker__employer", "registration__organisation", "registration__stage"
        )
    }
    return (
        [_("Secret number"), _("Competitor"), _("Sending union"), _("Employer"), _("Theory score")],
        [
            [
                n,
                names[n].team_name or competitor_data(names[n], user).name,
                str(names[n].organisation),
                competitor_data(names[n], user).employer,
                t,
            ]
            for n, t in numbers
            if n in names
        ],
    )


def _percent(weight: Decimal) -> str:
    return f"{(Decimal(weight) * 100).normalize():f}%"


def tie_break_labels(tie_breaks: Sequence[str]) -> list[str]:
    from deltaunion.contests.models import TieBreak

    labels = dict(TieBreak.choices)
    return [str(labels.get(t, t)) for t in tie_breaks]


def scoring_rule_rows(scheme: Scheme) -> list[list[Any]]:
    """The rule a sheet's totals follow, as (item, value) lines printed with them."""
    tw, pw = _percent(scheme.theory_weight), _percent(scheme.practical_weight)
    return [
        [_("Scoring rule version"), scheme.rules_version],
        [
            _("Rounding"),
            _(
                "Every figure is rounded to 2 decimal places, half up, as it is produced; the next one is computed from it"
            ),
        ],
        [_("Judgement aspect"), _("full marks × sum of the judges' scores ÷ (3 × number of judges)")],
        [_("Module score"), _("sum of its aspect marks")],
        [_("Practical"), _("sum of the module scores")],
        [
            _("Practical (out of 100)"),
            _("100 × practical ÷ %(max)s (the full marks of every aspect)") % {"max": _d2(scheme.practical_max)},
        ],
        [_("Theory (out of 100)"), _("100 × theory ÷ %(max)s") % {"max": _d2(scheme.theory_max)}],
        [
            _("Total"),
            _("theory (out of 100) × %(tw)s + practical (out of 100) × %(pw)s") % {"tw": tw, "pw": pw},
        ],
        [_("Equal totals"), " → ".join(tie_break_labels(scheme.tie_breaks)) or _("share the rank")],
        *(
            [[_("Standardised score"), _("700 + 100 × (total − median) ÷ standard deviation")]]
            if scheme.standardise
            else []
        ),
    ]


def results_workbook(stage: Stage) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The result sheets: the ranking with every component of each total (theory and its
    figure out of 100, module scores, practical and its figure out of 100, weights in the
    rule sheet), each competitor's aspect marks with the judges' scores, and the scoring rule —
    so every total can be re-added from what is printed. Names after the reveal only."""
    scheme = stage_scheme(stage)
    components = stage_components(stage, scheme, judge_scores=True)
    revealed = stage.revealed_at is not None
    if revealed:
        ranking = [
            (r["rank"], r["number"], r["name"], r["organisation"], r["total"], r["standardised"])
            for r in stage_results(stage)
        ]
    else:
        ranking = [(r.rank, r.score.key, None, None, r.score.total, r.standardised) for r in stage_ranking(stage)]
    tw, pw = _percent(scheme.theory_weight), _percent(scheme.practical_weight)
    headers = [
        _("Rank"),
        _("Secret number"),
        *([_("Competitor"), _("Sending union")] if revealed else []),
        _("Theory"),
        _("Theory (out of 100)"),
        *[name for _id, name in scheme.modules],
        _("Practical"),
        _("Practical (out of 100)"),
        _("Total = theory × %(tw)s + practical × %(pw)s") % {"tw": tw, "pw": pw},
        *([_("Standardised score")] if scheme.standardise else []),
    ]
    rows = []
    for rank, number, name, organisation, total, standardised in ranking:
        c = components[number]
        rows.append(
            [
                rank,
                number,
                *([name, organisation] if revealed else []),
                c.theory,
                c.theory_percent,
                *c.modules,
                c.practical,
                c.practical_percent,
                total,
                *([standardised] if scheme.standardise else []),
            ]
        )
    modules = dict(scheme.modules)
    aspect_rows = [
        [
            number,
            modules.get(a["module_id"], ""),
            f"{a['code']} {a['description']}",
            str(Aspect.Kind(a["kind"]).label),
            a["max_mark"],
            "、".join(str(v.normalize()) for v in components[number].judge_scores.get(a["id"], [])),
            components[number].aspects.get(a["id"], Decimal("0.00")),
        ]
        for _rank, number, *_rest in ranking
        for a in scheme.aspects
    ]
    aspect_headers = [
        _("Secret number"),
        _("Module"),
        _("Aspect"),
        _("Kind"),
        _("Full marks"),
        _("Judges' scores (0–3)"),
        _("Aspect mark"),
    ]
    return [
        (_("Results"), headers, rows),
        (_("Aspect marks"), aspect_headers, aspect_rows),
        (_("Scoring rule"), [_("Item"), _("Rule")], scoring_rule_rows(scheme)),
    ]


def results_sheet(stage: Stage) -> tuple[list[str], list[list[Any]]]:
    """The ranking sheet of `results_workbook`: names after the reveal, numbers before it."""
    _title, headers, rows = results_workbook(stage)[0]
    return headers, rows


# --- judges (secret numbers only) -----------------------------------------------------------


def conflicted_number_ids(stage: Stage, user: Any) -> set[int]:
    """Ids of the stage's secret numbers this user may not mark: competitors (or team members)
    from a judge's own employer and, when the contest says so, from the judge's own city.
    Reads the sealed mapping but returns ids only."""
    roles = list(ContestRole.objects.filter(contest_id=stage.contest_id, user=user, role__in=ContestRole.JUDGING))
    q = Q()
    for role in roles:
        if role.employer_id:
            q |= Q(registration__worker__employer_id=role.employer_id)
            q |= Q(registration__members__worker__employer_id=role.employer_id)
        if stage.contest.conflict_same_city and role.city_id:
            prefix = role.city_id[:4]
            q |= Q(registration__worker__employer__region__code__startswith=prefix)
            q |= Q(registration__members__worker__employer__region__code__startswith=prefix)
    if not q:
        return set()
    return set(
        SealedMapping.objects.filter(secret_number__stage=stage).filter(q).values_list("secret_number_id", flat=True)
    )


def judge_assignment(module: Module | None, user: Any) -> JudgeAssignment | None:
    """The user's assignment (as a judge or the chief judge) on a module, if any."""
    if module is None:
        return None
    return _assignments_of(user).filter(module=module).prefetch_related("aspects").first()


def judge_modules(*, user: Any, stage: Stage | None = None) -> QuerySet[Module]:
    qs = Module.objects.filter(
        assignments__judge__user=user, assignments__judge__role__in=ContestRole.JUDGING
    ).select_related("stage__contest")
    if stage is not None:
        qs = qs.filter(stage=stage)
    return qs.distinct().order_by("stage_id", "order")


def judge_worklist(*, module: Module, user: Any) -> dict[str, Any]:
    """What a judge marks on a module: their aspects and, per secret number they may mark,
    the marks so far. Conflicted competitors are left out. Numbers only, never names."""
    assignment = judge_assignment(module, user)
    locked = module.signed_off_at is not None
    if assignment is None:
        return {"module": module.name, "locked": locked, "aspects": [], "competitors": []}
    aspect_ids = assignment.aspect_ids()
    aspects = list(
        Aspect.objects.filter(pk__in=aspect_ids)
        .order_by("order", "id")
        .values("id", "code", "description", "kind", "max_mark", "target", "unit", "bands", "descriptors")
    )
    for a in aspects:  # target and tolerances as the judge reads them, in the aspect's unit
        shown = Aspect(target=a["target"], unit=a["unit"], bands=a["bands"])
        a["target_text"], a["tolerance_text"] = shown.target_text, shown.tolerance_text
    excluded = conflicted_number_ids(module.stage, user)
    numbers = list(
        SecretNumber.objects.filter(stage_id=module.stage_id)
        .exclude(pk__in=excluded)
        .order_by("number")
        .values_list("id", "number")
    )
    marks: dict[int, list[dict[str, Any]]] = {}
    for m in (
        _live_marks()
        .filter(aspect_id__in=aspect_ids, secret_number_id__in=[i for i, _n in numbers])
        .values(
            "id",
            "aspect_id",
            "secret_number_id",
            "value",
            "mark",
            "status",
            "entered_by_id",
            "flagged",
            "flag_resolved",
            "rejection_reason",
        )
    ):
        marks.setdefault(m["secret_number_id"], []).append(
            {
                "mark_id": m["id"],
                "aspect_id": m["aspect_id"],
                "value": m["value"],
                "mark": m["mark"],
                "status": m["status"],
                "mine": m["entered_by_id"] == user.pk,
                "flagged": m["flagged"] and not m["flag_resolved"],
                "rejection_reason": m["rejection_reason"],
            }
        )
    return {
        "module": module.name,
        "locked": locked,
        "aspects": aspects,
        "competitors": [{"number": n, "marks": marks.get(i, [])} for i, n in numbers],
    }


def judge_confirmation_queue(*, module: Module, user: Any) -> list[dict[str, Any]]:
    """Marks by other judges waiting for this judge's confirmation (secret numbers only): each
    row names its sub-item (aspect code and description), the judge who entered it, and the
    value as entered (a measurement in its unit, a judgement's score)."""
    if judge_assignment(module, user) is None:
        return []
    excluded = conflicted_number_ids(module.stage, user)
    marks = (
        Mark.objects.filter(aspect__module=module, status=Mark.Status.ENTERED)
        .exclude(entered_by=user)
        .exclude(secret_number_id__in=excluded)
        .select_related("aspect", "secret_number", "entered_by")
        .order_by("secret_number__number", "aspect__order", "aspect_id", "entered_by__full_name", "id")
    )
    rows = []
    for m in marks:
        a = m.aspect
        if a.kind == Aspect.Kind.JUDGEMENT:
            entered = _("Score %(n)s") % {"n": format(Decimal(m.value).normalize(), "f")}
        elif not a.bands:
            entered = _("Full marks") if m.mark and m.mark > 0 else _("Zero")
        else:
            entered = _("Measured %(v)s") % {"v": a.in_unit(m.value)}
        rows.append(
            {
                "id": m.pk,
                "number": m.secret_number.number,
                "secret_number__number": m.secret_number.number,  # the API's names
                "aspect__code": a.code,
                "value": m.value,
                "aspect_code": a.code,
                "aspect_description": a.description,
                "judge": m.entered_by.full_name or m.entered_by.username,
                "entered": entered,
                "mark": m.mark,
                "flagged": m.flagged,
            }
        )
    return rows


# --- progress and live board ----------------------------------------------------------------


def _live_marks() -> QuerySet[Mark]:
    """Marks that count: a voided mark is kept for the history only."""
    return Mark.objects.exclude(status=Mark.Status.VOIDED)


def stage_progress(stage: Stage) -> dict[str, Any]:
    aspects = list(Aspect.objects.filter(module__stage=stage).values_list("kind", flat=True))
    marks = _live_marks().filter(aspect__module__stage=stage)
    counts = marks.aggregate(**_mark_counts(marks))
    modules = list(Module.objects.filter(stage=stage).order_by("order").values("id", "name", "signed_off_at"))
    return {
        "competitors": SecretNumber.objects.filter(stage=stage).count(),
        "marks_expected": _expected_marks(stage, aspects),
        "marks_entered": counts["entered"],
        "marks_confirmed": counts["confirmed"],
        "marks_rejected": counts["rejected"],
        "marks_flagged": counts["flagged"],
        "modules_total": len(modules),
        "modules_signed_off": sum(1 for m in modules if m["signed_off_at"]),
        "modules": [{"name": m["name"], "signed_off": m["signed_off_at"] is not None} for m in modules],
    }


def stage_board(stage: Stage) -> dict[str, Any]:
    """Data for the big screen and the phone board: progress always; the ranking once the
    stage is revealed and the board is not frozen."""
    board: dict[str, Any] = {
        "stage": stage.name,
        "status": stage.status,
        "revealed": stage.revealed_at is not None,
        "frozen": stage.board_frozen,
        "progress": stage_progress(stage),
        "ranking": None,
    }
    if stage.revealed_at is not None and not stage.board_frozen:
        keys = ("rank", "number", "name", "organisation", "total")
        board["ranking"] = [{k: r[k] for k in keys} for r in stage_results(stage)]
    return board


# The live board is watched by a hall and its online audience (1,500 phones polling every 3 s):
# it is computed once per BOARD_INTERVAL per stage whatever the audience (core.snapshots), again
# after marks change (at most once per BOARD_MIN_AGE: judges enter marks all the time), and at
# once when a module is signed off or the contest, the stage, its entries, numbers or results
# change. The snapshot holds `compute(stage)` (the view adds what its pages show).
BOARD_INTERVAL = 3.0
BOARD_MIN_AGE = 3.0
# Each process also keeps the snapshot and an anonymous stage's visibility this long, so that
# a hall's polls cost no cache round trip; a change made in another process shows this much later.
BOARD_LOCAL_SECONDS = 1.0


def my_numbers(stage: Stage, user: Any) -> set[str]:
    """The secret numbers of the signed-in worker's own entries on the stage, once names are
    revealed (the phone board highlights their row)."""
    if not _signed_in(user) or stage.revealed_at is None:
        return set()
    return set(
        SealedMapping.objects.filter(
            secret_number__stage=stage,
            registration__worker__user=user,
            registration__status=Registration.Status.APPROVED,
        ).values_list("secret_number__number", flat=True)
    )


def board_snapshot_name(stage_id: int) -> str:
    return f"contest-board:{stage_id}"


def public_board_key(stage_id: int) -> str:
    """Cache key of a stage whose board anonymous viewers may open (see board_stage_for)."""
    return f"contest-board-public:{stage_id}"


def board_stage_for(user: Any, stage_id: int, check) -> Stage:
    """The stage of a board page, checked by `check(stage_id)` (404/403 as every page). For
    anonymous viewers, whose answer is the same for all, a stage found visible is remembered
    for BOARD_INTERVAL in the cache and BOARD_LOCAL_SECONDS in each process (forgotten at once
    in the cache and in the changing process when the stage or its contest changes)."""
    from django.core.cache import cache

    from deltaunion.core import snapshots

    if _signed_in(user):
        return check(stage_id)
    key = public_board_key(stage_id)
    stage = snapshots.local_get(key)
    if stage is not None:
        return stage
    stage = cache.get(key)
    if stage is None:
        stage = check(stage_id)
        cache.set(key, stage, BOARD_INTERVAL)
    snapshots.local_set(key, stage, min(BOARD_LOCAL_SECONDS, BOARD_INTERVAL))
    return stage


def stage_board_snapshot(stage: Stage, compute) -> tuple[str, dict[str, Any]]:
    """(etag, board) of the stage, from the shared snapshot (see core.snapshots)."""
    from deltaunion.core import snapshots

    return snapshots.snapshot(
        board_snapshot_name(stage.pk),
        lambda: compute(stage),
        interval=BOARD_INTERVAL,
        min_age=BOARD_MIN_AGE,
        local=BOARD_LOCAL_SECONDS,
    )


def _board_changed(sender, instance, **kwargs) -> None:
    from django.core.cache import cache

    from deltaunion.core import snapshots

    if sender is Contest:
        stage_ids = list(Stage.objects.filter(contest_id=instance.pk).values_list("pk", flat=True))
    elif sender is Stage:
        stage_ids = [instance.pk]
    elif sender is Mark:
        stage_ids = list(SecretNumber.objects.filter(pk=instance.secret_number_id).values_list("stage_id", flat=True))
    else:
        stage_ids = [instance.stage_id]
    at_once = sender is not Mark

    def forget() -> None:
        for stage_id in stage_ids:
            snapshots.changed(board_snapshot_name(stage_id), at_once=at_once)
            if sender in (Contest, Stage):
                snapshots.local_drop(public_board_key(stage_id))
                cache.delete(public_board_key(stage_id))

    # now, and again after the commit (a reader may have recomputed from the old rows meanwhile)
    forget()
    transaction.on_commit(forget)


def _connect_board_invalidation() -> None:
    from django.db.models.signals import post_delete, post_save

    for model in (Contest, Mark, Module, Stage, ResultSet, SecretNumber, Registration):
        for signal in (post_save, post_delete):
            signal.connect(_board_changed, sender=model, dispatch_uid=f"contests.board_changed.{model.__name__}")


_connect_board_invalidation()


# --- re-checks, appeals, results, objections --------------------------------------------------


def open_recheck(stage: Stage) -> Recheck | None:
    """The stage's latest re-check."""
    return Recheck.objects.filter(stage=stage).order_by("-id").first()


def recheck_items(recheck: Recheck) -> list[dict[str, Any]]:
    return list(
        recheck.items.order_by("secret_number__number").values(
            "id", "secret_number__number", "reason", "checked_at", "error_found", "note"
        )
    )


def appeal_deadline(stage: Stage) -> dt.datetime | None:
    if stage.ends_at is None:
        return None
    return stage.ends_at + dt.timedelta(minutes=stage.contest.appeal_window_minutes)


def has_final_results(stage: Stage) -> bool:
    return ResultSet.objects.filter(stage=stage, status=ResultSet.Status.FINAL).exists()


def appeal_open(stage: Stage, now: dt.datetime | None = None) -> bool:
    """Appeals are taken until the deadline, and never once the results are final."""
    deadline = appeal_deadline(stage)
    if deadline is None or (now or timezone.now()) > deadline:
        return False
    return not has_final_results(stage)


def stage_appeals(stage: Stage, user: Any) -> QuerySet[Appeal]:
    """Every appeal of the stage for the arbitration group and the organisers; the user's
    subtree's (or their own) for anyone else."""
    qs = Appeal.objects.filter(stage=stage).select_related("registration__worker", "registration__organisation")
    if not can(user, "contests.review_appeals", stage):
        qs = scoped(qs, user)
    return qs.order_by("filed_at")


def appeal_registrations(stage: Stage, user: Any) -> QuerySet[Registration]:
    """The entries of `stage` the user leads (only a team leader may appeal)."""
    if not _signed_in(user):
        return Registration.objects.none()
    return (
        Registration.objects.filter(stage=stage, leader=user, status=Registration.Status.APPROVED)
        .select_related("worker", "organisation")
        .order_by("organisation__path", "id")
    )


def entries_led_by_others(stage: Stage, user: Any) -> int:
    """Entries of the user's organisations whose team leader is someone else (they appeal, not the user)."""
    approved = Registration.objects.filter(stage=stage, status=Registration.Status.APPROVED)
    return managed(approved, user).exclude(leader=user).count() if _signed_in(user) else 0


def appeals_filed_by(stage: Stage, user: Any) -> QuerySet[Appeal]:
    return (
        Appeal.objects.filter(stage=stage, filed_by=user).select_related("registration__worker").order_by("-filed_at")
    )


def live_result_set(stage: Stage) -> ResultSet | None:
    return (
        ResultSet.objects.filter(stage=stage, status__in=[ResultSet.Status.NOTICE, ResultSet.Status.FINAL])
        .order_by("-id")
        .first()
    )


def live_result_sets(stages: Sequence[Stage]) -> dict[int, ResultSet]:
    """`live_result_set` of each stage in one query (stage id → its newest notice or final set;
    its published content is read only if asked for)."""
    out: dict[int, ResultSet] = {}
    qs = ResultSet.objects.filter(
        stage__in=[s.pk for s in stages], status__in=[ResultSet.Status.NOTICE, ResultSet.Status.FINAL]
    )
    for rs in qs.defer("content").order_by("-id"):
        out.setdefault(rs.stage_id, rs)
    return out


def final_result_set(stage: Stage) -> ResultSet | None:
    return ResultSet.objects.filter(stage=stage, status=ResultSet.Status.FINAL).order_by("-id").first()


def public_result_rows(result_set: ResultSet) -> QuerySet[ResultRow]:
    return result_set.rows.order_by("rank", "number")


def result_set_objections(result_set: ResultSet) -> QuerySet[Objection]:
    return result_set.objections.order_by("-id")


@dataclass
class ChainReport:
    ok: bool
    checked: int
    problems: list[str] = field(default_factory=list)


HASH_VERSION = 2
# What each stored row publishes, in the canonical record the hash is taken over.
ROW_KEYS = (
    "registration",
    "number",
    "name",
    "organisation",
    "rank",
    "total",
    "theory",
    "theory_percent",
    "practical",
    "practical_percent",
    "modules",
    "standardised",
)


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def row_record(row: ResultRow) -> dict[str, Any]:
    """Every published field of a stored row, canonical (figures as 2-place text)."""
    return {
        "registration": row.registration_id,
        "number": row.number,
        "name": row.name,
        "organisation": row.organisation_name,
        "rank": row.rank,
        "total": _d2(row.total),
        "theory": _d2(row.theory),
        "theory_percent": _d2(row.theory_percent),
        "practical": _d2(row.practical),
        "practical_percent": _d2(row.practical_percent),
        "modules": [_d2(m) for m in (row.modules or [])],
        "standardised": _d2(row.standardised),
    }


def _sorted_records(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=lambda r: (r["rank"], r["number"], r["registration"]))


def result_set_payload(result_set: ResultSet, rows: Sequence[ResultRow] | None = None) -> dict[str, Any]:
    """What `content_hash` is taken over: the set's own fields, every published field of every
    stored row, and the content (with the rule it was computed by)."""
    rows = list(result_set.rows.all()) if rows is None else rows
    return {
        "hash_version": HASH_VERSION,
        "result_set": {
            "contest": result_set.contest_id,
            "stage": result_set.stage_id,
            "published_at": _iso(result_set.published_at),
            "notice_until": _iso(result_set.notice_until),
            "finalised_at": _iso(result_set.finalised_at),
            "rules_version": result_set.rules_version,
            "chain_index": result_set.chain_index,
            "previous_hash": result_set.previous_hash,
        },
        "rows": _sorted_records([row_record(r) for r in rows]),
        "content": result_set.content,
    }


def result_set_hash(result_set: ResultSet, rows: Sequence[ResultRow] | None = None) -> str:
    return sha256_hex(result_set_payload(result_set, rows))


def _label(result_set: ResultSet) -> str:
    return f"#{result_set.chain_index}" if result_set.chain_index else result_set.stage.name


def _content_records(result_set: ResultSet) -> list[dict[str, Any]]:
    """The rows of the hashed content as the stored rows keep them."""
    out = []
    for r in result_set.content.get("rows", []):
        record = {k: r.get(k) for k in ROW_KEYS}
        record["name"] = (r.get("name") or "")[:100]
        record["organisation"] = (r.get("organisation") or "")[:120]
        for k in ("total", "theory", "theory_percent", "practical", "practical_percent", "standardised"):
            record[k] = _d2(r.get(k))
        record["modules"] = [_d2(m) for m in r.get("modules") or []]
        out.append(record)
    return _sorted_records(out)


def _recomputed_differences(result_set: ResultSet, rows: list[ResultRow]) -> list[str]:
    """Secret numbers whose stored figures differ from those recomputed from the confirmed
    marks (and the sealed mapping), or that are missing on either side."""
    stage = result_set.stage
    scheme = stage_scheme(stage)
    components = stage_components(stage, scheme)
    ranked = rank_components(components, scheme)
    holders = dict(
        SealedMapping.objects.filter(secret_number__stage=stage).values_list("secret_number__number", "registration_id")
    )
    differ = sorted(set(components) ^ {r.number for r in rows})
    for row in rows:
        c, r = components.get(row.number), ranked.get(row.number)
        if c is None or r is None:
            continue
        expected = {
            "registration": holders.get(row.number),
            "rank": r.rank,
            "total": _d2(c.total),
            "theory": _d2(c.theory),
            "practical": _d2(c.practical),
            "modules": [_d2(m) for m in c.modules],
            "standardised": _d2(r.standardised),
        }
        if row.theory_percent is not None or row.practical_percent is not None:
            expected |= {"theory_percent": _d2(c.theory_percent), "practical_percent": _d2(c.practical_percent)}
        if not row.modules:  # rows published before module scores were kept
            expected.pop("modules")
        stored = row_record(row)
        if any(stored[k] != v for k, v in expected.items()):
            differ.append(row.number)
    return sorted(set(differ))


def result_set_verify(result_set: ResultSet) -> list[str]:
    """What is wrong with one published result set (empty: it verifies): its hash against
    every stored field, its stored rows against its hashed content, and its scores against
    those recomputed from the confirmed marks."""
    label = _label(result_set)
    rows = list(result_set.rows.all())
    problems: list[str] = []
    if not result_set.content_hash and "rules" in result_set.content:  # every set since the rule is kept has one
        problems.append(_("Result set %(label)s has been altered: its hash does not match") % {"label": label})
    elif result_set.content_hash:
        if "rules" in result_set.content:
            actual = result_set_hash(result_set, rows)
        else:  # sets sealed before the hash covered the stored rows: their content only
            actual = sha256_hex(result_set.content)
        if actual != result_set.content_hash:
            problems.append(_("Result set %(label)s has been altered: its hash does not match") % {"label": label})
    stored = _sorted_records([row_record(r) for r in rows])
    content = _content_records(result_set)
    if "rules" not in result_set.content:  # rows published before the components were kept
        keep = (
            "registration",
            "number",
            "name",
            "organisation",
            "rank",
            "total",
            "theory",
            "practical",
            "standardised",
        )
        stored = [{k: r[k] for k in keep} for r in stored]
        content = [{k: r[k] for k in keep} for r in content]
    if stored != content:
        problems.append(_("The rows of result set %(label)s differ from its hashed content") % {"label": label})
    differ = _recomputed_differences(result_set, rows)
    if differ:
        problems.append(
            _(
                "The scores of result set %(label)s differ from the scores recomputed from the confirmed marks: %(numbers)s"
            )
            % {"label": label, "numbers": "、".join(differ[:10]) + ("…" if len(differ) > 10 else "")}
        )
    return problems


def result_chain_verify(contest: Contest) -> ChainReport:
    """Every final result set of the contest in chain order: its place and link in the chain,
    and `result_set_verify` (hash over every stored field, rows against content, scores against
    the confirmed marks)."""
    problems: list[str] = []
    previous_hash = ""
    sets = list(
        ResultSet.objects.filter(contest=contest, status=ResultSet.Status.FINAL)
        .select_related("stage__contest")
        .order_by("chain_index")
    )
    for expected_index, rs in enumerate(sets, start=1):
        label = _label(rs)
        if rs.chain_index != expected_index:
            problems.append(_("Result set %(label)s is out of sequence") % {"label": label})
        if rs.content.get("previous_hash") != previous_hash or rs.previous_hash != previous_hash:
            problems.append(_("Result set %(label)s does not link to the previous one") % {"label": label})
        problems.extend(result_set_verify(rs))
        previous_hash = rs.content_hash
    return ChainReport(ok=not problems, checked=len(sets), problems=problems)


RESULTS_CHECK_SECONDS = 600


def published_results_check(result_set: ResultSet) -> list[str]:
    """What the public results page checks: the whole chain for final results, the set itself
    while it is on notice. The answer is cached under the hashes recomputed from what is stored
    now (a changed row or set is a new key, checked at once); the recomputation from the marks
    behind it runs again at the latest after RESULTS_CHECK_SECONDS."""
    from django.core.cache import cache

    if result_set.status == ResultSet.Status.FINAL:
        sets = list(
            ResultSet.objects.filter(contest_id=result_set.contest_id, status=ResultSet.Status.FINAL)
            .select_related("stage__contest")
            .order_by("chain_index")
        )
    else:
        sets = [result_set]
    key = "contests:results-check:" + sha256_hex(
        [get_language(), *([rs.pk, rs.status, rs.chain_index, rs.content_hash, result_set_hash(rs)] for rs in sets)]
    )
    problems = cache.get(key)
    if problems is None:
        if result_set.status == ResultSet.Status.FINAL:
            problems = result_chain_verify(result_set.contest).problems
        else:
            problems = result_set_verify(result_set)
        cache.set(key, problems, RESULTS_CHECK_SECONDS)
    return problems


def contest_managers(contest: Contest) -> list[Any]:
    """The people who manage the contest and are told about its results: its organisers and
    the officers of its lead union (as `contests.manage_contest` decides)."""
    from django.contrib.auth import get_user_model

    from deltaunion.orgs.models import MANAGING_ROLES

    User = get_user_model()
    candidates = User.objects.filter(is_active=True).filter(
        Q(contest_roles__contest=contest, contest_roles__role=ContestRole.Kind.ORGANISER)
        | Q(org_roles__organisation=contest.lead_org, org_roles__role__in=MANAGING_ROLES)
    )
    return [u for u in candidates.distinct().order_by("pk") if can(u, "contests.manage_contest", contest)]


def final_result_sets(contest: Contest) -> QuerySet[ResultSet]:
    return (
        ResultSet.objects.filter(contest=contest, status=ResultSet.Status.FINAL)
        .select_related("stage")
        .order_by("chain_index")
    )


# --- certificates ------------------------------------------------------------------------------


def certificate_verify_url(code: str) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("contests:certificate_verify", args=[code])
    except NoReverseMatch:
        return CERTIFICATE_VERIFY_PATH.format(code=code)


def certificate_verify(code: str) -> dict[str, Any] | None:
    """What the public verification page shows for a code, or None if unknown."""
    cert = (
        Certificate.objects.filter(code=(code or "").strip().upper())
        .select_related("award__worker", "award__contest", "award__result_set__stage")
        .first()
    )
    if cert is None:
        return None
    award = cert.award
    return {
        "code": cert.code,
        "valid": not cert.revoked and award.result_set.status == ResultSet.Status.FINAL,
        "kind": cert.kind,
        "text": cert.text,
        "name": award.worker.name,
        "contest": award.contest.title,
        "contest_id": award.contest_id,
        "stage": award.result_set.stage.name,
        "rank": award.rank,
        "issued_at": cert.issued_at,
        "result_hash": award.result_set.content_hash,
    }


# --- setting a contest up -----------------------------------------------------------------------

ORG_CHOICE_LIMIT = 1000


def limited(qs: QuerySet, limit: int = ORG_CHOICE_LIMIT) -> QuerySet:
    """The first `limit` rows of `qs` as a queryset that can still be filtered (for form choices)."""
    return qs.model.objects.filter(pk__in=list(qs.values_list("pk", flat=True)[:limit])).order_by(*qs.query.order_by)


def lead_organisations(user: Any, contest: Contest | None = None) -> QuerySet[Organisation]:
    """Possible lead organisers: those the user manages (and a contest's current lead)."""
    qs = limited(managed_organisations(user))
    if contest is not None:
        qs = (qs | Organisation.objects.filter(pk=contest.lead_org_id)).order_by("path")
    return qs


def partner_organisations(*, within: Organisation | None = None, contest: Contest | None = None) -> QuerySet:
    """Organisations that may co-organise a contest or send competitors to it: every
    federation and industry union, the grassroots unions under `within` (and a contest's
    current co-organisers)."""
    q = ~Q(kind=Organisation.Kind.GRASSROOTS)
    if within is not None:
        q |= Q(path__startswith=within.path)
    qs = limited(Organisation.objects.filter(q).order_by("path"))
    if contest is not None:
        qs = (qs | contest.co_organisers.all()).distinct().order_by("path")
    return qs


def contest_key_tasks() -> QuerySet:
    from deltaunion.workplans.models import KeyTask

    return KeyTask.objects.filter(kind=KeyTask.Kind.CONTEST).select_related("plan").order_by("-plan__year", "number")


def contest_role_list(contest: Contest) -> QuerySet[ContestRole]:
    return (
        ContestRole.objects.filter(contest=contest)
        .select_related("user", "employer", "city")
        .order_by("role", "user__username")
    )


def judging_roles(contest: Contest) -> QuerySet[ContestRole]:
    return contest_role_list(contest).filter(role__in=ContestRole.JUDGING)


def user_search(q: str, *, limit: int = 20) -> list[Any]:
    """Users whose login or name contains `q` (at least 2 characters): login and name only."""
    from django.contrib.auth import get_user_model

    q = (q or "").strip()
    if len(q) < 2:
        return []
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(username__icontains=q) | Q(full_name__icontains=q))
        .order_by("username")
        .only("pk", "username", "full_name")[:limit]
    )


# --- the worker's own side: sign-up and "my contests" (the `me` app draws these) ---------------------------


def worker_of(user: Any) -> Worker | None:
    """The worker record of a signed-in user (None for officers without one)."""
    if not _signed_in(user):
        return None
    return Worker.objects.select_related("organisation", "employer").filter(user=user).first()


def signup_organisation(stage: Stage, worker: Worker) -> Organisation:
    """Where a worker's own sign-up goes: the nearest union above them holding a quota on the
    stage (that union's officers approve it), or their own union when the stage has no quotas."""
    path = worker.organisation.path
    quotas = [
        q
        for q in Quota.objects.filter(stage=stage).select_related("organisation")
        if path.startswith(q.organisation.path)
    ]
    if quotas:
        return max(quotas, key=lambda q: len(q.organisation.path)).organisation
    return worker.organisation


def eligibility_rules(stage: Stage) -> list[str]:
    """The stage's entry rules, spelled out for the worker before they sign up."""
    contest = stage.contest
    rules: list[str] = []
    if contest.members_only:
        rules.append(_("Union members only"))
    if contest.min_age is not None and contest.max_age is not None:
        rules.append(_("Aged %(min)d to %(max)d") % {"min": contest.min_age, "max": contest.max_age})
    elif contest.min_age is not None:
        rules.append(_("Aged %(min)d or over") % {"min": contest.min_age})
    elif contest.max_age is not None:
        rules.append(_("Aged %(max)d or under") % {"max": contest.max_age})
    if contest.level_highest is not None or contest.level_lowest is not None:
        rules.append(
            _("A recorded skill level between %(high)d and %(low)d (1 is the highest)")
            % {"high": contest.level_highest or 1, "low": contest.level_lowest or 5}
        )
    if contest_region_prefixes(contest):
        rules.append(_("Your employer is inside the contest's region"))
    if Quota.objects.filter(stage=stage).exists():
        rules.append(_("Places are shared out among the sending unions; your union approves your sign-up"))
    else:
        rules.append(_("Your union approves your sign-up"))
    if contest.entry_kind == Contest.EntryKind.TEAM:
        rules.append(_("Team entries are made by your union's officers"))
    return rules


@dataclass
class SignUp:
    """What a worker sees about signing up for one stage."""

    worker: Worker | None
    rules: list[str]
    problems: list[str]
    organisation: Organisation | None = None
    entry: Registration | None = None

    @property
    def allowed(self) -> bool:
        return self.worker is not None and self.entry is None and not self.problems


def signup_state(stage: Stage, user: Any) -> SignUp:
    """May this user sign up for the stage themself, and if not, why not (every reason at once).
    The rules are those the entry service enforces (`eligibility_problems`, the quota)."""
    worker = worker_of(user)
    rules = eligibility_rules(stage)
    if worker is None:
        return SignUp(None, rules, [_("Only workers with a record at a union can sign up")])
    entry = (
        Registration.objects.filter(stage=stage, worker=worker, status__in=Registration.HOLDING)
        .select_related("organisation")
        .first()
    )
    problems: list[str] = []
    if stage.status != Stage.Status.REGISTRATION:
        problems.append(_("Sign-up for this stage is closed"))
    if stage.contest.entry_kind == Contest.EntryKind.TEAM:
        problems.append(_("This contest takes team entries, made by your union's officers"))
    problems.extend(eligibility_problems(stage=stage, worker=worker))
    organisation = signup_organisation(stage, worker)
    if Quota.objects.filter(stage=stage).exists():
        quota = Quota.objects.filter(stage=stage, organisation=organisation).first()
        if quota is None:
            problems.append(_("%(org)s has no places on this stage") % {"org": organisation})
        elif quota.used >= quota.places and entry is None:
            problems.append(
                _("The quota of %(org)s is full: %(used)d of %(places)d places taken")
                % {"org": organisation, "used": quota.used, "places": quota.places}
            )
    return SignUp(worker, rules, problems, organisation, entry)


def my_registrations(user: Any) -> QuerySet[Registration]:
    """Every entry of the signed-in worker (as competitor or team member), newest stage first."""
    if not _signed_in(user):
        return Registration.objects.none()
    return (
        Registration.objects.filter(Q(worker__user=user) | Q(members__worker__user=user))
        .distinct()
        .select_related("stage__contest", "stage__venue", "organisation")
        .order_by("-stage__starts_at", "-id")
    )


@dataclass
class MyEntry:
    """One of a worker's entries as they see it: its step, what to do next, and — only once the
    results are published — their rank and scores, prizes and certificates."""

    registration: Registration
    step: str
    next_step: str
    result: ResultRow | None = None
    result_set: ResultSet | None = None
    awards: list[Any] = field(default_factory=list)
    may_withdraw: bool = False


def _entry_step(reg: Registration, result_set: ResultSet | None, awards: list[Any]) -> tuple[str, str]:
    S = Registration.Status
    stage = reg.stage
    if reg.status == S.PENDING:
        return _("Submitted"), _("Waiting for %(org)s to approve") % {"org": reg.organisation}
    if reg.status == S.REJECTED:
        return _("Refused"), reg.reject_reason or _("Ask your union for the reason")
    if reg.status == S.WITHDRAWN:
        return _("Withdrawn"), ""
    if awards:
        return _("Awarded"), _("Download your certificate below")
    if result_set is not None:
        if result_set.status == ResultSet.Status.FINAL:
            return _("Results final"), ""
        return _("Results published"), _("Results are on public notice until %(day)s") % {
            "day": timezone.localtime(result_set.notice_until).strftime("%Y-%m-%d %H:%M")
        }
    if stage.status in (Stage.Status.MARKING, Stage.Status.REVEALED):
        return _("Competing"), _("The results are published after marking")
    if reg.checked_in_at is not None:
        return _("Checked in"), _("Compete at the time and place shown")
    if stage.status == Stage.Status.CHECKIN:
        return _("Approved by my union"), _("Check in at the venue with your ID card")
    return _("Approved by my union"), _("Come to check-in at the time and place shown, with your ID card")


def my_entries(user: Any) -> list[MyEntry]:
    out: list[MyEntry] = []
    for reg in my_registrations(user)[:200]:
        result_set = live_result_set(reg.stage) if reg.status == Registration.Status.APPROVED else None
        row = result_set.rows.filter(registration=reg).first() if result_set else None
        awards = []
        if result_set is not None and result_set.status == ResultSet.Status.FINAL:
            awards = list(Award.objects.filter(registration=reg, worker__user=user).prefetch_related("certificates"))
        step, next_step = _entry_step(reg, result_set if row else None, awards)
        may_withdraw = (
            reg.status in Registration.HOLDING
            and reg.checked_in_at is None
            and reg.stage.status in (Stage.Status.REGISTRATION, Stage.Status.CHECKIN)
            and can(user, "contests.withdraw_registration", reg)
        )
        out.append(MyEntry(reg, step, next_step, row, result_set if row else None, awards, may_withdraw))
    return out


def mine_count(user: Any) -> int:
    """For 我的: entries waiting for approval or on a stage that has not finished."""
    if not _signed_in(user):
        return 0
    live = [Stage.Status.REGISTRATION, Stage.Status.CHECKIN, Stage.Status.MARKING, Stage.Status.REVEALED]
    return my_registrations(user).filter(status__in=Registration.HOLDING, stage__status__in=live).order_by().count()


def pending_signups_count(stage: Stage, user: Any) -> int:
    return registration_counts(stage, user).get(Registration.Status.PENDING, 0)


def worker_to_enter(user: Any, id_number: str) -> Worker | None:
    """The worker an officer enters by ID number: one of the unions they may see, or None."""
    from deltaunion.core.idnumber import normalise

    number = normalise(id_number or "")
    if not number:
        return None
    return scoped(Worker.objects.select_related("organisation", "employer"), user).filter(id_number=number).first()

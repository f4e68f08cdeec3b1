"""Reads used only by the contest web pages (views.py), on top of `selectors.py`.

Who may open which page is decided here, in one place:

- `stage_for_user_or_404` — a stage the user may see (public, of their subtree, or one
  they hold a contest role on); the same 404 for missing and not-theirs.
- `stage_access` — what the user may do on a stage (manage it, send competitors, judge,
  chair, arbitrate, decrypt). Pages refuse with 404 when the user has none of what they need.

Judges' reads stay in `selectors.judge_*` (secret numbers only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from deltaunion.contests.models import (
    Appeal,
    Aspect,
    Contest,
    ContestRole,
    JudgeAssignment,
    Mark,
    Module,
    Objection,
    Quota,
    Recheck,
    Registration,
    ResultRow,
    ResultSet,
    SealedMapping,
    SecretNumber,
    Stage,
)
from deltaunion.contests.selectors import contest_list, stage_ranking, stage_results
from deltaunion.orgs.scoping import get_for_user_or_404, scope_for, scoped


def contest_page_list(*, user: Any, plan_tier: str = "", **filters: Any) -> QuerySet[Contest]:
    """`selectors.contest_list` plus the work-plan tier filter (led / co-organised / guided)."""
    qs = contest_list(user=user, **filters).select_related("key_task")
    if plan_tier:
        qs = qs.filter(plan_tier=plan_tier)
    return qs


def contest_years() -> list[int]:
    years = set(Contest.objects.exclude(key_task__isnull=True).values_list("key_task__plan__year", flat=True))
    years |= {d.year for d in Contest.objects.exclude(starts_on__isnull=True).dates("starts_on", "year")}
    return sorted((y for y in years if y), reverse=True)


def contest_for_user_or_404(user: Any, contest_id: int) -> Contest:
    qs = Contest.objects.select_related("lead_org", "key_task__plan")
    try:
        return get_for_user_or_404(qs, user, pk=contest_id)
    except Http404:
        # A draft contest is also open to the people holding a role on it.
        if getattr(user, "is_authenticated", False):
            contest = qs.filter(pk=contest_id, roles__user=user).distinct().first()
            if contest is not None:
                return contest
        raise


def stage_for_user_or_404(user: Any, stage_id: int) -> Stage:
    qs = Stage.objects.select_related("contest__lead_org", "venue")
    try:
        return get_for_user_or_404(qs, user, pk=stage_id)
    except Http404:
        if getattr(user, "is_authenticated", False):
            stage = qs.filter(pk=stage_id, contest__roles__user=user).distinct().first()
            if stage is not None:
                return stage
        raise


@dataclass(frozen=True)
class StageAccess:
    manager: bool = False  # officers of the lead organisation's subtree, or organisers
    sender: bool = False  # officers of a sending union with a quota or entries on the stage
    chief: bool = False
    judge: bool = False
    arbiter: bool = False
    decryptor: bool = False

    @property
    def officer(self) -> bool:
        return self.manager or self.sender

    @property
    def any(self) -> bool:
        return self.officer or self.chief or self.judge or self.arbiter or self.decryptor

    @property
    def sees_marks(self) -> bool:
        """Score sheets by secret number: organisers and the chief judge."""
        return self.manager or self.chief


def stage_access(stage: Stage, user: Any) -> StageAccess:
    if not getattr(user, "is_authenticated", False):
        return StageAccess()
    scope = scope_for(user)
    roles = set(ContestRole.objects.filter(contest_id=stage.contest_id, user=user).values_list("role", flat=True))
    manager = scope.manages(stage.contest.lead_org) or ContestRole.Kind.ORGANISER in roles
    sender = False
    if not manager and scope.is_manager:
        sender = (
            Quota.objects.filter(stage=stage).filter(scope.org_q("organisation")).exists()
            or Registration.objects.filter(stage=stage).filter(scope.org_q("organisation")).exists()
        )
    return StageAccess(
        manager=manager,
        sender=sender,
        chief=ContestRole.Kind.CHIEF_JUDGE in roles,
        judge=ContestRole.Kind.JUDGE in roles,
        arbiter=ContestRole.Kind.ARBITER in roles,
        decryptor=ContestRole.Kind.DECRYPTOR in roles,
    )


def sending_organisations(stage: Stage, user: Any) -> list[Any]:
    """Organisations the user may enter competitors for on this stage: those with a quota in
    their subtree (any organisation they manage if the stage has no quotas)."""
    from deltaunion.orgs.models import Organisation

    scope = scope_for(user)
    if not scope.is_manager:
        return []
    quotas = Quota.objects.filter(stage=stage).filter(scope.org_q("organisation")).select_related("organisation")
    if Quota.objects.filter(stage=stage).exists():
        return [q.organisation for q in quotas.order_by("organisation__path")]
    return list(scoped(Organisation.objects.all(), user).filter(scope.org_q("")).order_by("path")[:2000])


def draw_state(stage: Stage) -> dict[str, Any]:
    """What may be shown of the draw: whether each round is made and the seal digest —
    never the mapping."""
    rounds = set(stage.draws.values_list("round", flat=True))
    return {
        "round1": 1 in rounds,
        "round2": 2 in rounds,
        "sealed": stage.sealed_at is not None,
        "sealed_at": stage.sealed_at,
        "digest": stage.sealed_digest,
        "numbers": SecretNumber.objects.filter(stage=stage).count(),
        "checked_in": Registration.objects.filter(
            stage=stage, status=Registration.Status.APPROVED, checked_in_at__isnull=False
        ).count(),
        "approved": Registration.objects.filter(stage=stage, status=Registration.Status.APPROVED).count(),
        "revealed": stage.revealed_at is not None,
    }


def registration_counts(stage: Stage, user: Any) -> dict[str, int]:
    qs = scoped(Registration.objects.filter(stage=stage), user)
    return dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


# --- marking scheme, sign-off and flags (numbers only) ----------------------------------------


def marking_scheme(stage: Stage) -> list[dict[str, Any]]:
    """Modules with their aspects, judge assignments and mark counts."""
    numbers = SecretNumber.objects.filter(stage=stage).count()
    judges_min = stage.contest.judges_min
    counts = {
        r["aspect__module_id"]: r
        for r in Mark.objects.filter(aspect__module__stage=stage)
        .values("aspect__module_id")
        .annotate(
            entered=Count("id"),
            confirmed=Count("id", filter=Q(status=Mark.Status.CONFIRMED)),
            flagged=Count("id", filter=Q(flagged=True, flag_resolved=False)),
        )
    }
    out = []
    modules = (
        Module.objects.filter(stage=stage)
        .prefetch_related("aspects", "assignments__judge__user", "assignments__aspects")
        .order_by("order")
    )
    for module in modules:
        aspects = list(module.aspects.all())
        expected = numbers * sum(judges_min if a.kind == Aspect.Kind.JUDGEMENT else 1 for a in aspects)
        c = counts.get(module.pk, {})
        out.append(
            {
                "module": module,
                "aspects": aspects,
                "assignments": list(module.assignments.all()),
                "expected": expected,
                "entered": c.get("entered", 0),
                "confirmed": c.get("confirmed", 0),
                "flagged": c.get("flagged", 0),
            }
        )
    return out


def flagged_marks(*, stage: Stage, module: Module | None = None) -> list[dict[str, Any]]:
    """Open discussion flags, grouped by (secret number, aspect), with each judge's score."""
    qs = Mark.objects.filter(aspect__module__stage=stage, flagged=True, flag_resolved=False)
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
    ]
    rows: list[list[Any]] = []
    status_labels = dict(Mark.Status.choices)
    kind_labels = dict(Aspect.Kind.choices)
    for m in (
        Mark.objects.filter(aspect__module=module)
        .select_related("aspect", "secret_number")
        .order_by("secret_number__number", "aspect__order", "aspect_id", "id")
    ):
        rows.append(
            [
                m.secret_number.number,
                f"{m.aspect.code} {m.aspect.description}",
                str(kind_labels.get(m.kind, m.kind)),
                m.aspect.max_mark,
                m.value,
                m.mark,
                str(status_labels.get(m.status, m.status)),
                _("Yes") if m.flagged and not m.flag_resolved else "",
                _("Yes") if m.remarked else "",
            ]
        )
    return headers, rows


def checkin_sheet(stage: Stage, user: Any, access: StageAccess) -> tuple[list[str], list[list[Any]]]:
    """Before the draw: the approved entries to check in (name, sending union, checked in).
    After the draw and before the reveal: secret numbers only. After the reveal: both."""
    if stage.sealed_at is None:
        headers = [_("Sending union"), _("Competitor"), _("Team name"), _("Checked in at"), _("Signature")]
        rows = [
            [str(r.organisation), r.worker.name, r.team_name, r.checked_in_at, ""]
            for r in stage_registrations(stage=stage, user=user, access=access, status=Registration.Status.APPROVED)
        ]
        return headers, rows
    numbers = list(SecretNumber.objects.filter(stage=stage).order_by("number").values_list("number", "theory_score"))
    if stage.revealed_at is None:
        return [_("Secret number"), _("Theory score"), _("Signature")], [[n, t, ""] for n, t in numbers]
    names = {
        m.secret_number.number: m.registration
        for m in SealedMapping.objects.filter(secret_number__stage=stage).select_related(
            "secret_number", "registration__worker", "registration__organisation"
        )
    }
    return (
        [_("Secret number"), _("Competitor"), _("Sending union"), _("Theory score")],
        [
            [n, names[n].team_name or names[n].worker.name, str(names[n].organisation), t]
            for n, t in numbers
            if n in names
        ],
    )


def results_sheet(stage: Stage) -> tuple[list[str], list[list[Any]]]:
    """Ranking with names after the reveal; secret numbers only before it."""
    modules = list(Module.objects.filter(stage=stage).order_by("order").values_list("name", flat=True))
    if stage.revealed_at is not None:
        headers = [
            _("Rank"),
            _("Secret number"),
            _("Competitor"),
            _("Sending union"),
            _("Total"),
            _("Theory"),
            _("Practical"),
            *modules,
            _("Standardised score"),
        ]
        rows = [
            [
                r["rank"],
                r["number"],
                r["name"],
                r["organisation"],
                r["total"],
                r["theory"],
                r["practical"],
                *r["modules"],
                r["standardised"],
            ]
            for r in stage_results(stage)
        ]
        return headers, rows
    headers = [_("Rank"), _("Secret number"), _("Total"), _("Theory"), _("Practical"), *modules]
    rows = [
        [r.rank, r.score.key, r.score.total, r.score.theory, r.score.practical, *r.score.modules]
        for r in stage_ranking(stage)
    ]
    return headers, rows


# --- results, appeals, objections ------------------------------------------------------------


def live_result_set(stage: Stage) -> ResultSet | None:
    return (
        ResultSet.objects.filter(stage=stage, status__in=[ResultSet.Status.NOTICE, ResultSet.Status.FINAL])
        .order_by("-id")
        .first()
    )


def public_result_rows(result_set: ResultSet) -> QuerySet[ResultRow]:
    return result_set.rows.order_by("rank", "number")


def open_recheck(stage: Stage) -> Recheck | None:
    return Recheck.objects.filter(stage=stage).order_by("-id").first()


def recheck_items(recheck: Recheck) -> list[dict[str, Any]]:
    return list(
        recheck.items.order_by("secret_number__number").values(
            "id", "secret_number__number", "reason", "checked_at", "error_found", "note"
        )
    )


def stage_appeals(stage: Stage, user: Any, access: StageAccess) -> QuerySet[Appeal]:
    qs = Appeal.objects.filter(stage=stage).select_related("registration__worker", "registration__organisation")
    if access.manager or access.arbiter:
        return qs.order_by("filed_at")
    return scoped(qs, user).order_by("filed_at")


def result_set_objections(result_set: ResultSet) -> QuerySet[Objection]:
    return result_set.objections.order_by("-id")


def judge_for_module_or_404(user: Any, module_id: int) -> JudgeAssignment:
    """The user's assignment on a module (a judge reaches a module only through it)."""
    return get_for_user_or_404(
        JudgeAssignment.objects.select_related("module__stage__contest"),
        user,
        module_id=module_id,
        judge__user=user,
    )


def chief_module_or_404(user: Any, module_id: int) -> Module:
    module = Module.objects.select_related("stage__contest").filter(pk=module_id).first()
    if module is None:
        raise Http404("not found")
    stage_for_user_or_404(user, module.stage_id)
    return module


def stage_registrations(
    *, stage: Stage, user: Any, access: StageAccess, status: str = "", organisation_id: int | None = None
) -> QuerySet[Registration]:
    """The contest's managers see every entry of the stage (they check competitors in);
    sending unions see those of their subtree (`selectors.registration_list`)."""
    from deltaunion.contests.selectors import registration_list

    if not access.manager:
        return registration_list(stage=stage, user=user, status=status, organisation_id=organisation_id)
    qs = Registration.objects.filter(stage=stage).select_related("worker__employer", "organisation", "leader")
    if status:
        qs = qs.filter(status=status)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.prefetch_related("members__worker").order_by("organisation__path", "id")

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


# --- setting a contest up (views_setup.py) ----------------------------------------------------


def contest_manager(contest: Contest, user: Any) -> bool:
    """Officers of the lead organisation's subtree, or the contest's organisers."""
    if not getattr(user, "is_authenticated", False):
        return False
    if scope_for(user).manages(contest.lead_org):
        return True
    return ContestRole.objects.filter(contest=contest, user=user, role=ContestRole.Kind.ORGANISER).exists()


def contest_manage_or_404(user: Any, contest_id: int) -> Contest:
    """A contest the user may set up; the same 404 for missing, not-theirs and not-a-manager."""
    contest = contest_for_user_or_404(user, contest_id)
    if not contest_manager(contest, user):
        raise Http404("not found")
    return contest


def can_create_contest(user: Any) -> bool:
    return scope_for(user).is_manager


ORG_CHOICE_LIMIT = 1000


def limited(qs: QuerySet, limit: int = ORG_CHOICE_LIMIT) -> QuerySet:
    """The first `limit` rows of `qs` as a queryset that can still be filtered (for form choices)."""
    return qs.model.objects.filter(pk__in=list(qs.values_list("pk", flat=True)[:limit])).order_by(*qs.query.order_by)


def managed_organisations(user: Any) -> QuerySet:
    """Organisations the user manages (possible lead organisers), in tree order."""
    from deltaunion.orgs.models import Organisation

    scope = scope_for(user)
    if not scope.is_manager:
        return Organisation.objects.none()
    return Organisation.objects.filter(scope.org_q("")).order_by("path")


def partner_organisations(*, within: Any = None) -> QuerySet:
    """Organisations that may co-organise a contest or send competitors to it: every
    federation and industry union, and the grassroots unions under `within`."""
    from deltaunion.orgs.models import Organisation

    q = ~Q(kind=Organisation.Kind.GRASSROOTS)
    if within is not None:
        q |= Q(path__startswith=within.path)
    return Organisation.objects.filter(q).order_by("path")


def contest_key_tasks() -> QuerySet:
    from deltaunion.workplans.models import KeyTask

    return KeyTask.objects.filter(kind=KeyTask.Kind.CONTEST).select_related("plan").order_by("-plan__year", "number")


def contest_roles(contest: Contest) -> QuerySet[ContestRole]:
    return (
        ContestRole.objects.filter(contest=contest)
        .select_related("user", "employer", "city")
        .order_by("role", "user__username")
    )


def judging_roles(contest: Contest) -> QuerySet[ContestRole]:
    return contest_roles(contest).filter(role__in=[ContestRole.Kind.JUDGE, ContestRole.Kind.CHIEF_JUDGE])


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


def later_stages(stage: Stage) -> QuerySet[Stage]:
    return Stage.objects.filter(contest_id=stage.contest_id, order__gt=stage.order).order_by("order")


def qualify_targets(stage: Stage) -> QuerySet[Stage]:
    """Later stages that have not yet received qualifiers from `stage`."""
    return later_stages(stage).exclude(qualifications_in__from_stage=stage)


def final_result_set(stage: Stage) -> ResultSet | None:
    return ResultSet.objects.filter(stage=stage, status=ResultSet.Status.FINAL).order_by("-id").first()


def qualifications_out(stage: Stage) -> QuerySet:
    """Who went from `stage` to a later stage, by which rule and why (the auditable list)."""
    from deltaunion.contests.models import Qualification

    return (
        Qualification.objects.filter(from_stage=stage)
        .select_related("to_stage", "source_registration__worker", "source_registration__organisation", "created_by")
        .order_by("to_stage__order", "rank", "id")
    )


def theory_numbers(stage: Stage) -> list[dict[str, Any]]:
    """Secret numbers and their theory scores — numbers only, never a name."""
    return list(SecretNumber.objects.filter(stage=stage).order_by("number").values("number", "theory_score"))


def appeal_registrations(stage: Stage, user: Any) -> QuerySet[Registration]:
    """The entries of `stage` the user leads (only a team leader may appeal)."""
    if not getattr(user, "is_authenticated", False):
        return Registration.objects.none()
    return (
        Registration.objects.filter(stage=stage, leader=user, status=Registration.Status.APPROVED)
        .select_related("worker", "organisation")
        .order_by("organisation__path", "id")
    )


def can_appeal_page(stage: Stage, user: Any, access: StageAccess | None = None) -> bool:
    """The appeal page is for team leaders of the stage's entries and the sending unions' officers."""
    if appeal_registrations(stage, user).exists():
        return True
    access = access or stage_access(stage, user)
    return access.officer


def shows_appeal_link(stage: Stage, user: Any, access: StageAccess | None = None) -> bool:
    """Link to the appeal page once the stage has been competed (numbers drawn), for the team
    leaders of its entries and the sending unions' officers (not for the organisers)."""
    if stage.sealed_at is None:
        return False
    if appeal_registrations(stage, user).exists():
        return True
    return (access or stage_access(stage, user)).sender


def entries_led_by_others(stage: Stage, user: Any) -> int:
    """Entries of the user's organisations whose team leader is someone else (they appeal, not the user)."""
    scope = scope_for(user)
    if not scope.is_manager:
        return 0
    return (
        Registration.objects.filter(stage=stage, status=Registration.Status.APPROVED)
        .filter(scope.org_q("organisation"))
        .exclude(leader=user)
        .count()
    )


def appeals_filed_by(stage: Stage, user: Any) -> QuerySet[Appeal]:
    return (
        Appeal.objects.filter(stage=stage, filed_by=user).select_related("registration__worker").order_by("-filed_at")
    )

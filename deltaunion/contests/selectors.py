"""Reads of the contest engine for views, API, the live board, exports and other apps.

Judges' selectors (`judge_*`) return secret numbers only: they never touch Registration,
Worker or the sealed mapping except through `conflicted_number_ids`, which returns ids.
Selectors that name competitors (`stage_results`, `stage_board` ranking) refuse until the
stage is revealed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from deltaunion.contests import scoring
from deltaunion.contests.formats import strategy_for
from deltaunion.contests.models import (
    Appeal,
    Aspect,
    Certificate,
    Contest,
    JudgeAssignment,
    Mark,
    Module,
    Qualification,
    Quota,
    Registration,
    ResultSet,
    SealedMapping,
    SecretNumber,
    Stage,
)
from deltaunion.contests.services._common import sha256_hex
from deltaunion.contests.services.marking import assigned_aspect_ids, conflicted_number_ids, judge_assignment
from deltaunion.orgs.scoping import scoped

CERTIFICATE_VERIFY_PATH = "/contests/certificates/{code}/verify/"


# --- contests and stages ----------------------------------------------------------------


def contest_list(
    *,
    user: Any,
    year: int | None = None,
    started_in: int | None = None,
    format: str = "",
    status: str = "",
    level: str = "",
    lead_org_id: int | None = None,
    q: str = "",
) -> QuerySet[Contest]:
    """Contests the user may see (public ones and those of their subtree), filterable.
    `year` is the year of the joint work plan whose key task the contest carries out (so
    `year=2023` gives the plan's 16 contests); `started_in` the year the contest starts, for
    contests outside the plans too (e.g. a county's own campaign)."""
    qs = scoped(Contest.objects.select_related("lead_org", "key_task__plan"), user)
    if year:
        qs = qs.filter(key_task__plan__year=year)
    if started_in:
        qs = qs.filter(starts_on__year=started_in)
    if format:
        qs = qs.filter(format=format)
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    if lead_org_id:
        qs = qs.filter(lead_org_id=lead_org_id)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.order_by("-starts_on", "-id")


def stage_list(contest: Contest) -> QuerySet[Stage]:
    return contest.stages.annotate(
        registrations_count=Count("registrations", filter=Q(registrations__status=Registration.Status.APPROVED))
    ).order_by("order")


def registration_list(
    *, stage: Stage, user: Any, status: str = "", organisation_id: int | None = None
) -> QuerySet[Registration]:
    """Entries of a stage visible to the user (their subtree's, or their own)."""
    qs = scoped(
        Registration.objects.filter(stage=stage).select_related("worker__employer", "organisation", "leader"), user
    )
    if status:
        qs = qs.filter(status=status)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.prefetch_related("members__worker").order_by("organisation__path", "id")


def quota_usage(stage: Stage) -> list[dict[str, Any]]:
    return [
        {"organisation_id": q.organisation_id, "organisation": str(q.organisation), "places": q.places, "used": q.used}
        for q in Quota.objects.filter(stage=stage).select_related("organisation").order_by("organisation__path")
    ]


def qualification_list(stage: Stage) -> QuerySet[Qualification]:
    """Who qualified into `stage`, from where, and why (auditable list)."""
    return Qualification.objects.filter(to_stage=stage).select_related(
        "source_registration__worker", "source_registration__organisation", "from_stage"
    )


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


# --- judges (secret numbers only) -----------------------------------------------------------


def judge_modules(*, user: Any, stage: Stage | None = None) -> QuerySet[Module]:
    qs = Module.objects.filter(assignments__judge__user=user).select_related("stage__contest")
    if stage is not None:
        qs = qs.filter(stage=stage)
    return qs.distinct().order_by("stage_id", "order")


def judge_worklist(*, module: Module, user: Any) -> dict[str, Any]:
    """What a judge marks on a module: their aspects and, per secret number they may mark,
    the marks so far. Conflicted competitors are left out. Numbers only, never names."""
    assignment = judge_assignment(module, user)
    if assignment is None:
        return {"module": module.name, "locked": module.signed_off_at is not None, "aspects": [], "competitors": []}
    aspect_ids = assigned_aspect_ids(assignment)
    aspects = list(
        Aspect.objects.filter(pk__in=aspect_ids)
        .order_by("order", "id")
        .values("id", "code", "description", "kind", "max_mark", "target", "bands", "descriptors")
    )
    excluded = conflicted_number_ids(module.stage, user)
    numbers = list(
        SecretNumber.objects.filter(stage_id=module.stage_id)
        .exclude(pk__in=excluded)
        .order_by("number")
        .values_list("id", "number")
    )
    marks: dict[int, list[dict[str, Any]]] = {}
    for m in Mark.objects.filter(aspect_id__in=aspect_ids, secret_number_id__in=[i for i, _n in numbers]).values(
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
        "locked": module.signed_off_at is not None,
        "aspects": aspects,
        "competitors": [{"number": n, "marks": marks.get(i, [])} for i, n in numbers],
    }


def judge_confirmation_queue(*, module: Module, user: Any) -> list[dict[str, Any]]:
    """Marks by other judges waiting for this judge's confirmation (numbers only)."""
    if judge_assignment(module, user) is None:
        return []
    excluded = conflicted_number_ids(module.stage, user)
    return list(
        Mark.objects.filter(aspect__module=module, status=Mark.Status.ENTERED)
        .exclude(entered_by=user)
        .exclude(secret_number_id__in=excluded)
        .order_by("secret_number__number", "aspect__order")
        .values("id", "secret_number__number", "aspect__code", "value", "mark", "flagged")
    )


# --- progress and live board ----------------------------------------------------------------


def stage_progress(stage: Stage) -> dict[str, Any]:
    numbers = SecretNumber.objects.filter(stage=stage).count()
    judges_min = stage.contest.judges_min
    aspects = list(Aspect.objects.filter(module__stage=stage).values_list("kind", flat=True))
    expected = numbers * sum(judges_min if k == Aspect.Kind.JUDGEMENT else 1 for k in aspects)
    counts = Mark.objects.filter(aspect__module__stage=stage).aggregate(
        entered=Count("id"),
        confirmed=Count("id", filter=Q(status=Mark.Status.CONFIRMED)),
        rejected=Count("id", filter=Q(status=Mark.Status.REJECTED)),
        flagged=Count("id", filter=Q(flagged=True, flag_resolved=False)),
    )
    modules = list(Module.objects.filter(stage=stage).order_by("order").values("id", "name", "signed_off_at"))
    return {
        "competitors": numbers,
        "marks_expected": expected,
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
        board["ranking"] = [
            {
                "rank": r["rank"],
                "number": r["number"],
                "name": r["name"],
                "organisation": r["organisation"],
                "total": r["total"],
            }
            for r in stage_results(stage)
        ]
    return board


# --- appeals, results, chain, certificates ----------------------------------------------------


def appeal_list(*, stage: Stage, user: Any) -> QuerySet[Appeal]:
    return scoped(Appeal.objects.filter(stage=stage).select_related("registration__worker", "filed_by"), user)


def published_results(*, contest: Contest | None = None, user: Any = None) -> QuerySet[ResultSet]:
    qs = ResultSet.objects.select_related("stage", "contest")
    qs = scoped(qs, user) if user is not None else qs.filter(ResultSet.scope_public_q())
    if contest is not None:
        qs = qs.filter(contest=contest)
    return qs.order_by("contest_id", "published_at")


@dataclass
class ChainReport:
    ok: bool
    checked: int
    problems: list[str] = field(default_factory=list)


def result_chain_verify(contest: Contest) -> ChainReport:
    """Re-hash every final result set of the contest in chain order and check the links and
    that the stored rows still match the hashed content."""
    problems: list[str] = []
    previous_hash = ""
    sets = list(ResultSet.objects.filter(contest=contest, status=ResultSet.Status.FINAL).order_by("chain_index"))
    for expected_index, rs in enumerate(sets, start=1):
        label = f"#{rs.chain_index}"
        if rs.chain_index != expected_index:
            problems.append(_("Result set %(label)s is out of sequence") % {"label": label})
        if rs.content.get("previous_hash") != previous_hash or rs.previous_hash != previous_hash:
            problems.append(_("Result set %(label)s does not link to the previous one") % {"label": label})
        if sha256_hex(rs.content) != rs.content_hash:
            problems.append(_("Result set %(label)s has been altered: its hash does not match") % {"label": label})
        stored = sorted((r.registration_id, r.rank, str(r.total), r.name) for r in rs.rows.all())
        hashed = sorted((r["registration"], r["rank"], r["total"], r["name"]) for r in rs.content.get("rows", []))
        if stored != hashed:
            problems.append(_("The rows of result set %(label)s differ from its hashed content") % {"label": label})
        previous_hash = rs.content_hash
    return ChainReport(ok=not problems, checked=len(sets), problems=problems)


def certificate_verify_url(code: str) -> str:
    try:
        from django.urls import NoReverseMatch, reverse

        try:
            return reverse("contests:certificate_verify", args=[code])
        except NoReverseMatch:
            pass
    except ImportError:  # pragma: no cover
        pass
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
        "stage": award.result_set.stage.name,
        "rank": award.rank,
        "issued_at": cert.issued_at,
        "result_hash": award.result_set.content_hash,
    }


def judge_assignments(module: Module) -> QuerySet[JudgeAssignment]:
    return module.assignments.select_related("judge__user").prefetch_related("aspects")

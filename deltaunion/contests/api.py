"""The contests JSON API: public lists, stages, published results and certificate checks;
a stage's registrations for those who handle them; judges' marking by secret number.

The platform's refusal rule: what the caller may not see answers 404 like a missing object
(drafts, other organisations' private rows, modules the caller does not judge); an action on
something they may see but not take answers 403 with the permission's message (config/api.py).
Personal data of competitors is masked unless the caller may see it (`core.privacy`). The
judging endpoints never return a name, an ID number or a registration: only module, aspect
and secret-number data, read through the judge selectors.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from deltaunion.contests import selectors, services
from deltaunion.contests.models import (
    Aspect,
    Contest,
    ContestFormat,
    ContestLevel,
    Mark,
    Module,
    Registration,
    ResultSet,
    Stage,
)
from deltaunion.core.api import Limit, Offset, SearchText, Year
from deltaunion.core.api_auth import logged_in
from deltaunion.core.permissions import require
from deltaunion.workplans.models import KeyTask

router = Router(tags=["contests"])

MAX_LIMIT = 200


# --- schemas ---------------------------------------------------------------------------


class OrgRef(Schema):
    id: int
    name: str


class KeyTaskRef(Schema):
    id: int
    number: int
    title: str
    plan_id: int
    plan: str
    year: int


class LeadOut(Schema):
    organisation: OrgRef | None
    alliance: str | None
    note: str


class ContestOut(Schema):
    id: int
    title: str
    year: int | None
    format: str | None  # None while no source gives it (shown 待定)
    format_label: str
    level: str | None
    level_label: str
    tier: str
    tier_label: str
    status: str
    status_label: str
    lead: LeadOut
    organiser: OrgRef
    key_task: KeyTaskRef | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    stage_count: int
    is_demo: bool


class ContestPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[ContestOut]


class ContestQuery(Schema):
    year: Year = Field(None, description="year of the joint work plan the contest belongs to")
    started_in: Year = Field(None, description="year the contest starts (any contest, in a plan or not)")
    tier: str = ""
    format: str = ""
    status: str = ""
    level: str = ""
    q: SearchText = ""
    offset: Offset = 0
    limit: Limit = 50


class CompetitorOut(Schema):
    name: str
    id_number: str
    phone: str
    employer: str
    masked: bool


class RegistrationOut(Schema):
    id: int
    status: str
    status_label: str
    sending_union: OrgRef
    competitor: CompetitorOut
    team_name: str
    team: list[CompetitorOut]
    checked_in_at: dt.datetime | None


class RegistrationPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[RegistrationOut]


class RegistrationQuery(Schema):
    status: str = ""
    offset: Offset = 0
    limit: Limit = 50


class TradeOut(Schema):
    id: int
    name: str
    occupation_code: str


class ResultSetRef(Schema):
    id: int
    status: str
    status_label: str


class StageOut(Schema):
    id: int
    order: int
    name: str
    level: str
    level_label: str
    status: str
    status_label: str
    venue: str | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    registrations: int
    revealed: bool
    result_set: ResultSetRef | None


class ContestDetail(ContestOut):
    description: str
    co_organisers: list[OrgRef]
    trades: list[TradeOut]
    skill_level: int | None
    entry_kind: str
    theory_weight: Decimal | None  # None while no source gives the weights
    practical_weight: Decimal | None
    source: str
    stages: list[StageOut]


class ResultRowOut(Schema):
    rank: int
    number: str
    name: str
    organisation: str
    total: Decimal
    theory: Decimal | None
    practical: Decimal
    standardised: Decimal | None


class ResultSetOut(Schema):
    id: int
    contest_id: int
    contest: str
    stage_id: int
    stage: str
    status: str
    status_label: str
    published_at: dt.datetime
    notice_until: dt.datetime
    finalised_at: dt.datetime | None
    chain_index: int | None
    previous_hash: str
    content_hash: str
    chain_verified: bool | None
    rows: list[ResultRowOut]


class CertificateOut(Schema):
    code: str
    valid: bool
    kind: str
    text: str
    name: str
    contest: str
    stage: str
    rank: int
    issued_at: dt.datetime
    result_hash: str
    verify_url: str


class JudgeModuleOut(Schema):
    id: int
    name: str
    order: int
    stage_id: int
    stage: str
    contest_id: int
    contest: str
    locked: bool


class AspectOut(Schema):
    id: int
    code: str
    description: str
    kind: str
    max_mark: Decimal
    target: Decimal | None
    bands: list[dict[str, Any]]
    descriptors: list[str]


class WorkMarkOut(Schema):
    mark_id: int
    aspect_id: int
    value: Decimal
    mark: Decimal
    status: str
    mine: bool
    flagged: bool
    rejection_reason: str


class WorkCompetitorOut(Schema):
    number: str
    marks: list[WorkMarkOut]


class QueueItemOut(Schema):
    mark_id: int
    number: str
    aspect_code: str
    value: Decimal
    mark: Decimal
    flagged: bool


class WorklistOut(Schema):
    module_id: int
    module: str
    locked: bool
    aspects: list[AspectOut]
    competitors: list[WorkCompetitorOut]
    to_confirm: list[QueueItemOut]


class MarkIn(Schema):
    number: str
    value: int | float | str
    aspect_id: int | None = None
    aspect_code: str = ""


class RejectIn(Schema):
    reason: str


class MarkOut(Schema):
    id: int
    module_id: int
    aspect_id: int
    aspect_code: str
    number: str
    value: Decimal
    mark: Decimal
    status: str
    status_label: str
    flagged: bool
    mine: bool
    rejection_reason: str


# --- helpers ---------------------------------------------------------------------------


def _org(org) -> dict | None:
    return {"id": org.pk, "name": org.name} if org is not None else None


def _contest_year(c: Contest) -> int | None:
    if c.key_task_id:
        return c.key_task.plan.year
    return c.starts_on.year if c.starts_on else None


def _lead(c: Contest) -> dict:
    """The lead as the work plan names it. A contest made from a key task that names no lead
    organisation has none here (its `organiser` only holds the record)."""
    task = c.key_task
    if task is not None:
        return {
            "organisation": _org(task.lead_org) if task.lead_org_id else None,
            "alliance": task.lead_alliance.name if task.lead_alliance_id else None,
            "note": task.lead_note,
        }
    return {"organisation": _org(c.lead_org), "alliance": None, "note": ""}


def _contest_out(c: Contest) -> dict:
    task = c.key_task
    return {
        "id": c.pk,
        "title": c.title,
        "year": _contest_year(c),
        "format": c.format if "format" not in (c.unknown_settings or []) else None,
        "format_label": str(c.format_label),
        "level": c.level if "level" not in (c.unknown_settings or []) else None,
        "level_label": str(c.level_label),
        "tier": c.plan_tier,
        "tier_label": str(c.get_plan_tier_display()) if c.plan_tier else "",
        "status": c.status,
        "status_label": str(c.get_status_display()),
        "lead": _lead(c),
        "organiser": _org(c.lead_org),
        "key_task": (
            {
                "id": task.pk,
                "number": task.number,
                "title": task.title,
                "plan_id": task.plan_id,
                "plan": task.plan.title,
                "year": task.plan.year,
            }
            if task is not None
            else None
        ),
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "stage_count": c.stage_count if hasattr(c, "stage_count") else c.stages.count(),
        "is_demo": c.is_demo,
    }


def _contest_qs():
    return Contest.objects.select_related(
        "lead_org", "key_task__plan", "key_task__lead_org", "key_task__lead_alliance"
    ).annotate(stage_count=Count("stages", distinct=True))


def _stage_out(s: Stage, live: dict[int, ResultSet]) -> dict:
    rs = live.get(s.pk)
    return {
        "id": s.pk,
        "order": s.order,
        "name": s.name,
        "level": s.level,
        "level_label": str(s.get_level_display()),
        "status": s.status,
        "status_label": str(s.get_status_display()),
        "venue": s.venue.name if s.venue_id else None,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "registrations": s.registrations_count,
        "revealed": s.revealed_at is not None,
        "result_set": (
            {"id": rs.pk, "status": rs.status, "status_label": str(rs.get_status_display())} if rs else None
        ),
    }


def _stages(contest: Contest) -> list[dict]:
    stages = list(selectors.stage_list(contest).select_related("venue"))
    live = {
        rs.stage_id: rs
        for rs in ResultSet.objects.filter(
            stage__in=stages, status__in=[ResultSet.Status.NOTICE, ResultSet.Status.FINAL]
        )
    }
    return [_stage_out(s, live) for s in stages]


def _visible_contest(request, contest_id: int) -> Contest:
    selectors.contest_for_user_or_404(request.user, contest_id)
    return _contest_qs().get(pk=contest_id)


def _require_choice(value: str, choices: list[str], label: str) -> None:
    if value and value not in choices:
        raise ValidationError(
            _("Unknown %(field)s “%(value)s”; use one of: %(choices)s")
            % {"field": label, "value": value, "choices": ", ".join(choices)}
        )


def _page_bounds(offset: int, limit: int) -> int:
    if offset < 0 or limit < 1:
        raise ValidationError(_("offset must be 0 or more and limit 1 or more"))
    return min(limit, MAX_LIMIT)


def _competitor_out(c: selectors.Competitor) -> dict:
    return {"name": c.name, "id_number": c.id_number, "phone": c.phone, "employer": c.employer, "masked": not c.full}


# --- public reads ------------------------------------------------------------------------


@router.get("", response=ContestPage, summary="Contests (public ones and your organisations'), filterable and paged")
def list_contests(request, query: Query[ContestQuery]):
    _require_choice(query.tier, list(KeyTask.Tier.values), _("tier"))
    _require_choice(query.format, list(ContestFormat.values), _("format"))
    _require_choice(query.status, list(Contest.Status.values), _("status"))
    _require_choice(query.level, list(ContestLevel.values), _("level"))
    limit = _page_bounds(query.offset, query.limit)
    qs = selectors.contest_list(
        user=request.user,
        year=query.year,
        started_in=query.started_in,
        format=query.format,
        status=query.status,
        level=query.level,
        plan_tier=query.tier,
        q=query.q.strip(),
    )
    qs = (
        qs.select_related("key_task__lead_org", "key_task__lead_alliance")
        .annotate(stage_count=Count("stages", distinct=True))
        .order_by(
            F("key_task__plan__year").desc(nulls_last=True),
            F("key_task__plan__position").asc(nulls_last=True),
            F("key_task__number").asc(nulls_last=True),
            F("starts_on").desc(nulls_last=True),
            "id",
        )
    )
    return {
        "count": qs.count(),
        "offset": query.offset,
        "limit": limit,
        "items": [_contest_out(c) for c in qs[query.offset : query.offset + limit]],
    }


@router.get("/{contest_id}", response=ContestDetail, summary="One contest with its stages and trades")
def get_contest(request, contest_id: int):
    c = _visible_contest(request, contest_id)
    out = _contest_out(c)
    out.update(
        {
            "description": c.description,
            "co_organisers": [_org(o) for o in c.co_organisers.order_by("path")],
            "trades": [{"id": t.pk, "name": t.name, "occupation_code": t.occupation_code} for t in c.trades.all()],
            "skill_level": c.skill_level,
            "entry_kind": c.entry_kind,
            "theory_weight": c.theory_weight if c.weights_known else None,
            "practical_weight": c.practical_weight if c.weights_known else None,
            "source": c.source,
            "stages": _stages(c),
        }
    )
    return out


@router.get("/{contest_id}/stages", response=list[StageOut], summary="A contest's stages in order")
def list_stages(request, contest_id: int):
    return _stages(_visible_contest(request, contest_id))


@router.get(
    "/stages/{stage_id}/results",
    response=ResultSetOut,
    summary="A stage's published results (on public notice or final); 404 before publication",
)
def stage_results(request, stage_id: int):
    stage = selectors.stage_for_user_or_404(request.user, stage_id)
    rs = (
        ResultSet.objects.filter(stage=stage, status__in=[ResultSet.Status.NOTICE, ResultSet.Status.FINAL])
        .select_related("contest", "stage")
        .first()
    )
    if rs is None or stage.revealed_at is None:
        raise Http404
    chain = selectors.result_chain_verify(rs.contest) if rs.status == ResultSet.Status.FINAL else None
    return {
        "id": rs.pk,
        "contest_id": rs.contest_id,
        "contest": rs.contest.title,
        "stage_id": rs.stage_id,
        "stage": rs.stage.name,
        "status": rs.status,
        "status_label": str(rs.get_status_display()),
        "published_at": rs.published_at,
        "notice_until": rs.notice_until,
        "finalised_at": rs.finalised_at,
        "chain_index": rs.chain_index,
        "previous_hash": rs.previous_hash,
        "content_hash": rs.content_hash,
        "chain_verified": chain.ok if chain is not None else None,
        "rows": [
            {
                "rank": r.rank,
                "number": r.number,
                "name": r.name,
                "organisation": r.organisation_name,
                "total": r.total,
                "theory": r.theory,
                "practical": r.practical,
                "standardised": r.standardised,
            }
            for r in rs.rows.order_by("rank", "number")
        ],
    }


@router.get(
    "/stages/{stage_id}/registrations",
    response=RegistrationPage,
    auth=logged_in,
    summary="A stage's entries, for its organisers and the sending unions (personal data masked by role)",
)
def stage_registrations(request, stage_id: int, query: Query[RegistrationQuery]):
    stage = selectors.stage_for_user_or_404(request.user, stage_id)
    require(request.user, "contests.handle_registrations", stage)
    _require_choice(query.status, list(Registration.Status.values), _("status"))
    limit = _page_bounds(query.offset, query.limit)
    qs = selectors.registration_list(stage=stage, user=request.user, status=query.status)
    page = selectors.with_competitors(qs[query.offset : query.offset + limit], request.user)
    return {
        "count": qs.count(),
        "offset": query.offset,
        "limit": limit,
        "items": [
            {
                "id": r.pk,
                "status": r.status,
                "status_label": str(r.get_status_display()),
                "sending_union": _org(r.organisation),
                "competitor": _competitor_out(r.competitor),
                "team_name": r.team_name,
                "team": [_competitor_out(m) for m in r.team],
                "checked_in_at": r.checked_in_at,
            }
            for r in page
        ],
    }


@router.get("/certificates/{code}/verify", response=CertificateOut, summary="Verify a certificate by its code (public)")
def verify_certificate(request, code: str):
    data = selectors.certificate_verify(code)
    if data is None:
        raise Http404
    return {**data, "verify_url": selectors.certificate_verify_url(data["code"])}


# --- judges: secret numbers only ----------------------------------------------------------


def _judge_module(request, module_id: int) -> Module:
    """A module the caller judges (404 otherwise: not found and not yours look the same)."""
    return selectors.judge_assignment_or_404(request.user, module_id).module


def _mark_out(mark: Mark, user) -> dict:
    return {
        "id": mark.pk,
        "module_id": mark.aspect.module_id,
        "aspect_id": mark.aspect_id,
        "aspect_code": mark.aspect.code,
        "number": mark.secret_number.number,
        "value": mark.value,
        "mark": mark.mark,
        "status": mark.status,
        "status_label": str(mark.get_status_display()),
        "flagged": mark.flagged and not mark.flag_resolved,
        "mine": mark.entered_by_id == user.pk,
        "rejection_reason": mark.rejection_reason,
    }


@router.get(
    "/judging/modules",
    response=list[JudgeModuleOut],
    auth=logged_in,
    summary="The modules I judge (judges only; numbers, never names)",
)
def judge_modules(request):
    modules = selectors.judge_modules(user=request.user)
    return [
        {
            "id": m.pk,
            "name": m.name,
            "order": m.order,
            "stage_id": m.stage_id,
            "stage": m.stage.name,
            "contest_id": m.stage.contest_id,
            "contest": m.stage.contest.title,
            "locked": m.signed_off_at is not None,
        }
        for m in modules
    ]


@router.get(
    "/judging/modules/{module_id}/worklist",
    response=WorklistOut,
    auth=logged_in,
    summary="My worklist on a module by secret number, and marks waiting for my confirmation",
)
def judge_worklist(request, module_id: int, number: str = ""):
    module = _judge_module(request, module_id)
    work = selectors.judge_worklist(module=module, user=request.user)
    competitors = work["competitors"]
    queue = selectors.judge_confirmation_queue(module=module, user=request.user)
    number = number.strip()
    if number:
        competitors = [c for c in competitors if c["number"] == number]
        queue = [q for q in queue if q["secret_number__number"] == number]
    return {
        "module_id": module.pk,
        "module": work["module"],
        "locked": work["locked"],
        "aspects": work["aspects"],
        "competitors": competitors,
        "to_confirm": [
            {
                "mark_id": q["id"],
                "number": q["secret_number__number"],
                "aspect_code": q["aspect__code"],
                "value": q["value"],
                "mark": q["mark"],
                "flagged": q["flagged"],
            }
            for q in queue
        ],
    }


@router.post(
    "/judging/modules/{module_id}/marks",
    response=MarkOut,
    auth=logged_in,
    summary="Enter (or re-enter my unconfirmed) mark for a secret number",
)
def enter_mark(request, module_id: int, payload: MarkIn):
    module = _judge_module(request, module_id)
    aspects = Aspect.objects.filter(module=module)
    if payload.aspect_id is not None:
        aspect = aspects.filter(pk=payload.aspect_id).first()
    elif payload.aspect_code.strip():
        aspect = aspects.filter(code=payload.aspect_code.strip()).first()
    else:
        raise ValidationError(_("Give the aspect (aspect_id or aspect_code)"))
    if aspect is None:
        raise ValidationError(_("The module %(module)s has no such aspect") % {"module": module.name})
    if not payload.number.strip():
        raise ValidationError(_("Give the secret number"))
    mark = services.mark_enter(aspect=aspect, number=payload.number, value=payload.value, by=request.user)
    mark = Mark.objects.select_related("aspect", "secret_number").get(pk=mark.pk)
    return _mark_out(mark, request.user)


@router.post(
    "/judging/marks/{mark_id}/confirm",
    response=MarkOut,
    auth=logged_in,
    summary="Confirm another judge's mark (the confirmer cannot change it)",
)
def confirm_mark(request, mark_id: int):
    mark = services.mark_confirm(mark=selectors.judge_mark_or_404(request.user, mark_id), by=request.user)
    mark = Mark.objects.select_related("aspect", "secret_number").get(pk=mark.pk)
    return _mark_out(mark, request.user)


@router.post(
    "/judging/marks/{mark_id}/reject",
    response=MarkOut,
    auth=logged_in,
    summary="Send another judge's mark back with a reason",
)
def reject_mark(request, mark_id: int, payload: RejectIn):
    mark = services.mark_reject(
        mark=selectors.judge_mark_or_404(request.user, mark_id), reason=payload.reason, by=request.user
    )
    mark = Mark.objects.select_related("aspect", "secret_number").get(pk=mark.pk)
    return _mark_out(mark, request.user)


__all__ = ["router"]

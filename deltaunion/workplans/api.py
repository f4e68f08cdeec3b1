from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from deltaunion.core.api import Code, Year
from deltaunion.core.api_auth import logged_in
from deltaunion.orgs.scoping import get_for_user_or_404
from deltaunion.workplans.models import KeyTask
from deltaunion.workplans.progress import Tally, TaskState, lead_label, task_state
from deltaunion.workplans.selectors import current_plan_year, meetings_list, year_report
from deltaunion.workplans.services import key_task_set_status

router = Router(tags=["workplans"])


class LeadOut(Schema):
    organisation_id: int | None
    organisation: str | None
    alliance: str | None
    note: str
    label: str


class EvidenceOut(Schema):
    label: str
    done: float | int | str | None
    target: float | int | str | None
    complete: bool
    percent: int | None
    url: str


class StateOut(Schema):
    code: str
    label: str
    progress: int | None
    computed_from: str
    evidence: list[EvidenceOut]
    deadline: dt.date | None
    deadline_is_plan_year_end: bool
    set_by_hand: bool
    reason: str
    computed_code: str
    computed_label: str


class TallyOut(Schema):
    done: int
    in_progress: int
    not_started: int
    overdue: int
    cancelled: int
    total: int


class LeadTallyOut(Schema):
    lead: str
    tally: TallyOut


class KeyTaskOut(Schema):
    id: int
    number: int
    title: str
    kind: str
    kind_label: str
    tier: str
    tier_label: str
    lead: LeadOut
    deadline: dt.date | None
    target: str
    status: str
    status_label: str
    progress: int | None
    state: StateOut
    detail: str
    source: str


class PlanOut(Schema):
    id: int
    slug: str
    year: int
    title: str
    summary: str
    meeting: str
    meeting_date: dt.date | None
    source: str
    tally: TallyOut
    tasks: list[KeyTaskOut]


class YearSummaryOut(Schema):
    year: int
    tally: TallyOut
    plans: list[PlanOut]
    by_lead: list[LeadTallyOut]


class MeetingOut(Schema):
    slug: str
    year: int
    title: str
    held_on: dt.date | None
    date_note: str
    place: str
    plan_count: int


class StatusIn(Schema):
    status: str
    note: str = ""


def state_out(state: TaskState) -> dict:
    return {
        "code": state.code,
        "label": state.label,
        "progress": state.percent,
        "computed_from": state.basis,
        "evidence": [e.__dict__ for e in state.evidence],
        "deadline": state.deadline,
        "deadline_is_plan_year_end": state.deadline_from_plan_year,
        "set_by_hand": state.set_by_hand,
        "reason": state.reason,
        "computed_code": state.computed_code,
        "computed_label": state.computed_label,
    }


def tally_out(tally: Tally) -> dict:
    return tally.as_dict()


def task_out(t: KeyTask, state: TaskState | None = None) -> dict:
    state = state or task_state(t)
    return {
        "id": t.pk,
        "number": t.number,
        "title": t.title,
        "kind": t.kind,
        "kind_label": str(t.get_kind_display()),
        "tier": t.tier,
        "tier_label": str(t.get_tier_display()) if t.tier else "",
        "lead": {
            "organisation_id": t.lead_org_id,
            "organisation": t.lead_org.name if t.lead_org else None,
            "alliance": t.lead_alliance.name if t.lead_alliance else None,
            "note": t.lead_note,
            "label": lead_label(t),
        },
        "deadline": t.deadline,
        "target": t.target,
        "status": t.status,
        "status_label": str(t.get_status_display()),
        "progress": state.percent,
        "state": state_out(state),
        "detail": t.detail,
        "source": t.source,
    }


def _plans_out(report) -> list[dict]:
    return [
        {
            "id": p.plan.pk,
            "slug": p.plan.slug,
            "year": p.plan.year,
            "title": p.plan.title,
            "summary": p.plan.summary,
            "meeting": p.plan.meeting.title,
            "meeting_date": p.plan.meeting.held_on,
            "source": p.plan.source,
            "tally": tally_out(p.tally),
            "tasks": [task_out(r.task, r.state) for r in p.rows],
        }
        for p in report.plans
    ]


@router.get("", response=list[PlanOut], summary="A year's work plans with their key tasks and their states (public)")
def list_workplans(request, year: Year = None, kind: Code = "", tier: Code = ""):
    year = year or current_plan_year()
    if year is None:
        return []
    return _plans_out(year_report(year, kind=kind, tier=tier))


@router.get(
    "/summary",
    response=YearSummaryOut | None,
    summary="How far a year's plans are: tasks done, in progress, not started and overdue per plan and per lead",
)
def year_summary(request, year: Year = None):
    year = year or current_plan_year()
    if year is None:
        return None
    report = year_report(year)
    return {
        "year": year,
        "tally": tally_out(report.tally),
        "plans": _plans_out(report),
        "by_lead": [{"lead": lead, "tally": tally_out(t)} for lead, t in report.by_lead],
    }


@router.get("/meetings", response=list[MeetingOut], summary="Joint meetings (public)")
def list_meetings(request):
    return list(meetings_list())


@router.post("/tasks/{task_id}/status", response=KeyTaskOut, auth=logged_in, summary="Change a key task's status")
def set_task_status(request, task_id: int, payload: StatusIn):
    task = get_for_user_or_404(KeyTask.objects.select_related("lead_org", "lead_alliance"), request.user, pk=task_id)
    task = key_task_set_status(task=task, status=payload.status, by=request.user, note=payload.note)
    task = KeyTask.objects.select_related("lead_org", "lead_alliance").get(pk=task.pk)
    return task_out(task)

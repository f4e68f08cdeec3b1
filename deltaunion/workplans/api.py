from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from deltaunion.core.api import Code, Year
from deltaunion.core.api_auth import logged_in
from deltaunion.orgs.scoping import get_for_user_or_404
from deltaunion.workplans.models import KeyTask
from deltaunion.workplans.selectors import current_plan_year, key_task_progress, meetings_list, workplans_for_year
from deltaunion.workplans.services import key_task_set_status

router = Router(tags=["workplans"])


class LeadOut(Schema):
    organisation_id: int | None
    organisation: str | None
    alliance: str | None
    note: str


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
    progress: int
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
    tasks: list[KeyTaskOut]


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


def task_out(t: KeyTask) -> dict:
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
        },
        "deadline": t.deadline,
        "target": t.target,
        "status": t.status,
        "status_label": str(t.get_status_display()),
        "progress": key_task_progress(t),
        "source": t.source,
    }


@router.get("", response=list[PlanOut], summary="A year's work plans with their key tasks (public)")
def list_workplans(request, year: Year = None, kind: Code = "", tier: Code = ""):
    year = year or current_plan_year()
    if year is None:
        return []
    return [
        {
            "id": p.pk,
            "slug": p.slug,
            "year": p.year,
            "title": p.title,
            "summary": p.summary,
            "meeting": p.meeting.title,
            "meeting_date": p.meeting.held_on,
            "source": p.source,
            "tasks": [task_out(t) for t in p.tasks.all()],
        }
        for p in workplans_for_year(year, kind=kind, tier=tier)
    ]


@router.get("/meetings", response=list[MeetingOut], summary="Joint meetings (public)")
def list_meetings(request):
    return list(meetings_list())


@router.post("/tasks/{task_id}/status", response=KeyTaskOut, auth=logged_in, summary="Change a key task's status")
def set_task_status(request, task_id: int, payload: StatusIn):
    task = get_for_user_or_404(KeyTask.objects.select_related("lead_org", "lead_alliance"), request.user, pk=task_id)
    task = key_task_set_status(task=task, status=payload.status, by=request.user, note=payload.note)
    task = KeyTask.objects.select_related("lead_org", "lead_alliance").get(pk=task.pk)
    return task_out(task)

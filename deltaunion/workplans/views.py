from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.core.audit import history
from deltaunion.core.excel import xlsx_response
from deltaunion.core.permissions import can
from deltaunion.orgs.scoping import get_for_user_or_404
from deltaunion.workplans.models import KeyTask
from deltaunion.workplans.selectors import (
    current_plan_year,
    key_task_list,
    key_task_progress,
    key_task_summary,
    meetings_list,
    workplan_years,
    workplans_for_year,
)
from deltaunion.workplans.services import key_task_set_status


def _year(request) -> int | None:
    raw = request.GET.get("year", "")
    years = workplan_years()
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return current_plan_year()


def home(request):
    year = _year(request)
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in KeyTask.Kind.values else ""
    tier = request.GET.get("tier", "") if request.GET.get("tier", "") in KeyTask.Tier.values else ""
    plans = list(workplans_for_year(year, kind=kind, tier=tier)) if year else []
    summary = key_task_summary(year) if year else {}
    task_total = sum(sum(v.values()) for v in summary.values())
    contest_total = sum(summary.get("contest", {}).values())
    return render(
        request,
        "workplans/home.html",
        {
            "year": year,
            "years": workplan_years(),
            "plans": plans,
            "kind": kind,
            "tier": tier,
            "kinds": KeyTask.Kind.choices,
            "tiers": KeyTask.Tier.choices,
            "task_total": task_total,
            "contest_total": contest_total,
            "meetings": [m for m in meetings_list() if m.year == year],
        },
    )


def export_tasks(request):
    year = _year(request)
    tasks = key_task_list(year=year, kind=request.GET.get("kind", ""), tier=request.GET.get("tier", ""))
    headers = [
        _("Year"),
        _("Work plan"),
        _("No."),
        _("Task"),
        _("Category"),
        _("Tier"),
        _("Lead"),
        _("Deadline"),
        _("Target"),
        _("Status"),
        _("Source"),
    ]
    rows = (
        [
            t.plan.year,
            t.plan.title,
            t.number,
            t.title,
            t.get_kind_display(),
            t.get_tier_display() if t.tier else "",
            t.lead_org.name if t.lead_org else (t.lead_alliance.name if t.lead_alliance else t.lead_note),
            t.deadline,
            t.target,
            t.get_status_display(),
            t.source,
        ]
        for t in tasks
    )
    return xlsx_response(f"key-tasks-{year}.xlsx", headers, rows, title=_("Key tasks"))


def task_detail(request, task_id: int):
    task = get_for_user_or_404(
        KeyTask.objects.select_related("plan__meeting", "lead_org", "lead_alliance"), request.user, pk=task_id
    )
    can_manage = can(request.user, "workplans.manage_task", task)
    return render(
        request,
        "workplans/task_detail.html",
        {
            "task": task,
            "progress": key_task_progress(task),
            "can_manage": can_manage,
            "transitions": KeyTask.workflow.choices(task, request.user),
            "entries": history(task) if can_manage else [],
        },
    )


@require_POST
def task_set_status(request, task_id: int):
    task = get_for_user_or_404(KeyTask.objects.select_related("lead_org"), request.user, pk=task_id)
    try:
        key_task_set_status(
            task=task, status=request.POST.get("status", ""), by=request.user, note=request.POST.get("note", "")[:500]
        )
        messages.success(request, _("The status has been updated"))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("workplans:task", task_id=task.pk)

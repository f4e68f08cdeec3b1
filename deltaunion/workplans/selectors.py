from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from deltaunion.core.registry import key_task_evidence_of
from deltaunion.workplans.models import JointMeeting, KeyTask, WorkPlan
from deltaunion.workplans.progress import Tally, TaskState, lead_label, task_state


def workplan_years() -> list[int]:
    return sorted(set(WorkPlan.objects.values_list("year", flat=True)), reverse=True)


def current_plan_year() -> int | None:
    years = workplan_years()
    return years[0] if years else None


def workplans_for_year(year: int, *, kind: str = "", tier: str = "") -> QuerySet[WorkPlan]:
    tasks = KeyTask.objects.select_related("lead_org", "lead_alliance").order_by("number")
    if kind:
        tasks = tasks.filter(kind=kind)
    if tier:
        tasks = tasks.filter(tier=tier)
    return (
        WorkPlan.objects.filter(year=year)
        .select_related("meeting")
        .prefetch_related(Prefetch("tasks", queryset=tasks))
        .order_by("position", "id")
    )


def meetings_list() -> QuerySet[JointMeeting]:
    return JointMeeting.objects.annotate(plan_count=Count("plans")).order_by("-year", "-held_on", "slug")


def key_task_list(
    *, year: int | None = None, kind: str = "", tier: str = "", status: str = "", q: str = ""
) -> QuerySet[KeyTask]:
    qs = KeyTask.objects.select_related("plan", "lead_org", "lead_alliance")
    if year:
        qs = qs.filter(plan__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if tier:
        qs = qs.filter(tier=tier)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(detail__icontains=q))
    return qs.order_by("-plan__year", "plan__position", "number")


def key_task_summary(year: int) -> dict[str, dict[str, int]]:
    rows = KeyTask.objects.filter(plan__year=year).values("kind", "status").annotate(n=Count("id"))
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        out.setdefault(r["kind"], {})[r["status"]] = r["n"]
    return out


@dataclass
class TaskRow:
    task: KeyTask
    state: TaskState
    lead: str


@dataclass
class PlanReport:
    plan: WorkPlan
    rows: list[TaskRow]
    tally: Tally


@dataclass
class YearReport:
    year: int
    plans: list[PlanReport]
    tally: Tally
    by_lead: list[tuple[str, Tally]]


def year_report(year: int, *, kind: str = "", tier: str = "", today: dt.date | None = None) -> YearReport:
    """A year's plans with every task's state computed on today's date, and how many tasks are
    done, in progress, not started and overdue per plan, per lead federation and in all."""
    today = today or timezone.localdate()
    plans = []
    total = Tally()
    leads: dict[str, Tally] = {}
    plans_of_year = list(workplans_for_year(year, kind=kind, tier=tier))
    # every app's evidence of every task at once (a few queries an app, not a few a task)
    tasks = []
    for plan in plans_of_year:
        for task in plan.tasks.all():
            task.plan = plan
            tasks.append(task)
    evidence = key_task_evidence_of(tasks)
    for plan in plans_of_year:
        rows = []
        tally = Tally()
        for task in plan.tasks.all():
            task.plan = plan
            state = task_state(task, today=today, evidence=evidence[task.pk])
            lead = lead_label(task)
            rows.append(TaskRow(task, state, lead))
            for t in (tally, total, leads.setdefault(lead, Tally())):
                t.add(state.code)
        plans.append(PlanReport(plan, rows, tally))
    by_lead = sorted(leads.items(), key=lambda kv: (-kv[1].total, kv[0]))
    return YearReport(year, plans, total, by_lead)

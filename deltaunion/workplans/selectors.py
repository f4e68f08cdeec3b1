from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from deltaunion.workplans.models import JointMeeting, KeyTask, WorkPlan


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


def key_task_progress(task: KeyTask) -> int:
    """Percent done. Later modules (contests, recuperation …) link activities to tasks and
    refine this; until then it follows the status."""
    return {"planned": 0, "in_progress": 50, "done": 100, "cancelled": 0}.get(task.status, 0)

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.core import fragments, pagecache
from deltaunion.core.audit import history
from deltaunion.core.excel import xlsx_response
from deltaunion.core.pdf import table_pdf
from deltaunion.core.permissions import can
from deltaunion.orgs.scoping import get_for_user_or_404
from deltaunion.workplans.models import KeyTask
from deltaunion.workplans.progress import CANCELLED, COUNTED, LABELS, lead_label, task_state
from deltaunion.workplans.selectors import (
    current_plan_year,
    key_task_list,
    key_task_summary,
    meetings_list,
    workplan_years,
    year_report,
)
from deltaunion.workplans.services import key_task_set_status


def _year(request) -> int | None:
    raw = request.GET.get("year", "")
    years = workplan_years()
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return current_plan_year()


# The home page's body is the same for every viewer (a year's plans and every task's state): it is
# rendered once per change and kept (core.fragments). Its version `home` is bumped by any write to
# the plans, the organisations or an app that gives evidence of the tasks (core.viewer.connect);
# today's date is in the key (states are computed on it). The TTL bounds only writes that send no
# signal (a bulk update).
HOME_TTL = 300


def home(request):
    # Only a query the body reads is cached, so made-up query strings cannot fill the cache.
    query = fragments.query_key(
        request.GET,
        {
            "year": fragments.digits(4),
            "kind": fragments.one_of(KeyTask.Kind.values),
            "tier": fragments.one_of(KeyTask.Tier.values),
        },
    )
    if query is None:
        return render(request, "workplans/home.html", {"body": mark_safe(_home_body(request))})
    # The body is one part for every viewer; the page around it (the viewer's menu) per viewer
    # (core.pagecache), the body put in on each serve.
    body = fragments.Part("home", (get_language(), query, timezone.localdate().isoformat()), ("home",), HOME_TTL)
    return pagecache.page(
        request,
        "home",
        template="workplans/home.html",
        context=lambda: ({}, None),
        holes={"body": (body, lambda: _home_body(request))},
    )


def _home_body(request) -> str:
    year = _year(request)
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in KeyTask.Kind.values else ""
    tier = request.GET.get("tier", "") if request.GET.get("tier", "") in KeyTask.Tier.values else ""
    report = year_report(year, kind=kind, tier=tier) if year else None
    summary = key_task_summary(year) if year else {}
    task_total = sum(sum(v.values()) for v in summary.values())
    contest_total = sum(summary.get("contest", {}).values())
    return render_to_string(
        "workplans/_home_body.html",
        {
            "request": request,
            "year": year,
            "years": workplan_years(),
            "report": report,
            "states": [(code, LABELS[code]) for code in (*COUNTED, CANCELLED)],
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
        _("State"),
        _("Progress"),
        _("Computed from"),
        _("Reason for the state set by hand"),
        _("Source"),
    ]

    def row(t: KeyTask) -> list:
        state = task_state(t)
        return [
            t.plan.year,
            t.plan.title,
            t.number,
            t.title,
            t.get_kind_display(),
            t.get_tier_display() if t.tier else "",
            lead_label(t),
            t.deadline,
            t.target,
            state.label,
            f"{state.percent}%" if state.percent is not None else "",
            state.basis,
            state.reason,
            t.source,
        ]

    rows = (row(t) for t in tasks)
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
            "state": task_state(task),
            "lead": lead_label(task),
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


def _report_year(request) -> int | None:
    """The year asked for, else last year's plans (the latest plan year before this one)."""
    years = workplan_years()
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    this_year = timezone.localdate().year
    earlier = [y for y in years if y < this_year]
    return earlier[0] if earlier else current_plan_year()


def report_pdf(request):
    """The joint meeting's question: how far are we with last year's plans? A printable report of
    every task's state on today's date, with what it was computed from."""
    year = _report_year(request)
    if year is None:
        return redirect("home")
    report = year_report(year)
    today = timezone.localdate()
    codes = [*COUNTED, CANCELLED]
    state_headers = [str(LABELS[c]) for c in codes]

    def tally_row(name: str, tally) -> list:
        return [name, *[tally.counts.get(c, 0) for c in codes], tally.total]

    summary_rows = [tally_row(lead, t) for lead, t in report.by_lead]
    summary_rows.append(tally_row(_("All tasks"), report.tally))
    sections = [(_("Tasks by lead"), [_("Lead"), *state_headers, _("Total")], summary_rows)]
    for p in report.plans:
        rows = [
            [
                r.task.number,
                r.task.title,
                r.lead,
                r.state.label + (f" · {r.state.percent}%" if r.state.percent is not None else ""),
                r.state.basis + (f" {_('Set by hand')}: {r.state.reason}" if r.state.set_by_hand else ""),
            ]
            for r in p.rows
        ]
        sections.append((p.plan.title, [_("No."), _("Task"), _("Lead"), _("State"), _("Computed from")], rows))
    pdf = table_pdf(
        title=_("How far the %(year)s work plans are") % {"year": year},
        subtitle=_("Computed on %(date)s from the activities on the platform and the deadlines.")
        % {"date": today.isoformat()},
        sections=sections,
        wide=True,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="work-plans-{year}.pdf"'
    return response

"""Load the joint meetings, work plans and key tasks of the seeds (idempotent)."""

from __future__ import annotations

import datetime as dt

from deltaunion.core.registry import DemoContext
from deltaunion.orgs.models import Alliance, Organisation
from deltaunion.workplans import demo_data as data
from deltaunion.workplans.models import JointMeeting, KeyTask, WorkPlan

LEADS = {"shanghai": "310000", "jiangsu": "320000", "zhejiang": "330000", "anhui": "340000"}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def load(ctx: DemoContext) -> int:
    provincial = {
        key: Organisation.objects.get(kind=Organisation.Kind.PROVINCIAL, region_id=code) for key, code in LEADS.items()
    }
    alliances = {a.slug: a for a in Alliance.objects.all()}
    count = 0
    for m in data.MEETINGS:
        meeting, _ = JointMeeting.objects.update_or_create(
            slug=m["slug"],
            defaults={
                "year": m["year"],
                "title": m["title"],
                "held_on": _date(m.get("held_on")),
                "date_note": m.get("date_note", ""),
                "place": m.get("place", ""),
                "summary": m.get("summary", ""),
                "source": m.get("source", ""),
            },
        )
        for position, p in enumerate(m.get("plans", []), start=1):
            plan, _ = WorkPlan.objects.update_or_create(
                slug=p["slug"],
                defaults={
                    "meeting": meeting,
                    "year": m["year"],
                    "title": p["title"],
                    "summary": p.get("summary", ""),
                    "source": p.get("source", ""),
                    "position": position,
                },
            )
            for number, t in enumerate(p.get("tasks", []), start=1):
                defaults = {
                    "title": t["title"],
                    "kind": t["kind"],
                    "tier": t.get("tier", ""),
                    "lead_org": provincial.get(t.get("lead", "")),
                    "lead_alliance": alliances.get(t.get("lead_alliance", "")),
                    "lead_note": t.get("lead_note", ""),
                    "deadline": _date(t.get("deadline")),
                    "target": t.get("target", ""),
                    "detail": t.get("detail", ""),
                    "source": t.get("source", ""),
                }
                seeded = {"status": t.get("status", "planned"), "status_reason": t.get("reason", "")}
                task, created = KeyTask.objects.get_or_create(plan=plan, number=number, defaults={**defaults, **seeded})
                if not created:
                    # Keep a state set by users; refresh the facts from the seeds (a state the
                    # seed states replaces only the computed one).
                    for key, value in defaults.items():
                        setattr(task, key, value)
                    if task.status == KeyTask.Status.PLANNED and seeded["status"] != KeyTask.Status.PLANNED:
                        task.status, task.status_reason = seeded["status"], seeded["status_reason"]
                    task.save()
                count += 1
            KeyTask.objects.filter(plan=plan, number__gt=len(p.get("tasks", []))).delete()
    ctx.summary.append(f"{count} key tasks")
    return count

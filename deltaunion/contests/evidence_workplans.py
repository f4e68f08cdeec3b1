"""What the contests linked to a key task say about its fulfilment (core.registry evidence).

A contest run here counts its stages with final results against its stages and is complete
once finished; a contest the plans name that was not run here is complete when a source says
it was held, and counts nothing while it is not known."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from deltaunion.contests.models import Contest, ResultSet


def key_task_evidence(task: Any) -> list[Any]:
    from deltaunion.core.registry import Evidence

    if not getattr(task, "pk", None):
        return []
    out = []
    done_states = {Contest.Status.FINISHED, Contest.Status.HELD}
    for contest in Contest.objects.filter(key_task_id=task.pk).exclude(status=Contest.Status.DRAFT).order_by("id"):
        stages = list(contest.stages.order_by("order"))
        complete = contest.status in done_states
        label = _("%(title)s: %(state)s") % {"title": contest.title, "state": contest.get_status_display()}
        url = reverse("contests:detail", args=[contest.pk])
        if stages:
            final = (
                ResultSet.objects.filter(stage__in=stages, status=ResultSet.Status.FINAL)
                .values("stage_id")
                .distinct()
                .count()
            )
            label = _("%(title)s: %(state)s, stages with final results") % {
                "title": contest.title,
                "state": contest.get_status_display(),
            }
            out.append(Evidence(label, done=final, target=len(stages), complete=complete, url=url))
        else:
            out.append(Evidence(label, done=1 if complete else 0, target=1, complete=complete, url=url))
    return out

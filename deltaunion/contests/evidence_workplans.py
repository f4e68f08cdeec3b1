"""What the contests linked to a key task say about its fulfilment (core.registry evidence).

A contest run here counts its stages with final results against its stages and is complete
once finished; a contest the plans name that was not run here is complete when a source says
it was held, and counts nothing while it is not known."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from deltaunion.contests.models import Contest, ResultSet, Stage


def key_task_evidence(task: Any) -> list[Any]:
    if not getattr(task, "pk", None):
        return []
    return key_task_evidence_many([task])[task.pk]


def key_task_evidence_many(tasks: Iterable[Any]) -> dict[int, list[Any]]:
    """The evidence of many key tasks in three queries (a year's report lists every task)."""
    from deltaunion.core.registry import Evidence

    out: dict[int, list[Any]] = {t.pk: [] for t in tasks if getattr(t, "pk", None)}
    if not out:
        return out
    done_states = {Contest.Status.FINISHED, Contest.Status.HELD}
    contests = list(
        Contest.objects.filter(key_task_id__in=list(out)).exclude(status=Contest.Status.DRAFT).order_by("id")
    )
    ids = [c.pk for c in contests]
    stages = dict(Stage.objects.filter(contest_id__in=ids).values_list("contest_id").annotate(n=Count("id")))
    finals = dict(
        ResultSet.objects.filter(stage__contest_id__in=ids, status=ResultSet.Status.FINAL)
        .values_list("stage__contest_id")
        .annotate(n=Count("stage_id", distinct=True))
    )
    for contest in contests:
        complete = contest.status in done_states
        url = reverse("contests:detail", args=[contest.pk])
        n_stages = stages.get(contest.pk, 0)
        if n_stages:
            label = _("%(title)s: %(state)s, stages with final results") % {
                "title": contest.title,
                "state": contest.get_status_display(),
            }
            evidence = Evidence(label, done=finals.get(contest.pk, 0), target=n_stages, complete=complete, url=url)
        else:
            label = _("%(title)s: %(state)s") % {"title": contest.title, "state": contest.get_status_display()}
            evidence = Evidence(label, done=1 if complete else 0, target=1, complete=complete, url=url)
        out[contest.key_task_id].append(evidence)
    return out


key_task_evidence.many = key_task_evidence_many  # core.registry.key_task_evidence_of

"""The demo worker's own space (idempotent): two synthetic Hangzhou contests (marked 演示)
open for sign-up, the `worker` login signed up for both — one entry approved by the
Hangzhou officer, one waiting — so that 我的竞赛 and the inbox have something to show.

Everything goes through the contest services, which write the messages (`core.notifications`)
when `load_demo`'s transaction commits. No fact here comes from a seed: the contests are
examples of the sign-up flow, named and marked as demo."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from deltaunion.core.registry import DemoContext

NOTE = "演示数据：为展示职工自主报名与工会审批而设的示例竞赛，不是真实赛事。"
CONTESTS = (
    # title, stage, days from today, approved by the union
    ("杭州市职工电工技能竞赛（演示）", "决赛", 21, True),
    ("杭州市职工焊工技能竞赛（演示）", "决赛", 42, False),
)


def _open_stage(title: str, stage_name: str, days: int, admin: Any) -> Any:
    from deltaunion.contests import services
    from deltaunion.contests.models import Contest, ContestLevel, Stage
    from deltaunion.orgs.models import Organisation

    contest = Contest.objects.filter(title=title).first()
    if contest is None:
        lead = Organisation.objects.get(name="杭州市总工会")
        day = timezone.localdate() + dt.timedelta(days=days)
        contest = services.contest_create(
            title=title,
            lead_org=lead,
            by=admin,
            level=ContestLevel.CITY,
            starts_on=day,
            ends_on=day,
            description=NOTE,
            is_demo=True,
        )
        contest = services.contest_update(contest=contest, by=admin, status=Contest.Status.OPEN)
        venue = services.venue_add(contest=contest, name="杭州市职工技能实训基地（演示）", by=admin)
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))
        stage = services.stage_create(
            contest=contest,
            name=stage_name,
            by=admin,
            level=ContestLevel.CITY,
            venue=venue,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=8),
        )
        services.stage_set_status(stage=stage, status=Stage.Status.REGISTRATION, by=admin)
    return contest.stages.order_by("order").first()


def load(ctx: DemoContext) -> dict[str, int]:
    from deltaunion.accounts.models import User
    from deltaunion.contests import services
    from deltaunion.contests.models import Registration

    admin = User.objects.filter(username="admin").first()
    worker_login = User.objects.filter(username="worker", worker__isnull=False).first()
    officer = User.objects.filter(username="hz_officer").first()
    if admin is None or worker_login is None or officer is None:
        return {}
    made = 0
    for title, stage_name, days, approve in CONTESTS:
        stage = _open_stage(title, stage_name, days, admin)
        if stage is None or Registration.objects.filter(stage=stage, worker__user=worker_login).exists():
            continue
        stage.refresh_from_db()
        entry = services.registration_sign_up(stage=stage, by=worker_login)
        made += 1
        if approve:
            services.registration_decide(registration=entry, approve=True, by=officer)
    return {"sign_ups": made}

"""A points campaign with the Wuyi rules and two teams in an opened points contest led by
Zhejiang, written through the services, and workers with logins in two cities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from deltaunion.accounts.models import User
from deltaunion.campaigns import presets, services
from deltaunion.campaigns.models import Campaign
from deltaunion.contests.models import Contest, ContestFormat
from deltaunion.practice.tests.factories import make_workers, practice_contest

WUYI_RULES = presets.WUYI_RULES


@dataclass
class CampaignWorld:
    officer: User
    contest: Contest
    campaign: Campaign
    workers: list[User] = field(default_factory=list)
    ns: Any = None


def build_campaign_world(
    world: SimpleNamespace,
    *,
    n_workers: int = 4,
    workers: list[User] | None = None,
    contest_status: str = Contest.Status.OPEN,
    **campaign: Any,
) -> CampaignWorld:
    """Uses the root conftest `world`; `workers` reuses the workers of another world."""
    officer = world.zj_admin
    contest = practice_contest("测试减重大赛", world.zj, officer, format=ContestFormat.POINTS, status=contest_status)
    settings = {
        "title": "测试减重大赛",
        "starts_on": dt.date(2023, 7, 1),
        "ends_on": dt.date(2023, 8, 29),
        "rules": WUYI_RULES,
        "teams": ["一队", "二队"],
        "max_points": 490,
        **campaign,
    }
    made = services.campaign_create(contest=contest, by=officer, **settings)
    people = workers if workers is not None else make_workers(world, n_workers)
    return CampaignWorld(officer, contest, made, people, world)

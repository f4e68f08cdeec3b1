"""Points campaigns in the 404 matrix: a campaign of a draft contest led by Hangzhou (its
managers may see it; Hangzhou's officer has joined it, so that "my points" is theirs too)."""

import datetime as dt

from deltaunion.campaigns import services
from deltaunion.contests.models import Contest, ContestFormat
from deltaunion.core.testing import Obj
from deltaunion.practice.tests.factories import practice_contest


def build(world):
    officer = world.hz_officer
    drafting = practice_contest(
        "筹备中的积分赛", world.hz, officer, format=ContestFormat.POINTS, status=Contest.Status.DRAFT
    )
    campaign = services.campaign_create(
        contest=drafting,
        title="筹备中的积分赛",
        starts_on=dt.date(2023, 7, 1),
        ends_on=dt.date(2023, 8, 29),
        rules=[{"code": "walk", "name": "步行", "points": 1}],
        by=officer,
    )
    services.campaign_join(campaign=campaign, by=officer)
    return {"campaign_id": Obj(campaign.pk, owner=officer)}

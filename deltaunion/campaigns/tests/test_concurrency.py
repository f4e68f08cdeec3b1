"""Real concurrent connections on PostgreSQL: caps hold when one person submits many actions at
the same moment, and the same event sent at once earns once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from deltaunion.campaigns import services
from deltaunion.campaigns.models import CampaignMember, PointAward
from deltaunion.contests.tests.test_concurrency import run_together

from .factories import build_campaign_world

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent connections"),
]


def test_caps_hold_under_concurrent_actions_of_one_person(world):
    pw = build_campaign_world(world)
    user = pw.workers[0]
    services.campaign_join(campaign=pw.campaign, by=user)
    meal = pw.campaign.rules.get(code="meal")  # 1 point each, 3 a day
    day = dt.date(2023, 7, 1)

    def job(i):
        return lambda: services.action_log(
            campaign=pw.campaign,
            by=user,
            rule=meal,
            source_key=f"meal-{i}",
            occurred_on=day,
            today=dt.date(2023, 8, 1),
        )

    results = run_together([job(i) for i in range(10)])
    assert not [r for r in results if isinstance(r, Exception)], results
    awards = PointAward.objects.filter(member__user=user, rule=meal)
    assert awards.count() == 10 and sum(a.points for a in awards) == 3
    assert CampaignMember.objects.get(campaign=pw.campaign, user=user).points == 3


def test_the_same_event_at_once_earns_once(world):
    pw = build_campaign_world(world)
    user = pw.workers[0]
    services.campaign_join(campaign=pw.campaign, by=user)
    activity = pw.campaign.rules.get(code="activity")
    results = run_together(
        [
            lambda: services.action_log(
                campaign=pw.campaign,
                by=user,
                rule=activity,
                source_key="same",
                occurred_on=dt.date(2023, 7, 2),
                today=dt.date(2023, 8, 1),
            )
        ]
        * 6
    )
    assert sum(1 for r in results if not isinstance(r, Exception) and r[1]) == 1
    assert CampaignMember.objects.get(campaign=pw.campaign, user=user).points == 10

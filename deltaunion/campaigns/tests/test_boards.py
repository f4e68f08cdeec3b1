"""Campaign boards: every board adds up points; the Redis boards equal the database's and a
rebuild (`rebuild_leaderboards`, which walks every registered kind) gives them back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from deltaunion.campaigns import services
from deltaunion.campaigns.models import CampaignMember
from deltaunion.core import leaderboards

from .factories import build_campaign_world

needs_redis = pytest.mark.skipif(not leaderboards.uses_redis(), reason="needs REDIS_URL (runs in CI's Redis pass)")
TODAY = dt.date(2023, 8, 1)


def _log(cw, user, code: str, key: str, day: int) -> None:
    rule = cw.campaign.rules.get(code=code)
    services.action_log(
        campaign=cw.campaign, by=user, rule=rule, source_key=key, occurred_on=dt.date(2023, 7, day), today=TODAY
    )


@pytest.fixture
def cw(world):
    cw = build_campaign_world(world, n_workers=4)
    one, two = cw.campaign.teams.order_by("name")
    for i, user in enumerate(cw.workers):
        services.campaign_join(campaign=cw.campaign, by=user, team=one if i % 2 else two)
    return cw


@pytest.mark.django_db(transaction=True)
def test_campaign_boards_add_up_points(cw):
    a, b, c, _d = cw.workers
    _log(cw, a, "activity", "a1", 3)
    _log(cw, a, "exercise", "a2", 3)
    _log(cw, b, "activity", "b1", 4)
    _log(cw, c, "meal", "c1", 4)
    person = leaderboards.Board("campaign", cw.campaign.pk, "person")
    assert [(e.member, e.score) for e in leaderboards.top(person, 10)] == [
        (str(a.pk), 13),
        (str(b.pk), 10),
        (str(c.pk), 1),
    ]
    team = leaderboards.Board("campaign", cw.campaign.pk, "team")
    totals = {str(m.team_id): 0 for m in CampaignMember.objects.filter(campaign=cw.campaign)}
    for m in CampaignMember.objects.filter(campaign=cw.campaign):
        totals[str(m.team_id)] += m.points
    assert {e.member: e.score for e in leaderboards.top(team, 10)} == {k: v for k, v in totals.items() if v}
    view = leaderboards.view(team, a, top_n=5, neighbours=1)
    assert {r["label"] for r in view.top} <= {"一队", "二队"}
    mine, _near = leaderboards.around(person, str(b.pk), 1)
    assert mine.rank == 2


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_rebuilt_redis_boards_equal_the_live_ones(cw):
    for i, user in enumerate(cw.workers):
        _log(cw, user, "exercise", f"e{i}", 3 + i)
        _log(cw, user, "activity", f"a{i}", 5)
    boards = leaderboards.boards_of("campaign", cw.campaign.pk)
    live = {b.key: sorted(leaderboards.redis_entries(b)) for b in boards}
    assert any(live.values())
    for b in boards:  # the live board is what the database says
        assert live[b.key] == sorted(leaderboards.db_entries(b)), b
    r = leaderboards.redis_client()
    for b in boards:
        r.delete(b.key)
    call_command("rebuild_leaderboards", campaign=[cw.campaign.pk], stdout=open("/dev/null", "w"))
    assert {b.key: sorted(leaderboards.redis_entries(b)) for b in boards} == live

"""The campaigns demo data (`manage.py load_demo`): the Wuyi campaign of seeds/004 within every
cap, its posts, idempotence."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count

from deltaunion.accounts.models import User
from deltaunion.campaigns import demo, stats
from deltaunion.campaigns.models import Campaign, CampaignMember, PointAward
from deltaunion.community.models import Post
from deltaunion.community.selectors import posts_for
from deltaunion.contests.models import Contest
from deltaunion.core.models import AuditEntry

pytestmark = pytest.mark.usefixtures("demo_data", "db")

# The seed's rules (seeds/004): (name, points, once only, per day, per week, total, measured value)
SEED_RULES = [
    ("赛前体质测", 20, True, None, None, None, "体重（kg）"),
    ("达到运动目标", 3, False, 3, None, 180, ""),
    ("上传膳食记录", 1, False, 3, None, 180, ""),
    ("线下健身活动", 10, False, None, None, 50, ""),
    ("每周测量体重腰围", 5, False, None, 5, 40, "体重（kg）"),
    ("赛后体测", 20, True, None, None, None, "体重（kg）"),
]


def _campaign() -> Campaign:
    return Campaign.objects.select_related("contest__lead_org").get(title=demo.WUYI_TITLE)


def test_wuyi_campaign_is_the_seeds_configuration():
    campaign = _campaign()
    contest = campaign.contest
    assert contest.format == "points" and contest.lead_org.name == "武义县总工会"
    assert contest.lead_org.region_id == "330723" and contest.lead_org.parent.name == "金华市总工会"
    assert (contest.starts_on, contest.ends_on) == (dt.date(2023, 7, 1), dt.date(2023, 8, 29))
    assert "武义县卫生健康局" in contest.description and contest.source == "seeds/004"
    assert (campaign.starts_on, campaign.ends_on) == (dt.date(2023, 7, 1), dt.date(2023, 8, 29))
    assert campaign.max_points == 490 and campaign.is_demo
    rules = [
        (r.name, r.points, r.once_only, r.per_day_cap, r.per_week_cap, r.total_cap, r.value_label)
        for r in campaign.rules.all()
    ]
    assert rules == SEED_RULES
    assert sum(total or points for _n, points, _o, _d, _w, total, _v in SEED_RULES) == 490


def test_wuyi_members_in_teams_within_every_cap():
    campaign = _campaign()
    members = CampaignMember.objects.filter(campaign=campaign)
    assert members.count() == 220
    assert not members.filter(team__isnull=True).exists()
    teams = campaign.teams.annotate(n=Count("members"))
    assert teams.count() == demo.WUYI_TEAMS and {t.n for t in teams} == {10}
    assert all(t.captain_id and members.filter(team=t, user_id=t.captain_id).exists() for t in teams)
    assert all(m.team_key == str(m.team_id) and m.city_code == "330700" for m in members)

    rules = {r.pk: r for r in campaign.rules.all()}
    awards = PointAward.objects.filter(campaign=campaign)
    assert awards.count() > 220 * 100
    points = defaultdict(int)
    total = defaultdict(int)
    day = defaultdict(int)
    week = defaultdict(int)
    times = Counter()
    for member_id, rule_id, on, value, got, asked in awards.values_list(
        "member_id", "rule_id", "occurred_on", "value", "points", "requested"
    ):
        rule = rules[rule_id]
        assert campaign.starts_on <= on <= campaign.ends_on
        assert 0 <= got <= asked == rule.points
        assert (value is not None) == bool(rule.value_label)
        points[member_id] += got
        total[(member_id, rule_id)] += got
        day[(member_id, rule_id, on)] += got
        week[(member_id, rule_id, on - dt.timedelta(days=on.weekday()))] += got
        times[(member_id, rule_id)] += 1
    for (_m, r), n in total.items():
        assert rules[r].total_cap is None or n <= rules[r].total_cap
    for (_m, r, _d), n in day.items():
        assert rules[r].per_day_cap is None or n <= rules[r].per_day_cap
    for (_m, r, _w), n in week.items():
        assert rules[r].per_week_cap is None or n <= rules[r].per_week_cap
    for (_m, r), n in times.items():
        assert not rules[r].once_only or n == 1
    for member in members:
        assert member.points == points[member.pk] <= 490
        assert member.on_board == (member.points > 0)
    # The caps bite somewhere (capped actions earn 0), and the weights give a best-loss list.
    assert awards.filter(points=0).exists()
    losses = stats.best_loss(campaign)
    assert losses and all(0 < row.value <= 8 for row in losses)


def test_the_organisers_news_and_members_results():
    campaign = _campaign()
    about = posts_for(User.objects.get(username="zj_admin"), subject=campaign.contest)
    assert about.filter(kind="news").count() == 3
    assert about.filter(kind="result").count() >= 3
    assert campaign.contest.status == Contest.Status.FINISHED


def test_loading_again_adds_nothing():
    models = [*apps.get_app_config("campaigns").get_models(), Post, User, Contest, AuditEntry]

    def counts():
        return {m.__name__: m.objects.count() for m in models}

    before = counts()
    call_command("load_demo", quiet=True)
    assert counts() == before

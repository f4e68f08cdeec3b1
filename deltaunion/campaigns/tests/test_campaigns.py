"""Points campaigns as data: the Wuyi rules, caps, once-only, per-week, one award per source event, streaks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from deltaunion.campaigns import rules, selectors, services
from deltaunion.campaigns.models import CampaignMember, PointAward
from deltaunion.core.audit import history_for

from .factories import WUYI_RULES, build_campaign_world

pytestmark = pytest.mark.usefixtures("english")
TODAY = dt.date(2023, 8, 29)


@pytest.fixture
def pw(world):
    pw = build_campaign_world(world)
    for user in pw.workers:
        services.campaign_join(campaign=pw.campaign, by=user, team=pw.campaign.teams.first())
    return pw


def log(pw, user, code, key, day, value=None):
    rule = pw.campaign.rules.get(code=code)
    award, _created = services.action_log(
        campaign=pw.campaign, by=user, rule=rule, source_key=key, occurred_on=day, value=value, today=TODAY
    )
    return award


def test_the_wuyi_scheme_adds_up_to_490():
    total = 0
    for r in WUYI_RULES:
        total += r.get("total_cap") or r["points"]
    assert total == 490


def test_per_day_cap_and_total_cap(pw):
    user = pw.workers[0]
    day = dt.date(2023, 7, 1)
    assert [log(pw, user, "meal", f"m{i}", day).points for i in range(4)] == [1, 1, 1, 0]
    # exercise: 3 a day, 180 in all = 60 days
    for i in range(61):
        log(pw, user, "exercise", f"e{i}", day + dt.timedelta(days=i % 60) if i < 60 else dt.date(2023, 8, 29))
    member = CampaignMember.objects.get(campaign=pw.campaign, user=user)
    exercise = sum(PointAward.objects.filter(member=member, rule__code="exercise").values_list("points", flat=True))
    assert exercise == 180
    assert member.points == 3 + 180


def test_per_week_cap(pw):
    user = pw.workers[0]
    monday = dt.date(2023, 7, 3)
    assert log(pw, user, "weigh-in", "w1", monday, "80.5").points == 5
    assert log(pw, user, "weigh-in", "w2", monday + dt.timedelta(days=6), "80.1").points == 0  # same week
    assert log(pw, user, "weigh-in", "w3", monday + dt.timedelta(days=7), "79.9").points == 5


def test_once_only_and_measured_value(pw):
    user = pw.workers[0]
    with pytest.raises(ValidationError, match="Enter the 体重"):
        log(pw, user, "pre-test", "p0", dt.date(2023, 7, 1))
    assert log(pw, user, "pre-test", "p1", dt.date(2023, 7, 1), "82").points == 20
    with pytest.raises(ValidationError, match="only once"):
        log(pw, user, "pre-test", "p2", dt.date(2023, 7, 2), "81")
    assert PointAward.objects.filter(member__user=user).count() == 1


def test_the_same_source_event_never_earns_twice(pw):
    user, other = pw.workers[0], pw.workers[1]
    first = log(pw, user, "activity", "evt-1", dt.date(2023, 7, 5))
    again = log(pw, user, "activity", "evt-1", dt.date(2023, 7, 5))
    assert first.pk == again.pk
    with pytest.raises(ValidationError, match="already used"):
        log(pw, other, "activity", "evt-1", dt.date(2023, 7, 5))
    assert CampaignMember.objects.get(campaign=pw.campaign, user=user).points == 10


def test_bad_actions_change_nothing(pw):
    user = pw.workers[0]
    with pytest.raises(ValidationError, match="runs from"):
        log(pw, user, "meal", "x1", dt.date(2023, 9, 1))
    with pytest.raises(ValidationError, match="future"):
        services.action_log(
            campaign=pw.campaign,
            by=user,
            rule=pw.campaign.rules.get(code="meal"),
            source_key="x2",
            occurred_on=dt.date(2023, 7, 10),
            today=dt.date(2023, 7, 9),
        )
    outsider = pw.ns.nobody
    with pytest.raises(ValidationError, match="Join the campaign first"):
        services.action_log(
            campaign=pw.campaign,
            by=outsider,
            rule=pw.campaign.rules.get(code="meal"),
            source_key="x3",
            occurred_on=dt.date(2023, 7, 1),
            today=TODAY,
        )
    assert not PointAward.objects.exists()


def test_rules_are_validated(pw):
    with pytest.raises(ValidationError, match="every cap at least"):
        services.campaign_rule_save(
            campaign=pw.campaign, by=pw.officer, rule={"code": "x", "name": "坏", "points": 5, "total_cap": 3}
        )


def test_streaks():
    d = dt.date(2023, 7, 1)
    days = [d, d + dt.timedelta(1), d + dt.timedelta(2), d + dt.timedelta(5), d + dt.timedelta(6)]
    assert selectors.streaks(days, d + dt.timedelta(6)) == (2, 3)
    assert selectors.streaks(days, d + dt.timedelta(9)) == (0, 3)
    assert selectors.streaks([], d) == (0, 0)


def test_me_shows_points_streak_and_rank(pw):
    user = pw.workers[0]
    log(pw, user, "meal", "m1", dt.date(2023, 8, 28))
    log(pw, user, "meal", "m2", dt.date(2023, 8, 29))
    me = selectors.campaign_me(pw.campaign, user, today=TODAY)
    assert me["points"] == 2 and me["streak"] == 2


def test_joining_and_logging_are_audited(pw):
    user = pw.workers[0]
    member = CampaignMember.objects.get(campaign=pw.campaign, user=user)
    assert history_for(member).get().action == "campaign.join"
    award = log(pw, user, "meal", "m1", dt.date(2023, 7, 1))
    entry = history_for(award).get()
    assert entry.action == "campaign.log" and entry.actor == user and entry.after["points"] == 1
    log(pw, user, "meal", "m1", dt.date(2023, 7, 1))  # the same event again: no second entry
    assert history_for(award).count() == 1


# Rules pinned against the survivors of mutation testing (issue 19): each test fails if the rule
# it names is dropped or moved by one.


def test_the_total_cap_binds_on_a_fresh_day(pw):
    # 线下健身活动: 10 points, 50 in all, no daily cap — the sixth activity, on its own day, earns nothing.
    user = pw.workers[0]
    days = [dt.date(2023, 7, 1) + dt.timedelta(days=i) for i in range(7)]
    assert [log(pw, user, "activity", f"a{i}", day).points for i, day in enumerate(days)] == [10, 10, 10, 10, 10, 0, 0]
    assert CampaignMember.objects.get(campaign=pw.campaign, user=user).points == 50


def test_the_campaign_wide_maximum_binds(world):
    pw = build_campaign_world(world, max_points=25)
    user = pw.workers[0]
    services.campaign_join(campaign=pw.campaign, by=user)
    days = [dt.date(2023, 7, 1) + dt.timedelta(days=i) for i in range(4)]
    assert [log(pw, user, "activity", f"a{i}", day).points for i, day in enumerate(days)] == [10, 10, 5, 0]
    assert CampaignMember.objects.get(campaign=pw.campaign, user=user).points == 25


def test_no_maximum_means_no_campaign_wide_cap(world):
    pw = build_campaign_world(world, max_points=None)
    user = pw.workers[0]
    services.campaign_join(campaign=pw.campaign, by=user)
    for i in range(5):
        log(pw, user, "activity", f"a{i}", dt.date(2023, 7, 1) + dt.timedelta(days=i))
    log(pw, user, "pre-test", "p", dt.date(2023, 7, 1), "80")
    assert CampaignMember.objects.get(campaign=pw.campaign, user=user).points == 70


def test_the_same_source_key_in_two_campaigns_is_two_actions(world):
    first = build_campaign_world(world)
    second = build_campaign_world(world, workers=first.workers, title="第二次减重大赛")
    user = first.workers[0]
    services.campaign_join(campaign=first.campaign, by=user)
    services.campaign_join(campaign=second.campaign, by=user)
    a = log(first, user, "activity", "evt-1", dt.date(2023, 7, 5))
    rule = second.campaign.rules.get(code="activity")
    b, created = services.action_log(
        campaign=second.campaign, by=user, rule=rule, source_key="evt-1", occurred_on=dt.date(2023, 7, 5), today=TODAY
    )
    assert created and b.pk != a.pk
    assert b.campaign_id == second.campaign.pk and b.member.campaign_id == second.campaign.pk
    assert CampaignMember.objects.get(campaign=first.campaign, user=user).points == 10
    assert CampaignMember.objects.get(campaign=second.campaign, user=user).points == 10


def test_a_rule_of_another_campaign_is_refused(world):
    first = build_campaign_world(world)
    second = build_campaign_world(world, workers=first.workers, title="第二次减重大赛")
    user = first.workers[0]
    services.campaign_join(campaign=first.campaign, by=user)
    with pytest.raises(ValidationError, match="not in this campaign"):
        services.action_log(
            campaign=first.campaign,
            by=user,
            rule=second.campaign.rules.get(code="activity"),
            source_key="x",
            occurred_on=dt.date(2023, 7, 5),
            today=TODAY,
        )


@pytest.mark.parametrize("offset", range(7))
def test_a_week_runs_monday_to_sunday(offset):
    monday = dt.date(2023, 7, 3)
    assert rules.week_bounds(monday + dt.timedelta(days=offset)) == (monday, dt.date(2023, 7, 9))


def test_the_weekly_cap_counts_sunday_with_its_own_week(pw):
    user = pw.workers[0]
    sunday = dt.date(2023, 7, 9)
    assert log(pw, user, "weigh-in", "w1", sunday, "80").points == 5
    assert log(pw, user, "weigh-in", "w2", sunday + dt.timedelta(days=1), "79.8").points == 5  # next Monday
    assert log(pw, user, "weigh-in", "w3", sunday - dt.timedelta(days=6), "80.2").points == 0  # that week's Monday


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1000000", "NaN", "Infinity", "1e7"])
def test_a_measured_value_must_be_a_positive_number_below_a_million(pw, value):
    with pytest.raises(ValidationError):
        log(pw, pw.workers[0], "pre-test", "p1", dt.date(2023, 7, 1), value)
    assert not PointAward.objects.exists()


@pytest.mark.parametrize("value", ["0.1", "82", "999999.9"])
def test_measured_values_inside_the_range_are_kept_exactly(pw, value):
    from decimal import Decimal

    award = log(pw, pw.workers[0], "pre-test", "p1", dt.date(2023, 7, 1), value)
    assert award.value == Decimal(value) and award.points == 20

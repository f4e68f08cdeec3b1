"""The campaign pages: the workers' (join with a team, log an action once, the measured value,
my points) and the officers' (create with rules and teams, the Wuyi preset, rules, teams,
enrolment, award standings, history), who may see them, and campaigns of draft contests."""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from deltaunion.accounts.tests.factories import UserFactory
from deltaunion.campaigns import services
from deltaunion.campaigns.models import Campaign, CampaignMember, PointAward
from deltaunion.contests.models import Contest, ContestFormat
from deltaunion.people.tests.factories import WorkerFactory
from deltaunion.practice.tests.factories import practice_contest

from .factories import build_campaign_world

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are matched by their English source text; Chinese pages are checked where said."""
    client.cookies["django_language"] = "en"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _login(client, user, english: bool = False):
    client.force_login(user)
    if english:
        client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def cw(world) -> SimpleNamespace:
    """A running points contest of 杭州市总工会 with a campaign of two rules and two teams, running now."""
    officer = world.hz_officer
    contest = practice_contest(
        "杭州市职工健步走积分赛", world.hz, officer, format=ContestFormat.POINTS, status="running"
    )
    today = timezone.localdate()
    campaign = services.campaign_create(
        contest=contest,
        title="健步走积分赛",
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=10),
        rules=[
            {"code": "walk", "name": "步行一万步", "points": 3, "per_day_cap": 3},
            {"code": "weigh", "name": "每周称重", "points": 5, "per_week_cap": 5, "value_label": "体重（kg）"},
        ],
        teams=["一队", "二队"],
        by=officer,
    )
    return SimpleNamespace(**vars(world), campaign=campaign)


@pytest.fixture
def pw(world):
    """The Zhejiang campaign with the Wuyi rules, for the officers' pages."""
    return build_campaign_world(world, n_workers=2)


def _pages(campaign) -> list[str]:
    return [
        reverse("campaigns:manage"),
        reverse("campaigns:manage_create"),
        reverse("campaigns:manage_create") + "?preset=wuyi",
        reverse("campaigns:manage_campaign", args=[campaign.pk]),
        reverse("campaigns:manage_members", args=[campaign.pk]),
        reverse("campaigns:manage_standings", args=[campaign.pk]),
        reverse("practice:manage_stats") + f"?campaign={campaign.pk}",
        reverse("practice:manage_stats") + f"?subject=campaign:{campaign.pk}",
    ]


def _exports(campaign) -> list[str]:
    return [
        reverse("campaigns:manage_export"),
        reverse("campaigns:manage_members_export", args=[campaign.pk]),
        reverse("campaigns:manage_standings_export", args=[campaign.pk]),
        reverse("practice:manage_stats_export") + f"?subject=campaign:{campaign.pk}",
    ]


def test_every_page_renders_for_a_worker(client, cw):
    _login(client, cw.worker)
    services.campaign_join(campaign=cw.campaign, by=cw.worker)
    pages = [
        reverse("campaigns:list"),
        reverse("campaigns:list") + "?show=mine",
        reverse("campaigns:list") + "?show=all",
        reverse("campaigns:detail", args=[cw.campaign.pk]),
        *[reverse("practice:board", args=["campaign", cw.campaign.pk]) + f"?level={lv}" for lv in ("person", "team")],
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    home = client.get(reverse("practice:home")).content.decode()
    assert cw.campaign.title in home and 'data-testid="home-campaigns"' in home


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_officer_page_renders_for_the_managing_officer(client, pw, language):
    client.cookies["django_language"] = language
    client.force_login(pw.officer)
    for url in _pages(pw.campaign):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'data-testid="manage-nav"' in response.content, url
    for url in _exports(pw.campaign):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == XLSX, url
    overview = client.get(reverse("practice:manage")).content.decode()
    assert pw.campaign.title in overview and 'data-testid="tile-campaigns"' in overview


def test_officer_pages_are_404_for_others(client, pw, world):
    for user in (world.nobody, pw.workers[0]):
        client.force_login(user)
        for url in [*_pages(pw.campaign), *_exports(pw.campaign)]:
            assert client.get(url).status_code == 404, url
    # The Suzhou officer manages a union, but not Zhejiang's campaign, which every worker may see.
    client.force_login(world.sz_officer)
    assert client.get(reverse("campaigns:manage")).status_code == 200
    for url in [*_pages(pw.campaign)[3:], *_exports(pw.campaign)[1:]]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("campaigns:manage_team", args=[pw.campaign.pk]), {"name": "x"}).status_code == 404
    assert pw.campaign.title.encode() not in client.get(reverse("campaigns:manage")).content
    assert not pw.campaign.teams.filter(name="x").exists()


def test_a_campaign_of_a_draft_contest_is_for_its_managers_only(client, world):
    drafting = practice_contest(
        "筹备中的积分赛", world.hz, world.hz_officer, format=ContestFormat.POINTS, status="draft"
    )
    today = timezone.localdate()
    campaign = services.campaign_create(
        contest=drafting,
        title="筹备中的积分赛",
        starts_on=today,
        ends_on=today + dt.timedelta(days=5),
        rules=[{"code": "walk", "name": "步行", "points": 1}],
        by=world.hz_officer,
    )
    urls = [
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("practice:board", args=["campaign", campaign.pk]),
    ]
    for user in (world.worker, world.sz_officer, world.nobody):
        client.force_login(user)
        assert "筹备中的积分赛" not in client.get(reverse("campaigns:list") + "?show=all").content.decode()
        assert "筹备中的积分赛" not in client.get(reverse("practice:home")).content.decode()
        for url in urls:
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("campaigns:join", args=[campaign.pk])).status_code == 404
    assert not CampaignMember.objects.filter(campaign=campaign).exists()
    client.force_login(world.hz_officer)
    for url in urls:
        assert client.get(url).status_code == 200, url
    from deltaunion.contests import services as contest_services

    contest_services.contest_set_status(contest=drafting, status=Contest.Status.OPEN, by=world.hz_officer)
    client.force_login(world.worker)
    assert client.get(urls[0]).status_code == 200
    client.post(reverse("campaigns:join", args=[campaign.pk]))
    assert CampaignMember.objects.filter(campaign=campaign, user=world.worker).exists()


def test_the_campaign_page_shows_its_history_in_words(client, pw):
    services.campaign_rule_save(
        campaign=pw.campaign, by=pw.officer, rule={"code": "meal", "name": "上传膳食记录", "points": 2}
    )
    services.campaign_team_add(campaign=pw.campaign, name="三队", by=pw.officer)
    client.cookies["django_language"] = "zh-hans"
    client.force_login(pw.officer)
    html = client.get(reverse("campaigns:manage_campaign", args=[pw.campaign.pk])).content.decode()
    history = html[html.index('data-testid="history"') :]
    assert "修改了积分规则" in history and "添加了队伍" in history and "创建了积分赛" in history
    assert "每次积分" in history  # the rule's changed field, by its name
    for code in ("campaign_rule.update", "campaign.team_add", "per_day_cap", "points", "contest_id"):
        assert code not in history, code


# --- the workers' pages ---------------------------------------------------------------------------------


def test_join_with_a_team_and_log_an_action_once(client, cw, django_capture_on_commit_callbacks):
    _login(client, cw.worker, english=True)
    team = cw.campaign.teams.get(name="二队")
    client.post(reverse("campaigns:join", args=[cw.campaign.pk]), {"team": team.pk})
    member = CampaignMember.objects.get(campaign=cw.campaign, user=cw.worker)
    assert member.team == team
    walk = cw.campaign.rules.get(code="walk")
    data = {"rule": walk.pk, "occurred_on": timezone.localdate().isoformat(), "source_key": uuid.uuid4().hex}
    url = reverse("campaigns:log", args=[cw.campaign.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data, follow=True).content.decode()
    assert "Recorded: 3 points" in first
    second = client.post(url, data, follow=True).content.decode()
    assert "already recorded" in second
    assert PointAward.objects.filter(campaign=cw.campaign).count() == 1
    member.refresh_from_db()
    assert member.points == 3
    # Another walk the same day: a new action, but the daily cap is reached.
    third = client.post(url, {**data, "source_key": uuid.uuid4().hex}, follow=True).content.decode()
    assert "no points" in third
    member.refresh_from_db()
    assert member.points == 3
    page = client.get(reverse("campaigns:detail", args=[cw.campaign.pk])).content.decode()
    assert 'data-testid="my-points">3<' in page and 'data-testid="recent"' in page
    board = client.get(reverse("practice:board_partial", args=["campaign", cw.campaign.pk]) + "?level=team")
    assert "二队" in board.content.decode()


def test_a_measured_value_is_required_when_the_rule_asks_for_one(client, cw):
    _login(client, cw.worker, english=True)
    services.campaign_join(campaign=cw.campaign, by=cw.worker)
    weigh = cw.campaign.rules.get(code="weigh")
    data = {"rule": weigh.pk, "occurred_on": timezone.localdate().isoformat(), "source_key": uuid.uuid4().hex}
    response = client.post(reverse("campaigns:log", args=[cw.campaign.pk]), data)
    assert response.status_code == 200 and "Enter the 体重（kg）" in response.content.decode()
    assert not PointAward.objects.exists()
    response = client.post(reverse("campaigns:log", args=[cw.campaign.pk]), {**data, "value": "72.5"})
    assert response.status_code == 302
    assert PointAward.objects.get().value == pytest.approx(72.5)


def test_logging_before_joining_says_so(client, cw):
    _login(client, cw.worker, english=True)
    walk = cw.campaign.rules.get(code="walk")
    data = {"rule": walk.pk, "occurred_on": timezone.localdate().isoformat(), "source_key": "k1"}
    html = client.post(reverse("campaigns:log", args=[cw.campaign.pk]), data).content.decode()
    assert "Join the campaign first" in html
    assert 'data-testid="join"' in html


# --- the officers' pages ------------------------------------------------------------------------------------------


def test_campaign_create_with_rules_and_teams(client, pw, world):
    client.force_login(pw.officer)
    data = {
        "new_contest_lead": world.zj.pk,
        "title": "健步走积分赛",
        "starts_on": "2024-03-01",
        "ends_on": "2024-05-31",
        "max_points": "200",
        "open_to_join": "on",
        "teams": "红队\n蓝队\n",
        "rule_code": ["walk", "weigh", ""],
        "rule_name": ["每日一万步", "每周称重", ""],
        "rule_points": ["2", "5", ""],
        "rule_once_only": ["", "", ""],
        "rule_per_day_cap": ["2", "", ""],
        "rule_per_week_cap": ["", "5", ""],
        "rule_total_cap": ["150", "50", ""],
        "rule_value_label": ["", "体重（kg）", ""],
    }
    response = client.post(reverse("campaigns:manage_create"), data)
    campaign = Campaign.objects.get(title="健步走积分赛")
    assert response["Location"] == reverse("campaigns:manage_campaign", args=[campaign.pk])
    assert campaign.contest.format == ContestFormat.POINTS and campaign.max_points == 200
    rules = list(
        campaign.rules.values_list("code", "points", "per_day_cap", "per_week_cap", "total_cap", "value_label")
    )
    assert rules == [("walk", 2, 2, None, 150, ""), ("weigh", 5, None, 5, 50, "体重（kg）")]
    assert sorted(campaign.teams.values_list("name", flat=True)) == ["红队", "蓝队"]


def test_campaign_create_with_a_bad_rule_creates_nothing(client, pw, world):
    client.force_login(pw.officer)
    campaigns, contests = Campaign.objects.count(), Contest.objects.count()
    data = {
        "new_contest_lead": world.zj.pk,
        "title": "坏规则",
        "starts_on": "2024-03-01",
        "ends_on": "2024-05-31",
        "rule_code": ["walk"],
        "rule_name": ["每日一万步"],
        "rule_points": ["5"],
        "rule_per_day_cap": ["2"],  # below the points of one action
    }
    response = client.post(reverse("campaigns:manage_create"), data)
    assert response.status_code == 200
    assert "every cap at least the points of one action" in response.content.decode()
    assert (Campaign.objects.count(), Contest.objects.count()) == (campaigns, contests)


def test_wuyi_preset_fills_the_rules(client, pw):
    client.force_login(pw.officer)
    response = client.get(reverse("campaigns:manage_create") + "?preset=wuyi")
    html = response.content.decode()
    for code in ("pre-test", "exercise", "meal", "activity", "weigh-in", "post-test"):
        assert f'value="{code}"' in html


def test_campaign_rule_save_team_add_and_enrol(client, pw, world):
    client.force_login(pw.officer)
    url = reverse("campaigns:manage_rule", args=[pw.campaign.pk])
    client.post(url, {"rule_code": "meal", "rule_name": "上传膳食记录", "rule_points": "2", "rule_total_cap": "100"})
    meal = pw.campaign.rules.get(code="meal")
    assert (meal.points, meal.total_cap, meal.per_day_cap) == (2, 100, None)
    client.post(url, {"rule_code": "share", "rule_name": "分享心得", "rule_points": "5", "rule_once_only": "1"})
    assert pw.campaign.rules.get(code="share").once_only
    client.post(reverse("campaigns:manage_team", args=[pw.campaign.pk]), {"name": "三队"})
    assert pw.campaign.teams.filter(name="三队").exists()
    # Enrol a Zhejiang worker into a team; a Suzhou worker is not the officer's to enrol.
    hz_user = UserFactory(username="hz_walker")
    WorkerFactory(organisation=world.hz_unit, employer=world.hz_employer, user=hz_user)
    team = pw.campaign.teams.get(name="三队")
    enrol = reverse("campaigns:manage_enrol", args=[pw.campaign.pk])
    client.post(enrol, {"username": "hz_walker", "team": team.pk})
    assert CampaignMember.objects.get(campaign=pw.campaign, user=hz_user).team == team
    response = client.post(enrol, {"username": pw.workers[1].username})  # Suzhou
    assert not CampaignMember.objects.filter(campaign=pw.campaign, user=pw.workers[1]).exists()
    assert "No worker of the unions you manage" in _messages(response)[-1]
    members = client.get(reverse("campaigns:manage_members", args=[pw.campaign.pk]) + f"?team={team.pk}")
    assert members.content.count(b'data-testid="member-row"') == 1


def test_standings_page_shows_the_three_awards(client, pw):
    import datetime as dt

    author = pw.workers[0]
    services.campaign_join(campaign=pw.campaign, by=author)
    rules = {r.code: r for r in pw.campaign.rules.all()}
    for code, day, value in (("pre-test", 1, "80"), ("post-test", 20, "75")):
        services.action_log(
            campaign=pw.campaign,
            by=author,
            rule=rules[code],
            source_key=code,
            occurred_on=dt.date(2023, 7, day),
            value=value,
            today=dt.date(2023, 8, 1),
        )
    client.force_login(pw.officer)
    html = client.get(reverse("campaigns:manage_standings", args=[pw.campaign.pk])).content.decode()
    assert html.count('data-testid="loss-row"') == 1 and "5.00" in html
    assert html.count('data-testid="streak-row"') == 1
    assert html.count('data-testid="team-row"') == 2

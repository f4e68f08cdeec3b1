"""Campaign statistics, checked against hand-counted values: a campaign's report, the report
of an organisation (quizzes and campaigns of its workers, through the registered sources), and
the standings of the Wuyi awards.

The fixture is practice's (tests/test_stats.py): three participating units of the quiz, four
participants, posts of the quiz's contest; plus a points campaign of Zhejiang.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from deltaunion.campaigns import services as campaigns
from deltaunion.campaigns import stats as standings
from deltaunion.campaigns.tests.factories import build_campaign_world
from deltaunion.practice import stats
from deltaunion.practice.tests.test_stats import _worker_user
from deltaunion.practice.tests.test_stats import fx as practice_fx  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def fx(practice_fx, world):  # noqa: F811
    practice_fx.cw = build_campaign_world(world, n_workers=0)
    return practice_fx


def test_organisation_report_counts_the_workers_of_its_subtree(fx):
    world, cw = fx.world, fx.cw
    u5 = _worker_user("参赛戊", world.hz_unit, world.hz_employer)
    campaigns.campaign_join(campaign=cw.campaign, by=u5)
    campaigns.campaign_join(campaign=cw.campaign, by=fx.u1)
    rule = cw.campaign.rules.get(code="exercise")
    campaigns.action_log(
        campaign=cw.campaign,
        by=u5,
        rule=rule,
        source_key="u5-1",
        occurred_on=dt.date(2023, 7, 2),
        today=dt.date(2023, 8, 1),
    )
    hz = stats.report(stats.Subject.for_org(world.hz))
    # u1, u2, u4 in the quiz and u5 in the campaign; u3 belongs to Suzhou.
    assert hz.participants == 4
    assert hz.units == 2
    assert {r.ownership: r.units for r in hz.by_ownership if r.units} == {"private": 1, "state": 1}
    assert [r.share for r in hz.by_ownership if r.units] == [Decimal("50.0"), Decimal("50.0")]
    assert hz.attempts == 4  # u1's two, u2's and u4's
    assert hz.quiz_answers == 3
    assert hz.actions == 1 and hz.points == 3
    # The posts of the unions under Hangzhou: u1's, u2's, u4's skill/result posts and the one
    # without a contest; the hidden post (u3, Suzhou) and the news (posted in Zhejiang) are not.
    assert {k.kind: k.posts for k in hz.by_kind} == {"news": 0, "skill": 3, "result": 1}
    private = next(u for u in hz.unit_rows if u.ownership == "private")
    assert (private.participants, private.members, private.rate) == (3, 5, Decimal("60.0"))

    js = stats.report(stats.Subject.for_org(world.js))
    assert js.participants == 1 and js.units == 1 and js.attempts == 1


def test_campaign_report_counts_its_members_and_actions(fx):
    cw = fx.cw
    campaigns.campaign_join(campaign=cw.campaign, by=fx.u1)
    campaigns.campaign_join(campaign=cw.campaign, by=fx.u3)
    rule = cw.campaign.rules.get(code="meal")
    for i, day in enumerate((2, 2, 3)):
        campaigns.action_log(
            campaign=cw.campaign,
            by=fx.u1,
            rule=rule,
            source_key=f"m{i}",
            occurred_on=dt.date(2023, 7, day),
            today=dt.date(2023, 8, 1),
        )
    rep = stats.report(stats.Subject("campaign", cw.campaign))
    assert (rep.participants, rep.units, rep.attempts, rep.actions, rep.points) == (2, 2, 0, 3, 3)
    assert [(d.day.day, d.actions) for d in rep.days] == [(2, 2), (3, 1)]
    assert stats._day_series(rep.days, "actions") == [["2023-07-02", 2], ["2023-07-03", 1]]
    gap = [stats.DayRow(dt.date(2023, 7, 1), 1, 0), stats.DayRow(dt.date(2023, 7, 4), 2, 0)]
    gap.append(stats.DayRow(dt.date(2024, 7, 4), 3, 0))
    assert stats._day_series(gap, "attempts") == [
        ["2023-07-01", 1],
        ["2023-07-02", 0],
        ["2023-07-03", 0],
        ["2023-07-04", 2],
        ["2023-07-05", None],
        ["2024-07-04", 3],
    ]
    assert rep.posts == 0  # the posts belong to the quiz's contest


# --- campaign standings -----------------------------------------------------------------------------------


def _log(campaign, user, code, day, value=None, key=None):
    rule = campaign.rules.get(code=code)
    return campaigns.action_log(
        campaign=campaign,
        by=user,
        rule=rule,
        source_key=key or f"{user.pk}-{code}-{day}",
        occurred_on=day,
        value=value,
        today=dt.date(2023, 8, 29),
    )


def test_standings_order(world):
    campaign = build_campaign_world(world, n_workers=0).campaign
    team1, team2 = campaign.teams.order_by("name")  # 一队, 二队
    a, b, c, d = (_worker_user(n, world.hz_unit, world.hz_employer) for n in ("甲", "乙", "丙", "丁"))
    campaigns.campaign_join(campaign=campaign, by=a, team=team1)
    campaigns.campaign_join(campaign=campaign, by=b, team=team1)
    campaigns.campaign_join(campaign=campaign, by=c, team=team2)
    campaigns.campaign_join(campaign=campaign, by=d)
    day = lambda m, n: dt.date(2023, m, n)  # noqa: E731
    # a: 80 → 78 → 74 kg (loss 6); exercise on 2–4 July: a run of 4 days with the pre-test on the 1st.
    _log(campaign, a, "pre-test", day(7, 1), "80")
    _log(campaign, a, "weigh-in", day(7, 8), "78")
    _log(campaign, a, "post-test", day(8, 29), "74")
    for n in (2, 3, 4):
        _log(campaign, a, "exercise", day(7, n))
    # b: 90 → 86 kg (loss 4); exercise 2–6 July: a run of 6 days.
    _log(campaign, b, "pre-test", day(7, 1), "90")
    _log(campaign, b, "post-test", day(7, 20), "86")
    for n in (2, 3, 4, 5, 6):
        _log(campaign, b, "exercise", day(7, n))
    # c: measured once; exercise on scattered days.
    _log(campaign, c, "pre-test", day(7, 1), "70")
    _log(campaign, c, "exercise", day(7, 10))
    _log(campaign, c, "exercise", day(7, 12))
    # d: gained weight.
    _log(campaign, d, "pre-test", day(7, 1), "60")
    _log(campaign, d, "post-test", day(8, 29), "62")

    st = standings.standings(campaign)
    assert [(r.rank, r.member.user, r.value) for r in st.best_loss] == [
        (1, a, Decimal("6.00")),
        (2, b, Decimal("4.00")),
    ]
    assert st.best_loss[0].detail == "80.00 → 74.00"
    # b 6 days, a 4, then c and d 1 day each: d has more points (40 against 26), equal rank.
    assert [(r.rank, r.member.user, r.value) for r in st.persistence] == [(1, b, 6), (2, a, 4), (3, d, 1), (3, c, 1)]
    assert [(r.rank, r.team.name, r.points, r.members) for r in st.best_team] == [
        (1, "一队", 109, 2),
        (2, "二队", 26, 1),
    ]
    assert st.value_labels == ["体重（kg）"]
    sheets = standings.standings_sheets(st)
    assert [len(list(rows)) for _title, _headers, rows in sheets] == [2, 4, 2]

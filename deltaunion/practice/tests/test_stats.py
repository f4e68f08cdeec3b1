"""Practice statistics and campaign standings, checked against hand-counted values.

The fixture (on the root conftest's `world`):

    employer              ownership      union     members (is_member)              participants
    杭州测试机械有限公司  private        hz_unit   hz_a, hz_self, u1, u2 (4)        u1, u2 (quiz)  → 50.0 %
    苏州测试电梯有限公司  foreign        sz_unit   sz_a, u3 (2)                     u3 (quiz)      → 50.0 %
    杭州国有测试集团      state          hz_unit   u4 + 3 others (4)                u4 (quiz)      → 25.0 %
    杭州测试局            public sector  hz_unit   2 others (2)                     none: not a participating unit

so the quiz has 3 participating units (one each of state, private, foreign: 33.4 + 33.3 + 33.3),
4 participants, and a rate of 4 / 10 = 40.0 %. u1 sits two attempts and the others one (5
attempts); u1 answers two questions and u2 one (3 answers). Posts of the quiz's contest: 2 skill,
1 result, 1 news published, 1 hidden; 3 likes and 2 comments on published posts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deltaunion.contests.tests.factories import EmployerFactory, UserFactory, WorkerFactory
from deltaunion.people.models import Ownership
from deltaunion.practice import services, stats
from deltaunion.practice.tests.factories import build_practice_world, shown_right_index

pytestmark = pytest.mark.django_db


def _worker_user(name: str, organisation, employer, *, member: bool = True):
    user = UserFactory(full_name=name)
    WorkerFactory(organisation=organisation, employer=employer, user=user, is_member=member)
    return user


@pytest.fixture
def fx(world) -> SimpleNamespace:
    pw = build_practice_world(world, n_workers=0)
    state = EmployerFactory(name="杭州国有测试集团", organisation=world.hz_unit, ownership=Ownership.STATE)
    bureau = EmployerFactory(name="杭州测试局", organisation=world.hz_unit, ownership=Ownership.PUBLIC_SECTOR)
    u1 = _worker_user("参赛甲", world.hz_unit, world.hz_employer)
    u2 = _worker_user("参赛乙", world.hz_unit, world.hz_employer)
    u3 = _worker_user("参赛丙", world.sz_unit, world.sz_employer)
    u4 = _worker_user("参赛丁", world.hz_unit, state)
    for _i in range(3):
        WorkerFactory(organisation=world.hz_unit, employer=state, is_member=True)
    WorkerFactory(organisation=world.hz_unit, employer=state, is_member=False)
    for _i in range(2):
        WorkerFactory(organisation=world.hz_unit, employer=bureau, is_member=True)

    quiz = pw.quiz
    first = services.quiz_start(quiz=quiz, by=u1)
    for item in first.paper[:2]:
        services.quiz_answer(attempt=first, by=u1, question_id=item["q"], response=shown_right_index(first, item["q"]))
    services.quiz_finish(attempt=first, by=u1)
    services.quiz_start(quiz=quiz, by=u1)
    a2 = services.quiz_start(quiz=quiz, by=u2)
    services.quiz_answer(attempt=a2, by=u2, question_id=a2.paper[0]["q"], response=0)
    services.quiz_start(quiz=quiz, by=u3)
    services.quiz_start(quiz=quiz, by=u4)

    contest = quiz.contest
    p1 = services.post_create(by=u1, kind="skill", title="技巧一", body="正文", contest=contest)
    p2 = services.post_create(by=u2, kind="skill", title="技巧二", body="正文", contest=contest)
    services.post_create(by=u4, kind="result", title="成果", body="正文", contest=contest)
    services.post_create(by=pw.officer, kind="news", title="新闻", body="正文", organisation=world.zj, contest=contest)
    hidden = services.post_create(by=u3, kind="skill", title="违规", body="正文", contest=contest)
    services.post_create(by=u1, kind="skill", title="无关", body="不属于竞赛")  # no contest
    services.post_like(post=p1, by=u2)
    services.post_like(post=p1, by=u3)
    services.post_like(post=p2, by=u2)
    services.post_like(post=hidden, by=u1)
    services.comment_add(post=p1, by=u2, body="好")
    services.comment_add(post=p1, by=u3, body="赞")
    gone = services.comment_add(post=p2, by=u3, body="广告")
    services.comment_add(post=hidden, by=u1, body="在隐藏帖下")
    services.content_hide(obj=hidden, by=world.sz_officer, reason="违规")
    services.content_hide(obj=gone, by=pw.officer, reason="广告")
    return SimpleNamespace(pw=pw, world=world, state=state, bureau=bureau, u1=u1, u2=u2, u3=u3, u4=u4)


# --- pure helpers ---------------------------------------------------------------------------------------


def test_shares_add_up_to_exactly_100():
    assert stats.shares([1, 1, 1]) == [Decimal("33.4"), Decimal("33.3"), Decimal("33.3")]
    assert sum(stats.shares([1, 1, 1])) == 100
    # Chongqing's 296 units: 58 private, 13 foreign-invested, 76 public sector, the rest state-owned.
    chongqing = stats.shares([149, 58, 13, 76])
    assert sum(chongqing) == 100
    assert chongqing[1] == Decimal("19.6") and chongqing[3] == Decimal("25.7")
    assert stats.shares([0, 0]) == [Decimal(0), Decimal(0)]
    assert stats.shares([2, 0, 0]) == [Decimal("100.0"), Decimal("0.0"), Decimal("0.0")]


def test_rate_is_a_percentage_with_one_decimal():
    assert stats.rate(1, 4) == Decimal("25.0")
    assert stats.rate(2, 3) == Decimal("66.7")
    assert stats.rate(3, 0) is None


# --- a quiz -------------------------------------------------------------------------------------------


def test_quiz_report_matches_hand_counts(fx):
    rep = stats.report(stats.Subject.for_quiz(fx.pw.quiz))
    assert rep.units == 3
    by = {r.ownership: (r.units, r.share) for r in rep.by_ownership}
    assert by == {
        Ownership.STATE: (1, Decimal("33.4")),
        Ownership.PRIVATE: (1, Decimal("33.3")),
        Ownership.FOREIGN: (1, Decimal("33.3")),
        Ownership.PUBLIC_SECTOR: (0, Decimal("0.0")),
    }
    assert sum(r.share for r in rep.by_ownership) == 100
    assert rep.participants == 4
    assert rep.attempts == 5
    assert rep.quiz_answers == 3
    assert rep.actions == 0
    assert rep.members == 10
    assert rep.rate == Decimal("40.0")
    assert rep.likes == 3
    assert rep.comments == 2
    assert {k.kind: k.posts for k in rep.by_kind} == {"news": 1, "skill": 2, "result": 1}
    assert rep.posts == 4


def test_participation_rate_per_unit(fx):
    rep = stats.report(stats.Subject.for_quiz(fx.pw.quiz))
    rows = [(u.name, u.participants, u.members, u.rate) for u in rep.unit_rows]
    assert rows == [
        ("杭州测试机械有限公司", 2, 4, Decimal("50.0")),  # equal rates: more participants first
        ("苏州测试电梯有限公司", 1, 2, Decimal("50.0")),
        ("杭州国有测试集团", 1, 4, Decimal("25.0")),
    ]
    chart = rep.chart_data()
    assert chart["units"]["rates"] == [50.0, 50.0, 25.0]
    assert sorted(d["value"] for d in chart["ownership"]) == [1, 1, 1]  # public sector has none: left out
    assert sum(v for _day, v in chart["days"]["attempts"] if v) == 5


def test_organisation_report_counts_the_workers_of_its_subtree(fx):
    pw, world = fx.pw, fx.world
    u5 = _worker_user("参赛戊", world.hz_unit, world.hz_employer)
    services.campaign_join(campaign=pw.campaign, by=u5)
    services.campaign_join(campaign=pw.campaign, by=fx.u1)
    rule = pw.campaign.rules.get(code="exercise")
    services.action_log(
        campaign=pw.campaign,
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
    pw = fx.pw
    services.campaign_join(campaign=pw.campaign, by=fx.u1)
    services.campaign_join(campaign=pw.campaign, by=fx.u3)
    rule = pw.campaign.rules.get(code="meal")
    for i, day in enumerate((2, 2, 3)):
        services.action_log(
            campaign=pw.campaign,
            by=fx.u1,
            rule=rule,
            source_key=f"m{i}",
            occurred_on=dt.date(2023, 7, day),
            today=dt.date(2023, 8, 1),
        )
    rep = stats.report(stats.Subject.for_campaign(pw.campaign))
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


def test_report_query_count_does_not_grow_with_participants(fx):
    subject = stats.Subject.for_quiz(fx.pw.quiz)
    with CaptureQueriesContext(connection) as before:
        stats.report(subject)
    for i in range(6):
        user = _worker_user(f"加赛{i}", fx.world.hz_unit, fx.world.hz_employer)
        services.quiz_start(quiz=fx.pw.quiz, by=user)
    with CaptureQueriesContext(connection) as after:
        rep = stats.report(subject)
    assert rep.participants == 10
    assert len(after.captured_queries) == len(before.captured_queries) <= 20


def test_workbook_has_a_sheet_per_table(fx):
    from io import BytesIO

    from openpyxl import load_workbook

    rep = stats.report(stats.Subject.for_quiz(fx.pw.quiz))
    wb = load_workbook(BytesIO(stats.workbook(stats.report_sheets(rep))))
    assert len(wb.sheetnames) == 5
    units = wb.worksheets[2]
    assert units.max_row == 1 + 3
    assert units.cell(2, 6).value == 50.0


# --- campaign standings -----------------------------------------------------------------------------------


def _log(campaign, user, code, day, value=None, key=None):
    rule = campaign.rules.get(code=code)
    return services.action_log(
        campaign=campaign,
        by=user,
        rule=rule,
        source_key=key or f"{user.pk}-{code}-{day}",
        occurred_on=day,
        value=value,
        today=dt.date(2023, 8, 29),
    )


def test_standings_order(world):
    pw = build_practice_world(world, n_workers=0)
    campaign = pw.campaign
    team1, team2 = campaign.teams.order_by("name")  # 一队, 二队
    a, b, c, d = (_worker_user(n, world.hz_unit, world.hz_employer) for n in ("甲", "乙", "丙", "丁"))
    services.campaign_join(campaign=campaign, by=a, team=team1)
    services.campaign_join(campaign=campaign, by=b, team=team1)
    services.campaign_join(campaign=campaign, by=c, team=team2)
    services.campaign_join(campaign=campaign, by=d)
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

    st = stats.standings(campaign)
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
    assert st.value_labels == ["体重(kg)"]
    sheets = stats.standings_sheets(st)
    assert [len(list(rows)) for _title, _headers, rows in sheets] == [2, 4, 2]

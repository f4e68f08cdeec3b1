"""Practice statistics (the framework and what quizzes add), checked against hand-counted values.

The fixture (on the root conftest's `world`):

    employer              ownership      union     members (is_member)              participants
    杭州测试机械有限公司  private        hz_unit   hz_a, hz_self, u1, u2 (4)        u1, u2 (quiz)  → 50.0 %
    苏州测试电梯有限公司  foreign        sz_unit   sz_a, u3 (2)                     u3 (quiz)      → 50.0 %
    杭州国有测试集团      state          hz_unit   u4 + 3 others (4)                u4 (quiz)      → 25.0 %
    杭州测试局            public sector  hz_unit   2 others (2)                     none: not a participating unit

so the quiz has 3 participating units (one each of state, private, foreign: 33.4 + 33.3 + 33.3),
4 participants, and a rate of 4 / 10 = 40.0 %. u1 sits two attempts and the others one (5
attempts); u1 answers two questions and u2 one (3 answers). Posts of the quiz's contest: 2 skill,
1 result, 1 news published, 1 hidden; 3 likes and 2 comments on published posts (the posts are
the community's, about the quiz's contest).
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from deltaunion.accounts.tests.factories import UserFactory
from deltaunion.community import services as community
from deltaunion.people.models import Ownership
from deltaunion.people.tests.factories import EmployerFactory, WorkerFactory
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
    p1 = community.post_create(by=u1, kind="skill", title="技巧一", body="正文", subject=contest)
    p2 = community.post_create(by=u2, kind="skill", title="技巧二", body="正文", subject=contest)
    community.post_create(by=u4, kind="result", title="成果", body="正文", subject=contest)
    community.post_create(by=pw.officer, kind="news", title="新闻", body="正文", organisation=world.zj, subject=contest)
    hidden = community.post_create(by=u3, kind="skill", title="违规", body="正文", subject=contest)
    community.post_create(by=u1, kind="skill", title="无关", body="不属于竞赛")  # no contest
    community.post_like(post=p1, by=u2)
    community.post_like(post=p1, by=u3)
    community.post_like(post=p2, by=u2)
    community.post_like(post=hidden, by=u1)
    community.comment_add(post=p1, by=u2, body="好")
    community.comment_add(post=p1, by=u3, body="赞")
    gone = community.comment_add(post=p2, by=u3, body="广告")
    community.comment_add(post=hidden, by=u1, body="在隐藏帖下")
    community.content_hide(obj=hidden, by=world.sz_officer, reason="违规")
    community.content_hide(obj=gone, by=pw.officer, reason="广告")
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
    rep = stats.report(stats.Subject("quiz", fx.pw.quiz))
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
    rep = stats.report(stats.Subject("quiz", fx.pw.quiz))
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


def test_report_query_count_does_not_grow_with_participants(fx):
    subject = stats.Subject("quiz", fx.pw.quiz)
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

    rep = stats.report(stats.Subject("quiz", fx.pw.quiz))
    wb = load_workbook(BytesIO(stats.workbook(stats.report_sheets(rep))))
    assert len(wb.sheetnames) == 5
    units = wb.worksheets[2]
    assert units.max_row == 1 + 3
    assert units.cell(2, 6).value == 50.0


def test_quiz_subject_by_the_registry(fx):
    """The subject choice and lookup go through the registered sources (a quiz is practice's)."""
    subject = stats.subject_for(fx.pw.officer, "quiz", fx.pw.quiz.pk)
    assert subject.obj == fx.pw.quiz and subject.title == fx.pw.quiz.title
    from django.http import Http404

    for who, kind, pk in ((fx.world.sz_officer, "quiz", fx.pw.quiz.pk), (fx.pw.officer, "bogus", 1)):
        with pytest.raises(Http404):
            stats.subject_for(who, kind, pk)


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12))
def test_shares_always_add_up_to_100_or_are_all_zero(counts):
    got = stats.shares(counts)
    assert len(got) == len(counts) and all(g >= 0 for g in got)
    assert sum(got) == (100 if sum(counts) else 0)
    # Each share is within one rounding unit of the exact percentage.
    if sum(counts):
        for c, g in zip(counts, got, strict=True):
            assert abs(Decimal(c) * 100 / sum(counts) - g) < Decimal("0.1")

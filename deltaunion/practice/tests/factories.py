"""A small practice world: a quiz contest with a bank, an open quiz, a points campaign with
the Wuyi rules, and workers in two employers of two cities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from deltaunion.accounts.models import User
from deltaunion.contests import services as contest_services
from deltaunion.contests.models import Contest, ContestFormat
from deltaunion.contests.tests.factories import UserFactory, WorkerFactory
from deltaunion.practice import presets, services
from deltaunion.practice.models import Campaign, Question, QuestionBank, Quiz

WUYI_RULES = presets.WUYI_RULES


def make_questions(bank: QuestionBank, by: User, n: int = 12, topic: str = "安全") -> list[Question]:
    """n single-choice questions whose right option is the one named "right"."""
    out = []
    for i in range(n):
        out.append(
            services.question_add(
                bank=bank,
                by=by,
                kind="single",
                topic=topic,
                stem=f"{topic}测试题{i}",
                options=[f"错误甲{i}", "right", f"错误乙{i}", f"错误丙{i}"],
                answer=[1],
                difficulty=1 + i % 3,
            )
        )
    return out


def shown_right_index(attempt, question_id: int) -> int:
    """Where the right option sits in this attempt (tests only: reads the server-side key)."""
    return attempt.key[str(question_id)]["key"][0]


@dataclass
class PracticeWorld:
    officer: User
    contest: Contest
    bank: QuestionBank
    quiz: Quiz
    campaign: Campaign
    workers: list[User] = field(default_factory=list)
    ns: Any = None


def build_practice_world(world: SimpleNamespace, *, n_workers: int = 4, **quiz_settings: Any) -> PracticeWorld:
    """Uses the root conftest `world` (hz/sz trees, employers, officers)."""
    officer = world.zj_admin
    contest = contest_services.contest_create(
        title="测试知识竞赛", lead_org=world.zj, by=officer, format=ContestFormat.QUIZ
    )
    bank = services.bank_create(owner=world.zj, name="测试题库", by=officer)
    make_questions(bank, officer, 12)
    settings = {
        "title": "测试答题",
        "draw_rules": [{"topic": "", "difficulty": None, "count": 5}],
        "status": Quiz.Status.OPEN,
        "attempts_per_day": 2,
        "time_limit_seconds": 300,
        **quiz_settings,
    }
    quiz = services.quiz_create(contest=contest, bank=bank, by=officer, **settings)
    points_contest = contest_services.contest_create(
        title="测试减重大赛", lead_org=world.zj, by=officer, format=ContestFormat.POINTS
    )
    campaign = services.campaign_create(
        contest=points_contest,
        title="测试减重大赛",
        starts_on=dt.date(2023, 7, 1),
        ends_on=dt.date(2023, 8, 29),
        rules=WUYI_RULES,
        teams=["一队", "二队"],
        max_points=490,
        by=officer,
    )
    workers = []
    employers = [world.hz_employer, world.sz_employer]
    units = [world.hz_unit, world.sz_unit]
    for i in range(n_workers):
        user = UserFactory(full_name=f"测试工人{i}")
        WorkerFactory(organisation=units[i % 2], employer=employers[i % 2], user=user)
        workers.append(user)
    return PracticeWorld(officer, contest, bank, quiz, campaign, workers, world)

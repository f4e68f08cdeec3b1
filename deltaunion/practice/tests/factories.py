"""A small practice world, written through the services: a quiz contest (opened) led by
Zhejiang with a bank of twelve questions and an open quiz, and workers with logins in two
employers of two cities."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from deltaunion.accounts.models import User
from deltaunion.accounts.tests.factories import UserFactory
from deltaunion.contests import services as contest_services
from deltaunion.contests.models import Contest, ContestFormat
from deltaunion.orgs.models import Organisation
from deltaunion.people.tests.factories import WorkerFactory
from deltaunion.practice import services
from deltaunion.practice.models import Question, QuestionBank, Quiz


def practice_contest(
    title: str, lead: Organisation, by: User, *, format: str = ContestFormat.QUIZ, status: str = Contest.Status.OPEN
) -> Contest:
    """A contest of a practice format, moved to `status` through its transitions."""
    contest = contest_services.contest_create(title=title, lead_org=lead, by=by, format=format)
    if status != contest.status:
        contest_services.contest_set_status(contest=contest, status=status, by=by)
        contest.refresh_from_db()
    return contest


def make_questions(bank: QuestionBank, by: User, n: int = 12, topic: str = "安全") -> list[Question]:
    """n single-choice questions whose right option is the one named "right"."""
    return [
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
        for i in range(n)
    ]


def shown_right_index(attempt, question_id: int) -> int:
    """Where the right option sits in this attempt (tests only: reads the server-side key)."""
    return attempt.key[str(question_id)]["key"][0]


def make_workers(world: SimpleNamespace, n: int, *, prefix: str = "测试工人") -> list[User]:
    """n workers with logins, alternately of the Hangzhou and the Suzhou employer."""
    employers = [world.hz_employer, world.sz_employer]
    units = [world.hz_unit, world.sz_unit]
    users = []
    for i in range(n):
        user = UserFactory(full_name=f"{prefix}{i}")
        WorkerFactory(organisation=units[i % 2], employer=employers[i % 2], user=user)
        users.append(user)
    return users


@dataclass
class PracticeWorld:
    officer: User
    contest: Contest
    bank: QuestionBank
    quiz: Quiz
    workers: list[User] = field(default_factory=list)
    ns: Any = None


def build_practice_world(
    world: SimpleNamespace, *, n_workers: int = 4, contest_status: str = Contest.Status.OPEN, **quiz_settings: Any
) -> PracticeWorld:
    """Uses the root conftest `world` (hz/sz trees, employers, officers)."""
    officer = world.zj_admin
    contest = practice_contest("测试知识竞赛", world.zj, officer, status=contest_status)
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
    return PracticeWorld(officer, contest, bank, quiz, make_workers(world, n_workers), world)

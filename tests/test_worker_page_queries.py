"""Issue 17: the five pages a worker opens most do not run a query per row (no N+1).

Each page is opened by the same signed-in worker over a world of N, then 3N related rows —
contests, their stages and the worker's entries on them, a quiz's attempts, key tasks of the
year's plan, messages — and the number of queries must not grow with N. The counts are those
of the real page (middleware, context processors, templates), taken with CaptureQueriesContext
after a first request (so one-off work such as the session's first read is not counted).
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deltaunion.contests import services as contest_services
from deltaunion.contests.models import Contest, ContestFormat, Stage
from deltaunion.core.notifications import notify
from deltaunion.practice import services as practice_services
from deltaunion.practice.models import Quiz
from deltaunion.practice.tests.factories import make_questions
from deltaunion.workplans.tests.factories import KeyTaskFactory, WorkPlanFactory

N = 2  # then 3N: both under a page's length (20), so a paginated list shows every row
_seq = itertools.count(1)


class Grown:
    """The worker's world, grown in steps: each `grow(n)` adds n of every related row."""

    def __init__(self, world):
        self.w = world
        self.officer = world.zj_admin
        self.worker = world.worker
        year = timezone.localdate().year
        self.plan = WorkPlanFactory(year=year, meeting__year=year)
        # The contest page: one contest whose stages grow, the worker entered on each.
        self.contest = self._contest("逐级增长的竞赛")
        # The quiz page: one quiz whose attempts (the worker's) grow.
        quiz_contest = contest_services.contest_create(
            title="答题增长测试", lead_org=world.zj, by=self.officer, format=ContestFormat.QUIZ
        )
        contest_services.contest_set_status(contest=quiz_contest, status=Contest.Status.OPEN, by=self.officer)
        bank = practice_services.bank_create(owner=world.zj, name="增长题库", by=self.officer)
        make_questions(bank, self.officer, 6)
        self.quiz = practice_services.quiz_create(
            contest=quiz_contest,
            bank=bank,
            by=self.officer,
            title="增长测试答题",
            draw_rules=[{"topic": "", "difficulty": None, "count": 3}],
            status=Quiz.Status.OPEN,
            attempts_per_day=100,
            time_limit_seconds=300,
        )

    def _contest(self, title: str) -> Contest:
        task = KeyTaskFactory(plan=self.plan, lead_org=self.w.zj)
        contest = contest_services.contest_create(title=title, lead_org=self.w.zj, by=self.officer, key_task=task)
        contest_services.contest_set_status(contest=contest, status=Contest.Status.OPEN, by=self.officer)
        return contest

    def _stage(self, contest: Contest) -> Stage:
        now = timezone.now()
        stage = contest_services.stage_create(
            contest=contest,
            name=f"赛段{next(_seq)}",
            by=self.officer,
            starts_at=now + dt.timedelta(days=30),
            ends_at=now + dt.timedelta(days=31),
        )
        contest_services.stage_set_status(stage=stage, status=Stage.Status.REGISTRATION, by=self.officer)
        stage.refresh_from_db()
        contest_services.registration_create(stage=stage, worker=self.w.hz_self, by=self.officer)
        return stage

    def grow(self, n: int) -> None:
        for _i in range(n):
            # another contest in the list (with a stage the worker entered) and a key task
            self._stage(self._contest(f"增长竞赛{next(_seq)}"))
            # another stage of the contest page, the worker entered on it
            self._stage(self.contest)
            # another finished attempt of the quiz
            attempt = practice_services.quiz_start(quiz=self.quiz, by=self.worker)
            practice_services.quiz_finish(attempt=attempt, by=self.worker)
            # another message
            notify(self.worker, kind="test.growth", title=f"增长测试消息{next(_seq)}", url="/me/")


PAGES = {
    "home": lambda g: "/",
    "contest_list": lambda g: reverse("contests:list"),
    "contest_page": lambda g: reverse("contests:detail", args=[g.contest.pk]),
    "quiz_page": lambda g: reverse("practice:quiz_detail", args=[g.quiz.pk]),
    "me": lambda g: reverse("me:home"),
}


def _queries(client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # warm: the session's first read, per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(PAGES))
def test_a_worker_page_runs_as_many_queries_for_3n_rows_as_for_n(
    client, world, page, django_capture_on_commit_callbacks
):
    grown = Grown(world)
    client.force_login(world.worker)
    url = PAGES[page](grown)

    with django_capture_on_commit_callbacks(execute=True):  # messages are sent after the commit
        grown.grow(N)
    few, _sql = _queries(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        grown.grow(2 * N)
    many, sql = _queries(client, url)

    assert few > 0
    assert many <= few, f"{page}: {few} queries with {N} rows, {many} with {3 * N}:\n" + "\n".join(sql)


@pytest.mark.django_db
def test_the_rows_grown_show_on_the_pages(client, world, django_capture_on_commit_callbacks):
    """The world really grows where the pages look (else the test above proves nothing)."""
    grown = Grown(world)
    with django_capture_on_commit_callbacks(execute=True):
        grown.grow(3)
    client.force_login(world.worker)
    detail = client.get(PAGES["contest_page"](grown)).content.decode()
    assert detail.count("我的报名") >= 3
    listing = client.get(PAGES["contest_list"](grown)).content.decode()
    assert listing.count("增长竞赛") == 3
    quiz = client.get(PAGES["quiz_page"](grown)).content.decode()
    assert quiz.count("/practice/attempts/") >= 3
    home = client.get(PAGES["home"](grown)).content.decode()
    assert "测试重点任务" in home or "增长竞赛" in home or "逐级增长的竞赛" in home

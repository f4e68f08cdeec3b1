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
from django.test import Client
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


# At most this many queries a page once warm (the session and the user are two of them): the
# viewer's scope, menu and unread count, the home page's report and the contest list's rows and a
# contest's facts are cached (core.fragments, core.viewer).
MOST = {"home": 2, "contest_list": 2, "contest_page": 5, "quiz_page": 5, "me": 10}


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
    assert few <= MOST[page], f"{page}: {few} queries, at most {MOST[page]} expected:\n" + "\n".join(_sql)
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


# --- the cached parts change when what they show changes (core.fragments, core.viewer) ----------
# Each test first opens the page (so its part is cached), then changes the data through a service
# and opens it again: with a cache that were never made stale, the second page would be the first.


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_the_home_page_shows_a_task_state_set_after_it_was_cached(client, world):
    from deltaunion.workplans.services import key_task_set_status

    year = timezone.localdate().year
    plan = WorkPlanFactory(year=year, meeting__year=year)
    task = KeyTaskFactory(plan=plan, lead_org=world.zj, title="缓存测试重点任务")
    client.force_login(world.worker)
    assert "缓存测试重点任务" in _page(client, "/")
    mark = '<div class="text-muted">人工设定</div>'  # "set by hand", under the task's state
    assert mark not in _page(client, "/")
    key_task_set_status(task=task, status="done", by=world.zj_admin, note="缓存失效的理由")
    assert mark in _page(client, "/")
    task.title = "改过名的缓存测试任务"
    task.save()
    assert "改过名的缓存测试任务" in _page(client, "/")


@pytest.mark.django_db
def test_the_contest_list_shows_a_contest_opened_after_it_was_cached_and_keeps_scopes_apart(client, world):
    contest = contest_services.contest_create(title="缓存测试竞赛", lead_org=world.zj, by=world.zj_admin)
    client.force_login(world.worker)
    url = reverse("contests:list")
    assert "缓存测试竞赛" not in _page(client, url)  # a draft: not the public's
    officer = Client()
    officer.force_login(world.zj_admin)
    assert "缓存测试竞赛" in _page(officer, url)  # the officer of its lead union sees the draft
    assert "缓存测试竞赛" in _page(officer, url)  # their own rows, kept with their page
    assert "缓存测试竞赛" not in _page(client, url)  # and the worker still does not
    contest_services.contest_set_status(contest=contest, status=Contest.Status.OPEN, by=world.zj_admin)
    assert "缓存测试竞赛" in _page(client, url)
    contest_services.contest_update(contest=contest, by=world.zj_admin, title="改名后的缓存测试竞赛")
    assert "改名后的缓存测试竞赛" in _page(client, url)
    assert "改名后的缓存测试竞赛" in _page(officer, url)


@pytest.mark.django_db
def test_the_unread_count_follows_new_and_read_messages(client, world, django_capture_on_commit_callbacks):
    from deltaunion.me.services import messages_mark_read

    client.force_login(world.worker)

    def badge() -> str:
        html = _page(client, reverse("contests:list"))
        found = __import__("re").search(r'du-count">(\d+)<', html)
        return found.group(1) if found else "0"

    before = int(badge())
    with django_capture_on_commit_callbacks(execute=True):
        notify(world.worker, kind="test.cache", title="缓存测试消息", url="/me/")
    assert int(badge()) == before + 1
    messages_mark_read(by=world.worker)
    assert badge() == "0"


@pytest.mark.django_db
def test_the_menu_follows_a_role_granted_and_revoked(client, world):
    from deltaunion.orgs.models import OrgRole, Role
    from deltaunion.orgs.services import org_role_grant, org_role_revoke

    client.force_login(world.worker)
    workers = reverse("people:list")
    assert workers not in _page(client, "/")
    role = org_role_grant(user=world.worker, organisation=world.hz, role=Role.OFFICER, by=world.zj_admin)
    assert workers in _page(client, "/")
    org_role_revoke(org_role=OrgRole.objects.get(pk=role.pk), by=world.zj_admin)
    assert workers not in _page(client, "/")


@pytest.mark.django_db
def test_the_contest_page_shows_a_stage_added_after_it_was_cached(client, world):
    grown = Grown(world)
    client.force_login(world.worker)
    url = PAGES["contest_page"](grown)
    assert "缓存后新增的赛段" not in _page(client, url)
    now = timezone.now()
    stage = contest_services.stage_create(
        contest=grown.contest,
        name="缓存后新增的赛段",
        by=grown.officer,
        starts_at=now + dt.timedelta(days=30),
        ends_at=now + dt.timedelta(days=31),
    )
    assert "缓存后新增的赛段" in _page(client, url)
    contest_services.stage_set_status(stage=stage, status=Stage.Status.REGISTRATION, by=grown.officer)
    assert 'data-testid="signup-link"' in _page(client, url)  # the stage now takes entries


# --- whole pages cached per viewer (core.pagecache) ---------------------------------------------
# Each per-viewer page is opened once (kept), then the data it shows changes through a service
# and the page is opened again; every test fails if its version is never bumped.


def _count(html: str, section_url: str) -> int:
    """The badge of a 我的 section (0 when it shows none)."""
    import re

    found = re.search(re.escape(f'href="{section_url}"') + r'.*?(?:me-count">(\d+)<|</a>)', html, re.S)
    return int(found.group(1)) if found and found.group(1) else 0


@pytest.mark.django_db
def test_the_quiz_page_shows_an_attempt_started_and_a_quiz_renamed_after_it_was_kept(client, world):
    grown = Grown(world)
    client.force_login(world.worker)
    url = PAGES["quiz_page"](grown)
    assert "/practice/attempts/" not in _page(client, url)
    assert 'data-testid="start"' in _page(client, url)
    attempt = practice_services.quiz_start(quiz=grown.quiz, by=world.worker)  # practice:<user>
    html = _page(client, url)
    assert f"/practice/attempts/{attempt.pk}/" in html and 'data-testid="resume"' in html
    practice_services.quiz_finish(attempt=attempt, by=world.worker)  # not kept while it ran
    assert 'data-testid="resume"' not in _page(client, url)
    assert 'data-testid="resume"' not in _page(client, url)  # now kept
    practice_services.quiz_update(quiz=grown.quiz, by=grown.officer, title="改名后的增长测试答题")  # quizzes
    assert "改名后的增长测试答题" in _page(client, url)


@pytest.mark.django_db
def test_the_quiz_page_is_not_served_after_the_quiz_closes(client, world, monkeypatch):
    from deltaunion.core import fragments

    grown = Grown(world)
    Quiz.objects.filter(pk=grown.quiz.pk).update(closes_at=timezone.now() + dt.timedelta(seconds=60))
    client.force_login(world.worker)
    url = PAGES["quiz_page"](grown)
    assert 'data-testid="start"' in _page(client, url)
    assert 'data-testid="start"' in _page(client, url)  # kept
    later = timezone.now() + dt.timedelta(seconds=120)  # within the cache's TTL
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(fragments.time, "time", lambda: later.timestamp())
    assert 'data-testid="start"' not in _page(client, url)  # closed: rendered again, not served


@pytest.mark.django_db
def test_me_counts_follow_a_wrong_answer_an_entry_and_a_stage_closed(client, world, django_capture_on_commit_callbacks):
    from deltaunion.practice.services import practice_answer

    grown = Grown(world)
    client.force_login(world.worker)
    url = reverse("me:home")
    wrong_book, my_contests = reverse("me:practice"), reverse("me:contests")
    html = _page(client, url)
    before_wrong, before_entries = _count(html, wrong_book), _count(html, my_contests)
    question = grown.quiz.bank.questions.first()
    practice_answer(question=question, by=world.worker, response=[0])  # wrong: into the book (me:<user>)
    html = _page(client, url)
    assert _count(html, wrong_book) == before_wrong + 1
    with django_capture_on_commit_callbacks(execute=True):
        stage = grown._stage(grown.contest)  # the worker entered on a stage taking entries (me:<user>)
    html = _page(client, url)
    assert _count(html, my_contests) == before_entries + 1
    contest_services.stage_set_status(stage=stage, status=Stage.Status.PLANNED, by=grown.officer)  # me-shared
    assert _count(_page(client, url), my_contests) == before_entries


@pytest.mark.django_db
def test_me_shows_a_campaign_joined_after_it_was_kept(client, world):
    from deltaunion.campaigns.services import campaign_create_in_contest, campaign_join

    client.force_login(world.worker)
    url = reverse("me:home")
    campaigns_url = reverse("me:campaigns")
    assert _count(_page(client, url), campaigns_url) == 0
    today = timezone.localdate()
    campaign = campaign_create_in_contest(
        contest=None,
        new_contest_lead=world.zj,
        by=world.zj_admin,
        title="缓存测试积分活动",
        starts_on=today,
        ends_on=today + dt.timedelta(days=10),
        rules=[{"code": "walk", "name": "步行", "points": 1}],
    )
    assert _count(_page(client, url), campaigns_url) == 0
    campaign_join(campaign=campaign, by=world.zj_admin, user=world.worker)  # me:<user>
    assert _count(_page(client, url), campaigns_url) == 1


@pytest.mark.django_db
def test_a_kept_page_carries_this_requests_csrf_token_and_flash_messages_are_not_kept(world):
    import re

    from deltaunion.core import pagecache

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.worker)
    url = reverse("me:home")
    first, second = _page(client, url), _page(client, url)  # the second from the cache
    assert pagecache.csrf_placeholder() not in first + second
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', second)
    assert tokens and all(len(t) == 64 for t in tokens)
    third = _page(client, url)
    assert re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', third)[0] != tokens[0]  # masked anew
    assert f'"X-CSRFToken": "{tokens[0]}"' in second
    # the token of a kept page passes the CSRF check; the message the POST leaves is shown on
    # the next page (rendered, not served from the cache), and only once
    answer = client.post(reverse("me:messages_read"), {"csrfmiddlewaretoken": tokens[0]})
    assert answer.status_code == 302
    assert "du-said" in _page(client, url)
    assert "du-said" not in _page(client, url)


def test_the_csrf_token_put_in_a_kept_page_is_djangos():
    from django.middleware import csrf
    from django.test import RequestFactory

    from deltaunion.core import pagecache

    secret = csrf._get_new_csrf_string()
    tokens = set()
    for _ in range(200):
        request = RequestFactory().get("/")
        request.META["CSRF_COOKIE"] = secret
        token = pagecache.csrf_token(request)
        assert len(token) == csrf.CSRF_TOKEN_LENGTH and set(token) <= set(csrf.CSRF_ALLOWED_CHARS)
        assert csrf._unmask_cipher_token(token) == secret  # what the CSRF check compares
        assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
        tokens.add(token[: csrf.CSRF_SECRET_LENGTH])
    assert len(tokens) == 200  # a new mask every time
    first = {t[0] for t in tokens}
    assert len(first) > 40  # the mask's characters spread over the alphabet (62)
    fresh = RequestFactory().get("/")  # no cookie yet: Django makes the secret
    token = pagecache.csrf_token(fresh)
    assert csrf._unmask_cipher_token(token) == fresh.META["CSRF_COOKIE"]


@pytest.mark.django_db
def test_me_counts_a_case_the_worker_is_a_party_to_once_it_commits(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    """A case's parties are written in bulk after the case (no signal of their own): the case's
    version is bumped again after the commit for the parties read then. (The message the
    service sends the party is left out: it would refresh the page on its own.)"""
    from deltaunion.relations import services as relations_services
    from deltaunion.relations.tests.factories import open_case, party

    monkeypatch.setattr(relations_services, "notify", lambda *args, **kwargs: None)

    client.force_login(world.worker)
    url, cases = reverse("me:home"), reverse("relations:mine")
    assert _count(_page(client, url), cases) == 0
    with django_capture_on_commit_callbacks(execute=True):
        open_case(world, parties=[{**party(owed="8000"), "user": world.worker}])
    assert _count(_page(client, url), cases) == 1

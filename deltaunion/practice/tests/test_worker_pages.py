"""The workers' practice pages: every page renders, the quiz page never carries the key,
retries count once, attempts per day hold, boards list the worker, 404 for others (and for
every quiz of a contest still in draft)."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from deltaunion.contests.models import Contest
from deltaunion.core.privacy import mask_name
from deltaunion.practice import services
from deltaunion.practice.models import Quiz, QuizAnswer, QuizAttempt, WrongAnswer
from deltaunion.practice.tests.factories import practice_contest

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
RIGHT_SINGLE = "三十六伏及以下的安全电压"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pw(world) -> SimpleNamespace:
    """A running quiz contest of 杭州市总工会, a bank of four questions (one of each kind), an
    open quiz of all four and a draft quiz."""
    officer = world.hz_officer
    quiz_contest = practice_contest("杭州市职工安全知识网上答题", world.hz, officer, status=Contest.Status.RUNNING)
    bank = services.bank_create(owner=world.hz, name="电工安全题库", by=officer, trade="电工")
    single = services.question_add(
        bank=bank,
        by=officer,
        kind="single",
        topic="安全用电",
        stem="我国规定的安全电压一般是多少？",
        options=[RIGHT_SINGLE, "二百二十伏", "三百八十伏", "一千伏"],
        answer="A",
        explanation="安全电压一般不超过36伏。",
    )
    multiple = services.question_add(
        bank=bank,
        by=officer,
        kind="multiple",
        topic="安全用电",
        stem="下列哪些是绝缘安全用具？",
        options=["绝缘手套", "绝缘靴", "铁锤"],
        answer="AB",
    )
    truefalse = services.question_add(
        bank=bank, by=officer, kind="truefalse", topic="操作规程", stem="停电检修必须先验电。", options=[], answer="对"
    )
    fill = services.question_add(
        bank=bank, by=officer, kind="fill", topic="操作规程", stem="电气设备外壳应可靠____。", options=[], answer="接地"
    )
    quiz = services.quiz_create(
        contest=quiz_contest,
        bank=bank,
        title="安全知识答题",
        draw_rules=[{"topic": "", "difficulty": None, "count": 4}],
        by=officer,
        status=Quiz.Status.OPEN,
        attempts_per_day=2,
        points_per_question=10,
    )
    draft = services.quiz_create(
        contest=quiz_contest,
        bank=bank,
        title="未发布的答题",
        draw_rules=[{"topic": "", "difficulty": None, "count": 2}],
        by=officer,
    )
    return SimpleNamespace(
        **vars(world),
        bank=bank,
        single=single,
        multiple=multiple,
        truefalse=truefalse,
        fill=fill,
        quiz=quiz,
        draft=draft,
    )


def _login(client, user, english: bool = False):
    client.force_login(user)
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _start(client, quiz) -> QuizAttempt:
    response = client.post(reverse("practice:quiz_start", args=[quiz.pk]))
    assert response.status_code == 302, response
    return QuizAttempt.objects.filter(quiz=quiz).order_by("-started_at").first()


def _shown_index(attempt: QuizAttempt, question_id: int, original: int) -> int:
    item = next(i for i in attempt.paper if i["q"] == question_id)
    return item["perm"].index(original)


def _question_order(html: str) -> list[str]:
    return re.findall(r'data-testid="quiz-question" data-question="(\d+)"', html)


# --- every page renders ----------------------------------------------------------------------------


def test_every_page_renders_for_a_worker(client, pw):
    _login(client, pw.worker)
    attempt = _start(client, pw.quiz)
    pages = [
        reverse("practice:home"),
        reverse("practice:practise"),
        reverse("practice:practise") + f"?bank={pw.bank.pk}&topic=安全用电",
        reverse("practice:practise") + f"?bank={pw.bank.pk}&wrong=1",
        reverse("practice:wrong_book"),
        reverse("practice:quiz_list"),
        reverse("practice:quiz_list") + "?show=all&q=安全",
        reverse("practice:quiz_detail", args=[pw.quiz.pk]),
        reverse("practice:attempt", args=[attempt.pk]),
    ]
    for level in ("person", "team", "unit", "city", "province"):
        pages.append(reverse("practice:board", args=["quiz", pw.quiz.pk]) + f"?level={level}&top=50")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    export = client.get(reverse("practice:wrong_book_export"))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_home_links_and_officer_link(client, pw):
    html = _login(client, pw.worker).get(reverse("practice:home")).content.decode()
    assert pw.quiz.title in html and pw.bank.name in html
    assert pw.draft.title not in html
    assert 'data-testid="manage-link"' not in html
    client.force_login(pw.hz_officer)
    html = client.get(reverse("practice:home")).content.decode()
    assert reverse("practice:manage") in html


def test_pages_need_a_login(client, pw):
    for url in (reverse("practice:home"), reverse("practice:board", args=["quiz", pw.quiz.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


# --- free practice and the wrong-answer book -----------------------------------------------------


def test_practice_shows_the_right_answer_and_keeps_the_wrong_book(client, pw):
    _login(client, pw.worker)
    url = reverse("practice:practise_answer", args=[pw.single.pk])
    response = client.post(url, {"choice": "2", "topic": ""}, **HX)
    html = response.content.decode()
    assert 'data-testid="practice-result"' in html and RIGHT_SINGLE in html
    assert "安全电压一般不超过36伏" in html  # the explanation
    assert 'data-testid="practice-next"' in html
    entry = WrongAnswer.objects.get(user=pw.worker, question=pw.single)
    assert entry.last_response == [2] and not entry.mastered

    book = client.get(reverse("practice:wrong_book") + f"?bank={pw.bank.pk}").content.decode()
    assert pw.single.stem in book and RIGHT_SINGLE in book
    assert f"?bank={pw.bank.pk}&amp;wrong=1" in book  # practise these again

    # Right this time: mastered, and hidden unless asked for.
    client.post(url, {"choice": "0"}, **HX)
    entry.refresh_from_db()
    assert entry.mastered
    assert pw.single.stem not in client.get(reverse("practice:wrong_book")).content.decode()
    assert pw.single.stem in client.get(reverse("practice:wrong_book") + "?mastered=1").content.decode()

    response = client.post(reverse("practice:wrong_book_remove", args=[entry.pk]))
    assert response.status_code == 302
    assert not WrongAnswer.objects.filter(pk=entry.pk).exists()


def test_practice_empty_answer_is_an_error_and_changes_nothing(client, pw):
    _login(client, pw.worker, english=True)
    html = client.post(reverse("practice:practise_answer", args=[pw.multiple.pk]), {}, **HX).content.decode()
    assert 'data-testid="practice-error"' in html and "Choose one or more of the options shown" in html
    assert not WrongAnswer.objects.exists()


def test_practice_next_question_partial_and_true_false(client, pw):
    _login(client, pw.worker)
    html = client.get(
        reverse("practice:practise") + f"?bank={pw.bank.pk}&topic=操作规程&partial=1", **HX
    ).content.decode()
    assert html.lstrip().startswith('<div id="practice-q"')
    assert pw.truefalse.stem in html or pw.fill.stem in html
    result = client.post(reverse("practice:practise_answer", args=[pw.truefalse.pk]), {"tf": "true"}, **HX)
    assert "alert-success" in result.content.decode()
    result = client.post(reverse("practice:practise_answer", args=[pw.fill.pk]), {"text": " 接 地 "}, **HX)
    assert "alert-success" in result.content.decode()


def test_someone_elses_wrong_answer_cannot_be_removed(client, pw):
    services.practice_answer(question=pw.single, by=pw.hz_officer, response=[1])
    entry = WrongAnswer.objects.get(user=pw.hz_officer)
    _login(client, pw.worker)
    assert client.post(reverse("practice:wrong_book_remove", args=[entry.pk])).status_code == 404
    assert WrongAnswer.objects.filter(pk=entry.pk).exists()


# --- quizzes ---------------------------------------------------------------------------------------


def test_the_quiz_page_never_contains_the_answer_key(client, pw):
    _login(client, pw.worker)
    attempt = _start(client, pw.quiz)
    html = client.get(reverse("practice:attempt", args=[attempt.pk])).content.decode()
    html = html[html.index("<main") :]
    assert len(_question_order(html)) == 4
    # The right option is on the page, marked exactly like the others.
    assert RIGHT_SINGLE in html
    options = re.findall(r'<label class="([^"]*)"><input type="radio" name="choice" value="(\d)">', html)
    assert len(options) == 4 and {cls for cls, _v in options} == {"du-w-option"}
    assert "checked" not in html
    # No key structure, nothing of the stored key, no accepted fill-in answer.
    for needle in ('"key"', "'key'", '"answer"', '"correct"', "data-answer", "data-correct", "du-w-right", "接地"):
        assert needle not in html, needle
    assert attempt.seed not in html
    assert str(attempt.key) not in html


def test_a_refresh_shows_the_same_paper_in_the_same_order(client, pw):
    _login(client, pw.worker)
    attempt = _start(client, pw.quiz)
    first = client.get(reverse("practice:attempt", args=[attempt.pk])).content.decode()
    second = client.get(reverse("practice:attempt", args=[attempt.pk])).content.decode()
    assert _question_order(first) == _question_order(second) == [str(i["q"]) for i in attempt.paper]
    options = re.compile(r'name="choice" value="\d+"> <b>\w\.</b> ([^<]+)</label>')
    assert options.findall(first) == options.findall(second)
    # Starting again resumes the same attempt: no new paper, no attempt used.
    again = client.post(reverse("practice:quiz_start", args=[pw.quiz.pk]))
    assert again["Location"] == reverse("practice:attempt", args=[attempt.pk])
    assert QuizAttempt.objects.filter(quiz=pw.quiz).count() == 1


def test_answering_twice_counts_once(client, pw):
    _login(client, pw.worker)
    attempt = _start(client, pw.quiz)
    url = reverse("practice:attempt_answer", args=[attempt.pk])
    data = {"question": pw.single.pk, "choice": _shown_index(attempt, pw.single.pk, 0)}
    first = client.post(url, data, **HX).content.decode()
    assert 'data-testid="answered"' in first and 'hx-swap-oob="true"' in first
    assert 'data-testid="score-so-far">10<' in first
    second = client.post(url, {**data, "choice": (data["choice"] + 1) % 4}, **HX).content.decode()
    assert 'data-testid="score-so-far">10<' in second
    attempt.refresh_from_db()
    assert (attempt.score, attempt.answered) == (10, 1)
    assert QuizAnswer.objects.filter(attempt=attempt).count() == 1
    # The answered question stays answered after a refresh, without a form.
    html = client.get(reverse("practice:attempt", args=[attempt.pk])).content.decode()
    assert html.count('data-testid="answered"') == 1


def test_attempts_per_day_are_enforced_with_a_message(client, pw):
    _login(client, pw.worker, english=True)
    for _i in range(2):
        attempt = _start(client, pw.quiz)
        response = client.post(reverse("practice:attempt_finish", args=[attempt.pk]))
        assert response["Location"] == reverse("practice:attempt_result", args=[attempt.pk])
    response = client.post(reverse("practice:quiz_start", args=[pw.quiz.pk]), follow=True)
    html = response.content.decode()
    assert "You have used all 2 attempts for today; come back tomorrow" in html
    assert 'data-testid="no-attempts"' in html
    assert QuizAttempt.objects.filter(quiz=pw.quiz, user=pw.worker).count() == 2


def test_result_shows_right_and_wrong_but_not_the_right_answers(client, pw):
    _login(client, pw.worker)
    attempt = _start(client, pw.quiz)
    url = reverse("practice:attempt_answer", args=[attempt.pk])
    wrong_choice = _shown_index(attempt, pw.single.pk, 2)
    client.post(url, {"question": pw.single.pk, "choice": wrong_choice}, **HX)
    client.post(url, {"question": pw.truefalse.pk, "tf": "true"}, **HX)
    client.post(reverse("practice:attempt_finish", args=[attempt.pk]))
    html = client.get(reverse("practice:attempt_result", args=[attempt.pk])).content.decode()
    assert 'data-testid="result-score">10<' in html
    assert html.count('data-testid="result-row"') == 4
    assert "三百八十伏" in html  # the worker's own (wrong) answer
    assert RIGHT_SINGLE not in html and "接地" not in html
    assert 'data-testid="attempts-left">今天还剩 1 次机会' in html
    assert reverse("practice:board", args=["quiz", pw.quiz.pk]) in html
    # A finished attempt's page goes to the result.
    page = client.get(reverse("practice:attempt", args=[attempt.pk]))
    assert page["Location"] == reverse("practice:attempt_result", args=[attempt.pk])


def test_time_up_reloads_to_the_result(client, pw):
    _login(client, pw.worker, english=True)
    attempt = _start(client, pw.quiz)
    html = client.get(reverse("practice:attempt", args=[attempt.pk])).content.decode()
    seconds = int(re.search(r'data-seconds="(\d+)"', html).group(1))
    assert 590 <= seconds <= 600
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    answer = client.post(
        reverse("practice:attempt_answer", args=[attempt.pk]), {"question": pw.truefalse.pk, "tf": "true"}, **HX
    )
    assert answer["HX-Redirect"] == reverse("practice:attempt", args=[attempt.pk])
    assert not QuizAnswer.objects.filter(attempt=attempt).exists()
    response = client.get(reverse("practice:attempt", args=[attempt.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("practice:attempt_result", args=[attempt.pk])
    assert "Time is up" in response.content.decode()


# --- leaderboards --------------------------------------------------------------------------------------


def test_board_partial_lists_the_worker_after_answering(client, pw, django_capture_on_commit_callbacks):
    _login(client, pw.worker)
    partial = reverse("practice:board_partial", args=["quiz", pw.quiz.pk])
    assert 'data-testid="board-row"' not in client.get(partial).content.decode()
    attempt = _start(client, pw.quiz)
    with django_capture_on_commit_callbacks(execute=True):  # Redis boards are told after the commit
        client.post(
            reverse("practice:attempt_answer", args=[attempt.pk]),
            {"question": pw.single.pk, "choice": _shown_index(attempt, pw.single.pk, 0)},
            **HX,
        )
    html = client.get(partial + "?top=50").content.decode()
    assert html.count('data-testid="board-row"') == 1
    assert pw.worker.full_name in html and "du-w-me" in html
    assert 'data-testid="my-rank">1<' in html
    # The higher boards: the worker's union, employer, city and province.
    assert pw.hz_unit.name in client.get(partial + "?level=team").content.decode()
    assert pw.hz_employer.name in client.get(partial + "?level=unit").content.decode()
    assert "杭州市" in client.get(partial + "?level=city").content.decode()
    assert "浙江省" in client.get(partial + "?level=province").content.decode()
    page = client.get(reverse("practice:board", args=["quiz", pw.quiz.pk])).content.decode()
    # Polled only while the tab is visible; an unchanged board is a 304 without a body.
    assert "hx-trigger=\"every 2s [document.visibilityState === 'visible']" in page
    first = client.get(partial + "?top=50")
    etag = first["ETag"]
    assert etag and "no-cache" in first["Cache-Control"]
    again = client.get(partial + "?top=50", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    other = client.get(partial + "?top=50&level=city", HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200


def test_board_masks_other_peoples_names(client, pw, django_capture_on_commit_callbacks):
    attempt = services.quiz_start(quiz=pw.quiz, by=pw.hz_officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.quiz_answer(attempt=attempt, by=pw.hz_officer, question_id=pw.truefalse.pk, response=True)
    _login(client, pw.worker)
    html = client.get(reverse("practice:board_partial", args=["quiz", pw.quiz.pk])).content.decode()
    assert mask_name(pw.hz_officer.full_name) in html
    assert pw.hz_officer.full_name not in html


def test_nobody_gets_404_for_a_draft_quiz_and_someone_elses_attempt(client, pw):
    worker_client = _login(client, pw.worker)
    attempt = _start(worker_client, pw.quiz)
    client.force_login(pw.nobody)
    for url in (
        reverse("practice:quiz_detail", args=[pw.draft.pk]),
        reverse("practice:board", args=["quiz", pw.draft.pk]),
        reverse("practice:board_partial", args=["quiz", pw.draft.pk]),
        reverse("practice:board", args=["nonsense", pw.quiz.pk]),
        reverse("practice:attempt", args=[attempt.pk]),
        reverse("practice:attempt_result", args=[attempt.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("practice:quiz_start", args=[pw.draft.pk])).status_code == 404
    answer = client.post(
        reverse("practice:attempt_answer", args=[attempt.pk]), {"question": pw.truefalse.pk, "tf": "true"}
    )
    assert answer.status_code == 404
    assert client.post(reverse("practice:attempt_finish", args=[attempt.pk])).status_code == 404
    attempt.refresh_from_db()
    assert attempt.answered == 0 and attempt.finished_at is None
    # The open quiz is public: nobody sees it but cannot see the draft in the list.
    html = client.get(reverse("practice:quiz_list") + "?show=all").content.decode()
    assert pw.quiz.title in html and pw.draft.title not in html


def test_quizzes_of_a_draft_contest_are_for_its_managers_only(client, pw, world):
    """An open quiz whose contest is still a draft is not listed, shown, boarded or sat by
    anyone but the contest's managers."""
    from deltaunion.core.permissions import Forbidden

    drafting = practice_contest("筹备中的答题竞赛", world.hz, world.hz_officer, status=Contest.Status.DRAFT)
    hidden = services.quiz_create(
        contest=drafting,
        bank=pw.bank,
        title="筹备中的答题",
        draw_rules=[{"topic": "", "difficulty": None, "count": 2}],
        by=world.hz_officer,
        status=Quiz.Status.OPEN,
    )
    urls = [
        reverse("practice:quiz_detail", args=[hidden.pk]),
        reverse("practice:board", args=["quiz", hidden.pk]),
        reverse("practice:board_partial", args=["quiz", hidden.pk]),
    ]
    for user in (world.worker, world.sz_officer, world.nobody):
        client.force_login(user)
        assert "筹备中的答题" not in client.get(reverse("practice:quiz_list") + "?show=all").content.decode()
        assert "筹备中的答题" not in client.get(reverse("practice:home")).content.decode()
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("practice:quiz_start", args=[hidden.pk])).status_code == 404
    assert not QuizAttempt.objects.filter(quiz=hidden).exists()
    with pytest.raises(Forbidden):
        services.quiz_start(quiz=hidden, by=world.worker)
    # The contest's managers see it and may try it out.
    client.force_login(world.hz_officer)
    assert "筹备中的答题" in client.get(reverse("practice:quiz_list") + "?show=all").content.decode()
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.post(reverse("practice:quiz_start", args=[hidden.pk])).status_code == 302
    # Once the contest opens, everyone sees the quiz.
    from deltaunion.contests import services as contest_services

    contest_services.contest_set_status(contest=drafting, status=Contest.Status.OPEN, by=world.hz_officer)
    client.force_login(world.worker)
    assert client.get(urls[0]).status_code == 200

"""The practice API: a quiz sat over HTTP (no key in any response, a retry counts once),
boards; 404 for what is not the caller's."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from deltaunion.accounts.services import api_token_create
from deltaunion.practice.models import QuizAnswer

from .factories import build_practice_world, shown_right_index


def client_for(user) -> Client:
    _token, raw = api_token_create(user=user, name="test", by=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def pw(world):
    return build_practice_world(world)


def post(c: Client, url: str, body: dict | None = None):
    return c.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_sit_a_quiz_over_the_api(pw):
    user = pw.workers[0]
    c = client_for(user)
    r = post(c, f"/api/practice/quizzes/{pw.quiz.pk}/attempts")
    assert r.status_code == 200, r.content
    body = r.json()
    assert len(body["paper"]) == 5 and "key" not in r.content.decode() and "perm" not in r.content.decode()
    again = post(c, f"/api/practice/quizzes/{pw.quiz.pk}/attempts").json()
    assert again["id"] == body["id"] and again["paper"] == body["paper"]  # resumed, same order

    from deltaunion.practice.models import QuizAttempt

    attempt = QuizAttempt.objects.get(pk=body["id"])
    qid = body["paper"][0]["id"]
    good = shown_right_index(attempt, qid)
    url = f"/api/practice/attempts/{attempt.pk}/answers"
    first = post(c, url, {"question": qid, "response": [good]})
    assert first.status_code == 200, first.content
    assert first.json() | {} == {
        "question": qid,
        "correct": True,
        "points": 10,
        "score": 10,
        "answered": 1,
        "total": 5,
        "duplicate": False,
    }
    retry = post(c, url, {"question": qid, "response": [good]}).json()
    assert retry["duplicate"] and retry["score"] == 10
    assert QuizAnswer.objects.filter(attempt=attempt).count() == 1
    bad = post(c, url, {"question": qid + 10_000, "response": [0]})
    assert bad.status_code == 400 and bad.json()["detail"]
    # someone else's attempt is a 404
    other = client_for(pw.workers[1])
    assert post(other, url, {"question": qid, "response": [0]}).status_code == 404
    assert other.get(f"/api/practice/attempts/{attempt.pk}").status_code == 404
    board = c.get(f"/api/practice/boards/quiz/{pw.quiz.pk}/person", {"top": 5, "neighbours": 2}).json()
    assert board["backend"] in ("redis", "database")


def test_ping_needs_a_login(pw):
    assert Client().get("/api/practice/ping").status_code == 401
    assert client_for(pw.workers[0]).get("/api/practice/ping").json() == {"ok": True}


def test_banks_practice_wrong_book_and_quizzes_over_the_api(pw):
    c = client_for(pw.workers[0])
    [bank] = [b for b in c.get("/api/practice/banks").json() if b["id"] == pw.bank.pk]
    assert (bank["questions"], bank["topics"], bank["owner"]) == (12, ["安全"], pw.bank.owner.name)
    q = c.get(f"/api/practice/banks/{pw.bank.pk}/next").json()
    assert q["bank"] == pw.bank.pk and len(q["options"]) == 4 and "answer" not in q
    wrong = post(c, f"/api/practice/questions/{q['id']}/answer", {"response": [0]}).json()
    assert wrong["correct"] is False and wrong["right_answer"].startswith("B.")
    [entry] = c.get("/api/practice/wrong-book").json()
    assert entry["question"]["id"] == q["id"] and entry["question"]["bank"] == pw.bank.pk and entry["times_wrong"] == 1
    [quiz] = [z for z in c.get("/api/practice/quizzes").json() if z["id"] == pw.quiz.pk]
    assert (quiz["contest"], quiz["questions"], quiz["max_score"], quiz["status"]) == (pw.contest.pk, 5, 50, "open")


needs_postgresql = pytest.mark.skipif(
    "postgresql" not in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
    reason="the process's copy of an attempt is kept on PostgreSQL only (runs in CI's PostgreSQL pass)",
)


@pytest.fixture
def fresh_answer_cache():
    from deltaunion.practice import selectors

    selectors._answer_attempts.clear()
    yield
    selectors._answer_attempts.clear()


@needs_postgresql
def test_the_next_answers_of_an_attempt_are_one_statement_and_change_nothing_else(pw, fresh_answer_cache):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deltaunion.practice.models import QuizAttempt, QuizParticipant

    user = pw.workers[0]
    c = client_for(user)
    body = post(c, f"/api/practice/quizzes/{pw.quiz.pk}/attempts").json()
    attempt = QuizAttempt.objects.get(pk=body["id"])
    url = f"/api/practice/attempts/{attempt.pk}/answers"
    ids = [item["id"] for item in body["paper"]]
    assert post(c, url, {"question": ids[0], "response": [shown_right_index(attempt, ids[0])]}).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        second = post(c, url, {"question": ids[1], "response": [shown_right_index(attempt, ids[1])]})
    assert second.status_code == 200, second.content
    assert second.json()["score"] == 20 and second.json()["answered"] == 2 and not second.json()["duplicate"]
    practice_queries = [q["sql"] for q in ctx.captured_queries if "practice_" in q["sql"]]
    assert len(practice_queries) == 1 and practice_queries[0].startswith("WITH ins AS")
    # A retry through the copy: counted once, the first result, as from a fresh read.
    retry = post(c, url, {"question": ids[1], "response": [shown_right_index(attempt, ids[1])]}).json()
    assert retry["duplicate"] and retry["correct"] and retry["score"] == 20 and retry["answered"] == 2
    # A wrong answer, then the best and the attempt as the rules have them.
    wrong = (shown_right_index(attempt, ids[2]) + 1) % 4
    assert post(c, url, {"question": ids[2], "response": [wrong]}).json()["correct"] is False
    attempt.refresh_from_db()
    assert (attempt.score, attempt.answered) == (20, 3)
    assert QuizParticipant.objects.get(quiz=pw.quiz, user=user).best_score == 20
    assert QuizAnswer.objects.filter(attempt=attempt).count() == 3


@needs_postgresql
def test_an_attempt_finished_or_expired_behind_the_copy_is_refused_as_before(pw, fresh_answer_cache):
    import datetime as dt

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from deltaunion.practice import selectors, services
    from deltaunion.practice.models import QuizAttempt

    user, other = pw.workers[0], pw.workers[1]
    c = client_for(user)
    body = post(c, f"/api/practice/quizzes/{pw.quiz.pk}/attempts").json()
    attempt = QuizAttempt.objects.get(pk=body["id"])
    url = f"/api/practice/attempts/{attempt.pk}/answers"
    ids = [item["id"] for item in body["paper"]]
    assert post(c, url, {"question": ids[0], "response": [shown_right_index(attempt, ids[0])]}).status_code == 200
    # another user never reads this user's copy
    assert post(client_for(other), url, {"question": ids[1], "response": [0]}).status_code == 404
    # finished behind the copy (another process): a new answer is refused, a retry answered as before
    QuizAttempt.objects.filter(pk=attempt.pk).update(finished_at=timezone.now())
    refused = post(c, url, {"question": ids[1], "response": [shown_right_index(attempt, ids[1])]})
    assert refused.status_code == 400 and QuizAnswer.objects.filter(attempt=attempt).count() == 1
    retry = post(c, url, {"question": ids[0], "response": [shown_right_index(attempt, ids[0])]})
    assert retry.status_code == 200 and retry.json()["duplicate"]
    # expired while in the copy: refused and finished, exactly as from a fresh read
    QuizAttempt.objects.filter(pk=attempt.pk).update(finished_at=None)
    copy = selectors.attempt_for_answer(user, attempt.pk, ids[2])
    assert getattr(copy, "from_cache", False)
    later = attempt.deadline + dt.timedelta(seconds=1)
    with pytest.raises(ValidationError):
        services.quiz_answer(attempt=copy, by=user, question_id=ids[2], response=[0], now=later)
    attempt.refresh_from_db()
    assert attempt.finished_at == attempt.deadline
    assert QuizAnswer.objects.filter(attempt=attempt).count() == 1


def test_answers_take_the_hot_path_and_answer_as_ninja_does(pw):
    """An answer in the simple shape is served by core.api.hot (no pydantic, no route walk); any
    other request on the same URL by ninja's own view. Both give the same answers, the same
    refusals (404 for not-yours, 401 without a login, ninja's 400/422/405) and the same OpenAPI."""
    from django.urls import resolve

    from deltaunion.core.api import _HotView
    from deltaunion.practice.models import QuizAttempt

    user = pw.workers[0]
    c = client_for(user)
    body = post(c, f"/api/practice/quizzes/{pw.quiz.pk}/attempts").json()
    attempt = QuizAttempt.objects.get(pk=body["id"])
    url = f"/api/practice/attempts/{attempt.pk}/answers"
    assert isinstance(resolve(url).func, _HotView)
    ids = [item["id"] for item in body["paper"]]
    right = {q: shown_right_index(attempt, q) for q in ids}
    # hot: an integer question; ninja: the same question as text (pydantic reads it as the integer)
    hot = post(c, url, {"question": ids[0], "response": [right[ids[0]]]})
    via_ninja = post(c, url, {"question": str(ids[1]), "response": [right[ids[1]]]})
    assert hot.status_code == via_ninja.status_code == 200
    assert hot["Content-Type"] == via_ninja["Content-Type"] == "application/json"
    assert hot.json() == {**via_ninja.json(), "question": ids[0], "score": 10, "answered": 1}
    assert via_ninja.json() == {
        "question": ids[1],
        "correct": True,
        "points": 10,
        "score": 20,
        "answered": 2,
        "total": 5,
        "duplicate": False,
    }
    # a retry through either path: counted once, the first result
    for question in (ids[0], str(ids[0])):
        retry = post(c, url, {"question": question, "response": [right[ids[0]]]}).json()
        assert retry["duplicate"] and retry["correct"] and retry["score"] == 20 and retry["answered"] == 2
    assert QuizAnswer.objects.filter(attempt=attempt).count() == 2
    # the same refusals as before
    wrong_shape = post(c, url, {"question": ids[2]})
    assert wrong_shape.status_code == 422 and wrong_shape.json()["detail"][0]["loc"] == ["body", "payload", "response"]
    assert post(c, url, {"question": "x", "response": [0]}).status_code == 422
    broken = c.post(url, data=b"{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.json() == {"detail": "Cannot parse request body"}
    off_paper = post(c, url, {"question": ids[0] + 10_000, "response": [0]})
    assert off_paper.status_code == 400 and off_paper.json()["detail"]
    other = client_for(pw.workers[1])
    hot_404, ninja_404 = (post(other, url, {"question": q, "response": [right[ids[2]]]}) for q in (ids[2], str(ids[2])))
    assert hot_404.status_code == ninja_404.status_code == 404
    assert hot_404.content == ninja_404.content and hot_404["Content-Type"] == ninja_404["Content-Type"]
    missing = post(c, f"/api/practice/attempts/{attempt.pk + 1000}/answers", {"question": ids[2], "response": [0]})
    assert missing.status_code == 404
    hot_401, ninja_401 = (
        post(Client(), url, {"question": q, "response": [right[ids[2]]]}) for q in (ids[2], str(ids[2]))
    )
    assert hot_401.status_code == ninja_401.status_code == 401 and hot_401.content == ninja_401.content
    assert post(Client(HTTP_AUTHORIZATION="Bearer du_nonsense"), url, {"question": ids[2]}).status_code == 401
    assert c.get(url).status_code == 405
    huge = post(c, f"/api/practice/attempts/{2**70}/answers", {"question": ids[2], "response": [0]})
    assert huge.status_code in (400, 404)
    assert QuizAnswer.objects.filter(attempt=attempt).count() == 2
    # documented as before
    schema = Client().get("/api/openapi.json").json()
    operation = schema["paths"]["/api/practice/attempts/{attempt_id}/answers"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("QuizAnswerIn")
    assert operation["security"] == [{"LoggedIn": []}]


def test_board_reads_take_the_hot_path_and_answer_as_ninja_does(pw):
    """A board read with `top`/`neighbours` (or neither) is served by core.api.hot; any other query
    by ninja's own view, with the same answers and refusals and the same OpenAPI."""
    from django.urls import resolve

    from deltaunion.core.api import _HotView

    user = pw.workers[0]
    c = client_for(user)
    post(c, f"/api/practice/quizzes/{pw.quiz.pk}/attempts")
    url = f"/api/practice/boards/quiz/{pw.quiz.pk}/person"
    assert isinstance(resolve(url).func, _HotView)
    hot = c.get(url, {"top": 5, "neighbours": 2})
    via_ninja = c.get(url, {"top": 5, "neighbours": 2, "other": "x"})  # a parameter the hot path leaves to ninja
    assert hot.status_code == via_ninja.status_code == 200
    assert hot.json() == via_ninja.json() and hot["Content-Type"] == via_ninja["Content-Type"]
    assert hot.json()["kind"] == "quiz" and hot.json()["level"] == "person"
    defaults = c.get(url).json()
    assert defaults == c.get(url, {"top": 10, "neighbours": 3, "other": "x"}).json()
    # the same refusals as before
    for query in ({"top": 101}, {"top": -1}, {"top": "x"}, {"neighbours": 1000}):
        refused = c.get(url, query)
        assert refused.status_code == 422, query
    assert c.get(f"/api/practice/boards/quiz/{pw.quiz.pk}/galaxy").status_code == 404
    assert c.get(f"/api/practice/boards/nothing/{pw.quiz.pk}/person").status_code == 404
    assert c.get(f"/api/practice/boards/quiz/{pw.quiz.pk + 1000}/person").status_code == 404
    hot_401, ninja_401 = Client().get(url), Client().get(url, {"other": "x"})
    assert hot_401.status_code == ninja_401.status_code == 401 and hot_401.content == ninja_401.content
    assert post(c, url).status_code == 405
    schema = Client().get("/api/openapi.json").json()
    operation = schema["paths"]["/api/practice/boards/{kind}/{object_id}/{level}"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"kind", "object_id", "level", "top", "neighbours"}

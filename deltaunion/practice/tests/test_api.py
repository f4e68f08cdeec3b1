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

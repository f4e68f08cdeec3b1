"""The practice JSON API: free practice, quizzes, and the boards of every registered kind.

Every object is fetched for the caller (404 for missing and not-yours). A quiz paper never
carries its answer key; answers are scored on the server and a retried answer counts once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, JsonResponse
from ninja import Query, Router, Schema, Status
from pydantic import BaseModel

from deltaunion.core import leaderboards
from deltaunion.core.api import SmallCount, hot, json_object
from deltaunion.core.api_auth import logged_in
from deltaunion.core.hotwsgi import hot_call
from deltaunion.core.renderers import json_response
from deltaunion.orgs.scoping import get_for_user_or_404
from deltaunion.practice import selectors, services
from deltaunion.practice.models import Question, Quiz
from deltaunion.practice.views import board_owner_or_404

router = Router(tags=["practice"])


def _fast_json(data: dict[str, Any]) -> JsonResponse:
    """The hot endpoints (answers, boards, likes) build exactly their documented schema and
    return it directly: ninja passes an HttpResponse through, which saves the per-request
    validation of the response (several ms for a 100-row board on this machine)."""
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@router.get("/ping", auth=logged_in)
def ping(request):
    """Authenticated no-op (the benchmarks' baseline)."""
    return {"ok": True}


# --- free practice -----------------------------------------------------------------------------


class BankOut(Schema):
    id: int
    name: str
    trade: str
    occupation_code: str
    owner: str
    questions: int
    topics: list[str]
    is_demo: bool


class QuestionOut(Schema):
    id: int
    bank: int
    topic: str
    kind: str
    difficulty: int
    stem: str
    options: list[str]

    @staticmethod
    def resolve_bank(q: Question) -> int:
        return q.bank_id


class AnswerIn(Schema):
    response: Any


class PracticeResultOut(Schema):
    correct: bool
    right_answer: str
    explanation: str


@router.get("/banks", response=list[BankOut], auth=logged_in)
def bank_list(request):
    """Question banks open to me."""
    return [
        {
            "id": bank.pk,
            "name": bank.name,
            "trade": bank.trade,
            "occupation_code": bank.occupation_code,
            "owner": bank.owner.name,
            "questions": bank.n,
            "topics": topics,
            "is_demo": bank.is_demo,
        }
        for bank, topics in selectors.banks_with_topics(list(selectors.banks_counted(request.user)))
    ]


@router.get("/banks/{bank_id}/next", response={200: QuestionOut, 204: None}, auth=logged_in)
def bank_next(request, bank_id: int, topic: str = "", wrong: bool = False):
    """A random practice question (optionally of a topic, or from my wrong-answer book)."""
    bank = get_for_user_or_404(selectors.banks_for(request.user), request.user, pk=bank_id)
    q = selectors.practice_question(bank, request.user, topic=topic, wrong_only=wrong)
    if q is None:
        return Status(204, None)
    return q


@router.post("/questions/{question_id}/answer", response=PracticeResultOut, auth=logged_in)
def question_answer(request, question_id: int, payload: AnswerIn):
    """Check a practice answer; shows the right answer and the explanation."""
    q = selectors.question_for_user_or_404(request.user, question_id)
    r = services.practice_answer(question=q, by=request.user, response=payload.response)
    return {"correct": r.correct, "right_answer": r.right_answer, "explanation": r.explanation}


class WrongOut(Schema):
    question: QuestionOut
    times_wrong: int
    last_wrong_at: dt.datetime
    right_answer: str
    explanation: str


@router.get("/wrong-book", response=list[WrongOut], auth=logged_in)
def wrong_book(request, bank: int | None = None):
    """My wrong-answer book."""
    return [
        {
            "question": w.question,
            "times_wrong": w.times_wrong,
            "last_wrong_at": w.last_wrong_at,
            "right_answer": selectors.right_answer_text(w.question),
            "explanation": w.question.explanation,
        }
        for w in selectors.wrong_book(request.user, bank_id=bank)[:500]
    ]


# --- quizzes -----------------------------------------------------------------------------------


class QuizOut(Schema):
    id: int
    title: str
    contest: int
    status: str
    questions: int
    points_per_question: int
    max_score: int
    time_limit_seconds: int
    attempts_per_day: int
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None

    @staticmethod
    def resolve_contest(quiz: Quiz) -> int:
        return quiz.contest_id

    @staticmethod
    def resolve_questions(quiz: Quiz) -> int:
        return quiz.question_count


class PaperQuestion(Schema):
    number: int
    id: int
    kind: str
    stem: str
    options: list[str]
    answered: bool
    response: Any = None
    correct: bool | None = None


class AttemptOut(Schema):
    id: int
    quiz: int
    seed: str
    started_at: dt.datetime
    deadline: dt.datetime
    seconds_left: int
    finished: bool
    score: int
    answered: int
    total: int
    time_used_ms: int
    paper: list[PaperQuestion]


class QuizAnswerIn(Schema):
    question: int
    response: Any


class QuizAnswerOut(BaseModel):
    question: int
    correct: bool
    points: int
    score: int
    answered: int
    total: int
    duplicate: bool


def _attempt_out(attempt) -> dict[str, Any]:
    return {**selectors.attempt_state(attempt), "paper": selectors.attempt_paper(attempt)}


@router.get("/quizzes", response=list[QuizOut], auth=logged_in)
def quiz_list(request):
    """Quizzes I can see."""
    return list(selectors.quizzes_for(request.user)[:200])


@router.post("/quizzes/{quiz_id}/attempts", response=AttemptOut, auth=logged_in)
def attempt_start(request, quiz_id: int):
    """Start an attempt, or resume the one running (the same paper and order as before)."""
    quiz = selectors.quiz_for_user_or_404(request.user, quiz_id)
    return _attempt_out(services.quiz_start(quiz=quiz, by=request.user))


@router.get("/attempts/{attempt_id}", response=AttemptOut, auth=logged_in)
def attempt_detail(request, attempt_id: int):
    """One of my attempts."""
    return _attempt_out(selectors.attempt_for_user_or_404(request.user, attempt_id))


@router.post("/attempts/{attempt_id}/answers", response=QuizAnswerOut, auth=logged_in)
def attempt_answer(request, attempt_id: int, payload: QuizAnswerIn):
    """Answer one question; sending the same answer again counts once."""
    return json_response(answer_data(request.user, attempt_id, payload.question, payload.response))


def answer_data(user: Any, attempt_id: int, question: int, response: Any) -> dict[str, Any]:
    """The answer's JSON (QuizAnswerOut), for the view and for core.hotwsgi."""
    attempt = selectors.attempt_for_answer(user, attempt_id, question)
    r = services.quiz_answer(attempt=attempt, by=user, question_id=question, response=response)
    return {
        "question": r.question_id,
        "correct": r.correct,
        "points": r.points,
        "score": r.score,
        "answered": r.answered,
        "total": r.total,
        "duplicate": r.duplicate,
    }


def _answer_fields(body: dict[str, Any]) -> dict[str, Any] | None:
    """An answer in the simple shape: `question` an integer, a `response`; else None (ninja's
    validation answers, with its 422s)."""
    if type(body.get("question")) is not int or "response" not in body:
        return None
    return {"question": body["question"], "response": body["response"]}


def _answer_args(request, attempt_id: int) -> dict[str, Any] | None:
    """The hot path's reading of an answer (core.api.hot)."""
    body = json_object(request)
    fields = None if body is None else _answer_fields(body)
    if fields is None:
        return None
    return {"attempt_id": attempt_id, "payload": QuizAnswerIn.model_construct(**fields)}


def _answer_accept(body: dict[str, Any] | None, attempt_id: int) -> dict[str, Any] | None:
    fields = None if body is None else _answer_fields(body)
    return None if fields is None else {"attempt_id": attempt_id, **fields}


hot(router, "/attempts/{attempt_id}/answers", method="POST", args=_answer_args)
hot_call(router, "/attempts/{attempt_id}/answers", method="POST", accept=_answer_accept, run=answer_data)


@router.post("/attempts/{attempt_id}/finish", response=AttemptOut, auth=logged_in)
def attempt_finish(request, attempt_id: int):
    """Hand the paper in."""
    attempt = selectors.attempt_for_user_or_404(request.user, attempt_id)
    return _attempt_out(services.quiz_finish(attempt=attempt, by=request.user))


# --- leaderboards ------------------------------------------------------------------------------


class BoardRow(BaseModel):  # plain pydantic: ninja's Schema resolver costs ~0.1 ms a row
    rank: int
    member: str
    label: str
    score: int
    time_ms: int | None = None
    is_me: bool


class BoardOut(BaseModel):
    kind: str
    object_id: int
    level: str
    size: int
    backend: str
    top: list[BoardRow]
    me: BoardRow | None
    around: list[BoardRow]


class BoardQuery(Schema):
    top: SmallCount = 10
    neighbours: SmallCount = 3


@router.get("/boards/{kind}/{object_id}/{level}", response=BoardOut, auth=logged_in)
def board(request, kind: str, object_id: int, level: str, query: Query[BoardQuery]):
    """A leaderboard (kind quiz|campaign; level person|team|unit|city|province): top N and my rank with neighbours."""
    if level not in leaderboards.LEVELS:
        raise Http404("not found")
    board_owner_or_404(request.user, kind, object_id)
    view = leaderboards.view(
        leaderboards.Board(kind, object_id, level), request.user, top_n=query.top, neighbours=query.neighbours
    )
    return _fast_json(
        {
            "kind": kind,
            "object_id": object_id,
            "level": level,
            "size": view.size,
            "backend": "redis" if leaderboards.uses_redis() else "database",
            "top": view.top,
            "me": view.me,
            "around": view.around,
        }
    )


def _board_args(request, kind: str, object_id: int, level: str) -> dict[str, Any] | None:
    """The hot path's reading of a board read (core.api.hot): `top` and `neighbours`, each
    absent or one whole number 0–100; any other query is left to ninja (its 422s)."""
    counts = {"top": 10, "neighbours": 3}
    for name, values in request.GET.lists():
        if name not in counts or len(values) != 1 or not values[0].isdigit() or int(values[0]) > 100:
            return None
        counts[name] = int(values[0])
    return {"kind": kind, "object_id": object_id, "level": level, "query": BoardQuery.model_construct(**counts)}


hot(router, "/boards/{kind}/{object_id}/{level}", method="GET", args=_board_args, text=("kind", "level"))

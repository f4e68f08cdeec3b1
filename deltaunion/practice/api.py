"""The practice JSON API: free practice, quizzes, boards, campaigns, posts.

Every object is fetched for the caller (404 for missing and not-yours). A quiz paper never
carries its answer key; answers are scored on the server and a retried answer counts once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import BaseModel

from deltaunion.core.api_auth import logged_in
from deltaunion.orgs.scoping import get_for_user_or_404
from deltaunion.practice import leaderboards, selectors, services
from deltaunion.practice.models import Campaign, CampaignRule, CampaignTeam, Question, QuestionBank, Quiz

router = Router(tags=["practice"])


def _fast_json(data: dict[str, Any]) -> JsonResponse:
    """The hot endpoints (answers, boards, likes) build exactly their documented schema and
    return it directly: ninja passes an HttpResponse through, which saves the per-request
    validation of the response (several ms for a 100-row board on this machine)."""
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@router.get("/ping", auth=logged_in, summary="Authenticated no-op (the benchmarks' baseline)")
def ping(request):
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


class AnswerIn(Schema):
    response: Any


class PracticeResultOut(Schema):
    correct: bool
    right_answer: str
    explanation: str


def _question_out(q: Question) -> dict[str, Any]:
    return {
        "id": q.pk,
        "bank": q.bank_id,
        "topic": q.topic,
        "kind": q.kind,
        "difficulty": q.difficulty,
        "stem": q.stem,
        "options": list(q.options),
    }


@router.get("/banks", response=list[BankOut], auth=logged_in, summary="Question banks open to me")
def bank_list(request):
    out = []
    for bank in selectors.banks_for(request.user):
        topics = selectors.bank_topics(bank)
        out.append(
            {
                "id": bank.pk,
                "name": bank.name,
                "trade": bank.trade,
                "occupation_code": bank.occupation_code,
                "owner": bank.owner.name,
                "questions": bank.questions.count(),
                "topics": topics,
                "is_demo": bank.is_demo,
            }
        )
    return out


@router.get(
    "/banks/{bank_id}/next",
    response={200: QuestionOut, 204: None},
    auth=logged_in,
    summary="A random practice question (optionally of a topic, or from my wrong-answer book)",
)
def bank_next(request, bank_id: int, topic: str = "", wrong: bool = False):
    bank = get_for_user_or_404(QuestionBank, request.user, pk=bank_id)
    q = services.practice_next(bank=bank, by=request.user, topic=topic, wrong_only=wrong)
    if q is None:
        return 204, None
    return _question_out(q)


@router.post(
    "/questions/{question_id}/answer",
    response=PracticeResultOut,
    auth=logged_in,
    summary="Check a practice answer; shows the right answer and the explanation",
)
def question_answer(request, question_id: int, payload: AnswerIn):
    q = get_for_user_or_404(Question.objects.select_related("bank"), request.user, pk=question_id)
    r = services.practice_answer(question=q, by=request.user, response=payload.response)
    return {"correct": r.correct, "right_answer": r.right_answer, "explanation": r.explanation}


class WrongOut(Schema):
    question: QuestionOut
    times_wrong: int
    last_wrong_at: dt.datetime
    right_answer: str
    explanation: str


@router.get("/wrong-book", response=list[WrongOut], auth=logged_in, summary="My wrong-answer book")
def wrong_book(request, bank: int | None = None):
    return [
        {
            "question": _question_out(w.question),
            "times_wrong": w.times_wrong,
            "last_wrong_at": w.last_wrong_at,
            "right_answer": services.right_answer_text(w.question),
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


def _quiz_out(quiz: Quiz) -> dict[str, Any]:
    return {
        "id": quiz.pk,
        "title": quiz.title,
        "contest": quiz.contest_id,
        "status": quiz.status,
        "questions": quiz.question_count,
        "points_per_question": quiz.points_per_question,
        "max_score": quiz.max_score,
        "time_limit_seconds": quiz.time_limit_seconds,
        "attempts_per_day": quiz.attempts_per_day,
        "opens_at": quiz.opens_at,
        "closes_at": quiz.closes_at,
    }


def _attempt_out(attempt) -> dict[str, Any]:
    return {**selectors.attempt_state(attempt), "paper": selectors.attempt_paper(attempt)}


@router.get("/quizzes", response=list[QuizOut], auth=logged_in, summary="Quizzes I can see")
def quiz_list(request):
    return [_quiz_out(q) for q in selectors.quizzes_for(request.user)[:200]]


@router.post(
    "/quizzes/{quiz_id}/attempts",
    response=AttemptOut,
    auth=logged_in,
    summary="Start an attempt, or resume the one running (the same paper and order as before)",
)
def attempt_start(request, quiz_id: int):
    quiz = get_for_user_or_404(Quiz.objects.select_related("bank"), request.user, pk=quiz_id)
    return _attempt_out(services.quiz_start(quiz=quiz, by=request.user))


@router.get("/attempts/{attempt_id}", response=AttemptOut, auth=logged_in, summary="One of my attempts")
def attempt_detail(request, attempt_id: int):
    return _attempt_out(selectors.attempt_for_user_or_404(request.user, attempt_id))


@router.post(
    "/attempts/{attempt_id}/answers",
    response=QuizAnswerOut,
    auth=logged_in,
    summary="Answer one question; sending the same answer again counts once",
)
def attempt_answer(request, attempt_id: int, payload: QuizAnswerIn):
    attempt = selectors.attempt_for_answer(request.user, attempt_id, payload.question)
    r = services.quiz_answer(attempt=attempt, by=request.user, question_id=payload.question, response=payload.response)
    return _fast_json(
        {
            "question": r.question_id,
            "correct": r.correct,
            "points": r.points,
            "score": r.score,
            "answered": r.answered,
            "total": r.total,
            "duplicate": r.duplicate,
        }
    )


@router.post("/attempts/{attempt_id}/finish", response=AttemptOut, auth=logged_in, summary="Hand the paper in")
def attempt_finish(request, attempt_id: int):
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
    top: int = 10
    neighbours: int = 3


def board_object_or_404(user, kind: str, object_id: int) -> None:
    """404 unless the user may see the quiz or campaign. Open and closed quizzes and all
    campaigns are public (their scope_public_q), so the common case costs one small query."""
    if kind == "quiz":
        with connection.cursor() as cursor:  # plain SQL: this runs on every leaderboard read
            cursor.execute(f"SELECT status FROM {Quiz._meta.db_table} WHERE id = %s", [object_id])
            row = cursor.fetchone()
        status = row[0] if row else None
        if status is None or (status == Quiz.Status.DRAFT and get_for_user_or_404(Quiz, user, pk=object_id) is None):
            raise Http404("not found")
        return
    if kind == "campaign":
        if not Campaign.objects.filter(pk=object_id).exists():
            raise Http404("not found")
        return
    raise Http404("not found")


@router.get(
    "/boards/{kind}/{object_id}/{level}",
    response=BoardOut,
    auth=logged_in,
    summary="A leaderboard (kind quiz|campaign; level person|team|unit|city|province): top N and my rank with neighbours",
)
def board(request, kind: str, object_id: int, level: str, query: Query[BoardQuery]):
    if level not in leaderboards.LEVELS:
        raise Http404("not found")
    board_object_or_404(request.user, kind, object_id)
    view = selectors.board_view(
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


# --- campaigns ---------------------------------------------------------------------------------


class RuleOut(Schema):
    code: str
    name: str
    points: int
    once_only: bool
    per_day_cap: int | None
    per_week_cap: int | None
    total_cap: int | None
    value_label: str


class CampaignOut(Schema):
    id: int
    title: str
    contest: int
    starts_on: dt.date
    ends_on: dt.date
    max_points: int | None
    rules: list[RuleOut]
    teams: list[str]


class JoinIn(Schema):
    team: str = ""


class ActionIn(Schema):
    rule: str
    source_key: str
    occurred_on: dt.date | None = None
    value: str | None = None
    note: str = ""


class AwardOut(Schema):
    rule: str
    source_key: str
    occurred_on: dt.date
    points: int
    requested: int
    created: bool
    total_points: int


class MeOut(Schema):
    points: int
    streak: int
    longest_streak: int
    rank: int | None
    team: str | None


def _campaign_out(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "contest": c.contest_id,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "max_points": c.max_points,
        "rules": list(c.rules.all()),
        "teams": [t.name for t in c.teams.all()],
    }


@router.get("/campaigns", response=list[CampaignOut], auth=logged_in, summary="Points campaigns")
def campaign_list(request):
    return [_campaign_out(c) for c in selectors.campaigns_for(request.user).prefetch_related("rules", "teams")[:200]]


@router.post("/campaigns/{campaign_id}/join", response=MeOut, auth=logged_in, summary="Join a campaign")
def campaign_join(request, campaign_id: int, payload: JoinIn):
    campaign = get_for_user_or_404(Campaign, request.user, pk=campaign_id)
    team = None
    if payload.team:
        team = CampaignTeam.objects.filter(campaign=campaign, name=payload.team).first()
        if team is None:
            raise ValidationError(_("There is no team named %(name)s") % {"name": payload.team})
    services.campaign_join(campaign=campaign, by=request.user, team=team)
    return _me(campaign, request.user)


def _me(campaign: Campaign, user) -> dict[str, Any]:
    me = selectors.campaign_me(campaign, user)
    if me is None:
        raise Http404("not found")
    return {
        "points": me["points"],
        "streak": me["streak"],
        "longest_streak": me["longest_streak"],
        "rank": me["rank"],
        "team": me["member"].team.name if me["member"].team else None,
    }


@router.get("/campaigns/{campaign_id}/me", response=MeOut, auth=logged_in, summary="My points, streaks and rank")
def campaign_me(request, campaign_id: int):
    return _me(get_for_user_or_404(Campaign, request.user, pk=campaign_id), request.user)


@router.post(
    "/campaigns/{campaign_id}/actions",
    response=AwardOut,
    auth=logged_in,
    summary="Log an action; points within the rule's caps; the same source_key counts once",
)
def campaign_action(request, campaign_id: int, payload: ActionIn):
    campaign = get_for_user_or_404(Campaign, request.user, pk=campaign_id)
    rule = get_object_or_404(CampaignRule, campaign=campaign, code=payload.rule)
    award, created = services.action_log(
        campaign=campaign,
        by=request.user,
        rule=rule,
        source_key=payload.source_key,
        occurred_on=payload.occurred_on,
        value=payload.value,
        note=payload.note,
    )
    award.member.refresh_from_db(fields=["points"])
    return {
        "rule": rule.code,
        "source_key": award.source_key,
        "occurred_on": award.occurred_on,
        "points": award.points,
        "requested": award.requested,
        "created": created,
        "total_points": award.member.points,
    }


# --- posts -------------------------------------------------------------------------------------


class PostIn(Schema):
    kind: str
    title: str
    body: str
    contest: int | None = None


class PostOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    author: str
    organisation: str
    created_at: dt.datetime
    likes: int
    comments: int


class LikeOut(BaseModel):
    liked: bool
    changed: bool


class CommentIn(Schema):
    body: str


class ReportIn(Schema):
    reason: str
    comment: int | None = None


def _posts_out(posts, viewer) -> list[dict[str, Any]]:
    counts = selectors.live_counts(posts)
    return [
        {
            "id": p.pk,
            "kind": p.kind,
            "title": p.title,
            "body": p.body,
            "author": selectors.mask_name(p.author.full_name) if p.author_id != viewer.pk else p.author.full_name,
            "organisation": p.organisation.name,
            "created_at": p.created_at,
            "likes": counts.get(p.pk, (0, 0))[0],
            "comments": counts.get(p.pk, (0, 0))[1],
        }
        for p in posts
    ]


@router.get("/posts", response=list[PostOut], auth=logged_in, summary="Posts (news, skill tips, results)")
def post_list(request, kind: str = "", contest: int | None = None, limit: int = 20, offset: int = 0):
    qs = selectors.posts_for(request.user, kind=kind, contest_id=contest)
    limit = max(1, min(limit, 100))
    return _posts_out(list(qs[offset : offset + limit]), request.user)


@router.post("/posts", response={201: PostOut}, auth=logged_in, summary="Write a post")
def post_create(request, payload: PostIn):
    from deltaunion.contests.models import Contest

    contest = get_for_user_or_404(Contest, request.user, pk=payload.contest) if payload.contest else None
    post = services.post_create(
        by=request.user, kind=payload.kind, title=payload.title, body=payload.body, contest=contest
    )
    return 201, _posts_out([post], request.user)[0]


@router.get("/posts/{post_id}", response=PostOut, auth=logged_in, summary="One post")
def post_detail(request, post_id: int):
    return _posts_out([selectors.post_for_user_or_404(request.user, post_id)], request.user)[0]


@router.post("/posts/{post_id}/like", response=LikeOut, auth=logged_in, summary="Like a post (once)")
def post_like(request, post_id: int):
    post = selectors.post_to_like_or_404(request.user, post_id)
    return _fast_json({"liked": True, "changed": services.post_like(post=post, by=request.user)})


@router.delete("/posts/{post_id}/like", response=LikeOut, auth=logged_in, summary="Take a like back")
def post_unlike(request, post_id: int):
    post = selectors.post_for_user_or_404(request.user, post_id)
    return {"liked": False, "changed": services.post_unlike(post=post, by=request.user)}


@router.post("/posts/{post_id}/comments", response={201: dict}, auth=logged_in, summary="Comment on a post")
def post_comment(request, post_id: int, payload: CommentIn):
    post = selectors.post_for_user_or_404(request.user, post_id)
    comment = services.comment_add(post=post, by=request.user, body=payload.body)
    return 201, {"id": comment.pk}


@router.post("/posts/{post_id}/reports", response={201: dict}, auth=logged_in, summary="Report abuse")
def post_report(request, post_id: int, payload: ReportIn):
    post = selectors.post_for_user_or_404(request.user, post_id)
    comment = None
    if payload.comment:
        comment = post.comments.filter(pk=payload.comment, status="published").first()
        if comment is None:
            raise Http404("not found")
    report = services.report_file(post=post, by=request.user, reason=payload.reason, comment=comment)
    return 201, {"id": report.pk}

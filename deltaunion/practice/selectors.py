"""Reads for the practice pages and API. Nothing here writes."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import F, JSONField, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from deltaunion.accounts.models import User
from deltaunion.orgs.models import Organisation, Region
from deltaunion.orgs.scoping import get_for_user_or_404, scope_for, scoped
from deltaunion.people.models import Employer
from deltaunion.practice import counters, leaderboards
from deltaunion.practice.models import (
    Campaign,
    CampaignMember,
    CampaignTeam,
    PointAward,
    Post,
    Question,
    QuestionBank,
    Quiz,
    QuizAnswer,
    QuizAttempt,
    QuizParticipant,
    WrongAnswer,
)


def banks_for(user: Any) -> QuerySet[QuestionBank]:
    return scoped(QuestionBank.objects.select_related("owner"), user)


def bank_topics(bank: QuestionBank) -> list[str]:
    return list(Question.objects.filter(bank=bank).order_by("topic").values_list("topic", flat=True).distinct())


def banks_with_topics(banks: list[QuestionBank]) -> list[tuple[QuestionBank, list[str]]]:
    """Each bank with its topics, in one query."""
    topics: dict[int, list[str]] = {}
    rows = Question.objects.filter(bank__in=banks).order_by("bank_id", "topic").values_list("bank_id", "topic")
    for bank_id, topic in rows.distinct():
        topics.setdefault(bank_id, []).append(topic)
    return [(b, topics.get(b.pk, [])) for b in banks]


def wrong_book(user: Any, *, bank_id: int | None = None, include_mastered: bool = False) -> QuerySet[WrongAnswer]:
    qs = WrongAnswer.objects.filter(user=user).select_related("question__bank")
    if bank_id:
        qs = qs.filter(question__bank_id=bank_id)
    if not include_mastered:
        qs = qs.filter(mastered=False)
    return qs


def quizzes_for(user: Any) -> QuerySet[Quiz]:
    return scoped(Quiz.objects.select_related("contest", "bank"), user)


# --- whether a quiz can be taken now (the same rules quiz_start applies) ---------------------------


def quiz_open_now_q(now: dt.datetime) -> Q:
    return (
        Q(status=Quiz.Status.OPEN)
        & (Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        & (Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    )


def quiz_open_now(quiz: Quiz, now: dt.datetime) -> bool:
    return Quiz.objects.filter(pk=quiz.pk).filter(quiz_open_now_q(now)).exists()


def quiz_participants_of(user: Any, quizzes) -> dict[int, QuizParticipant]:
    ids = [q.pk for q in quizzes]
    return {p.quiz_id: p for p in QuizParticipant.objects.filter(user=user, quiz_id__in=ids)}


def attempts_left_today(quiz: Quiz, participant: QuizParticipant | None) -> int:
    if participant is None or participant.day != timezone.localdate():
        return quiz.attempts_per_day
    return max(0, quiz.attempts_per_day - participant.attempts_on_day)


def attempt_timed_out(attempt: QuizAttempt, now: dt.datetime) -> bool:
    """The attempt ended on its deadline rather than by handing in or answering everything."""
    if attempt.finished_at is None:
        return now >= attempt.deadline
    return attempt.finished_at >= attempt.deadline


def attempt_for_user_or_404(user: Any, attempt_id: int) -> QuizAttempt:
    attempt = QuizAttempt.objects.select_related("quiz").filter(pk=attempt_id).first()
    if attempt is None or attempt.user_id != getattr(user, "pk", None):
        raise Http404("not found")
    return attempt


def attempt_for_answer(user: Any, attempt_id: int, question_id: int) -> QuizAttempt:
    """The user's attempt for scoring one answer (404 otherwise): without its paper or whole
    key, but with `key_item` (this question's key, or None) and `points_each` annotated."""
    # Not KeyTransform: Django reads a numeric key name as an array index.
    table = QuizAttempt._meta.db_table
    if connection.vendor == "postgresql":
        item = RawSQL(f'"{table}"."key" -> %s', [str(int(question_id))], output_field=JSONField())
    else:
        item = RawSQL(f'json_extract("{table}"."key", %s)', [f'$."{int(question_id)}"'], output_field=JSONField())
    attempt = (
        QuizAttempt.objects.filter(pk=attempt_id)
        .defer("paper", "key")
        .annotate(key_item=item, points_each=F("quiz__points_per_question"))
        .first()
    )
    if attempt is None or attempt.user_id != getattr(user, "pk", None):
        raise Http404("not found")
    return attempt


def attempt_paper(attempt: QuizAttempt) -> list[dict[str, Any]]:
    """The paper as the worker sees it: stems and options in this attempt's order, their
    answers so far — never the key."""
    ids = [item["q"] for item in attempt.paper]
    rows = {q.id: q for q in Question.objects.filter(id__in=ids)}
    answered = {a.question_id: a for a in QuizAnswer.objects.filter(attempt=attempt)}
    out = []
    for n, item in enumerate(attempt.paper, start=1):
        q = rows.get(item["q"])
        if q is None:
            continue
        answer = answered.get(q.id)
        out.append(
            {
                "number": n,
                "id": q.id,
                "kind": q.kind,
                "kind_label": str(q.get_kind_display()),
                "stem": q.stem,
                "options": [q.options[i] for i in item["perm"]],
                "answered": answer is not None,
                "response": answer.response if answer else None,
                "correct": answer.correct if answer else None,
            }
        )
    return out


def attempt_state(attempt: QuizAttempt, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    finished = attempt.finished_at is not None or now >= attempt.deadline
    return {
        "id": attempt.pk,
        "quiz": attempt.quiz_id,
        "seed": attempt.seed,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "seconds_left": max(0, int((attempt.deadline - now).total_seconds())) if not finished else 0,
        "finished": finished,
        "score": attempt.score,
        "answered": attempt.answered,
        "total": len(attempt.paper),
        "time_used_ms": attempt.time_used_ms,
    }


# --- leaderboards ------------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧**娜: enough to recognise yourself, not to identify others."""
    name = name or ""
    if len(name) <= 1:
        return name or "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def _user_names(ids: list[int]) -> dict[int, str]:
    """Names by user id, in plain SQL: this runs on every leaderboard read."""
    if not ids:
        return {}
    table = User._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, full_name FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))})", ids)
        return dict(cursor.fetchall())


def board_labels(board: leaderboards.Board, members: list[str], viewer: Any) -> dict[str, str]:
    if not members:
        return {}
    if board.level == "person":
        ids = [int(m) for m in members if m.isdigit()]
        users = _user_names(ids)
        me = str(getattr(viewer, "pk", ""))
        return {m: (users.get(int(m), "") if m == me else mask_name(users.get(int(m), ""))) for m in members}
    if board.level == "team":
        ids = [int(m) for m in members if m.isdigit()]
        model = CampaignTeam if board.kind == "campaign" else Organisation
        return {str(k): v for k, v in model.objects.filter(pk__in=ids).values_list("pk", "name")}
    if board.level == "unit":
        ids = [int(m) for m in members if m.isdigit()]
        return {str(k): v for k, v in Employer.objects.filter(pk__in=ids).values_list("pk", "name")}
    return dict(Region.objects.filter(code__in=members).values_list("code", "name"))


@dataclass(frozen=True)
class BoardView:
    board: leaderboards.Board
    size: int
    top: list[dict[str, Any]]
    me: dict[str, Any] | None
    around: list[dict[str, Any]]


def _rows(entries: list[leaderboards.Entry], labels: dict[str, str], mine: str) -> list[dict[str, Any]]:
    return [
        {
            "rank": e.rank,
            "member": e.member,
            "label": labels.get(e.member, e.member),
            "score": e.score,
            "time_ms": e.time_ms,
            "is_me": e.member == mine,
        }
        for e in entries
    ]


def my_member(board: leaderboards.Board, user: Any) -> str:
    """The viewer's member name on a board ("" when they are not on it)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    if board.level == "person":
        return str(user.pk)
    model = leaderboards._rows_model(board.kind)
    row = model.objects.filter(user=user, **leaderboards._owner_filter(board)).first()
    return leaderboards.members_of(row)[board.level] if row else ""


# Top lists are the same for every viewer (names masked) and change at most as fast as people
# answer, so each process keeps each one for half a second: a board read then costs one Redis
# pipeline and the viewer's own rows. "Updated within a second" still holds.
_top_cache: dict[tuple[str, int], tuple[float, list[dict[str, Any]]]] = {}


def _top_rows(board: leaderboards.Board, top_n: int) -> list[dict[str, Any]] | None:
    hit = _top_cache.get((board.key, top_n))
    return hit[1] if hit and hit[0] > time.monotonic() else None


def board_view(board: leaderboards.Board, viewer: Any, *, top_n: int = 10, neighbours: int = 3) -> BoardView:
    member = my_member(board, viewer)
    cached = _top_rows(board, top_n) if leaderboards.uses_redis() else None
    size, top, mine, near = leaderboards.read(
        board, top_n=0 if cached is not None else top_n, member=member, neighbours=neighbours
    )
    if cached is None:
        public = board_labels(board, [e.member for e in top], None)
        cached = _rows(top, public, "")
        if leaderboards.uses_redis():
            seconds = getattr(settings, "LEADERBOARD_TOP_CACHE_SECONDS", 0.5)
            _top_cache[(board.key, top_n)] = (time.monotonic() + seconds, cached)
    labels = board_labels(board, list({e.member for e in near}), viewer)
    top_rows = [
        {**row, "is_me": True, "label": labels.get(member, row["label"])} if row["member"] == member else row
        for row in cached
    ]
    return BoardView(
        board=board,
        size=size,
        top=top_rows,
        me=_rows([mine], labels, member)[0] if mine else None,
        around=_rows(near, labels, member),
    )


# --- campaigns ---------------------------------------------------------------------------------


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    return scoped(Campaign.objects.select_related("contest"), user)


def streaks(days: list[dt.date], today: dt.date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days; the current run may end today or yesterday."""
    unique = sorted(set(days))
    longest = run = 0
    previous = None
    for day in unique:
        run = run + 1 if previous is not None and day - previous == dt.timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    if unique and (today - unique[-1]).days <= 1:
        current = 1
        for a, b in zip(reversed(unique[:-1]), reversed(unique[1:]), strict=False):
            if b - a != dt.timedelta(days=1):
                break
            current += 1
    return current, longest


def campaign_me(campaign: Campaign, user: Any, today: dt.date | None = None) -> dict[str, Any] | None:
    member = CampaignMember.objects.filter(campaign=campaign, user=user).select_related("team").first()
    if member is None:
        return None
    today = today or timezone.localdate()
    days = list(PointAward.objects.filter(member=member, points__gt=0).values_list("occurred_on", flat=True))
    current, longest = streaks(days, today)
    by_rule = {
        r["rule_id"]: r["total"]
        for r in PointAward.objects.filter(member=member).values("rule_id").annotate(total=Sum("points"))
    }
    board = leaderboards.Board("campaign", campaign.pk, "person")
    mine, _near = leaderboards.around(board, str(user.pk), 0)
    return {
        "member": member,
        "points": member.points,
        "streak": current,
        "longest_streak": longest,
        "rank": mine.rank if mine else None,
        "by_rule": [(rule, by_rule.get(rule.pk, 0)) for rule in campaign.rules.all()],
        "recent": list(PointAward.objects.filter(member=member).select_related("rule")[:20]),
    }


# --- posts -------------------------------------------------------------------------------------


def posts_for(user: Any, *, kind: str = "", contest_id: int | None = None, q: str = "") -> QuerySet[Post]:
    qs = scoped(Post.objects.select_related("author", "organisation", "contest"), user)
    # Hidden posts stay visible to the moderators of their union only (not to their authors).
    qs = qs.filter(Q(status=Post.Status.PUBLISHED) | scope_for(user).org_q("organisation"))
    if kind:
        qs = qs.filter(kind=kind)
    if contest_id:
        qs = qs.filter(contest_id=contest_id)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs


def post_for_user_or_404(user: Any, post_id: int) -> Post:
    return get_for_user_or_404(Post.objects.select_related("author", "organisation"), user, pk=post_id)


def post_to_like_or_404(user: Any, post_id: int) -> Post:
    """A post the user may like: a published post is public, so one small query; anything
    else goes through the full scoping (and a hidden post cannot be liked anyway)."""
    post = Post.objects.filter(pk=post_id).only("id", "status", "organisation_id", "author_id").first()
    if post is None:
        raise Http404("not found")
    if post.status != Post.Status.PUBLISHED:
        return post_for_user_or_404(user, post_id)
    return post


def live_counts(posts: list[Post]) -> dict[int, tuple[int, int]]:
    """(likes, comments) per post: the folded column plus increments not yet folded."""
    counters.maybe_fold()
    ids = [p.pk for p in posts]
    folded = {
        pk: (lc, cc) for pk, lc, cc in Post.objects.filter(pk__in=ids).values_list("pk", "like_count", "comment_count")
    }
    likes = counters.pending("post_likes", ids)
    comments = counters.pending("post_comments", ids)
    return {pk: (lc + likes.get(pk, 0), cc + comments.get(pk, 0)) for pk, (lc, cc) in folded.items()}


def can_moderate(user: Any, post: Post) -> bool:
    return scope_for(user).manages(post.organisation)

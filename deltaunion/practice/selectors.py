"""Reads of online practice for pages, the API and statistics, scoped to the user. Nothing here writes."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from deltaunion.contests.models import Contest, ContestFormat, Stage
from deltaunion.core import leaderboards
from deltaunion.core.permissions import can
from deltaunion.orgs.scoping import get_for_user_or_404, managed, scoped
from deltaunion.practice import questions
from deltaunion.practice.models import (
    Difficulty,
    Question,
    QuestionBank,
    QuestionKind,
    Quiz,
    QuizAnswer,
    QuizAttempt,
    QuizParticipant,
    WrongAnswer,
)

OPTION_COLUMNS = ("选项A", "选项B", "选项C", "选项D", "选项E", "选项F")
KIND_COLUMN_TEXT = {
    QuestionKind.SINGLE: "单选",
    QuestionKind.MULTIPLE: "多选",
    QuestionKind.TRUE_FALSE: "判断",
    QuestionKind.FILL: "填空",
}


# --- banks and questions -------------------------------------------------------------------------


def banks_for(user: Any) -> QuerySet[QuestionBank]:
    """The banks a user may practise from: published ones and those of the unions they manage."""
    return scoped(QuestionBank.objects.select_related("owner"), user)


def banks_counted(user: Any) -> QuerySet[QuestionBank]:
    """`banks_for`, each bank with its number of questions as `n`."""
    return banks_for(user).annotate(n=Count("questions"))


def practice_banks(user: Any, limit: int = 200) -> list[QuestionBank]:
    """The user's banks that have questions, each with its count as `n`."""
    return list(banks_counted(user).filter(n__gt=0)[:limit])


def bank_topics(bank: QuestionBank) -> list[str]:
    return list(Question.objects.filter(bank=bank).order_by("topic").values_list("topic", flat=True).distinct())


def banks_with_topics(banks: list[QuestionBank]) -> list[tuple[QuestionBank, list[str]]]:
    """Each bank with its topics, in one query."""
    topics: dict[int, list[str]] = {}
    rows = Question.objects.filter(bank__in=banks).order_by("bank_id", "topic").values_list("bank_id", "topic")
    for bank_id, topic in rows.distinct():
        topics.setdefault(bank_id, []).append(topic)
    return [(b, topics.get(b.pk, [])) for b in banks]


def question_for_user_or_404(user: Any, question_id: int) -> Question:
    return get_for_user_or_404(Question.objects.select_related("bank"), user, pk=question_id)


def question_pool(bank: QuestionBank) -> dict[tuple[str, int], list[int]]:
    """The bank's question ids by (topic, difficulty): what papers are drawn from."""
    pool: dict[tuple[str, int], list[int]] = {}
    for qid, topic, difficulty in Question.objects.filter(bank=bank).values_list("id", "topic", "difficulty"):
        pool.setdefault((topic, difficulty), []).append(qid)
    return pool


def right_answer_text(q: Question) -> str:
    """The key of a question as a worker reads it after answering (free practice, the wrong book)."""
    from django.utils.translation import gettext as _

    if q.kind in questions.CHOICE_KINDS:
        return "、".join(f"{questions.indices_to_letters([i])}. {q.options[i]}" for i in q.answer)
    if q.kind == QuestionKind.TRUE_FALSE:
        return _("True") if q.answer else _("False")
    return " / ".join(q.answer)


def questions_export_rows(bank: QuestionBank) -> tuple[list[str], list[list[Any]]]:
    """Rows in the import layout, so an exported bank can be edited and imported elsewhere."""
    headers = ["题型", "主题", "难度", "题干", *OPTION_COLUMNS, "答案", "解析"]
    rows = []
    for q in Question.objects.filter(bank=bank).order_by("topic", "id"):
        options = list(q.options) + [""] * (len(OPTION_COLUMNS) - len(q.options))
        if q.kind in questions.CHOICE_KINDS:
            answer = questions.indices_to_letters(q.answer)
        elif q.kind == QuestionKind.TRUE_FALSE:
            answer = "对" if q.answer else "错"
        else:
            answer = "|".join(q.answer)
        rows.append([KIND_COLUMN_TEXT[q.kind], q.topic, q.difficulty, q.stem, *options, answer, q.explanation])
    return headers, rows


def wrong_book(user: Any, *, bank_id: int | None = None, include_mastered: bool = False) -> QuerySet[WrongAnswer]:
    qs = WrongAnswer.objects.filter(user=user).select_related("question__bank")
    if bank_id:
        qs = qs.filter(question__bank_id=bank_id)
    if not include_mastered:
        qs = qs.filter(mastered=False)
    return qs


def wrong_book_banks(user: Any) -> list[QuestionBank]:
    """The banks of the questions in the user's wrong-answer book."""
    return list(banks_for(user).filter(pk__in=WrongAnswer.objects.filter(user=user).values("question__bank_id")))


def wrong_answer_for_user_or_404(user: Any, entry_id: int) -> WrongAnswer:
    return get_for_user_or_404(WrongAnswer, user, pk=entry_id)


# --- quizzes -------------------------------------------------------------------------------------


def quizzes_for(user: Any) -> QuerySet[Quiz]:
    """The quizzes a user may see: public ones (neither the quiz nor its contest a draft) and
    those of the contests they manage (`practice.view_quiz`, as a query)."""
    return scoped(Quiz.objects.select_related("contest", "bank"), user)


def quiz_for_user_or_404(user: Any, quiz_id: int) -> Quiz:
    """One quiz, if the user may see it (`practice.view_quiz`); 404 like a missing one otherwise."""
    quiz = Quiz.objects.select_related("contest", "bank").filter(pk=quiz_id).first()
    if quiz is None or not can(user, "practice.view_quiz", quiz):
        raise Http404("not found")
    return quiz


def quiz_open_now_q(now: dt.datetime) -> Q:
    """A quiz can be taken now (the same rules quiz_start applies to its status and times)."""
    return (
        Q(status=Quiz.Status.OPEN)
        & (Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        & (Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    )


def quiz_open_now(quiz: Quiz, now: dt.datetime) -> bool:
    return Quiz.objects.filter(pk=quiz.pk).filter(quiz_open_now_q(now)).exists()


def quiz_is_open_at(quiz: Quiz, now: dt.datetime) -> bool:
    """`quiz_open_now` of a quiz just read (the same rule as `quiz_open_now_q`, without a query)."""
    return (
        quiz.status == Quiz.Status.OPEN
        and (quiz.opens_at is None or quiz.opens_at <= now)
        and (quiz.closes_at is None or quiz.closes_at > now)
    )


def quiz_participants_of(user: Any, quizzes: list[Quiz]) -> dict[int, QuizParticipant]:
    ids = [q.pk for q in quizzes]
    return {p.quiz_id: p for p in QuizParticipant.objects.filter(user=user, quiz_id__in=ids)}


def participant_of(quiz: Quiz, user: Any) -> QuizParticipant | None:
    return QuizParticipant.objects.filter(quiz=quiz, user=user).first()


def attempts_left_today(quiz: Quiz, participant: QuizParticipant | None) -> int:
    if participant is None or participant.day != timezone.localdate():
        return quiz.attempts_per_day
    return max(0, quiz.attempts_per_day - participant.attempts_on_day)


def quiz_rows(user: Any, quizzes: list[Quiz]) -> list[tuple[Quiz, QuizParticipant | None, int]]:
    """Each quiz with the user's participation and attempts left today."""
    participants = quiz_participants_of(user, quizzes)
    return [(q, participants.get(q.pk), attempts_left_today(q, participants.get(q.pk))) for q in quizzes]


def attempt_active(quiz: Quiz, user: Any, now: dt.datetime | None = None) -> QuizAttempt | None:
    """The user's running attempt (not handed in, before its deadline), if any."""
    now = now or timezone.now()
    return (
        QuizAttempt.objects.filter(quiz=quiz, user=user, finished_at__isnull=True, deadline__gt=now)
        .order_by("-started_at")
        .first()
    )


def my_attempts(quiz: Quiz, user: Any, limit: int = 10) -> list[QuizAttempt]:
    return list(QuizAttempt.objects.filter(quiz=quiz, user=user)[:limit])


def my_attempts_and_running(
    quiz: Quiz, user: Any, now: dt.datetime, limit: int = 10
) -> tuple[list[QuizAttempt], QuizAttempt | None]:
    """`my_attempts` and `attempt_active` in one query when they can be: the attempts are newest
    started first, so the first running one among them is the newest running of all; only when
    none is and the list is full may an older one run, and then it is asked for."""
    attempts = my_attempts(quiz, user, limit)
    running = next((a for a in attempts if a.finished_at is None and a.deadline > now), None)
    if running is None and len(attempts) >= limit:
        running = attempt_active(quiz, user, now)
    return attempts, running


def attempt_timed_out(attempt: QuizAttempt, now: dt.datetime) -> bool:
    """The attempt ended on its deadline rather than by handing in or answering everything."""
    if attempt.finished_at is None:
        return now >= attempt.deadline
    return attempt.finished_at >= attempt.deadline


def attempt_for_user_or_404(user: Any, attempt_id: int) -> QuizAttempt:
    """An attempt is its worker's alone."""
    mine = QuizAttempt.objects.select_related("quiz").filter(user_id=getattr(user, "pk", None))
    return get_for_user_or_404(mine, user, pk=attempt_id)


_ATTEMPT_FOR_ANSWER_SQL: dict[str, str] = {}
_ATTEMPT_ANSWER_FIELDS = [f.attname for f in QuizAttempt._meta.concrete_fields if f.name not in ("paper", "key")]


def _attempt_for_answer_sql() -> str:
    """The attempt read of every answer, written once per database vendor: the hottest read of a
    quiz day, so the ORM does not compile the same query again for each answer. The attempt's
    columns without its paper and whole key (deferred), this question's key (`key_item`; a
    numeric key name is an object key here, not an array index) and the quiz's points."""
    vendor = connection.vendor
    sql = _ATTEMPT_FOR_ANSWER_SQL.get(vendor)
    if sql is None:
        t, qz = QuizAttempt._meta.db_table, Quiz._meta.db_table
        columns = ", ".join(f'"{t}"."{QuizAttempt._meta.get_field(f).column}"' for f in _ATTEMPT_ANSWER_FIELDS)
        item = f'"{t}"."key" -> %s' if vendor == "postgresql" else f'json_extract("{t}"."key", %s)'
        sql = (
            f"SELECT {columns}, "
            f'{item} AS key_item, "{qz}"."points_per_question" AS points_each '
            f'FROM "{t}" INNER JOIN "{qz}" ON "{qz}"."id" = "{t}"."quiz_id" '
            f'WHERE "{t}"."id" = %s AND "{t}"."user_id" = %s'
        )
        _ATTEMPT_FOR_ANSWER_SQL[vendor] = sql
    return sql


# The answer path on PostgreSQL keeps, per process, what an attempt's answers need and does not
# change while it runs (its user, quiz, start, deadline, number of questions, the whole key,
# the quiz's points), for PRACTICE_ANSWER_ATTEMPT_SECONDS (30 s): the next answers of the same
# attempt then go to the database once (services.quiz_answer's statement, which itself checks
# that the attempt is still running and the user's). An attempt read from this copy is marked
# `from_cache`; whatever the statement refuses is answered again from a fresh read, so a
# finished, expired or deleted attempt, or a retry, reads exactly as before. Saving the quiz
# (its points) empties the copy of this process at once, other processes' within the lifetime.
_answer_attempts: dict[tuple[int, int], tuple[float, tuple, dict[str, Any], int]] = {}
_ATTEMPT_WITH_KEY_SQL: dict[str, str] = {}


def _answer_cache_seconds() -> float:
    return float(getattr(settings, "PRACTICE_ANSWER_ATTEMPT_SECONDS", 30))


def forget_answer_attempts(**kwargs: Any) -> None:
    _answer_attempts.clear()


def _watch_quizzes() -> None:
    from django.db.models.signals import post_delete, post_save

    post_save.connect(forget_answer_attempts, sender=Quiz, weak=False, dispatch_uid="practice.answer_attempts.s")
    post_delete.connect(forget_answer_attempts, sender=Quiz, weak=False, dispatch_uid="practice.answer_attempts.d")


def _attempt_with_key_sql() -> str:
    sql = _ATTEMPT_WITH_KEY_SQL.get("pg")
    if sql is None:
        t, qz = QuizAttempt._meta.db_table, Quiz._meta.db_table
        columns = ", ".join(f'"{t}"."{QuizAttempt._meta.get_field(f).column}"' for f in _ATTEMPT_ANSWER_FIELDS)
        sql = _ATTEMPT_WITH_KEY_SQL["pg"] = (
            f'SELECT {columns}, "{t}"."key", "{qz}"."points_per_question" '
            f'FROM "{t}" INNER JOIN "{qz}" ON "{qz}"."id" = "{t}"."quiz_id" '
            f'WHERE "{t}"."id" = %s AND "{t}"."user_id" = %s'
        )
    return sql


def attempt_for_answer(user: Any, attempt_id: int, question_id: int, *, fresh: bool = False) -> QuizAttempt:
    """The user's attempt for scoring one answer (404 otherwise): without its paper or whole
    key, but with `key_item` (this question's key, or None) and `points_each` annotated.
    On PostgreSQL, unless `fresh`, possibly from this process's copy (`from_cache`, above)."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        raise Http404("not found")
    db = connections[DEFAULT_DB_ALIAS]  # once: each attribute of `django.db.connection` is a thread-local lookup
    seconds = _answer_cache_seconds() if db.vendor == "postgresql" and not fresh else 0
    if seconds > 0:
        now = time.monotonic()
        cache_key = (int(attempt_id), int(user_id))
        hit = _answer_attempts.get(cache_key)
        if hit is not None and hit[0] > now:
            row, key, points = hit[1], hit[2], hit[3]
            attempt = QuizAttempt.from_db(db.alias, _ATTEMPT_ANSWER_FIELDS, row)
            attempt.key_item, attempt.points_each, attempt.from_cache = key.get(str(int(question_id))), points, True
            return attempt
        with db.cursor() as cursor:
            cursor.execute(_attempt_with_key_sql(), [int(attempt_id), user_id])
            found = cursor.fetchone()
        if found is None:
            raise Http404("not found")
        row, key, points = tuple(found[:-2]), found[-2], found[-1]
        key = json.loads(key) if isinstance(key, str | bytes) else key
        if len(_answer_attempts) >= getattr(settings, "PRACTICE_ANSWER_ATTEMPT_MAX", 1000):
            # the oldest copy goes (≈ 40 KB each for a 100-question paper: 40 MB at most)
            try:
                _answer_attempts.pop(next(iter(_answer_attempts)), None)
            except (RuntimeError, StopIteration):  # another thread changed it meanwhile
                pass
        _watch_quizzes()
        _answer_attempts[cache_key] = (now + seconds, row, key, points)
        attempt = QuizAttempt.from_db(db.alias, _ATTEMPT_ANSWER_FIELDS, row)
        attempt.key_item, attempt.points_each = key.get(str(int(question_id))), points
        return attempt
    if db.vendor == "postgresql":
        # The row as the driver returns it (no converters needed on PostgreSQL: integers,
        # aware datetimes, text), built into the model without the raw query set's machinery.
        with db.cursor() as cursor:
            cursor.execute(_attempt_for_answer_sql(), [str(int(question_id)), int(attempt_id), user_id])
            row = cursor.fetchone()
        if row is None:
            raise Http404("not found")
        attempt = QuizAttempt.from_db(db.alias, _ATTEMPT_ANSWER_FIELDS, row[:-2])
        attempt.key_item, attempt.points_each = row[-2], row[-1]
    else:
        key = f'$."{int(question_id)}"'
        found = list(QuizAttempt.objects.raw(_attempt_for_answer_sql(), [key, int(attempt_id), user_id]))
        if not found:
            raise Http404("not found")
        attempt = found[0]
    if isinstance(attempt.key_item, str | bytes):  # JSON text from the database
        attempt.key_item = json.loads(attempt.key_item)
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


# --- the officers' lists: what the officer's unions own --------------------------------------------


def count_of(model: Any, fk: str, **filters: Any) -> Coalesce:
    """COUNT(*) of `model` rows pointing at the outer row, as a subquery (never multiplies rows)."""
    inner = (
        model.objects.filter(**{fk: OuterRef("pk")}, **filters).order_by().values(fk).annotate(n=Count("*")).values("n")
    )
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def banks_managed(user: Any) -> QuerySet[QuestionBank]:
    return managed(QuestionBank.objects.select_related("owner"), user).annotate(n_questions=count_of(Question, "bank"))


def bank_trades(user: Any) -> QuerySet:
    return (
        managed(QuestionBank.objects.exclude(trade=""), user)
        .order_by("trade")
        .values_list("trade", flat=True)
        .distinct()
    )


def bank_managed_or_404(user: Any, bank_id: int) -> QuestionBank:
    """A bank of a union the officer manages (another union's is a 404 here, even if published)."""
    return get_for_user_or_404(managed(QuestionBank.objects.select_related("owner"), user), user, pk=bank_id)


def bank_questions(
    bank: QuestionBank, *, topic: str = "", kind: str = "", difficulty: int | None = None, q: str = ""
) -> QuerySet[Question]:
    qs = Question.objects.filter(bank=bank).order_by("topic", "id")
    if topic:
        qs = qs.filter(topic=topic)
    if kind in QuestionKind.values:
        qs = qs.filter(kind=kind)
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    if q:
        qs = qs.filter(stem__icontains=q)
    return qs


def questions_in(banks: QuerySet[QuestionBank]) -> int:
    return Question.objects.filter(bank__in=banks.values("pk")).count()


def quizzes_of_bank(bank: QuestionBank) -> int:
    return Quiz.objects.filter(bank=bank).count()


def quizzes_managed(user: Any) -> QuerySet[Quiz]:
    return managed(Quiz.objects.select_related("contest", "bank", "stage__contest"), user).annotate(
        n_participants=count_of(QuizParticipant, "quiz"), n_attempts=count_of(QuizAttempt, "quiz")
    )


def quiz_managed_or_404(user: Any, quiz_id: int) -> Quiz:
    qs = Quiz.objects.select_related("contest__lead_org", "bank", "stage__contest")
    return get_for_user_or_404(managed(qs, user), user, pk=quiz_id)


def quiz_contests_managed(user: Any) -> QuerySet[Contest]:
    return managed(Contest.objects.filter(format=ContestFormat.QUIZ), user).order_by("-id")


def theory_stages_managed(user: Any) -> QuerySet[Stage]:
    """Stages of judged skill contests (a quiz may feed their theory part)."""
    return managed(Stage.objects.filter(contest__format=ContestFormat.JUDGED_SKILL), user).order_by(
        "-contest_id", "order"
    )


def stages_with(stages: QuerySet[Stage], stage_id: int) -> QuerySet[Stage]:
    """The stage choices and the one a quiz already feeds."""
    return (stages | Stage.objects.filter(pk=stage_id)).select_related("contest")


def topic_counts(banks: QuerySet[QuestionBank]) -> dict[int, list[tuple[str, int]]]:
    """For each bank: its topics with their number of questions (one GROUP BY)."""
    out: dict[int, list[tuple[str, int]]] = {}
    rows = (
        Question.objects.filter(bank__in=banks)
        .order_by()
        .values("bank_id", "topic")
        .annotate(n=Count("id"))
        .order_by("bank_id", "topic")
        .values_list("bank_id", "topic", "n")
    )
    for bank_id, topic, n in rows:
        out.setdefault(bank_id, []).append((topic, n))
    return out


@dataclass
class PoolRow:
    topic: str
    by_difficulty: list[int]
    total: int


def pool_table(bank: QuestionBank) -> list[PoolRow]:
    """Questions of a bank by topic × difficulty: what a paper can draw."""
    cells: dict[str, dict[int, int]] = {}
    rows = (
        Question.objects.filter(bank=bank)
        .order_by()
        .values("topic", "difficulty")
        .annotate(n=Count("id"))
        .values_list("topic", "difficulty", "n")
    )
    for topic, difficulty, n in rows:
        cells.setdefault(topic, {})[difficulty] = n
    levels = [d for d, _label in Difficulty.choices]
    return [
        PoolRow(topic, [cells[topic].get(d, 0) for d in levels], sum(cells[topic].values())) for topic in sorted(cells)
    ]


def practice_question(bank: QuestionBank, user: Any, *, topic: str = "", wrong_only: bool = False) -> Question | None:
    """A random question of the bank (and topic), or one from the user's wrong-answer book."""
    import random

    qs = Question.objects.filter(bank=bank)
    if topic:
        qs = qs.filter(topic=topic)
    if wrong_only:
        qs = qs.filter(id__in=WrongAnswer.objects.filter(user=user, mastered=False).values("question_id"))
    ids = list(qs.values_list("id", flat=True))
    if not ids:
        return None
    return Question.objects.get(pk=random.SystemRandom().choice(ids))


# --- the worker's own space (我的) -----------------------------------------------------------------


def my_quizzes(user: Any) -> list[dict[str, Any]]:
    """The quizzes the user took: best score, time, attempts and rank on the quiz's board (the
    rank the board shows the worker; None until they have answered), newest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    mine = list(
        QuizParticipant.objects.filter(user=user, attempts__gt=0).select_related("quiz").order_by("-joined_at")[:100]
    )
    ranks = leaderboards.person_ranks("quiz", user.pk, [p.quiz_id for p in mine])
    return [{"quiz": p.quiz, "participant": p, "rank": ranks.get(p.quiz_id)} for p in mine]


def my_wrong_answers_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return wrong_book(user).count()


def mine_count(user: Any) -> int:
    """For 我的: questions in the wrong-answer book still to master."""
    return my_wrong_answers_count(user)

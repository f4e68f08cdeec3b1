"""Quizzes: configuration, starting an attempt, answering, finishing.

An answer is one short transaction: insert the answer (a retry hits the unique constraint
and counts once), add its points to the attempt, and raise the participant's best if this
attempt now beats it. Redis boards are told after the commit. Worker activity is recorded
in its own rows (attempts, answers) rather than in the audit log; officers' changes to a
quiz are audited.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.contests import services as contest_services
from deltaunion.contests.models import Contest, ContestFormat, ContestLevel, Stage
from deltaunion.core import hotsql, leaderboards
from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.permissions import require
from deltaunion.core.services import model_update
from deltaunion.orgs.models import Organisation
from deltaunion.practice import questions
from deltaunion.practice.boards import board_dims
from deltaunion.practice.models import Question, QuestionBank, Quiz, QuizAnswer, QuizAttempt, QuizParticipant
from deltaunion.practice.selectors import attempt_active, question_pool

# The settings an officer changes (the status moves through Quiz.workflow).
QUIZ_FIELDS = (
    "title",
    "draw_rules",
    "points_per_question",
    "time_limit_seconds",
    "attempts_per_day",
    "opens_at",
    "closes_at",
    "stage",
)
# The level a contest sits at when an organisation of this kind leads it.
LEVEL_OF_KIND = {
    Organisation.Kind.ACFTU: ContestLevel.NATIONAL,
    Organisation.Kind.PROVINCIAL: ContestLevel.PROVINCE,
    Organisation.Kind.CITY: ContestLevel.CITY,
    Organisation.Kind.DISTRICT: ContestLevel.DISTRICT,
    Organisation.Kind.INDUSTRY: ContestLevel.CITY,
    Organisation.Kind.GRASSROOTS: ContestLevel.UNIT,
}


def _fetchone(sql: str, params: list[Any]) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _clean_rules(bank: QuestionBank, rules: Any) -> list[dict[str, Any]]:
    if not isinstance(rules, list) or not rules:
        raise ValidationError(_("A paper needs at least one rule (topic, difficulty, number of questions)"))
    cleaned = []
    for rule in rules:
        try:
            count = int(rule.get("count") or 0)
            difficulty = int(rule["difficulty"]) if rule.get("difficulty") not in (None, "", 0) else None
        except (TypeError, ValueError, AttributeError):
            raise ValidationError(_("Each rule needs a whole number of questions and a difficulty of 1–3")) from None
        if count < 1 or (difficulty is not None and not 1 <= difficulty <= 3):
            raise ValidationError(_("Each rule needs a whole number of questions and a difficulty of 1–3"))
        cleaned.append({"topic": str(rule.get("topic") or "").strip(), "difficulty": difficulty, "count": count})
    # The bank must be able to fill the paper: draw once with a throwaway seed.
    questions.draw_paper(question_pool(bank), cleaned, "check")
    return cleaned


def _check_quiz(quiz: Quiz) -> None:
    if quiz.contest.format != ContestFormat.QUIZ:
        raise ValidationError(_("A quiz belongs to a contest of the online-quiz format"))
    if quiz.stage_id and quiz.stage.contest.format != ContestFormat.JUDGED_SKILL:
        raise ValidationError(_("The stage whose theory score the quiz feeds must be of a judged skill contest"))
    if quiz.opens_at and quiz.closes_at and quiz.closes_at <= quiz.opens_at:
        raise ValidationError(_("The quiz must close after it opens"))
    if quiz.time_limit_seconds < 10:
        raise ValidationError(_("The time limit is at least 10 seconds"))
    if quiz.attempts_per_day < 1:
        raise ValidationError(_("Allow at least one attempt a day"))
    if not 1 <= quiz.points_per_question <= 1000:
        raise ValidationError(_("Points per question must be between 1 and 1000"))


def contest_create_for(
    *, title: str, lead: Organisation, format: str, starts_on: dt.date | None, ends_on: dt.date | None, by: Any
) -> Contest:
    """A new contest of a practice format (quiz, points) for a quiz or campaign created on the spot,
    at the level its lead organisation's kind suggests."""
    return contest_services.contest_create(
        title=title,
        lead_org=lead,
        by=by,
        format=format,
        level=LEVEL_OF_KIND.get(lead.kind, ContestLevel.CITY),
        starts_on=starts_on,
        ends_on=ends_on,
    )


@transaction.atomic
def quiz_create(
    *,
    contest: Contest,
    bank: QuestionBank,
    title: str,
    draw_rules: list[dict[str, Any]],
    by: Any,
    stage: Stage | None = None,
    points_per_question: int = 10,
    time_limit_seconds: int = 600,
    attempts_per_day: int = 3,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    status: str = Quiz.Status.DRAFT,
    is_demo: bool = False,
) -> Quiz:
    """A quiz in `contest` (its managers only), created as a draft and opened at once when
    `status` is open."""
    require(by, "contests.manage_contest", contest)
    if status not in (Quiz.Status.DRAFT, Quiz.Status.OPEN):
        raise ValidationError(_("A new quiz is a draft or open"))
    if not (title or "").strip():
        raise ValidationError(_("Give the quiz a title"))
    quiz = Quiz(
        contest=contest,
        bank=bank,
        title=title.strip(),
        stage=stage,
        points_per_question=points_per_question,
        time_limit_seconds=time_limit_seconds,
        attempts_per_day=attempts_per_day,
        opens_at=opens_at,
        closes_at=closes_at,
        is_demo=is_demo,
    )
    quiz.draw_rules = _clean_rules(bank, draw_rules)
    _check_quiz(quiz)
    quiz.full_clean()
    quiz.save()
    log_action(actor=by, action="quiz.create", obj=quiz, after=snapshot(quiz))
    if status == Quiz.Status.OPEN:
        Quiz.workflow.fire(quiz, "open", by=by)
    return quiz


@transaction.atomic
def quiz_create_in_contest(
    *, contest: Contest | None, new_contest_title: str, new_contest_lead: Organisation | None, by: Any, **quiz: Any
) -> Quiz:
    """`quiz_create` in `contest`, or in a new quiz-format contest led by `new_contest_lead`."""
    if contest is None:
        opens, closes = quiz.get("opens_at"), quiz.get("closes_at")
        contest = contest_create_for(
            title=new_contest_title,
            lead=new_contest_lead,
            format=ContestFormat.QUIZ,
            starts_on=opens.date() if opens else None,
            ends_on=closes.date() if closes else None,
            by=by,
        )
    return quiz_create(contest=contest, by=by, **quiz)


@transaction.atomic
def quiz_update(*, quiz: Quiz, by: Any, status: str | None = None, **changes: Any) -> Quiz:
    """Change a quiz's settings (one audit entry) and, if `status` differs, move it through its
    declared transitions. The paper rules are fixed once anyone has sat the quiz."""
    require(by, "practice.manage_quiz", quiz)
    unknown = sorted(set(changes) - set(QUIZ_FIELDS))
    if unknown:
        raise ValueError(f"not quiz settings: {', '.join(unknown)}")
    quiz = Quiz.objects.select_for_update(of=("self",)).select_related("contest", "bank", "stage").get(pk=quiz.pk)
    if "draw_rules" in changes:
        if quiz.attempts.exists():
            raise ValidationError(_("Workers have already sat this quiz; its paper rules can no longer change"))
        changes["draw_rules"] = _clean_rules(quiz.bank, changes["draw_rules"])
    candidate = copy.copy(quiz)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _check_quiz(candidate)
    model_update(instance=quiz, fields=QUIZ_FIELDS, data=changes, by=by, action="quiz.update")
    if status is not None and status != quiz.status:
        quiz_set_status(quiz=quiz, status=status, by=by)
    return quiz


def quiz_set_status(*, quiz: Quiz, status: str, by: Any) -> Quiz:
    """Open, close, reopen or take back a quiz through its declared transitions."""
    if status not in Quiz.Status.values:
        raise ValidationError(_("Unknown status: %(s)s") % {"s": status})
    require(by, "practice.manage_quiz", quiz)
    if quiz.status == status:
        return quiz
    return Quiz.workflow.fire(quiz, to=status, by=by)


# --- sitting a quiz ------------------------------------------------------------------------------


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def participant_join(*, quiz: Quiz, user: Any) -> QuizParticipant:
    participant = QuizParticipant.objects.filter(quiz=quiz, user=user).first()
    if participant is not None:
        return participant
    try:
        with transaction.atomic():
            return QuizParticipant.objects.create(quiz=quiz, user=user, **board_dims(user))
    except IntegrityError:  # joined concurrently
        return QuizParticipant.objects.get(quiz=quiz, user=user)


def _require_open(quiz: Quiz, now: dt.datetime) -> None:
    if quiz.status != Quiz.Status.OPEN:
        raise ValidationError(_("This quiz is not open"))
    if quiz.opens_at and now < quiz.opens_at:
        raise ValidationError(
            _("This quiz opens at %(at)s") % {"at": f"{timezone.localtime(quiz.opens_at):%Y-%m-%d %H:%M}"}
        )
    if quiz.closes_at and now >= quiz.closes_at:
        raise ValidationError(_("This quiz has closed"))


def quiz_start(*, quiz: Quiz, by: Any, now: dt.datetime | None = None) -> QuizAttempt:
    """Resume the worker's running attempt, or start a new one within today's allowance."""
    now = now or timezone.now()
    require(by, "practice.view_quiz", quiz)
    _require_open(quiz, now)
    participant = participant_join(quiz=quiz, user=by)
    with transaction.atomic():
        participant = QuizParticipant.objects.select_for_update().get(pk=participant.pk)
        running = attempt_active(quiz, by, now)
        if running is not None:
            return running
        today = _local_day(now)
        used = participant.attempts_on_day if participant.day == today else 0
        if used >= quiz.attempts_per_day:
            raise ValidationError(
                _("You have used all %(n)d attempts for today; come back tomorrow") % {"n": quiz.attempts_per_day}
            )
        seed = secrets.token_hex(8)
        ids = questions.draw_paper(question_pool(quiz.bank), quiz.draw_rules, seed)
        rows = {q.id: q for q in Question.objects.filter(id__in=ids)}
        paper, key = [], {}
        for qid in ids:
            q = rows[qid]
            perm = questions.option_order(qid, len(q.options), seed)
            paper.append({"q": qid, "perm": perm})
            key[str(qid)] = {"kind": q.kind, "key": questions.shown_key(q.kind, q.answer, perm), "n": len(perm)}
        deadline = now + dt.timedelta(seconds=quiz.time_limit_seconds)
        if quiz.closes_at:
            deadline = min(deadline, quiz.closes_at)
        attempt = QuizAttempt.objects.create(
            quiz=quiz, user=by, seed=seed, paper=paper, key=key, started_at=now, deadline=deadline, questions=len(paper)
        )
        participant.day = today
        participant.attempts_on_day = used + 1
        participant.attempts += 1
        participant.save(update_fields=["day", "attempts_on_day", "attempts"])
    return attempt


@dataclass(frozen=True)
class AnswerResult:
    question_id: int
    correct: bool
    points: int
    score: int
    answered: int
    total: int
    duplicate: bool = False


def _finish_expired(attempt: QuizAttempt) -> None:
    QuizAttempt.objects.filter(pk=attempt.pk, finished_at__isnull=True).update(finished_at=attempt.deadline)


class _NotRunning(Exception):
    """The statement of an answer to an attempt read from the process's copy inserted nothing."""


def quiz_answer(
    *, attempt: QuizAttempt, by: Any, question_id: int, response: Any, now: dt.datetime | None = None
) -> AnswerResult:
    """Score one answer. The same answer sent again (a retry) returns the first result and counts once."""
    now = now or timezone.now()
    if attempt.user_id != getattr(by, "pk", None):
        raise Http404("not found")
    if getattr(attempt, "from_cache", False):
        # selectors.attempt_for_answer's copy: its unchanging columns are right, its state may
        # not be. The statement inserts only while the attempt is running and the caller's; any
        # other case (finished, expired, deleted, a retry) is answered from a fresh read.
        try:
            return _quiz_answer(attempt, question_id, response, now, guarded=True)
        except _NotRunning:
            from deltaunion.practice.selectors import attempt_for_answer

            attempt = attempt_for_answer(by, attempt.pk, question_id, fresh=True)
    return _quiz_answer(attempt, question_id, response, now, guarded=False)


def _quiz_answer(attempt: QuizAttempt, question_id: int, response: Any, now: dt.datetime, *, guarded: bool):
    # selectors.attempt_for_answer annotates just this question's key and the points, so the
    # whole key (one entry per question) is not read and decoded for every answer.
    item = getattr(attempt, "key_item", None) if hasattr(attempt, "key_item") else attempt.key.get(str(question_id))
    if guarded and (item is None or attempt.finished_at is not None or now >= attempt.deadline):
        raise _NotRunning  # every refusal is made from a fresh read, in the usual order
    if item is None:
        raise ValidationError(_("This question is not on your paper"))
    total = attempt.questions or len(attempt.key)
    if attempt.finished_at is None and now >= attempt.deadline:
        _finish_expired(attempt)
        raise ValidationError(_("Time is up: this attempt has ended"))
    if attempt.finished_at is not None:
        previous = QuizAnswer.objects.filter(attempt=attempt, question_id=question_id).first()
        if previous is not None:  # a retry arriving after the finish: same answer as before
            return AnswerResult(
                question_id, previous.correct, previous.points, attempt.score, attempt.answered, total, True
            )
        raise ValidationError(_("This attempt has ended"))
    try:
        questions.check_response_shape(item["kind"], response, item["n"])
    except ValidationError:
        if guarded:
            raise _NotRunning from None
        raise
    correct = questions.grade(item["kind"], item["key"], response)
    points = (getattr(attempt, "points_each", None) or attempt.quiz.points_per_question) if correct else 0
    time_used = int((now - attempt.started_at).total_seconds() * 1000)
    inserted, score, answered, used, best = _record_answer(
        attempt=attempt,
        question_id=question_id,
        response=response,
        correct=correct,
        points=points,
        time_used=time_used,
        total=total,
        now=now,
        guarded=guarded,
    )
    if not inserted and guarded:
        raise _NotRunning
    if not inserted:
        previous = QuizAnswer.objects.get(attempt=attempt, question_id=question_id)
        return AnswerResult(question_id, previous.correct, previous.points, score, answered, total, True)
    if best is not None:
        dims = _Dims(*best)
        transaction.on_commit(
            lambda: leaderboards.offer_best(
                kind="quiz", object_id=attempt.quiz_id, user_id=attempt.user_id, dims=dims, score=score, time_ms=used
            )
        )
    return AnswerResult(question_id, correct, points, score, answered, total)


_ANSWER_INSERT = (
    "INSERT INTO {answers} (attempt_id, question_id, response, correct, points, answered_at) "
    "VALUES (%s, %s, {json}, %s, %s, %s) ON CONFLICT (attempt_id, question_id) DO NOTHING RETURNING id"
)
_ANSWER_INSERT_IF_RUNNING = (
    "INSERT INTO {answers} (attempt_id, question_id, response, correct, points, answered_at) "
    "SELECT %s, %s, {json}, %s, %s, %s WHERE EXISTS (SELECT 1 FROM {attempts} WHERE id = %s AND user_id = %s "
    "AND finished_at IS NULL AND deadline > %s) ON CONFLICT (attempt_id, question_id) DO NOTHING RETURNING id"
)
# An attempt's time used is the time it took to reach its score: it moves with the first
# answer and with each answer that scores, not with later wrong ones. The participant's best
# is compared on exactly these (score, time) pairs, so the best attempt and the best agree.
_ATTEMPT_ADD = (
    "UPDATE {attempts} SET score = score + %s, answered = answered + 1, "
    "time_used_ms = CASE WHEN %s > 0 OR answered = 0 THEN %s ELSE time_used_ms END, "
    "finished_at = CASE WHEN answered + 1 >= %s THEN %s ELSE finished_at END "
    "WHERE id = %s {only_if_inserted} RETURNING score, answered, time_used_ms"
)
_BEST_RAISE = (
    "UPDATE {participants} SET best_score = {score}, best_time_ms = {time}, best_attempt_id = %s, on_board = %s "
    "{from_attempt} WHERE quiz_id = %s AND user_id = %s AND (on_board = %s OR best_score < {score} "
    "OR (best_score = {score} AND best_time_ms > {time})) RETURNING team_key, unit_id, city_code, province_code"
)


_ANSWER_STATEMENTS: dict[bool, str] = {}


def _answer_statement(tables: dict[str, str], *, guarded: bool) -> str:
    """The answer's one statement on PostgreSQL (built once; prepared per connection by hotsql)."""
    sql = _ANSWER_STATEMENTS.get(guarded)
    if sql is None:
        insert = (_ANSWER_INSERT_IF_RUNNING if guarded else _ANSWER_INSERT).format(json="CAST(%s AS jsonb)", **tables)
        sql = _ANSWER_STATEMENTS[guarded] = (
            "WITH ins AS ("
            + insert
            + "), a AS ("
            + _ATTEMPT_ADD.format(only_if_inserted="AND EXISTS (SELECT 1 FROM ins)", **tables)
            + "), p AS ("
            + _BEST_RAISE.format(score="a.score", time="a.time_used_ms", from_attempt="FROM a", **tables)
            + ") SELECT a.score, a.answered, a.time_used_ms, p.team_key, p.unit_id, p.city_code, p.province_code "
            "FROM a LEFT JOIN p ON TRUE"
        )
    return sql


def _record_answer(
    *,
    attempt: QuizAttempt,
    question_id: int,
    response: Any,
    correct: bool,
    points: int,
    time_used: int,
    total: int,
    now: dt.datetime,
    guarded: bool = False,
) -> tuple[bool, int, int, int, tuple | None]:
    """Insert the answer, add its points to the attempt and raise the participant's best.
    Returns (inserted, attempt score, answered, time used, board dims if the best rose). On PostgreSQL
    this is one statement (one round trip, atomic by itself); elsewhere one transaction."""
    tables = {
        "answers": QuizAnswer._meta.db_table,
        "attempts": QuizAttempt._meta.db_table,
        "participants": QuizParticipant._meta.db_table,
    }
    db = connections[DEFAULT_DB_ALIAS]  # once: each attribute of `django.db.connection` is a thread-local lookup
    at = db.ops.adapt_datetimefield_value(now)
    insert_args = [attempt.pk, question_id, json.dumps(response, ensure_ascii=False), correct, points, at]
    attempt_args = [points, points, time_used, total, at, attempt.pk]
    if db.vendor == "postgresql" and guarded:
        # from the process's copy of the attempt: insert only into a running attempt of this user
        insert_args = [*insert_args, attempt.pk, attempt.user_id, at]
    if db.vendor == "postgresql":
        sql = _answer_statement(tables, guarded=guarded)
        best_args = [attempt.pk, True, attempt.quiz_id, attempt.user_id, False]
        row = hotsql.fetchone(sql, [*insert_args, *attempt_args, *best_args])
        if row is None and guarded:  # not running, or a retry: the caller reads the attempt again
            return False, 0, 0, 0, None
        if row is None:  # nothing inserted: a retry
            score, answered, used = QuizAttempt.objects.values_list("score", "answered", "time_used_ms").get(
                pk=attempt.pk
            )
            return False, score, answered, used, None
        best = row[3:] if row[3] is not None else None
        return True, row[0], row[1], row[2], best
    with transaction.atomic():
        if _fetchone(_ANSWER_INSERT.format(json="%s", **tables), insert_args) is None:
            score, answered, used = QuizAttempt.objects.values_list("score", "answered", "time_used_ms").get(
                pk=attempt.pk
            )
            return False, score, answered, used, None
        score, answered, used = _fetchone(_ATTEMPT_ADD.format(only_if_inserted="", **tables), attempt_args)
        best = _fetchone(
            _BEST_RAISE.format(score="%s", time="%s", from_attempt="", **tables),
            [score, used, attempt.pk, True, attempt.quiz_id, attempt.user_id, False, score, score, used],
        )
    return True, score, answered, used, best


@dataclass(frozen=True)
class _Dims:
    team_key: str
    unit_id: int | None
    city_code: str
    province_code: str


def quiz_finish(*, attempt: QuizAttempt, by: Any, now: dt.datetime | None = None) -> QuizAttempt:
    """Hand the paper in (idempotent). Unanswered questions score nothing."""
    now = now or timezone.now()
    if attempt.user_id != getattr(by, "pk", None):
        raise Http404("not found")
    QuizAttempt.objects.filter(pk=attempt.pk, finished_at__isnull=True).update(finished_at=min(now, attempt.deadline))
    attempt.refresh_from_db()
    return attempt


@transaction.atomic
def quiz_theory_feed(*, quiz: Quiz, by: Any) -> int:
    """Copy each competitor's best quiz score, scaled to the stage's theory maximum, into the
    theory score of their secret number in the stage the quiz feeds. Returns how many."""
    from decimal import Decimal

    from deltaunion.contests.services import theory_scores_from_users

    require(by, "practice.manage_quiz", quiz)
    if quiz.stage_id is None:
        raise ValidationError(_("This quiz does not feed a stage"))
    if quiz.status != Quiz.Status.CLOSED:
        raise ValidationError(_("Close the quiz before its scores feed the theory part"))
    stage = quiz.stage
    best = dict(QuizParticipant.objects.filter(quiz=quiz, on_board=True).values_list("user_id", "best_score"))
    if not quiz.max_score:
        return 0
    scaled = {
        user_id: (Decimal(score) * stage.theory_max / Decimal(quiz.max_score)).quantize(Decimal("0.01"))
        for user_id, score in best.items()
    }
    done = theory_scores_from_users(stage=stage, scores=scaled, by=by)
    log_action(actor=by, action="quiz.theory_feed", obj=quiz, after={"stage": stage.pk, "competitors": done})
    return done

"""Quizzes: papers per seed, answers counted once, server time limit, attempts per day, best
attempt with less time breaking ties, and the answer key never in what the worker receives."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from deltaunion.core import leaderboards
from deltaunion.practice import questions, selectors, services
from deltaunion.practice.models import QuizAnswer, QuizAttempt, QuizParticipant

from .factories import build_practice_world, shown_right_index

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def pw(world):
    return build_practice_world(world)


def answer_all(attempt, user, right: int, now=None) -> None:
    """Answer the first `right` questions right and the rest wrong."""
    for n, item in enumerate(attempt.paper):
        qid = item["q"]
        good = shown_right_index(attempt, qid)
        response = [good] if n < right else [(good + 1) % 4]
        services.quiz_answer(attempt=attempt, by=user, question_id=qid, response=response, now=now)


def test_paper_is_stable_and_drawn_from_the_seed(pw):
    user = pw.workers[0]
    first = services.quiz_start(quiz=pw.quiz, by=user)
    again = services.quiz_start(quiz=pw.quiz, by=user)  # a refresh or reconnect
    assert again.pk == first.pk and again.paper == first.paper
    assert len(first.paper) == 5 and len({i["q"] for i in first.paper}) == 5
    # The paper replays from its recorded seed.
    pool = {}
    for q in pw.bank.questions.all():
        pool.setdefault((q.topic, q.difficulty), []).append(q.pk)
    assert questions.draw_paper(pool, pw.quiz.draw_rules, first.seed) == [i["q"] for i in first.paper]
    for item in first.paper:
        assert item["perm"] == questions.option_order(item["q"], 4, first.seed)


def test_different_attempts_get_different_orders(pw):
    orders = set()
    for user in pw.workers:
        attempt = services.quiz_start(quiz=pw.quiz, by=user)
        orders.add(tuple((i["q"], tuple(i["perm"])) for i in attempt.paper))
    assert len(orders) > 1


def test_the_paper_sent_to_the_worker_has_no_key(pw):
    attempt = services.quiz_start(quiz=pw.quiz, by=pw.workers[0])
    paper = selectors.attempt_paper(attempt)
    text = json.dumps(paper, ensure_ascii=False) + json.dumps(selectors.attempt_state(attempt), default=str)
    assert '"key"' not in text and "perm" not in text
    # the options are shown in the attempt's order
    q = pw.bank.questions.get(pk=paper[0]["id"])
    assert paper[0]["options"] == [q.options[i] for i in attempt.paper[0]["perm"]]


def test_right_and_wrong_answers_score(pw):
    user = pw.workers[0]
    attempt = services.quiz_start(quiz=pw.quiz, by=user)
    qid = attempt.paper[0]["q"]
    good = shown_right_index(attempt, qid)
    r = services.quiz_answer(attempt=attempt, by=user, question_id=qid, response=[good])
    assert (r.correct, r.points, r.score, r.answered) == (True, 10, 10, 1)
    qid2 = attempt.paper[1]["q"]
    r2 = services.quiz_answer(
        attempt=attempt, by=user, question_id=qid2, response=(shown_right_index(attempt, qid2) + 1) % 4
    )
    assert (r2.correct, r2.points, r2.score) == (False, 0, 10)


def test_an_answer_sent_twice_counts_once(pw):
    user = pw.workers[0]
    attempt = services.quiz_start(quiz=pw.quiz, by=user)
    qid = attempt.paper[0]["q"]
    good = shown_right_index(attempt, qid)
    first = services.quiz_answer(attempt=attempt, by=user, question_id=qid, response=[good])
    retry = services.quiz_answer(attempt=attempt, by=user, question_id=qid, response=[good])
    changed = services.quiz_answer(attempt=attempt, by=user, question_id=qid, response=[(good + 1) % 4])
    assert retry.duplicate and changed.duplicate and not first.duplicate
    assert retry.score == changed.score == 10 and changed.correct  # the first answer stands
    attempt.refresh_from_db()
    assert (attempt.score, attempt.answered) == (10, 1)
    assert QuizAnswer.objects.filter(attempt=attempt).count() == 1


def test_bad_answers_change_nothing(pw):
    user, other = pw.workers[0], pw.workers[1]
    attempt = services.quiz_start(quiz=pw.quiz, by=user)
    qid = attempt.paper[0]["q"]
    not_on_paper = pw.bank.questions.exclude(pk__in=[i["q"] for i in attempt.paper]).first().pk
    with pytest.raises(ValidationError, match="not on your paper"):
        services.quiz_answer(attempt=attempt, by=user, question_id=not_on_paper, response=[0])
    with pytest.raises(ValidationError, match="Choose"):
        services.quiz_answer(attempt=attempt, by=user, question_id=qid, response=[7])
    with pytest.raises(ValidationError, match="exactly one"):
        services.quiz_answer(attempt=attempt, by=user, question_id=qid, response=[0, 1])
    from django.http import Http404

    with pytest.raises(Http404):
        services.quiz_answer(attempt=attempt, by=other, question_id=qid, response=[0])
    attempt.refresh_from_db()
    assert attempt.answered == 0 and not QuizAnswer.objects.exists()


def test_server_side_time_limit(pw):
    user = pw.workers[0]
    start = timezone.now()
    attempt = services.quiz_start(quiz=pw.quiz, by=user, now=start)
    assert attempt.deadline == start + dt.timedelta(seconds=300)
    qid = attempt.paper[0]["q"]
    with pytest.raises(ValidationError, match="Time is up"):
        services.quiz_answer(
            attempt=attempt, by=user, question_id=qid, response=[0], now=start + dt.timedelta(seconds=301)
        )
    attempt.refresh_from_db()
    assert attempt.finished_at == attempt.deadline and attempt.answered == 0


def test_attempts_per_day(pw):
    user = pw.workers[0]
    day1 = timezone.now().replace(hour=3)  # 11:00 in Shanghai
    for _ in range(2):
        attempt = services.quiz_start(quiz=pw.quiz, by=user, now=day1)
        services.quiz_finish(attempt=attempt, by=user, now=day1)
    with pytest.raises(ValidationError, match="all 2 attempts for today"):
        services.quiz_start(quiz=pw.quiz, by=user, now=day1)
    assert QuizAttempt.objects.filter(user=user).count() == 2
    tomorrow = day1 + dt.timedelta(days=1)
    assert services.quiz_start(quiz=pw.quiz, by=user, now=tomorrow).pk


@pytest.mark.django_db(transaction=True)
def test_best_attempt_counts_and_less_time_breaks_ties(pw):
    user = pw.workers[0]
    t0 = timezone.now() - dt.timedelta(hours=1)
    a1 = services.quiz_start(quiz=pw.quiz, by=user, now=t0)
    answer_all(a1, user, right=3, now=t0 + dt.timedelta(seconds=100))
    p = QuizParticipant.objects.get(quiz=pw.quiz, user=user)
    assert (p.best_score, p.best_time_ms, p.best_attempt_id) == (30, 100_000, a1.pk)
    # A worse attempt does not replace the best.
    a2 = services.quiz_start(quiz=pw.quiz, by=user, now=t0 + dt.timedelta(minutes=10))
    answer_all(a2, user, right=1, now=t0 + dt.timedelta(minutes=10, seconds=20))
    p.refresh_from_db()
    assert (p.best_score, p.best_attempt_id) == (30, a1.pk)
    # Another worker with the same score in less time ranks above.
    other = pw.workers[1]
    b = services.quiz_start(quiz=pw.quiz, by=other, now=t0)
    answer_all(b, other, right=3, now=t0 + dt.timedelta(seconds=50))
    top = leaderboards.top(leaderboards.Board("quiz", pw.quiz.pk, "person"), 10)
    assert [(e.member, e.score, e.time_ms) for e in top] == [(str(other.pk), 30, 50_000), (str(user.pk), 30, 100_000)]


def test_theory_feed_needs_a_closed_quiz_with_a_stage(pw):
    with pytest.raises(ValidationError, match="does not feed a stage"):
        services.quiz_theory_feed(quiz=pw.quiz, by=pw.officer)


def test_quiz_rules_must_fit_the_bank(pw):
    with pytest.raises(ValidationError, match="only 12 questions"):
        services.quiz_create(
            contest=pw.contest,
            bank=pw.bank,
            title="太大",
            draw_rules=[{"topic": "", "difficulty": None, "count": 13}],
            by=pw.officer,
        )
    with pytest.raises(ValidationError, match="difficulty of 1–3"):
        services.quiz_create(
            contest=pw.contest, bank=pw.bank, title="坏", draw_rules=[{"count": 2, "difficulty": 5}], by=pw.officer
        )


def test_grading_kinds():
    assert questions.grade("multiple", [0, 2], [2, 0])
    assert not questions.grade("multiple", [0, 2], [0])
    assert questions.grade("truefalse", True, "对") and questions.grade("truefalse", False, False)
    assert questions.grade("fill", [questions.normalise_text("36V")], " ３６ｖ ")
    assert not questions.grade("single", [1], True)  # a bool is not an option index


def test_a_closed_quiz_feeds_the_theory_scores_of_a_stage(world):
    """Each competitor's best quiz score, scaled to the stage's theory maximum, becomes the
    theory score of their secret number."""
    from decimal import Decimal

    from deltaunion.contests.models import SealedMapping, SecretNumber
    from deltaunion.contests.tests.factories import UserFactory, build_world, register_and_draw

    cw = build_world()
    register_and_draw(cw, n=3)
    pw = build_practice_world(world)
    sealed = list(SealedMapping.objects.filter(secret_number__stage=cw.stage).select_related("registration__worker"))
    numbers = [row.secret_number for row in sealed]
    users = []
    for row in sealed:
        user = UserFactory()
        row.registration.worker.user = user
        row.registration.worker.save(update_fields=["user"])
        users.append(user)
    for right, user in zip((5, 3, 0), users, strict=True):
        attempt = services.quiz_start(quiz=pw.quiz, by=user)
        for n, item in enumerate(attempt.paper):
            good = shown_right_index(attempt, item["q"])
            response = [good] if n < right else [(good + 1) % 4]
            services.quiz_answer(attempt=attempt, by=user, question_id=item["q"], response=response)
    # The quiz's organiser is not an organiser of the judged contest: the stage's own officer feeds it.
    from deltaunion.orgs.models import OrgRole, Role

    OrgRole.objects.create(user=cw.officer, organisation=pw.contest.lead_org, role=Role.OFFICER)
    services.quiz_update(quiz=pw.quiz, by=pw.officer, stage=cw.stage, status="closed")
    pw.quiz.refresh_from_db()
    officer = type(cw.officer).objects.get(pk=cw.officer.pk)  # a fresh user: roles are cached per object
    assert services.quiz_theory_feed(quiz=pw.quiz, by=officer) == 3
    theory_max = cw.stage.theory_max
    got = [SecretNumber.objects.get(pk=n.pk).theory_score for n in numbers]
    assert got == [theory_max, (Decimal(30) * theory_max / 50).quantize(Decimal("0.01")), Decimal("0.00")]

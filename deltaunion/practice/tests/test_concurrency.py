"""Real concurrent connections on PostgreSQL: a retried answer counts once, and one person's
attempts per day are never exceeded."""

from __future__ import annotations

import pytest
from django.db import connection

from deltaunion.contests.tests.test_concurrency import run_together
from deltaunion.practice import services
from deltaunion.practice.models import QuizAnswer, QuizAttempt

from .factories import build_practice_world, shown_right_index

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent connections"),
]


def test_the_same_answer_sent_at_once_counts_once(world):
    pw = build_practice_world(world)
    user = pw.workers[0]
    attempt = services.quiz_start(quiz=pw.quiz, by=user)
    qid = attempt.paper[0]["q"]
    good = shown_right_index(attempt, qid)
    results = run_together(
        [lambda: services.quiz_answer(attempt=attempt, by=user, question_id=qid, response=[good])] * 8
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(1 for r in results if not r.duplicate) == 1
    attempt.refresh_from_db()
    assert (attempt.score, attempt.answered) == (10, 1)
    assert QuizAnswer.objects.filter(attempt=attempt).count() == 1


def test_attempts_per_day_hold_under_concurrent_starts(world):
    pw = build_practice_world(world)  # 2 attempts a day
    user = pw.workers[0]

    def start_and_finish():
        a = services.quiz_start(quiz=pw.quiz, by=user)
        services.quiz_finish(attempt=a, by=user)
        return a.pk

    results = run_together([start_and_finish] * 6)
    started = {r for r in results if isinstance(r, int)}
    assert QuizAttempt.objects.filter(user=user).count() == len(started) <= 2

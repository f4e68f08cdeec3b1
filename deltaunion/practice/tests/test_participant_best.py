"""The participant's best is in no index, so an answer that raises it is a HOT update on
PostgreSQL; the worker's rank on 我的练习 is read from the quiz's board."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deltaunion.core import leaderboards
from deltaunion.practice import selectors, services
from deltaunion.practice.models import QuizParticipant

from .factories import build_practice_world, shown_right_index

BEST_COLUMNS = {"best_score", "best_time_ms", "on_board"}  # what an answer raising a best writes


def _answer(attempt, user, n: int, *, right: bool = True, start=None) -> None:
    for i, item in enumerate(attempt.paper[:n], start=1):
        good = shown_right_index(attempt, item["q"])
        services.quiz_answer(
            attempt=attempt,
            by=user,
            question_id=item["q"],
            response=[good if right else (good + 1) % 4],
            now=(start or attempt.started_at) + dt.timedelta(seconds=5 * i),
        )


@pytest.mark.django_db
def test_no_index_of_the_participants_holds_their_best():
    table = QuizParticipant._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexed = {name: set(c["columns"]) for name, c in constraints.items() if c["index"] or c["unique"]}
    assert indexed, "the table's indexes were not read"
    assert {name: cols & BEST_COLUMNS for name, cols in indexed.items() if cols & BEST_COLUMNS} == {}


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="HOT updates and fill factors are PostgreSQL's")
def test_answers_raising_a_best_are_hot_updates_with_room_left_on_the_page(world):
    pw = build_practice_world(world)
    user = pw.workers[0]
    attempt = services.quiz_start(quiz=pw.quiz, by=user)
    table = QuizParticipant._meta.db_table
    counts = "SELECT pg_stat_get_xact_tuples_updated(%s::regclass), pg_stat_get_xact_tuples_hot_updated(%s::regclass)"
    # the test's transaction (the counters are this transaction's, the start's update included)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(counts, [table, table])
        updated_before, hot_before = cursor.fetchone()
        _answer(attempt, user, 3)  # each one raises the best
        cursor.execute(counts, [table, table])
        updated, hot = (n - m for n, m in zip(cursor.fetchone(), (updated_before, hot_before), strict=True))
        cursor.execute("SELECT reloptions FROM pg_class WHERE oid = %s::regclass", [table])
        options = cursor.fetchone()[0]
    p = QuizParticipant.objects.get(quiz=pw.quiz, user=user)
    assert (p.best_score, p.best_attempt_id) == (30, attempt.pk)
    # The first raise also sets the best attempt (an indexed column); the next two are HOT.
    assert updated == 3 and hot >= 2, (updated, hot)
    assert "fillfactor=85" in (options or [])


@pytest.mark.django_db(transaction=True)
def test_my_practice_shows_the_rank_the_board_shows(world):
    pw = build_practice_world(world, n_workers=4)
    first, second, third, silent = pw.workers
    t0 = timezone.now() - dt.timedelta(hours=1)
    for user, right in ((second, 2), (first, 3), (third, 1)):
        _answer(services.quiz_start(quiz=pw.quiz, by=user, now=t0), user, right, start=t0)
    services.quiz_start(quiz=pw.quiz, by=silent, now=t0)  # started, never answered

    board = leaderboards.Board("quiz", pw.quiz.pk, "person")
    on_board = {e.member: e.rank for e in leaderboards.top(board, 10)}
    assert on_board == {str(first.pk): 1, str(second.pk): 2, str(third.pk): 3}
    for user in (first, second, third):
        [row] = selectors.my_quizzes(user)
        assert row["rank"] == on_board[str(user.pk)]
    [row] = selectors.my_quizzes(silent)
    assert row["rank"] is None
    assert leaderboards.person_ranks("quiz", silent.pk, [pw.quiz.pk, pw.quiz.pk]) == {pw.quiz.pk: None}

    c = Client()
    c.force_login(second)
    html = c.get(reverse("me:practice")).content.decode()
    assert "第 2 名" in html and "答题后上榜" not in html
    c.force_login(silent)
    html = c.get(reverse("me:practice")).content.decode()
    assert "答题后上榜" in html and "名 ·" not in html

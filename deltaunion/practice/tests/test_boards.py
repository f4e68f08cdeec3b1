"""Leaderboards: the same answers give the same boards on Redis and on the database; a board
rebuilt from the database equals the live one; higher boards add up improvements."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from deltaunion.core import leaderboards
from deltaunion.practice import services
from deltaunion.practice.models import QuizParticipant

from .factories import build_practice_world, shown_right_index

needs_redis = pytest.mark.skipif(not leaderboards.uses_redis(), reason="needs REDIS_URL (runs in CI's Redis pass)")


def play(pw, rounds: int = 3, seed: int = 7) -> None:
    """Every worker sits the quiz `rounds` times with random right answers and times."""
    rng = random.Random(seed)
    t0 = timezone.now() - dt.timedelta(hours=2)
    for r in range(rounds):
        for user in pw.workers:
            start = t0 + dt.timedelta(minutes=10 * r)
            attempt = services.quiz_start(quiz=pw.quiz, by=user, now=start)
            elapsed = 0
            for item in attempt.paper:
                elapsed += rng.randint(1, 20)
                good = shown_right_index(attempt, item["q"])
                response = [good] if rng.random() < 0.6 else [(good + 1) % 4]
                services.quiz_answer(
                    attempt=attempt,
                    by=user,
                    question_id=item["q"],
                    response=response,
                    now=start + dt.timedelta(seconds=elapsed),
                )


def expected_person_order(pw) -> list[tuple[str, int]]:
    rows = QuizParticipant.objects.filter(quiz=pw.quiz, on_board=True)
    rows = sorted(rows, key=lambda p: (-p.best_score, p.best_time_ms, -p.user_id))
    return [(str(p.user_id), p.best_score) for p in rows]


@pytest.mark.django_db(transaction=True)
def test_boards_rank_best_attempts_and_sum_them_upwards(world):
    pw = build_practice_world(world, n_workers=8, attempts_per_day=5)
    play(pw)
    person = leaderboards.Board("quiz", pw.quiz.pk, "person")
    assert [(e.member, e.score) for e in leaderboards.top(person, 100)] == expected_person_order(pw)
    unit = leaderboards.Board("quiz", pw.quiz.pk, "unit")
    sums: dict[str, int] = {}
    for p in QuizParticipant.objects.filter(quiz=pw.quiz):
        sums[str(p.unit_id)] = sums.get(str(p.unit_id), 0) + p.best_score
    assert {e.member: e.score for e in leaderboards.top(unit, 10)} == sums
    province = leaderboards.Board("quiz", pw.quiz.pk, "province")
    assert {e.member for e in leaderboards.top(province, 10)} == {"330000", "320000"}
    city = leaderboards.Board("quiz", pw.quiz.pk, "city")
    assert {e.member for e in leaderboards.top(city, 10)} == {"330100", "320500"}


@pytest.mark.django_db(transaction=True)
def test_my_rank_with_neighbours(world):
    pw = build_practice_world(world, n_workers=8, attempts_per_day=5)
    play(pw, rounds=1, seed=3)
    board = leaderboards.Board("quiz", pw.quiz.pk, "person")
    order = [m for m, _s in expected_person_order(pw)]
    me = order[4]
    mine, near = leaderboards.around(board, me, 2)
    assert mine.rank == 5
    assert [e.member for e in near] == order[2:7]
    assert leaderboards.around(board, "999999", 2) == (None, [])
    view = leaderboards.view(board, pw.workers[0], top_n=3, neighbours=1)
    assert len(view.top) == 3 and view.me and view.me["is_me"] and view.size == 8
    # Names of others are masked, the viewer's own is not.
    labels = {r["member"]: r["label"] for r in view.top + view.around}
    for member, label in labels.items():
        if member != str(pw.workers[0].pk):
            assert "*" in label


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_rebuilt_redis_boards_equal_the_live_ones(world):
    pw = build_practice_world(world, n_workers=10, attempts_per_day=5)
    play(pw, rounds=3, seed=11)
    boards = leaderboards.boards_of("quiz", pw.quiz.pk)
    live = {b.key: sorted(leaderboards.redis_entries(b)) for b in boards}
    assert any(live.values())
    for b in boards:  # the live board is what the database says
        assert live[b.key] == sorted(leaderboards.db_entries(b)), b
    r = leaderboards.redis_client()
    for b in boards:
        r.delete(b.key)
    call_command("rebuild_leaderboards", quiz=[pw.quiz.pk], stdout=open("/dev/null", "w"))
    assert {b.key: sorted(leaderboards.redis_entries(b)) for b in boards} == live


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_redis_and_database_give_the_same_ranking(world, settings):
    pw = build_practice_world(world, n_workers=8, attempts_per_day=5)
    play(pw, rounds=2, seed=5)
    board = leaderboards.Board("quiz", pw.quiz.pk, "person")
    from_redis = [(e.member, e.score, e.time_ms) for e in leaderboards.top(board, 100)]
    settings.REDIS_URL = ""
    from_db = [(e.member, e.score, e.time_ms) for e in leaderboards.top(board, 100)]
    assert from_redis == from_db


def test_who_owns_a_board_is_kept_a_second_and_dropped_when_the_quiz_changes(world, settings, monkeypatch):
    """Where boards live in Redis, each process keeps a board's owner row for
    LEADERBOARD_OWNER_CACHE_SECONDS; the permission is still decided per request, a save of the
    quiz or its contest drops the copy at once, a change behind the ORM's back within the second."""
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deltaunion.practice.models import Quiz

    settings.REDIS_URL = settings.REDIS_URL or "redis://127.0.0.1:6379/0"  # only uses_redis() reads it here
    settings.LEADERBOARD_OWNER_CACHE_SECONDS = 0.5
    leaderboards._owner_cache.clear()
    pw = build_practice_world(world, n_workers=1)
    worker, quiz_id = pw.workers[0], pw.quiz.pk
    assert leaderboards.visible_owner("quiz", quiz_id, worker) == pw.quiz
    with CaptureQueriesContext(connection) as ctx:
        assert leaderboards.visible_owner("quiz", quiz_id, worker) == pw.quiz
    assert not [q for q in ctx.captured_queries if "practice_quiz" in q["sql"]]  # the owner row: kept
    # Withdrawn through the service (a save): refused at once.
    services.quiz_set_status(quiz=pw.quiz, status="draft", by=pw.officer)
    assert leaderboards.visible_owner("quiz", quiz_id, worker) is None
    assert leaderboards.visible_owner("quiz", quiz_id, pw.officer) is not None  # its managers still see it
    # Opened again behind the ORM's back (another process, raw SQL): seen within the lifetime.
    Quiz.objects.filter(pk=quiz_id).update(status="open")
    assert leaderboards.visible_owner("quiz", quiz_id, worker) is None  # this process's copy
    time.sleep(0.6)
    assert leaderboards.visible_owner("quiz", quiz_id, worker) == pw.quiz
    leaderboards._owner_cache.clear()


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_board_read_survives_a_script_flush_and_a_dropped_connection(world):
    """The read's script runs on a connection each thread keeps: NOSCRIPT (Redis restarted,
    SCRIPT FLUSH) and a connection closed by the server are answered the client's way (the
    script loaded again, a new connection)."""
    pw = build_practice_world(world, n_workers=4, attempts_per_day=5)
    play(pw, rounds=1, seed=6)
    board = leaderboards.Board("quiz", pw.quiz.pk, "person")
    me = str(pw.workers[0].pk)
    expected = leaderboards.read(board, top_n=3, member=me, neighbours=1)
    assert expected[0] == 4 and expected[2] is not None
    r = leaderboards.redis_client()
    # NOSCRIPT, without flushing the shared server's scripts: a digest Redis does not know.
    script = leaderboards._lua(leaderboards._READ_LUA)
    real_sha, script.sha = script.sha, "0" * 40
    assert leaderboards.read(board, top_n=3, member=me, neighbours=1) == expected
    assert script.sha == real_sha  # loaded again by the client
    held = leaderboards._held.conn
    held.send_command("CLIENT", "ID")
    held_id = held.read_response()
    r.client_kill_filter(_id=held_id)
    assert leaderboards.read(board, top_n=3, member=me, neighbours=1) == expected
    assert leaderboards.read(board, top_n=3, member=me, neighbours=1) == expected


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_best_offer_survives_a_script_flush_and_a_dropped_connection_and_counts_once(world, settings):
    """An answer's offer of a best runs on the thread's own connection, as the board read does:
    NOSCRIPT and a connection closed by the server are answered the client's way, and an offer
    run again (the retry after a timeout) changes nothing, so the higher boards never count an
    improvement twice."""
    from types import SimpleNamespace

    settings.LEADERBOARD_OFFER_SECONDS = 0  # sent at once (test_board_offers covers the gathered sending)
    quiz_id = 990_000_001  # a board of its own on the shared Redis
    boards = leaderboards.boards_of("quiz", quiz_id)
    r = leaderboards.redis_client()
    r.delete(*[b.key for b in boards])
    dims = SimpleNamespace(team_key="T1", unit_id=7, city_code="3101", province_code="31")

    def offer(score: int, time_ms: int) -> None:
        leaderboards.offer_best(kind="quiz", object_id=quiz_id, user_id=42, dims=dims, score=score, time_ms=time_ms)

    def state() -> list:
        members = zip(boards[1:], ("T1", "7", "3101", "31"), strict=True)
        return [r.zscore(boards[0].key, "42"), *[r.zscore(b.key, m) for b, m in members]]

    try:
        offer(10, 5000)
        assert state() == [leaderboards.composite(10, 5000), 10, 10, 10, 10]
        offer(10, 5000)  # the same offer again: nothing moves
        offer(8, 1000)  # a lower score: nothing moves
        assert state() == [leaderboards.composite(10, 5000), 10, 10, 10, 10]
        script = leaderboards._lua(leaderboards._BEST_LUA)
        real_sha, script.sha = script.sha, "0" * 40  # NOSCRIPT, as after a Redis restart
        offer(15, 6000)
        assert script.sha == real_sha
        assert state() == [leaderboards.composite(15, 6000), 15, 15, 15, 15]
        held = leaderboards._held.conn
        held.send_command("CLIENT", "ID")
        r.client_kill_filter(_id=held.read_response())
        offer(16, 9000)  # on a connection the server closed: run again the client's way
        offer(16, 9000)
        assert state() == [leaderboards.composite(16, 9000), 16, 16, 16, 16]
    finally:
        r.delete(*[b.key for b in boards])


def test_a_boards_keys_are_kept_and_follow_the_key_prefix(settings):
    """offer_best reads an object's board keys from a copy (family_keys): the same keys as the
    boards', in LEVELS order, and a changed prefix is seen at once."""
    expected = [leaderboards.Board("quiz", 7, level).key for level in leaderboards.LEVELS]
    assert leaderboards.family_keys("quiz", 7) == expected
    settings.LEADERBOARD_KEY_PREFIX = "other-prefix"
    keys = leaderboards.family_keys("quiz", 7)
    assert keys == [leaderboards.Board("quiz", 7, level).key for level in leaderboards.LEVELS]
    assert all(k.startswith("other-prefix:") for k in keys) and keys != expected

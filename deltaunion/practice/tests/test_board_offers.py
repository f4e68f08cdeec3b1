"""With Redis, a process gathers the offers of a best (core.leaderboards._Offers) and sends them
together: the boards end exactly as if every offer had been sent at once, the process's own reads
see them at once, and its sending thread delivers them to other processes without a read."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass

import pytest
from django.conf import settings

from deltaunion.core import leaderboards
from deltaunion.core.leaderboards import Board, redis_client

pytestmark = pytest.mark.skipif(
    not getattr(settings, "REDIS_URL", ""), reason="gathering applies to Redis boards; REDIS_URL is not set"
)

GATHERED, DIRECT = 987_001, 987_002  # quiz ids no other test uses (each test has its own key prefix too)


@dataclass(frozen=True)
class Dims:
    team_key: str
    unit_id: int | None
    city_code: str
    province_code: str


def _dims(user: int) -> Dims:
    return Dims(f"t{user % 3}", 10 + user % 4, f"31{user % 2:02d}00", "310000")


def _boards(quiz: int) -> dict[str, dict[str, float]]:
    """What another process reads: Redis alone, not this process's gathered offers."""
    r = redis_client()
    return {
        level: {m.decode(): s for m, s in r.zrange(Board("quiz", quiz, level).key, 0, -1, withscores=True)}
        for level in leaderboards.LEVELS
    }


def test_gathered_offers_leave_the_boards_as_offers_sent_one_by_one(settings):
    rng = random.Random(7)
    offers = [(rng.randrange(12), rng.randrange(0, 100), rng.randrange(1, 90_000)) for _ in range(600)]
    offers += offers[:50]  # repeats, as retries send them

    def offer_all(quiz: int, part: list) -> None:
        for user, score, time_ms in part:
            leaderboards.offer_best(
                kind="quiz", object_id=quiz, user_id=user, dims=_dims(user), score=score, time_ms=time_ms
            )

    threads = [threading.Thread(target=offer_all, args=(GATHERED, offers[i::8])) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    settings.LEADERBOARD_OFFER_SECONDS = 0  # the reference: each offer sent at once, in order
    offer_all(DIRECT, offers)
    settings.LEADERBOARD_OFFER_SECONDS = 0.2
    leaderboards.send_offers()
    gathered, direct = _boards(GATHERED), _boards(DIRECT)
    assert direct["person"] and direct["city"]
    assert gathered == direct
    # and a read of the process sends first: nothing pending, the board as read is Redis's
    leaderboards.offer_best(kind="quiz", object_id=GATHERED, user_id=99, dims=_dims(99), score=100, time_ms=1)
    assert leaderboards.top(Board("quiz", GATHERED, "person"), 1)[0].member == "99"
    assert not leaderboards._offers.items


def test_the_sending_thread_delivers_without_a_read():
    leaderboards.offer_best(kind="quiz", object_id=GATHERED, user_id=5, dims=_dims(5), score=40, time_ms=900)
    deadline = time.monotonic() + 5
    while "5" not in _boards(GATHERED)["person"] and time.monotonic() < deadline:
        time.sleep(0.02)
    assert leaderboards.split_composite(_boards(GATHERED)["person"]["5"]) == (40, 900)
    assert leaderboards.offer_seconds() <= 1


def test_a_failed_send_keeps_the_offers_and_a_lost_script_is_loaded_again(monkeypatch):
    class Down:
        def pipeline(self, **kwargs):
            raise ConnectionError("redis is down")

    with monkeypatch.context() as m:
        m.setattr(leaderboards, "redis_client", lambda: Down())
        leaderboards.offer_best(kind="quiz", object_id=GATHERED, user_id=6, dims=_dims(6), score=30, time_ms=5)
        with pytest.raises(ConnectionError):
            leaderboards._offers.flush()
    redis_client().script_flush()  # Redis restarted: the offer's script is gone
    leaderboards.send_offers()
    assert leaderboards.split_composite(_boards(GATHERED)["person"]["6"]) == (30, 5)
    assert _boards(GATHERED)["team"] == {"t0": 30.0}


def test_a_forked_child_does_not_send_its_parents_offers():
    offers = leaderboards._Offers()
    offers.items[("k", "1")] = (["k"], ["1", 5, 5])
    offers.pid = 1
    offers.forked()
    assert offers.items == {} and offers.pid == 0

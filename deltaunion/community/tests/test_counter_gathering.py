"""With Redis, a process gathers its counter bumps and sends them together (core.counters): none
is lost or counted twice, the process's own reads see them at once, and its sending thread
delivers them to other processes' reads without anyone asking."""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings

from deltaunion.core import counters
from deltaunion.core.leaderboards import redis_client

pytestmark = pytest.mark.skipif(
    not getattr(settings, "REDIS_URL", ""), reason="gathering applies to Redis counters; REDIS_URL is not set"
)

OBJECT = 987_654  # an object id no other test bumps (each test has its own key prefix too)


def _in_redis() -> int:
    """What another process reads: the Redis hash alone, not this process's gathered bumps."""
    value = redis_client().hget(counters._hash_key("post_likes"), str(OBJECT))
    return int(value or 0)


def test_concurrent_bumps_all_arrive_once():
    def bump_many() -> None:
        for _ in range(250):
            counters.bump("post_likes", OBJECT, 1)

    threads = [threading.Thread(target=bump_many) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counters.bump("post_likes", OBJECT, -3)
    assert counters.pending("post_likes", [OBJECT]) == {OBJECT: 1997}  # the process's own read flushes first
    assert _in_redis() == 1997
    counters.flush()  # nothing left: sending again adds nothing
    assert _in_redis() == 1997


def test_the_sending_thread_delivers_without_a_read():
    counters.bump("post_likes", OBJECT, 5)
    deadline = time.monotonic() + 5
    while _in_redis() != 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _in_redis() == 5
    assert counters.flush_seconds() <= 1


def test_a_failed_send_keeps_the_bumps(monkeypatch):
    class Down:
        def pipeline(self, **kwargs):
            raise ConnectionError("redis is down")

    with monkeypatch.context() as m:
        m.setattr(counters, "redis_client", lambda: Down())
        counters.bump("post_likes", OBJECT, 2)  # the sending thread may try too, and fail: kept
        with pytest.raises(ConnectionError):
            counters._gathered.flush()
    counters.flush()
    assert _in_redis() == 2


def test_a_forked_child_does_not_send_its_parents_bumps():
    gathered = counters._Gathered()
    gathered.items[("k", "1")] = 4
    gathered.pid = 1
    gathered.forked()
    assert gathered.items == {} and gathered.pid == 0

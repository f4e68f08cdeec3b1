"""Redis commands on a connection each thread keeps, for the hot paths: a board read, the offer
of a best, a token's cached user.

The connection is made with the client's settings (host, database, password, TLS) but kept
outside the pool, which saves the pool's and the command layer's Python (about half the
client's CPU for such a call; py-spy on the answers: the offer's share of the GIL 5.4 → 3.1 %).
Only commands that are harmless to send twice come here: anything unexpected — NOSCRIPT after a
Redis restart or SCRIPT FLUSH, a dropped connection, a timeout — closes that connection, and the
caller's fallback makes the call again the client's ordinary way (which loads a script and
retries).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

_held = threading.local()


def client() -> Any:
    """The project's Redis client (the default cache's connection pool)."""
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def call(command: tuple, fallback: Callable[[], Any]) -> Any:
    """Send `command` on this thread's connection and return the reply, or `fallback()`."""
    conn = getattr(_held, "conn", None)
    try:
        if conn is None or _held.pid != os.getpid():
            pool = client().connection_pool
            conn = _held.conn = pool.connection_class(**pool.connection_kwargs)
            _held.pid = os.getpid()
        conn.send_command(*command)
        return conn.read_response()
    except Exception:
        if conn is not None:
            conn.disconnect()
        return fallback()

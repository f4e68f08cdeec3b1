"""Cached snapshots with single-flight refresh: an expensive read (a live board watched by a
hall and its online audience) computed once per interval whatever the number of readers.

A snapshot is kept in the cache (Redis in production, shared by every worker) with the
version it was computed at and an ETag of its content. A reader gets the snapshot while it is
fresh: younger than `interval` and its version current, or younger than `min_age` whatever
the version (a burst of changes costs one computation per `min_age`, not one per change).
When it is stale, one reader (the one that takes the lock) computes it again; the others keep
answering with the previous snapshot meanwhile, and only when there is none yet wait for it.
`changed(name)` makes the current snapshot stale (called when what it shows changes): after
`min_age`, or with `at_once=True` for rare changes that must show without delay (a stage
revealed, a board frozen).

With `local=` seconds, each process also keeps the snapshot it last read for that long (never
longer than `interval`): a poll then costs no cache round trip at all. `changed()` drops that
copy in the calling process at once; the other processes read the change within `local`
seconds (a live board polled every 3 s: one second more at most).
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

LOCK_SECONDS = 30  # a computation that takes longer is presumed dead, and another reader takes over
KEEP_SECONDS = 3600
_local: dict[str, tuple[float, str, Any]] = {}  # key → (expires, etag, value), this process


def _keys(name: str) -> tuple[str, str, str]:
    return f"snapshot:{name}", f"snapshot-v:{name}", f"snapshot-lock:{name}"


def local_get(key: str) -> Any:
    """A value this process keeps for a short while (see `local_set`), or None."""
    mine = _local.get(key)
    return mine[2] if mine is not None and mine[0] > time.time() else None


def local_set(key: str, value: Any, seconds: float) -> None:
    _local[key] = (time.time() + seconds, "", value)


def local_drop(key: str) -> None:
    _local.pop(key, None)


def forget_local() -> None:
    """Drop every copy this process keeps (tests: the database was rolled back)."""
    _local.clear()


def etag_of(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def changed(name: str, *, at_once: bool = False) -> None:
    """What the snapshot shows has changed: the next reader (after `min_age` unless `at_once`)
    gets a new one."""
    _local.pop(name, None)
    cache.set(_keys(name)[1], (uuid.uuid4().hex, at_once), KEEP_SECONDS * 24)


def snapshot(
    name: str,
    compute: Callable[[], Any],
    *,
    interval: float,
    min_age: float = 1.0,
    wait: float = 10.0,
    local: float = 0.0,
) -> tuple[str, Any]:
    """(etag, value) of the snapshot `name`, computed by `compute()` when stale."""
    if local <= 0:
        return _shared(name, compute, interval=interval, min_age=min_age, wait=wait)[:2]
    mine = _local.get(name)
    if mine is not None and mine[0] > time.time():
        return mine[1], mine[2]
    etag, value, until = _shared(name, compute, interval=interval, min_age=min_age, wait=wait)
    # kept here no longer than the shared copy is fresh (a change seen through min_age ends with it)
    _local[name] = (min(time.time() + local, until), etag, value)
    return etag, value


def _shared(
    name: str, compute: Callable[[], Any], *, interval: float, min_age: float, wait: float
) -> tuple[str, Any, float]:
    """(etag, value, until when it is fresh)."""
    key, version_key, lock_key = _keys(name)
    got = cache.get_many([key, version_key])
    version, snap = got.get(version_key), got.get(key)
    if snap is not None and (until := _fresh_until(snap, version, interval, min_age)) > time.time():
        return snap[2], snap[3], until
    if cache.add(lock_key, 1, LOCK_SECONDS):
        try:
            # Another reader may have stored a fresh snapshot between our read and our lock.
            got = cache.get_many([key, version_key])
            version, latest = got.get(version_key), got.get(key)
            if latest is not None and (until := _fresh_until(latest, version, interval, min_age)) > time.time():
                return latest[2], latest[3], until
            return _compute(key, version, compute, interval)
        finally:
            cache.delete(lock_key)
    if snap is not None:  # another reader is refreshing it: the previous snapshot meanwhile
        return snap[2], snap[3], 0.0
    deadline = time.time() + wait
    while time.time() < deadline:  # the first snapshot is being computed: wait for it
        time.sleep(0.02)
        snap = cache.get(key)
        if snap is not None:
            return snap[2], snap[3], 0.0
    return _compute(key, version, compute, interval)


def _fresh_until(snap: tuple, version: Any, interval: float, min_age: float) -> float:
    """Until when `snap` may be served: `interval` after it was computed at the current version,
    `min_age` after it was computed at an older one (never, after a change `at_once`)."""
    at, snap_version = snap[0], snap[1]
    if snap_version == version:
        return at + interval
    if version and version[1]:
        return 0.0
    return at + min_age


def _compute(key: str, version: Any, compute: Callable[[], Any], interval: float) -> tuple[str, Any, float]:
    value = compute()
    etag = etag_of(value)
    at = time.time()
    cache.set(key, (at, version, etag, value), KEEP_SECONDS)
    return etag, value, at + interval

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


def _keys(name: str) -> tuple[str, str, str]:
    return f"snapshot:{name}", f"snapshot-v:{name}", f"snapshot-lock:{name}"


def etag_of(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def changed(name: str, *, at_once: bool = False) -> None:
    """What the snapshot shows has changed: the next reader (after `min_age` unless `at_once`)
    gets a new one."""
    cache.set(_keys(name)[1], (uuid.uuid4().hex, at_once), KEEP_SECONDS * 24)


def snapshot(
    name: str, compute: Callable[[], Any], *, interval: float, min_age: float = 1.0, wait: float = 10.0
) -> tuple[str, Any]:
    """(etag, value) of the snapshot `name`, computed by `compute()` when stale."""
    key, version_key, lock_key = _keys(name)
    got = cache.get_many([key, version_key])
    version, snap = got.get(version_key), got.get(key)
    if snap is not None and _fresh(snap, version, interval, min_age):
        return snap[2], snap[3]
    if cache.add(lock_key, 1, LOCK_SECONDS):
        try:
            # Another reader may have stored a fresh snapshot between our read and our lock.
            got = cache.get_many([key, version_key])
            version, latest = got.get(version_key), got.get(key)
            if latest is not None and _fresh(latest, version, interval, min_age):
                return latest[2], latest[3]
            return _compute(key, version, compute)
        finally:
            cache.delete(lock_key)
    if snap is not None:  # another reader is refreshing it: the previous snapshot meanwhile
        return snap[2], snap[3]
    deadline = time.time() + wait
    while time.time() < deadline:  # the first snapshot is being computed: wait for it
        time.sleep(0.02)
        snap = cache.get(key)
        if snap is not None:
            return snap[2], snap[3]
    return _compute(key, version, compute)


def _fresh(snap: tuple, version: Any, interval: float, min_age: float) -> bool:
    at, snap_version = snap[0], snap[1]
    age = time.time() - at
    if snap_version == version:
        return age < interval
    return age < min_age and not (version and version[1])


def _compute(key: str, version: Any, compute: Callable[[], Any]) -> tuple[str, Any]:
    value = compute()
    etag = etag_of(value)
    cache.set(key, (time.time(), version, etag, value), KEEP_SECONDS)
    return etag, value

"""Counters that many people bump at once (the likes and comments of one post), for any app.

An app registers each counter when it is ready: its name, the model and column that hold the
folded count, and how to count the truth again from the app's own rows:

    counters.register("post_likes", Post, "like_count", recount=like_totals)

where `like_totals(ids)` returns {object id: true count} for those objects (every object
when `ids` is None). A request never updates the counted row: `bump()` records a pending
increment — in a Redis hash when `REDIS_URL` is set, otherwise in one of 16 slot rows
(`core.CounterSlot`) chosen at random — and `fold()` later adds the pending increments to the
column (`manage.py fold_counters --every 1` beside the web servers; reads also fold at most
once a second through `maybe_fold`). `recount()` rebuilds the columns from the truth, e.g.
after Redis lost its data.

With Redis, a process gathers its bumps for up to COUNTER_FLUSH_SECONDS (0.2 s) and sends them
in one round trip (a thread of its own, started by the first bump): a thousand likes a second
cost a few Redis calls a second, not a thousand. The same process's `pending`, `live`, `fold`
and `recount` send its gathered bumps first, so within a process nothing is ever missing; another
process sees them at most 0.2 s later, and the folder folds them at its next pass. A process
killed outright (SIGKILL, a crash) loses what it had gathered — the counts, never the rows they
count: `manage.py fold_counters --recount` sets the columns from the rows again, as after Redis
lost its data. A normal exit (gunicorn's graceful stop) sends them first. COUNTER_FLUSH_SECONDS = 0
sends each bump at once, as before.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models import F

from deltaunion.core import gathering
from deltaunion.core.leaderboards import key_prefix, redis_client, uses_redis
from deltaunion.core.models import CounterSlot

SLOTS = 16
FOLD_EVERY_SECONDS = 1

# Read the whole hash and delete it in one step, so no increment is lost between the two.
_TAKE_LUA = "local v = redis.call('HGETALL', KEYS[1]); redis.call('DEL', KEYS[1]); return v"


@dataclass(frozen=True)
class Counter:
    name: str
    model: type[models.Model]
    column: str
    recount: Callable[[list[int] | None], dict[int, int]]


_COUNTERS: dict[str, Counter] = {}


def register(
    name: str, model: type[models.Model], column: str, *, recount: Callable[[list[int] | None], dict[int, int]]
) -> Counter:
    if len(name) > CounterSlot._meta.get_field("name").max_length:
        raise ValueError(f"counter name {name!r} is too long")
    counter = Counter(name, model, column, recount)
    if name in _COUNTERS and (_COUNTERS[name].model, _COUNTERS[name].column) != (model, column):
        raise KeyError(f"counter {name} is registered twice")
    _COUNTERS[name] = counter
    return counter


def registered() -> list[Counter]:
    return list(_COUNTERS.values())


def _get(name: str) -> Counter:
    if name not in _COUNTERS:
        raise ValueError(f"unknown counter {name}")
    return _COUNTERS[name]


def _hash_key(name: str) -> str:
    return f"{key_prefix()}:cnt:{name}"


class _Gathered(gathering.Gathered):
    """This process's bumps not yet sent to Redis: {(hash key, object id): delta}."""

    thread_name = "counters-flush"

    def seconds(self) -> float:
        return flush_seconds()

    def _empty(self) -> dict[tuple[str, str], int]:
        return {}

    def _add(self, item: tuple[tuple[str, str], int]) -> None:
        field, delta = item
        self.items[field] = self.items.get(field, 0) + delta

    def _send(self, batch: dict[tuple[str, str], int]) -> None:
        pipe = redis_client().pipeline(transaction=False)
        for (key, field), delta in batch.items():
            if delta:
                pipe.hincrby(key, field, delta)
        pipe.execute()

    def _put_back(self, batch: dict[tuple[str, str], int]) -> None:
        for field, delta in batch.items():
            self._add((field, delta))


_gathered = _Gathered()
_gathered.register()


def flush_seconds() -> float:
    return float(getattr(settings, "COUNTER_FLUSH_SECONDS", 0.2))


def flush() -> None:
    """Send this process's gathered bumps to Redis now (nothing to do without Redis)."""
    if uses_redis():
        _gathered.flush()


def bump(name: str, object_id: int, delta: int = 1) -> None:
    _get(name)
    if uses_redis():
        if flush_seconds() > 0:
            _gathered.add(((_hash_key(name), str(object_id)), delta))
        else:
            redis_client().hincrby(_hash_key(name), str(object_id), delta)
        return
    table = CounterSlot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, object_id, slot, delta) VALUES (%s, %s, %s, %s) "
            f"ON CONFLICT (name, object_id, slot) DO UPDATE SET delta = {table}.delta + EXCLUDED.delta",
            [name, object_id, random.randrange(SLOTS), delta],
        )


def pending(name: str, object_ids: Iterable[int]) -> dict[int, int]:
    ids = [int(i) for i in object_ids]
    if not ids:
        return {}
    if uses_redis():
        _gathered.flush()
        values = redis_client().hmget(_hash_key(name), [str(i) for i in ids])
        return {i: int(v) for i, v in zip(ids, values, strict=True) if v is not None}
    out: dict[int, int] = defaultdict(int)
    for oid, delta in CounterSlot.objects.filter(name=name, object_id__in=ids).values_list("object_id", "delta"):
        out[oid] += delta
    return dict(out)


def live(name: str, object_ids: Iterable[int]) -> dict[int, int]:
    """The folded column plus the increments not yet folded, for each object."""
    counter = _get(name)
    ids = [int(i) for i in object_ids]
    folded = dict(counter.model._default_manager.filter(pk__in=ids).values_list("pk", counter.column))
    extra = pending(name, ids)
    return {pk: value + extra.get(pk, 0) for pk, value in folded.items()}


def _take(name: str) -> dict[int, int]:
    """The pending increments of a counter, removed from where they wait (inside a transaction
    on the database: the slot rows are locked and deleted with the fold)."""
    if uses_redis():
        _gathered.flush()
        flat = redis_client().eval(_TAKE_LUA, 1, _hash_key(name))
        return {int(flat[i]): int(flat[i + 1]) for i in range(0, len(flat), 2)}
    rows = list(CounterSlot.objects.select_for_update().filter(name=name).values_list("id", "object_id", "delta"))
    deltas: dict[int, int] = defaultdict(int)
    for _id, oid, delta in rows:
        deltas[oid] += delta
    CounterSlot.objects.filter(id__in=[r[0] for r in rows]).delete()
    return dict(deltas)


def fold(names: Iterable[str] | None = None) -> int:
    """Add pending increments to their columns; returns how many objects changed."""
    changed = 0
    for name in list(names) if names is not None else list(_COUNTERS):
        counter = _get(name)
        with transaction.atomic():
            deltas = _take(name)
            for oid, delta in deltas.items():
                if delta:
                    counter.model._default_manager.filter(pk=oid).update(**{counter.column: F(counter.column) + delta})
        changed += sum(1 for d in deltas.values() if d)
    return changed


def maybe_fold() -> None:
    """Fold at most once a second across all processes (called on reads of counts)."""
    if cache.add("core:counters:fold-lock", 1, timeout=FOLD_EVERY_SECONDS):
        fold()


def recount(names: Iterable[str] | None = None, object_ids: Iterable[int] | None = None) -> int:
    """Set each counter's column from the truth and drop its pending increments; returns how
    many (counter, object) values changed."""
    ids = None if object_ids is None else [int(i) for i in object_ids]
    n = 0
    for name in list(names) if names is not None else list(_COUNTERS):
        counter = _get(name)
        fold([name])
        truth = counter.recount(ids)
        objects = (
            counter.model._default_manager.all() if ids is None else counter.model._default_manager.filter(pk__in=ids)
        )
        for pk, value in objects.values_list("pk", counter.column):
            right = truth.get(pk, 0)
            if value != right:
                counter.model._default_manager.filter(pk=pk).update(**{counter.column: right})
                n += 1
    return n

"""Counters that many people bump at once (likes, comments on one post).

A request never updates the post's own row: it records a pending increment — in a Redis
hash when `REDIS_URL` is set, otherwise in one of 16 slot rows (`CounterSlot`) chosen at
random — and `fold()` later adds the pending increments to the column. The like rows
themselves are the truth; `recount()` rebuilds a column from them if Redis lost its data.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F

from deltaunion.practice import leaderboards
from deltaunion.practice.models import Comment, CounterSlot, Post, PostLike

SLOTS = 16
FOLD_EVERY_SECONDS = 1
# counter name → (model, column)
COUNTERS = {"post_likes": (Post, "like_count"), "post_comments": (Post, "comment_count")}

# Read the whole hash and delete it in one step, so no increment is lost between the two.
_TAKE_LUA = "local v = redis.call('HGETALL', KEYS[1]); redis.call('DEL', KEYS[1]); return v"


def _hash_key(name: str) -> str:
    return f"{leaderboards.key_prefix()}:cnt:{name}"


def bump(name: str, object_id: int, delta: int = 1) -> None:
    if name not in COUNTERS:
        raise ValueError(name)
    if leaderboards.uses_redis():
        leaderboards.redis_client().hincrby(_hash_key(name), str(object_id), delta)
        return
    table = CounterSlot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, object_id, slot, delta) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (name, object_id, slot) DO UPDATE SET delta = " + table + ".delta + EXCLUDED.delta",
            [name, object_id, random.randrange(SLOTS), delta],
        )


def pending(name: str, object_ids: Iterable[int]) -> dict[int, int]:
    ids = [int(i) for i in object_ids]
    if not ids:
        return {}
    if leaderboards.uses_redis():
        values = leaderboards.redis_client().hmget(_hash_key(name), [str(i) for i in ids])
        return {i: int(v) for i, v in zip(ids, values, strict=True) if v is not None}
    out: dict[int, int] = defaultdict(int)
    for oid, delta in CounterSlot.objects.filter(name=name, object_id__in=ids).values_list("object_id", "delta"):
        out[oid] += delta
    return dict(out)


def fold(names: Iterable[str] = tuple(COUNTERS)) -> int:
    """Add pending increments to their columns; returns how many objects changed."""
    changed = 0
    for name in names:
        model, column = COUNTERS[name]
        if leaderboards.uses_redis():
            flat = leaderboards.redis_client().eval(_TAKE_LUA, 1, _hash_key(name))
            deltas = {int(flat[i]): int(flat[i + 1]) for i in range(0, len(flat), 2)}
            with transaction.atomic():
                for oid, delta in deltas.items():
                    if delta:
                        model.objects.filter(pk=oid).update(**{column: F(column) + delta})
        else:
            with transaction.atomic():
                rows = list(
                    CounterSlot.objects.select_for_update().filter(name=name).values_list("id", "object_id", "delta")
                )
                deltas = defaultdict(int)
                for _id, oid, delta in rows:
                    deltas[oid] += delta
                for oid, delta in deltas.items():
                    if delta:
                        model.objects.filter(pk=oid).update(**{column: F(column) + delta})
                CounterSlot.objects.filter(id__in=[r[0] for r in rows]).delete()
        changed += sum(1 for d in deltas.values() if d)
    return changed


def maybe_fold() -> None:
    """Fold at most once a second across all processes (called on reads of counts)."""
    if cache.add("practice:fold-lock", 1, timeout=FOLD_EVERY_SECONDS):
        fold()


def recount(post_ids: Iterable[int] | None = None) -> int:
    """Set like and comment counts from the rows themselves (the truth) and drop pending increments."""
    fold()
    posts = Post.objects.all() if post_ids is None else Post.objects.filter(pk__in=list(post_ids))
    likes = dict(
        PostLike.objects.filter(post__in=posts).values("post").annotate(n=Count("id")).values_list("post", "n")
    )
    comments = dict(
        Comment.objects.filter(post__in=posts, status=Comment._meta.get_field("status").default)
        .values("post")
        .annotate(n=Count("id"))
        .values_list("post", "n")
    )
    n = 0
    for post in posts.only("id", "like_count", "comment_count"):
        like_count, comment_count = likes.get(post.id, 0), comments.get(post.id, 0)
        if (post.like_count, post.comment_count) != (like_count, comment_count):
            Post.objects.filter(pk=post.id).update(like_count=like_count, comment_count=comment_count)
            n += 1
    return n

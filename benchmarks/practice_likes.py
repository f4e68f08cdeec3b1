"""Likes per second, all on one post, through the real deployment (gunicorn + PostgreSQL +
Redis); then how long until every like is durable in PostgreSQL and folded into the post.

    .venv/bin/python benchmarks/practice_likes.py

A like (`POST /api/community/posts/<id>/like`) inserts one deduplicated row (post, user) and
bumps a Redis hash after commit (core.counters); the post row itself is not touched in the
request. The counter folder (`manage.py fold_counters --every 1`, started with the server)
adds the pending increments to the post. Each request
comes from a different user. Baseline: GET /api/practice/ping, same connections and auth.
durable_after_s: from the last like's response until PostgreSQL holds one like row per
successful request and the post's like_count equals it. Targets: ratio ≥ 0.5, durable_after_s ≤ 5.
"""

from __future__ import annotations

import json
import os
import time

import _practice_harness as h

STREAMS = int(os.environ.get("BENCH_STREAMS", "2"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = 2
PER_STREAM = 7000  # users per connection per round (30,000 tokens in all)


def main() -> None:
    reason = h.services_reachable()
    if reason:
        h.skip("practice_likes", reason)
    info = h.prepare(token_users=30000)
    from deltaunion.community.models import Post, PostLike
    from deltaunion.core import counters

    post_id = info["post"]
    PostLike.objects.filter(post_id=post_id).delete()
    counters.recount(["post_likes"], [post_id])  # folds what was pending, then the count of no rows: 0
    path = f"/api/community/posts/{post_id}/like"
    rounds = []
    for r in range(ROUNDS):
        offset = r * STREAMS * PER_STREAM
        rounds.append(
            [
                [("POST", path, h.token_for(offset + s + i * STREAMS), None) for i in range(PER_STREAM)]
                for s in range(STREAMS)
            ]
        )
    ping = [
        [("GET", "/api/practice/ping", h.token_for(s + i * STREAMS), None) for i in range(20000)]
        for s in range(STREAMS)
    ]
    baseline, target = [], []
    with h.gunicorn():
        h.run_load([s[:200] for s in ping], seconds=2)
        for r in range(ROUNDS):
            baseline.append(h.run_load(ping, seconds=SECONDS))
            target.append(h.run_load(rounds[r], seconds=SECONDS))
        ended = time.perf_counter()
        sent = sum(t["requests"] - t["errors"] for t in target)
        durable = None
        while time.perf_counter() - ended < 30:
            rows = PostLike.objects.filter(post_id=post_id).count()
            folded = Post.objects.values_list("like_count", flat=True).get(pk=post_id)
            if rows == sent and folded == sent:
                durable = round(time.perf_counter() - ended, 2)
                break
            time.sleep(0.05)
    rate = sum(t["rate"] for t in target) / ROUNDS
    base = sum(b["rate"] for b in baseline) / ROUNDS
    result = {
        "benchmark": "practice_likes",
        "server": f"gunicorn gthread {h.WORKERS}x{h.THREADS}",
        "connections": STREAMS,
        "likes": sent,
        "errors": sum(t["errors"] for t in target),
        "rate": round(rate, 1),
        "p50_ms": sorted(t["p50_ms"] for t in target)[0],
        "p99_ms": max(t["p99_ms"] for t in target),
        "baseline_rate": round(base, 1),
        "ratio": round(rate / base, 3) if base else None,
        "durable_after_s": durable,
        "like_rows": PostLike.objects.filter(post_id=post_id).count(),
        "like_count": Post.objects.values_list("like_count", flat=True).get(pk=post_id),
        "target": {"ratio": 0.5, "durable_after_s": 5},
    }
    result["ok"] = bool(result["ratio"] and result["ratio"] >= 0.5 and durable is not None and durable <= 5)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

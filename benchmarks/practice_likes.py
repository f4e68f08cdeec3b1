"""Likes per second on one viral post at saturation, driven by wrk, beside a bare-Django
baseline in the same run; then how long until every like is durable and folded into the post.

    .venv/bin/python benchmarks/practice_likes.py

`POST /api/community/posts/<id>/like`, every request from a different user (wrk/users.lua: each
connection takes its share of the round's API tokens, a new one for each request; 80,000 tokens:
8,000 for the warm-up and 36,000 a round, enough for 4,500 likes a second over 8 s), all on one
post. The users are active on the site: their tokens were used within the minute, so
`last_used_at` is not due for a write, and their authentication is in the shared token cache
(Redis, 60 s), as an active user's is — each round's tokens are put there just before the round,
with the entries an authentication writes (`accounts.services.api_tokens_warm`). No worker
process holds them yet (each process's own 2-s copy is empty for a new user), so every like
reads its user from Redis; each is that user's first like in the run. `repeats`: requests sent
after a connection ran out of its users (it starts again from its first token: a like already
given, answered `changed: false`); 0 unless the rate passed what the tokens cover.
Through the whole project stack on gunicorn (gthread, 2 workers × 2 threads, DEBUG=0),
PostgreSQL and Redis, with the counter folder (`manage.py fold_counters --every 1`) beside it as
in a deployment. A like inserts one deduplicated row (post, user) and bumps a Redis hash after
the commit (core.counters); the folder adds the pending increments to the post. Each round,
with the same gunicorn settings: the bare app (_bare_app.py), then the likes, 16 connections.

durable_after_s: from the end of the load until PostgreSQL holds a like row for every like
acknowledged (plus at most one a connection in flight when wrk stopped) and the post's folded
like_count equals the rows. Last line: JSON. Targets: ratio_to_bare ≥ 0.25, durable_after_s ≤ 5.
"""

from __future__ import annotations

import json
import os
import time

import _practice_harness as h
import _wrk as w

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
TOKENS = int(os.environ.get("BENCH_LIKE_TOKENS", "80000"))
WARM = TOKENS // 10  # tokens for the warm-up; the rest split between the rounds


def main() -> None:
    reason = h.services_reachable()
    if reason:
        h.skip("practice_likes", reason)
    w.ensure_wrk("practice_likes")
    info = h.prepare(token_users=TOKENS)
    import hashlib

    from deltaunion.accounts.services import api_tokens_warm
    from deltaunion.community.models import Post, PostLike
    from deltaunion.core import counters

    def warm(first: int, n: int) -> None:
        """The tokens of users first … first + n - 1 as an active user's: in the shared cache."""
        api_tokens_warm([hashlib.sha256(h.token_for(first + i).encode()).hexdigest() for i in range(n)])

    post_id = info["post"]
    PostLike.objects.filter(post_id=post_id).delete()
    counters.recount(["post_likes"], [post_id])  # folds what was pending, then the count of no rows: 0
    per_round = (TOKENS - WARM) // ROUNDS
    files = [w.tokens_file([h.token_for(i) for i in range(WARM)])] + [
        w.tokens_file([h.token_for(WARM + r * per_round + i) for i in range(per_round)]) for r in range(ROUNDS)
    ]
    url = f"http://127.0.0.1:{h.PORT}/api/community/posts/{post_id}/like"
    kw = {"connections": CONNECTIONS, "threads": CONNECTIONS}
    env = {"WRK_METHOD": "POST", "WRK_PATH": f"/api/community/posts/{post_id}/like", "WRK_THREADS": str(CONNECTIONS)}
    bare, likes = [], []
    load_before = w.load_average()
    durable = None
    try:
        for r in range(ROUNDS):
            bare.append(w.bare_rate(CONNECTIONS))
            w.tokens_recently_used()
            with w.serve(bare=False, env=h.ENV, folder=True, connections=CONNECTIONS):
                # warm-up, every round (each round starts a new server); in a later round the
                # warm-up's likes are repeats, answered without a row
                warm(0, WARM)
                w.wrk(url, script="users.lua", seconds=2, env={**env, "WRK_TOKENS": files[0]}, **kw)
                warm(WARM + r * per_round, per_round)
                likes.append(w.wrk(url, script="users.lua", env={**env, "WRK_TOKENS": files[r + 1]}, **kw))
                if r == ROUNDS - 1:  # the folder is still running: how long until all is durable
                    ended = time.perf_counter()
                    # a repeat is answered 2xx but adds no row
                    acknowledged = sum(x["counts"].get("ok2xx", 0) - x["counts"].get("exhausted", 0) for x in likes)
                    while time.perf_counter() - ended < 30:
                        rows = PostLike.objects.filter(post_id=post_id).count()
                        folded = Post.objects.values_list("like_count", flat=True).get(pk=post_id)
                        if acknowledged <= rows and folded == rows:
                            durable = round(time.perf_counter() - ended, 2)
                            break
                        time.sleep(0.05)
    finally:
        for f in files:
            os.unlink(f)
    load_after = w.load_average()
    rate = sum(x["rate"] for x in likes) / ROUNDS
    base = sum(b["rate"] for b in bare) / ROUNDS
    rows = PostLike.objects.filter(post_id=post_id).count()
    errors = sum(x["errors"] + x["counts"].get("other", 0) for x in likes)
    result = {
        "benchmark": "practice_likes",
        "server": f"gunicorn gthread {h.WORKERS}x{h.THREADS}",
        "load": f"wrk, {CONNECTIONS} connections, {w.SECONDS:g} s × {ROUNDS} rounds, one post",
        "likes": sum(x["requests"] for x in likes),
        "rate": round(rate, 1),
        "p50_ms": max(x["p50_ms"] for x in likes),
        "p99_ms": max(x["p99_ms"] for x in likes),
        "errors": errors,
        "bare_rate": round(base, 1),
        "ratio_to_bare": round(rate / base, 3) if base else None,
        "durable_after_s": durable,
        "like_rows": rows,
        "like_count": Post.objects.values_list("like_count", flat=True).get(pk=post_id),
        "warm_up_likes": PostLike.objects.filter(post_id=post_id, user__username__lt=f"bench{WARM:07d}").count(),
        "tokens": {"warm_up": WARM, "per_round": per_round, "state": "active: in the shared cache"},
        "repeats": sum(x["counts"].get("exhausted", 0) for x in likes),
        "rounds": [{"rate": x["rate"], "bare_rate": b["rate"]} for x, b in zip(likes, bare, strict=True)],
        "load_average": [load_before, load_after],
        "target": {"ratio_to_bare": 0.25, "durable_after_s": 5},
    }
    result["ok"] = bool(
        result["ratio_to_bare"]
        and result["ratio_to_bare"] >= 0.25
        and durable is not None
        and durable <= 5
        and not errors
        and not result["repeats"]
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

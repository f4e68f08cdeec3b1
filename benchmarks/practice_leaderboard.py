"""'My rank with neighbours' and top-100 reads on a 1,000,000-member quiz board, through the
real deployment (gunicorn + PostgreSQL + Redis) and the public API.

    .venv/bin/python benchmarks/practice_leaderboard.py

rank: GET /api/practice/boards/quiz/<id>/person?top=1&neighbours=5 as a member of the board
(ZREVRANK + ZREVRANGE around it, names for the rows). top: ...?top=100&neighbours=0.
One connection (the latency one user sees; BENCH_STREAMS=N for more), 10 s each. Last line: JSON. Targets: rank_p99_ms and top_p99_ms ≤ 25.
"""

from __future__ import annotations

import json
import os

import _practice_harness as h

STREAMS = int(os.environ.get("BENCH_STREAMS", "1"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))


def main() -> None:
    reason = h.services_reachable()
    if reason:
        h.skip("practice_leaderboard", reason)
    info = h.prepare(token_users=30000)
    quiz = info["quiz"]
    base = f"/api/practice/boards/quiz/{quiz}/person"
    rank = [
        [("GET", f"{base}?top=1&neighbours=5", h.token_for((s * 7919 + i * 13) % 30000), None) for i in range(20000)]
        for s in range(STREAMS)
    ]
    top = [
        [
            ("GET", f"{base}?top=100&neighbours=0", h.token_for((s * 104729 + i * 17) % 30000), None)
            for i in range(20000)
        ]
        for s in range(STREAMS)
    ]
    ping = [[("GET", "/api/practice/ping", h.token_for(s + i), None) for i in range(20000)] for s in range(STREAMS)]
    with h.gunicorn():
        h.run_load([s[:100] for s in rank], seconds=2)
        baseline = h.run_load(ping, seconds=SECONDS)
        r = h.run_load(rank, seconds=SECONDS)
        t = h.run_load(top, seconds=SECONDS)
    from deltaunion.core import leaderboards

    members = leaderboards.redis_client().zcard(leaderboards.Board("quiz", quiz, "person").key)
    result = {
        "benchmark": "practice_leaderboard",
        "server": f"gunicorn gthread {h.WORKERS}x{h.THREADS}",
        "connections": STREAMS,
        "members": members,
        "rank_requests": r["requests"],
        "rank_p50_ms": r["p50_ms"],
        "rank_p99_ms": r["p99_ms"],
        "top_requests": t["requests"],
        "top_p50_ms": t["p50_ms"],
        "top_p99_ms": t["p99_ms"],
        "baseline_p99_ms": baseline["p99_ms"],
        "baseline_rate": baseline["rate"],
        "errors": r["errors"] + t["errors"],
        "target": {"rank_p99_ms": 25, "top_p99_ms": 25},
    }
    result["ok"] = bool(r["p99_ms"] <= 25 and t["p99_ms"] <= 25 and not result["errors"] and members >= h.MEMBERS)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Answers submitted per second through the real deployment (gunicorn + PostgreSQL + Redis),
one authenticated request per answer, with 1,000,000 participants on the quiz boards.

    .venv/bin/python benchmarks/practice_submit.py

Each answer request: token authentication, the attempt read, one transaction (insert the
answer, add to the attempt, raise the participant's best) and, after commit, the Redis
board update (Lua: person best + improvement added to team/unit/city/province boards).
Baseline: GET /api/practice/ping with the same middleware and token authentication, on the
same connections, measured alternately with the answers in the same run. Last line: JSON.
Targets: ratio ≥ 0.5 and p99_ms ≤ 50.
"""

from __future__ import annotations

import json
import os

import _practice_harness as h

STREAMS = int(os.environ.get("BENCH_STREAMS", "2"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = 2
USERS_PER_STREAM = 25  # per round; 25 × 100 answers per connection per round is more than 10 s of work


def main() -> None:
    reason = h.services_reachable()
    if reason:
        h.skip("practice_submit", reason)
    info = h.prepare(token_users=30000)
    attempts = h.fresh_attempts(info["quiz"], info["first_user"], STREAMS * USERS_PER_STREAM * ROUNDS)
    rounds = []
    for r in range(ROUNDS):
        mine = attempts[r * STREAMS * USERS_PER_STREAM : (r + 1) * STREAMS * USERS_PER_STREAM]
        streams = []
        for s in range(STREAMS):
            reqs = []
            for token, attempt_id, qids in mine[s::STREAMS]:
                for n, qid in enumerate(qids):
                    reqs.append(
                        (
                            "POST",
                            f"/api/practice/attempts/{attempt_id}/answers",
                            token,
                            {"question": qid, "response": [n % 4]},
                        )
                    )
            streams.append(reqs)
        rounds.append(streams)
    ping = [
        [("GET", "/api/practice/ping", h.token_for(s + i * STREAMS), None) for i in range(20000)]
        for s in range(STREAMS)
    ]
    baseline, target = [], []
    with h.gunicorn():
        h.run_load([s[:200] for s in ping], seconds=2)  # warm-up: connections, caches
        for r in range(ROUNDS):
            baseline.append(h.run_load(ping, seconds=SECONDS))
            target.append(h.run_load(rounds[r], seconds=SECONDS))
    from deltaunion.core import leaderboards

    members = leaderboards.redis_client().zcard(leaderboards.Board("quiz", info["quiz"], "person").key)
    rate = sum(t["rate"] for t in target) / ROUNDS
    base = sum(b["rate"] for b in baseline) / ROUNDS
    p99 = max(t["p99_ms"] for t in target)
    p50 = sorted(t["p50_ms"] for t in target)[0]
    result = {
        "benchmark": "practice_submit",
        "server": f"gunicorn gthread {h.WORKERS}x{h.THREADS}",
        "connections": STREAMS,
        "members": members,
        "answers": sum(t["requests"] for t in target),
        "errors": sum(t["errors"] for t in target),
        "rate": round(rate, 1),
        "p50_ms": p50,
        "p99_ms": p99,
        "baseline_rate": round(base, 1),
        "baseline_p99_ms": max(b["p99_ms"] for b in baseline),
        "ratio": round(rate / base, 3) if base else None,
        "target": {"ratio": 0.5, "p99_ms": 50},
    }
    result["ok"] = bool(result["ratio"] and result["ratio"] >= 0.5 and p99 <= 50 and not result["errors"])
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Authenticated API ping at saturation, driven by wrk, beside a bare-Django baseline.

    .venv/bin/python benchmarks/api_ping.py

`GET /api/practice/ping` with `Authorization: Bearer` (a different API token on each
connection: wrk/tokens.lua) through the whole project stack — every middleware, token
authentication, django-ninja, the orjson renderer — on gunicorn (gthread, 2 workers × 2 threads,
DEBUG=0), PostgreSQL and Redis. In the same run and with the same gunicorn settings, the bare app
(`_bare_app.py`: no middleware, one JSON view) at the same connections. Also `/healthz`.
Last line: JSON with `rate`, `ratio_to_bare`, latency percentiles. Target: ratio_to_bare ≥ 0.5.
"""

from __future__ import annotations

import json
import os

import _practice_harness as h
import _wrk as w

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))


def main() -> None:
    reason = h.services_reachable()
    if reason:
        h.skip("api_ping", reason)
    w.ensure_wrk("api_ping")
    w.django_setup()
    tokens = w.tokens_file(w.api_tokens(CONNECTIONS))
    env = {"WRK_TOKENS": tokens, "WRK_PATH": "/api/practice/ping"}
    url = f"http://127.0.0.1:{h.PORT}/api/practice/ping"
    bare, ping, health = [], [], []
    load_before = w.load_average()
    for _r in range(ROUNDS):  # alternate: the machine's load moves; each round compares like with like
        bare.append(w.bare_rate(CONNECTIONS))
        with w.serve(bare=False, connections=CONNECTIONS):
            w.wrk(url, script="tokens.lua", connections=CONNECTIONS, threads=CONNECTIONS, seconds=2, env=env)
            ping.append(w.wrk(url, script="tokens.lua", connections=CONNECTIONS, threads=CONNECTIONS, env=env))
            health.append(w.wrk(f"http://127.0.0.1:{h.PORT}/healthz", connections=CONNECTIONS))
    os.unlink(tokens)
    rate = sum(p["rate"] for p in ping) / ROUNDS
    base = sum(b["rate"] for b in bare) / ROUNDS
    result = {
        "benchmark": "api_ping",
        "server": f"gunicorn gthread {h.WORKERS}x{h.THREADS}",
        "load": f"wrk, {CONNECTIONS} connections, {w.SECONDS:g} s × {ROUNDS} rounds",
        "rate": round(rate, 1),
        "p50_ms": max(p["p50_ms"] for p in ping),
        "p90_ms": max(p["p90_ms"] for p in ping),
        "p99_ms": max(p["p99_ms"] for p in ping),
        "errors": sum(p["errors"] for p in ping),
        "bare_rate": round(base, 1),
        "bare_p99_ms": max(b["p99_ms"] for b in bare),
        "healthz_rate": round(sum(x["rate"] for x in health) / ROUNDS, 1),
        "ratio_to_bare": round(rate / base, 3) if base else None,
        "rounds": [{"rate": p["rate"], "bare_rate": b["rate"]} for p, b in zip(ping, bare, strict=True)],
        "load_average": [load_before, w.load_average()],
        "target": {"ratio_to_bare": 0.5},
    }
    result["ok"] = bool(result["ratio_to_bare"] and result["ratio_to_bare"] >= 0.5 and not result["errors"])
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

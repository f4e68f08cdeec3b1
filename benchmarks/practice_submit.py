"""Answers submitted per second at saturation, driven by wrk, beside a bare-Django baseline and
the authenticated ping measured in the same run, with 1,000,000 participants on the quiz boards.

    .venv/bin/python benchmarks/practice_submit.py

`POST /api/practice/attempts/<id>/answers` through the whole project stack on gunicorn
(gthread, 2 workers × 2 threads, DEBUG=0), PostgreSQL and Redis: token authentication, the
attempt read, one transaction (insert the answer under its unique constraint, add the points to
the attempt, raise the participant's best) and, after the commit, the Redis board update (person
best + improvement added to the team/unit/city/province boards). Nothing is skipped: the
requests are the ones a phone sends. wrk with wrk/answers.lua: 16 connections (one wrk thread
each), each answering its own users' running attempts question after question, right, with each
user's own Bearer token. The users are the load users with the lowest best on the quiz, so nearly
every answer raises their best and updates the five Redis boards (`bests_raised`: participants
whose best is now one of the run's attempts). The bare app (_bare_app.py) and the project run
side by side with the same gunicorn settings, and each of the four rounds (BENCH_ROUNDS) gives
them a 4-s slice (BENCH_SLICE_SECONDS) in turn: the bare app, the project's
`GET /api/practice/ping` (wrk/tokens.lua), the answers. After the run: every answer acknowledged
is a row in PostgreSQL (plus at most one a connection and slice that was in flight when wrk
stopped) and each user's best on the Redis person board equals their participant row.

Last line: JSON with `rate`, `ratio_to_bare` (target ≥ 0.25), `p99_ms` (target ≤ 50),
`errors`, `ping_ratio_to_bare`, the load average before and after.

What bounds the rate (2026-12-03, thirteenth pass; benchmarks/README.md): no single cost. Since
the thirteenth pass an answer is answered in front of Django's request handling
(core.hotwsgi): about 0.43 ms of Python in one process instead of 0.6, and about 15 % less
machine time an answer under load. gunicorn's HTTP and threads cost what they cost the bare app,
PostgreSQL takes about a fifth of the machine (its statement prepared, the participant's update
HOT), and each answer's thread waits for its commit's WAL flush, which leaves about a tenth of
the machine idle at 2 × 2.
"""

from __future__ import annotations

import json
import os

import _practice_harness as h
import _wrk as w

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))
SLICE = float(os.environ.get("BENCH_SLICE_SECONDS", "4"))
USERS_PER_CONNECTION = 6  # per round: 600 answers a connection, more than a slice can take
WARM_USERS = 2  # per connection, for the warm-up


def answers_file(attempts: list[tuple]) -> str:
    """One line a user: token, attempt, each question with the right option of this paper."""
    return w.tokens_file(
        [f"{token} {attempt} {','.join(f'{q}:{keys[q][0]}' for q in qids)}" for token, attempt, qids, keys in attempts]
    )


def low_best_users(quiz_id: int, first_user: int, n: int) -> list[int]:
    """The n load users (of the 30,000 with tokens) whose best on the quiz is lowest: answering
    right, they pass it within an answer or two, so nearly every answer raises their best and
    updates the Redis boards, as in a participant's first attempt."""
    from deltaunion.practice.models import QuizParticipant

    users = (
        QuizParticipant.objects.filter(quiz_id=quiz_id, user_id__gte=first_user, user_id__lt=first_user + 30000)
        .order_by("best_score", "-best_time_ms", "user_id")
        .values_list("user_id", flat=True)[:n]
    )
    return [u - first_user for u in users]


def check_stored(quiz_id: int, attempts: list[tuple], acknowledged: int) -> dict:
    """What the run left behind: answer rows against the answers acknowledged (the repeats
    after a connection ran out of users count once), and the Redis person board against the
    participants' best in PostgreSQL."""
    from deltaunion.core import leaderboards
    from deltaunion.practice.models import QuizAnswer, QuizAttempt, QuizParticipant

    ids = [a[1] for a in attempts]
    stored = QuizAnswer.objects.filter(attempt_id__in=ids).count()
    users = list(QuizAttempt.objects.filter(pk__in=ids).values_list("user_id", flat=True))
    best = dict(QuizParticipant.objects.filter(quiz_id=quiz_id, user_id__in=users).values_list("user_id", "best_score"))
    board = leaderboards.Board("quiz", quiz_id, "person")
    scores = leaderboards.redis_client().zmscore(board.key, [str(u) for u in users])
    mismatched = sum(
        1 for u, s in zip(users, scores, strict=True) if s is None or leaderboards.split_composite(s)[0] != best[u]
    )
    raised = QuizParticipant.objects.filter(quiz_id=quiz_id, best_attempt_id__in=ids).count()
    return {
        "answers_acknowledged": acknowledged,
        "answers_stored": stored,
        "bests_raised": raised,
        "board_mismatches": mismatched,
    }


def main() -> None:
    reason = h.services_reachable()
    if reason:
        h.skip("practice_submit", reason)
    w.ensure_wrk("practice_submit")
    info = h.prepare(token_users=30000)
    per_round = CONNECTIONS * USERS_PER_CONNECTION
    warm_n = CONNECTIONS * WARM_USERS
    users = low_best_users(info["quiz"], info["first_user"], warm_n + per_round * ROUNDS)
    attempts = h.fresh_attempts(info["quiz"], info["first_user"], len(users), indexes=users, with_keys=True)
    files = [answers_file(attempts[:warm_n])] + [
        answers_file(attempts[warm_n + r * per_round : warm_n + (r + 1) * per_round]) for r in range(ROUNDS)
    ]
    # the ping's tokens: users beyond those answering (their own, cached like any other)
    ping_tokens = w.tokens_file([h.token_for(29000 + i) for i in range(CONNECTIONS)])
    base = f"http://127.0.0.1:{h.PORT}"
    ping_env = {"WRK_TOKENS": ping_tokens, "WRK_PATH": "/api/practice/ping"}
    kw = {"connections": CONNECTIONS, "threads": CONNECTIONS}
    bare, ping, submit = [], [], []
    bare_url = f"http://127.0.0.1:{w.BARE_PORT}/"
    quantiles = {"WRK_QUANTILES": "1000"}  # the p99 of all slices together (merged_percentile)
    load_before = w.load_average()
    try:
        # Both servers stay up and the three loads take turns in short slices: this machine's
        # speed drifts up to twofold within minutes (the same answers took 0.88–1.85 ms of CPU),
        # and a ratio of figures taken seconds apart moves much less than one of figures taken
        # half a minute apart. An idle gunicorn costs nothing measurable.
        with w.serve(bare=True, connections=CONNECTIONS), w.serve(bare=False, env=h.ENV, connections=CONNECTIONS):
            # warm-up: connections, the token cache, compiled code paths
            w.wrk(bare_url, connections=CONNECTIONS, seconds=2)
            w.wrk(f"{base}/api/practice/ping", script="tokens.lua", seconds=2, env=ping_env, **kw)
            warm_env = {"WRK_ANSWERS": files[0], "WRK_THREADS": str(CONNECTIONS)}
            w.wrk(base, script="answers.lua", seconds=2, env=warm_env, **kw)
            for r in range(ROUNDS):
                bare.append(w.wrk(bare_url, connections=CONNECTIONS, seconds=SLICE, env=quantiles))
                ping.append(
                    w.wrk(
                        f"{base}/api/practice/ping",
                        script="tokens.lua",
                        seconds=SLICE,
                        env={**ping_env, **quantiles},
                        **kw,
                    )
                )
                answers_env = {"WRK_ANSWERS": files[r + 1], "WRK_THREADS": str(CONNECTIONS), **quantiles}
                submit.append(w.wrk(base, script="answers.lua", seconds=SLICE, env=answers_env, **kw))
    finally:
        for f in (*files, ping_tokens):
            os.unlink(f)
    load_after = w.load_average()
    measured = attempts[warm_n:]
    acknowledged = sum(s["counts"].get("ok2xx", 0) - s["counts"].get("exhausted", 0) for s in submit)
    stored = check_stored(info["quiz"], measured, acknowledged)
    from deltaunion.core import leaderboards

    members = leaderboards.redis_client().zcard(leaderboards.Board("quiz", info["quiz"], "person").key)
    rate = sum(s["rate"] for s in submit) / ROUNDS
    ping_rate = sum(p["rate"] for p in ping) / ROUNDS
    bare_rate = sum(b["rate"] for b in bare) / ROUNDS
    errors = sum(s["errors"] + s["counts"].get("other", 0) for s in submit)
    result = {
        "benchmark": "practice_submit",
        "server": f"gunicorn gthread {h.WORKERS}x{h.THREADS}",
        "load": f"wrk, {CONNECTIONS} connections, {SLICE:g} s × {ROUNDS} rounds (bare, ping, answers in turn)",
        "members": members,
        "answers": sum(s["requests"] for s in submit),
        "rate": round(rate, 1),
        "p50_ms": w.merged_percentile(submit, 50),
        "p90_ms": w.merged_percentile(submit, 90),
        "p99_ms": w.merged_percentile(submit, 99),
        "errors": errors,
        "bare_rate": round(bare_rate, 1),
        "ratio_to_bare": round(rate / bare_rate, 3) if bare_rate else None,
        "ping_rate": round(ping_rate, 1),
        "ping_p99_ms": w.merged_percentile(ping, 99),
        "ping_ratio_to_bare": round(ping_rate / bare_rate, 3) if bare_rate else None,
        **stored,
        "ran_out_of_users": sum(s["counts"].get("exhausted", 0) for s in submit),
        "rounds": [
            {
                "rate": s["rate"],
                "ping_rate": p["rate"],
                "bare_rate": b["rate"],
                "ratio": round(s["rate"] / b["rate"], 3) if b["rate"] else None,
                "p99_ms": s["p99_ms"],
            }
            for s, p, b in zip(submit, ping, bare, strict=True)
        ],
        "load_average": [load_before, load_after],
        "target": {"ratio_to_bare": 0.25, "p99_ms": 50},
    }
    result["ok"] = bool(
        result["ratio_to_bare"]
        and result["ratio_to_bare"] >= 0.25
        and result["p99_ms"] <= 50
        and not errors
        # answers in flight when wrk stopped are stored without being counted: one a connection
        and acknowledged <= stored["answers_stored"] <= acknowledged + CONNECTIONS * ROUNDS
        and not stored["board_mismatches"]
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

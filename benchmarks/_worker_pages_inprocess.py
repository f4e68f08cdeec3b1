"""(A tool, not run by `make bench`: it prints no JSON line.) The five worker pages of worker_pages.py measured in-process: CPU µs, queries and Redis round
trips per page, through the whole middleware chain (Django's WSGI handler called directly, as
gunicorn calls it), no HTTP server, no wrk. For profiling and for before/after comparisons on a
shared machine, where the wrk benchmark's throughput moves with the load.

    .venv/bin/python benchmarks/_worker_pages_inprocess.py [requests per round] [--profile PAGE]

The same database and demo as worker_pages.py (BENCH_PAGES_DATABASE_URL), the same signed-in
worker and cookies. Each page is warmed, then measured in 5 rounds; the lowest and the median
CPU time per request (time.process_time: user + system of this process only) are printed, with
the queries and Redis commands of one warm request. `--profile PAGE` prints a cProfile (CPU
clock) of that page first.
"""

from __future__ import annotations

import os
import sys
import time

import worker_pages as bench

ROUNDS = 5


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 200
    profile = sys.argv[sys.argv.index("--profile") + 1] if "--profile" in sys.argv else None
    paths = bench.prepare()
    cookie = bench.session_cookie()

    import redis
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from deltaunion.core.testing import wsgi_call

    app = WSGIHandler()
    counts = {"q": 0, "r": 0}

    def queries(execute, sql, params, many, context):
        counts["q"] += 1
        return execute(sql, params, many, context)

    command, pipeline = redis.Redis.execute_command, redis.client.Pipeline.execute

    def count_command(self, *args, **kwargs):
        counts["r"] += 1
        return command(self, *args, **kwargs)

    def count_pipeline(self, *args, **kwargs):
        counts["r"] += 1
        return pipeline(self, *args, **kwargs)

    redis.Redis.execute_command = count_command
    redis.client.Pipeline.execute = count_pipeline

    def call(path: str) -> tuple[str, bytes]:
        status, _headers, body = wsgi_call(
            app,
            "GET",
            path,
            SERVER_NAME="127.0.0.1",
            SERVER_PORT="8000",
            HTTP_HOST="127.0.0.1",
            HTTP_COOKIE=cookie,
            HTTP_ACCEPT="text/html",
        )
        return status, body

    warm = {}
    with connection.execute_wrapper(queries):
        for page, path in paths.items():
            for _ in range(5):
                status, body = call(path)
            if not status.startswith("200"):
                raise SystemExit(f"{page}: {status}")
            counts["q"] = counts["r"] = 0
            call(path)
            warm[page] = (counts["q"], counts["r"], len(body))
        if profile:
            import cProfile
            import pstats

            prof = cProfile.Profile(time.process_time)
            prof.enable()
            for _ in range(n):
                call(paths[profile])
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(60)
        rounds: dict[str, list[float]] = {page: [] for page in paths}
        for _round in range(ROUNDS):
            for page, path in paths.items():
                start = time.process_time()
                for _ in range(n):
                    call(path)
                rounds[page].append((time.process_time() - start) / n * 1e6)
    for page, times in rounds.items():
        q, r, size = warm[page]
        times.sort()
        print(
            f"{page:14s} cpu min {times[0]:6.0f} µs  median {times[len(times) // 2]:6.0f} µs  "
            f"queries {q}  redis {r}  bytes {size}"
        )
    print("load average", os.getloadavg())


if __name__ == "__main__":
    main()

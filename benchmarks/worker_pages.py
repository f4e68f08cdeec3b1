"""The five pages a worker opens most, signed in, at saturation, driven by wrk, beside a
bare-Django baseline in the same run.

    .venv/bin/python benchmarks/worker_pages.py

Pages (the demo's `worker`, a worker with a login, entries and quiz attempts; the session cookie
and the CSRF cookie its first page set, as a browser sends them): the home page `/`
(this year's work plans and every key task's state), the contest list `/contests/`, the page of a
contest the worker entered, the page of an open quiz, and `/me/`. Each through the whole project
stack — sessions, authentication from the session, messages, language, CSRF, the templates —
on gunicorn (gthread, 2 workers × 2 threads, DEBUG=0), PostgreSQL and Redis. wrk with
wrk/session.lua (the session cookie on every request), 8 connections. Database: its own,
`deltaunion_pages_bench` (BENCH_PAGES_DATABASE_URL; kept between runs, BENCH_FRESH=1 rebuilds),
with the demo data (`manage.py load_demo`, about a minute once). The bare app and the project
are served side by side, and each page is measured in 3 pairs of 3 s, the bare app then the page
back to back: the page's `ratio_to_bare` is the median of its 3 pairs' ratios (`pair_ratios`).
This machine's speed moves by 2–3× from one half-minute to the next (the bare app alone measured
1,600–3,900 requests/s in four runs in a row, idle otherwise); a bare run minutes away from the
page's measured a different machine.

Last line: JSON with each page's `rate`, `ratio_to_bare` and `p99_ms`. Target: every ratio ≥ 0.1.
The pages' query counts do not grow with their rows: tests/test_worker_page_queries.py. The same pages
measured in-process (CPU per page, queries, Redis round trips): worker_pages_inprocess.py.
"""

from __future__ import annotations

import json
import os
import statistics

import _practice_harness as h
import _wrk as w

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
SECONDS = float(os.environ.get("BENCH_PAGE_SECONDS", "9"))
PAIRS = 3  # each page's seconds split into this many (bare, page) pairs, each pair back to back
DATABASE_URL = os.environ.get("BENCH_PAGES_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/deltaunion_pages_bench")
# The demo's labour-relations signals are shared between federations under a deployment key.
# Its own Redis database: the practice benchmark's (12) and the load database's (13) hold users and
# quizzes of the same ids, whose cached pages and versions this server must not read.
REDIS_URL = os.environ.get("BENCH_PAGES_REDIS_URL", "redis://127.0.0.1:6379/11")
ENV = {
    **h.ENV,
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "RELATIONS_MATCH_KEY": "benchmark-only-match-key-0123456789abcdef",
}
TARGET = 0.1


def prepare() -> dict[str, str]:
    """The database with the demo (once), and the worker's session; returns the pages' paths."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and os.environ.get("BENCH_FRESH") == "1":
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    keys = ("DJANGO_SETTINGS_MODULE", "REDIS_URL", "DEBUG", "STATIC_MANIFEST", "CONN_MAX_AGE", "SECRET_KEY")
    for key in (*keys, "RELATIONS_MATCH_KEY"):
        os.environ[key] = ENV[key]
    os.environ["DATABASE_URL"] = DATABASE_URL
    import django

    django.setup()
    from django.core.management import call_command

    from deltaunion.accounts.models import User

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="worker", worker__isnull=False).exists():
        w.note("loading the demo into the pages' database (once)")
        call_command("load_demo", quiet=True)
    return pages(User.objects.get(username="worker"))


def pages(user) -> dict[str, str]:
    from django.utils import timezone

    from deltaunion.contests import selectors as contests
    from deltaunion.practice import selectors as practice
    from deltaunion.practice.models import Quiz

    entry = contests.my_registrations(user).first()
    if entry is None:
        raise RuntimeError("the demo worker has no contest entry")
    quiz = next(
        (q for q in Quiz.objects.filter(practice.quiz_open_now_q(timezone.now())).order_by("id") if _sees(user, q)),
        None,
    )
    if quiz is None:
        raise RuntimeError("the demo has no open quiz the worker may see")
    return {
        "home": "/",
        "contest_list": "/contests/",
        "contest_page": f"/contests/{entry.stage.contest_id}/",
        "quiz_page": f"/practice/quizzes/{quiz.pk}/",
        "me": "/me/",
    }


def _sees(user, quiz) -> bool:
    from deltaunion.core.permissions import can

    return can(user, "practice.view_quiz", quiz)


def session_cookie() -> str:
    """A signed-in session of the demo worker and the CSRF cookie its first page set, as a
    browser sends them on every later page."""
    from django.conf import settings
    from django.test import Client

    from deltaunion.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="worker"))
    client.get("/me/", HTTP_HOST="127.0.0.1")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"


def main() -> None:
    reason = h.services_reachable()
    if reason:
        h.skip("worker_pages", reason)
    w.ensure_wrk("worker_pages")
    paths = prepare()
    cookie = session_cookie()
    load_before = w.load_average()
    out, cpu, bare_runs, ratios = {}, {}, [], {}
    bare_url = f"http://127.0.0.1:{w.BARE_PORT}/"
    with w.serve(bare=True, connections=CONNECTIONS), w.serve(bare=False, env=ENV, connections=CONNECTIONS) as server:
        w.wrk(bare_url, connections=CONNECTIONS, seconds=2)  # warm-up
        for page, path in paths.items():
            env = {"WRK_COOKIE": cookie, "WRK_PATH": path}
            url = f"http://127.0.0.1:{h.PORT}{path}"
            w.wrk(url, script="session.lua", connections=CONNECTIONS, seconds=1, env=env)  # warm-up
            runs, spent = [], 0.0
            for _pair in range(PAIRS):
                bare_runs.append(w.wrk(bare_url, connections=CONNECTIONS, seconds=SECONDS / PAIRS))
                cpu0 = w.worker_cpu_seconds(server)
                runs.append(w.wrk(url, script="session.lua", connections=CONNECTIONS, seconds=SECONDS / PAIRS, env=env))
                spent += w.worker_cpu_seconds(server) - cpu0
                if bare_runs[-1]["rate"]:
                    ratios.setdefault(page, []).append(runs[-1]["rate"] / bare_runs[-1]["rate"])
            requests = sum(r["requests"] for r in runs)
            out[page] = {
                "rate": round(sum(r["rate"] for r in runs) / len(runs), 1),
                "p50_ms": max(r["p50_ms"] for r in runs),
                "p99_ms": max(r["p99_ms"] for r in runs),
                "errors": sum(r["errors"] + r["counts"].get("other", 0) for r in runs),
            }
            cpu[page] = round(spent * 1000 / requests, 2) if requests else None
    base = sum(b["rate"] for b in bare_runs) / len(bare_runs)
    result = {
        "benchmark": "worker_pages",
        "server": f"gunicorn gthread {h.WORKERS}x{h.THREADS}",
        "load": f"wrk, {CONNECTIONS} connections, {SECONDS:g} s a page, signed in as the demo worker",
        "bare_rate": round(base, 1),
        "bare_rates": [b["rate"] for b in bare_runs],
        "pages": {
            page: {
                "path": paths[page],
                "rate": r["rate"],
                "ratio_to_bare": round(statistics.median(ratios[page]), 3) if ratios.get(page) else None,
                "pair_ratios": [round(x, 3) for x in ratios.get(page, [])],
                "p50_ms": r["p50_ms"],
                "p99_ms": r["p99_ms"],
                "cpu_ms_per_page": cpu[page],  # gunicorn's CPU over the runs ÷ pages (not PostgreSQL's, Redis's)
                "errors": r["errors"],
            }
            for page, r in out.items()
        },
    }
    result["min_ratio_to_bare"] = min(p["ratio_to_bare"] or 0 for p in result["pages"].values())
    result["errors"] = sum(p["errors"] for p in result["pages"].values())
    result["load_average"] = [load_before, w.load_average()]
    result["target"] = {"ratio_to_bare": TARGET}
    result["ok"] = bool(result["min_ratio_to_bare"] >= TARGET and not result["errors"])
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

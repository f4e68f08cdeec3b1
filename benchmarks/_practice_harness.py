"""Shared set-up for the practice benchmarks: a PostgreSQL + Redis deployment served by
gunicorn, a 1,000,000-member quiz board, API tokens for the load, and a keep-alive HTTP load
generator on loopback. Not a benchmark itself (the leading underscore keeps `make bench` off it).

The benchmark database (`deltaunion_practice_bench` unless BENCH_DATABASE_URL says otherwise)
is kept between runs, so the million rows are written once; BENCH_FRESH=1 rebuilds it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import http.client
import json
import multiprocessing as mp
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/deltaunion_practice_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "1000000"))
PAPER = 100  # questions per attempt: each load user can send 100 distinct answers
QUIZ_TITLE = "benchmark quiz (synthetic)"
PORT = int(os.environ.get("BENCH_PORT", "8091"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "DEBUG": "0",
    "STATIC_MANIFEST": "0",
    "CONN_MAX_AGE": "600",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789",
}


def skip(name: str, reason: str) -> None:
    print(json.dumps({"benchmark": name, "skipped": True, "reason": reason}, ensure_ascii=False))
    sys.exit(0)


def services_reachable() -> str:
    """'' when PostgreSQL and Redis answer, else the reason."""
    for host, port, what in (("127.0.0.1", 5432, "PostgreSQL"), ("127.0.0.1", 6379, "Redis")):
        try:
            socket.create_connection((host, port), timeout=2).close()
        except OSError:
            return f"{what} is not reachable on {host}:{port}"
    return ""


def django_setup() -> None:
    os.environ.update({k: v for k, v in ENV.items() if k not in os.environ or k in ("DATABASE_URL", "REDIS_URL")})
    for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DEBUG", "STATIC_MANIFEST", "CONN_MAX_AGE"):
        os.environ[key] = ENV[key]
    import django

    django.setup()


def _create_database() -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and os.environ.get("BENCH_FRESH") == "1":
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _copy(model, columns: list[str], rows) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _reset_sequence(model) -> None:
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


def token_for(i: int) -> str:
    """The raw API token of load user i (deterministic, so runs can reuse the database)."""
    return f"du_bench_{i:07d}_" + hashlib.sha256(f"bench-{i}".encode()).hexdigest()[:20]


def prepare(*, token_users: int) -> dict:
    """Database, a quiz with MEMBERS participants on its boards, tokens for (at least) the first
    `token_users` participants. Returns ids the benchmarks need."""
    _create_database()
    django_setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from deltaunion.accounts.models import ApiToken, User
    from deltaunion.community.models import Post
    from deltaunion.contests.models import Contest, ContestFormat
    from deltaunion.core import leaderboards
    from deltaunion.orgs.models import Organisation, Region
    from deltaunion.orgs.services import organisation_create
    from deltaunion.people.models import Employer
    from deltaunion.practice import questions
    from deltaunion.practice.models import Question, QuestionBank, Quiz, QuizParticipant

    quiz = Quiz.objects.filter(title=QUIZ_TITLE).first()
    if quiz is None or QuizParticipant.objects.filter(quiz=quiz).count() != MEMBERS:
        t0 = time.time()
        with transaction.atomic():
            provinces = ["310000", "320000", "330000", "340000"]
            for code in provinces:
                Region.objects.get_or_create(code=code, defaults={"name": f"省{code}", "level": "province"})
            cities = []
            for p in provinces:
                for c in range(1, 11):
                    code = f"{p[:2]}{c:02d}00"
                    Region.objects.get_or_create(
                        code=code, defaults={"name": f"市{code}", "level": "prefecture", "parent_id": p}
                    )
                    cities.append(code)
            org = Organisation.objects.filter(name="基准测试总工会").first() or organisation_create(
                name="基准测试总工会", kind=Organisation.Kind.ACFTU, parent=None, by=None
            )
            employers = list(Employer.objects.filter(organisation=org).order_by("pk"))
            if not employers:
                employers = Employer.objects.bulk_create(
                    [
                        Employer(
                            name=f"基准单位{i}",
                            ownership="state",
                            organisation=org,
                            region_id=cities[i % 40],
                            is_demo=True,
                        )
                        for i in range(5000)
                    ]
                )
            contest = Contest.objects.create(
                title=QUIZ_TITLE, format=ContestFormat.QUIZ, lead_org=org, status=Contest.Status.RUNNING
            )
            bank, _ = QuestionBank.objects.get_or_create(owner=org, name="基准题库", defaults={"is_demo": True})
            if not bank.questions.exists():
                Question.objects.bulk_create(
                    [
                        Question(
                            bank=bank,
                            topic="基准",
                            kind="single",
                            difficulty=1 + i % 3,
                            stem=f"基准题{i}",
                            options=["甲", "乙", "丙", "丁"],
                            answer=[i % 4],
                            fingerprint=questions.fingerprint(f"基准题{i}", ["甲", "乙", "丙", "丁"]),
                            is_demo=True,
                        )
                        for i in range(300)
                    ]
                )
            if quiz is not None:
                QuizParticipant.objects.filter(quiz=quiz).delete()
                quiz.delete()
            quiz = Quiz.objects.create(
                contest=contest,
                bank=bank,
                title=QUIZ_TITLE,
                status=Quiz.Status.OPEN,
                draw_rules=[{"topic": "", "difficulty": None, "count": PAPER}],
                time_limit_seconds=7 * 86400,
                attempts_per_day=1000,
                points_per_question=10,
                is_demo=True,
            )
            Post.objects.get_or_create(
                author=User.objects.order_by("pk").first() or User.objects.create(username="bench-author"),
                organisation=org,
                title="基准帖子",
                defaults={"body": "点赞基准", "is_demo": True},
            )
        # a million users and participants, by COPY
        start_id = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        if not User.objects.filter(username="bench0000000").exists():
            now = timezone.now()
            _copy(
                User,
                [
                    "id",
                    "password",
                    "is_superuser",
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "is_staff",
                    "is_active",
                    "date_joined",
                    "full_name",
                    "phone",
                    "is_demo",
                ],
                (
                    (start_id + i, "!", False, f"bench{i:07d}", "", "", "", False, True, now, f"基准{i}", "", True)
                    for i in range(MEMBERS)
                ),
            )
            _reset_sequence(User)
        first = User.objects.get(username="bench0000000").pk
        rng = random.Random(1)
        now = timezone.now()
        emp_ids = [e.pk for e in employers]
        emp_city = {e.pk: e.region_id for e in employers}

        def rows():
            for i in range(MEMBERS):
                unit = emp_ids[i % len(emp_ids)]
                city = emp_city[unit]
                yield (
                    quiz.pk,
                    first + i,
                    rng.randint(0, 100) * 10,
                    rng.randint(30_000, 900_000),
                    1,
                    0,
                    now,
                    str(i % 20000),
                    unit,
                    None,
                    city,
                    city[:2] + "0000",
                    True,
                )

        _copy(
            QuizParticipant,
            [
                "quiz_id",
                "user_id",
                "best_score",
                "best_time_ms",
                "attempts",
                "attempts_on_day",
                "joined_at",
                "team_key",
                "unit_id",
                "organisation_id",
                "city_code",
                "province_code",
                "on_board",
            ],
            rows(),
        )
        from django.db import connection

        with connection.cursor() as c:
            c.execute("ANALYZE")
        sys.stderr.write(f"wrote {MEMBERS} users and participants in {time.time() - t0:.0f} s\n")
    first = User.objects.get(username="bench0000000").pk
    # A quiz of a draft contest is seen by its managers only: the benchmark's contest runs.
    Contest.objects.filter(pk=quiz.contest_id).update(status=Contest.Status.RUNNING)
    # Redis boards from the database (also exercises the rebuild at this size).
    t0 = time.time()
    r = leaderboards.redis_client()
    if r.zcard(leaderboards.Board("quiz", quiz.pk, "person").key) != MEMBERS:
        for board in leaderboards.boards_of("quiz", quiz.pk):
            leaderboards.rebuild(board)
        sys.stderr.write(f"rebuilt the Redis boards in {time.time() - t0:.0f} s\n")
    # tokens for the load users: at least `token_users` (a benchmark that needs fewer uses the
    # first ones, so the benchmarks do not delete and write each other's tokens in turn)
    have = set(ApiToken.objects.filter(name="bench").values_list("user_id", flat=True))
    missing = [i for i in range(min(token_users, MEMBERS)) if first + i not in have]
    if missing:
        ApiToken.objects.bulk_create(
            [
                ApiToken(
                    user_id=first + i,
                    name="bench",
                    prefix=token_for(i)[:10],
                    digest=hashlib.sha256(token_for(i).encode()).hexdigest(),
                    last_used_at=timezone.now(),
                )
                for i in missing
            ],
            batch_size=5000,
        )
    post = Post.objects.get(title="基准帖子")
    return {"quiz": quiz.pk, "first_user": first, "post": post.pk, "members": MEMBERS}


def vacuum_practice() -> None:
    """VACUUM (ANALYZE) the tables an answer writes. The benchmark database is kept between runs
    and every run leaves dead rows (each answer that raises a best is a new row version of the
    participant, HOT since migration practice 0003; the previous run's attempts and answers are
    deleted). Autovacuum would reclaim them on a real server; a machine may run PostgreSQL with
    it off (this one does), and then every run would start on more bloat, and with pages too
    full for HOT updates."""
    from django.db import connection

    from deltaunion.practice.models import QuizAnswer, QuizAttempt, QuizParticipant

    tables = ", ".join(m._meta.db_table for m in (QuizParticipant, QuizAttempt, QuizAnswer))
    with connection.cursor() as c:
        c.execute(f"VACUUM (ANALYZE) {tables}")


def fresh_attempts(
    quiz_id: int, first_user: int, n: int, *, indexes: list[int] | None = None, with_keys: bool = False
) -> list[tuple]:
    """A new running attempt for each of the first n users (or the load users `indexes`):
    (token, attempt id, question ids), and with `with_keys` each question's right response as
    shown on this paper (a fourth item: question id → response)."""
    from django.utils import timezone

    from deltaunion.practice import questions
    from deltaunion.practice.models import Question, Quiz, QuizAnswer, QuizAttempt

    quiz = Quiz.objects.get(pk=quiz_id)
    indexes = list(range(n)) if indexes is None else indexes
    users = [first_user + i for i in indexes]
    QuizAnswer.objects.filter(attempt__quiz=quiz, attempt__user_id__in=users).delete()
    QuizAttempt.objects.filter(quiz=quiz, user_id__in=users).delete()
    qs = {q.pk: q for q in Question.objects.filter(bank=quiz.bank)}
    ids = sorted(qs)
    now = timezone.now()
    attempts = []
    for i, uid in zip(indexes, users, strict=True):
        seed = f"bench{i}"
        picked = random.Random(seed).sample(ids, PAPER)
        paper, key = [], {}
        for qid in picked:
            perm = questions.option_order(qid, 4, seed)
            paper.append({"q": qid, "perm": perm})
            key[str(qid)] = {"kind": "single", "key": questions.shown_key("single", qs[qid].answer, perm), "n": 4}
        attempts.append(
            QuizAttempt(
                quiz=quiz,
                user_id=uid,
                seed=seed,
                paper=paper,
                key=key,
                started_at=now,
                deadline=now + dt.timedelta(days=1),
                questions=PAPER,
            )
        )
    QuizAttempt.objects.bulk_create(attempts, batch_size=1000)
    vacuum_practice()
    if with_keys:
        return [
            (token_for(i), a.pk, [p["q"] for p in a.paper], {int(q): k["key"] for q, k in a.key.items()})
            for i, a in zip(indexes, attempts, strict=True)
        ]
    return [(token_for(i), a.pk, [p["q"] for p in a.paper]) for i, a in zip(indexes, attempts, strict=True)]


@contextlib.contextmanager
def gunicorn():
    """The deployment under test: gunicorn (gthread workers) on loopback, plus the counter folder."""
    cmd = [
        str(ROOT / ".venv/bin/gunicorn"),
        "config.wsgi:application",
        "-b",
        f"127.0.0.1:{PORT}",
        "-w",
        str(WORKERS),
        "-k",
        "gthread",
        "--threads",
        str(THREADS),
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
        "--backlog",
        "2048",
    ]
    server = subprocess.Popen(cmd, cwd=ROOT, env=ENV)
    folder = subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "manage.py", "fold_counters", "--every", "1"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("gunicorn did not start")
        yield f"127.0.0.1:{PORT}"
    finally:
        for p in (server, folder):
            p.terminate()
        for p in (server, folder):
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=10)


# --- the load generator ----------------------------------------------------------------------
# Each request is (method, path, token, body or None). Work is split across processes, each
# running threads with one keep-alive connection each; every thread takes requests from its
# own list until the list or the time runs out.


def _thread_run(requests, seconds, out, errors):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    stop = time.perf_counter() + seconds
    for method, path, token, body in requests:
        if time.perf_counter() > stop:
            break
        headers = {"Authorization": f"Bearer {token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        t = time.perf_counter()
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            resp.read()
            ok = 200 <= resp.status < 300
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            ok = False
        out.append((t, time.perf_counter() - t))
        if not ok:
            errors.append(1)


def _process_run(args):
    import gc

    gc.disable()  # the load generator's own pauses must not show up as server latency
    per_thread, seconds = args
    outs, errs, threads = [], [], []
    for reqs in per_thread:
        o, e = [], []
        outs.append(o)
        errs.append(e)
        threads.append(threading.Thread(target=_thread_run, args=(reqs, seconds, o, e)))
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    lat = [x for o in outs for x in o]
    return lat, sum(len(e) for e in errs)


def run_load(streams: list[list[tuple]], *, seconds: float, processes: int = 2) -> dict:
    """Send each stream on its own connection for up to `seconds`; return rate and latencies."""
    groups = [streams[i::processes] for i in range(processes)]
    t0 = time.perf_counter()
    with mp.get_context("fork").Pool(processes) as pool:
        results = pool.map(_process_run, [(g, seconds) for g in groups])
    elapsed = time.perf_counter() - t0
    lat = [d for r in results for _t, d in r[0]]
    errors = sum(r[1] for r in results)
    starts = [t for r in results for t, _d in r[0]]
    span = (max(starts) - min(starts)) if len(starts) > 1 else elapsed
    lat_ms = sorted(x * 1000 for x in lat)

    def pct(p):
        return round(lat_ms[min(len(lat_ms) - 1, int(p / 100 * len(lat_ms)))], 2) if lat_ms else None

    return {
        "requests": len(lat),
        "errors": errors,
        "rate": round(len(lat) / span, 1) if span else 0.0,
        "p50_ms": pct(50),
        "p99_ms": pct(99),
        "mean_ms": round(statistics.fmean(lat_ms), 2) if lat_ms else None,
    }

"""Rank a stage of 5,000 competitors × 40 aspects × 3 judges (600,000 marks) from the database.

    .venv/bin/python benchmarks/contest_ranking.py                      # throwaway SQLite under /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/deltaunion_bench .venv/bin/python benchmarks/contest_ranking.py

On PostgreSQL the script creates the database named in DATABASE_URL (a name not ending in
"bench" gets "_bench" appended, so it never touches a real database), migrates it, and drops
it afterwards. On SQLite it uses a fresh file under /tmp and deletes it.

Timed: `selectors.stage_ranking(stage)` — the same code the pages, the board and publication
use (format strategy → GROUP BY secret number and aspect → shared ranks and tie-breaks).
Also timed (reported, same 2 s target): the independent recomputation the result chain's
verification runs (`selectors.stage_components` + `rank_components`: every aspect mark from
the confirmed marks, module scores, the figures out of 100, totals, ranks).
Baseline: a COUNT(*) over the same marks. Last line: one JSON object.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMPETITORS = int(os.environ.get("BENCH_COMPETITORS", "5000"))
MODULES = 8
ASPECTS_PER_MODULE = 5  # 40 aspects
JUDGES = 3
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def _bench_database_url(url: str) -> tuple[str, str, str]:
    """(url of the bench database, its name, url of the maintenance database)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "deltaunion_bench"
    if not name.endswith("bench"):
        name = f"{name}_bench"
    bench = urlunsplit(parts._replace(path=f"/{name}"))
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    return bench, name, maintenance


def _pg_admin(maintenance_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(sql)


def _setup_database() -> tuple[str, callable]:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        bench_url, name, maintenance = _bench_database_url(url)
        _pg_admin(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_admin(maintenance, f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = bench_url

        def cleanup() -> None:
            from django.db import connections

            connections.close_all()
            _pg_admin(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return "postgresql", cleanup
    fd, path = tempfile.mkstemp(prefix="du-bench-", suffix=".sqlite3", dir="/tmp")
    os.close(fd)
    os.environ["SQLITE_PATH"] = path

    def cleanup() -> None:
        from django.db import connections

        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)

    return "sqlite", cleanup


def _build(stage_seed: int = 7):
    """Contest, stage, 8 modules × 5 judgement aspects, 3 judges, 5,000 secret numbers with
    theory scores, and 600,000 confirmed marks inserted in bulk (COPY on PostgreSQL)."""
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from deltaunion.accounts.models import User
    from deltaunion.contests.models import Aspect, Contest, Mark, Module, SecretNumber, Stage
    from deltaunion.orgs.models import Organisation

    rng = random.Random(stage_seed)
    with transaction.atomic():
        org = Organisation.objects.create(name="基准测试总工会", kind=Organisation.Kind.PROVINCIAL, path="0001")
        contest = Contest.objects.create(title="排名基准", lead_org=org, tie_breaks=["modules_reverse", "theory"])
        stage = Stage.objects.create(contest=contest, order=1, name="基准赛段", level="region")
        judges = [User.objects.create(username=f"bench_judge{i}", full_name=f"裁判{i}") for i in range(JUDGES)]
        modules = Module.objects.bulk_create(
            [Module(stage=stage, order=i + 1, name=f"模块{i + 1}") for i in range(MODULES)]
        )
        Aspect.objects.bulk_create(
            [
                Aspect(
                    module=m,
                    order=k + 1,
                    code=f"M{m.order}A{k + 1}",
                    description="基准",
                    kind=Aspect.Kind.JUDGEMENT,
                    max_mark=Decimal(rng.choice([5, 10, 15, 20])),
                )
                for m in modules
                for k in range(ASPECTS_PER_MODULE)
            ]
        )
        SecretNumber.objects.bulk_create(
            [
                SecretNumber(stage=stage, number=f"{i:05d}", theory_score=Decimal(rng.randrange(4000, 10000)) / 100)
                for i in range(1, COMPETITORS + 1)
            ],
            batch_size=1000,
        )
    number_ids = list(SecretNumber.objects.filter(stage=stage).order_by("id").values_list("id", flat=True))
    aspect_ids = [a.pk for a in Aspect.objects.filter(module__stage=stage).order_by("id")]
    judge_ids = [j.pk for j in judges]
    now = timezone.now()
    columns = (
        "aspect_id",
        "secret_number_id",
        "kind",
        "entered_by_id",
        "value",
        "mark",
        "status",
        "confirmed_by_id",
        "confirmed_at",
        "rejection_reason",
        "flagged",
        "flag_resolved",
        "remarked",
        "void_reason",
        "updated_at",
    )

    def rows():
        for sid in number_ids:
            skill = rng.random()
            for aid in aspect_ids:
                base = min(3, int(skill * 4))
                for j, jid in enumerate(judge_ids):
                    score = max(0, min(3, base + (1 if rng.random() < 0.15 else 0) - (j == 2 and rng.random() < 0.1)))
                    yield (
                        aid,
                        sid,
                        "judgement",
                        jid,
                        score,
                        score,
                        "confirmed",
                        judge_ids[(j + 1) % JUDGES],
                        now,
                        "",
                        False,
                        False,
                        False,
                        "",
                        now,
                    )

    table = Mark._meta.db_table
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            batch = []
            for row in rows():
                batch.append(row)
                if len(batch) >= 20_000:
                    cursor.executemany(sql, batch)
                    batch.clear()
            if batch:
                cursor.executemany(sql, batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    insert_seconds = time.perf_counter() - started
    return Stage.objects.select_related("contest").get(pk=stage.pk), insert_seconds


def main() -> None:
    database, cleanup = _setup_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        from deltaunion.contests import selectors
        from deltaunion.contests.models import Mark

        stage, insert_seconds = _build()
        marks_qs = Mark.objects.filter(aspect__module__stage=stage)

        def baseline() -> int:
            return marks_qs.count()

        def ranking():
            return selectors.stage_ranking(stage)

        def recompute():
            scheme = selectors.stage_scheme(stage)
            return selectors.rank_components(selectors.stage_components(stage, scheme), scheme)

        marks = baseline()  # warm
        ranked = ranking()  # warm
        base_times, rank_times = [], []
        for _i in range(REPEAT):
            t = time.perf_counter()
            baseline()
            base_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            ranked = ranking()
            rank_times.append(time.perf_counter() - t)
        recomputed = recompute()  # warm
        recompute_times = []
        for _i in range(REPEAT):
            t = time.perf_counter()
            recomputed = recompute()
            recompute_times.append(time.perf_counter() - t)
        assert {k: (r.rank, r.score.total) for k, r in recomputed.items()} == {
            r.score.key: (r.rank, r.score.total) for r in ranked
        }, "the recomputation disagrees with the ranking"
        seconds, baseline_seconds = min(rank_times), min(base_times)
        recompute_seconds = min(recompute_times)
        top = ranked[0]
        print(
            f"{database}: {len(ranked)} ranked, top {top.score.key} total {top.score.total}, "
            f"insert {insert_seconds:.1f} s, ranking runs {[round(x, 3) for x in rank_times]}, "
            f"recomputation runs {[round(x, 3) for x in recompute_times]}",
            file=sys.stderr,
        )
        result = {
            "benchmark": "contest_ranking",
            "database": database,
            "competitors": len(ranked),
            "aspects": MODULES * ASPECTS_PER_MODULE,
            "judges": JUDGES,
            "marks": marks,
            "seconds": round(seconds, 4),
            "baseline_seconds": round(baseline_seconds, 4),
            "ratio": round(seconds / baseline_seconds, 2) if baseline_seconds else None,
            "target_seconds": 2.0,
            "ok": seconds < 2.0 and recompute_seconds < 2.0,
            "recompute_seconds": round(recompute_seconds, 4),
            "insert_seconds": round(insert_seconds, 2),
        }
    finally:
        cleanup()
    print(json.dumps(result))


if __name__ == "__main__":
    main()

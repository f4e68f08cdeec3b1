"""The live board under its audience: 1,500 viewers polling every 3 s while judges enter marks,
on a 500- and a 5,000-competitor stage, driven by wrk, beside a bare-Django baseline.

    .venv/bin/python benchmarks/board_audience.py

Set-up (kept in the load database between runs; BENCH_FRESH=1 rebuilds): a public contest with
two stages in marking (secret numbers drawn), 8 modules × 5 judgement aspects × 3 judges, 90 % of
the marks entered (COPY). While wrk runs, a thread of this script enters the missing marks, ten a
second, with the ORM (each save makes the board stale, as a judge's mark does).

Per stage, on gunicorn (gthread, 2 workers × 2 threads, DEBUG=0) with PostgreSQL and Redis:
- audience: 1,500 wrk connections with wrk/board_poll.lua, arriving in 30 groups of 50 over
  3 s (30 wrk processes started 0.1 s apart: 500 viewers a second) — each connection polls the phone board's partial
  as soon as it is connected, then sends back its last ETag every 1.5–4.5 s (3 s on average, so
  ~500 polls/s offered; every poll is counted). `polls_per_s` (summed), `p99_ms` (of every
  poll of the 1,500 viewers: the 30 wrk processes' latencies merged; `highest_group_p99_ms`
  is the highest of the groups' own p99, an upper bound),
  `errors`, and `cpu_ms_per_poll` (gunicorn's CPU time over the run ÷ polls); then the same
  offered rate from 150 connections pausing 0.3 s on average, whose start is no burst:
  `steady_p99_ms`;
- saturation: 16 connections polling without pause, beside the bare app at 16 connections in the
  same run: `ratio_to_bare`.
Last line: JSON. Targets: p99 ≤ 200 ms on both stages, no errors, cpu_ms_per_poll of the two
stages no more than 2× apart.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time

import _practice_harness as h
import _wrk as w

VIEWERS = int(os.environ.get("BENCH_VIEWERS", "1500"))
POLL_MS = 3000
AUDIENCE_SECONDS = int(os.environ.get("BENCH_AUDIENCE_SECONDS", "20"))
SATURATION_CONNECTIONS = 16
MODULES, ASPECTS, JUDGES = 8, 5, 3
MARKS_PER_SECOND = 10
GROUPS = 30  # the audience arrives in this many groups over one poll interval (arriving_audience)


def build(n: int) -> int:
    """The stage of n competitors (created once); returns its id."""
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from deltaunion.accounts.models import User
    from deltaunion.contests.models import Aspect, Contest, Mark, Module, SecretNumber, Stage
    from deltaunion.orgs.models import Organisation

    title = f"看板基准（演示）{n}"
    stage = Stage.objects.filter(contest__title=title).first()
    if stage is not None and Mark.objects.filter(secret_number__stage=stage).exists():
        return stage.pk
    Contest.objects.filter(title=title).delete()
    t0 = time.time()
    rng = random.Random(n)
    with transaction.atomic():
        org = Organisation.objects.filter(name="看板基准总工会（演示）").first() or Organisation.objects.create(
            name="看板基准总工会（演示）", kind=Organisation.Kind.PROVINCIAL, path="0917"
        )
        contest = Contest.objects.create(title=title, lead_org=org, status=Contest.Status.RUNNING)
        now = timezone.now()
        stage = Stage.objects.create(
            contest=contest, order=1, name="决赛", level="region", status=Stage.Status.MARKING, sealed_at=now
        )
        for i in range(JUDGES):
            User.objects.get_or_create(username=f"board_judge{i}", defaults={"full_name": f"裁判{i}（演示）"})
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
                    max_mark=Decimal(10),
                )
                for m in modules
                for k in range(ASPECTS)
            ]
        )
        SecretNumber.objects.bulk_create(
            [SecretNumber(stage=stage, number=f"{i:05d}") for i in range(1, n + 1)], batch_size=1000
        )
        numbers = list(SecretNumber.objects.filter(stage=stage).order_by("id").values_list("id", flat=True))
        aspects = list(Aspect.objects.filter(module__stage=stage).order_by("id").values_list("id", flat=True))
        judges = list(
            User.objects.filter(username__startswith="board_judge").order_by("id").values_list("id", flat=True)
        )
        columns = (
            "aspect_id",
            "secret_number_id",
            "kind",
            "entered_by_id",
            "value",
            "mark",
            "status",
            "rejection_reason",
            "flagged",
            "flag_resolved",
            "remarked",
            "void_reason",
            "updated_at",
        )
        entered = numbers[: int(len(numbers) * 0.9)]
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {Mark._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
                for sid in entered:
                    for aid in aspects:
                        for jid in judges:
                            score = rng.randint(0, 3)
                            copy.write_row(
                                (aid, sid, "judgement", jid, score, score, "entered", "", False, False, False, "", now)
                            )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Mark._meta.db_table}")
    w.note(f"built a stage of {n} competitors in {time.time() - t0:.0f} s")
    return stage.pk


class Judges(threading.Thread):
    """Enters the stage's missing marks, MARKS_PER_SECOND a second, with the ORM."""

    def __init__(self, stage_id: int):
        super().__init__(daemon=True)
        self.stage_id, self.stop, self.entered = stage_id, threading.Event(), 0

    def run(self) -> None:
        from django.db import connection

        from deltaunion.accounts.models import User
        from deltaunion.contests.models import Aspect, Mark, SecretNumber

        judges = list(User.objects.filter(username__startswith="board_judge").order_by("id"))
        aspects = list(Aspect.objects.filter(module__stage_id=self.stage_id).order_by("id"))
        done = set(
            Mark.objects.filter(secret_number__stage_id=self.stage_id).values_list("secret_number_id").distinct()
        )
        todo = [
            (sid, a, j)
            for sid in SecretNumber.objects.filter(stage_id=self.stage_id).order_by("id").values_list("id", flat=True)
            if (sid,) not in done
            for a in aspects
            for j in judges
        ]
        have = set(
            Mark.objects.filter(secret_number__stage_id=self.stage_id).values_list(
                "secret_number_id", "aspect_id", "entered_by_id"
            )
        )
        todo = [(s, a, j) for s, a, j in todo if (s, a.pk, j.pk) not in have]
        try:
            while not self.stop.is_set() and todo:
                sid, aspect, judge = todo.pop(0)
                Mark.objects.create(
                    aspect=aspect, secret_number_id=sid, kind="judgement", entered_by=judge, value=2, mark=2
                )
                self.entered += 1
                self.stop.wait(1 / MARKS_PER_SECOND)
        finally:
            connection.close()


def arriving_audience(url: str) -> dict:
    """The 1,500 viewers as GROUPS wrk processes of VIEWERS / GROUPS connections, one group
    arriving every POLL_MS / GROUPS ms (the hall fills over one poll interval), each viewer
    polling the moment it has connected and then every 1.5–4.5 s. Rates and answers are summed;
    p50 and p99 are the whole audience's, from the groups' latencies merged (each group's 1,000
    evenly spaced percentiles, weighted by its polls); `highest_group_p99_ms` is the
    highest of the 30 groups' own p99 (what runs before 2026-12-02 13:00 reported as p99)."""
    results: list[dict] = [{}] * GROUPS
    per_group = VIEWERS // GROUPS

    def group(i: int) -> None:
        time.sleep(i * POLL_MS / GROUPS / 1000)
        results[i] = w.wrk(
            url,
            script="board_poll.lua",
            connections=per_group,
            seconds=AUDIENCE_SECONDS,
            env={"WRK_DELAY_MS": str(POLL_MS), "WRK_FIRST_AT_ONCE": str(per_group), "WRK_QUANTILES": "1000"},
        )

    threads = [threading.Thread(target=group, args=(i,)) for i in range(GROUPS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts: dict[str, int] = {}
    for r in results:
        for k, v in r["counts"].items():
            counts[k] = counts.get(k, 0) + v
    return {
        "requests": sum(r["requests"] for r in results),
        "rate": round(sum(r["rate"] for r in results), 1),
        "p50_ms": w.merged_percentile(results, 50),
        "p99_ms": w.merged_percentile(results, 99),
        "highest_group_p99_ms": max(r["p99_ms"] for r in results),
        "max_ms": max(r["max_ms"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "counts": counts,
    }


def measure(stage_id: int, server) -> dict:
    url = f"http://127.0.0.1:{h.PORT}/contests/stages/{stage_id}/board/partial/?v=phone"
    w.wrk(url, script="board_poll.lua", connections=SATURATION_CONNECTIONS, seconds=2)  # warm-up
    judges = Judges(stage_id)
    judges.start()
    cpu0 = w.worker_cpu_seconds(server)
    audience = arriving_audience(url)
    cpu = w.worker_cpu_seconds(server) - cpu0
    # The same offered rate from a tenth of the connections (a tenth of the pause): the first
    # poll of 1,500 viewers at once is a burst the p99 above includes; this shows the steady state.
    steady = w.wrk(
        url,
        script="board_poll.lua",
        connections=VIEWERS // 10,
        seconds=AUDIENCE_SECONDS,
        env={"WRK_DELAY_MS": str(POLL_MS // 10), "WRK_FIRST_AT_ONCE": str(VIEWERS // 10)},
    )
    saturation = w.wrk(url, script="board_poll.lua", connections=SATURATION_CONNECTIONS)
    judges.stop.set()
    judges.join()
    return {
        "polls_per_s": audience["rate"],
        "p50_ms": audience["p50_ms"],
        "p99_ms": audience["p99_ms"],
        "highest_group_p99_ms": audience["highest_group_p99_ms"],
        "max_ms": audience["max_ms"],
        "errors": audience["errors"] + audience["counts"].get("other", 0) + steady["errors"],
        "answers": audience["counts"],
        "cpu_ms_per_poll": round(cpu * 1000 / audience["requests"], 2) if audience["requests"] else None,
        "steady_polls_per_s": steady["rate"],
        "steady_p50_ms": steady["p50_ms"],
        "steady_p99_ms": steady["p99_ms"],
        "marks_entered_during": judges.entered,
        "saturation_rate": saturation["rate"],
        "saturation_p99_ms": saturation["p99_ms"],
        "saturation_errors": saturation["errors"] + saturation["counts"].get("other", 0),
    }


def main() -> None:
    reason = h.services_reachable()
    if reason:
        h.skip("board_audience", reason)
    w.ensure_wrk("board_audience")
    w.django_setup()
    stages = {n: build(n) for n in (500, 5000)}
    load_before = w.load_average()
    bare = w.bare_rate(SATURATION_CONNECTIONS)
    out = {}
    with w.serve(bare=False) as server:
        for n, stage_id in stages.items():
            out[n] = measure(stage_id, server)
    result = {"benchmark": "board_audience", "server": f"gunicorn gthread {h.WORKERS}x{h.THREADS}", "viewers": VIEWERS}
    for n, r in out.items():
        result[f"polls_per_s_{n}"] = r["polls_per_s"]
        result[f"p99_ms_{n}"] = r["p99_ms"]
        result[f"highest_group_p99_ms_{n}"] = r["highest_group_p99_ms"]
        result[f"cpu_ms_per_poll_{n}"] = r["cpu_ms_per_poll"]
        result[f"steady_p99_ms_{n}"] = r["steady_p99_ms"]
        result[f"ratio_to_bare_{n}"] = round(r["saturation_rate"] / bare["rate"], 3) if bare["rate"] else None
    result["errors"] = sum(r["errors"] + r["saturation_errors"] for r in out.values())
    result["bare_rate"] = bare["rate"]
    result["stages"] = out
    result["load_average"] = [load_before, w.load_average()]
    result["target"] = {"p99_ms": 200, "errors": 0, "cpu_ratio_max": 2}
    cpu = [r["cpu_ms_per_poll"] for r in out.values()]
    result["ok"] = bool(
        all(r["p99_ms"] <= 200 for r in out.values()) and not result["errors"] and all(cpu) and max(cpu) <= 2 * min(cpu)
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

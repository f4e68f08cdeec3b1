"""Draw 500 over-subscribed recuperation batches (50,000 approved applications) through the
officers' services — close (priority groups fixed), draw (one locked, audited transaction per
batch), then release some places to the waiting lists — and check no batch holds more places
than it has.

    .venv/bin/python benchmarks/recuperation_draw.py                      # throwaway SQLite under /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/deltaunion_bench .venv/bin/python benchmarks/recuperation_draw.py

The database is made and dropped as in `contest_ranking.py`. Baseline in the same run: the time
to read every application of those batches once (`baseline_seconds`), so `ratio` is the draw's
cost in whole-table reads. Size with BENCH_BATCHES / BENCH_APPLICATIONS. Last line: one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from contest_ranking import _setup_database  # noqa: E402  (the same throwaway database)


def main() -> None:
    vendor, cleanup = _setup_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        from deltaunion.recuperation import benchmark
        from deltaunion.recuperation.models import Application

        report = benchmark.run(
            batches=int(os.environ.get("BENCH_BATCHES", "500")),
            applications=int(os.environ.get("BENCH_APPLICATIONS", "50000")),
        )
        t0 = time.perf_counter()
        sum(1 for _ in Application.objects.values_list("id", "status", "draw_rank").iterator(chunk_size=5000))
        baseline = time.perf_counter() - t0
        report["baseline_seconds"] = round(baseline, 3)
        report["ratio"] = round(report["seconds"] / baseline, 2) if baseline else None
        print(json.dumps(report, ensure_ascii=False))
    finally:
        cleanup()


if __name__ == "__main__":
    main()

"""The draw at scale: `run()` builds batches with approved applications in the configured
database, closes them (the priority groups fixed from the workers' records), then draws every
batch through `services.batch_draw` — the code the officers' button runs, one locked
transaction per batch, audited — and releases a few places in some batches so the waiting
lists pass them on. Returns one dict for a JSON line: `seconds` (the draws), `cpu_seconds`
(this process's CPU time over the draws: on a shared machine, the part the load does not
inflate), `server_cpu_seconds` (on PostgreSQL on this machine, the server process's CPU time
over the same draws), `over_allocated` (batches holding more places than they have, or whose counter
disagrees; must be 0) and the other timings. `prepare()` and `draw_prepared()` split the run
so that a prepared database can be copied and drawn again.

Only for a throwaway database (the rows it writes are synthetic and never removed): the script
`benchmarks/recuperation_draw.py` makes one, or call it from a test at small scale.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from deltaunion.recuperation import draw, services
from deltaunion.recuperation.models import HOLDING, Application, Batch, BatchStatus, Itinerary

A = Application.Status


def _world(workers: int, rng: random.Random) -> tuple[Any, list[Any], Any, list[Any]]:
    """A federation (Zhejiang) with one union of `workers` members, the Jiangsu federation that
    organises the trips, a superuser, and the workers' records (titles, skill levels, gig status)."""
    from django.contrib.auth import get_user_model

    from deltaunion.orgs.models import Organisation, Region
    from deltaunion.orgs.services import organisation_create
    from deltaunion.people.models import Title, Worker

    K, P = Organisation.Kind, Region.Level.PROVINCE
    run_id = f"{Organisation.objects.count():06d}"  # names unique if run again on one database

    def region(code: str, name: str, level: str = P, parent: str | None = None) -> Region:
        return Region.objects.update_or_create(code=code, defaults={"name": name, "level": level, "parent_id": parent})[
            0
        ]

    zj_r, js_r = region("330000", "浙江省"), region("320000", "江苏省")
    hz_r = region("330100", "杭州市", Region.Level.PREFECTURE, "330000")
    top = organisation_create(name=f"全国总工会（测速{run_id}）", kind=K.ACFTU, parent=None, by=None)
    zj = organisation_create(name=f"浙江省总工会（测速{run_id}）", kind=K.PROVINCIAL, parent=top, region=zj_r, by=None)
    js = organisation_create(name=f"江苏省总工会（测速{run_id}）", kind=K.PROVINCIAL, parent=top, region=js_r, by=None)
    unit = organisation_create(name=f"测速工会（演示{run_id}）", kind=K.GRASSROOTS, parent=zj, region=hz_r, by=None)
    people = Worker.objects.bulk_create(
        [
            Worker(
                name=f"测速职工{i}",
                id_number=f"9{run_id}{i:011d}",  # synthetic, never a real number
                birth_date=dt.date(1990, 1, 1),
                sex="M" if i % 2 else "F",
                organisation=unit,
                is_member=True,
                skill_level=rng.choice([None, None, None, 1, 2, 3, 4, 5]),
                is_gig_worker=rng.random() < 0.1,
                is_demo=True,
            )
            for i in range(workers)
        ],
        batch_size=2000,
    )
    Title.objects.bulk_create(
        [
            Title(worker=w, kind=rng.choice(["model_worker", "craftsman"]), name="劳动模范（演示）", year=2022)
            for w in people
            if rng.random() < 0.05
        ],
        batch_size=2000,
    )
    admin = get_user_model().objects.create_superuser(f"bench_root{run_id}", password=None)
    return js, [zj], admin, people


def prepare(
    *, batches: int = 500, applications: int = 50_000, places: int = 30, workers: int = 5_000, seed: int = 2023
) -> dict[str, Any]:
    """Build the batches and their approved applications, then close them: what the draw starts from."""
    rng = random.Random(seed)
    per_batch = applications // batches
    organiser, senders, admin, people = _world(max(workers, per_batch), rng)
    now = timezone.now()
    start = timezone.localdate() + dt.timedelta(days=60)
    itinerary = Itinerary.objects.create(
        organisation=organiser,
        title=f"测速行程（演示{organiser.pk}）",
        province_id="320000",
        days=4,
        nights=3,
        price=2000,
        union_pays=1600,
        status="published",
        published_at=now,
        is_demo=True,
    )
    reserves = {"reserve_model_worker": 2, "reserve_craftsman": 3, "reserve_skilled": 3, "reserve_gig": 2}
    t0 = time.perf_counter()
    with transaction.atomic():
        created = []
        for i in range(batches):
            s = f"bench-{seed}-{i}"
            created.append(
                Batch(
                    itinerary=itinerary,
                    organisation=organiser,
                    start_date=start,
                    end_date=start + dt.timedelta(days=3),
                    places=places,
                    applications_close_at=now - dt.timedelta(hours=1),
                    status=BatchStatus.OPEN,
                    seed=s,
                    seed_hash=draw.seed_hash(s),
                    seed_committed_at=now - dt.timedelta(days=10),
                    is_demo=True,
                    **reserves,
                )
            )
        created = Batch.objects.bulk_create(created)
        through = Batch.senders.through
        through.objects.bulk_create([through(batch_id=b.pk, organisation_id=senders[0].pk) for b in created])
        Application.objects.bulk_create(
            [
                Application(batch=b, worker=w, union=w.organisation, sender=senders[0], status=A.APPROVED)
                for b in created
                for w in rng.sample(people, per_batch)
            ],
            batch_size=2000,
        )
    setup_seconds = time.perf_counter() - t0

    t0 = time.perf_counter()
    for b in created:
        services.batch_close(batch=b, by=admin, now=now)
    close_seconds = time.perf_counter() - t0
    return {
        "batch_ids": [b.pk for b in created],
        "admin": admin,
        "now": now,
        "batches": batches,
        "per_batch": per_batch,
        "places": places,
        "setup_seconds": setup_seconds,
        "close_seconds": close_seconds,
    }


def _server_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL server process, when the server
    runs on this machine (read from /proc); None on SQLite (its work is in `cpu_seconds`) or
    when it cannot be read. The machine is shared: CPU time is what the load does not inflate."""
    if connection.vendor != "postgresql":
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def run(
    *, batches: int = 500, applications: int = 50_000, places: int = 30, workers: int = 5_000, seed: int = 2023
) -> dict[str, Any]:
    prepared = prepare(batches=batches, applications=applications, places=places, workers=workers, seed=seed)
    return draw_prepared(prepared)


def draw_prepared(prepared: dict[str, Any]) -> dict[str, Any]:
    """Draw the prepared batches (timed: `seconds`), release some places, check the counts."""
    admin, now, batches = prepared["admin"], prepared["now"], prepared["batches"]
    per_batch, places = prepared["per_batch"], prepared["places"]
    # As the officers' page loads a batch (its organisation decides who may draw it).
    created = list(
        Batch.objects.filter(pk__in=prepared["batch_ids"]).select_related("itinerary", "organisation").order_by("pk")
    )
    setup_seconds, close_seconds = prepared["setup_seconds"], prepared["close_seconds"]

    s0 = _server_cpu()
    t0, c0 = time.perf_counter(), time.process_time()
    for b in created:
        services.batch_draw(batch=b, by=admin, now=now)
    seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    s1 = _server_cpu()

    # Some drawn places are given up: each passes to the first on that batch's waiting list.
    t0 = time.perf_counter()
    released = 0
    for b in created[:: max(1, batches // 50)]:
        app = Application.objects.filter(batch=b, status=A.OFFERED).order_by("draw_rank").first()
        if app is not None:
            services.application_cancel(application=app, by=admin, reason="测速", now=now)
            released += 1
    waiting_seconds = time.perf_counter() - t0

    holding = Count("applications", filter=Q(applications__status__in=HOLDING))
    checked = Batch.objects.filter(pk__in=[b.pk for b in created]).annotate(held=holding)
    over = checked.filter(Q(held__gt=F("places")) | ~Q(held=F("taken"))).count()
    short = checked.filter(held__lt=F("places")).count()  # every batch is over-subscribed: all full
    return {
        "benchmark": "recuperation_draw",
        "database": connection.vendor,
        "batches": batches,
        "applications": per_batch * batches,
        "places_per_batch": places,
        "seconds": round(seconds, 3),
        "target_seconds": 5.0,
        "ok": seconds < 5.0 and over == 0,
        "over_allocated": over,
        "cpu_seconds": round(cpu_seconds, 3),
        "server_cpu_seconds": round(s1 - s0, 2) if s0 is not None and s1 is not None else None,
        "not_full": short,
        "close_seconds": round(close_seconds, 3),
        "places_released": released,
        "waiting_list_seconds": round(waiting_seconds, 3),
        "setup_seconds": round(setup_seconds, 3),
    }

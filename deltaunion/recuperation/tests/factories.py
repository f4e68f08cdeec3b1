"""Recuperation test data, written through the services (so rules, places and history are real).

On top of the root `world` (Zhejiang/Hangzhou, Jiangsu/Suzhou): a published red visit route of
the heritage app, a workers' sanatorium in Suzhou, a published 4-day itinerary of the Suzhou
federation to Jiangsu, and batches of it for the workers of Zhejiang.
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from deltaunion.heritage.tests.factories import HANGZHOU_2, regions, route, venue
from deltaunion.people.tests.factories import WorkerFactory
from deltaunion.recuperation import services
from deltaunion.recuperation.models import Application, Base, Batch, Itinerary

SUZHOU_BASE = (120.40, 31.07)  # 苏州吴中区东山一带
SUZHOU_BASE_2 = (120.62, 31.32)


def red_route(world: Any):
    """One published heritage route per world."""
    if getattr(world, "_recup_route", None) is None:
        a = venue(world, "测试红色场馆甲", publish=True)
        b = venue(world, "测试红色场馆乙", position=HANGZHOU_2, publish=True)
        world._recup_route = route(world, [a, b], "测试红色寻访线路", publish=True)
    return world._recup_route


_N = itertools.count(1)


def base(world: Any, name: str = "", *, kind: str = "sanatorium", position=SUZHOU_BASE, **fields: Any) -> Base:
    places = regions()
    lng, lat = position
    return services.base_create(
        organisation=world.sz,
        by=world.sz_officer,
        name=name or f"测试工人疗养院{next(_N)}",
        kind=kind,
        province=places["js"],
        city=places["sz"],
        longitude=lng,
        latitude=lat,
        capacity=fields.pop("capacity", 100),
        **fields,
    )


def itinerary(
    world: Any, title: str = "", *, stays: list | None = None, publish: bool = True, **fields: Any
) -> Itinerary:
    places = regions()
    data = {
        "province": places["js"],
        "days": 4,
        "nights": 3,
        "themes": ["red", "wellness"],
        "programme": ["第一天", "第二天", "第三天", "第四天"],
        "red_route": fields.pop("red_route", None) or red_route(world),
        "price": "2000.00",
        "union_pays": "1600.00",
        "contact": "领队 0512-00000000",
        **fields,
    }
    it = services.itinerary_create(
        organisation=world.sz, title=title or f"太湖康养测试四日{next(_N)}", by=world.sz_officer, **data
    )
    services.itinerary_set_stays(itinerary=it, stays=stays or [(base(world), data["nights"])], by=world.sz_officer)
    if publish:
        services.itinerary_publish(itinerary=it, by=world.sz_officer)
    return it


def batch(
    world: Any,
    it: Itinerary,
    *,
    places: int = 10,
    reserves: dict | None = None,
    open_: bool = True,
    seed: str | None = None,
    start: dt.date | None = None,
    close_at: dt.datetime | None = None,
    **fields: Any,
) -> Batch:
    now = timezone.now()
    b = services.batch_create(
        itinerary=it,
        senders=fields.pop("senders", None) or [world.zj],
        by=world.sz_officer,
        start_date=start or timezone.localdate() + dt.timedelta(days=40),
        places=places,
        reserves=reserves or {},
        applications_close_at=close_at or now + dt.timedelta(days=10),
        **fields,
    )
    if open_:
        services.batch_open(batch=b, by=world.sz_officer, seed=seed)
    return b


def hz_workers(world: Any, n: int, **fields: Any) -> list:
    """n union members of the Hangzhou unit (Zhejiang)."""
    return [WorkerFactory(organisation=world.hz_unit, **fields) for _ in range(n)]


def enter(world: Any, b: Batch, workers: list, now: dt.datetime | None = None) -> list[Application]:
    """The Hangzhou officer enters (and so approves) each worker's application."""
    return [services.application_submit(batch=b, by=world.hz_officer, worker=w, now=now) for w in workers]


def after(b: Batch, days: int = 1) -> dt.datetime:
    """A moment after the batch's applications close."""
    return b.applications_close_at + dt.timedelta(days=days)


def drawn(
    world: Any, *, places: int = 3, applicants: int = 6, reserves: dict | None = None, seed: str = "s"
) -> SimpleNamespace:
    """A batch drawn with a known seed: `places` places, `applicants` approved applications."""
    it = itinerary(world)
    b = batch(world, it, places=places, reserves=reserves, seed=seed)
    workers = hz_workers(world, applicants)
    apps = enter(world, b, workers)
    services.batch_close(batch=b, by=world.sz_officer, now=after(b))
    services.batch_draw(batch=b, by=world.sz_officer, now=after(b, 2))
    b.refresh_from_db()
    return SimpleNamespace(itinerary=it, batch=b, workers=workers, apps=apps)

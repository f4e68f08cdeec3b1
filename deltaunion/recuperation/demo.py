"""Demo of the recuperation exchange (idempotent: `load` may run any number of times).

Everything is written through the services as the platform administrator, so each object has
its history: bases of the four provinces and their recognitions, itineraries of 3–5 days with a
red visit route of the heritage demo built in, the 2023 targets (3,000 workers each, seeds/004),
one batch of 2023 applied for, drawn (with a fixed demo seed), confirmed, partly cancelled and
passed to the waiting list, travelled and reviewed, two batches open for applications now, and
synthetic months of group trips of 2023 for the exchange matrix. People are the demo workers
(marked 演示); the few logins made for reviewers are demo accounts without a password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from deltaunion.core.registry import DemoContext
from deltaunion.heritage.models import Route as HeritageRoute
from deltaunion.heritage.models import Status as HeritageStatus
from deltaunion.orgs.models import Organisation, Region
from deltaunion.people.models import Title, Worker
from deltaunion.recuperation import demo_data as data
from deltaunion.recuperation import rules, services
from deltaunion.recuperation.models import (
    Application,
    Base,
    Batch,
    BatchStatus,
    GroupTrip,
    Itinerary,
    Recognition,
    Status,
    Target,
)

A = Application.Status
TZ = timezone.get_default_timezone()


def _at(day: str, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)), TZ)


def _federations() -> dict[str, Organisation]:
    out = {}
    for org in Organisation.objects.filter(
        kind=Organisation.Kind.PROVINCIAL, region_id__in=services.FOUR_PROVINCES
    ).order_by("id"):
        out.setdefault(org.region_id, org)
    return out


def _places(code: str) -> tuple[Region | None, Region | None, Region | None]:
    regions = {r.code: r for r in Region.objects.filter(code__in={code[:2] + "0000", code[:4] + "00", code})}
    province = regions.get(code[:2] + "0000")
    city = regions.get(code[:4] + "00") if code[:2] != "31" else None
    county = regions.get(code) if code[4:] != "00" else None
    if city is not None and city.level != Region.Level.PREFECTURE:
        city = None
    if county is not None and county.level != Region.Level.COUNTY:
        county = None
    return province, city, county


def load(ctx: DemoContext) -> dict[str, Any]:
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    feds = _federations()
    if admin is None or len(feds) < 4:
        return {}
    bases = _bases(admin, feds)
    itineraries = _itineraries(admin, feds, bases)
    for fed in feds.values():
        if not Target.objects.filter(federation=fed, year=2023).exists():
            services.target_set(federation=fed, year=2023, workers=3000, by=admin, source=data.PLAN_2023)
    travelled = _travelled_batch(admin, feds, itineraries)
    opened = _open_batches(admin, feds, itineraries)
    trips = _group_trips(admin, feds, bases, itineraries)
    ctx.summary.append(
        f"{len(bases)} recuperation bases, {len(itineraries)} itineraries, "
        f"{1 if travelled else 0} batch travelled, {opened} open, {trips} group trips of 2023"
    )
    return {"bases": bases, "itineraries": itineraries}


def _bases(admin: Any, feds: dict[str, Organisation]) -> dict[str, Base]:
    out: dict[str, Base] = {}
    for key, name, kind, code, address, (lng, lat), beds, band, season, facilities, recognitions in data.BASES:
        province, city, county = _places(code)
        if province is None:
            continue
        base = Base.objects.filter(province=province, name=name).first()
        if base is None:
            base = services.base_create(
                organisation=feds[province.code],
                by=admin,
                name=name,
                kind=kind,
                province=province,
                city=city,
                county=county,
                address=address,
                longitude=lng,
                latitude=lat,
                coordinates_approximate=True,
                capacity=beds,
                price_band=band,
                season=season,
                facilities=facilities,
                contact="演示联系电话 0571-0000000",
                description="演示数据：疗休养基地介绍。",
                source=data.SOURCE,
            )
            Base.objects.filter(pk=base.pk).update(is_demo=True)
        for fed_code, since, until in recognitions:
            fed = feds[fed_code]
            if not Recognition.objects.filter(base=base, federation=fed).exists():
                services.recognition_grant(
                    base=base,
                    federation=fed,
                    valid_from=dt.date.fromisoformat(since),
                    valid_until=dt.date.fromisoformat(until) if until else None,
                    note="演示数据",
                    by=admin,
                )
        out[key] = base
    return out


def _itineraries(admin: Any, feds: dict[str, Organisation], bases: dict[str, Base]) -> dict[str, Itinerary]:
    out: dict[str, Itinerary] = {}
    for (
        key,
        title,
        province_code,
        days,
        nights,
        themes,
        stays,
        route_title,
        price,
        pays,
        programme,
        summary,
    ) in data.ITINERARIES:
        itinerary = Itinerary.objects.filter(title=title).first()
        route = HeritageRoute.objects.filter(title=route_title, status=HeritageStatus.PUBLISHED).first()
        if itinerary is None:
            if any(k not in bases for k, _n in stays):
                continue
            itinerary = services.itinerary_create(
                organisation=feds[province_code],
                title=title,
                by=admin,
                province=Region.objects.get(code=province_code),
                days=days,
                nights=nights,
                themes=themes,
                programme=programme,
                red_route=route,
                price=price,
                union_pays=pays,
                summary=summary,
                contact="演示：组团联系人 0000-0000000",
                source="演示数据",
            )
            services.itinerary_set_stays(itinerary=itinerary, stays=[(bases[k], n) for k, n in stays], by=admin)
            Itinerary.objects.filter(pk=itinerary.pk).update(is_demo=True)
        if itinerary.status == Status.DRAFT and route is not None:
            services.itinerary_publish(itinerary=itinerary, by=admin)
        out[key] = itinerary
    return out


def _candidates(feds: list[Organisation], n: int) -> list[Worker]:
    within = Q(pk__in=[])
    for f in feds:
        within |= Q(organisation__path__startswith=f.path)
    return list(
        Worker.objects.filter(within, is_demo=True, is_member=True).select_related("organisation").order_by("id")[:n]
    )


def _titles(workers: list[Worker]) -> None:
    """A few model-worker and craftsman titles of demo workers (the priority groups' evidence)."""
    plan = [
        (0, Title.Kind.MODEL_WORKER, "浙江省劳动模范（演示）", 2020),
        (7, Title.Kind.CRAFTSMAN, "杭州工匠（演示）", 2022),
    ]
    plan += [
        (19, Title.Kind.MODEL_WORKER, "江苏省劳动模范（演示）", 2021),
        (33, Title.Kind.TECHNICAL_EXPERT, "苏州市技术能手（演示）", 2022),
    ]
    for i, kind, name, year in plan:
        if i < len(workers) and not Title.objects.filter(worker=workers[i]).exists():
            Title.objects.create(worker=workers[i], kind=kind, name=name, year=year)


REVIEWS = [
    (5, "温泉理疗很解乏", "疗养院的理疗师很专业，黄山的行程按身体状况分组，不累。新四军军部旧址的讲解让人印象深刻。"),
    (5, "宏村写生难忘", "第一次和外省的劳模、技术骨干一起交流，宏村的写生体验很新鲜，组织得很周到。"),
    (4, "行程充实", "五天的安排很充实，红色寻访和休养结合得好；建议山上多留半天自由活动时间。"),
    (5, "感谢工会", "作为快递小哥第一次参加疗休养，吃住都很好，谢谢工会的关心。"),
    (4, "值得推荐", "基地干净整洁，讲解员认真。返程的车程稍长。"),
]


def _travelled_batch(admin: Any, feds: dict[str, Organisation], itineraries: dict[str, Itinerary]) -> Batch | None:
    itinerary = itineraries.get("huangshan")
    if itinerary is None or not itinerary.is_published:
        return None
    start = dt.date(2023, 5, 16)
    batch = Batch.objects.filter(itinerary=itinerary, start_date=start).first()
    if batch is not None:
        return batch
    senders = [feds["330000"], feds["320000"]]
    batch = services.batch_create(
        itinerary=itinerary,
        senders=senders,
        by=admin,
        start_date=start,
        places=30,
        reserves={"model_worker": 2, "craftsman": 4, "skilled": 4, "gig": 4},
        applications_close_at=_at("2023-04-20", 17),
        confirm_days=7,
        contact="演示：领队 黄山工人疗养院接待部 0559-0000000",
    )
    Batch.objects.filter(pk=batch.pk).update(is_demo=True)
    seed = hashlib.sha256(b"deltaunion demo 2023 huangshan").hexdigest()
    services.batch_open(batch=batch, by=admin, now=_at("2023-04-01"), seed=seed)
    workers = _candidates(senders, 64)
    _titles(workers)
    for i, w in enumerate(workers):
        if not rules.apply_problems(w, batch, now=_at("2023-04-05")):
            services.application_submit(batch=batch, by=admin, worker=w, now=_at("2023-04-03") + dt.timedelta(hours=i))
    services.batch_close(batch=batch, by=admin, now=_at("2023-04-21"))
    services.batch_draw(batch=batch, by=admin, now=_at("2023-04-21", 10))
    offered = list(
        Application.objects.filter(batch=batch, status=A.OFFERED).select_related("worker").order_by("draw_rank")
    )
    for app in offered[:25]:
        services.application_confirm(application=app, by=admin, now=_at("2023-04-23"))
    for app in offered[25:28]:
        services.application_cancel(application=app, by=admin, reason="演示：家中有事，无法成行", now=_at("2023-04-24"))
    for app in Application.objects.filter(batch=batch, status=A.OFFERED, offered_at__gte=_at("2023-04-24", 0)):
        services.application_confirm(application=app, by=admin, now=_at("2023-04-25"))
    services.offers_expire(now=_at("2023-04-29"))  # the last two did not confirm in time
    for app in Application.objects.filter(batch=batch, status=A.OFFERED):
        services.application_confirm(application=app, by=admin, now=_at("2023-04-30"))
    batch.refresh_from_db()
    services.batch_complete(batch=batch, by=admin, now=_at("2023-05-21"))
    Application.objects.filter(batch=batch).update(is_demo=True)
    _reviews(batch)
    return batch


def _reviews(batch: Batch) -> None:
    """Five travellers (given demo logins without a password) rate the trip and review it."""
    from deltaunion.people.services import worker_link_account

    User = get_user_model()
    travelled = list(
        Application.objects.filter(batch=batch, status=A.TRAVELLED)
        .select_related("worker", "batch__itinerary")
        .order_by("draw_rank", "id")
    )
    for app, (rating, title, body) in zip(travelled, REVIEWS, strict=False):
        worker = app.worker
        if worker.user_id is None:
            user = User.objects.filter(username=f"demo_traveller_{worker.pk}").first()
            if user is None:
                user = User(username=f"demo_traveller_{worker.pk}", full_name=f"{worker.name}(演示职工)", is_demo=True)
                user.set_unusable_password()
                user.save()
            if not Worker.objects.filter(user=user).exists():
                worker_link_account(worker=worker, user=user, by=None)
            worker.refresh_from_db()
            app.worker = worker
        services.trip_rate(application=app, by=worker.user, rating=rating, title=title, body=body)
    from deltaunion.community.models import Post

    reviews = Application.objects.filter(batch=batch, review__isnull=False).values_list("review_id", flat=True)
    Post.objects.filter(pk__in=list(reviews)).update(is_demo=True)


def _open_batches(admin: Any, feds: dict[str, Organisation], itineraries: dict[str, Itinerary]) -> int:
    """Batches open for applications now: one for Shanghai, Zhejiang and Anhui workers to
    Jiangsu (a few applications in it), one priority-only batch to Zhejiang."""
    today = timezone.localdate()
    close = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=21), dt.time(17)), TZ)
    plans = [
        (
            "taihu",
            [feds["310000"], feds["330000"], feds["340000"]],
            40,
            {"model_worker": 4, "craftsman": 6, "skilled": 6, "gig": 6},
            False,
        ),
        (
            "qiandaohu",
            [feds["310000"], feds["320000"], feds["340000"]],
            30,
            {"model_worker": 6, "craftsman": 8, "gig": 8},
            True,
        ),
    ]
    opened = 0
    for key, senders, places, reserves, priority_only in plans:
        itinerary = itineraries.get(key)
        if itinerary is None or not itinerary.is_published:
            continue
        existing = Batch.objects.filter(
            itinerary=itinerary, is_demo=True, status__in=[BatchStatus.OPEN, BatchStatus.DRAFT]
        ).first()
        if existing is not None:
            opened += 1
            continue
        batch = services.batch_create(
            itinerary=itinerary,
            senders=senders,
            by=admin,
            start_date=today + dt.timedelta(days=49),
            places=places,
            reserves=reserves,
            priority_only=priority_only,
            applications_close_at=close,
            confirm_days=5,
            contact="演示：领队 0000-0000000",
        )
        Batch.objects.filter(pk=batch.pk).update(is_demo=True)
        services.batch_open(batch=batch, by=admin)
        opened += 1
        if key != "taihu":
            continue
        for w in _candidates(senders, 12):
            if not rules.apply_problems(w, batch):
                services.application_submit(batch=batch, by=admin, worker=w)
        demo_worker = Worker.objects.filter(user__username="worker").first()
        if demo_worker is not None and not rules.apply_problems(demo_worker, batch):
            services.application_submit(batch=batch, by=demo_worker.user)
        Application.objects.filter(batch=batch).update(is_demo=True)
    return opened


def _group_trips(
    admin: Any, feds: dict[str, Organisation], bases: dict[str, Base], itineraries: dict[str, Itinerary]
) -> int:
    if GroupTrip.objects.filter(is_demo=True).exists():
        return GroupTrip.objects.filter(is_demo=True).count()
    rng = random.Random(2023)
    by_province: dict[str, list[Base]] = {}
    for base in bases.values():
        by_province.setdefault(base.province_id, []).append(base)
    provinces = {r.code: r for r in Region.objects.filter(code__in=services.FOUR_PROVINCES)}
    n = 0
    for sender_code, targets in data.GROUP_TRIPS_2023.items():
        for dest_code, total in targets.items():
            left = total
            while left > 0:
                workers = min(left, rng.choice([80, 88, 90, 96, 100, 110, 120]))
                left -= workers
                month = rng.randint(3, 11)
                days = rng.choice([3, 3, 4, 4, 5])
                model = round(workers * rng.uniform(0.05, 0.1))
                craft = round(workers * rng.uniform(0.1, 0.2))
                skilled = round(workers * rng.uniform(0.2, 0.35))
                gig = round(workers * rng.uniform(0.05, 0.15))
                trip = services.group_trip_record(
                    sender=feds[sender_code],
                    by=admin,
                    destination=provinces[dest_code],
                    base=rng.choice(by_province.get(dest_code, [None])),
                    start_date=dt.date(2023, month, rng.randint(1, 25)),
                    days=days,
                    nights=days - 1,
                    workers=workers,
                    model_workers=model,
                    craftsmen=craft,
                    skilled=skilled,
                    gig=gig,
                    satisfaction=f"{rng.uniform(4.2, 4.9):.2f}",
                    note="演示数据（合成）",
                )
                GroupTrip.objects.filter(pk=trip.pk).update(is_demo=True)
                n += 1
    return n

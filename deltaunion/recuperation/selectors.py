"""Reads of the recuperation exchange, scoped to the user (nothing here writes)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.core.permissions import can
from deltaunion.orgs.models import Organisation, Region
from deltaunion.orgs.scoping import get_for_user_or_404, managed, managed_organisations, scoped
from deltaunion.recuperation import draw, rules
from deltaunion.recuperation.models import (
    GROUP_ORDER,
    Application,
    ApplicationStatus,
    Base,
    BasePhoto,
    Batch,
    BatchStatus,
    GroupTrip,
    Itinerary,
    PriorityGroup,
    Recognition,
    Status,
    Stay,
    Target,
    Theme,
)
from deltaunion.recuperation.permissions import applications_visible_q, federations_managed, worker_of
from deltaunion.recuperation.rules import FOUR_PROVINCES, batch_entries

A = ApplicationStatus
REVIEW_KIND = "review"


def provinces() -> list[Region]:
    return list(Region.objects.filter(code__in=FOUR_PROVINCES).order_by("code"))


def federations() -> list[Organisation]:
    """The four provincial federations, in the order of their division codes."""
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.PROVINCIAL, region_id__in=FOUR_PROVINCES)
        .select_related("region")
        .order_by("region_id", "id")
    )


# --- bases ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseFilters:
    province: str = ""
    kind: str = ""
    q: str = ""
    usable: bool = False

    def query(self) -> dict[str, str]:
        out = {k: v for k, v in vars(self).items() if v and k != "usable"}
        if self.usable:
            out["usable"] = "1"
        return out


def base_filters(params: Any) -> BaseFilters:
    province = (params.get("province") or "").strip()
    kind = (params.get("kind") or "").strip()
    return BaseFilters(
        province=province if province in FOUR_PROVINCES else "",
        kind=kind if kind in Base.Kind.values else "",
        q=(params.get("q") or "").strip()[:100],
        usable=params.get("usable") == "1",
    )


def bases(f: BaseFilters | None = None) -> QuerySet[Base]:
    f = f or BaseFilters()
    qs = Base.objects.select_related("province", "city", "county", "organisation").prefetch_related(
        Prefetch("recognitions", queryset=Recognition.objects.select_related("federation"))
    )
    if f.province:
        qs = qs.filter(province_id=f.province)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(address__icontains=f.q))
    if f.usable:
        qs = qs.filter(pk__in=Base.objects.filter(rules.usable_base_q()).values("pk"))
    return qs.order_by("province_id", "name")


def base_for_user_or_404(user: Any, base_id: int) -> Base:
    return get_for_user_or_404(
        Base.objects.select_related("province", "city", "county", "organisation"), user, pk=base_id
    )


def photo_for_user_or_404(user: Any, photo_id: int) -> BasePhoto:
    return get_for_user_or_404(BasePhoto.objects.select_related("base__organisation"), user, pk=photo_id)


def recognition_for_user_or_404(user: Any, recognition_id: int) -> Recognition:
    return get_for_user_or_404(Recognition.objects.select_related("base", "federation"), user, pk=recognition_id)


def is_usable(base: Base, on: dt.date | None = None) -> bool:
    return Base.objects.filter(rules.usable_base_q(on), pk=base.pk).exists()


def recognition_state(rec: Recognition, on: dt.date | None = None) -> str:
    """ "current", "future" or "ended" on a day."""
    on = on or timezone.localdate()
    if rec.valid_from > on:
        return "future"
    if rec.valid_until is not None and rec.valid_until < on:
        return "ended"
    return "current"


@dataclass
class MatrixRow:
    base: Base
    cells: list[Recognition | None]
    usable: bool


def recognition_matrix(f: BaseFilters | None = None) -> tuple[list[Organisation], list[MatrixRow]]:
    """Which federation recognised which base, since when and until when (互认矩阵)."""
    feds = federations()
    rows = []
    usable = set(Base.objects.filter(rules.usable_base_q()).values_list("pk", flat=True))
    for base in bases(f):
        by_fed = {r.federation_id: r for r in base.recognitions.all()}
        rows.append(MatrixRow(base=base, cells=[by_fed.get(o.pk) for o in feds], usable=base.pk in usable))
    return feds, rows


def base_owner_choices(user: Any) -> QuerySet[Organisation]:
    """Unions an officer may register bases and itineraries for (provincial to district level)."""
    return managed_organisations(user).exclude(kind=Organisation.Kind.GRASSROOTS)


def usable_bases(province: str = "") -> QuerySet[Base]:
    qs = Base.objects.filter(pk__in=Base.objects.filter(rules.usable_base_q()).values("pk")).select_related("province")
    if province:
        qs = qs.filter(province_id=province)
    return qs.order_by("province_id", "name")


# --- itineraries ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItineraryFilters:
    month: str = ""  # "2023-05"
    province: str = ""
    length: str = ""  # "3", "4", "5", "6" (6 or more)
    theme: str = ""
    price: str = ""  # the most a worker pays (yuan)
    q: str = ""

    def query(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


LENGTHS = ("3", "4", "5", "6")
PRICE_STEPS = ("500", "1000", "2000", "3000")


def itinerary_filters(params: Any) -> tuple[ItineraryFilters, bool]:
    """The browse filters from query parameters; unknown values are dropped (and reported)."""
    dropped = False

    def pick(name: str, ok: Any) -> str:
        nonlocal dropped
        value = (params.get(name) or "").strip()
        if value and not ok(value):
            dropped = True
            return ""
        return value

    def month_ok(v: str) -> bool:
        try:
            year, month = v.split("-")
            return len(year) == 4 and 2000 <= int(year) <= 2100 and 1 <= int(month) <= 12
        except ValueError:
            return False

    f = ItineraryFilters(
        month=pick("month", month_ok),
        province=pick("province", lambda v: v in FOUR_PROVINCES),
        length=pick("length", lambda v: v in LENGTHS),
        theme=pick("theme", lambda v: v in Theme.values),
        price=pick("price", lambda v: v.isdigit() and len(v) <= 6),
        q=(params.get("q") or "").strip()[:100],
    )
    return f, dropped


def _month_range(month: str) -> tuple[dt.date, dt.date]:
    year, m = (int(x) for x in month.split("-"))
    return dt.date(year, m, 1), dt.date(year, m, calendar.monthrange(year, m)[1])


def published_itineraries(f: ItineraryFilters | None = None) -> QuerySet[Itinerary]:
    """What workers browse: published itineraries, with their next open batch's date."""
    f = f or ItineraryFilters()
    qs = Itinerary.objects.filter(status=Status.PUBLISHED).select_related("province", "organisation", "red_route")
    if f.province:
        qs = qs.filter(province_id=f.province)
    if f.length:
        qs = qs.filter(days__gte=6) if f.length == "6" else qs.filter(days=int(f.length))
    if f.theme:
        qs = qs.filter(themes__icontains=f'"{f.theme}"')
    if f.price:
        qs = qs.filter(price__lte=F("union_pays") + Decimal(f.price))
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(summary__icontains=f.q))
    upcoming = Batch.objects.filter(itinerary=OuterRef("pk"), status=BatchStatus.OPEN)
    if f.month:
        first, last = _month_range(f.month)
        in_month = Batch.objects.filter(itinerary=OuterRef("pk"), start_date__gte=first, start_date__lte=last).exclude(
            status__in=[BatchStatus.DRAFT, BatchStatus.CANCELLED]
        )
        qs = qs.filter(Exists(in_month))
    qs = qs.annotate(
        open_batches=Count("batches", filter=Q(batches__status=BatchStatus.OPEN), distinct=True),
        next_departure=Min("batches__start_date", filter=Q(batches__status=BatchStatus.OPEN)),
    )
    return qs.annotate(has_open=Exists(upcoming)).order_by("-has_open", "next_departure", "province_id", "title")


def month_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    today = today or timezone.localdate()
    out = []
    year, month = today.year, today.month
    for _i in range(12):
        out.append((f"{year}-{month:02d}", _("%(y)d-%(m)02d") % {"y": year, "m": month}))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def itinerary_for_user_or_404(user: Any, itinerary_id: int) -> Itinerary:
    return get_for_user_or_404(
        Itinerary.objects.select_related("province", "organisation", "red_route"), user, pk=itinerary_id
    )


def itinerary_stays(itinerary: Itinerary) -> list[Stay]:
    return list(itinerary.stays.select_related("base__province", "base__city", "base__county").order_by("position"))


def itinerary_batches(itinerary: Itinerary, user: Any) -> list[Batch]:
    qs = scoped(Batch.objects.filter(itinerary=itinerary).prefetch_related("senders"), user)
    return list(qs.order_by("start_date", "id"))


def managed_itineraries(user: Any, *, status: str = "") -> QuerySet[Itinerary]:
    qs = managed(Itinerary.objects.select_related("province", "organisation"), user)
    if status in Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("province_id", "title")


def red_route_choices() -> QuerySet[Any]:
    from deltaunion.heritage.selectors import published_routes

    return published_routes()


def itinerary_reviews(itinerary: Itinerary, user: Any, limit: int = 20) -> list[Any]:
    from deltaunion.community.selectors import posts_for

    return list(posts_for(user, subject=itinerary, published_only=True, kind=REVIEW_KIND)[:limit])


def itinerary_rating(itinerary: Itinerary) -> tuple[float | None, int]:
    rows = Application.objects.filter(batch__itinerary=itinerary, rating__isnull=False).aggregate(
        total=Sum("rating"), n=Count("id")
    )
    return (round(rows["total"] / rows["n"], 1) if rows["n"] else None), rows["n"]


# --- batches -------------------------------------------------------------------------------------------------


def batch_for_user_or_404(user: Any, batch_id: int) -> Batch:
    return get_for_user_or_404(
        Batch.objects.select_related("itinerary__province", "itinerary__red_route", "organisation").prefetch_related(
            "senders"
        ),
        user,
        pk=batch_id,
    )


def managed_batches(user: Any, *, status: str = "") -> QuerySet[Batch]:
    qs = managed(Batch.objects.select_related("itinerary", "organisation"), user).prefetch_related("senders")
    if status in BatchStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-start_date", "id")


def batch_counts(batch: Batch) -> dict[str, int]:
    rows = Application.objects.filter(batch=batch).values("status").annotate(n=Count("id"))
    counts = {r["status"]: r["n"] for r in rows}
    counts["all"] = sum(counts.values())
    counts["in_draw"] = Application.objects.filter(batch=batch, in_draw=True).count()
    counts["applied"] = counts["all"] - counts.get(A.WITHDRAWN, 0)
    return counts


def seed_revealed(batch: Batch) -> bool:
    return batch.drawn_at is not None


def batch_applications(user: Any, batch: Batch, *, status: str = "", q: str = "") -> QuerySet[Application]:
    """The applications of a batch the user may read: all of them for its organisers, those of
    their own unions for the sending unions' officers."""
    qs = Application.objects.filter(batch=batch).filter(applications_visible_q(user))
    if status in A.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(worker__name__icontains=q)
    return qs.select_related("worker", "union", "sender").order_by(
        F("draw_rank").asc(nulls_last=True), F("wait_position").asc(nulls_last=True), "id"
    )


def draw_outcome(batch: Batch) -> dict[str, Any] | None:
    """The outcome the draw stored: offered in draw order (with the reserve each took), then the
    waiting list in order."""
    if batch.drawn_at is None:
        return None
    apps = list(
        Application.objects.filter(batch=batch, in_draw=True).values("id", "draw_rank", "drawn_for", "wait_position")
    )
    offered = sorted((a for a in apps if a["draw_rank"] is not None), key=lambda a: a["draw_rank"])
    waiting = sorted(
        (a for a in apps if a["draw_rank"] is None and a["wait_position"] is not None), key=lambda a: a["wait_position"]
    )
    return {
        "offered": [{"ref": str(a["id"]), "for": a["drawn_for"]} for a in offered],
        "waiting": [str(a["id"]) for a in waiting],
    }


def draw_record(batch: Batch) -> dict[str, Any]:
    """The published record of a batch's draw: everything anyone needs to re-run it (the page,
    its JSON download, the API and `manage.py recuperation_verify_draw` all read this)."""
    closed = bool(batch.inputs_digest)
    revealed = seed_revealed(batch)
    return {
        "version": draw.RECORD_VERSION,
        "batch": batch.pk,
        "itinerary": batch.itinerary.title,
        "start_date": batch.start_date.isoformat(),
        "places": batch.places,
        "reserves": {g: int(batch.reserves.get(g, 0)) for g in GROUP_ORDER if batch.reserves.get(g)},
        "group_order": list(GROUP_ORDER),
        "seed_sha256": batch.seed_hash,
        "seed_committed_at": batch.seed_committed_at.isoformat() if batch.seed_committed_at else None,
        "seed": batch.seed if revealed else "",
        "applications_sha256": batch.inputs_digest,
        "applications": batch_entries(batch) if closed else [],
        "outcome": draw_outcome(batch),
        "rules": (
            "key = SHA-256('<seed>|<ref>') in hex; lottery order = sort by (key, ref); reserves in group_order take "
            "the first applications of their group in lottery order; the rest of the places go in lottery order; "
            "the others form the waiting list in lottery order"
        ),
    }


@dataclass
class Verification:
    available: bool
    ok: bool = False
    list_matches: bool = False
    seed_matches: bool = False
    outcome: draw.Outcome | None = None
    problems: list[str] = field(default_factory=list)


def verify_draw(batch: Batch) -> Verification:
    """Re-run the draw from the published record, as anyone can."""
    record = draw_record(batch)
    if not record["seed"]:
        return Verification(available=False)
    ok, problems = draw.verify(record)
    try:
        outcome = draw.rerun(record)
    except ValueError:
        outcome = None
    return Verification(
        available=True,
        ok=ok,
        list_matches="applications_sha256" not in problems,
        seed_matches=draw.seed_hash(record["seed"]) == record["seed_sha256"],
        outcome=outcome,
        problems=problems,
    )


# --- applications ----------------------------------------------------------------------------------------------


def application_for_user_or_404(user: Any, application_id: int) -> Application:
    qs = Application.objects.filter(applications_visible_q(user)).select_related(
        "batch__itinerary__province", "batch__itinerary__red_route", "worker", "union", "sender", "review"
    )
    from django.http import Http404

    app = qs.filter(pk=application_id).first()
    if app is None:
        raise Http404("not found")
    return app


def my_applications(user: Any) -> QuerySet[Application]:
    worker = worker_of(user)
    if worker is None:
        return Application.objects.none()
    return (
        Application.objects.filter(worker=worker)
        .select_related("batch__itinerary__province", "union")
        .order_by("-batch__start_date", "-id")
    )


def attention_count(user: Any) -> int:
    """What needs the worker now: places to confirm and travelled trips to rate (我的)."""
    worker = worker_of(user)
    if worker is None:
        return 0
    return (
        Application.objects.filter(worker=worker)
        .filter(Q(status=A.OFFERED) | Q(status=A.TRAVELLED, rating__isnull=True))
        .count()
    )


def waiting_place(app: Application) -> int | None:
    """The worker's place in the queue now (1 = next to get a free place)."""
    if app.status != A.WAITING or app.wait_position is None:
        return None
    return (
        Application.objects.filter(batch_id=app.batch_id, status=A.WAITING, wait_position__lt=app.wait_position).count()
        + 1
    )


def pending_approvals(user: Any, *, batch_id: int | None = None) -> QuerySet[Application]:
    """Applications waiting for the approval of a union the user manages (open batches)."""
    qs = managed(Application.objects.all(), user).filter(status=A.PENDING, batch__status=BatchStatus.OPEN)
    if batch_id:
        qs = qs.filter(batch_id=batch_id)
    return qs.select_related("worker", "union", "batch__itinerary").order_by("batch__applications_close_at", "id")


def worker_groups(user: Any) -> list[rules.GroupEvidence]:
    worker = worker_of(user)
    return rules.priority_groups(worker) if worker is not None else []


# --- targets and recorded trips ---------------------------------------------------------------------------------


def targets(year: int | None = None) -> QuerySet[Target]:
    qs = Target.objects.select_related("federation")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "federation__region_id")


def target_years() -> list[int]:
    years = set(Target.objects.values_list("year", flat=True))
    years |= {d.year for d in Batch.objects.dates("start_date", "year")}
    years |= {d.year for d in GroupTrip.objects.dates("start_date", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def managed_group_trips(user: Any, *, year: int | None = None) -> QuerySet[GroupTrip]:
    qs = managed(GroupTrip.objects.select_related("sender", "destination", "itinerary", "base"), user)
    if year:
        qs = qs.filter(start_date__year=year)
    return qs.order_by("-start_date", "-id")


def sender_choices(user: Any) -> list[Organisation]:
    return federations_managed(user)


# --- the exchange matrix -----------------------------------------------------------------------------------------

GROUP_KEYS = [*GROUP_ORDER, ""]
_TRIP_GROUP_FIELDS = {"model_worker": "model_workers", "craftsman": "craftsmen", "skilled": "skilled", "gig": "gig"}


@dataclass
class Cell:
    workers: int = 0
    trips: int = 0
    own: bool = False  # within the sender's own province (not counted as sent)


@dataclass
class SenderRow:
    federation: Organisation
    cells: list[Cell]
    target: int | None
    sent: int  # to the other three provinces
    trips: int
    months: list[int]
    groups: dict[str, int]

    @property
    def group_values(self) -> list[int]:
        return [self.groups[g] for g in GROUP_KEYS]

    @property
    def percent(self) -> float | None:
        return round(100 * self.sent / self.target, 1) if self.target else None


@dataclass
class Matrix:
    year: int
    provinces: list[Region]
    rows: list[SenderRow]

    @property
    def total_sent(self) -> int:
        return sum(r.sent for r in self.rows)

    @property
    def total_target(self) -> int:
        return sum(r.target or 0 for r in self.rows)


def exchange_matrix(year: int) -> Matrix:
    """Which federation sent how many workers to which province in a year, against its target:
    the trips drawn here (travelled) and the group trips recorded, by month and priority group."""
    feds, provs = federations(), provinces()
    prov_index = {p.code: i for i, p in enumerate(provs)}
    cells: dict[int, list[Cell]] = {f.pk: [Cell(own=p.code == f.region_id) for p in provs] for f in feds}
    months: dict[int, list[int]] = {f.pk: [0] * 12 for f in feds}
    groups: dict[int, dict[str, int]] = {f.pk: dict.fromkeys(GROUP_KEYS, 0) for f in feds}
    own = {f.pk: f.region_id for f in feds}

    travelled = Application.objects.filter(status=A.TRAVELLED, batch__start_date__year=year, sender_id__in=cells)
    for r in travelled.values("sender_id", dest=F("batch__itinerary__province_id")).annotate(
        n=Count("id"), trips=Count("batch", distinct=True)
    ):
        if r["dest"] in prov_index:
            c = cells[r["sender_id"]][prov_index[r["dest"]]]
            c.workers += r["n"]
            c.trips += r["trips"]
    for r in (
        travelled.annotate(month=ExtractMonth("batch__start_date"))
        .values("sender_id", "month", dest=F("batch__itinerary__province_id"), primary=F("primary_group"))
        .annotate(n=Count("id"))
    ):
        if r["dest"] != own[r["sender_id"]]:
            months[r["sender_id"]][r["month"] - 1] += r["n"]
            groups[r["sender_id"]][r["primary"] or ""] += r["n"]

    trips = GroupTrip.objects.filter(start_date__year=year, sender_id__in=cells)
    for r in (
        trips.annotate(month=ExtractMonth("start_date"))
        .values("sender_id", "destination_id", "month")
        .annotate(
            n=Sum("workers"),
            k=Count("id"),
            mw=Sum("model_workers"),
            cr=Sum("craftsmen"),
            sk=Sum("skilled"),
            gg=Sum("gig"),
        )
    ):
        if r["destination_id"] not in prov_index:
            continue
        c = cells[r["sender_id"]][prov_index[r["destination_id"]]]
        c.workers += r["n"]
        c.trips += r["k"]
        if r["destination_id"] != own[r["sender_id"]]:
            months[r["sender_id"]][r["month"] - 1] += r["n"]
            g = groups[r["sender_id"]]
            in_groups = r["mw"] + r["cr"] + r["sk"] + r["gg"]
            g["model_worker"] += r["mw"]
            g["craftsman"] += r["cr"]
            g["skilled"] += r["sk"]
            g["gig"] += r["gg"]
            g[""] += r["n"] - in_groups

    target_by = {t.federation_id: t.workers for t in Target.objects.filter(year=year, federation_id__in=cells)}
    rows = []
    for f in feds:
        others = [c for p, c in zip(provs, cells[f.pk], strict=True) if p.code != f.region_id]
        rows.append(
            SenderRow(
                federation=f,
                cells=cells[f.pk],
                target=target_by.get(f.pk),
                sent=sum(c.workers for c in others),
                trips=sum(c.trips for c in others),
                months=months[f.pk],
                groups=groups[f.pk],
            )
        )
    return Matrix(year=year, provinces=provs, rows=rows)


def group_labels() -> dict[str, str]:
    return {**{g.value: str(g.label) for g in PriorityGroup}, "": _("Other workers")}


@dataclass
class BaseFigures:
    base: Base
    guest_nights: int
    occupancy: float  # percent of the beds over the year's nights
    rating: float | None
    ratings: int
    trips: int


def base_figures(year: int, province: str = "") -> list[BaseFigures]:
    """Per base in a year: guest-nights of exchange trips (travelled batches: travellers × nights
    at the base; recorded group trips: workers × nights), occupancy = guest-nights ÷ (beds × days
    of the year), and the average rating of the trips that stayed there."""
    days_in_year = 366 if calendar.isleap(year) else 365
    per_itinerary = {
        r["batch__itinerary_id"]: r
        for r in Application.objects.filter(status=A.TRAVELLED, batch__start_date__year=year)
        .values("batch__itinerary_id")
        .annotate(n=Count("id"), batches=Count("batch", distinct=True), total=Sum("rating"), rated=Count("rating"))
    }
    nights: dict[int, int] = defaultdict(int)
    score: dict[int, float] = defaultdict(float)
    rated: dict[int, int] = defaultdict(int)
    trips: dict[int, int] = defaultdict(int)
    for stay in Stay.objects.filter(itinerary_id__in=per_itinerary):
        r = per_itinerary[stay.itinerary_id]
        nights[stay.base_id] += r["n"] * stay.nights
        score[stay.base_id] += float(r["total"] or 0)
        rated[stay.base_id] += r["rated"]
        trips[stay.base_id] += r["batches"]
    for t in GroupTrip.objects.filter(start_date__year=year, base__isnull=False):
        nights[t.base_id] += t.workers * t.nights
        trips[t.base_id] += 1
        if t.satisfaction is not None:
            score[t.base_id] += float(t.satisfaction) * t.workers
            rated[t.base_id] += t.workers
    qs = Base.objects.select_related("province").order_by("province_id", "name")
    if province:
        qs = qs.filter(province_id=province)
    out = []
    for base in qs:
        n = nights.get(base.pk, 0)
        out.append(
            BaseFigures(
                base=base,
                guest_nights=n,
                occupancy=round(100 * n / (base.capacity * days_in_year), 2) if base.capacity else 0.0,
                rating=round(score[base.pk] / rated[base.pk], 2) if rated.get(base.pk) else None,
                ratings=rated.get(base.pk, 0),
                trips=trips.get(base.pk, 0),
            )
        )
    return out


# --- key-task evidence (core.registry) ---------------------------------------------------------------------------


def key_task_evidence(task: Any) -> list[Any]:
    """For a recuperation key task: with yearly targets for its plan's year (the 2023 task of
    sending at least 3,000 workers each), the workers each federation sent to the other three
    provinces against its target; for a task about bases, the bases recognised."""
    from deltaunion.core.registry import Evidence

    if getattr(task, "kind", "") != "recuperation":
        return []
    plan = getattr(task, "plan", None)
    year = getattr(plan, "year", None)
    title = getattr(task, "title", "") or ""
    out = []
    if year and Target.objects.filter(year=year).exists() and ("基地" not in title or "3000" in (task.target or "")):
        matrix = exchange_matrix(year)
        for row in matrix.rows:
            if row.target is None:
                continue
            out.append(
                Evidence(
                    _("%(federation)s: workers sent to the other three provinces")
                    % {"federation": row.federation.name},
                    done=row.sent,
                    target=row.target,
                    complete=row.sent >= row.target,
                    url=f"/recuperation/matrix/?year={year}",
                )
            )
    if "基地" in title:
        recognised = Base.objects.filter(rules.usable_base_q()).distinct().count()
        out.append(
            Evidence(_("Bases usable by all four federations"), done=recognised, url="/recuperation/bases/matrix/")
        )
    return out


def may_view_matrix(user: Any) -> bool:
    return can(user, "recuperation.view_matrix")

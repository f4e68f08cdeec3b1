"""The rules of the exchange that several places need: the priority groups a worker's record
shows, why a worker may not apply, and the checks before an itinerary is published or a batch
opens. Reads only; the services enforce them, the pages show them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.core.excel import list_join
from deltaunion.heritage.models import Status as HeritageStatus
from deltaunion.orgs.models import Organisation
from deltaunion.people.models import SkillLevel, Title, Worker
from deltaunion.recuperation.models import (
    GROUP_ORDER,
    MIN_DAYS,
    MIN_NIGHTS,
    TRIP_OF_THE_YEAR,
    Application,
    Batch,
    BatchStatus,
    Itinerary,
    PriorityGroup,
    Status,
    Target,
)

FOUR_PROVINCES = ("310000", "320000", "330000", "340000")

# Title kinds (people.Title) that put a worker in a priority group; skill levels likewise.
MODEL_WORKER_TITLES = {Title.Kind.MODEL_WORKER, Title.Kind.GOLD_WORKER}
CRAFTSMAN_TITLES = {Title.Kind.CRAFTSMAN, Title.Kind.GRAND_CRAFTSMAN, Title.Kind.TECHNICAL_EXPERT}
TECHNICIAN_LEVELS = {SkillLevel.LEVEL_1, SkillLevel.LEVEL_2}
SKILLED_LEVELS = {SkillLevel.LEVEL_3, SkillLevel.LEVEL_4, SkillLevel.LEVEL_5}


@dataclass(frozen=True)
class GroupEvidence:
    group: str
    evidence: str  # what in the record puts the worker in the group ("省级劳动模范（2021）")


def priority_groups(worker: Worker, titles: Iterable[Title] | None = None) -> list[GroupEvidence]:
    """The priority groups the worker's record shows, in the draw's order: honorary titles
    (people.Title), the current skill level, and gig-worker status. Never what an applicant ticks."""
    titles = list(titles) if titles is not None else list(Title.objects.filter(worker=worker).order_by("-year", "id"))
    found: dict[str, str] = {}
    for t in titles:
        if t.kind in MODEL_WORKER_TITLES:
            found.setdefault(PriorityGroup.MODEL_WORKER, f"{t.name}（{t.year}）")
        elif t.kind in CRAFTSMAN_TITLES:
            found.setdefault(PriorityGroup.CRAFTSMAN, f"{t.name}（{t.year}）")
    level = worker.skill_level
    if level in TECHNICIAN_LEVELS:
        found.setdefault(PriorityGroup.CRAFTSMAN, _("Skill level: %(level)s") % {"level": SkillLevel(level).label})
    elif level in SKILLED_LEVELS:
        found.setdefault(PriorityGroup.SKILLED, _("Skill level: %(level)s") % {"level": SkillLevel(level).label})
    if worker.is_gig_worker:
        found.setdefault(PriorityGroup.GIG, _("Gig or platform worker (union record)"))
    return [GroupEvidence(g, found[g]) for g in GROUP_ORDER if g in found]


def group_label(code: str) -> str:
    return str(PriorityGroup(code).label) if code in PriorityGroup.values else _("No priority group")


def sender_of(organisation: Organisation) -> Organisation | None:
    """The provincial federation above a union (the one that sends its workers)."""
    if organisation.kind == Organisation.Kind.PROVINCIAL:
        return organisation
    return (
        Organisation.objects.filter(kind=Organisation.Kind.PROVINCIAL, path__in=organisation.ancestor_paths())
        .order_by("-depth")
        .first()
    )


def trips_allowed(sender: Organisation | None, year: int) -> int:
    target = Target.objects.filter(federation=sender, year=year).first() if sender is not None else None
    return target.trips_per_worker if target is not None else 1


def trips_in_year(worker: Worker, year: int, *, exclude_batch: Batch | None = None) -> int:
    qs = Application.objects.filter(worker=worker, status__in=TRIP_OF_THE_YEAR, batch__start_date__year=year)
    if exclude_batch is not None:
        qs = qs.exclude(batch=exclude_batch)
    return qs.count()


def applications_open(batch: Batch, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return batch.status == BatchStatus.OPEN and now <= batch.applications_close_at


def apply_problems(worker: Worker | None, batch: Batch, *, now: dt.datetime | None = None) -> list[str]:
    """Every reason the worker may not apply for the batch (empty: they may), in words."""
    if worker is None:
        return [_("Your account is not linked to a worker record: ask your union to link it")]
    problems: list[str] = []
    if not applications_open(batch, now):
        problems.append(_("Applications for this batch are closed"))
    if not worker.is_member:
        problems.append(_("Only union members may apply: your record does not show you as a member"))
    sender = sender_of(worker.organisation)
    senders = list(batch.senders.all())
    if sender is None or sender.pk not in {s.pk for s in senders}:
        problems.append(
            _("This batch is for the workers of %(senders)s; your union belongs to %(yours)s")
            % {"senders": list_join(s.name for s in senders), "yours": sender.name if sender else _("no federation")}
        )
    if Application.objects.filter(batch=batch, worker=worker).exists():
        problems.append(_("You have already applied for this batch"))
    year = batch.start_date.year
    allowed = trips_allowed(sender, year)
    if trips_in_year(worker, year, exclude_batch=batch) >= allowed:
        problems.append(
            _(
                "You already have a recuperation trip in %(year)d: one trip a year unless your federation decides otherwise"
            )
            % {"year": year}
            if allowed == 1
            else _("You already have %(n)d recuperation trips in %(year)d, as many as your federation allows")
            % {"n": allowed, "year": year}
        )
    if batch.priority_only and not priority_groups(worker):
        problems.append(
            _(
                "This batch is only for %(groups)s, and your record shows none of them "
                "(honorary titles, skill level, gig-worker status)"
            )
            % {"groups": list_join(str(g.label) for g in PriorityGroup)}
        )
    return problems


def confirm_problem(application: Application) -> str | None:
    """One trip a year, checked again when a place is confirmed (a worker drawn twice)."""
    year = application.batch.start_date.year
    if trips_in_year(application.worker, year, exclude_batch=application.batch) >= trips_allowed(
        application.sender, year
    ):
        return _(
            "You already have a recuperation trip in %(year)d: one trip a year unless your federation decides otherwise"
        ) % {"year": year}
    return None


# --- guards of the state machines ------------------------------------------------------------------------


def itinerary_publish_problem(itinerary: Itinerary) -> str | None:
    if itinerary.days < MIN_DAYS or itinerary.nights < MIN_NIGHTS:
        return _("A recuperation trip lasts at least 3 days and 2 nights")
    stays = list(itinerary.stays.select_related("base"))
    if not stays:
        return _("Add the bases the itinerary stays at before publishing it")
    if sum(s.nights for s in stays) != itinerary.nights:
        return _("The nights at the bases add up to %(n)d, but the itinerary has %(nights)d nights") % {
            "n": sum(s.nights for s in stays),
            "nights": itinerary.nights,
        }
    if len(itinerary.programme or []) != itinerary.days or not all((d or "").strip() for d in itinerary.programme):
        return _("Write the programme of every day before publishing the itinerary")
    route = itinerary.red_route
    if route is None or route.status != HeritageStatus.PUBLISHED:
        return _("Choose a published red visit route: the plan builds one into every itinerary")
    return None


def batch_open_problem(batch: Batch, now: dt.datetime | None = None) -> str | None:
    now = now or getattr(batch, "_clock", None) or timezone.now()
    if batch.itinerary.status != Status.PUBLISHED:
        return _("Publish the itinerary before opening a batch of it")
    if not batch.senders.exists():
        return _("Choose the sending federations first")
    if batch.applications_close_at <= now:
        return _("The closing time of the applications has passed: change it first")
    return None


def reserves_problem(reserves: dict[str, int], places: int) -> str | None:
    if sum(reserves.values()) > places:
        return _("The reserved places (%(n)d) are more than the places of the batch (%(places)d)") % {
            "n": sum(reserves.values()),
            "places": places,
        }
    return None


def usable_base_q(on: dt.date | None = None) -> Q:
    """Bases usable by all four federations on a day: sanatoriums, and bases recognised by any
    federation on that day (互认)."""
    on = on or timezone.localdate()
    current = Q(recognitions__valid_from__lte=on) & (
        Q(recognitions__valid_until__isnull=True) | Q(recognitions__valid_until__gte=on)
    )
    return Q(kind="sanatorium") | current


def describe_problems(problems: list[str]) -> str:
    return "；".join(problems)


def first(items: list[Any]) -> Any:
    return items[0] if items else None


# --- the published list of a draw ---------------------------------------------------------------------


def published_entry(app: Application) -> dict[str, Any]:
    """One application as the published list shows it (the name masked)."""
    return entry_of(app.ref, app.public_name, app.sender.region_id, app.groups)


def entry_of(ref: str, public_name: str, province: str | None, groups: Any) -> dict[str, Any]:
    """The published entry from the stored values (the draw reads them without loading models)."""
    return {"ref": ref, "name": public_name, "province": province or "", "groups": list(groups or [])}


def batch_entries(batch: Batch) -> list[dict[str, Any]]:
    apps = Application.objects.filter(batch=batch, in_draw=True).select_related("sender").order_by("id")
    return [published_entry(a) for a in apps]

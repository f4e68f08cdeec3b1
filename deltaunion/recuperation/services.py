"""Every write of the recuperation exchange.

Services check permissions (`require`), validate, write inside one transaction through
`model_update` and the state machines, and write the audit log. Everything that moves places
of a batch (the draw, confirmations, cancellations, expiries, promotions from the waiting
list, completion) first locks the batch row — the one lock, always taken first, with a lock
timeout on PostgreSQL — and recounts the places held under it, so that `taken ≤ places`
holds whatever runs at the same moment (the database's CHECK constraint backs it up).
SQLite serialises writers (immediate transactions) and runs the same code.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, router, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from deltaunion.core.audit import log_action, object_org_path, snapshot
from deltaunion.core.models import AuditEntry
from deltaunion.core.notifications import notify
from deltaunion.core.permissions import require
from deltaunion.core.privacy import mask_name
from deltaunion.core.services import model_update
from deltaunion.core.uploads import MB, check_upload
from deltaunion.heritage.models import Status as HeritageStatus
from deltaunion.orgs.models import Organisation, Region
from deltaunion.people.models import Title, Worker
from deltaunion.recuperation import draw, rules
from deltaunion.recuperation.models import (
    GROUP_ORDER,
    HOLDING,
    Application,
    Base,
    BasePhoto,
    Batch,
    BatchStatus,
    GroupTrip,
    Itinerary,
    Recognition,
    Stay,
    Target,
)
from deltaunion.recuperation.models import ApplicationStatus as A
from deltaunion.recuperation.permissions import worker_of
from deltaunion.recuperation.rules import FOUR_PROVINCES, batch_entries, published_entry  # noqa: F401

LOCK_TIMEOUT = "10s"
BUSY = gettext_noop("This batch is busy: try again in a moment")
FROZEN = gettext_noop(
    "The list of applications for the draw was fixed when applications closed: it can no longer change"
)

BASE_FIELDS = [
    "name",
    "kind",
    "province",
    "city",
    "county",
    "address",
    "longitude",
    "latitude",
    "coordinates_approximate",
    "capacity",
    "facilities",
    "contact",
    "price_band",
    "season",
    "description",
    "source",
]
ITINERARY_FIELDS = [
    "title",
    "summary",
    "province",
    "days",
    "nights",
    "themes",
    "programme",
    "red_route",
    "price",
    "union_pays",
    "contact",
    "source",
]
RESERVE_FIELDS = [f"reserve_{g}" for g in GROUP_ORDER]
BATCH_FIELDS = [
    "start_date",
    "places",
    *RESERVE_FIELDS,
    "priority_only",
    "applications_close_at",
    "confirm_days",
    "contact",
]


def _unknown(fields: Iterable[str], allowed: Sequence[str]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError(_("These fields cannot be set: %(f)s") % {"f": ", ".join(unknown)})


# --- places -------------------------------------------------------------------------------------------


def check_place(*, province: Region | None, city: Region | None, county: Region | None) -> None:
    """The divisions must nest and the province must be one of the four."""
    if province is None:
        raise ValidationError(_("Choose the province"))
    if province.code not in FOUR_PROVINCES:
        raise ValidationError(_("Only bases in Shanghai, Jiangsu, Zhejiang and Anhui are registered here"))
    for region in (city, county):
        if region is not None and region.code[:2] != province.code[:2]:
            raise ValidationError(
                _("%(region)s is not in %(province)s") % {"region": region.name, "province": province.name}
            )
    if city is not None and county is not None and county.parent_id and county.parent_id != city.code:
        raise ValidationError(_("%(county)s is not in %(city)s") % {"county": county.name, "city": city.name})


def check_position(*, longitude: Any, latitude: Any, province: Region) -> tuple[float | None, float | None]:
    """WGS-84 degrees inside the province (the heritage app's outlines, 3 km tolerance); both or neither."""
    if longitude in (None, "") and latitude in (None, ""):
        return None, None
    try:
        lng, lat = float(longitude), float(latitude)
    except (TypeError, ValueError):
        raise ValidationError(_("Give both longitude and latitude, as decimal degrees")) from None
    if not (-180 <= lng <= 180 and -90 <= lat <= 90) or lng != lng or lat != lat:
        raise ValidationError(_("Longitude is between −180 and 180 and latitude between −90 and 90"))
    from deltaunion.heritage import basemap

    if not basemap.matches_province(lng, lat, province.code):
        raise ValidationError(
            _("The coordinates do not lie in %(province)s: check the order of longitude and latitude")
            % {"province": province.name}
        )
    return round(lng, 6), round(lat, 6)


# --- bases ----------------------------------------------------------------------------------------------


def _base_data(data: dict[str, Any], base: Base | None = None) -> dict[str, Any]:
    data = dict(data)
    get = (lambda k: data.get(k, getattr(base, k))) if base is not None else data.get
    province, city, county = get("province"), get("city"), get("county")
    check_place(province=province, city=city, county=county)
    if base is None or {"longitude", "latitude", "province"} & set(data):
        lng, lat = check_position(longitude=get("longitude"), latitude=get("latitude"), province=province)
        data.update(longitude=lng, latitude=lat)
    return data


def base_create(*, organisation: Organisation, by: Any, **fields: Any) -> Base:
    require(by, "recuperation.add_base", organisation)
    _unknown(fields, BASE_FIELDS)
    data = _base_data(fields)
    with transaction.atomic():
        base = Base(organisation=organisation, **data)
        base.full_clean()
        base.save()
        log_action(actor=by, action="recup_base.create", obj=base, after=snapshot(base))
    return base


def base_update(*, base: Base, by: Any, **fields: Any) -> Base:
    require(by, "recuperation.manage_base", base)
    _unknown(fields, BASE_FIELDS)
    data = _base_data(fields, base)
    model_update(instance=base, fields=BASE_FIELDS, data=data, by=by, action="recup_base.update")
    return base


PHOTO_MAX_BYTES = 5 * MB


def base_photo_add(*, base: Base, upload: Any, caption: str, credit: str, by: Any) -> BasePhoto:
    """A photo of the base: a real JPEG, PNG or WebP image (checked by its content) of at most
    5 MB, with its credit, stored under an unguessable name."""
    require(by, "recuperation.manage_base", base)
    checked = check_upload(upload, kinds={"image"}, max_bytes=PHOTO_MAX_BYTES)
    credit, caption = (credit or "").strip(), (caption or "").strip()
    if not credit:
        raise ValidationError(_("Name the photographer or the source and its licence"))
    upload.seek(0)
    upload.name = f"photo{checked.suffix}"
    content_type = checked.content_type
    with transaction.atomic():
        photo = BasePhoto(base=base, image=upload, content_type=content_type, caption=caption, credit=credit)
        photo.full_clean()
        photo.save()
        log_action(
            actor=by,
            action="recup_base.photo_add",
            obj=base,
            after={"caption": caption or _("Photo"), "credit": credit},
        )
    return photo


# --- recognition (互认) -----------------------------------------------------------------------------------


def recognition_grant(
    *,
    base: Base,
    federation: Organisation,
    valid_from: dt.date,
    by: Any,
    valid_until: dt.date | None = None,
    note: str = "",
) -> Recognition:
    """The federation recognises the base from `valid_from` (until `valid_until`, or open-ended);
    recognising again changes the dates."""
    require(by, "recuperation.recognise_base", federation)
    if federation.kind != Organisation.Kind.PROVINCIAL:
        raise ValidationError(_("Bases are recognised by a provincial federation"))
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError(_("A recognition ends on or after the day it starts"))
    with transaction.atomic():
        existing = Recognition.objects.select_for_update().filter(base=base, federation=federation).first()
        if existing is not None:
            model_update(
                instance=existing,
                fields=["valid_from", "valid_until", "note"],
                data={"valid_from": valid_from, "valid_until": valid_until, "note": (note or "").strip()},
                by=by,
                action="recup_recognition.update",
            )
            return existing
        rec = Recognition(
            base=base, federation=federation, valid_from=valid_from, valid_until=valid_until, note=(note or "").strip()
        )
        rec.full_clean()
        rec.save()
        log_action(actor=by, action="recup_recognition.create", obj=rec, after=snapshot(rec))
    return rec


def recognition_end(*, recognition: Recognition, by: Any, on: dt.date | None = None, note: str = "") -> Recognition:
    """End a recognition on a day (today by default): the base stays recognised until then."""
    require(by, "recuperation.revoke_recognition", recognition)
    on = on or timezone.localdate()
    if on < recognition.valid_from:
        raise ValidationError(_("A recognition ends on or after the day it starts"))
    model_update(
        instance=recognition,
        fields=["valid_until"],
        data={"valid_until": on},
        by=by,
        action="recup_recognition.end",
        note=note,
    )
    return recognition


# --- itineraries ------------------------------------------------------------------------------------------


def _itinerary_checks(data: dict[str, Any], itinerary: Itinerary | None = None) -> None:
    get = (lambda k: data.get(k, getattr(itinerary, k))) if itinerary is not None else data.get
    days, nights = get("days"), get("nights")
    if days is not None and nights is not None and (int(days) < 3 or int(nights) < 2):
        raise ValidationError(_("A recuperation trip lasts at least 3 days and 2 nights"))
    province = get("province")
    if province is not None and province.code not in FOUR_PROVINCES:
        raise ValidationError(_("The destination is one of Shanghai, Jiangsu, Zhejiang and Anhui"))
    programme = get("programme") or []
    if days is not None and len(programme) > int(days):
        raise ValidationError(_("The programme has more days than the itinerary"))
    route = get("red_route")
    if route is not None and route.status != HeritageStatus.PUBLISHED:
        raise ValidationError(_("Choose a published red visit route"))


def itinerary_create(*, organisation: Organisation, title: str, by: Any, **fields: Any) -> Itinerary:
    require(by, "recuperation.add_itinerary", organisation)
    _unknown(fields, ITINERARY_FIELDS)
    _itinerary_checks(fields)
    with transaction.atomic():
        itinerary = Itinerary(organisation=organisation, title=(title or "").strip(), **fields)
        itinerary.full_clean()
        itinerary.save()
        log_action(actor=by, action="recup_itinerary.create", obj=itinerary, after=snapshot(itinerary))
    return itinerary


def itinerary_update(*, itinerary: Itinerary, by: Any, **fields: Any) -> Itinerary:
    """Change an itinerary; a published one keeps what publishing required (3 days and 2 nights,
    the nights at its bases, a programme for every day, a red route)."""
    require(by, "recuperation.manage_itinerary", itinerary)
    _unknown(fields, ITINERARY_FIELDS)
    _itinerary_checks(fields, itinerary)
    with transaction.atomic():
        model_update(instance=itinerary, fields=ITINERARY_FIELDS, data=fields, by=by, action="recup_itinerary.update")
        if itinerary.is_published:
            problem = rules.itinerary_publish_problem(itinerary)
            if problem:
                raise ValidationError(problem)
    return itinerary


def itinerary_set_stays(*, itinerary: Itinerary, stays: Sequence[tuple[Base, int]], by: Any) -> Itinerary:
    """Replace the bases the itinerary stays at: (base, nights) in order. Each base must be
    usable by all four federations: a sanatorium or a base some federation recognises."""
    require(by, "recuperation.manage_itinerary", itinerary)
    stays = [(b, int(n)) for b, n in stays]
    if any(n < 1 for _b, n in stays):
        raise ValidationError(_("Each stay is at least one night"))
    if len({b.pk for b, _n in stays}) != len(stays):
        raise ValidationError(_("A base appears twice in the itinerary"))
    usable = set(Base.objects.filter(rules.usable_base_q()).values_list("pk", flat=True))
    unusable = [b.name for b, _n in stays if b.pk not in usable]
    if unusable:
        from deltaunion.core.excel import list_join

        raise ValidationError(
            _("These bases are not workers' sanatoriums and no federation recognises them now: %(names)s")
            % {"names": list_join(unusable)}
        )
    wrong = [b.name for b, _n in stays if b.province_id != itinerary.province_id]
    if wrong:
        from deltaunion.core.excel import list_join

        raise ValidationError(
            _("These bases are not in the destination province: %(names)s") % {"names": list_join(wrong)}
        )
    with transaction.atomic():
        locked = Itinerary.objects.select_for_update().get(pk=itinerary.pk)
        before = [f"{s.base.name} × {s.nights}" for s in locked.stays.select_related("base")]
        locked.stays.all().delete()
        Stay.objects.bulk_create(
            [Stay(itinerary=locked, base=b, nights=n, position=i) for i, (b, n) in enumerate(stays, start=1)]
        )
        after = [f"{b.name} × {n}" for b, n in stays]
        if locked.is_published:
            problem = rules.itinerary_publish_problem(locked)
            if problem:
                raise ValidationError(problem)
        if before != after:
            log_action(
                actor=by, action="recup_itinerary.stays", obj=locked, before={"stays": before}, after={"stays": after}
            )
    return itinerary


def itinerary_set_status(*, itinerary: Itinerary, status: str, by: Any, note: str = "") -> Itinerary:
    changes = {"published_at": timezone.now()} if status == Itinerary.Status.PUBLISHED else None
    return Itinerary.workflow.fire(itinerary, to=status, by=by, note=note, changes=changes)


def itinerary_publish(*, itinerary: Itinerary, by: Any) -> Itinerary:
    return Itinerary.workflow.fire(itinerary, "publish", by=by, changes={"published_at": timezone.now()})


# --- targets ---------------------------------------------------------------------------------------------


def target_set(
    *, federation: Organisation, year: int, workers: int, by: Any, trips_per_worker: int = 1, source: str = ""
) -> Target:
    """A federation's outbound target of a year: workers to send to the other three provinces,
    and how many trips one worker may take that year."""
    require(by, "recuperation.set_target", federation)
    with transaction.atomic():
        target = Target.objects.select_for_update().filter(federation=federation, year=year).first()
        data = {"workers": workers, "trips_per_worker": trips_per_worker, "source": (source or "").strip()}
        if target is not None:
            model_update(instance=target, fields=list(data), data=data, by=by, action="recup_target.update")
            return target
        target = Target(federation=federation, year=year, **data)
        target.full_clean()
        target.save()
        log_action(actor=by, action="recup_target.create", obj=target, after=snapshot(target))
    return target


# --- batches --------------------------------------------------------------------------------------------


def _batch_checks(*, itinerary: Itinerary, data: dict[str, Any], senders: Sequence[Organisation] | None) -> None:
    places = data.get("places")
    reserves = {g: int(data.get(f"reserve_{g}") or 0) for g in GROUP_ORDER}
    if places is not None:
        problem = rules.reserves_problem(reserves, int(places))
        if problem:
            raise ValidationError(problem)
    start, close = data.get("start_date"), data.get("applications_close_at")
    if start is not None and close is not None and timezone.localtime(close).date() >= start:
        raise ValidationError(_("Applications close before the day of departure"))
    if senders is not None:
        if not senders:
            raise ValidationError(_("Choose the sending federations"))
        for s in senders:
            if s.kind != Organisation.Kind.PROVINCIAL:
                raise ValidationError(_("The sending federations are provincial federations"))
            if s.region_id == itinerary.province_id:
                raise ValidationError(
                    _("%(org)s sends its workers to the other three provinces, not to its own") % {"org": s.name}
                )


def _reserve_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """`reserves` ({group: places}) as the batch's reserve fields (every group, 0 when absent)."""
    fields = dict(fields)
    if "reserves" not in fields:
        return fields
    reserves = fields.pop("reserves") or {}
    for group, n in reserves.items():
        if group not in GROUP_ORDER:
            raise ValidationError(_("Places can be reserved only for the priority groups"))
        try:
            n = int(n or 0)
        except (TypeError, ValueError):
            n = -1
        if n < 0:
            raise ValidationError(_("Reserved places are whole numbers, zero or more"))
        fields[f"reserve_{group}"] = n
    for group in GROUP_ORDER:
        fields.setdefault(f"reserve_{group}", 0)
    return fields


def batch_create(*, itinerary: Itinerary, senders: Sequence[Organisation], by: Any, **fields: Any) -> Batch:
    """A batch of an itinerary on given dates (a draft until opened)."""
    require(by, "recuperation.add_batch", itinerary)
    fields = _reserve_fields(fields)
    _unknown(fields, BATCH_FIELDS)
    _batch_checks(itinerary=itinerary, data=fields, senders=list(senders))
    start = fields.get("start_date")
    with transaction.atomic():
        batch = Batch(
            itinerary=itinerary,
            organisation=itinerary.organisation,
            end_date=start + dt.timedelta(days=itinerary.days - 1) if start else None,
            **fields,
        )
        batch.full_clean()
        batch.save()
        batch.senders.set(senders)
        log_action(
            actor=by,
            action="recup_batch.create",
            obj=batch,
            after={**snapshot(batch, [f for f in BATCH_FIELDS]), "senders": [s.pk for s in senders]},
        )
    return batch


def batch_update(*, batch: Batch, by: Any, senders: Sequence[Organisation] | None = None, **fields: Any) -> Batch:
    """Change a draft batch (once open, only its contact changes: the applicants rely on the rest)."""
    require(by, "recuperation.manage_batch", batch)
    fields = _reserve_fields(fields)
    _unknown(fields, BATCH_FIELDS)
    if batch.status != BatchStatus.DRAFT and (senders is not None or set(fields) - {"contact"}):
        raise ValidationError(_("Once a batch is open, only its contact may change"))
    merged = {k: fields.get(k, getattr(batch, k)) for k in BATCH_FIELDS}
    _batch_checks(itinerary=batch.itinerary, data=merged, senders=list(senders) if senders is not None else None)
    if "start_date" in fields:
        fields["end_date"] = fields["start_date"] + dt.timedelta(days=batch.itinerary.days - 1)
    with transaction.atomic():
        data = dict(fields)
        if senders is not None:
            data["senders"] = list(senders)
        model_update(
            instance=batch, fields=[*BATCH_FIELDS, "end_date", "senders"], data=data, by=by, action="recup_batch.update"
        )
    return batch


def _lock_batch(pk: int) -> Batch:
    """Lock the batch row (the one lock every allocation takes first). Inside a transaction."""
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        # FOR UPDATE OF the batch alone: its itinerary and organisation are read, not locked.
        return Batch.objects.select_for_update(of=("self",)).select_related("itinerary", "organisation").get(pk=pk)
    except OperationalError:
        raise ValidationError(_(BUSY)) from None


def _recount(batch: Batch) -> int:
    taken = Application.objects.filter(batch_id=batch.pk, status__in=HOLDING).count()
    Batch.objects.filter(pk=batch.pk).update(taken=taken)
    batch.taken = taken
    return taken


def batch_open(*, batch: Batch, by: Any, now: dt.datetime | None = None, seed: str | None = None) -> Batch:
    """Open for applications and commit the draw seed: the seed is generated now and kept secret;
    its SHA-256 is shown on the batch page until the draw reveals the seed. (Only code passes a
    `seed` — the tests and the demo, for results they can predict; the pages never do.)"""
    now = now or timezone.now()
    seed = seed or draw.new_seed()
    with transaction.atomic():
        batch._clock = now
        Batch.workflow.fire(batch, "open", by=by, changes={"seed_hash": draw.seed_hash(seed), "seed_committed_at": now})
        Batch.objects.filter(pk=batch.pk).update(seed=seed)  # the secret itself is not in the audit log
        batch.seed = seed
    return batch


def batch_close(*, batch: Batch, by: Any, now: dt.datetime | None = None, system: bool = False) -> Batch:
    """Close applications once their closing time has passed: applications still waiting for
    their union's approval lapse; the approved ones are the draw's list, each with the priority
    groups its worker's record shows now, fixed with a fingerprint. From here no application
    changes."""
    now = now or timezone.now()
    if not system:
        require(by, "recuperation.manage_batch", batch)
    if now < batch.applications_close_at:
        raise ValidationError(
            _("Applications close at %(when)s: the batch can be closed after that")
            % {"when": timezone.localtime(batch.applications_close_at).strftime("%Y-%m-%d %H:%M")}
        )
    with transaction.atomic():
        locked = _lock_batch(batch.pk)
        Batch.workflow.check(locked.status, Batch.workflow.get("close"))
        pending = list(Application.objects.filter(batch=locked, status=A.PENDING).select_related(*_APP_RELATED))
        reason = _("Not approved by the union before applications closed")
        fire_bulk(pending, "lapse", by=None, now=now, changes=lambda a: {"reason": reason})
        approved = list(Application.objects.filter(batch=locked, status=A.APPROVED).select_related("worker", "sender"))
        titles: dict[int, list[Title]] = {}
        for t in Title.objects.filter(worker_id__in=[a.worker_id for a in approved]).order_by("-year", "id"):
            titles.setdefault(t.worker_id, []).append(t)
        for app in approved:
            found = rules.priority_groups(app.worker, titles.get(app.worker_id, []))
            app.groups = [g.group for g in found]
            app.primary_group = found[0].group if found else ""
            app.evidence = [g.evidence for g in found]
            app.public_name = mask_name(app.worker.name)
            app.in_draw = True
        _update_many(approved, ["groups", "primary_group", "evidence", "public_name", "in_draw"])
        digest = draw.entries_digest([published_entry(a) for a in approved])
        Batch.workflow.fire(locked, "close", by=by, system=system, changes={"closed_at": now, "inputs_digest": digest})
        for app in pending:
            notify(
                app.worker.user,
                kind="recuperation.application_lapsed",
                title=_("Your application was not approved in time"),
                body=_("%(batch)s: your union did not approve the application before applications closed.")
                % {"batch": locked},
                url=_app_url(app),
            )
    batch.refresh_from_db()
    return batch


_APP_RELATED = ("worker__user", "union", "batch__itinerary", "sender")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def fire_bulk(
    apps: list[Application],
    name: str,
    *,
    by: Any,
    now: dt.datetime,
    changes: Callable[[Application], dict[str, Any]] | None = None,
    note: str = "",
) -> None:
    """Fire one transition of the applications' declared state machine on many applications at
    once (the draw, completion): each must be in a state the transition leaves (TransitionError
    otherwise, nothing changed), then one bulk update and one audit entry each, labelled with
    the transition. The caller holds the batch lock."""
    if not apps:
        return
    machine = Application.workflow
    t = machine.get(name)
    for app in apps:
        machine.check(app.status, t)
    extras = [changes(app) if changes else {} for app in apps]
    columns = list(dict.fromkeys(k for extra in extras for k in extra))
    attnames = [Application._meta.get_field(c).attname for c in columns]
    steps = []
    for app, extra in zip(apps, extras, strict=True):
        before = app.status
        for key, value in extra.items():
            setattr(app, key, value)
        app.status = t.target
        app.updated_at = now
        values = [getattr(app, n) for n in attnames]
        steps.append((app.pk, before, str(app), object_org_path(app), values, extra))
    _record_steps(t, steps, columns=columns, by=by, now=now, note=note)


AUDIT_COLUMNS = (
    "actor",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "org_path",
    "before",
    "after",
    "note",
    "created_at",
)

# (id, state before, the application's name for the log, its organisation path, the values of
# the columns written, the changes its audit entry lists)
Step = tuple[int, str, str, str, list[Any], dict[str, Any]]


def _record_steps(t: Any, steps: list[Step], *, columns: list[str], by: Any, now: dt.datetime, note: str = "") -> None:
    """Write transition `t` of many applications set-wise (see `_record_transitions`)."""
    _record_transitions([(t, steps, columns)], by=by, now=now, note=note)


def _record_transitions(
    parts: list[tuple[Any, list[Step], list[str]]], *, by: Any, now: dt.datetime, note: str = ""
) -> None:
    """Write transitions of many applications set-wise — for each (transition `t`, its steps,
    `columns`): the state, `updated_at` and `columns` of each application, and one audit entry
    each — the rows `AuditEntry.objects.bulk_create` writes (the same values; the JSON of
    `before` and `after` as `JSONField` stores a dict), without building a model instance per
    row. The caller has checked the transitions and holds the batch lock; an application is in
    at most one part.

    SQLite: per transition one prepared UPDATE and one prepared INSERT, each run for every row
    (`executemany`). PostgreSQL: one statement for all of them — an UPDATE … FROM
    json_to_recordset per transition (as data-modifying CTEs) and one INSERT … SELECT FROM
    jsonb_to_recordset of every audit entry — with the rows as JSON parameters, whatever their
    number (`executemany` there would plan the statement again for every row)."""
    parts = [part for part in parts if part[1]]
    if not parts:
        return
    conn = transaction.get_connection()
    opts = Application._meta
    audit = {
        "actor": by.pk if getattr(by, "is_authenticated", False) else None,
        "object_type": opts.label_lower,
        "note": (note or "")[:500],
        "created_at": AuditEntry._meta.get_field("created_at").get_db_prep_save(timezone.now(), conn),
    }
    written = []
    for t, steps, columns in parts:
        fields = [opts.get_field(n) for n in ("status", "updated_at", *columns)]
        preps = [_prepper(f, conn) for f in fields[2:]]
        head = [t.target, fields[1].get_db_prep_save(now, conn)]
        values = [[*head, *(p(v) for p, v in zip(preps, step[4], strict=True))] for step in steps]
        after = [{"status": t.target, **{k: _plain(v) for k, v in step[5].items()}} for step in steps]
        written.append((Application.workflow.action_code(t), fields, values, steps, after))
    if conn.vendor == "postgresql":
        _record_transitions_postgresql(conn, written, audit)
    else:
        for action, fields, values, steps, after in written:
            _record_steps_sqlite(conn, fields, values, steps, {**audit, "action": action}, after)


def _record_steps_sqlite(
    conn: Any, fields: list[Any], values: list[list[Any]], steps: list[Step], audit: dict, after: list[dict]
) -> None:
    ops, opts, meta = conn.ops, Application._meta, AuditEntry._meta
    befores: dict[str, str] = {}
    rows = []
    for step, data in zip(steps, after, strict=True):
        before = befores.get(step[1]) or befores.setdefault(step[1], json.dumps({"status": step[1]}))
        per_row = {
            "object_id": str(step[0]),
            "object_repr": step[2][:255],
            "org_path": step[3] or "",
            "before": before,
            "after": json.dumps(data),
        }
        rows.append([audit[n] if n in audit else per_row[n] for n in AUDIT_COLUMNS])
    assign = ", ".join(f"{ops.quote_name(f.column)} = %s" for f in fields)
    table, pk = ops.quote_name(opts.db_table), ops.quote_name(opts.pk.column)
    with conn.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assign} WHERE {pk} = %s",
            [[*row, step[0]] for row, step in zip(values, steps, strict=True)],
        )
        cursor.executemany(
            "INSERT INTO {} ({}) VALUES ({})".format(
                ops.quote_name(meta.db_table),
                ", ".join(ops.quote_name(meta.get_field(n).column) for n in AUDIT_COLUMNS),
                ", ".join(["%s"] * len(AUDIT_COLUMNS)),
            ),
            rows,
        )


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not written through a JSON record")


def _update_postgresql(
    conn: Any, fields: list[Any], values: list[list[Any]], steps: list[Step]
) -> tuple[str, list[Any]]:
    """One transition's UPDATE of the applications (SQL and parameters, for a CTE)."""
    ops, opts = conn.ops, Application._meta
    table, pk = ops.quote_name(opts.db_table), ops.quote_name(opts.pk.column)
    # A value every row shares is one parameter; the others come from the JSON records.
    shared, varying = [], []
    for i, f in enumerate(fields):
        first = values[0][i]
        if all(type(row[i]) is type(first) and row[i] == first for row in values):
            shared.append((f, first))
        else:
            varying.append((i, f))
    assign = [f"{ops.quote_name(f.column)} = %s" for f, _v in shared]
    assign += [f"{ops.quote_name(f.column)} = v.c{i}" for i, f in varying]
    if not varying:
        return (
            f"UPDATE {table} SET {', '.join(assign)} WHERE {pk} = ANY(%s::bigint[])",
            [*(v for _f, v in shared), [step[0] for step in steps]],
        )
    # Text arrives as text: assigning it checks the column's length (a cast would cut it).
    kinds = ", ".join(
        f"c{i} {'text' if f.get_internal_type() in {'CharField', 'TextField'} else f.db_type(conn)}" for i, f in varying
    )
    records = [
        {"id": step[0], **{f"c{i}": row[i] for i, _f in varying}} for step, row in zip(steps, values, strict=True)
    ]
    return (
        f"UPDATE {table} SET {', '.join(assign)} FROM json_to_recordset(%s::json) AS v(id bigint, {kinds}) "
        f"WHERE {table}.{pk} = v.id",
        [*(v for _f, v in shared), json.dumps(records, default=_json_value)],
    )


def _record_transitions_postgresql(conn: Any, written: list[tuple], audit: dict) -> None:
    ops, meta = conn.ops, AuditEntry._meta
    ctes, params, entries = [], [], []
    for k, (action, fields, values, steps, after) in enumerate(written):
        sql, args = _update_postgresql(conn, fields, values, steps)
        ctes.append(f"u{k} AS ({sql})")
        params += args
        entries += [
            {"x": action, "id": step[0], "r": step[2][:255], "o": step[3] or "", "b": {"status": step[1]}, "a": data}
            for step, data in zip(steps, after, strict=True)
        ]
    select = {
        "actor": "%s::integer",
        "action": "v.x",
        "object_type": "%s::text",
        "object_id": "v.id::text",
        "object_repr": "v.r",
        "org_path": "v.o",
        "before": "v.b",
        "after": "v.a",
        "note": "%s::text",
        "created_at": "%s::timestamptz",
    }
    with conn.cursor() as cursor:
        cursor.execute(
            "WITH {} INSERT INTO {} ({}) SELECT {} FROM jsonb_to_recordset(%s::jsonb) "
            "AS v(x text, id bigint, r text, o text, b jsonb, a jsonb)".format(
                ", ".join(ctes),
                ops.quote_name(meta.db_table),
                ", ".join(ops.quote_name(meta.get_field(n).column) for n in AUDIT_COLUMNS),
                ", ".join(select[n] for n in AUDIT_COLUMNS),
            ),
            [
                *params,
                audit["actor"],
                audit["object_type"],
                audit["note"],
                audit["created_at"],
                json.dumps(entries, ensure_ascii=False),
            ],
        )


def _prepper(field: Any, conn: Any) -> Callable[[Any], Any]:
    """The field's conversion to a query parameter, skipped where it changes nothing (a string
    for a text field, a whole number for an integer field, None) and done once for a value
    repeated from the row before (the same time on every row)."""
    kind = field.get_internal_type()
    plain = (
        str
        if kind == "CharField"
        else int
        if kind in {"PositiveIntegerField", "IntegerField", "PositiveSmallIntegerField"}
        else None
    )
    last: list[Any] = [object(), None]

    def prep(value: Any) -> Any:
        if value is None or (plain is not None and type(value) is plain):
            return value
        if value is last[0]:
            return last[1]
        last[0], last[1] = value, field.get_db_prep_save(value, conn)
        return last[1]

    return prep


def _update_many(apps: list[Application], names: list[str]) -> None:
    """One parameterised UPDATE per application sent as one batch (`executemany`): the same
    rows `bulk_update` writes, without its CASE expression that grows with every row (a draw
    of thousands of applications stays fast on SQLite and PostgreSQL)."""
    opts = Application._meta
    fields = [opts.get_field(n) for n in names]
    table = connection.ops.quote_name(opts.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    pk = connection.ops.quote_name(opts.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"
    params = [[f.get_db_prep_save(getattr(a, f.attname), connection) for f in fields] + [a.pk] for a in apps]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _departure(batch: Batch) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(batch.start_date, dt.time.min))


def _confirm_by(batch: Batch, now: dt.datetime) -> dt.datetime:
    return min(now + dt.timedelta(days=batch.confirm_days), _departure(batch))


def _app_url(app: Application) -> str:
    return reverse("recuperation:application", args=[app.pk])


def batch_draw(*, batch: Batch, by: Any, now: dt.datetime | None = None) -> draw.Outcome:
    """Draw the places of a closed batch with its committed seed (now revealed): reserved
    places to each priority group first, the rest by lottery, everyone else on the waiting
    list in lottery order. Each application's step is audited (one entry each, as its
    transition); the messages go out after, from a background task.

    The list is read as plain values (no model per application) and written set-wise inside the
    one locked transaction: 500 batches of 100 applications draw in a few seconds
    (`benchmarks/recuperation_draw.py`)."""
    require(by, "recuperation.manage_batch", batch)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_batch(batch.pk)
        Batch.workflow.check(locked.status, Batch.workflow.get("draw"))
        rows = list(
            Application.objects.filter(batch=locked, in_draw=True)
            .order_by("id")
            .values_list("pk", "status", "public_name", "sender__region_id", "groups", "worker__name", "union__path")
        )
        if draw.entries_digest([rules.entry_of(str(r[0]), r[2], r[3], r[4]) for r in rows]) != locked.inputs_digest:
            raise ValidationError(
                _("The list of applications differs from the list fixed when applications closed: the draw is refused")
            )
        if draw.seed_hash(locked.seed) != locked.seed_hash:
            raise ValidationError(_("The seed does not match its committed fingerprint: the draw is refused"))
        outcome = draw.run(
            locked.seed, locked.places, locked.reserves or {}, [draw.Entry(str(r[0]), tuple(r[4] or ())) for r in rows]
        )
        by_ref = {str(r[0]): r for r in rows}
        machine = Application.workflow
        offer, wait = machine.get("offer"), machine.get("wait")
        for ref, _g in outcome.offered:
            machine.check(by_ref[ref][1], offer)
        for ref in outcome.waiting:
            machine.check(by_ref[ref][1], wait)
        deadline = _confirm_by(locked, now)
        label = str(locked)

        def step(ref: str, changes: dict[str, Any]) -> tuple[int, str, str, str, list[Any], dict[str, Any]]:
            pk, status, _n, _p, _g, worker_name, org_path = by_ref[ref]
            # The application's name as `str(application)` gives it (worker · batch).
            return (pk, status, f"{worker_name} · {label}", org_path, list(changes.values()), changes)

        offered = [
            step(
                ref,
                {
                    "draw_rank": i,
                    "drawn_for": group,
                    "offered_at": now,
                    "confirm_by": deadline,
                    "lottery_key": outcome.keys[ref],
                },
            )
            for i, (ref, group) in enumerate(outcome.offered, start=1)
        ]
        waiting = [
            step(ref, {"wait_position": i, "lottery_key": outcome.keys[ref]})
            for i, ref in enumerate(outcome.waiting, start=1)
        ]
        columns = ["draw_rank", "drawn_for", "offered_at", "confirm_by", "lottery_key"]
        _record_transitions(
            [(offer, offered, columns), (wait, waiting, ["wait_position", "lottery_key"])], by=by, now=now
        )
        Batch.workflow.fire(  # the row read under the lock above: not locked and read again
            locked,
            "draw",
            by=by,
            locked=True,
            changes={"drawn_at": now, "taken": len(offered)},
            note=_("%(offered)d places drawn, %(waiting)d on the waiting list")
            % {"offered": len(offered), "waiting": len(waiting)},
        )
        _enqueue_after_commit(draw_messages, locked.pk)
    for f in Batch._meta.concrete_fields:  # what refresh_from_db reads: the locked row as written
        setattr(batch, f.attname, getattr(locked, f.attname))
    return outcome


def _enqueue_after_commit(task_: Any, *args: Any) -> None:
    """Have `task_` run once the current transaction has committed. The database task backend
    keeps its queue in this same database: the task is written inside the transaction and
    commits (or rolls back) with it — one commit instead of two, and no draw committed without
    its messages queued. Any other backend is handed the task after the commit."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    conn = transaction.get_connection()
    same_database = router.db_for_write(DBTaskResult) == conn.alias
    if conn.in_atomic_block and same_database and isinstance(task_.get_backend(), DatabaseBackend):
        task_.enqueue(*args)
    else:
        transaction.on_commit(lambda: task_.enqueue(*args))


@task()
def draw_messages(batch_id: int) -> None:
    """Tell every applicant of a drawn batch their result (a background task after the draw)."""
    with transaction.atomic():
        apps = Application.objects.filter(batch_id=batch_id, status__in=[A.OFFERED, A.WAITING]).select_related(
            "worker__user", "batch__itinerary"
        )
        for app in apps:
            if app.status == A.OFFERED:
                notify(
                    app.worker.user,
                    kind="recuperation.place_offered",
                    title=_("You have a place on a recuperation trip"),
                    body=_("%(batch)s: confirm your place by %(when)s, or it passes to the waiting list.")
                    % {"batch": app.batch, "when": timezone.localtime(app.confirm_by).strftime("%Y-%m-%d %H:%M")},
                    url=_app_url(app),
                )
            else:
                notify(
                    app.worker.user,
                    kind="recuperation.waiting_list",
                    title=_("You are on the waiting list of a recuperation trip"),
                    body=_("%(batch)s: you are number %(n)d on the waiting list.")
                    % {"batch": app.batch, "n": app.wait_position},
                    url=_app_url(app),
                )


def _fill(batch: Batch, *, now: dt.datetime) -> list[Application]:
    """Pass free places to the waiting list in draw order (the caller holds the batch lock)."""
    if batch.status != BatchStatus.DRAWN or now >= _departure(batch):
        return []
    free = batch.places - Application.objects.filter(batch_id=batch.pk, status__in=HOLDING).count()
    if free <= 0:
        return []
    promoted = []
    deadline = _confirm_by(batch, now)
    for app in (
        Application.objects.filter(batch_id=batch.pk, status=A.WAITING)
        .select_related(*_APP_RELATED)
        .order_by("wait_position", "id")[:free]
    ):
        Application.workflow.fire(
            app, "promote", by=None, system=True, changes={"offered_at": now, "confirm_by": deadline}
        )
        notify(
            app.worker.user,
            kind="recuperation.place_offered",
            title=_("A place has come free for you"),
            body=_("%(batch)s: a place passed to you from the waiting list. Confirm it by %(when)s.")
            % {"batch": batch, "when": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")},
            url=_app_url(app),
        )
        promoted.append(app)
    return promoted


def batch_fill(*, batch: Batch, by: Any, now: dt.datetime | None = None) -> int:
    """Offer every free place of a drawn batch to the waiting list, in draw order."""
    require(by, "recuperation.manage_batch", batch)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_batch(batch.pk)
        promoted = _fill(locked, now=now)
        _recount(locked)
    return len(promoted)


def application_submit(
    *, batch: Batch, by: Any, worker: Worker | None = None, now: dt.datetime | None = None
) -> Application:
    """A worker applies for a batch and their union approves; or the union's officers enter one
    of their workers (a worker without a login), approved in the same step. Every reason the
    worker may not apply is a message (not a member, already travelled this year, not a sending
    federation's worker, closed, a priority-only batch they do not qualify for)."""
    own = worker_of(by)
    if worker is None or (own is not None and worker.pk == own.pk):
        require(by, "recuperation.apply", batch)
        worker, entered = own, False
    else:
        require(by, "recuperation.apply_for", worker)
        entered = True
    now_ = now or timezone.now()
    with transaction.atomic():
        locked = _lock_batch(batch.pk)
        problems = rules.apply_problems(worker, locked, now=now)
        if problems:
            raise ValidationError(problems)
        sender = rules.sender_of(worker.organisation)
        try:
            with transaction.atomic():
                app = Application.objects.create(batch=locked, worker=worker, union=worker.organisation, sender=sender)
        except IntegrityError:
            raise ValidationError(_("%(name)s has already applied for this batch") % {"name": worker.name}) from None
        log_action(actor=by, action="recup_application.create", obj=app, after={"status": app.status})
        if entered:
            app.batch = locked
            Application.workflow.fire(
                app, "approve", by=by, changes={"decided_by": by, "decided_at": now_, "reason": ""}
            )
    return app


def _open_batch(application: Application) -> Batch:
    locked = _lock_batch(application.batch_id)
    if locked.status != BatchStatus.OPEN:
        raise ValidationError(_(FROZEN))
    return locked


def application_decide(
    *, application: Application, approve: bool, by: Any, reason: str = "", now: dt.datetime | None = None
) -> Application:
    """The worker's union approves (the application enters the draw) or refuses with a reason."""
    require(by, "recuperation.decide_application", application)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError(_("Give the reason the application is not approved"))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _open_batch(application)
        Application.workflow.fire(
            application,
            "approve" if approve else "reject",
            by=by,
            note=reason,
            changes={"decided_by": by, "decided_at": now, "reason": reason[:300]},
        )
        notify(
            application.worker.user,
            kind="recuperation.application_decided",
            title=_("Your union approved your application") if approve else _("Your application was not approved"),
            body=(
                _("%(batch)s: you are in the draw.") % {"batch": locked}
                if approve
                else _("%(batch)s: %(reason)s") % {"batch": locked, "reason": reason}
            ),
            url=_app_url(application),
        )
    return application


def application_withdraw(*, application: Application, by: Any, reason: str = "") -> Application:
    """Withdraw an application while the batch is open for applications."""
    require(by, "recuperation.respond", application)
    with transaction.atomic():
        _open_batch(application)
        Application.workflow.fire(application, "withdraw", by=by, note=reason, changes={"reason": (reason or "")[:300]})
    return application


def _drawn_batch(application: Application) -> Batch:
    locked = _lock_batch(application.batch_id)
    if locked.status != BatchStatus.DRAWN:
        raise ValidationError(_("Places can be confirmed or cancelled only after the draw and before the trip"))
    return locked


def application_confirm(*, application: Application, by: Any, now: dt.datetime | None = None) -> Application:
    """Confirm a drawn place before its deadline (one trip a year is checked again)."""
    require(by, "recuperation.respond", application)
    now = now or timezone.now()
    with transaction.atomic():
        _drawn_batch(application)
        current = Application.objects.select_related("worker", "sender", "batch").get(pk=application.pk)
        if current.status == A.OFFERED and current.confirm_by and now > current.confirm_by:
            raise ValidationError(_("The time to confirm this place has passed"))
        if current.status == A.OFFERED:
            problem = rules.confirm_problem(current)
            if problem:
                raise ValidationError(problem)
        Application.workflow.fire(application, "confirm", by=by, changes={"confirmed_at": now})
    return application


def application_cancel(
    *, application: Application, by: Any, reason: str = "", now: dt.datetime | None = None
) -> Application:
    """Give up a drawn or confirmed place: it passes to the first on the waiting list."""
    require(by, "recuperation.respond", application)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _drawn_batch(application)
        Application.workflow.fire(application, "cancel", by=by, note=reason, changes={"reason": (reason or "")[:300]})
        _fill(locked, now=now)
        _recount(locked)
    return application


def offers_expire(*, now: dt.datetime | None = None, batch: Batch | None = None, by: Any = None) -> int:
    """Release the places not confirmed in time and pass them to the waiting lists. Batches are
    locked one at a time, in id order. Run by `manage.py recuperation_tick`, or by an officer
    for one batch."""
    now = now or timezone.now()
    if batch is not None and by is not None:
        require(by, "recuperation.manage_batch", batch)
    due = Application.objects.filter(status=A.OFFERED, confirm_by__lt=now, batch__status=BatchStatus.DRAWN)
    if batch is not None:
        due = due.filter(batch=batch)
    expired = 0
    for batch_id in sorted(set(due.values_list("batch_id", flat=True))):
        with transaction.atomic():
            locked = _lock_batch(batch_id)
            if locked.status != BatchStatus.DRAWN:
                continue
            for app in Application.objects.filter(batch=locked, status=A.OFFERED, confirm_by__lt=now).select_related(
                *_APP_RELATED
            ):
                Application.workflow.fire(app, "expire", by=by, system=True)
                notify(
                    app.worker.user,
                    kind="recuperation.place_expired",
                    title=_("Your place was released"),
                    body=_("%(batch)s: the place was not confirmed in time and passed to the waiting list.")
                    % {"batch": locked},
                    url=_app_url(app),
                )
                expired += 1
            _fill(locked, now=now)
            _recount(locked)
    return expired


def batch_complete(*, batch: Batch, by: Any, now: dt.datetime | None = None, system: bool = False) -> Batch:
    """Record the trip as travelled once it has returned: confirmed places become trips, the
    waiting list closes, unconfirmed offers lapse."""
    now = now or timezone.now()
    if not system:
        require(by, "recuperation.manage_batch", batch)
    if timezone.localtime(now).date() < batch.end_date:
        raise ValidationError(_("A trip is recorded as travelled on or after its day of return"))
    with transaction.atomic():
        locked = _lock_batch(batch.pk)
        Batch.workflow.check(locked.status, Batch.workflow.get("complete"))
        apps = list(Application.objects.filter(batch=locked).select_related(*_APP_RELATED))
        travelled = [a for a in apps if a.status == A.CONFIRMED]
        fire_bulk(travelled, "travel", by=by, now=now)
        fire_bulk([a for a in apps if a.status == A.WAITING], "not_drawn", by=by, now=now)
        fire_bulk([a for a in apps if a.status == A.OFFERED], "expire", by=by, now=now)
        taken = _recount(locked)
        Batch.workflow.fire(locked, "complete", by=by, system=system, changes={"completed_at": now, "taken": taken})
        for app in travelled:
            notify(
                app.worker.user,
                kind="recuperation.trip_travelled",
                title=_("How was your recuperation trip?"),
                body=_("%(batch)s: rate the trip and write a review for the workers who go next.") % {"batch": locked},
                url=_app_url(app),
            )
    batch.refresh_from_db()
    return batch


def batch_cancel(*, batch: Batch, by: Any, reason: str) -> Batch:
    """Cancel a batch: every application still in it is cancelled and its worker told."""
    require(by, "recuperation.manage_batch", batch)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason the batch is cancelled"))
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_batch(batch.pk)
        Batch.workflow.check(locked.status, Batch.workflow.get("cancel"))
        active = list(
            Application.objects.filter(
                batch=locked, status__in=[A.PENDING, A.APPROVED, A.OFFERED, A.WAITING, A.CONFIRMED]
            ).select_related(*_APP_RELATED)
        )
        fire_bulk(active, "void", by=by, now=now, changes=lambda a: {"reason": reason[:300]}, note=reason)
        _recount(locked)
        Batch.workflow.fire(locked, "cancel", by=by, note=reason, changes={"taken": 0})
        for app in active:
            notify(
                app.worker.user,
                kind="recuperation.batch_cancelled",
                title=_("A recuperation trip was cancelled"),
                body=_("%(batch)s: %(reason)s") % {"batch": locked, "reason": reason},
                url=_app_url(app),
            )
    batch.refresh_from_db()
    return batch


def tick(*, now: dt.datetime | None = None) -> dict[str, int]:
    """What runs on a schedule (`manage.py recuperation_tick`): close the batches whose closing
    time has passed, release unconfirmed places, record returned trips as travelled."""
    now = now or timezone.now()
    closed = 0
    for batch in Batch.objects.filter(status=BatchStatus.OPEN, applications_close_at__lte=now).order_by("id"):
        batch_close(batch=batch, by=None, now=now, system=True)
        closed += 1
    expired = offers_expire(now=now)
    completed = 0
    for batch in Batch.objects.filter(status=BatchStatus.DRAWN, end_date__lt=timezone.localtime(now).date()).order_by(
        "id"
    ):
        batch_complete(batch=batch, by=None, now=now, system=True)
        completed += 1
    return {"closed": closed, "expired": expired, "completed": completed}


# --- reviews -----------------------------------------------------------------------------------------------


def trip_rate(*, application: Application, by: Any, rating: int, title: str = "", body: str = "") -> Application:
    """The worker rates a trip they travelled (1–5) and may write a review: a community post
    about the itinerary, moderated by their union's officers like every post."""
    require(by, "recuperation.rate_trip", application)
    if application.status != A.TRAVELLED:
        raise ValidationError(_("A trip is rated after it has been travelled"))
    if application.rating is not None:
        raise ValidationError(_("You have already rated this trip"))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError(_("Give the trip one to five stars"))
    title, body = (title or "").strip(), (body or "").strip()
    with transaction.atomic():
        post = None
        if body:
            from deltaunion.community import services as community

            post = community.post_create(
                by=by,
                kind="review",
                title=title or str(application.batch.itinerary),
                body=body,
                subject=application.batch.itinerary,
            )
        model_update(
            instance=application,
            fields=["rating", "review"],
            data={"rating": rating, "review": post},
            by=by,
            action="recup_application.rate",
        )
    return application


# --- recorded group trips ----------------------------------------------------------------------------------

GROUP_TRIP_FIELDS = [
    "destination",
    "itinerary",
    "base",
    "start_date",
    "days",
    "nights",
    "workers",
    "model_workers",
    "craftsmen",
    "skilled",
    "gig",
    "satisfaction",
    "note",
]


def group_trip_record(*, sender: Organisation, by: Any, **fields: Any) -> GroupTrip:
    """Record a group trip the federation organised outside the draw, by its figures: it
    counts in the exchange matrix."""
    require(by, "recuperation.record_trip", sender)
    _unknown(fields, GROUP_TRIP_FIELDS)
    destination = fields.get("destination")
    if destination is None or destination.code not in FOUR_PROVINCES:
        raise ValidationError(_("The destination is one of Shanghai, Jiangsu, Zhejiang and Anhui"))
    if sender.region_id == destination.code:
        raise ValidationError(_("An exchange trip goes to another province"))
    workers = int(fields.get("workers") or 0)
    groups = sum(int(fields.get(k) or 0) for k in ("model_workers", "craftsmen", "skilled", "gig"))
    if groups > workers:
        raise ValidationError(_("The workers of the priority groups are more than the workers of the trip"))
    satisfaction = fields.get("satisfaction")
    if satisfaction not in (None, ""):
        try:
            fields["satisfaction"] = Decimal(str(satisfaction))
        except InvalidOperation:
            raise ValidationError(_("The average rating is a number from 1 to 5")) from None
    else:
        fields["satisfaction"] = None
    with transaction.atomic():
        trip = GroupTrip(sender=sender, **fields)
        trip.full_clean()
        trip.save()
        log_action(actor=by, action="recup_group_trip.create", obj=trip, after=snapshot(trip))
    return trip

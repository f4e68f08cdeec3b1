"""The recuperation API: the four-province exchange matrix the joint meeting reports (for the
unions' officers), the published itineraries (public) and the published record of a batch's
draw (public once the batch is open), from which anyone can re-run the draw.

Bad parameters are refused (422 for a value of the wrong shape or out of range), never a 500.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from deltaunion.core.api import Id, Limit, Offset, SearchText, Year
from deltaunion.core.api_auth import logged_in
from deltaunion.core.permissions import require
from deltaunion.recuperation import selectors
from deltaunion.recuperation.models import Theme

router = Router(tags=["recuperation"])

ThemeCode = Literal[tuple(Theme.values)]  # type: ignore[valid-type]


class CellOut(Schema):
    sender_id: int = Field(description="the sending provincial federation")
    sender: str
    sender_province: str = Field(description="GB/T 2260 code of the sender's province")
    destination: str = Field(description="GB/T 2260 code of the destination province")
    destination_name: str
    workers: int = Field(description="workers who travelled there in the year")
    trips: int = Field(description="trips (batches drawn here and recorded group trips)")
    target: int | None = Field(description="the sender's yearly target (workers to the other three provinces)")
    own_province: bool = Field(description="the sender's own province: not counted against the target")


class SenderOut(Schema):
    sender_id: int
    sender: str
    sender_province: str
    target: int | None
    sent_to_other_provinces: int
    trips_to_other_provinces: int
    share_of_target: float | None = Field(description="percent of the target reached")
    by_month: list[int] = Field(description="workers sent to the other provinces, January to December")
    by_priority_group: dict[str, int] = Field(description="model_worker, craftsman, skilled, gig, and '' (others)")


class MatrixOut(Schema):
    year: int
    cells: list[CellOut]
    senders: list[SenderOut]


@router.get(
    "/matrix",
    response=MatrixOut,
    auth=logged_in,
    summary="The four-province exchange matrix of a year (officers)",
)
def matrix(request: Any, year: Year = None) -> dict[str, Any]:
    require(request.user, "recuperation.view_matrix")
    year = year or timezone.localdate().year
    m = selectors.exchange_matrix(year)
    cells, senders = [], []
    for r in m.rows:
        for p, c in zip(m.provinces, r.cells, strict=True):
            cells.append(
                {
                    "sender_id": r.federation.pk,
                    "sender": r.federation.name,
                    "sender_province": r.federation.region_id or "",
                    "destination": p.code,
                    "destination_name": p.name,
                    "workers": c.workers,
                    "trips": c.trips,
                    "target": r.target,
                    "own_province": c.own,
                }
            )
        senders.append(
            {
                "sender_id": r.federation.pk,
                "sender": r.federation.name,
                "sender_province": r.federation.region_id or "",
                "target": r.target,
                "sent_to_other_provinces": r.sent,
                "trips_to_other_provinces": r.trips,
                "share_of_target": r.percent,
                "by_month": r.months,
                "by_priority_group": r.groups,
            }
        )
    return {"year": year, "cells": cells, "senders": senders}


class ItineraryQuery(Schema):
    province: str = Field("", pattern=r"^(\d{6})?$", description="destination province, e.g. 330000")
    theme: ThemeCode | Literal[""] = ""
    length: Literal["", "3", "4", "5", "6"] = Field("", description="days; 6 = six or more")
    month: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="a batch departs that month, e.g. 2023-05")
    q: SearchText = ""
    offset: Offset = 0
    limit: Limit = 50


class ItineraryOut(Schema):
    id: int
    title: str
    province: str
    province_name: str
    days: int
    nights: int
    themes: list[str]
    price: Decimal
    union_pays: Decimal
    red_route: str | None
    open_batches: int
    next_departure: dt.date | None
    url: str


@router.get("/itineraries", response=list[ItineraryOut], summary="Published itineraries (public)")
def itineraries(request: Any, query: Query[ItineraryQuery]) -> list[dict[str, Any]]:
    params = {k: v for k, v in query.dict().items() if k not in {"offset", "limit"}}
    filters, _dropped = selectors.itinerary_filters(params)
    qs = selectors.published_itineraries(filters)[query.offset : query.offset + query.limit]
    return [
        {
            "id": it.pk,
            "title": it.title,
            "province": it.province_id,
            "province_name": it.province.name,
            "days": it.days,
            "nights": it.nights,
            "themes": list(it.themes or []),
            "price": it.price,
            "union_pays": it.union_pays,
            "red_route": it.red_route.title if it.red_route else None,
            "open_batches": it.open_batches,
            "next_departure": it.next_departure,
            "url": f"/recuperation/itineraries/{it.pk}/",
        }
        for it in qs
    ]


class EntryOut(Schema):
    ref: str
    name: str = Field(description="masked")
    province: str
    groups: list[str]


class OfferOut(Schema):
    ref: str
    for_: str = Field(alias="for", description="the priority group whose reserve the place came from, or ''")


class OutcomeOut(Schema):
    offered: list[OfferOut]
    waiting: list[str]


class DrawOut(Schema):
    version: int
    batch: int
    itinerary: str
    start_date: str
    places: int
    reserves: dict[str, int]
    group_order: list[str]
    seed_sha256: str
    seed_committed_at: str | None
    seed: str = Field(description="empty until the draw reveals it")
    applications_sha256: str
    applications: list[EntryOut]
    outcome: OutcomeOut | None
    rules: str
    verified: bool | None = Field(description="the draw re-run from this record gives the stored outcome")


@router.get("/batches/{batch_id}/draw", response=DrawOut, by_alias=True, summary="The published record of a draw")
def batch_draw(request: Any, batch_id: Id) -> dict[str, Any]:
    batch = selectors.batch_for_user_or_404(request.user, batch_id)
    record = selectors.draw_record(batch)
    check = selectors.verify_draw(batch)
    return {**record, "verified": check.ok if check.available else None}

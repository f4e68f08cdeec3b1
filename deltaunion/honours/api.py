"""The honours API.

Public (no login): the roll of honour (`GET /api/honours/roll`, filterable by honour and year;
only named honours of published selections), the honours it can be filtered by, certificate
verification by code, and the studio alliance's statistics. Signed in: a selection's
nominations, as its page shows them (404 for a selection the caller may not see).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema

from deltaunion.core.api import Code, Limit, Offset, OptionalId, SearchText, Year
from deltaunion.core.api_auth import logged_in
from deltaunion.core.permissions import can
from deltaunion.honours import selectors
from deltaunion.honours.models import Honour, Nomination
from deltaunion.honours.standard import Industry, StudioLevel

router = Router(tags=["honours"])

LevelCode = Literal[tuple(StudioLevel.values)]  # type: ignore[valid-type]
IndustryCode = Literal[tuple(Industry.values)]  # type: ignore[valid-type]


class RollQuery(Schema):
    honour: OptionalId = Field(None, description="the id of an honour (see /api/honours/honours)")
    year: Year = None
    q: SearchText = ""
    offset: Offset = 0
    limit: Limit = 100


class RollEntry(Schema):
    year: int
    honour_id: int
    honour: str
    name: str
    conferred_on: str = Field(description="person, team, studio or result")
    employer: str
    nominating_union: str
    conferred_by: str
    named_on: dt.date
    selection: str
    demo: bool = Field(description="synthetic demo data, not a real honour")


class RollPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[RollEntry]


@router.get("/roll", response=RollPage, summary="The roll of honour: named honours only (public)")
def honours_roll(request, query: Query[RollQuery]):
    awards = selectors.roll(selectors.RollFilters(honour=query.honour, year=query.year, q=query.q.strip()))
    count = awards.count()
    items = [
        {
            "year": a.year,
            "honour_id": a.honour_id,
            "honour": a.honour.name,
            "name": a.recipient_name,
            "conferred_on": a.recipient_kind,
            "employer": a.employer_name,
            "nominating_union": a.organisation.name,
            "conferred_by": a.issuing_body,
            "named_on": a.named_on,
            "selection": a.selection.title,
            "demo": a.selection.is_demo,
        }
        for a in awards[query.offset : query.offset + query.limit]
    ]
    return {"count": count, "offset": query.offset, "limit": query.limit, "items": items}


class HonourOut(Schema):
    id: int
    name: str
    conferred_on: str
    named: int = Field(description="how many are on the roll of honour")


@router.get("/honours", response=list[HonourOut], summary="The honours, with how many are on the roll (public)")
def honours_list(request):
    counts = {}
    for honour_id in selectors.roll().values_list("honour_id", flat=True):
        counts[honour_id] = counts.get(honour_id, 0) + 1
    return [
        {"id": h.pk, "name": h.name, "conferred_on": h.recipient_kind, "named": counts.get(h.pk, 0)}
        for h in Honour.objects.order_by("name")
    ]


class CertificateOut(Schema):
    code: str
    valid: bool
    name: str
    honour: str
    selection: str
    year: int
    named_on: dt.date
    conferred_by: str


@router.get("/certificates/{code}", response=CertificateOut, summary="Verify a certificate by its code (public)")
def honours_certificate(request, code: Code):
    info = selectors.certificate_verify(code)
    if info is None:
        raise Http404("not found")
    return {
        "code": info["code"],
        "valid": info["valid"],
        "name": info["name"],
        "honour": info["honour"],
        "selection": info["selection"],
        "year": info["year"],
        "named_on": info["named_on"],
        "conferred_by": info["issuing_body"],
    }


class StatsQuery(Schema):
    province: str = Field("", pattern=r"^(\d{6})?$", description="GB/T 2260 code of the province, e.g. 320000")
    level: LevelCode | Literal[""] = ""
    industry: IndustryCode | Literal[""] = ""


class Count(Schema):
    code: str
    name: str
    studios: int


class YearFigures(Schema):
    year: int
    studios: int
    topics: int
    projects: int
    results: int
    applied_results: int
    applied_share: Decimal | None = Field(description="results put into use, % of the results")
    patents: int
    savings_yuan: Decimal


class StatsOut(Schema):
    studios: int
    by_province: list[Count]
    by_level: list[Count]
    by_industry: list[Count]
    years: list[YearFigures]


@router.get("/studios/statistics", response=StatsOut, summary="The studio alliance's statistics (public)")
def honours_studio_statistics(request, query: Query[StatsQuery]):
    stats = selectors.alliance_stats(
        selectors.StudioFilters(province=query.province, level=query.level, industry=query.industry)
    )
    return {
        "studios": stats.studios,
        "by_province": stats.by_province,
        "by_level": stats.by_level,
        "by_industry": stats.by_industry,
        "years": stats.years,
    }


class NominationOut(Schema):
    id: int
    category: str
    nominee: str
    conferred_on: str
    nominating_union: str
    status: str
    status_label: str
    rank: int | None = Field(description="after the panel's sign-off, for the organisers")
    score: Decimal | None


class NominationQuery(Schema):
    status: Literal[tuple(Nomination.Status.values)] | Literal[""] = ""  # type: ignore[valid-type]
    offset: Offset = 0
    limit: Limit = 100


@router.get(
    "/selections/{selection_id}/nominations",
    response=list[NominationOut],
    auth=logged_in,
    summary="A selection's nominations as its page shows them (the organisers: all; a union: its own)",
)
def honours_selection_nominations(request, selection_id: int, query: Query[NominationQuery]):
    selection = selectors.selection_for_user_or_404(request.user, selection_id)
    manager = can(request.user, "honours.manage_selection", selection)
    nominations = selectors.selection_nominations(
        selection, request.user, selectors.NominationFilters(status=query.status)
    )
    return [
        {
            "id": n.pk,
            "category": str(n.category),
            "nominee": n.nominee_name,
            "conferred_on": n.kind,
            "nominating_union": n.organisation.name,
            "status": n.status,
            "status_label": str(n.get_status_display()),
            "rank": n.rank if manager else None,
            "score": n.score if manager else None,
        }
        for n in nominations[query.offset : query.offset + query.limit]
    ]

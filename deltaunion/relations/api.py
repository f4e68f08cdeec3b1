"""The labour-relations API for the four federations' systems (sign in or send an API token).

- `GET /api/relations/report?year=2023&by=province`: the situation report's figures (counts and
  sums only, never personal data), for the officers of any union.
- `GET /api/relations/signals/shared?year=2023`: the early-warning signals shared with the
  caller's federation, each named worker as a match key (HMAC-SHA-256 of the normalised ID
  number under the deployment's key), never a name, an ID number or a phone.

Bad parameters are 422 (wrong shape) or 400, never a 500; a caller who is not an officer of a
union gets 403 with the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema

from deltaunion.core.api import Year
from deltaunion.core.api_auth import logged_in
from deltaunion.core.permissions import require
from deltaunion.relations import report as rep
from deltaunion.relations import selectors

router = Router(tags=["relations"])

Dimension = Literal["province", "city", "industry", "ownership", "month"]


class ReportQuery(Schema):
    year: Year = Field(None, description="the year (default: this year)")
    by: Dimension = Field("province", description="province, city, industry, ownership or month")


class Metric(Schema):
    key: str
    label: str


class Row(Schema):
    key: str = Field(description="province or city division code, industry or ownership code, or month number")
    label: str
    signals: int
    workers_affected: int
    cases: int
    disputes: int
    legal_aid: int
    unpaid_wages: int
    referred: int
    owed: float = Field(description="yuan")
    recovered: float
    outstanding: float
    closed: int
    agreements: int


class Total(Schema):
    signals: int
    workers_affected: int
    cases: int
    disputes: int
    legal_aid: int
    unpaid_wages: int
    referred: int
    owed: float
    recovered: float
    outstanding: float
    closed: int
    agreements: int


class Series(Schema):
    signals: list[int]
    cases: list[int]
    owed: list[float]


class Trend(Schema):
    months: list[str]
    this: Series
    previous: Series


class OutcomeCount(Schema):
    key: str
    label: str
    count: int


class ReportOut(Schema):
    year: int
    by: str
    by_label: str
    metrics: list[Metric]
    rows: list[Row]
    total: Total
    trend: Trend
    outcomes: list[OutcomeCount]


@router.get(
    "/report",
    response=ReportOut,
    auth=logged_in,
    url_name="relations_report",
    summary="The labour-relations situation report of a year (figures only, no personal data)",
)
def report(request, query: Query[ReportQuery]):
    require(request.user, "relations.view_report")
    year = query.year or dt.date.today().year
    return rep.report(year, query.by)


class SharedQuery(Schema):
    year: Year = None


class MatchKey(Schema):
    key: str = Field(description="HMAC-SHA-256 (hex) of the normalised ID number under the deployment's key")
    home_province: str


class SharedSignal(Schema):
    id: int
    kind: str
    severity: str
    employer: str
    city: str
    industry: str
    ownership: str
    occurred_on: dt.date
    status: str
    workers_affected: int
    origins: dict[str, int]
    site_provinces: list[str]
    recorded_by: str
    match_keys: list[MatchKey]


@router.get(
    "/signals/shared",
    response=list[SharedSignal],
    auth=logged_in,
    summary="Early-warning signals shared with the caller's federation (workers as match keys only)",
)
def shared_signals(request, query: Query[SharedQuery]):
    require(request.user, "relations.use_officer_pages")
    return [selectors.shared_payload(s) for s in selectors.shared_with_me(request.user, query.year)[:500]]

"""The joint situation report (劳动关系状况会商研判): signals, cases, amounts and outcomes of a year
by province, city, industry, ownership type or month, with the monthly trend against the year
before. Counts and sums only: no name, ID number or phone ever reaches a report.

The same figures feed the page (ECharts and the tables beside them), the Excel workbook, the
printable PDF and `GET /api/relations/report`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth, Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deltaunion.orgs.models import Region
from deltaunion.people.models import Ownership
from deltaunion.relations.models import (
    Case,
    CaseKind,
    CaseParty,
    CaseStatus,
    Industry,
    Outcome,
    Referral,
    Signal,
    province_label,
)

DIMENSIONS = {
    "province": gettext_lazy("Province"),
    "city": gettext_lazy("City"),
    "industry": gettext_lazy("Industry"),
    "ownership": gettext_lazy("Ownership type"),
    "month": gettext_lazy("Month"),
}

METRICS = [
    ("signals", gettext_lazy("Early-warning signals")),
    ("workers_affected", gettext_lazy("Workers affected by signals")),
    ("cases", gettext_lazy("Cases")),
    ("disputes", gettext_lazy("Labour disputes")),
    ("legal_aid", gettext_lazy("Legal-aid requests")),
    ("unpaid_wages", gettext_lazy("Unpaid-wage cases")),
    ("referred", gettext_lazy("Cases referred between unions")),
    ("owed", gettext_lazy("Wages owed (yuan)")),
    ("recovered", gettext_lazy("Wages recovered (yuan)")),
    ("outstanding", gettext_lazy("Wages outstanding (yuan)")),
    ("closed", gettext_lazy("Cases closed")),
    ("agreements", gettext_lazy("Settled by mediation")),
]
AMOUNTS = ("owed", "recovered", "outstanding")
TREND_METRICS = ("signals", "cases", "owed")


def _key(by: str, date_field: str, prefix: str = "") -> Any:
    if by == "province":
        return Substr(f"{prefix}city_id", 1, 2)
    if by == "city":
        return F(f"{prefix}city_id")
    if by == "month":
        return ExtractMonth(f"{prefix}{date_field}")
    return F(f"{prefix}{by}")


def _label(by: str, key: Any, regions: dict[str, str]) -> str:
    if by == "province":
        return province_label(f"{key}0000")
    if by == "city":
        return regions.get(key, str(key))
    if by == "industry":
        return str(dict(Industry.choices).get(key, key))
    if by == "ownership":
        return str(dict(Ownership.choices).get(key, key))
    if by == "month" and key is not None:
        return _("Month %(m)s") % {"m": key}
    return str(key)


def _money(value: Any) -> float:
    return float(Decimal(value or 0).quantize(Decimal("0.01")))


def shown(metric: str, value: Any) -> str:
    """A figure as printed: amounts in yuan with two decimals and thousands separators."""
    if metric in AMOUNTS:
        return f"{Decimal(str(value or 0)).quantize(Decimal('0.01')):,}"
    return str(value)


def _order(by: str, keys: Sequence[Any]) -> list[Any]:
    if by == "industry":
        order = {k: i for i, k in enumerate(Industry.values)}
        return sorted(keys, key=lambda k: order.get(k, 99))
    if by == "ownership":
        order = {k: i for i, k in enumerate(Ownership.values)}
        return sorted(keys, key=lambda k: order.get(k, 99))
    return sorted(keys, key=lambda k: (k is None, k))


def rows(year: int, by: str) -> list[dict[str, Any]]:
    """One row per value of `by` that has any signal or case in the year."""
    if by not in DIMENSIONS:
        raise ValueError(by)
    table: dict[Any, dict[str, Any]] = defaultdict(lambda: {m: 0 for m, _label in METRICS})
    signals = (
        Signal.objects.filter(occurred_on__year=year)
        .annotate(k=_key(by, "occurred_on"))
        .values("k")
        .annotate(n=Count("id"), w=Sum("workers_affected"))
    )
    for r in signals:
        table[r["k"]]["signals"] = r["n"]
        table[r["k"]]["workers_affected"] = r["w"] or 0
    cases = (
        Case.objects.filter(opened_on__year=year)
        .annotate(k=_key(by, "opened_on"))
        .values("k")
        .annotate(
            n=Count("id"),
            disputes=Count("id", filter=Q(kind=CaseKind.DISPUTE)),
            legal_aid=Count("id", filter=Q(kind=CaseKind.LEGAL_AID)),
            unpaid=Count("id", filter=Q(kind=CaseKind.UNPAID_WAGES)),
            closed=Count("id", filter=Q(status__in=[CaseStatus.CLOSED, CaseStatus.FOLLOW_UP])),
            agreements=Count("id", filter=Q(status=CaseStatus.AGREEMENT) | Q(outcome=Outcome.AGREEMENT_FULFILLED)),
        )
    )
    for r in cases:
        row = table[r["k"]]
        row.update(
            cases=r["n"],
            disputes=r["disputes"],
            legal_aid=r["legal_aid"],
            unpaid_wages=r["unpaid"],
            closed=r["closed"],
            agreements=r["agreements"],
        )
    referred = (
        Referral.objects.filter(case__opened_on__year=year)
        .exclude(status=Referral.Status.WITHDRAWN)
        .annotate(k=_key(by, "opened_on", "case__"))
        .values("k")
        .annotate(n=Count("case", distinct=True))
    )
    for r in referred:
        table[r["k"]]["referred"] = r["n"]
    amounts = (
        CaseParty.objects.filter(case__opened_on__year=year)
        .annotate(k=_key(by, "opened_on", "case__"))
        .values("k")
        .annotate(owed=Sum("amount_owed"), recovered=Sum("amount_recovered"))
    )
    for r in amounts:
        row = table[r["k"]]
        row["owed"] = _money(r["owed"])
        row["recovered"] = _money(r["recovered"])
        row["outstanding"] = _money((r["owed"] or 0) - (r["recovered"] or 0))
    regions = {}
    if by == "city":
        regions = dict(Region.objects.filter(code__in=[k for k in table if k]).values_list("code", "name"))
    out = []
    for key in _order(by, list(table)):
        if key is None:
            continue
        code = f"{key}0000" if by == "province" else str(key)
        out.append({"key": code, "label": _label(by, key, regions), **table[key]})
    return out


def total(table: Sequence[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for metric, _label in METRICS:
        value = sum(r[metric] for r in table)
        out[metric] = round(value, 2) if metric in AMOUNTS else value
    return out


def trend(year: int) -> dict[str, Any]:
    """Signals, cases and wages owed per month of the year and of the year before."""

    def series(y: int) -> dict[str, list[Any]]:
        by_month = {r["key"]: r for r in rows(y, "month")}
        return {m: [by_month.get(str(i), {}).get(m, 0) for i in range(1, 13)] for m in TREND_METRICS}

    return {"months": [f"{i}" for i in range(1, 13)], "this": series(year), "previous": series(year - 1)}


def outcomes(year: int) -> list[dict[str, Any]]:
    """Closed cases of the year by outcome, and the cases still open by where they stand."""
    counted = dict(
        Case.objects.filter(opened_on__year=year)
        .exclude(outcome="")
        .values_list("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    out = [{"key": k, "label": str(label), "count": counted.get(k, 0)} for k, label in Outcome.choices]
    open_cases = (
        Case.objects.filter(opened_on__year=year).exclude(status__in=[CaseStatus.CLOSED, CaseStatus.FOLLOW_UP]).count()
    )
    out.append({"key": "open", "label": _("Still open"), "count": open_cases})
    return out


def report(year: int, by: str) -> dict[str, Any]:
    table = rows(year, by)
    return {
        "year": year,
        "by": by,
        "by_label": str(DIMENSIONS[by]),
        "metrics": [{"key": k, "label": str(label)} for k, label in METRICS],
        "rows": table,
        "total": total(table),
        "trend": trend(year),
        "outcomes": outcomes(year),
    }


def figures(year: int) -> dict[str, Any]:
    """Every dimension at once: what a recorded report keeps."""
    return {
        "year": year,
        "by": {by: rows(year, by) for by in DIMENSIONS},
        "trend": trend(year),
        "outcomes": outcomes(year),
    }


def years() -> list[int]:
    found = {d.year for d in Case.objects.dates("opened_on", "year")} | {
        d.year for d in Signal.objects.dates("occurred_on", "year")
    }
    return sorted(found, reverse=True)


# --- Excel and PDF --------------------------------------------------------------------------------------


def _table(
    by: str, table: Sequence[dict[str, Any]], tot: dict[str, Any], *, printed: bool = False
) -> tuple[list[str], list[list[Any]]]:
    def cell(metric: str, value: Any) -> Any:
        return shown(metric, value) if printed else value

    headers = [str(DIMENSIONS[by])] + [str(label) for _k, label in METRICS]
    body = [[r["label"], *[cell(m, r[m]) for m, _label in METRICS]] for r in table]
    body.append([_("In all"), *[cell(m, tot[m]) for m, _label in METRICS]])
    return headers, body


def workbook(year: int) -> bytes:
    from deltaunion.core.excel import build_workbook_sheets

    sheets = []
    for by, label in DIMENSIONS.items():
        table = rows(year, by)
        headers, body = _table(by, table, total(table))
        sheets.append((str(label), headers, body))
    t = trend(year)
    sheets.append(
        (
            _("Trend by month"),
            [
                _("Month"),
                *[f"{year} {label}" for label in _trend_labels()],
                *[f"{year - 1} {label}" for label in _trend_labels()],
            ],
            [
                [int(m), *[t["this"][k][i] for k in TREND_METRICS], *[t["previous"][k][i] for k in TREND_METRICS]]
                for i, m in enumerate(t["months"])
            ],
        )
    )
    sheets.append((_("Outcomes"), [_("Outcome"), _("Cases")], [[o["label"], o["count"]] for o in outcomes(year)]))
    return build_workbook_sheets(sheets)


def _trend_labels() -> list[str]:
    labels = dict(METRICS)
    return [str(labels[k]) for k in TREND_METRICS]


def pdf(year: int) -> bytes:
    from django.utils import timezone

    from deltaunion.core.pdf import table_pdf

    sections = []
    for by in ("province", "city", "industry", "ownership", "month"):
        table = rows(year, by)
        headers, body = _table(by, table, total(table), printed=True)
        sections.append((_("By %(dimension)s") % {"dimension": DIMENSIONS[by]}, headers, body))
    sections.append((_("Outcomes"), [_("Outcome"), _("Cases")], [[o["label"], o["count"]] for o in outcomes(year)]))
    return table_pdf(
        title=_("Labour-relations situation report of the Yangtze River Delta, %(year)d") % {"year": year},
        subtitle=_(
            "For the joint meeting of the trade-union federations of Shanghai, Jiangsu, Zhejiang and Anhui. "
            "Figures only: no personal data. Prepared %(date)s."
        )
        % {"date": timezone.localdate().isoformat()},
        sections=sections,
        footer=_("Cases are counted in the year they were received, signals in the year they were noticed."),
        wide=True,
    )

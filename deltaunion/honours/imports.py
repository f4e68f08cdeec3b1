"""The studios' yearly reports imported from Excel, many studios at once (`core.imports`).

One row per studio and year; the studio is found by its name among the studios of the chosen
union's subtree. A year already reported is replaced by the file's figures (each change in the
studio's history); every error of every row is reported and nothing is written until the file
is right.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deltaunion.core.audit import log_action
from deltaunion.core.imports import Column, Importer, Row, register
from deltaunion.core.permissions import require
from deltaunion.honours.models import Studio
from deltaunion.honours.services.studios import report_write
from deltaunion.orgs.models import Organisation


def parse_count(value: Any) -> int:
    text = str(value).strip().replace(",", "").replace("，", "")
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or len(text) > 9:
        raise ValidationError(_("Should be a whole number, 0 or more"))
    return int(text)


def parse_year(value: Any) -> int:
    year = parse_count(value)
    if not 1949 <= year <= 2100:
        raise ValidationError(_("Give a year from 1949 to 2100"))
    return year


def parse_yuan(value: Any) -> Decimal:
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Should be an amount in yuan, e.g. 125000 or 125000.50")) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e14"):
        raise ValidationError(_("Should be an amount in yuan, e.g. 125000 or 125000.50"))
    return amount.quantize(Decimal("0.01"))


FIGURES = ("topics", "projects", "results", "applied_results", "patents")


@register
class StudioReportImport(Importer):
    key = "honours.studio_reports"
    title = gettext_lazy("Studios' yearly reports")
    context_models = {"organisation": Organisation}
    columns = [
        Column("name", "工作室名称", "Studio name", required=True, max_length=120, help=gettext_lazy("As registered")),
        Column("year", "年度", "Year", required=True, max_length=4, parse=parse_year, help=gettext_lazy("e.g. 2023")),
        Column("topics", "创新课题", "Innovation topics", max_length=12, parse=parse_count, default=0),
        Column("projects", "攻关项目", "Tackling projects", max_length=12, parse=parse_count, default=0),
        Column("results", "创新成果", "Innovation results", max_length=12, parse=parse_count, default=0),
        Column(
            "applied_results",
            "推广应用成果",
            "Results put into use",
            max_length=12,
            parse=parse_count,
            default=0,
            help=gettext_lazy("No more than the innovation results"),
        ),
        Column("patents", "专利", "Patents", max_length=12, parse=parse_count, default=0),
        Column(
            "savings_yuan",
            "创造经济效益（元）",
            "Economic benefit (yuan)",
            max_length=20,
            parse=parse_yuan,
            default=Decimal(0),
            help=gettext_lazy("In yuan"),
        ),
    ]
    sample = {"name": "某某劳模创新工作室（示例）", "year": "2023", "topics": "12"}

    def authorise(self, by: Any) -> None:
        require(by, "honours.import_reports", self.context.get("organisation"))

    def clean_row(self, row: Row) -> None:
        if row.get("applied_results", 0) > row.get("results", 0):
            row.error("applied_results", _("Results put into use cannot be more than the results"))

    def clean_all(self, rows: list[Row]) -> None:
        organisation = self.context["organisation"]
        names = {r.get("name") for r in rows if r.get("name")}
        studios: dict[str, list[Studio]] = {}
        for studio in Studio.objects.filter(organisation__path__startswith=organisation.path, name__in=names):
            studios.setdefault(studio.name, []).append(studio)
        seen: dict[tuple[str, int], int] = {}
        for row in rows:
            name = row.get("name")
            if not name:
                continue
            found = studios.get(name, [])
            if not found:
                row.error("name", _("No studio of this union has this name"))
            elif len(found) > 1:
                row.error("name", _("Several studios of this union have this name; rename one first"))
            else:
                row.values["studio"] = found[0]
            key = (name, row.get("year"))
            if key in seen:
                row.error("year", _("The same studio and year as in row %(row)d") % {"row": seen[key]})
            elif row.get("year"):
                seen[key] = row.number

    def write(self, rows: list[Row], by: Any) -> dict[str, int]:
        created = updated = 0
        for r in rows:
            figures = {k: r[k] for k in FIGURES}
            _report, new = report_write(
                studio=r["studio"], year=r["year"], by=by, savings_yuan=r["savings_yuan"], **figures
            )
            created += new
            updated += not new
        log_action(
            actor=by,
            action="studio_report.import",
            obj=self.context["organisation"],
            after={"count": len(rows)},
            note=_("Imported %(n)d yearly reports of studios") % {"n": len(rows)},
        )
        return {"created": created, "updated": updated}

"""Bases in and out of Excel: the import on the kernel's framework (`core.imports`) and the
export with the same columns, so that an exported file can be imported elsewhere.

The file is a format users fill in Chinese: the headers and the words cells may hold (工人疗养院,
疗休养基地, 是/否, 300—500元) are fixed here, whatever the language of the page. English headers
and the codes of the API are accepted too.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.excel import list_join
from deltaunion.core.imports import (
    Column,
    Importer,
    Row,
    province_and_name,
    refuse_repeats,
    register,
    stored_province_names,
)
from deltaunion.core.models import AuditEntry
from deltaunion.core.permissions import require
from deltaunion.orgs.models import Organisation, Region
from deltaunion.recuperation import services
from deltaunion.recuperation.models import Base, BaseKind, PriceBand

KIND_WORDS = {
    "工人疗养院": BaseKind.SANATORIUM,
    "疗养院": BaseKind.SANATORIUM,
    "职工疗休养基地": BaseKind.RECOGNISED,
    "疗休养基地": BaseKind.RECOGNISED,
    "认定基地": BaseKind.RECOGNISED,
}
PRICE_WORDS = {
    "300元以下": PriceBand.ECONOMY,
    "300—500元": PriceBand.STANDARD,
    "300-500元": PriceBand.STANDARD,
    "500—800元": PriceBand.COMFORT,
    "500-800元": PriceBand.COMFORT,
    "800元以上": PriceBand.PREMIUM,
}
KIND_LABELS = {BaseKind.SANATORIUM: "工人疗养院", BaseKind.RECOGNISED: "职工疗休养基地"}
PRICE_LABELS = {
    PriceBand.ECONOMY: "300元以下",
    PriceBand.STANDARD: "300—500元",
    PriceBand.COMFORT: "500—800元",
    PriceBand.PREMIUM: "800元以上",
}
YES = {"是", "Y", "y", "yes", "Yes", "1", "true", "TRUE", "近似"}
NO = {"否", "N", "n", "no", "No", "0", "false", "FALSE", "精确"}


def _choice(value: Any, words: dict[str, str], choices: Any, what: str) -> str:
    text = str(value).strip()
    if text in words:
        return words[text]
    for choice in choices:
        if text in {choice.value, str(choice.label)}:
            return choice.value
    raise ValidationError(
        _("Unrecognised %(what)s “%(v)s”: use one of %(choices)s")
        % {"what": what, "v": text, "choices": list_join(words)}
    )


def parse_kind(value: Any) -> str:
    return _choice(value, KIND_WORDS, BaseKind, _("kind"))


def parse_price_band(value: Any) -> str:
    return _choice(value, PRICE_WORDS, PriceBand, _("price band"))


def parse_number(value: Any) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValidationError(_("Write a number in decimal degrees, e.g. 120.1551")) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValidationError(_("Write a number in decimal degrees, e.g. 120.1551"))
    return number


def parse_yes_no(value: Any) -> bool:
    if str(value).strip() in YES:
        return True
    if str(value).strip() in NO:
        return False
    raise ValidationError(_("Should be “是” (yes) or “否” (no)"))


def parse_beds(value: Any) -> int:
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or int(text) < 1:
        raise ValidationError(_("Write the number of beds as a whole number, e.g. 120"))
    return int(text)


def region_named(value: str, level: str | None = None, within: Region | None = None) -> Region:
    text = str(value).strip()
    qs = Region.objects.all()
    if within is not None:
        qs = qs.filter(code__startswith=within.code[:2])
    if level:
        qs = qs.filter(level=level)
    if text.isdigit():
        found = qs.filter(code=text).first()
    else:
        found = qs.filter(name=text).first()
        if found is None and len(text) >= 2:
            candidates = list(qs.filter(name__startswith=text)[:2])
            found = candidates[0] if len(candidates) == 1 else None
    if found is None:
        raise ValidationError(_("Unknown division “%(v)s”") % {"v": text})
    return found


COLUMNS = [
    Column("name", "名称", "Name", required=True, max_length=200, help=gettext_lazy("The base's full name")),
    Column(
        "kind",
        "类型",
        "Kind",
        required=True,
        max_length=20,
        parse=parse_kind,
        help=gettext_lazy("工人疗养院 or 职工疗休养基地"),
    ),
    Column(
        "province",
        "省份",
        "Province",
        required=True,
        max_length=20,
        help=gettext_lazy("上海市, 江苏省, 浙江省 or 安徽省"),
    ),
    Column("city", "城市", "City", max_length=20, help=gettext_lazy("The prefecture-level city (empty in Shanghai)")),
    Column("county", "区县", "County", max_length=20, help=gettext_lazy("The district or county")),
    Column("address", "地址", "Address", max_length=300),
    Column(
        "longitude",
        "经度",
        "Longitude",
        max_length=20,
        parse=parse_number,
        default=None,
        help=gettext_lazy("WGS-84 decimal degrees, e.g. 120.1551; empty when not known"),
    ),
    Column(
        "latitude",
        "纬度",
        "Latitude",
        max_length=20,
        parse=parse_number,
        default=None,
        help=gettext_lazy("WGS-84 decimal degrees, e.g. 30.2741"),
    ),
    Column(
        "coordinates_approximate",
        "位置为近似",
        "Approximate position",
        max_length=5,
        parse=parse_yes_no,
        default=False,
        help=gettext_lazy("是 when the position is only approximate"),
    ),
    Column(
        "capacity",
        "床位数",
        "Beds",
        required=True,
        max_length=6,
        parse=parse_beds,
        help=gettext_lazy("Beds per night for union groups"),
    ),
    Column("facilities", "设施", "Facilities", max_length=2000),
    Column("contact", "联系方式", "Contact", max_length=200),
    Column(
        "price_band",
        "价格档次",
        "Price band",
        max_length=20,
        parse=parse_price_band,
        default="",
        help=gettext_lazy("300元以下, 300—500元, 500—800元 or 800元以上 a person a day"),
    ),
    Column("season", "开放季节", "Season", max_length=100, help=gettext_lazy("e.g. 全年, 3—11月")),
    Column("description", "简介", "Description", max_length=5000),
    Column("source", "来源", "Source", max_length=300, help=gettext_lazy("Where these facts come from")),
]
COLUMN_KEYS = [c.key for c in COLUMNS]


@register
class BaseImport(Importer):
    key = "recuperation.bases"
    title = gettext_lazy("Recuperation bases")
    context_models = {"organisation": Organisation}
    columns = COLUMNS
    sample = {"name": "某某职工疗休养基地（示例）", "kind": "职工疗休养基地", "province": "浙江省", "capacity": "120"}

    def authorise(self, by: Any) -> None:
        require(by, "recuperation.import_bases", self.context.get("organisation"))

    def clean_row(self, row: Row) -> None:
        try:
            province = region_named(row["province"], Region.Level.PROVINCE)
        except ValidationError as exc:
            row.error("province", exc.messages[0])
            return
        city = county = None
        for key in ("city", "county"):
            if row.get(key):
                try:
                    region = region_named(row[key], within=province)
                except ValidationError as exc:
                    row.error(key, exc.messages[0])
                    return
                if key == "city":
                    city = region
                else:
                    county = region
        try:
            services.check_place(province=province, city=city, county=county)
        except ValidationError as exc:
            row.error("province", exc.messages[0])
            return
        if (row.get("longitude") is None) != (row.get("latitude") is None):
            row.error("longitude", _("Give both longitude and latitude, as decimal degrees"))
            return
        try:
            lng, lat = services.check_position(
                longitude=row.get("longitude"), latitude=row.get("latitude"), province=province
            )
        except ValidationError as exc:
            row.error("longitude", exc.messages[0])
            return
        row.values.update(province=province, city=city, county=county, longitude=lng, latitude=lat)

    def clean_all(self, rows: list[Row]) -> None:
        refuse_repeats(
            rows,
            key=province_and_name,
            field="name",
            same_as=_("The same base as in row %(row)d"),
            existing=stored_province_names(Base),
            already=_("This base is already registered"),
        )

    def write(self, rows: list[Row], by: Any) -> dict[str, int]:
        organisation = self.context["organisation"]
        bases = []
        for r in rows:
            base = Base(organisation=organisation, **{k: r.get(k) for k in COLUMN_KEYS})
            for text in ("address", "facilities", "contact", "season", "description", "source", "price_band"):
                setattr(base, text, getattr(base, text) or "")
            base.full_clean(validate_unique=False)
            bases.append(base)
        Base.objects.bulk_create(bases, batch_size=500)
        created = list(Base.objects.filter(organisation=organisation, name__in=[b.name for b in bases]).order_by("id"))
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    actor=by if getattr(by, "is_authenticated", False) else None,
                    action="recup_base.import",
                    object_type="recuperation.base",
                    object_id=str(b.pk),
                    object_repr=b.name[:255],
                    org_path=organisation.path,
                    after=snapshot(b),
                )
                for b in created
            ],
            batch_size=500,
        )
        log_action(
            actor=by,
            action="recup_base.import",
            obj=organisation,
            after={"count": len(bases)},
            note=_("Imported %(n)d bases") % {"n": len(bases)},
        )
        return {"created": len(bases)}


# --- export --------------------------------------------------------------------------------------------------


def export_headers() -> list[str]:
    return [c.header for c in COLUMNS]


def export_row(base: Base) -> list[Any]:
    return [
        base.name,
        KIND_LABELS.get(base.kind, base.kind),
        base.province.name,
        base.city.name if base.city_id else "",
        base.county.name if base.county_id else "",
        base.address,
        base.longitude if base.longitude is not None else "",
        base.latitude if base.latitude is not None else "",
        "是" if base.coordinates_approximate else "否",
        base.capacity,
        base.facilities,
        base.contact,
        PRICE_LABELS.get(base.price_band, ""),
        base.season,
        base.description,
        base.source,
    ]

"""Venues in and out of files: the Excel import on the kernel's framework (`core.imports`), the
same rows read from GeoJSON, and the Excel and GeoJSON exports (the same columns, so that an
exported file can be imported elsewhere).

The file is a format users fill in Chinese: column headers and the words cells may hold
(纪念馆, 高德, 周二至周日, 是/否) are fixed here, whatever the language of the page. English
headers and the codes of the API are accepted too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.excel import RowError, list_join
from deltaunion.core.imports import (
    Column,
    Importer,
    ImportResult,
    Row,
    province_and_name,
    refuse_repeats,
    register,
    stored_province_names,
)
from deltaunion.core.models import AuditEntry
from deltaunion.core.permissions import require
from deltaunion.heritage import geo, services
from deltaunion.heritage.models import CoordinateSystem, Theme, Venue, VenueKind
from deltaunion.orgs.models import Organisation, Region

KIND_WORDS = {
    "纪念馆": VenueKind.MEMORIAL,
    "旧址": VenueKind.SITE,
    "遗址": VenueKind.SITE,
    "爱国主义教育基地": VenueKind.EDUCATION_BASE,
    "工人运动史迹": VenueKind.LABOUR_SITE,
    "工运史迹": VenueKind.LABOUR_SITE,
    "烈士陵园": VenueKind.CEMETERY,
    "工业遗产": VenueKind.INDUSTRIAL,
}
THEME_WORDS = {
    "建党历程": Theme.PARTY_FOUNDING,
    "早期工人运动": Theme.LABOUR_MOVEMENT,
    "工人运动": Theme.LABOUR_MOVEMENT,
    "革命先烈": Theme.MARTYRS,
    "新四军与抗战": Theme.NEW_FOURTH_ARMY,
    "新四军": Theme.NEW_FOURTH_ARMY,
    "解放战争": Theme.LIBERATION,
    "工业与工人阶级": Theme.INDUSTRY,
}
# The words an export writes (the first of each kind above).
KIND_LABELS = {code: word for word, code in reversed(KIND_WORDS.items())}
THEME_LABELS = {code: word for word, code in reversed(THEME_WORDS.items())}
SYSTEM_WORDS = {
    geo.WGS84: {"wgs84", "wgs-84", "wgs 84", "gps", "天地图", "cgcs2000", "epsg:4326", "地球坐标"},
    geo.GCJ02: {"gcj02", "gcj-02", "高德", "腾讯", "amap", "tencent", "火星坐标", "国测局坐标"},
    geo.BD09: {"bd09", "bd-09", "bd09ll", "百度", "baidu", "百度坐标"},
}
WEEKDAY_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "七": 7}
WEEKDAY_NAMES = {v: f"周{k}" for k, v in WEEKDAY_WORDS.items() if k not in {"天", "七"}}
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
    return _choice(value, KIND_WORDS, VenueKind, _("kind"))


def parse_theme(value: Any) -> str:
    return _choice(value, THEME_WORDS, Theme, _("theme"))


def parse_system(value: Any) -> str:
    text = str(value).strip().lower()
    for system, words in SYSTEM_WORDS.items():
        if text in words:
            return system
    for choice in CoordinateSystem:
        if text in {choice.value, str(choice.label).lower()}:
            return choice.value
    raise ValidationError(
        _("Unknown coordinate system “%(v)s”: write WGS-84 (GPS, Tianditu), GCJ-02 (Amap, Tencent) or BD-09 (Baidu)")
        % {"v": value}
    )


def parse_number(value: Any) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValidationError(_("Write a number in decimal degrees, e.g. 121.4737")) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValidationError(_("Write a number in decimal degrees, e.g. 121.4737"))
    return number


def parse_yes_no(value: Any) -> bool:
    if str(value).strip() in YES:
        return True
    if str(value).strip() in NO:
        return False
    raise ValidationError(_("Should be “是” (yes) or “否” (no)"))


def parse_capacity(value: Any) -> int:
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        raise ValidationError(_("Write the number of people as a whole number, e.g. 50"))
    return int(text)


def parse_open_days(value: Any) -> list[int]:
    """“每天”，“周二至周日”，“周一至周五、周日”，“星期二，星期三”, or ISO numbers “2-7”."""
    text = str(value).strip()
    if text in {"每天", "全天", "全周", "每日", "全年开放"}:
        return list(range(1, 8))
    days: set[int] = set()
    for part in re.split(r"[,，、;；/ ]+", text):
        if not part:
            continue
        bounds = re.split(r"至|到|-|–|—|~|～", part)
        numbers = [_weekday(b) for b in bounds]
        if len(numbers) == 1:
            days.add(numbers[0])
        elif len(numbers) == 2:
            a, b = numbers
            span = range(a, b + 1) if a <= b else [*range(a, 8), *range(1, b + 1)]
            days.update(span)
        else:
            raise ValidationError(_("Write the opening days like “周二至周日” or “周一、周三”"))
    return sorted(days)


def _weekday(word: str) -> int:
    word = word.strip().replace("星期", "").replace("礼拜", "").replace("周", "")
    if word.isdigit() and 1 <= int(word) <= 7:
        return int(word)
    if word in WEEKDAY_WORDS:
        return WEEKDAY_WORDS[word]
    raise ValidationError(_("Write the opening days like “周二至周日” or “周一、周三”"))


def open_days_label(days: Iterable[int]) -> str:
    """The opening days as the reader's language writes them ("" when not known)."""
    from deltaunion.heritage.models import WEEKDAYS

    days = sorted(set(days))
    if not days:
        return ""
    if days == list(range(1, 8)):
        return _("Every day")
    names = dict(WEEKDAYS)
    return list_join(str(names[d]) for d in days)


def format_open_days(days: Iterable[int]) -> str:
    days = sorted(set(days))
    if not days:
        return ""
    if days == list(range(1, 8)):
        return "每天"
    runs: list[list[int]] = []
    for d in days:
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = [
        f"{WEEKDAY_NAMES[r[0]]}至{WEEKDAY_NAMES[r[-1]]}" if len(r) > 2 else "、".join(WEEKDAY_NAMES[d] for d in r)
        for r in runs
    ]
    return "、".join(parts)


def _region(value: str, level: str | None = None, within: Region | None = None) -> Region:
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
    Column("name", "名称", "Name", required=True, max_length=200, help=gettext_lazy("The venue's full name")),
    Column(
        "kind", "类型", "Kind", required=True, max_length=20, parse=parse_kind, help=gettext_lazy("e.g. 纪念馆, 旧址")
    ),
    Column(
        "theme", "主题", "Theme", required=True, max_length=20, parse=parse_theme, help=gettext_lazy("e.g. 建党历程")
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
        required=True,
        max_length=20,
        parse=parse_number,
        help=gettext_lazy("Decimal degrees, e.g. 121.4737"),
    ),
    Column(
        "latitude",
        "纬度",
        "Latitude",
        required=True,
        max_length=20,
        parse=parse_number,
        help=gettext_lazy("Decimal degrees, e.g. 31.2304"),
    ),
    Column(
        "coordinate_system",
        "坐标系",
        "Coordinate system",
        max_length=20,
        parse=parse_system,
        default=geo.WGS84,
        help=gettext_lazy("WGS-84 (GPS, Tianditu), GCJ-02 (Amap, Tencent) or BD-09 (Baidu); WGS-84 when empty"),
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
        "open_days",
        "开放日",
        "Opening days",
        max_length=50,
        parse=parse_open_days,
        default="",
        help=gettext_lazy("e.g. 周二至周日; empty when not known"),
    ),
    Column("opening_hours", "开放时间", "Opening hours", max_length=200),
    Column("closures", "闭馆安排", "Closures", max_length=1000),
    Column("booking", "预约方式", "Booking contact", max_length=200),
    Column("accessibility", "无障碍", "Accessibility", max_length=1000),
    Column("group_capacity", "团体容量", "Group capacity", max_length=6, parse=parse_capacity, default=None),
    Column("background", "简介", "Short history", max_length=5000),
    Column("source", "来源", "Source", max_length=300, help=gettext_lazy("Where these facts come from")),
]
COLUMN_KEYS = [c.key for c in COLUMNS]


@register
class VenueImport(Importer):
    key = "heritage.venues"
    title = gettext_lazy("Red labour-movement venues")
    context_models = {"organisation": Organisation}
    columns = COLUMNS
    sample = {
        "name": "某某纪念馆（示例）",
        "kind": "纪念馆",
        "theme": "建党历程",
        "province": "上海市",
        "longitude": "121.4737",
    }

    def authorise(self, by: Any) -> None:
        require(by, "heritage.import_venues", self.context.get("organisation"))

    def clean_row(self, row: Row) -> None:
        row.values["open_days"] = row.get("open_days") or []
        try:
            province = _region(row["province"], Region.Level.PROVINCE)
        except ValidationError as exc:
            row.error("province", exc.messages[0])
            return
        city = county = None
        for key in ("city", "county"):
            if row.get(key):
                try:
                    region = _region(row[key], within=province)
                except ValidationError as exc:
                    row.error(key, exc.messages[0])
                    return
                if key == "city":
                    city = region
                else:
                    county = region
        try:
            lng, lat = services.position_to_wgs84(
                longitude=row["longitude"], latitude=row["latitude"], system=row.get("coordinate_system") or geo.WGS84
            )
        except ValidationError as exc:
            row.error("longitude", exc.messages[0])
            return
        try:
            services.check_place(province=province, city=city, county=county, lng=lng, lat=lat)
        except ValidationError as exc:
            row.error("province", exc.messages[0])
            return
        row.values.update(province=province, city=city, county=county, longitude=lng, latitude=lat)

    def clean_all(self, rows: list[Row]) -> None:
        refuse_repeats(
            rows,
            key=province_and_name,
            field="name",
            same_as=_("The same venue as in row %(row)d"),
            existing=stored_province_names(Venue),
            already=_("This venue is already recorded"),
        )

    def write(self, rows: list[Row], by: Any) -> dict[str, int]:
        organisation = self.context["organisation"]
        venues = []
        for r in rows:
            venue = Venue(organisation=organisation, **{k: r.get(k) for k in COLUMN_KEYS})
            venue.address = venue.address or ""
            venue.full_clean(validate_unique=False)
            venues.append(venue)
        Venue.objects.bulk_create(venues, batch_size=500)
        created = list(
            Venue.objects.filter(organisation=organisation, name__in=[v.name for v in venues]).order_by("id")
        )
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    actor=by if getattr(by, "is_authenticated", False) else None,
                    action="heritage_venue.import",
                    object_type="heritage.venue",
                    object_id=str(v.pk),
                    object_repr=v.name[:255],
                    org_path=organisation.path,
                    after=snapshot(v),
                )
                for v in created
            ],
            batch_size=500,
        )
        log_action(
            actor=by,
            action="heritage_venue.import",
            obj=organisation,
            after={"count": len(venues)},
            note=_("Imported %(n)d venues") % {"n": len(venues)},
        )
        return {"created": len(venues)}


# --- GeoJSON --------------------------------------------------------------------------------------------------

GEOJSON_MAX_BYTES = 10 * 1024 * 1024


def geojson_rows(data: bytes) -> list[tuple[int, list[Any]]]:
    """The features of a GeoJSON FeatureCollection as import rows (numbered from 2, like a
    sheet under its header): properties by column key or header, the Point as longitude and
    latitude. ValidationError for a file that is not one."""
    if len(data) > GEOJSON_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB; split it into several files"))
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(_("The file is not GeoJSON: it could not be read as JSON")) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise ValidationError(_("The file is not a GeoJSON FeatureCollection"))
    rows = []
    for number, feature in enumerate(doc["features"], start=2):
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        cells: list[Any] = []
        for col in COLUMNS:
            value = next((props[k] for k in (col.key, col.header, col.header_en) if k in props), "")
            if col.key in {"longitude", "latitude"}:
                coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
                if (
                    isinstance(geometry, dict)
                    and geometry.get("type") == "Point"
                    and isinstance(coords, list)
                    and len(coords) >= 2
                ):
                    value = coords[0] if col.key == "longitude" else coords[1]
                else:
                    value = ""
            elif col.key == "open_days" and isinstance(value, list):
                value = format_open_days(d for d in value if isinstance(d, int))
            elif isinstance(value, bool):
                value = "是" if value else "否"
            cells.append("" if value is None else str(value).strip())
        rows.append((number, cells))
    if not rows:
        raise ValidationError(_("The file has no features"))
    return rows


def run_geojson_import(importer: VenueImport, data: bytes, *, by: Any) -> ImportResult:
    """The same checks and the same all-or-nothing write as the Excel import."""
    importer.authorise(by)
    result = ImportResult()
    try:
        rows_in = geojson_rows(data)
    except ValidationError as exc:
        result.errors.append(RowError(0, "", exc.messages[0]))
        return result
    mapping = dict(enumerate(COLUMNS))
    rows = importer.parse(rows_in, mapping, set())
    result.rows = len(rows)
    for row in rows:
        if row.ok:
            importer.clean_row(row)
    importer.clean_all(rows)
    for row in rows:
        result.errors.extend(row.errors)
    if result.errors:
        result.errors.sort(key=lambda e: (e.row, e.column))
        return result
    with transaction.atomic():
        result.counts = dict(importer.write(rows, by))
    return result


# --- exports ------------------------------------------------------------------------------------------------


def export_row(venue: Venue) -> list[Any]:
    return [
        venue.name,
        KIND_LABELS.get(venue.kind, venue.kind),
        THEME_LABELS.get(venue.theme, venue.theme),
        venue.province.name,
        venue.city.name if venue.city_id and venue.province_id not in services.MUNICIPALITIES else "",
        venue.county.name if venue.county_id else "",
        venue.address,
        venue.longitude,
        venue.latitude,
        "WGS-84",
        "是" if venue.coordinates_approximate else "否",
        format_open_days(venue.open_days or []),
        venue.opening_hours,
        venue.closures,
        venue.booking,
        venue.accessibility,
        venue.group_capacity,
        venue.background,
        venue.source,
    ]


def export_headers() -> list[str]:
    return [c.header for c in COLUMNS]


def feature(venue: Venue, *, groups: int | None = None, crs: str = geo.WGS84, url: str = "") -> dict[str, Any]:
    """A venue as a GeoJSON Feature (RFC 7946: WGS-84 unless the caller asks for GCJ-02 for a
    GCJ-02 tile layer)."""
    lng, lat = geo.convert(venue.longitude, venue.latitude, geo.WGS84, crs)
    props: dict[str, Any] = {
        "id": venue.pk,
        "name": venue.name,
        "kind": venue.kind,
        "kind_label": str(venue.get_kind_display()),
        "theme": venue.theme,
        "theme_label": str(venue.get_theme_display()),
        "province": venue.province_id,
        "province_name": venue.province.name,
        "city": venue.city_id or "",
        "city_name": venue.city.name if venue.city_id else "",
        "county": venue.county_id or "",
        "county_name": venue.county.name if venue.county_id else "",
        "address": venue.address,
        "coordinates_approximate": venue.coordinates_approximate,
        "open_days": list(venue.open_days or []),
        "open_days_label": open_days_label(venue.open_days or []),
        "opening_hours": venue.opening_hours,
        "closures": venue.closures,
        "booking": venue.booking,
        "accessibility": venue.accessibility,
        "group_capacity": venue.group_capacity,
        "background": venue.background,
        "source": venue.source,
    }
    if groups is not None:
        props["groups_this_year"] = groups
    if url:
        props["url"] = url
    return {
        "type": "Feature",
        "id": venue.pk,
        "geometry": {"type": "Point", "coordinates": [round(lng, 7), round(lat, 7)]},
        "properties": props,
    }


def feature_collection(features: list[dict[str, Any]], *, crs: str = geo.WGS84) -> dict[str, Any]:
    doc: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs != geo.WGS84:
        doc["coordinate_system"] = crs  # not RFC 7946: only for a GCJ-02 tile layer
    return doc

"""The workers import, declared on the kernel's framework (`core.imports`).

The file is a format users fill in Chinese: its column headers and the words its cells may
hold (是/否, 男/女, 国有/非公…, 四级/中级工…) are fixed here, whatever the language of the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.excel import RowError, list_join
from deltaunion.core.imports import Column, Importer, Row, register
from deltaunion.core.models import AuditEntry
from deltaunion.orgs.models import Organisation
from deltaunion.people import services
from deltaunion.people.models import Employer, Ownership, SkillLevel, SkillLevelRecord, Worker

YES = {"是", "Y", "y", "yes", "Yes", "1", "true", "TRUE"}
NO = {"否", "N", "n", "no", "No", "0", "false", "FALSE"}


def parse_yes_no(value: Any) -> bool:
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError(_("Should be “是” (yes) or “否” (no)"))


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(str(value), fmt).date()
        except ValueError:
            continue
    raise ValidationError(_("Dates should be written as YYYY-MM-DD"))


def parse_sex(value: Any) -> str:
    mapping = {"男": "M", "女": "F", "M": "M", "F": "F"}
    if value not in mapping:
        raise ValidationError(_("The sex should be “男” (male) or “女” (female)"))
    return mapping[value]


def parse_not_future(value: Any) -> dt.date:
    day = parse_date(value)
    if day > dt.date.today():
        raise ValidationError(_("The date cannot be later than today"))
    return day


IMPORT_OWNERSHIPS = {
    "国有": Ownership.STATE,
    "非公": Ownership.PRIVATE,
    "外商投资": Ownership.FOREIGN,
    "机关事业单位": Ownership.PUBLIC_SECTOR,
}
IMPORT_SKILL_LEVELS = {
    "五级": 5,
    "初级工": 5,
    "五级/初级工": 5,
    "四级": 4,
    "中级工": 4,
    "四级/中级工": 4,
    "三级": 3,
    "高级工": 3,
    "三级/高级工": 3,
    "二级": 2,
    "技师": 2,
    "二级/技师": 2,
    "一级": 1,
    "高级技师": 1,
    "一级/高级技师": 1,
}


def parse_skill_level(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if value in IMPORT_SKILL_LEVELS:
        return IMPORT_SKILL_LEVELS[value]
    for level in SkillLevel:
        label = str(level.label)
        if value in {str(level.value), label, *(part.strip() for part in label.split("/"))}:
            return level.value
    raise ValidationError(_("Unrecognised skill level “%(v)s”: it should be 一级 to 五级, or 1–5") % {"v": value})


def parse_ownership(value: str) -> str:
    value = (value or "").strip()
    if value in IMPORT_OWNERSHIPS:
        return IMPORT_OWNERSHIPS[value]
    for choice in Ownership:
        if value in {choice.value, str(choice.label)}:
            return choice.value
    raise ValidationError(
        _("The ownership type should be one of: %(choices)s") % {"choices": list_join(IMPORT_OWNERSHIPS)}
    )


# The column an invalid Worker field is reported under.
FIELD_COLUMN = {
    "name": "name",
    "id_number": "id_number",
    "phone": "phone",
    "sex": "sex",
    "birth_date": "birth_date",
    "started_work_on": "started_work_on",
    "member_since": "member_since",
}


@register
class WorkerImport(Importer):
    """Every error of a row is reported at once: the identity and date rules run on a row
    even when some of its cells did not parse (those cells' rules are then skipped)."""

    key = "people.workers"
    title = gettext_lazy("Workers")
    context_models = {"organisation": Organisation}
    clean_rows_with_cell_errors = True
    columns = [
        Column("name", "姓名", "Name", required=True, max_length=100, help=gettext_lazy("The full name")),
        Column(
            "id_number",
            "身份证号",
            "ID number",
            required=True,
            max_length=18,
            help=gettext_lazy("18 characters (old 15-digit numbers are upgraded)"),
        ),
        Column(
            "sex",
            "性别",
            "Sex",
            max_length=2,
            parse=parse_sex,
            help=gettext_lazy("男 or 女; taken from the ID number when empty"),
        ),
        Column(
            "birth_date",
            "出生日期",
            "Date of birth",
            parse=parse_date,
            default=None,
            help=gettext_lazy("YYYY-MM-DD; must match the ID number"),
        ),
        Column("phone", "手机号", "Mobile number", max_length=20, help=gettext_lazy("11 digits")),
        Column("employer", "用人单位", "Employer", max_length=200, help=gettext_lazy("The employer's full name")),
        Column(
            "ownership",
            "所有制类型",
            "Ownership type",
            max_length=10,
            parse=parse_ownership,
            help=gettext_lazy("国有, 非公, 外商投资 or 机关事业单位; needed once for an employer new to the union"),
        ),
        Column(
            "started_work_on",
            "参加工作日期",
            "Started work",
            parse=parse_not_future,
            default=None,
            help=gettext_lazy("YYYY-MM-DD; not before the 16th birthday"),
        ),
        Column(
            "is_member",
            "是否会员",
            "Union member",
            max_length=5,
            parse=parse_yes_no,
            default=True,
            help=gettext_lazy("是 or 否 (是 when empty)"),
        ),
        Column(
            "member_since",
            "入会日期",
            "Member since",
            parse=parse_not_future,
            default=None,
            help=gettext_lazy("YYYY-MM-DD; not before the 16th birthday nor the day work started"),
        ),
        Column("trade", "工种", "Trade", max_length=100, help=gettext_lazy("e.g. 电工")),
        Column(
            "skill_level",
            "技能等级",
            "Skill level",
            max_length=10,
            parse=parse_skill_level,
            default=None,
            help=gettext_lazy("e.g. 四级 or 中级工"),
        ),
        Column(
            "is_gig_worker",
            "新就业形态",
            "New form of employment",
            max_length=5,
            parse=parse_yes_no,
            default=False,
            help=gettext_lazy("是 for delivery riders, couriers, ride-hailing drivers… (否 when empty)"),
        ),
    ]
    sample = {"name": "张三（示例）", "id_number": "11010519491231002X", "sex": "女", "birth_date": "1949-12-31"}

    def authorise(self, by: Any) -> None:
        services.authorise_import(by, self.context["organisation"])

    def clean_row(self, row: Row) -> None:
        failed = {e.column for e in row.errors}  # cells that did not parse: reported already
        fields, warnings, errors = services.worker_identity_errors(
            name=row.get("name") or "",
            id_number=row.get("id_number") or "",
            phone=row.get("phone") or "",
            sex=row.get("sex") or "",
            birth_date=row.get("birth_date"),
        )
        if "birth_date" in fields:
            errors += services.worker_date_errors(
                birth_date=fields["birth_date"],
                started_work_on=row.get("started_work_on"),
                member_since=row.get("member_since"),
            )
        for exc in errors:
            key = FIELD_COLUMN.get(exc.field, "id_number")
            if self.header_of(key) not in failed:
                row.error(key, exc.messages[0])
        if errors:
            return
        row.values.update(fields)
        for w in warnings:
            self.warnings.append(RowError(row.number, self.header_of("id_number"), w))

    def clean_all(self, rows: list[Row]) -> None:
        organisation = self.context["organisation"]
        known = set(Employer.objects.filter(organisation=organisation).values_list("name", flat=True))
        # A new employer's ownership type need only be given on one of its rows.
        known |= {r["employer"] for r in rows if r.get("employer") and r.get("ownership")}
        seen: dict[str, int] = {}
        for row in rows:
            if row.get("employer") and not row.get("ownership") and row["employer"] not in known:
                row.error(
                    "ownership", _("The new employer “%(name)s” needs an ownership type") % {"name": row["employer"]}
                )
            number = row.get("id_number")
            if number in seen:
                row.error("id_number", _("The same ID number as in row %(row)d") % {"row": seen[number]})
            elif number:
                seen[number] = row.number
        numbers = list(seen)
        existing: set[str] = set()
        for i in range(0, len(numbers), 500):  # a 20,000-row file stays a handful of queries
            existing.update(
                Worker.objects.filter(id_number__in=numbers[i : i + 500]).values_list("id_number", flat=True)
            )
        for row in rows:
            if row.get("id_number") in existing and row.number == seen.get(row["id_number"]):
                row.error("id_number", _("A worker with this ID number already exists"))

    def write(self, rows: list[Row], by: Any) -> dict[str, int]:
        organisation = self.context["organisation"]
        ownership = {r["employer"]: r["ownership"] for r in rows if r.get("employer") and r.get("ownership")}
        employers: dict[str, Employer] = {}
        for name in dict.fromkeys(r["employer"] for r in rows if r.get("employer")):
            employers[name] = services.employer_get_or_create(
                name=name, organisation=organisation, ownership=ownership.get(name), by=by, check_scope=False
            )
        workers = [
            Worker(
                organisation=organisation,
                employer=employers.get(r.get("employer", "")),
                name=r["name"],
                id_number=r["id_number"],
                birth_date=r["birth_date"],
                sex=r["sex"],
                phone=r["phone"],
                is_member=r["is_member"],
                member_since=r["member_since"],
                started_work_on=r["started_work_on"],
                trade=r.get("trade", ""),
                skill_level=r["skill_level"],
                is_gig_worker=r["is_gig_worker"],
            )
            for r in rows
        ]
        Worker.objects.bulk_create(workers, batch_size=500)
        created = {w.id_number: w for w in Worker.objects.filter(id_number__in=[r["id_number"] for r in rows])}
        today = dt.date.today()
        SkillLevelRecord.objects.bulk_create(
            [
                SkillLevelRecord(
                    worker=created[r["id_number"]],
                    level=r["skill_level"],
                    trade=r.get("trade", ""),
                    obtained_on=today,
                    source=SkillLevelRecord.Source.IMPORT,
                )
                for r in rows
                if r["skill_level"]
            ],
            batch_size=500,
        )
        # One audit entry per worker (each record's history starts with its import), one for the file.
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    actor=by if getattr(by, "is_authenticated", False) else None,
                    action="worker.import",
                    object_type="people.worker",
                    object_id=str(w.pk),
                    object_repr=w.name,
                    org_path=organisation.path,
                    after=snapshot(w),
                )
                for w in created.values()
            ],
            batch_size=500,
        )
        log_action(
            actor=by,
            action="worker.import",
            obj=organisation,
            after={"count": len(workers)},
            note=_("Imported %(n)d workers") % {"n": len(workers)},
        )
        return {"created": len(workers)}

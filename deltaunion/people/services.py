from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.excel import ExcelError, RowError, list_join, read_table
from deltaunion.core.idnumber import IdNumberError, parse_id_number
from deltaunion.core.models import AuditEntry
from deltaunion.core.permissions import can, require
from deltaunion.core.services import model_update
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.selectors import region_exists
from deltaunion.people.models import Employer, Ownership, SkillLevel, SkillLevelRecord, Worker

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
# What `worker_update` may change: the identity fields (name aside) follow the ID number.
UPDATABLE_FIELDS = ("name", "phone", "employer", "is_member", "member_since", "trade", "is_gig_worker")


def _authorise(by: Any, permission: str, obj: Any, *, check_scope: bool = True) -> None:
    """The refusal rule for `by`: a worker they may not see is a 404 (as if missing); an action
    they may not take on what they see is a 403 with the permission's message.

    No check for the system (`by=None`: demo loaders, fixtures) or when the caller has decided
    already (`check_scope=False`: a contest promoting its winners)."""
    if by is None or not check_scope:
        return
    if isinstance(obj, Worker) and not can(by, "people.view_worker", obj):
        raise Http404("not found")
    require(by, permission, obj)


class WorkerFieldError(ValidationError):
    """A ValidationError about one field of a worker; `field` is the Worker field's name."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, code="invalid")
        self.field = field


def clean_phone(value: str) -> str:
    value = re.sub(r"[\s-]", "", value or "")
    if value and not PHONE_RE.match(value):
        raise WorkerFieldError("phone", _("The mobile number should be an 11-digit mainland China mobile number"))
    return value


def _skill_level_from_text(value: str) -> int | None:
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


def _ownership_from_text(value: str) -> str:
    value = (value or "").strip()
    if value in IMPORT_OWNERSHIPS:
        return IMPORT_OWNERSHIPS[value]
    for choice in Ownership:
        if value in {choice.value, str(choice.label)}:
            return choice.value
    raise ValidationError(
        _("The ownership type should be one of: %(choices)s") % {"choices": list_join(IMPORT_OWNERSHIPS)}
    )


@transaction.atomic
def employer_get_or_create(
    *,
    name: str,
    organisation: Organisation,
    ownership: str | None,
    by: Any,
    region_code: str = "",
    is_demo: bool = False,
    check_scope: bool = True,
) -> Employer:
    """The union's employer of that name, registered first if it is new (then it needs an ownership type)."""
    _authorise(by, "people.create_employer", organisation, check_scope=check_scope)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("The employer name cannot be empty"))
    existing = Employer.objects.filter(organisation=organisation, name=name).first()
    if existing:
        return existing
    if not ownership:
        raise ValidationError(_("The new employer “%(name)s” needs an ownership type") % {"name": name})
    employer = Employer.objects.create(
        name=name,
        organisation=organisation,
        ownership=ownership,
        region_id=region_code or organisation.region_id,
        is_demo=is_demo,
    )
    log_action(actor=by, action="employer.create", obj=employer, after=snapshot(employer))
    return employer


def _worker_fields(
    *, name: str, id_number: str, phone: str = "", sex: str = "", birth_date: dt.date | None = None
) -> tuple[dict[str, Any], list[str]]:
    """Validate and normalise a worker's identity fields; raise WorkerFieldError naming the field."""
    name = (name or "").strip()
    if not name:
        raise WorkerFieldError("name", _("The name cannot be empty"))
    if len(name) > 100:
        raise WorkerFieldError("name", _("The name cannot be longer than 100 characters"))
    try:
        info = parse_id_number(id_number, region_known=region_exists)
    except IdNumberError as exc:
        raise WorkerFieldError("id_number", str(exc)) from None
    if sex and sex != info.sex:
        raise WorkerFieldError("sex", _("The sex does not match the ID number"))
    if birth_date and birth_date != info.birth_date:
        raise WorkerFieldError("birth_date", _("The date of birth does not match the ID number"))
    fields = {
        "name": name,
        "id_number": info.number,
        "birth_date": info.birth_date,
        "sex": info.sex,
        "phone": clean_phone(phone),
    }
    return fields, list(info.warnings)


def _check_employer(employer: Employer | None, organisation: Organisation) -> None:
    """An employer registered with the worker's union, or with one above or below it."""
    if employer is not None and not (
        organisation.path.startswith(employer.organisation.path)
        or employer.organisation.path.startswith(organisation.path)
    ):
        raise ValidationError(_("The employer does not belong to this union"))


@transaction.atomic
def worker_create(
    *,
    organisation: Organisation,
    name: str,
    id_number: str,
    by: Any,
    phone: str = "",
    employer: Employer | None = None,
    is_member: bool = True,
    member_since: dt.date | None = None,
    trade: str = "",
    is_gig_worker: bool = False,
    user: Any = None,
    is_demo: bool = False,
    check_scope: bool = True,
) -> Worker:
    """Register a worker: birth date and sex come from the ID number; `user` is their login, if any."""
    _authorise(by, "people.create_worker", organisation, check_scope=check_scope)
    fields, _warnings = _worker_fields(name=name, id_number=id_number, phone=phone)
    if Worker.objects.filter(id_number=fields["id_number"]).exists():
        raise ValidationError(_("A worker with this ID number already exists"))
    _check_employer(employer, organisation)
    try:
        with transaction.atomic():
            worker = Worker.objects.create(
                organisation=organisation,
                employer=employer,
                is_member=is_member,
                member_since=member_since,
                trade=trade,
                is_gig_worker=is_gig_worker,
                user=user,
                is_demo=is_demo,
                **fields,
            )
    except IntegrityError:
        raise ValidationError(_("A worker with this ID number already exists")) from None
    log_action(actor=by, action="worker.create", obj=worker, after=snapshot(worker))
    return worker


@transaction.atomic
def worker_update(*, worker: Worker, by: Any, **changes: Any) -> Worker:
    """Change a worker's record (one audit entry; none if nothing changes). The ID number and
    what follows from it are not changed here: a wrong number is a new registration."""
    _authorise(by, "people.update_worker", worker)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise WorkerFieldError("name", _("The name cannot be empty"))
    if "phone" in changes:
        changes["phone"] = clean_phone(changes["phone"])
    if "employer" in changes:
        _check_employer(changes["employer"], worker.organisation)
    model_update(instance=worker, fields=UPDATABLE_FIELDS, data=changes, by=by, action="worker.update")
    return worker


@transaction.atomic
def skill_level_record_add(
    *,
    worker: Worker,
    level: int,
    obtained_on: dt.date,
    by: Any,
    source: str = SkillLevelRecord.Source.CERTIFICATION,
    trade: str = "",
    reference: str = "",
    check_scope: bool = True,
) -> SkillLevelRecord:
    """Add a step to the skill-level history; the worker's current level follows the latest step."""
    _authorise(by, "people.update_worker", worker, check_scope=check_scope)
    if level not in SkillLevel.values:
        raise ValidationError(_("The skill level should be from level 1 to level 5"))
    if obtained_on > dt.date.today():
        raise ValidationError(_("The date obtained cannot be later than today"))
    record = SkillLevelRecord.objects.create(
        worker=worker,
        level=level,
        obtained_on=obtained_on,
        source=source,
        trade=trade or worker.trade,
        reference=reference,
    )
    latest = worker.skill_levels.order_by("-obtained_on", "-id").first()
    before = {"skill_level": worker.skill_level}
    Worker.objects.filter(pk=worker.pk).update(skill_level=latest.level)
    worker.skill_level = latest.level
    log_action(
        actor=by,
        action="worker.skill_level",
        obj=worker,
        before=before,
        after={"skill_level": worker.skill_level, "record": record.pk, "source": source},
    )
    return record


@transaction.atomic
def worker_link_account(*, worker: Worker, user: Any, by: Any) -> Worker:
    """Link the worker's record to their login account (they then see their own record)."""
    _authorise(by, "people.update_worker", worker)
    if user is not None and Worker.objects.filter(user=user).exclude(pk=worker.pk).exists():
        raise ValidationError(_("This login account already belongs to another worker"))
    model_update(instance=worker, fields=["user"], data={"user": user}, by=by, action="worker.link_account")
    return worker


# --- bulk import -------------------------------------------------------------
# The import file is a format users fill in Chinese: its column headers and the words its
# cells may hold are fixed here, whatever the language of the user interface.

IMPORT_REQUIRED = ("姓名", "身份证号")
IMPORT_OPTIONAL = (
    "性别",
    "出生日期",
    "手机号",
    "用人单位",
    "所有制类型",
    "是否会员",
    "入会日期",
    "工种",
    "技能等级",
    "新就业形态",
)
YES = {"是", "Y", "y", "yes", "Yes", "1", "true", "TRUE"}
NO = {"否", "N", "n", "no", "No", "0", "false", "FALSE"}
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
# The column an invalid Worker field is reported under.
IMPORT_COLUMN_OF_FIELD = {
    "name": "姓名",
    "id_number": "身份证号",
    "phone": "手机号",
    "sex": "性别",
    "birth_date": "出生日期",
}


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_bool(value: str, default: bool) -> bool:
    if value == "":
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError(_("Should be “是” (yes) or “否” (no)"))


def _parse_date(value: Any) -> dt.date | None:
    if value in ("", None):
        return None
    if isinstance(value, dt.date):
        return value
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(str(value), fmt).date()
        except ValueError:
            continue
    raise ValidationError(_("Dates should be written as YYYY-MM-DD"))


def _sex_from_text(value: str) -> str:
    if not value:
        return ""
    mapping = {"男": "M", "女": "F", "M": "M", "F": "F"}
    if value not in mapping:
        raise ValidationError(_("The sex should be “男” (male) or “女” (female)"))
    return mapping[value]


def workers_import(*, data: bytes, organisation: Organisation, by: Any, max_rows: int = 20000) -> ImportResult:
    """Import workers from .xlsx into `organisation`: every row is written, or none is.

    All rows are validated first and every problem is reported with its row and column;
    only a clean file reaches the database, inside one transaction.
    """
    _authorise(by, "people.import_workers", organisation)
    result = ImportResult()
    try:
        rows = read_table(data, required=IMPORT_REQUIRED, optional=IMPORT_OPTIONAL, max_rows=max_rows)
    except ExcelError as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return result

    known_employers = set(Employer.objects.filter(organisation=organisation).values_list("name", flat=True))
    # A new employer's ownership type need only be given on one of its rows.
    known_employers |= {r.get("用人单位", "")[:200] for r in rows if r.get("用人单位") and r.get("所有制类型")}
    seen: dict[str, int] = {}
    parsed: list[dict[str, Any]] = []
    ids_in_file = []
    for row in rows:
        n = row["_row"]
        rec: dict[str, Any] = {"_row": n}
        row_ok = True

        def fail(column: str, message: str, n: int = n) -> None:
            nonlocal row_ok
            row_ok = False
            result.errors.append(RowError(n, column, message))

        try:
            sex = _sex_from_text(row.get("性别", ""))
        except ValidationError as exc:
            fail("性别", exc.messages[0])
            sex = ""
        try:
            birth = _parse_date(row.get("出生日期", ""))
        except ValidationError as exc:
            fail("出生日期", exc.messages[0])
            birth = None
        try:
            fields, warnings = _worker_fields(
                name=row.get("姓名", ""),
                id_number=row.get("身份证号", ""),
                phone=row.get("手机号", ""),
                sex=sex,
                birth_date=birth,
            )
            rec.update(fields)
            for w in warnings:
                result.warnings.append(RowError(n, "身份证号", w))
        except ValidationError as exc:
            field_name = getattr(exc, "field", "id_number")
            fail(IMPORT_COLUMN_OF_FIELD.get(field_name, "身份证号"), exc.messages[0])
        if "id_number" in rec:
            first = seen.get(rec["id_number"])
            if first is not None:
                fail("身份证号", _("The same ID number as in row %(row)d") % {"row": first})
            else:
                seen[rec["id_number"]] = n
                ids_in_file.append(rec["id_number"])
        try:
            rec["is_member"] = _parse_bool(row.get("是否会员", ""), True)
        except ValidationError as exc:
            fail("是否会员", exc.messages[0])
        try:
            rec["is_gig_worker"] = _parse_bool(row.get("新就业形态", ""), False)
        except ValidationError as exc:
            fail("新就业形态", exc.messages[0])
        try:
            rec["member_since"] = _parse_date(row.get("入会日期", ""))
        except ValidationError as exc:
            fail("入会日期", exc.messages[0])
        try:
            rec["skill_level"] = _skill_level_from_text(row.get("技能等级", ""))
        except ValidationError as exc:
            fail("技能等级", exc.messages[0])
        rec["trade"] = row.get("工种", "")[:100]
        rec["employer_name"] = row.get("用人单位", "")[:200]
        ownership_text = row.get("所有制类型", "")
        rec["ownership"] = ""
        if ownership_text:
            try:
                rec["ownership"] = _ownership_from_text(ownership_text)
            except ValidationError as exc:
                fail("所有制类型", exc.messages[0])
        if rec["employer_name"] and not ownership_text and rec["employer_name"] not in known_employers:
            fail(
                "所有制类型", _("The new employer “%(name)s” needs an ownership type") % {"name": rec["employer_name"]}
            )
        if row_ok:
            parsed.append(rec)

    # Existing workers, checked in chunks so a 20,000-row file stays a handful of queries.
    existing: set[str] = set()
    for i in range(0, len(ids_in_file), 500):
        existing.update(
            Worker.objects.filter(id_number__in=ids_in_file[i : i + 500]).values_list("id_number", flat=True)
        )
    for rec in parsed:
        if rec["id_number"] in existing:
            result.errors.append(RowError(rec["_row"], "身份证号", _("A worker with this ID number already exists")))
    if result.errors:
        result.errors.sort(key=lambda e: (e.row, e.column))
        return result

    today = dt.date.today()
    with transaction.atomic():
        employers: dict[str, Employer] = {}
        ownership_by_name = {
            r["employer_name"]: r["ownership"] for r in parsed if r["employer_name"] and r["ownership"]
        }
        for rec in parsed:
            name = rec["employer_name"]
            if name and name not in employers:
                employers[name] = employer_get_or_create(
                    name=name,
                    organisation=organisation,
                    ownership=ownership_by_name.get(name),
                    by=by,
                    check_scope=False,  # decided above, for the whole file
                )
        workers = [
            Worker(
                organisation=organisation,
                employer=employers.get(rec["employer_name"]),
                name=rec["name"],
                id_number=rec["id_number"],
                birth_date=rec["birth_date"],
                sex=rec["sex"],
                phone=rec["phone"],
                is_member=rec["is_member"],
                member_since=rec["member_since"],
                trade=rec["trade"],
                skill_level=rec["skill_level"],
                is_gig_worker=rec["is_gig_worker"],
            )
            for rec in parsed
        ]
        Worker.objects.bulk_create(workers, batch_size=500)
        created = {w.id_number: w for w in Worker.objects.filter(id_number__in=[r["id_number"] for r in parsed])}
        SkillLevelRecord.objects.bulk_create(
            [
                SkillLevelRecord(
                    worker=created[r["id_number"]],
                    level=r["skill_level"],
                    trade=r["trade"],
                    obtained_on=today,
                    source=SkillLevelRecord.Source.IMPORT,
                )
                for r in parsed
                if r["skill_level"]
            ],
            batch_size=500,
        )
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    actor=by,
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
    result.created = len(parsed)
    return result

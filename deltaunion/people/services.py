from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.idnumber import IdNumberError, parse_id_number
from deltaunion.core.permissions import can, require
from deltaunion.core.services import model_update
from deltaunion.orgs.models import Organisation
from deltaunion.people import plausibility
from deltaunion.people.models import Employer, SkillLevel, SkillLevelRecord, Worker

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
# What `worker_update` may change: the identity fields (name aside) follow the ID number.
UPDATABLE_FIELDS = (
    "name",
    "phone",
    "employer",
    "started_work_on",
    "is_member",
    "member_since",
    "trade",
    "is_gig_worker",
)


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


def worker_identity_errors(
    *, name: str, id_number: str, phone: str = "", sex: str = "", birth_date: dt.date | None = None
) -> tuple[dict[str, Any], list[str], list[WorkerFieldError]]:
    """Validate and normalise a worker's identity fields: (the clean fields, warnings, every
    error found, each naming its field). The fields are complete only when there is no error."""
    errors: list[WorkerFieldError] = []
    fields: dict[str, Any] = {}
    warnings: list[str] = []
    name = (name or "").strip()
    if not name:
        errors.append(WorkerFieldError("name", _("The name cannot be empty")))
    elif len(name) > 100:
        errors.append(WorkerFieldError("name", _("The name cannot be longer than 100 characters")))
    else:
        fields["name"] = name
    try:
        info = parse_id_number(id_number)
    except IdNumberError as exc:
        errors.append(WorkerFieldError("id_number", str(exc)))
    else:
        if sex and sex != info.sex:
            errors.append(WorkerFieldError("sex", _("The sex does not match the ID number")))
        if birth_date and birth_date != info.birth_date:
            errors.append(WorkerFieldError("birth_date", _("The date of birth does not match the ID number")))
        fields.update(id_number=info.number, birth_date=info.birth_date, sex=info.sex)
        warnings = list(info.warnings)
    try:
        fields["phone"] = clean_phone(phone)
    except WorkerFieldError as exc:
        errors.append(exc)
    return fields, warnings, errors


def worker_identity(
    *, name: str, id_number: str, phone: str = "", sex: str = "", birth_date: dt.date | None = None
) -> tuple[dict[str, Any], list[str]]:
    """Validate and normalise a worker's identity fields; raise WorkerFieldError naming the
    field (the first error: `worker_identity_errors` gives them all)."""
    fields, warnings, errors = worker_identity_errors(
        name=name, id_number=id_number, phone=phone, sex=sex, birth_date=birth_date
    )
    if errors:
        raise errors[0]
    return fields, warnings


def worker_date_errors(
    *, birth_date: dt.date, started_work_on: dt.date | None, member_since: dt.date | None
) -> list[WorkerFieldError]:
    """Every broken rule of the dates a worker starts work and joins the union
    (`people.plausibility`): not before the 16th birthday, not in the future, joined after
    starting work."""
    sixteen = plausibility.sixteenth_birthday(birth_date)
    messages = {
        "work_before_16": (
            "started_work_on",
            _("The date started work cannot be before the worker's 16th birthday (%(date)s)"),
        ),
        "work_in_future": ("started_work_on", _("The date started work cannot be later than today")),
        "joined_before_16": (
            "member_since",
            _("The date joined the union cannot be before the worker's 16th birthday (%(date)s)"),
        ),
        "joined_in_future": ("member_since", _("The date joined the union cannot be later than today")),
        "joined_before_work": ("member_since", _("The date joined the union cannot be before the date started work")),
    }
    problems = plausibility.date_problems(
        birth_date=birth_date, started_work_on=started_work_on, member_since=member_since, today=dt.date.today()
    )
    out = []
    for key in problems:
        field, message = messages[key]
        out.append(WorkerFieldError(field, message % {"date": sixteen.isoformat()}))
    return out


def _check_dates(birth_date: dt.date, started_work_on: dt.date | None, member_since: dt.date | None) -> None:
    errors = worker_date_errors(birth_date=birth_date, started_work_on=started_work_on, member_since=member_since)
    if errors:
        raise errors[0]


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
    started_work_on: dt.date | None = None,
    trade: str = "",
    is_gig_worker: bool = False,
    user: Any = None,
    is_demo: bool = False,
    check_scope: bool = True,
) -> Worker:
    """Register a worker: birth date and sex come from the ID number; `user` is their login, if
    any. The dates they started work and joined the union follow `people.plausibility`."""
    _authorise(by, "people.create_worker", organisation, check_scope=check_scope)
    fields, _warnings = worker_identity(name=name, id_number=id_number, phone=phone)
    _check_dates(fields["birth_date"], started_work_on, member_since)
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
                started_work_on=started_work_on,
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
    if "started_work_on" in changes or "member_since" in changes:
        _check_dates(
            worker.birth_date,
            changes.get("started_work_on", worker.started_work_on),
            changes.get("member_since", worker.member_since),
        )
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


# --- bulk import (declared in people/imports.py) ------------------------------------------


def authorise_import(by: Any, organisation: Organisation) -> None:
    _authorise(by, "people.import_workers", organisation)


def workers_import(*, data: bytes, organisation: Organisation, by: Any) -> Any:
    """Import workers from .xlsx into `organisation`: every row is written, or none is, with
    every error of every row reported (`people.imports.WorkerImport`)."""
    from deltaunion.core.imports import run_import
    from deltaunion.people.imports import WorkerImport

    return run_import(WorkerImport(organisation=organisation), data, by=by)

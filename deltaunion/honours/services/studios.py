"""Innovation studios: registering and changing them, the 七有 evidence, recognitions (which set
the studio's level) and the yearly reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.permissions import require
from deltaunion.core.services import model_update
from deltaunion.honours.models import Studio, StudioCheck, StudioRecognition, StudioReport
from deltaunion.honours.standard import SevenHaves, StudioLevel, highest
from deltaunion.orgs.models import Organisation, Region

STUDIO_FIELDS = (
    "name",
    "employer",
    "lead",
    "members",
    "industry",
    "site",
    "equipment",
    "rules",
    "funding_yuan",
    "founded_on",
)
REPORT_FIGURES = ("topics", "projects", "results", "applied_results", "patents", "savings_yuan")


def _within(obj: Any, organisation: Organisation) -> bool:
    org = getattr(obj, "organisation", None)
    return org is not None and org.path.startswith(organisation.path)


def _check_people(organisation: Organisation, data: dict[str, Any]) -> None:
    lead = data.get("lead")
    if lead is not None and not _within(lead, organisation):
        raise ValidationError(_("The lead must be a worker of the studio's union"))
    employer = data.get("employer")
    if employer is not None and not _within(employer, organisation):
        raise ValidationError(_("The employer must belong to the studio's union"))
    outsiders = [m.name for m in data.get("members") or [] if not _within(m, organisation)]
    if outsiders:
        raise ValidationError(
            _("Team members must be workers of the studio's union: %(names)s") % {"names": "、".join(outsiders)}
        )


def province_of(organisation: Organisation) -> Region | None:
    code = organisation.region_id or ""
    return Region.objects.filter(code=code[:2] + "0000").first() if code else None


@transaction.atomic
def studio_create(*, organisation: Organisation, name: str, lead: Any, by: Any, **fields: Any) -> Studio:
    """Register a studio of `organisation` (officers who manage it); the lead and the team are
    workers of its subtree."""
    require(by, "honours.add_studio", organisation)
    unknown = set(fields) - set(STUDIO_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set: %(f)s") % {"f": ", ".join(sorted(unknown))})
    members = list(fields.pop("members", []) or [])
    _check_people(organisation, {"lead": lead, "members": members, **fields})
    name = (name or "").strip()
    if Studio.objects.filter(organisation=organisation, name=name).exists():
        raise ValidationError(_("The union already has a studio of this name"))
    studio = Studio(organisation=organisation, province=province_of(organisation), name=name, lead=lead, **fields)
    studio.full_clean()
    studio.save()
    studio.members.set(members)
    log_action(
        actor=by,
        action="studio.create",
        obj=studio,
        after={**snapshot(studio, ["name", "lead_id", "employer_id", "industry"]), "members": [m.pk for m in members]},
    )
    return studio


@transaction.atomic
def studio_update(*, studio: Studio, by: Any, **changes: Any) -> Studio:
    require(by, "honours.manage_studio", studio)
    _check_people(studio.organisation, changes)
    model_update(instance=studio, fields=STUDIO_FIELDS, data=changes, by=by)
    return studio


@transaction.atomic
def studio_check_set(*, studio: Studio, item: str, evidence: str, by: Any) -> StudioCheck:
    """Record (or clear) the evidence for one item of the 七有 standard."""
    require(by, "honours.manage_studio", studio)
    if item not in SevenHaves.values:
        raise ValidationError(_("Unknown item of the standard"))
    check, created = StudioCheck.objects.get_or_create(studio=studio, item=item)
    model_update(instance=check, fields=["evidence"], data={"evidence": (evidence or "").strip()}, by=by)
    return check


def _refresh_level(studio: Studio, by: Any) -> None:
    level = highest(list(StudioRecognition.objects.filter(studio=studio).values_list("level", flat=True)))
    model_update(instance=studio, fields=["level"], data={"level": level}, by=by, action="studio.level")


def recognition_record(
    *,
    studio: Studio,
    level: str,
    recognised_on: dt.date,
    body: str,
    by: Any,
    title: str = "",
    award: Any = None,
) -> StudioRecognition:
    """Write a recognition (and the studio's level that follows). Called by `studio_recognise`
    and by naming, which has checked its own permission."""
    if level not in StudioLevel.values:
        raise ValidationError(_("Unknown studio level"))
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Name the body that recognised the studio"))
    recognition = StudioRecognition(
        studio=studio, level=level, recognised_on=recognised_on, body=body, title=(title or "").strip(), award=award
    )
    recognition.full_clean()
    recognition.save()
    log_action(
        actor=by,
        action="studio.recognise",
        obj=studio,
        after=snapshot(recognition, ["level", "recognised_on", "body"]),
    )
    _refresh_level(studio, by)
    return recognition


@transaction.atomic
def studio_recognise(
    *, studio: Studio, level: str, recognised_on: dt.date, body: str, by: Any, title: str = ""
) -> StudioRecognition:
    """An officer records a recognition the studio received (its date and body)."""
    require(by, "honours.manage_studio", studio)
    return recognition_record(studio=studio, level=level, recognised_on=recognised_on, body=body, title=title, by=by)


def recognition_remove(*, recognition: StudioRecognition, by: Any, note: str = "") -> None:
    """A revoked honour takes its recognition away (called by `award_revoke`)."""
    studio = recognition.studio
    log_action(
        actor=by,
        action="studio.recognition_remove",
        obj=studio,
        before=snapshot(recognition, ["level", "recognised_on", "body"]),
        note=note,
    )
    recognition.delete()
    _refresh_level(studio, by)


def _figures(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in REPORT_FIGURES:
        if key not in values:
            continue
        value = values[key]
        if key == "savings_yuan":
            value = Decimal(str(value if value not in (None, "") else 0))
        else:
            value = int(value or 0)
        if value < 0:
            raise ValidationError(_("The figures cannot be negative"))
        out[key] = value
    if out.get("applied_results", 0) > out.get("results", 0):
        raise ValidationError(_("Results put into use cannot be more than the results"))
    return out


def report_write(*, studio: Studio, year: int, by: Any, **values: Any) -> tuple[StudioReport, bool]:
    """Create or change the studio's report of `year` (no permission check: for the callers)."""
    figures = _figures(values)
    report = StudioReport.objects.select_for_update().filter(studio=studio, year=year).first()
    if report is None:
        report = StudioReport(studio=studio, year=year, **figures)
        report.full_clean()
        report.save()
        log_action(
            actor=by, action="studio_report.create", obj=report, after=snapshot(report, ["year", *REPORT_FIGURES])
        )
        return report, True
    model_update(instance=report, fields=REPORT_FIGURES, data=figures, by=by)
    return report, False


@transaction.atomic
def studio_report_save(*, studio: Studio, year: int, by: Any, **values: Any) -> StudioReport:
    """The studio's yearly figures (created, or changed for a year already reported)."""
    require(by, "honours.manage_studio", studio)
    if not 1949 <= int(year) <= 2100:
        raise ValidationError(_("Give a year from 1949 to 2100"))
    report, _created = report_write(studio=studio, year=int(year), by=by, **values)
    return report

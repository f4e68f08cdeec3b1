"""The registration import (a sending union enters its competitors for a stage), declared on the
kernel's import framework (`core.imports`). Headers and cell words are the Chinese format users fill."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deltaunion.contests.models import Registration, Stage, TeamMember
from deltaunion.contests.services.registration import OPEN_FOR_ENTRY, _check_entry, _take_places
from deltaunion.core.audit import log_action
from deltaunion.core.idnumber import IdNumberError, parse_id_number
from deltaunion.core.imports import Column, Importer, Row, register
from deltaunion.core.permissions import require
from deltaunion.orgs.models import Organisation
from deltaunion.people.models import Worker


def parse_id(value: Any) -> str:
    try:
        return parse_id_number(str(value)).number
    except IdNumberError as exc:
        raise ValidationError(str(exc)) from None


def split_ids(value: str) -> list[str]:
    for sep in "、，,；; ":
        value = value.replace(sep, ",")
    return [v for v in value.split(",") if v]


def parse_members(value: Any) -> list[str]:
    numbers, errors = [], []
    for raw in split_ids(str(value)):
        try:
            numbers.append(parse_id(raw))
        except ValidationError as exc:
            errors.append(f"{raw}：{exc.messages[0]}")
    if errors:
        raise ValidationError(errors)
    return numbers


@register
class RegistrationImport(Importer):
    key = "contests.registrations"
    title = gettext_lazy("Registrations")
    context_models = {"stage": Stage, "organisation": Organisation}
    columns = [
        Column(
            "id_number",
            "身份证号",
            "ID number",
            required=True,
            max_length=18,
            parse=parse_id,
            help=gettext_lazy("The competitor's ID number (for a team: the team leader's)"),
        ),
        Column("name", "姓名", "Name", required=True, max_length=100, help=gettext_lazy("Must match the ID number")),
        Column("team_name", "队名", "Team name", max_length=100, help=gettext_lazy("Team contests only")),
        Column(
            "members",
            "队员身份证号",
            "Team members' ID numbers",
            max_length=2000,
            parse=parse_members,
            default=[],
            help=gettext_lazy("Team contests only: the other members' ID numbers, separated by commas"),
        ),
    ]
    sample = {"id_number": "11010519491231002X", "name": "张三（示例）"}

    def authorise(self, by: Any) -> None:
        require(by, "contests.enter_for_union", self.context["organisation"])

    def check_context(self) -> str | None:
        if self.context["stage"].status not in OPEN_FOR_ENTRY:
            return _("Registration for this stage is not open")
        return None

    def clean_all(self, rows: list[Row]) -> None:
        stage, organisation = self.context["stage"], self.context["organisation"]
        wanted = {n for r in rows for n in [r.get("id_number"), *r.get("members", [])] if n}
        workers = {
            w.id_number: w
            for w in Worker.objects.filter(id_number__in=wanted).select_related("organisation", "employer")
        }
        seen: dict[int, int] = {}
        for row in rows:
            worker = workers.get(row.get("id_number"))
            if row.get("id_number") and worker is None:
                row.error("id_number", _("No worker with this ID number"))
            if worker is not None and row.get("name") and row["name"] != worker.name:
                row.error("name", _("The name does not match the ID number"))
            members = []
            for number in row.get("members", []):
                member = workers.get(number)
                if member is None:
                    row.error("members", _("No worker with the ID number %(id)s") % {"id": number})
                else:
                    members.append(member)
            for w in [worker, *members] if worker else members:
                if w.pk in seen:
                    row.error("id_number", _("Same worker as in row %(row)d") % {"row": seen[w.pk]})
                else:
                    seen[w.pk] = row.number
            if worker is None or not row.ok:
                continue
            for problem in _check_entry(
                stage=stage,
                worker=worker,
                organisation=organisation,
                members=members,
                team_name=row.get("team_name", ""),
            ):
                row.error("id_number", problem)
            row.values["worker"], row.values["member_workers"] = worker, members

    def write(self, rows: list[Row], by: Any) -> dict[str, int]:
        stage, organisation = self.context["stage"], self.context["organisation"]
        try:
            with transaction.atomic():
                _take_places(stage, organisation, len(rows))
                now = timezone.now()
                for row in rows:
                    reg = Registration.objects.create(
                        stage=stage,
                        organisation=organisation,
                        worker=row["worker"],
                        team_name=row.get("team_name", ""),
                        status=Registration.Status.APPROVED,
                        source=Registration.Source.IMPORT,
                        decided_by=by,
                        decided_at=now,
                    )
                    TeamMember.objects.bulk_create(
                        [TeamMember(registration=reg, stage=stage, worker=m) for m in row["member_workers"]]
                    )
        except IntegrityError:
            raise ValidationError(_("Some of these workers entered meanwhile; nothing was imported")) from None
        log_action(
            actor=by,
            action="registration.import",
            obj=stage,
            after={"count": len(rows)},
            note=str(organisation),
        )
        return {"created": len(rows)}

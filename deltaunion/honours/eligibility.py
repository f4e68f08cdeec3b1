"""The checks of a nomination: is the nominee eligible, is the nomination complete, is an expert
conflicted. Read-only; the services refuse or guard with them and the pages show their messages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from deltaunion.core.excel import list_join
from deltaunion.honours.models import (
    Award,
    MaterialAnswer,
    Nomination,
    PanelMember,
    RecipientKind,
    RequiredMaterial,
    Selection,
    StudioCheck,
)
from deltaunion.honours.standard import SevenHaves, StudioLevel, level_rank, missing_items
from deltaunion.people.models import SkillLevel, Title


def _within(organisation: Any, union: Any) -> bool:
    return organisation is not None and union is not None and organisation.path.startswith(union.path)


def nominee_problems(nomination: Nomination) -> list[str]:
    """Why the nominee may not be nominated for this category by this union (empty: eligible)."""
    selection: Selection = nomination.selection
    category = nomination.category
    honour = category.honour
    union = nomination.organisation
    problems: list[str] = []
    if category.selection_id != selection.pk:
        return [_("The category does not belong to this selection")]
    if nomination.kind != honour.recipient_kind:
        return [
            _("“%(honour)s” is conferred on: %(kind)s")
            % {"honour": honour.name, "kind": RecipientKind(honour.recipient_kind).label}
        ]
    kind = nomination.kind
    if kind == RecipientKind.PERSON:
        worker = nomination.worker
        if not _within(worker.organisation, union):
            problems.append(_("%(name)s does not belong to the nominating union") % {"name": worker.name})
        problems.extend(person_rule_problems(selection, worker, nomination.years_in_trade))
        if Award.objects.filter(worker=worker, honour=honour, status=Award.Status.VALID).exists():
            problems.append(
                _("%(name)s already holds the honour “%(honour)s”") % {"name": worker.name, "honour": honour.name}
            )
    elif kind == RecipientKind.STUDIO:
        studio = nomination.studio
        if not _within(studio.organisation, union):
            problems.append(_("The studio does not belong to the nominating union"))
        if honour.studio_level:
            missing = studio_missing_items(studio, honour.studio_level)
            if missing:
                problems.append(
                    _("A studio at the level “%(level)s” must meet every item it requires; missing: %(items)s")
                    % {
                        "level": StudioLevel(honour.studio_level).label,
                        "items": list_join(str(SevenHaves(i).label) for i in missing),
                    }
                )
            if level_rank(studio.level) >= level_rank(honour.studio_level):
                problems.append(
                    _("The studio is already recognised at the level “%(level)s” or higher")
                    % {"level": StudioLevel(honour.studio_level).label}
                )
    elif kind == RecipientKind.RESULT:
        result = nomination.result
        if not _within(result.organisation, union):
            problems.append(_("The result does not belong to the nominating union"))
        if selection.contest_id and result.contest_id != selection.contest_id:
            problems.append(_("Only results of the selection's contest may be nominated"))
    else:
        if not nomination.team_name.strip():
            problems.append(_("Name the team or collective"))
        employer = nomination.team_employer
        if employer is not None and not _within(employer.organisation, union):
            problems.append(_("The team's employer does not belong to the nominating union"))
    return problems


def person_rule_problems(selection: Selection, worker: Any, years_in_trade: int | None) -> list[str]:
    """The selection's eligibility rules for people: trade, years, skill level, prior honours."""
    problems: list[str] = []
    if selection.members_only and not worker.is_member:
        problems.append(_("%(name)s is not a union member") % {"name": worker.name})
    if selection.trades and worker.trade not in selection.trades:
        problems.append(
            _("The trade must be one of: %(trades)s (%(name)s: %(trade)s)")
            % {"trades": list_join(selection.trades), "name": worker.name, "trade": worker.trade or "—"}
        )
    if selection.min_years is not None and (years_in_trade or 0) < selection.min_years:
        problems.append(
            _("At least %(n)d years in the trade are required (given: %(given)s)")
            % {"n": selection.min_years, "given": years_in_trade if years_in_trade is not None else "—"}
        )
    level = selection.skill_level_at_least
    if level is not None and (worker.skill_level is None or worker.skill_level > level):
        problems.append(_("The skill level must be “%(level)s” or higher") % {"level": SkillLevel(level).label})
    if selection.prior_title_kinds:
        held = set(Title.objects.filter(worker=worker).values_list("kind", flat=True))
        if not held & set(selection.prior_title_kinds):
            problems.append(
                _("A prior honour is required: %(kinds)s")
                % {"kinds": list_join(str(Title.Kind(k).label) for k in selection.prior_title_kinds)}
            )
    return problems


def studio_met_items(studio: Any) -> set[str]:
    return {c.item for c in StudioCheck.objects.filter(studio=studio) if c.met}


def studio_missing_items(studio: Any, level: str) -> list[str]:
    return missing_items(level, studio_met_items(studio))


def completeness_problems(nomination: Nomination) -> list[str]:
    """The required materials the nomination has not given yet, and a missing statement."""
    problems: list[str] = []
    if not nomination.statement.strip():
        problems.append(_("Write the nominee's deeds and the reasons for the nomination"))
    given = {
        a.material_id
        for a in MaterialAnswer.objects.filter(nomination=nomination).select_related("material")
        if a.given
    }
    for material in RequiredMaterial.objects.filter(selection_id=nomination.selection_id, required=True):
        if material.pk not in given:
            problems.append(_("Required material missing: %(label)s") % {"label": material.label})
    return problems


def _region_code(nomination: Nomination) -> str:
    employer = nomination.nominee_employer()
    if employer is not None and employer.region_id:
        return employer.region_id
    owner = {
        RecipientKind.PERSON: lambda n: n.worker.organisation,
        RecipientKind.STUDIO: lambda n: n.studio.organisation,
        RecipientKind.RESULT: lambda n: n.result.organisation,
    }.get(nomination.kind, lambda n: n.organisation)(nomination)
    return getattr(owner, "region_id", "") or ""


def _nominee_users(nomination: Nomination) -> set[int]:
    if nomination.kind == RecipientKind.PERSON:
        return {nomination.worker.user_id} - {None}
    if nomination.kind == RecipientKind.STUDIO:
        studio = nomination.studio
        return ({studio.lead.user_id} | set(studio.members.values_list("user_id", flat=True))) - {None}
    if nomination.kind == RecipientKind.RESULT:
        return set(nomination.result.owners.values_list("user_id", flat=True)) - {None}
    return set()


def conflict_reason(member: PanelMember, nomination: Nomination) -> str:
    """Why the expert may not score the nomination ("" when they may): the nominee is the expert,
    works for the expert's employer, or — when the selection says so — in the expert's city."""
    if member.user_id in _nominee_users(nomination):
        return _("The expert is the nominee or one of them")
    employer = nomination.nominee_employer()
    if employer is not None and (
        employer.pk == member.employer_id or (member.works_for and employer.name == member.works_for)
    ):
        return _("The nominee works for the expert's employer")
    if nomination.selection.conflict_same_city and member.city_id:
        code = _region_code(nomination)
        if code and code[:4] == member.city_id[:4]:
            return _("The nominee is from the expert's city")
    return ""

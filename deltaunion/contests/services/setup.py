"""Setting a contest up: the contest, stages, venues, roles, marking scheme, quotas, award rules."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.contests import scoring
from deltaunion.contests.models import (
    STAGE_STEPS_BY_HAND,
    Aspect,
    Contest,
    ContestFormat,
    ContestLevel,
    ContestRole,
    JudgeAssignment,
    Module,
    PrizeTier,
    PromotionRule,
    Quota,
    Registration,
    Stage,
    TitleRule,
    Trade,
    Venue,
)
from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.permissions import forget, require
from deltaunion.core.services import model_update
from deltaunion.core.statemachine import TransitionError
from deltaunion.orgs.models import Organisation, Region
from deltaunion.people.models import Employer, SkillLevel
from deltaunion.workplans.models import KeyTask

from ._log import create_logged, log_created

# What `contest_update` may change besides the settings (the status moves by transition).
CHANGEABLE = (*Contest.SETTINGS, "title", "level", "key_task", "format", "lead_org", "co_organisers", "trades")


def _decimal(value: Any, label: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(field)s must be a number") % {"field": label}) from None


def _validate_contest(contest: Contest) -> None:
    contest.theory_weight = _decimal(contest.theory_weight, _("Theory weight"))
    contest.practical_weight = _decimal(contest.practical_weight, _("Practical weight"))
    if contest.theory_weight < 0 or contest.practical_weight < 0:
        raise ValidationError(_("Weights cannot be negative"))
    if contest.theory_weight + contest.practical_weight != 1:
        raise ValidationError(_("The theory and practical weights must add up to 100%"))
    unknown = [t for t in contest.tie_breaks or [] if t not in scoring.TIE_BREAKS]
    if unknown:
        raise ValidationError(_("Unknown tie-break: %(names)s") % {"names": ", ".join(map(str, unknown))})
    if contest.min_age is not None and contest.max_age is not None and contest.min_age > contest.max_age:
        raise ValidationError(_("The minimum age cannot be above the maximum age"))
    if (
        contest.level_highest is not None
        and contest.level_lowest is not None
        and contest.level_highest > contest.level_lowest
    ):
        raise ValidationError(_("The skill-level range is reversed (level 1 is the highest)"))
    if contest.team_size_min < 1 or contest.team_size_max < contest.team_size_min:
        raise ValidationError(_("The team size range is not valid"))
    if contest.entry_kind == Contest.EntryKind.INDIVIDUAL:
        contest.team_size_min = contest.team_size_max = 1
    prefixes = contest.region_prefixes or []
    if not isinstance(prefixes, list) or any(
        not (isinstance(p, str) and p.isdigit() and len(p) <= 6) for p in prefixes
    ):
        raise ValidationError(_("Region prefixes must be division-code digits, e.g. 31 or 3205"))
    if contest.judges_min < 3:
        raise ValidationError(_("A judgement aspect needs at least 3 judges"))
    if contest.ends_on and contest.starts_on and contest.ends_on < contest.starts_on:
        raise ValidationError(_("The contest cannot end before it starts"))
    contest.recheck_share = _decimal(contest.recheck_share, _("Re-check share"))
    if not Decimal(0) <= contest.recheck_share <= 1:
        raise ValidationError(_("The re-check share must be between 0 and 1"))


@transaction.atomic
def contest_create(
    *,
    title: str,
    lead_org: Organisation,
    by: Any,
    format: str = ContestFormat.JUDGED_SKILL,
    level: str = ContestLevel.REGION,
    key_task: KeyTask | None = None,
    co_organisers: Iterable[Organisation] = (),
    trades: Iterable[Trade] = (),
    **settings: Any,
) -> Contest:
    require(by, "contests.create_contest", lead_org)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("The contest needs a title"))
    if format not in ContestFormat.values:
        raise ValidationError(_("Unknown contest format"))
    if level not in ContestLevel.values:
        raise ValidationError(_("Unknown contest level"))
    unknown = set(settings) - set(Contest.SETTINGS)
    if unknown:
        raise ValidationError(_("Unknown contest settings: %(names)s") % {"names": ", ".join(sorted(unknown))})
    if key_task is not None and key_task.kind != KeyTask.Kind.CONTEST:
        raise ValidationError(_("The key task is not a contest task"))
    contest = Contest(title=title, format=format, level=level, key_task=key_task, lead_org=lead_org, **settings)
    if key_task is not None and not contest.plan_tier:
        contest.plan_tier = key_task.tier
    if not contest.tie_breaks:
        contest.tie_breaks = list(scoring.DEFAULT_TIE_BREAKS)
    _validate_contest(contest)
    contest.save()
    contest.co_organisers.set([o for o in co_organisers if o.pk != lead_org.pk])
    contest.trades.set(list(trades))
    log_created(
        by=by,
        action="contest.create",
        obj=contest,
        co_organisers=sorted(contest.co_organisers.values_list("pk", flat=True)),
        trades=sorted(contest.trades.values_list("pk", flat=True)),
    )
    return contest


@transaction.atomic
def contest_update(
    *,
    contest: Contest,
    by: Any,
    co_organisers: Iterable[Organisation] | None = None,
    trades: Iterable[Trade] | None = None,
    status: str | None = None,
    **changes: Any,
) -> Contest:
    """Change a contest's settings (and, with `status`, move it by its transitions). Moving the
    lead to another organisation needs a manager of that organisation too; the format can
    change only while no one has entered."""
    require(by, "contests.manage_contest", contest)
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(names)s") % {"names": ", ".join(sorted(unknown))})
    contest = Contest.objects.select_for_update().select_related("lead_org").get(pk=contest.pk)
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
        if not changes["title"]:
            raise ValidationError(_("The contest needs a title"))
    if "level" in changes and changes["level"] not in ContestLevel.values:
        raise ValidationError(_("Unknown contest level"))
    if "format" in changes and changes["format"] != contest.format:
        if changes["format"] not in ContestFormat.values:
            raise ValidationError(_("Unknown contest format"))
        if Registration.objects.filter(stage__contest=contest).exists():
            raise ValidationError(_("The format cannot change once competitors have entered"))
    if "lead_org" in changes:
        if changes["lead_org"] is None:
            raise ValidationError(_("The contest needs a lead organiser"))
        if changes["lead_org"].pk != contest.lead_org_id:
            require(by, "contests.create_contest", changes["lead_org"])
    key_task = changes.get("key_task")
    if key_task is not None and key_task.kind != KeyTask.Kind.CONTEST:
        raise ValidationError(_("The key task is not a contest task"))
    candidate = copy.copy(contest)
    for key, value in changes.items():
        setattr(candidate, key, value)
    _validate_contest(candidate)  # normalises numbers and an individual contest's team size
    data = {key: getattr(candidate, key) for key in [*changes, "team_size_min", "team_size_max"]}
    lead_id = candidate.lead_org_id
    if co_organisers is not None:
        data["co_organisers"] = [o for o in co_organisers if o.pk != lead_id]
    if trades is not None:
        data["trades"] = list(trades)
    model_update(instance=contest, fields=CHANGEABLE, data=data, by=by, action="contest.update")
    if status is not None:
        contest_set_status(contest=contest, status=status, by=by)
    return contest


def _set_status(obj: Any, status: str, by: Any, *, by_hand: tuple[str, ...] | None = None) -> Any:
    """Move `obj` to `status` through its model's declared transitions (the same status:
    nothing). `by_hand`: the only transitions a person may take this way."""
    machine = type(obj).workflow
    if status not in machine.states():
        raise ValidationError(_("Unknown status: %(s)s") % {"s": status})
    require(by, "contests.manage_contest", obj)
    current = type(obj).objects.values_list(machine.field, flat=True).get(pk=obj.pk)
    if current == status:
        return obj
    t = machine.find(current, status)
    if by_hand is not None and t is not None and t.name not in by_hand:
        raise TransitionError(
            _("“%(state)s” follows from the draw, the reveal, publication or finalisation")
            % {"state": machine.state_label(status)}
        )
    return machine.fire(obj, to=status, by=by)


@transaction.atomic
def contest_set_status(*, contest: Contest, status: str, by: Any) -> Contest:
    """Open, start, finish, cancel… a contest, by its declared transitions."""
    return _set_status(contest, status, by)


@transaction.atomic
def trade_get_or_create(*, name: str, by: Any, occupation_code: str = "") -> Trade:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("The trade needs a name"))
    trade, created = Trade.objects.get_or_create(name=name, defaults={"occupation_code": occupation_code.strip()})
    if created:
        log_created(by=by, action="trade.create", obj=trade)
    elif occupation_code and not trade.occupation_code:
        model_update(
            instance=trade, fields=["occupation_code"], data={"occupation_code": occupation_code.strip()}, by=by
        )
    return trade


@transaction.atomic
def venue_add(*, contest: Contest, name: str, by: Any, address: str = "", region: Region | None = None) -> Venue:
    require(by, "contests.manage_contest", contest)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("The venue needs a name"))
    if Venue.objects.filter(contest=contest, name=name).exists():
        raise ValidationError(_("This contest already has a venue with that name"))
    venue = create_logged(
        Venue, by=by, action="venue.create", contest=contest, name=name, address=address, region=region
    )
    return venue


def _day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None and timezone.is_aware(value) else (value and value.date())


def stage_repeats(*, contest: Contest, name: str, starts_at: dt.datetime | None, ends_at: dt.datetime | None) -> bool:
    """A stage of the same name (spaces and case aside) and the same start and end days is
    already in the contest: entered twice."""
    key = " ".join((name or "").split()).casefold()
    return any(
        " ".join(s.name.split()).casefold() == key
        and _day(s.starts_at) == _day(starts_at)
        and _day(s.ends_at) == _day(ends_at)
        for s in Stage.objects.filter(contest=contest).only("name", "starts_at", "ends_at")
    )


@transaction.atomic
def stage_create(
    *,
    contest: Contest,
    name: str,
    by: Any,
    level: str | None = None,
    order: int | None = None,
    venue: Venue | None = None,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    theory_max: Decimal = Decimal("100"),
) -> Stage:
    require(by, "contests.manage_contest", contest)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("The stage needs a name"))
    level = level or contest.level
    if level not in ContestLevel.values:
        raise ValidationError(_("Unknown contest level"))
    if starts_at and ends_at and ends_at < starts_at:
        raise ValidationError(_("The stage cannot end before it starts"))
    if venue is not None and venue.contest_id != contest.pk:
        raise ValidationError(_("The venue belongs to another contest"))
    theory_max = _decimal(theory_max, _("Theory full marks"))
    if theory_max <= 0:
        raise ValidationError(_("Theory full marks must be positive"))
    Contest.objects.select_for_update().filter(pk=contest.pk).first()  # one stage added at a time
    if stage_repeats(contest=contest, name=name, starts_at=starts_at, ends_at=ends_at):
        raise ValidationError(_("This contest already has a stage of that name on the same dates"))
    if order is None:
        last = Stage.objects.filter(contest=contest).order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    elif Stage.objects.filter(contest=contest, order=order).exists():
        raise ValidationError(_("This contest already has a stage number %(n)s") % {"n": order})
    stage = create_logged(
        Stage,
        by=by,
        action="stage.create",
        contest=contest,
        name=name,
        level=level,
        order=order,
        venue=venue,
        starts_at=starts_at,
        ends_at=ends_at,
        theory_max=theory_max,
    )
    return stage


@transaction.atomic
def stage_set_status(*, stage: Stage, status: str, by: Any) -> Stage:
    """Open/close registration and check-in by hand; the later states follow from the draw,
    the reveal, publication and finalisation (their services fire them)."""
    return _set_status(stage, status, by, by_hand=STAGE_STEPS_BY_HAND)


@transaction.atomic
def contest_role_grant(
    *,
    contest: Contest,
    user: Any,
    role: str,
    by: Any,
    employer: Employer | None = None,
    city: Region | None = None,
) -> ContestRole:
    """Give a user a role on a contest. For judges the employer and city used for conflict
    exclusion come from the arguments or, when omitted, from the user's Worker record."""
    require(by, "contests.manage_contest", contest)
    if role not in ContestRole.Kind.values:
        raise ValidationError(_("Unknown contest role"))
    worker = getattr(user, "worker", None) if user is not None else None
    if employer is None and worker is not None:
        employer = worker.employer
    if city is None and employer is not None and employer.region_id:
        city = Region.objects.filter(code=employer.region_id[:4] + "00").first() or employer.region
    obj, created = ContestRole.objects.get_or_create(
        contest=contest, user=user, role=role, defaults={"employer": employer, "city": city}
    )
    if not created:
        raise ValidationError(_("The user already has this role on the contest"))
    log_created(by=by, action="contest_role.grant", obj=obj)
    forget(user)
    return obj


@transaction.atomic
def contest_role_revoke(*, contest_role: ContestRole, by: Any) -> None:
    require(by, "contests.manage_contest", contest_role)
    if contest_role.assignments.filter(module__signed_off_at__isnull=True).exists():
        raise ValidationError(_("Remove the judge from unsigned modules first"))
    log_action(actor=by, action="contest_role.revoke", obj=contest_role, before=snapshot(contest_role))
    contest_role.delete()
    forget(contest_role.user)


def _require_scheme_editable(module: Module) -> None:
    if module.signed_off_at is not None:
        raise ValidationError(_("The module is signed off; its scheme cannot change"))
    if module.aspects.filter(marks__isnull=False).exists():
        raise ValidationError(_("Marks have been entered for this module; its scheme cannot change"))


@transaction.atomic
def module_add(*, stage: Stage, name: str, by: Any, order: int | None = None) -> Module:
    require(by, "contests.manage_contest", stage)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("The module needs a name"))
    if stage.revealed_at is not None:
        raise ValidationError(_("The stage has been revealed; its scheme cannot change"))
    if order is None:
        last = Module.objects.filter(stage=stage).order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    elif Module.objects.filter(stage=stage, order=order).exists():
        raise ValidationError(_("This stage already has a module number %(n)s") % {"n": order})
    module = create_logged(Module, by=by, action="module.create", stage=stage, name=name, order=order)
    return module


@transaction.atomic
def aspect_add(
    *,
    module: Module,
    code: str,
    description: str,
    kind: str,
    max_mark: Decimal | str | int,
    by: Any,
    target: Decimal | str | None = None,
    bands: Sequence[dict] = (),
    descriptors: Sequence[str] = (),
    order: int | None = None,
    unit: str = "",
) -> Aspect:
    require(by, "contests.manage_contest", module)
    _require_scheme_editable(module)
    code = (code or "").strip()
    if not code:
        raise ValidationError(_("The aspect needs a code"))
    if kind not in Aspect.Kind.values:
        raise ValidationError(_("An aspect is either a measurement or a judgement"))
    max_mark = _decimal(max_mark, _("Full marks"))
    if max_mark <= 0:
        raise ValidationError(_("Full marks must be positive"))
    if Aspect.objects.filter(module=module, code=code).exists():
        raise ValidationError(_("The module already has an aspect %(code)s") % {"code": code})
    band_list: list[dict] = []
    if kind == Aspect.Kind.MEASUREMENT and bands:
        try:
            parsed = scoring.parse_bands(bands)
        except scoring.ScoringError:
            raise ValidationError(_("Each tolerance band needs a tolerance ≥ 0 and a share between 0 and 1")) from None
        if target is None:
            raise ValidationError(_("A measurement with tolerance bands needs a target value"))
        target = _decimal(target, _("Target value"))
        band_list = [{"tolerance": str(b.tolerance), "share": str(b.share)} for b in parsed]
    elif kind == Aspect.Kind.JUDGEMENT:
        if bands:
            raise ValidationError(_("Tolerance bands apply to measurement aspects only"))
        if descriptors and len(descriptors) != scoring.JUDGEMENT_MAX_SCORE + 1:
            raise ValidationError(_("A judgement aspect needs one descriptor for each score 0–3"))
        target = None
    if order is None:
        order = module.aspects.count() + 1
    aspect = create_logged(
        Aspect,
        by=by,
        action="aspect.create",
        module=module,
        code=code,
        description=(description or "").strip()[:300],
        kind=kind,
        max_mark=max_mark,
        target=target,
        unit=(unit or "").strip()[:20] if kind == Aspect.Kind.MEASUREMENT else "",
        bands=band_list,
        descriptors=list(descriptors),
        order=order,
    )
    return aspect


@transaction.atomic
def judge_assign(*, module: Module, judge: ContestRole, by: Any, aspects: Iterable[Aspect] = ()) -> JudgeAssignment:
    """Put a judge on a module (on some of its aspects; none named: every aspect). Assigning
    again changes the aspects."""
    require(by, "contests.manage_contest", module)
    if judge.contest_id != module.stage.contest_id or judge.role not in ContestRole.JUDGING:
        raise ValidationError(_("Only a judge of this contest can be assigned to its modules"))
    if module.signed_off_at is not None:
        raise ValidationError(_("The module is signed off"))
    aspects = list(aspects)
    if any(a.module_id != module.pk for a in aspects):
        raise ValidationError(_("The aspects must belong to the module"))
    assignment = JudgeAssignment.objects.filter(module=module, judge=judge).first()
    if assignment is not None:
        model_update(instance=assignment, fields=["aspects"], data={"aspects": aspects}, by=by, action="judge.assign")
        return assignment
    assignment = JudgeAssignment.objects.create(module=module, judge=judge)
    assignment.aspects.set(aspects)
    log_created(by=by, action="judge.assign", obj=assignment, aspects=sorted(a.pk for a in aspects))
    return assignment


@transaction.atomic
def judge_unassign(*, assignment: JudgeAssignment, by: Any) -> None:
    require(by, "contests.manage_contest", assignment)
    if assignment.module.signed_off_at is not None:
        raise ValidationError(_("The module is signed off"))
    log_action(actor=by, action="judge.unassign", obj=assignment, before=snapshot(assignment))
    assignment.delete()


@transaction.atomic
def quota_set(*, stage: Stage, organisation: Organisation, places: int, by: Any) -> Quota:
    require(by, "contests.manage_contest", stage)
    if not isinstance(places, int) or places < 0:
        raise ValidationError(_("Places must be a whole number, 0 or more"))
    quota = Quota.objects.select_for_update().filter(stage=stage, organisation=organisation).first()
    if quota is None:
        quota = Quota.objects.create(stage=stage, organisation=organisation, places=places)
        log_created(by=by, action="quota.set", obj=quota)
        return quota
    if places < quota.used:
        raise ValidationError(
            _("%(org)s already has %(used)d entries; places cannot go below that")
            % {"org": organisation, "used": quota.used}
        )
    model_update(instance=quota, fields=["places"], data={"places": places}, by=by, action="quota.set")
    return quota


@transaction.atomic
def prize_tier_add(
    *,
    contest: Contest,
    kind: str,
    name: str,
    by: Any,
    rank_to: int | None = None,
    share: Decimal | str | None = None,
) -> PrizeTier:
    require(by, "contests.manage_contest", contest)
    if kind not in PrizeTier.Kind.values:
        raise ValidationError(_("Unknown prize kind"))
    if (rank_to is None) == (share is None):
        raise ValidationError(_("A prize tier is given either by rank or by share, not both"))
    if share is not None:
        share = _decimal(share, _("Share"))
        if not Decimal(0) < share <= 1:
            raise ValidationError(_("The share must be above 0 and at most 1"))
    if rank_to is not None and rank_to < 1:
        raise ValidationError(_("The rank must be 1 or more"))
    order = contest.prize_tiers.count() + 1
    tier = create_logged(
        PrizeTier,
        by=by,
        action="prize_tier.create",
        contest=contest,
        order=order,
        kind=kind,
        name=name or kind,
        rank_to=rank_to,
        share=share,
    )
    return tier


@transaction.atomic
def title_rule_add(*, contest: Contest, title: str, rank_to: int, by: Any, rank_from: int = 1) -> TitleRule:
    require(by, "contests.manage_contest", contest)
    if not (title or "").strip():
        raise ValidationError(_("The title needs a name"))
    ranks = _rank_range(rank_from, rank_to)
    return create_logged(TitleRule, by=by, action="title_rule.create", contest=contest, title=title.strip(), **ranks)


def _rank_range(rank_from: int, rank_to: int) -> dict[str, int]:
    if rank_from < 1 or rank_to < rank_from:
        raise ValidationError(_("The rank range is not valid"))
    return {"rank_from": rank_from, "rank_to": rank_to}


@transaction.atomic
def promotion_rule_add(
    *,
    level: str,
    rank_to: int,
    new_level: int,
    by: Any,
    rank_from: int = 1,
    current_level: int | None = None,
    contest: Contest | None = None,
) -> PromotionRule:
    """Promotion rules are data: rank range × contest level × current level → new level."""
    if contest is not None:
        require(by, "contests.manage_contest", contest)
    else:
        require(by, "contests.add_general_promotion_rule")
    if level not in ContestLevel.values:
        raise ValidationError(_("Unknown contest level"))
    if new_level not in SkillLevel.values or (current_level is not None and current_level not in SkillLevel.values):
        raise ValidationError(_("Skill levels run from 1 (highest) to 5"))
    if current_level is not None and new_level >= current_level:
        raise ValidationError(_("A promotion must lead to a higher skill level (a smaller number)"))
    ranks = _rank_range(rank_from, rank_to)
    levels = {"level": level, "current_level": current_level, "new_level": new_level}
    return create_logged(PromotionRule, by=by, action="promotion_rule.create", contest=contest, **levels, **ranks)

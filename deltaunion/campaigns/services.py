"""Every write of points campaigns: configuration as data, joining, and logging actions for capped points.

Awarding locks the member's row, so caps (once only, per day, per week, total, and the
campaign's total) hold when the same person submits concurrently; `source_key` is unique
per campaign, so the same source event never earns twice (a retry returns the first award).
Every write is audited: the organisers' changes, each join or enrolment and each action logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.campaigns import rules as campaign_rules
from deltaunion.campaigns.models import Campaign, CampaignMember, CampaignRule, CampaignTeam, PointAward
from deltaunion.contests.models import Contest, ContestFormat
from deltaunion.core import leaderboards
from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.permissions import can, require
from deltaunion.core.services import model_update
from deltaunion.orgs.models import Organisation
from deltaunion.practice.boards import board_dims, worker_of
from deltaunion.practice.services import contest_create_for


def campaign_create(
    *,
    contest: Contest,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    rules: list[dict[str, Any]],
    by: Any,
    teams: list[str] = (),
    max_points: int | None = None,
    open_to_join: bool = True,
    is_demo: bool = False,
) -> Campaign:
    """A campaign with its rules and teams, all from data (e.g. the Wuyi 490-point scheme)."""
    require(by, "contests.manage_contest", contest)
    if contest.format != ContestFormat.POINTS:
        raise ValidationError(_("A points campaign belongs to a contest of the points-campaign format"))
    if not (title or "").strip():
        raise ValidationError(_("Give the campaign a title"))
    if ends_on < starts_on:
        raise ValidationError(_("The campaign must end on or after the day it starts"))
    cleaned = [campaign_rules.clean_rule(r) for r in rules]
    codes = [r["code"] for r in cleaned]
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Two rules have the same code"))
    campaign = Campaign.objects.create(
        contest=contest,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        max_points=max_points,
        open_to_join=open_to_join,
        is_demo=is_demo,
    )
    for order, rule in enumerate(cleaned):
        CampaignRule.objects.create(campaign=campaign, order=order, **rule)
    for name in teams:
        CampaignTeam.objects.create(campaign=campaign, name=name)
    log_action(
        actor=by,
        action="campaign.create",
        obj=campaign,
        after={**snapshot(campaign), "rules": [r["name"] for r in cleaned], "teams": list(teams)},
    )
    return campaign


@transaction.atomic
def campaign_create_in_contest(
    *, contest: Contest | None, new_contest_lead: Organisation | None, by: Any, **campaign: Any
) -> Campaign:
    """`campaign_create` in `contest`, or in a new points-format contest of the same title and dates."""
    if contest is None:
        contest = contest_create_for(
            title=campaign["title"],
            lead=new_contest_lead,
            format=ContestFormat.POINTS,
            starts_on=campaign["starts_on"],
            ends_on=campaign["ends_on"],
            by=by,
        )
    return campaign_create(contest=contest, by=by, **campaign)


@transaction.atomic
def campaign_rule_save(*, campaign: Campaign, by: Any, rule: dict[str, Any]) -> CampaignRule:
    """Add a rule, or change the rule with the same code."""
    require(by, "campaigns.manage_campaign", campaign)
    cleaned = campaign_rules.clean_rule(rule)
    existing = CampaignRule.objects.filter(campaign=campaign, code=cleaned["code"]).first()
    if existing is not None:
        data = {k: v for k, v in cleaned.items() if k != "code"}
        model_update(instance=existing, fields=data.keys(), data=data, by=by, action="campaign_rule.update")
        return existing
    new = CampaignRule(campaign=campaign, order=campaign.rules.count(), **cleaned)
    new.full_clean()
    new.save()
    log_action(actor=by, action="campaign.rule", obj=new, after=snapshot(new, campaign_rules.RULE_FIELDS))
    return new


@transaction.atomic
def campaign_team_add(*, campaign: Campaign, name: str, by: Any) -> CampaignTeam:
    require(by, "campaigns.manage_campaign", campaign)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the team a name"))
    if CampaignTeam.objects.filter(campaign=campaign, name=name).exists():
        raise ValidationError(_("There is already a team named %(name)s") % {"name": name})
    team = CampaignTeam.objects.create(campaign=campaign, name=name)
    log_action(actor=by, action="campaign.team_add", obj=campaign, after={"team": name})
    return team


def campaign_join(*, campaign: Campaign, by: Any, team: CampaignTeam | None = None, user: Any = None) -> CampaignMember:
    """The user joins (or an organiser enrols `user`); joining twice returns the membership."""
    who = user or by
    enrolling = user is not None and user != by
    if enrolling:
        require(by, "campaigns.manage_campaign", campaign)
        # Organisers enrol workers of the unions they manage; the same message for a login
        # that does not exist and for someone else's worker.
        worker = worker_of(user)
        if worker is None or not can(by, "campaigns.enrol_worker", worker):
            raise ValidationError(
                _("No worker of the unions you manage has the login name %(name)s") % {"name": user.get_username()}
            )
    else:
        require(by, "campaigns.join_campaign", campaign)
    if team is not None and team.campaign_id != campaign.pk:
        raise ValidationError(_("That team is not in this campaign"))
    existing = CampaignMember.objects.filter(campaign=campaign, user=who).first()
    if existing is not None:
        return existing
    dims = board_dims(who)
    dims["team_key"] = str(team.pk) if team is not None else ""
    try:
        with transaction.atomic():
            member = CampaignMember.objects.create(campaign=campaign, user=who, team=team, **dims)
            log_action(
                actor=by,
                action="campaign.enrol" if enrolling else "campaign.join",
                obj=member,
                after={"user": who.pk, "team": team.pk if team else None},
            )
            return member
    except IntegrityError:  # joined concurrently
        return CampaignMember.objects.get(campaign=campaign, user=who)


def action_log(
    *,
    campaign: Campaign,
    by: Any,
    rule: CampaignRule,
    source_key: str,
    occurred_on: dt.date | None = None,
    value: Any = None,
    note: str = "",
    today: dt.date | None = None,
) -> tuple[PointAward, bool]:
    """Log one action and award its points within the caps. Returns (award, created):
    the same `source_key` again returns the first award and `created` False."""
    today = today or timezone.localdate()
    occurred_on = occurred_on or today
    source_key = (source_key or "").strip()
    if not source_key or len(source_key) > 80:
        raise ValidationError(_("Each action needs an identifier of at most 80 characters"))
    if rule.campaign_id != campaign.pk:
        raise ValidationError(_("That rule is not in this campaign"))
    if not campaign.starts_on <= occurred_on <= campaign.ends_on:
        raise ValidationError(
            _("The campaign runs from %(start)s to %(end)s") % {"start": campaign.starts_on, "end": campaign.ends_on}
        )
    if occurred_on > today:
        raise ValidationError(_("An action cannot be logged for a future day"))
    measured = campaign_rules.measured_value(value, value_label=rule.value_label)

    with transaction.atomic():
        member = CampaignMember.objects.select_for_update().filter(campaign=campaign, user=by).first()
        if member is None:
            raise ValidationError(_("Join the campaign first"))
        previous = PointAward.objects.filter(campaign=campaign, source_key=source_key).first()
        if previous is not None:
            if previous.member_id != member.pk:
                raise ValidationError(_("This action identifier is already used"))
            return previous, False
        mine = PointAward.objects.filter(member=member, rule=rule)
        if rule.once_only and mine.exists():
            raise ValidationError(_("%(rule)s earns points only once") % {"rule": rule.name})
        week = None
        if rule.per_week_cap is not None:
            monday, sunday = campaign_rules.week_bounds(occurred_on)
            week = mine.filter(occurred_on__range=(monday, sunday)).aggregate(s=Sum("points"))["s"] or 0
        points = campaign_rules.points_within_caps(
            rule.points,
            total_cap=rule.total_cap,
            earned_total=(mine.aggregate(s=Sum("points"))["s"] or 0) if rule.total_cap is not None else 0,
            per_day_cap=rule.per_day_cap,
            earned_day=(mine.filter(occurred_on=occurred_on).aggregate(s=Sum("points"))["s"] or 0)
            if rule.per_day_cap is not None
            else 0,
            per_week_cap=rule.per_week_cap,
            earned_week=week or 0,
            max_points=campaign.max_points,
            member_points=member.points,
        )
        award = PointAward.objects.create(
            member=member,
            campaign=campaign,
            rule=rule,
            source_key=source_key,
            occurred_on=occurred_on,
            value=measured,
            points=points,
            requested=rule.points,
            note=note[:200],
        )
        CampaignMember.objects.filter(pk=member.pk).update(points=F("points") + points, on_board=True)
        log_action(
            actor=by,
            action="campaign.log",
            obj=award,
            after={"rule": rule.pk, "occurred_on": occurred_on, "value": measured, "points": points},
        )
        transaction.on_commit(
            lambda: leaderboards.add_points(
                kind="campaign", object_id=campaign.pk, user_id=by.pk, dims=member, delta=points
            )
        )
    return award, True

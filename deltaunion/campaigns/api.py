"""The campaigns JSON API: the campaigns I can see, joining, my points, logging actions.
Boards: /api/practice/boards/campaign/<id>/<level> (every kind of board is served there)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from deltaunion.campaigns import selectors, services
from deltaunion.campaigns.models import Campaign
from deltaunion.core.api_auth import logged_in

router = Router(tags=["campaigns"])


class RuleOut(Schema):
    code: str
    name: str
    points: int
    once_only: bool
    per_day_cap: int | None
    per_week_cap: int | None
    total_cap: int | None
    value_label: str


class CampaignOut(Schema):
    id: int
    title: str
    contest: int
    starts_on: dt.date
    ends_on: dt.date
    max_points: int | None
    open_to_join: bool
    rules: list[RuleOut]
    teams: list[str]


class JoinIn(Schema):
    team: str = ""


class ActionIn(Schema):
    rule: str
    source_key: str
    occurred_on: dt.date | None = None
    value: str | None = None
    note: str = ""


class AwardOut(Schema):
    rule: str
    source_key: str
    occurred_on: dt.date
    points: int
    requested: int
    created: bool
    total_points: int


class MeOut(Schema):
    points: int
    streak: int
    longest_streak: int
    rank: int | None
    team: str | None


def _campaign_out(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "contest": c.contest_id,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "max_points": c.max_points,
        "open_to_join": c.open_to_join,
        "rules": list(c.rules.all()),
        "teams": [t.name for t in c.teams.all()],
    }


def _me(campaign: Campaign, user) -> dict[str, Any]:
    me = selectors.campaign_me(campaign, user)
    if me is None:
        raise Http404("not found")
    return {
        "points": me["points"],
        "streak": me["streak"],
        "longest_streak": me["longest_streak"],
        "rank": me["rank"],
        "team": me["member"].team.name if me["member"].team else None,
    }


@router.get("", response=list[CampaignOut], auth=logged_in)
def campaigns_list(request):
    """Points campaigns I can see."""
    return [_campaign_out(c) for c in selectors.campaigns_for(request.user).prefetch_related("rules", "teams")[:200]]


@router.post("/{campaign_id}/join", response=MeOut, auth=logged_in)
def campaigns_join(request, campaign_id: int, payload: JoinIn):
    """Join a campaign (403 if the organisers enrol)."""
    campaign = selectors.campaign_for_user_or_404(request.user, campaign_id)
    team = None
    if payload.team:
        team = selectors.team_of(campaign, name=payload.team)
        if team is None:
            raise ValidationError(_("There is no team named %(name)s") % {"name": payload.team})
    services.campaign_join(campaign=campaign, by=request.user, team=team)
    return _me(campaign, request.user)


@router.get("/{campaign_id}/me", response=MeOut, auth=logged_in)
def campaigns_me(request, campaign_id: int):
    """My points, streaks and rank."""
    return _me(selectors.campaign_for_user_or_404(request.user, campaign_id), request.user)


@router.post("/{campaign_id}/actions", response=AwardOut, auth=logged_in)
def campaigns_action(request, campaign_id: int, payload: ActionIn):
    """Log an action; points within the rule's caps; the same source_key counts once."""
    campaign = selectors.campaign_for_user_or_404(request.user, campaign_id)
    rule = selectors.rule_of(campaign, code=payload.rule)
    award, created = services.action_log(
        campaign=campaign,
        by=request.user,
        rule=rule,
        source_key=payload.source_key,
        occurred_on=payload.occurred_on,
        value=payload.value,
        note=payload.note,
    )
    award.member.refresh_from_db(fields=["points"])
    return {
        "rule": rule.code,
        "source_key": award.source_key,
        "occurred_on": award.occurred_on,
        "points": award.points,
        "requested": award.requested,
        "created": created,
        "total_points": award.member.points,
    }

"""Reads of points campaigns, scoped to the user. Nothing here writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from deltaunion.campaigns.models import Campaign, CampaignMember, CampaignRule, CampaignTeam, PointAward
from deltaunion.contests.models import Contest, ContestFormat
from deltaunion.core import leaderboards
from deltaunion.core.audit import HistoryItem, describe
from deltaunion.core.models import AuditEntry
from deltaunion.core.permissions import can
from deltaunion.orgs.scoping import get_for_user_or_404, managed, scoped
from deltaunion.practice.selectors import count_of


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    """The campaigns a user may see: those of contests that are no longer drafts, and those of
    the contests they manage (`campaigns.view_campaign`, as a query)."""
    return scoped(Campaign.objects.select_related("contest"), user)


def campaign_for_user_or_404(user: Any, campaign_id: int) -> Campaign:
    """One campaign, if the user may see it (`campaigns.view_campaign`); 404 like a missing one otherwise."""
    campaign = Campaign.objects.select_related("contest").filter(pk=campaign_id).first()
    if campaign is None or not can(user, "campaigns.view_campaign", campaign):
        raise Http404("not found")
    return campaign


def memberships(user: Any, campaigns: list[Campaign]) -> dict[int, CampaignMember]:
    qs = CampaignMember.objects.filter(user=user, campaign__in=campaigns).select_related("team")
    return {m.campaign_id: m for m in qs}


def joined_campaign_ids(user: Any) -> QuerySet:
    return CampaignMember.objects.filter(user=user).values("campaign_id")


def rules_of(campaign: Campaign) -> list[CampaignRule]:
    return list(campaign.rules.all())


def rule_of(campaign: Campaign, *, pk: int | None = None, code: str | None = None) -> CampaignRule:
    """One rule of the campaign (404 for a rule of another campaign or none)."""
    lookup = {"pk": pk} if pk is not None else {"code": code}
    rule = CampaignRule.objects.filter(campaign=campaign, **lookup).first()
    if rule is None:
        raise Http404("not found")
    return rule


def team_of(campaign: Campaign, *, pk: int | None = None, name: str | None = None) -> CampaignTeam | None:
    lookup = {"pk": pk} if pk is not None else {"name": name}
    return CampaignTeam.objects.filter(campaign=campaign, **lookup).first()


def streaks(days: list[dt.date], today: dt.date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days; the current run may end today or yesterday."""
    unique = sorted(set(days))
    longest = run = 0
    previous = None
    for day in unique:
        run = run + 1 if previous is not None and day - previous == dt.timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    if unique and (today - unique[-1]).days <= 1:
        current = 1
        for a, b in zip(reversed(unique[:-1]), reversed(unique[1:]), strict=False):
            if b - a != dt.timedelta(days=1):
                break
            current += 1
    return current, longest


def campaign_me(campaign: Campaign, user: Any, today: dt.date | None = None) -> dict[str, Any] | None:
    """The user's points, streaks, rank, points by rule and latest awards in a campaign."""
    member = CampaignMember.objects.filter(campaign=campaign, user=user).select_related("team").first()
    if member is None:
        return None
    today = today or timezone.localdate()
    days = list(PointAward.objects.filter(member=member, points__gt=0).values_list("occurred_on", flat=True))
    current, longest = streaks(days, today)
    by_rule = {
        r["rule_id"]: r["total"]
        for r in PointAward.objects.filter(member=member).values("rule_id").annotate(total=Sum("points"))
    }
    mine, _near = leaderboards.around(leaderboards.Board("campaign", campaign.pk, "person"), str(user.pk), 0)
    return {
        "member": member,
        "points": member.points,
        "streak": current,
        "longest_streak": longest,
        "rank": mine.rank if mine else None,
        "by_rule": [(rule, by_rule.get(rule.pk, 0)) for rule in campaign.rules.all()],
        "recent": list(PointAward.objects.filter(member=member).select_related("rule")[:20]),
    }


# --- the officers' pages: the campaigns of the contests the officer's unions lead ----------------------


def campaigns_managed(user: Any, *, q: str = "") -> QuerySet[Campaign]:
    qs = managed(Campaign.objects.select_related("contest"), user).annotate(
        n_members=count_of(CampaignMember, "campaign"), n_rules=count_of(CampaignRule, "campaign")
    )
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(contest__title__icontains=q))
    return qs.order_by("-starts_on", "-id")


def campaign_managed_or_404(user: Any, campaign_id: int) -> Campaign:
    """A campaign of a contest the officer's unions lead (another union's is a 404 here)."""
    qs = managed(Campaign.objects.select_related("contest__lead_org"), user)
    return get_for_user_or_404(qs, user, pk=campaign_id)


def points_contests_managed(user: Any) -> QuerySet[Contest]:
    return managed(Contest.objects.filter(format=ContestFormat.POINTS), user).order_by("-id")


def team_totals(campaign: Campaign) -> QuerySet[CampaignTeam]:
    return (
        CampaignTeam.objects.filter(campaign=campaign)
        .annotate(n_members=Count("members"), total=Coalesce(Sum("members__points"), 0))
        .order_by("name")
    )


def campaign_totals(campaign: Campaign) -> dict[str, int]:
    row = CampaignMember.objects.filter(campaign=campaign).aggregate(n=Count("id"), points=Sum("points"))
    return {"members": row["n"] or 0, "points": row["points"] or 0}


def campaign_members(campaign: Campaign, *, team: str = "", q: str = "") -> QuerySet[CampaignMember]:
    """The members, most points first; `team` is a team's id or "none" (no team)."""
    qs = CampaignMember.objects.filter(campaign=campaign).select_related("user", "team", "unit", "organisation")
    if team == "none":
        qs = qs.filter(team__isnull=True)
    elif team.isdigit():
        qs = qs.filter(team_id=int(team))
    if q:
        qs = qs.filter(Q(user__full_name__icontains=q) | Q(user__username=q) | Q(unit__name__icontains=q))
    return qs.order_by("-points", "user_id")


def campaign_history(campaign: Campaign, limit: int = 100) -> list[HistoryItem]:
    """The campaign's history and its rules', as sentences, newest first."""
    rules = [str(pk) for pk in campaign.rules.values_list("pk", flat=True)]
    entries = AuditEntry.objects.filter(
        Q(object_type=Campaign._meta.label_lower, object_id=str(campaign.pk))
        | Q(object_type=CampaignRule._meta.label_lower, object_id__in=rules)
    ).select_related("actor")
    return describe(entries[:limit])


# --- the worker's own space (我的) -----------------------------------------------------------------


def my_campaigns(user: Any) -> list[dict[str, Any]]:
    """The campaigns the user joined, with their points and rank (more points ranks higher)."""
    if not getattr(user, "is_authenticated", False):
        return []
    out = []
    for m in CampaignMember.objects.filter(user=user).select_related("campaign__contest").order_by("-joined_at")[:100]:
        ahead = CampaignMember.objects.filter(campaign=m.campaign_id, points__gt=m.points).count()
        out.append({"campaign": m.campaign, "member": m, "points": m.points, "rank": ahead + 1})
    return out


def mine_count(user: Any) -> int:
    """For 我的: campaigns joined that are running today."""
    if not getattr(user, "is_authenticated", False):
        return 0
    today = timezone.localdate()
    return CampaignMember.objects.filter(
        user=user, campaign__starts_on__lte=today, campaign__ends_on__gte=today
    ).count()

"""Campaign statistics: what campaigns add to the participation statistics (practice/stats.py),
and the standings of the awards the Wuyi campaign names. Reads only; every figure is one
aggregate query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deltaunion.campaigns.models import Campaign, CampaignMember, CampaignRule, CampaignTeam, PointAward
from deltaunion.campaigns.selectors import campaign_managed_or_404, campaigns_managed, streaks
from deltaunion.practice import stats
from deltaunion.practice.stats import Sheet, Subject

# --- the participation statistics ------------------------------------------------------------------


def _participants(subject: Subject) -> list[QuerySet]:
    if subject.kind == "campaign":
        return [CampaignMember.objects.filter(campaign=subject.obj)]
    return [CampaignMember.objects.filter(organisation__path__startswith=subject.org_path)]


def _actions(subject: Subject) -> QuerySet[PointAward]:
    if subject.kind == "campaign":
        return PointAward.objects.filter(campaign=subject.obj)
    return PointAward.objects.filter(member__organisation__path__startswith=subject.org_path)


def _figures(subject: Subject) -> dict[str, int]:
    row = _actions(subject).aggregate(n=Count("id"), points=Coalesce(Sum("points"), 0))
    return {"actions": row["n"], "points": row["points"]}


def _days(subject: Subject) -> dict[str, dict[dt.date, int]]:
    rows = _actions(subject).order_by().values("occurred_on").annotate(n=Count("id"))
    return {"actions": dict(rows.values_list("occurred_on", "n"))}


def register_statistics() -> None:
    stats.register(
        stats.Source(
            kind="campaign",
            label=gettext_lazy("Points campaigns"),
            managed=campaigns_managed,
            managed_or_404=campaign_managed_or_404,
            participants=_participants,
            figures=_figures,
            days=_days,
            series=("actions",),
        )
    )


# --- standings: the awards of the Wuyi campaign ----------------------------------------------------


@dataclass
class StandingRow:
    rank: int
    member: CampaignMember
    value: Any
    detail: str = ""


@dataclass
class TeamRow:
    rank: int
    team: CampaignTeam
    points: int
    members: int


@dataclass
class Standings:
    best_loss: list[StandingRow]
    persistence: list[StandingRow]
    best_team: list[TeamRow]
    value_labels: list[str]


def _ranked(values: list[Any]) -> list[int]:
    """Competition ranking (1, 2, 2, 4) of values already in order."""
    ranks, previous = [], object()
    for i, v in enumerate(values, start=1):
        ranks.append(ranks[-1] if ranks and v == previous else i)
        previous = v
    return ranks


def best_loss(campaign: Campaign, top: int = 20) -> list[StandingRow]:
    """First minus last measured value (e.g. weight) among the rules with a value label,
    for members measured at least twice; the largest loss first."""
    measured = PointAward.objects.filter(member=OuterRef("pk"), value__isnull=False).exclude(rule__value_label="")
    value_field = DecimalField(max_digits=10, decimal_places=2)
    members = (
        CampaignMember.objects.filter(campaign=campaign)
        .annotate(
            first_value=Subquery(measured.order_by("occurred_on", "id").values("value")[:1], output_field=value_field),
            last_value=Subquery(measured.order_by("-occurred_on", "-id").values("value")[:1], output_field=value_field),
            n_measured=Subquery(
                measured.order_by().values("member").annotate(c=Count("*")).values("c"), output_field=IntegerField()
            ),
        )
        .filter(n_measured__gte=2)
        .annotate(loss=ExpressionWrapper(F("first_value") - F("last_value"), output_field=value_field))
        .filter(loss__gt=0)
        .select_related("user", "team", "unit")
        .order_by("-loss", "-points", "user_id")[:top]
    )
    members = list(members)
    cents = Decimal("0.01")
    losses = [Decimal(m.loss).quantize(cents) for m in members]
    return [
        StandingRow(
            rank, m, loss, f"{Decimal(m.first_value).quantize(cents)} → {Decimal(m.last_value).quantize(cents)}"
        )
        for rank, m, loss in zip(_ranked(losses), members, losses, strict=True)
    ]


def persistence(campaign: Campaign, top: int = 20, today: dt.date | None = None) -> list[StandingRow]:
    """The longest run of consecutive days with points (selectors.streaks); ties by points."""
    today = today or min(timezone.localdate(), campaign.ends_on)
    days: dict[int, list[dt.date]] = {}
    pairs = (
        PointAward.objects.filter(campaign=campaign, points__gt=0)
        .order_by()
        .values_list("member_id", "occurred_on")
        .distinct()
    )
    for member_id, day in pairs:
        days.setdefault(member_id, []).append(day)
    longest = {member_id: streaks(ds, today)[1] for member_id, ds in days.items()}
    points = dict(CampaignMember.objects.filter(pk__in=list(longest)).values_list("pk", "points")) if longest else {}
    order = sorted(longest, key=lambda m: (-longest[m], -points.get(m, 0), m))[:top]
    members = CampaignMember.objects.select_related("user", "team", "unit").in_bulk(order)
    values = [longest[m] for m in order]
    return [
        StandingRow(rank, members[m], value)
        for rank, m, value in zip(_ranked(values), order, values, strict=True)
        if m in members
    ]


def best_team(campaign: Campaign, top: int = 3) -> list[TeamRow]:
    teams = list(
        CampaignTeam.objects.filter(campaign=campaign)
        .annotate(total=Coalesce(Sum("members__points"), 0), n=Count("members"))
        .order_by("-total", "name")[:top]
    )
    totals = [t.total for t in teams]
    return [TeamRow(rank, t, t.total, t.n) for rank, t in zip(_ranked(totals), teams, strict=True)]


def standings(campaign: Campaign, today: dt.date | None = None) -> Standings:
    labels = list(
        CampaignRule.objects.filter(campaign=campaign)
        .exclude(value_label="")
        .order_by("value_label")
        .values_list("value_label", flat=True)
        .distinct()
    )
    return Standings(
        best_loss=best_loss(campaign),
        persistence=persistence(campaign, today=today),
        best_team=best_team(campaign),
        value_labels=labels,
    )


def _who(m: CampaignMember) -> tuple[str, str, str]:
    return (
        m.user.full_name or m.user.username,
        m.unit.name if m.unit_id else "",
        m.team.name if m.team_id else "",
    )


def standings_sheets(st: Standings) -> list[Sheet]:
    who = [_("Name"), _("Unit"), _("Campaign team")]
    return [
        (
            _("Best weight loss"),
            [_("Rank"), *who, _("Loss"), _("First → last")],
            [(r.rank, *_who(r.member), float(r.value), r.detail) for r in st.best_loss],
        ),
        (
            _("Persistence"),
            [_("Rank"), *who, _("Longest streak (days)"), _("Points")],
            [(r.rank, *_who(r.member), r.value, r.member.points) for r in st.persistence],
        ),
        (
            _("Best team"),
            [_("Rank"), _("Campaign team"), _("Points"), _("Members")],
            [(r.rank, r.team.name, r.points, r.members) for r in st.best_team],
        ),
    ]

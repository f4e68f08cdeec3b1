"""Points campaigns (积分赛): campaigns whose ways of earning points are data (the Wuyi
490-point scheme of seeds/004 is one), teams, members and their point awards.

A campaign is a format of the contest engine: it belongs to a `contests.Contest` of format
`points`. The member rows are the truth of every board (the "campaign" kind of board,
registered in apps.py; Redis mirrors them when `REDIS_URL` is set).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.contests.models import Contest
from deltaunion.core.models import TimeStampedModel
from deltaunion.practice.models import BoardDims


class Campaign(TimeStampedModel):
    """A points campaign: a contest of the points format whose rules are data."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("Contest"))
    title = models.CharField(pgettext_lazy("heading", "Title"), max_length=200)
    starts_on = models.DateField(_("Starts on"))
    ends_on = models.DateField(_("Ends on"))
    max_points = models.PositiveIntegerField(_("Total points available"), null=True, blank=True)
    open_to_join = models.BooleanField(_("Workers may join themselves"), default=True)
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "contest__lead_org"
    # Keys of the audit entries written against a campaign that are not its own fields.
    audit_labels = {
        "rules": _("Rules"),
        "teams": _("Teams"),
        "team": _("Team"),
        "rule": _("Rule"),
    }

    def is_public(self) -> bool:
        """Anyone may see the campaign once its contest is no longer a draft; until then only
        the contest's managers (`campaigns.view_campaign`)."""
        return self.contest.status != Contest.Status.DRAFT

    @classmethod
    def scope_public_q(cls) -> Q:
        """`is_public` as a query, for lists."""
        return ~Q(contest__status=Contest.Status.DRAFT)

    class Meta:
        verbose_name = _("Points campaign")
        verbose_name_plural = _("Points campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="campaign_dates")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.pk])


class CampaignRule(models.Model):
    """One way to earn points. Caps are in points; empty means no cap."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rules")
    code = models.SlugField(_("Code"), max_length=40)
    name = models.CharField(_("Name"), max_length=100)
    points = models.PositiveIntegerField(_("Points each time"))
    once_only = models.BooleanField(_("Once only"), default=False)
    per_day_cap = models.PositiveIntegerField(_("Cap per day"), null=True, blank=True)
    per_week_cap = models.PositiveIntegerField(_("Cap per week"), null=True, blank=True)
    total_cap = models.PositiveIntegerField(_("Total cap"), null=True, blank=True)
    value_label = models.CharField(
        _("Measured value"), max_length=40, blank=True, default="", help_text=_("e.g. weight (kg); empty if none")
    )
    order = models.PositiveSmallIntegerField(default=0)

    scope_org_field = "campaign__contest__lead_org"
    audit_hidden = ("order", "campaign")

    class Meta:
        verbose_name = _("Points rule")
        verbose_name_plural = _("Points rules")
        ordering = ["campaign", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="campaign_rule_code")]

    def __str__(self) -> str:
        return self.name

    def audit_organisation(self):
        return self.campaign.contest.lead_org


class CampaignTeam(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("Team name"), max_length=100)
    captain = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("Team")
        verbose_name_plural = _("Teams")
        ordering = ["campaign", "name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="campaign_team_name")]

    def __str__(self) -> str:
        return self.name


class CampaignMember(BoardDims):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="members", verbose_name=_("Campaign"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="campaign_memberships",
        verbose_name=_("Participant"),
    )
    team = models.ForeignKey(
        CampaignTeam,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("Campaign team"),
    )
    points = models.IntegerField(_("Points"), default=0)
    joined_at = models.DateTimeField(auto_now_add=True)

    scope_org_field = "organisation"
    scope_owner_field = "user"
    audit_hidden = ("team_key", "unit", "organisation", "city_code", "province_code", "on_board", "points")

    class Meta:
        verbose_name = _("Campaign member")
        verbose_name_plural = _("Campaign members")
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="campaign_member_once")]
        indexes = [models.Index(fields=["campaign", "-points"], name="campaign_board_idx")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.user}"


class PointAward(models.Model):
    """Points for one logged action. `source_key` names the source event (a client-generated
    id or e.g. "quiz-attempt:12"): the same event never earns twice."""

    member = models.ForeignKey(CampaignMember, on_delete=models.CASCADE, related_name="awards")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(CampaignRule, on_delete=models.PROTECT, related_name="awards", verbose_name=_("Rule"))
    source_key = models.CharField(_("Source event"), max_length=80)
    occurred_on = models.DateField(_("Date"))
    value = models.DecimalField(_("Measured value"), max_digits=8, decimal_places=2, null=True, blank=True)
    points = models.IntegerField(_("Points"))
    requested = models.IntegerField(_("Points before caps"))
    note = models.CharField(_("Note"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_org_field = "member__organisation"
    scope_owner_field = "member__user"
    audit_hidden = ("member", "campaign", "source_key", "requested")

    class Meta:
        verbose_name = _("Points award")
        verbose_name_plural = _("Points awards")
        ordering = ["-occurred_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "source_key"], name="award_once_per_event")]
        indexes = [models.Index(fields=["member", "rule", "occurred_on"], name="award_member_rule_idx")]

    def __str__(self) -> str:
        return f"{self.rule} · {self.occurred_on}"

    def audit_organisation(self):
        return self.member.organisation

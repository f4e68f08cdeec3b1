"""Officers' campaign pages (under /campaigns/manage/): the list, creating a campaign with its
rules and teams, a campaign's rules, teams, members and award standings.

The same officers' area as practice (`practice.use_officer_pages`, its navigation): a user who
manages no organisation gets 404, and a campaign of another union's contest is a 404 here
even though workers may see it. A service's refusal becomes a message and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.campaigns import presets, selectors, services, stats
from deltaunion.campaigns.forms import (
    RULE_COLUMNS,
    CampaignForm,
    EnrolForm,
    TeamForm,
    campaign_rule_from,
    campaign_rules_from,
)
from deltaunion.campaigns.models import Campaign
from deltaunion.core.excel import xlsx_bytes_response, xlsx_response
from deltaunion.core.views import paginate
from deltaunion.practice.stats import workbook
from deltaunion.practice.views import error_text
from deltaunion.practice.views_officer import limited, officer_only, org_choices

FAILED = (ValidationError, PermissionDenied)


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    return selectors.campaign_managed_or_404(request.user, campaign_id)


def _campaign_list(request: HttpRequest):
    q = (request.GET.get("q") or "").strip()
    return selectors.campaigns_managed(request.user, q=q), {"q": q}


@login_required
def manage_campaigns(request):
    officer_only(request)
    qs, filters = _campaign_list(request)
    return render(request, "campaigns/manage/list.html", {"page": paginate(request, qs), "filters": filters})


@login_required
def manage_campaigns_export(request):
    officer_only(request)
    qs, _filters = _campaign_list(request)
    dates = [_("Starts on"), _("Ends on")]
    headers = [_("Campaign title"), _("Contest"), *dates, _("Total points available"), _("Rules"), _("Participants")]
    rows = (
        (c.title, c.contest.title, c.starts_on, c.ends_on, c.max_points or "", c.n_rules, c.n_members)
        for c in qs.iterator(chunk_size=500)
    )
    return xlsx_response("points-campaigns.xlsx", headers, rows, title=_("Points campaigns"))


def _rule_rows(rules: list[dict[str, Any]], blank: int = 2) -> list[dict[str, Any]]:
    rows = [{c: r.get(c) if r.get(c) is not None else "" for c in RULE_COLUMNS} for r in rules]
    return rows + [dict.fromkeys(RULE_COLUMNS, "") for _i in range(blank)]


@login_required
def manage_campaign_create(request):
    officer_only(request)
    user = request.user
    contests = limited(selectors.points_contests_managed(user)).select_related("lead_org")
    preset = request.GET.get("preset") == "wuyi"
    initial = {}
    if preset:  # the Wuyi county weight-loss campaign (seeds/004), offered as a starting point
        initial = {
            "title": "全民健身减重大赛",
            "max_points": presets.WUYI_MAX_POINTS,
            "teams": "第一队\n第二队\n第三队",
        }
    form = CampaignForm(request.POST or None, initial=initial, contests=contests, organisations=org_choices(request))
    if request.method == "POST":
        rules = campaign_rules_from(request.POST)
    else:
        rules = presets.WUYI_RULES if preset else []
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            campaign = services.campaign_create_in_contest(
                contest=cd["contest"],
                new_contest_lead=cd["new_contest_lead"],
                title=cd["title"],
                starts_on=cd["starts_on"],
                ends_on=cd["ends_on"],
                rules=rules,
                teams=cd["team_names"],
                max_points=cd["max_points"],
                open_to_join=cd["open_to_join"],
                by=user,
            )
        except FAILED as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The campaign is created."))
            return redirect("campaigns:manage_campaign", campaign.pk)
    return render(
        request, "campaigns/manage/form.html", {"form": form, "rule_rows": _rule_rows(rules), "preset": preset}
    )


@login_required
def manage_campaign(request, campaign_id: int):
    officer_only(request)
    campaign = _campaign(request, campaign_id)
    totals = selectors.campaign_totals(campaign)
    return render(
        request,
        "campaigns/manage/campaign.html",
        {
            "campaign": campaign,
            "rules": selectors.rules_of(campaign),
            "teams": selectors.team_totals(campaign),
            "team_form": TeamForm(),
            "n_members": totals["members"],
            "points": totals["points"],
            "entries": selectors.campaign_history(campaign),
        },
    )


@login_required
@require_POST
def manage_campaign_rule(request, campaign_id: int):
    officer_only(request)
    campaign = _campaign(request, campaign_id)
    try:
        rule = services.campaign_rule_save(campaign=campaign, by=request.user, rule=campaign_rule_from(request.POST))
    except FAILED as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Rule %(name)s is saved.") % {"name": rule.name})
    return redirect(reverse("campaigns:manage_campaign", args=[campaign.pk]) + "#rules")


@login_required
@require_POST
def manage_campaign_team(request, campaign_id: int):
    officer_only(request)
    campaign = _campaign(request, campaign_id)
    form = TeamForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the team a name"))
    else:
        try:
            services.campaign_team_add(campaign=campaign, name=form.cleaned_data["name"], by=request.user)
        except FAILED as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The team is added."))
    return redirect(reverse("campaigns:manage_campaign", args=[campaign.pk]) + "#teams")


def _member_list(request: HttpRequest, campaign: Campaign):
    team = request.GET.get("team") or ""
    q = (request.GET.get("q") or "").strip()
    return selectors.campaign_members(campaign, team=team, q=q), {"team": team, "q": q}


@login_required
def manage_campaign_members(request, campaign_id: int):
    officer_only(request)
    campaign = _campaign(request, campaign_id)
    qs, filters = _member_list(request, campaign)
    return render(
        request,
        "campaigns/manage/members.html",
        {
            "campaign": campaign,
            "page": paginate(request, qs),
            "filters": filters,
            "teams": campaign.teams.all(),
            "enrol_form": EnrolForm(campaign=campaign),
        },
    )


@login_required
def manage_campaign_members_export(request, campaign_id: int):
    officer_only(request)
    campaign = _campaign(request, campaign_id)
    qs, _filters = _member_list(request, campaign)
    headers = [_("Name"), _("Login name"), _("Campaign team"), _("Unit"), _("Union"), _("Points"), _("Joined at")]
    rows = (
        (
            m.user.full_name,
            m.user.username,
            m.team.name if m.team_id else "",
            m.unit.name if m.unit_id else "",
            m.organisation.name if m.organisation_id else "",
            m.points,
            m.joined_at,
        )
        for m in qs.iterator(chunk_size=1000)
    )
    return xlsx_response(f"{campaign.title}-members.xlsx", headers, rows, title=_("Participants"))


@login_required
@require_POST
def manage_campaign_enrol(request, campaign_id: int):
    officer_only(request)
    campaign = _campaign(request, campaign_id)
    form = EnrolForm(request.POST, campaign=campaign)
    target = reverse("campaigns:manage_members", args=[campaign.pk])
    if not form.is_valid():
        messages.error(request, _("Enter the login name of a worker"))
        return redirect(target)
    username = form.cleaned_data["username"].strip()
    user = get_user_model().objects.filter(username=username).first()
    if user is None:  # the service refuses workers of unions the officer does not manage with the same words
        messages.error(
            request, _("No worker of the unions you manage has the login name %(name)s") % {"name": username}
        )
        return redirect(target)
    try:
        member = services.campaign_join(campaign=campaign, by=request.user, team=form.cleaned_data["team"], user=user)
    except FAILED as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(name)s is enrolled.") % {"name": member.user})
    return redirect(target)


@login_required
def manage_campaign_standings(request, campaign_id: int):
    officer_only(request)
    campaign = _campaign(request, campaign_id)
    return render(
        request, "campaigns/manage/standings.html", {"campaign": campaign, "standings": stats.standings(campaign)}
    )


@login_required
def manage_campaign_standings_export(request, campaign_id: int):
    officer_only(request)
    campaign = _campaign(request, campaign_id)
    data = workbook(stats.standings_sheets(stats.standings(campaign)))
    return xlsx_bytes_response(data, f"{campaign.title}-awards.xlsx")


def overview_card(user) -> dict[str, Any]:
    """The officers' overview card: how many campaigns their unions run, and the latest."""
    qs = selectors.campaigns_managed(user)
    return {"n_campaigns": qs.count(), "campaigns": list(qs.order_by("-id")[:5])}

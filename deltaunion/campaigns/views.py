"""The workers' campaign pages: the list, a campaign with "my points", joining and logging actions.

Thin views: parse the request, call a service or a selector, render. A campaign is fetched for
the user (`campaigns.view_campaign`: 404 for a missing one and for one of a draft contest the
user does not manage). Boards are the practice board pages ("campaign" kind).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.campaigns import selectors, services
from deltaunion.campaigns.forms import ActionForm
from deltaunion.campaigns.models import Campaign
from deltaunion.core.views import paginate
from deltaunion.practice.views import error_text, int_or_none


@login_required
def campaign_list(request):
    user, today = request.user, timezone.localdate()
    show = request.GET.get("show", "current")
    show = show if show in ("current", "mine", "all") else "current"
    qs = selectors.campaigns_for(user)
    if show == "current":
        qs = qs.filter(ends_on__gte=today)
    elif show == "mine":
        qs = qs.filter(pk__in=selectors.joined_campaign_ids(user))
    page = paginate(request, qs)
    members = selectors.memberships(user, list(page))
    return render(
        request,
        "campaigns/list.html",
        {
            "nav": "campaigns",
            "page": page,
            "rows": [(c, members.get(c.pk)) for c in page],
            "show": show,
            "today": today,
        },
    )


def _campaign_context(request, campaign: Campaign, form: ActionForm | None = None) -> dict[str, Any]:
    rules = selectors.rules_of(campaign)
    today = timezone.localdate()
    me = selectors.campaign_me(campaign, request.user, today)
    return {
        "nav": "campaigns",
        "campaign": campaign,
        "rules": rules,
        "rule_rows": me["by_rule"] if me else [(r, None) for r in rules],
        "teams": list(campaign.teams.all()),
        "me": me,
        "form": form or ActionForm(rules=rules),
        "running": campaign.starts_on <= today <= campaign.ends_on,
        "today": today,
    }


@login_required
def campaign_detail(request, campaign_id: int):
    campaign = selectors.campaign_for_user_or_404(request.user, campaign_id)
    return render(request, "campaigns/detail.html", _campaign_context(request, campaign))


@login_required
@require_POST
def campaign_join(request, campaign_id: int):
    campaign = selectors.campaign_for_user_or_404(request.user, campaign_id)
    team = None
    team_id = int_or_none(request.POST.get("team"))
    if team_id:
        team = selectors.team_of(campaign, pk=team_id)
        if team is None:
            raise Http404("not found")
    try:
        services.campaign_join(campaign=campaign, by=request.user, team=team)
        messages.success(request, _("You have joined %(title)s") % {"title": campaign.title})
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("campaigns:detail", campaign.pk)


@login_required
@require_POST
def campaign_log(request, campaign_id: int):
    """Log one action. The form's source_key makes a double submit count once."""
    campaign = selectors.campaign_for_user_or_404(request.user, campaign_id)
    form = ActionForm(request.POST, rules=selectors.rules_of(campaign))
    if not form.is_valid():
        messages.error(request, _("Check the form: choose what you did and a date"))
        return render(request, "campaigns/detail.html", _campaign_context(request, campaign, form))
    data = form.cleaned_data
    rule = selectors.rule_of(campaign, pk=data["rule"])
    try:
        award, created = services.action_log(
            campaign=campaign,
            by=request.user,
            rule=rule,
            source_key=data["source_key"],
            occurred_on=data["occurred_on"],
            value=data["value"] or None,
            note=data["note"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return render(request, "campaigns/detail.html", _campaign_context(request, campaign, form))
    names = {"rule": rule.name, "points": award.points, "requested": award.requested}
    if not created:
        messages.info(request, _("This action was already recorded (%(points)d points); it counts once") % names)
    elif award.points == 0:
        messages.warning(request, _("Recorded, but no points: the cap of “%(rule)s” has been reached") % names)
    elif award.points < award.requested:
        messages.success(
            request, _("Recorded: %(points)d of %(requested)d points for “%(rule)s” — the cap is now reached") % names
        )
    else:
        messages.success(request, _("Recorded: %(points)d points for “%(rule)s”") % names)
    return redirect("campaigns:detail", campaign.pk)


def home_card(user) -> dict[str, Any]:
    """The practice home's card: the current campaigns the user has joined, and those to join."""
    today = timezone.localdate()
    campaigns = list(selectors.campaigns_for(user).filter(ends_on__gte=today).order_by("ends_on", "-id")[:20])
    members = selectors.memberships(user, campaigns)
    return {
        "joined": [(c, members[c.pk]) for c in campaigns if c.pk in members],
        "joinable": [c for c in campaigns if c.pk not in members and c.open_to_join],
    }

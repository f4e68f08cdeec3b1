"""Who may do what with points campaigns."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from deltaunion.core.permissions import can, define, predicate
from deltaunion.orgs.scoping import scope_for


@predicate
def manages_campaign(user: Any, campaign: Any) -> bool:
    """A campaign is managed by the managers of its contest (the contest engine's rule)."""
    return campaign is not None and can(user, "contests.manage_contest", campaign.contest)


@predicate
def campaign_is_public(user: Any, campaign: Any) -> bool:
    return campaign is not None and campaign.is_public()


@predicate
def open_to_join(user: Any, campaign: Any) -> bool:
    return campaign is not None and campaign.open_to_join


@predicate
def manages_worker(user: Any, worker: Any) -> bool:
    """Organisers enrol the workers of the unions they manage."""
    return worker is not None and scope_for(user).manages(worker.organisation)


# Seeing a campaign and its boards (`view_campaign`) is one rule for pages, the API and the services.
RULES = {
    "campaigns.manage_campaign": (
        manages_campaign,
        _("Only the contest's organisers and the officers of its lead union may change the campaign"),
    ),
    "campaigns.view_campaign": (campaign_is_public | manages_campaign, _("This campaign is not open to you")),
    "campaigns.join_campaign": (
        (campaign_is_public | manages_campaign) & open_to_join,
        _("The organisers enrol the participants of this campaign"),
    ),
    "campaigns.enrol_worker": (manages_worker, _("You may enrol only workers of the unions you manage")),
}
for name, (rule, refusal) in RULES.items():
    define(name, rule, refusal=refusal)

"""The "campaign" kind of board: every board adds up points (core.leaderboards)."""

from __future__ import annotations

from deltaunion.core import leaderboards
from deltaunion.practice.boards import masked_names, member_labels


def register_board() -> None:
    from deltaunion.campaigns.models import Campaign, CampaignMember, CampaignTeam

    leaderboards.register(
        leaderboards.BoardKind(
            name="campaign",
            rows=CampaignMember,
            owner=Campaign,
            owner_field="campaign_id",
            points_field="points",
            labels=member_labels(CampaignTeam),  # a campaign's teams are its own
            view_permission="campaigns.view_campaign",
            owner_related=("contest",),
            stored_labels=masked_names,
        )
    )

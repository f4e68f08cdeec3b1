from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp, MeSection, NavItem


class CampaignsConfig(DomainApp):
    name = "deltaunion.campaigns"
    label = "campaigns"
    verbose_name = _("Points campaigns")
    urls = [("campaigns/", "deltaunion.campaigns.urls")]
    api = [("/campaigns", "deltaunion.campaigns.api:router")]
    nav = [NavItem(_("Points campaigns"), "campaigns:list", order=42)]
    me_sections = [
        MeSection(_("My campaigns"), "me:campaigns", count="deltaunion.campaigns.selectors:mine_count", order=30)
    ]
    demo = "deltaunion.campaigns.demo:load"
    demo_after = ["practice", "contests", "people", "accounts"]
    audit_actions = {
        "campaign.create": _("created the campaign"),
        "campaign.rule": _("added a points rule"),
        "campaign_rule.update": _("changed a points rule"),
        "campaign.team_add": _("added a team"),
        "campaign.join": _("joined the campaign"),
        "campaign.enrol": _("enrolled a participant"),
        "campaign.log": _("logged an activity"),
    }

    def ready(self) -> None:
        super().ready()
        from deltaunion.campaigns.boards import register_board
        from deltaunion.campaigns.stats import register_statistics
        from deltaunion.practice import hub

        register_board()
        register_statistics()
        hub.add_card("home", hub.Card("campaigns/_home_card.html", _home_card))
        hub.add_card("overview", hub.Card("campaigns/manage/_overview_card.html", _overview_card))


def _home_card(user):
    from deltaunion.campaigns.views import home_card

    return home_card(user)


def _overview_card(user):
    from deltaunion.campaigns.views_officer import overview_card

    return overview_card(user)

from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp, NavItem


class ContestsConfig(DomainApp):
    name = "deltaunion.contests"
    label = "contests"
    verbose_name = _("Contests")
    urls = [("contests/", "deltaunion.contests.urls")]
    api = [("/contests", "deltaunion.contests.api:router")]
    nav = [
        NavItem(_("Contests"), "contests:list", order=30),
        NavItem(_("My marking"), "contests:judge_home", permission="contests.use_judge_pages", order=35),
    ]
    demo = "deltaunion.contests.demo:load"
    demo_after = ["workplans", "people", "accounts"]

from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp, NavItem


class PracticeConfig(DomainApp):
    name = "deltaunion.practice"
    label = "practice"
    verbose_name = _("Online practice")
    urls = [("practice/", "deltaunion.practice.urls")]
    api = [("/practice", "deltaunion.practice.api:router")]
    nav = [NavItem(_("Online practice"), "practice:home", order=40)]
    demo = "deltaunion.practice.demo:load"
    demo_after = ["contests", "people", "accounts"]

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.core.registry import DomainApp, MeSection, NavItem


class MeConfig(DomainApp):
    """The worker's own space (我的): the sections the apps register, and the inbox."""

    name = "deltaunion.me"
    label = "me"
    verbose_name = _("My space")
    urls = [("me/", "deltaunion.me.urls")]
    nav = [
        NavItem(
            pgettext_lazy("worker's own space", "Mine"),
            "me:home",
            permission="me.use_space",
            order=1,
            active=["me:"],
            count="deltaunion.me.selectors:unread_count",
        )
    ]
    me_sections = [
        MeSection(_("Messages"), "me:messages", count="deltaunion.me.selectors:unread_count", order=1),
        MeSection(_("My certificates"), "me:certificates", order=12),
    ]
    demo = "deltaunion.me.demo:load"
    demo_after = ["people", "accounts", "contests", "practice", "campaigns"]
    audit_actions = {}

from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp, NavItem


class WorkplansConfig(DomainApp):
    name = "deltaunion.workplans"
    label = "workplans"
    verbose_name = _("Work plans")
    urls = [("", "deltaunion.workplans.urls"), ("plans/", "deltaunion.workplans.plan_urls")]
    api = [("/workplans", "deltaunion.workplans.api:router")]
    nav = [NavItem(_("Work plans"), "home", order=10, active=["home", "workplans:"])]
    demo = "deltaunion.workplans.demo:load"
    demo_after = ["orgs"]
    audit_actions = {"key_task.status": _("changed the status of the key task")}

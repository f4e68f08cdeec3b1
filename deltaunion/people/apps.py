from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp, NavItem


class PeopleConfig(DomainApp):
    name = "deltaunion.people"
    label = "people"
    verbose_name = _("Workers")
    urls = [("people/", "deltaunion.people.urls")]
    api = [("/people", "deltaunion.people.api:router")]
    nav = [NavItem(_("Workers"), "people:list", permission="people.view_worker_list", order=50)]
    demo = "deltaunion.people.demo:load"
    demo_after = ["orgs"]
    audit_actions = {
        "worker.create": _("added the worker"),
        "worker.update": _("changed the worker's record"),
        "worker.import": _("imported the worker"),
        "worker.skill_level": _("recorded a skill level"),
        "worker.link_account": _("linked the worker's login account"),
        "employer.create": _("added the employer"),
    }

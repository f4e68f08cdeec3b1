from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp, NavItem


class OrgsConfig(DomainApp):
    name = "deltaunion.orgs"
    label = "orgs"
    verbose_name = _("Organisations")
    urls = [("orgs/", "deltaunion.orgs.urls")]
    api = [("/orgs", "deltaunion.orgs.api:router")]
    nav = [NavItem(_("Organisations"), "orgs:tree", order=20)]
    demo = "deltaunion.orgs.demo:load"
    viewer_scope = "deltaunion.orgs.scoping:scope_for"
    audit_actions = {
        "organisation.create": _("created the organisation"),
        "organisation.update": _("changed the organisation"),
        "organisation.move": _("moved the organisation"),
        "alliance.set_members": _("set the members of the alliance"),
        "org_role.grant": _("granted a role"),
        "org_role.revoke": _("revoked a role"),
    }

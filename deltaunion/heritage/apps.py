from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp, NavItem


class HeritageConfig(DomainApp):
    name = "deltaunion.heritage"
    label = "heritage"
    verbose_name = _("Red labour-movement heritage")
    urls = [("heritage/", "deltaunion.heritage.urls")]
    api = [("/heritage", "deltaunion.heritage.api:router")]
    nav = [
        NavItem(_("Heritage map"), "heritage:map", order=55),
        NavItem(_("Heritage venues"), "heritage:manage", permission="heritage.use_officer_pages", section="user"),
    ]
    demo = "deltaunion.heritage.demo:load"
    demo_after = ["orgs", "workplans", "people", "accounts"]
    key_task_evidence = "deltaunion.heritage.selectors:key_task_evidence"
    audit_actions = {
        "heritage_venue.create": _("recorded the venue"),
        "heritage_venue.update": _("changed the venue"),
        "heritage_venue.import": _("imported venues"),
        "heritage_venue.photo_add": _("added a photo of the venue"),
        "heritage_route.create": _("composed the route"),
        "heritage_route.update": _("changed the route"),
        "heritage_route.stops": _("changed the route's stops"),
        "heritage_visit.record": _("checked in a visit"),
    }

    def ready(self) -> None:
        super().ready()
        from deltaunion.community import subjects
        from deltaunion.heritage.models import Venue

        # Reviews of a venue are community posts about it.
        subjects.register("venue", Venue, _("Venue"))

from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp, MeSection, NavItem


class RecuperationConfig(DomainApp):
    name = "deltaunion.recuperation"
    label = "recuperation"
    verbose_name = _("Recuperation exchange")
    urls = [("recuperation/", "deltaunion.recuperation.urls")]
    api = [("/recuperation", "deltaunion.recuperation.api:router")]
    nav = [
        NavItem(_("Recuperation"), "recuperation:browse", order=57, active=["recuperation:"]),
        NavItem(_("My trips"), "recuperation:mine", permission="recuperation.is_worker", section="user", order=40),
        NavItem(
            _("Recuperation management"),
            "recuperation:manage",
            permission="recuperation.use_officer_pages",
            section="user",
            order=41,
        ),
    ]
    demo = "deltaunion.recuperation.demo:load"
    demo_after = ["orgs", "workplans", "people", "accounts", "heritage"]
    key_task_evidence = "deltaunion.recuperation.selectors:key_task_evidence"
    me_sections = [
        MeSection(
            _("My recuperation trips"),
            "recuperation:mine",
            count="deltaunion.recuperation.selectors:attention_count",
            order=40,
        )
    ]
    audit_actions = {
        "recup_base.create": _("registered the base"),
        "recup_base.update": _("changed the base"),
        "recup_base.import": _("imported bases"),
        "recup_base.photo_add": _("added a photo of the base"),
        "recup_recognition.create": _("recognised the base"),
        "recup_recognition.update": _("changed the recognition of the base"),
        "recup_recognition.end": _("ended the recognition of the base"),
        "recup_itinerary.create": _("drew up the itinerary"),
        "recup_itinerary.update": _("changed the itinerary"),
        "recup_itinerary.stays": _("changed the itinerary's stays"),
        "recup_target.create": _("set the yearly target"),
        "recup_target.update": _("changed the yearly target"),
        "recup_batch.create": _("set up the batch"),
        "recup_batch.update": _("changed the batch"),
        "recup_application.create": _("applied for the trip"),
        "recup_application.rate": _("rated the trip"),
        "recup_group_trip.create": _("recorded the group trip"),
    }

    def ready(self) -> None:
        super().ready()
        from deltaunion.community import subjects
        from deltaunion.recuperation.models import Itinerary

        # Reviews of a trip are community posts about its itinerary.
        subjects.register("itinerary", Itinerary, _("Recuperation itinerary"))

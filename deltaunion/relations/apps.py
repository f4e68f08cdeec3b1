from typing import Any

from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp, MeSection, NavItem


class RelationsConfig(DomainApp):
    name = "deltaunion.relations"
    label = "relations"
    verbose_name = _("Labour relations")
    urls = [("relations/", "deltaunion.relations.urls")]
    api = [("/relations", "deltaunion.relations.api:router")]
    nav = [
        NavItem(
            _("Labour relations"),
            "relations:cases",
            permission="relations.use_officer_pages",
            order=60,
            active=("relations:",),
        ),
        NavItem(_("Ask for help"), "relations:help", permission="relations.ask_for_help", section="user", order=60),
    ]
    demo = "deltaunion.relations.demo:load"
    demo_after = ["orgs", "people", "accounts", "workplans"]
    key_task_evidence = "deltaunion.relations.selectors:key_task_evidence"
    me_sections = [
        MeSection(_("My cases"), "relations:mine", count="deltaunion.relations.selectors:mine_count", order=40),
    ]
    audit_actions = {
        "relations_signal.create": _("recorded the early-warning signal"),
        "relations_signal.update": _("changed the early-warning signal"),
        "relations_signal.worker_add": _("added an affected worker to the signal"),
        "relations_signal.share": _("shared the signal with other federations"),
        "relations_signal.read_personal": _("read the affected workers' personal data"),
        "relations_case.create": _("opened the case"),
        "relations_case.request": _("asked for help online"),
        "relations_case.update": _("changed the case"),
        "relations_case.reassign": _("assigned the case to another officer"),
        "relations_case.party_add": _("added a worker to the case"),
        "relations_case.evidence_add": _("attached evidence to the case"),
        "relations_case.read_personal": _("read the case's personal data"),
        "relations_case.deadline": _("worked the deadline out again"),
        "relations_party.update": _("changed the wages owed and recovered"),
        "relations_referral.create": _("sent the referral"),
        "relations_project.create": _("recorded the project"),
        "relations_project.update": _("changed the project"),
        "relations_project.measure_add": _("recorded a prevention measure"),
        "relations_project.file_add": _("attached a file to a prevention measure"),
        "relations_project.file_read": _("opened a file of a prevention measure"),
        "relations_report.record": _("recorded the situation report"),
    }

    def ready(self) -> None:
        super().ready()
        from django.db.models.signals import post_migrate

        from deltaunion.relations import checks  # noqa: F401 (registers the system check)

        post_migrate.connect(_recompute_deadlines, sender=self, dispatch_uid="relations_recompute_deadlines")


def _recompute_deadlines(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After a deployment (`migrate`), deadlines counted by weekends only are worked out again: an
    upgraded chinese-calendar may now know the year's holidays and make-up working days."""
    from django.db import connections

    from deltaunion.relations import workdays
    from deltaunion.relations.models import Case
    from deltaunion.relations.services import deadlines_recompute

    if using != "default" or Case._meta.db_table not in connections[using].introspection.table_names():
        return
    workdays.default_calendar.cache_clear()
    deadlines_recompute()

from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp, MeSection, NavItem


class HonoursConfig(DomainApp):
    name = "deltaunion.honours"
    label = "honours"
    verbose_name = _("Honours and innovation")
    urls = [("honours/", "deltaunion.honours.urls")]
    api = [("/honours", "deltaunion.honours.api:router")]
    nav = [
        NavItem(_("Honours"), "honours:roll", order=60, active=["honours:"]),
        NavItem(_("Selections"), "honours:selections", permission="honours.use_officer_pages", section="user"),
        NavItem(_("Review"), "honours:review_home", permission="honours.use_expert_pages", section="user"),
    ]
    demo = "deltaunion.honours.demo:load"
    demo_after = ["orgs", "workplans", "people", "accounts", "contests"]
    key_task_evidence = "deltaunion.honours.selectors:key_task_evidence"
    me_sections = [
        MeSection(_("My honours"), "honours:mine", count="deltaunion.honours.selectors:mine_count", order=40),
    ]
    audit_actions = {
        "selection.create": _("set up the selection"),
        "selection.update": _("changed the selection"),
        "selection.category_add": _("added a category"),
        "selection.quota_set": _("set a union's nomination places"),
        "selection.material_add": _("added a required material"),
        "selection.material_remove": _("removed a required material"),
        "selection.criterion_add": _("added a review criterion"),
        "selection.criterion_remove": _("removed a review criterion"),
        "selection.panel_add": _("formed a review panel"),
        "selection.expert_add": _("appointed an expert"),
        "selection.expert_remove": _("removed an expert"),
        "category.update": _("changed the category"),
        "nomination.create": _("drafted the nomination"),
        "nomination.update": _("changed the nomination"),
        "nomination.material": _("gave a required material"),
        "nomination.outlier_check": _("checked the experts' scores for an outlier"),
        "nomination.outlier_resolve": _("decided on the outlying score"),
        "nomination.rank": _("ranked the nomination"),
        "review.submit": _("submitted a score sheet"),
        "review.update": _("changed a score sheet"),
        "review.exclude": _("set an outlying score sheet aside"),
        "panel.sign_off": _("signed off the panel's review"),
        "honour_objection.file": _("filed an objection"),
        "award.name": _("named the honour"),
        "worker.honour_recorded": _("recorded an honour on the record"),
        "worker.honour_removed": _("removed a revoked honour from the record"),
        "studio.create": _("registered the studio"),
        "studio.update": _("changed the studio"),
        "studio.recognise": _("recorded a recognition of the studio"),
        "studio.recognition_remove": _("removed a recognition of the studio"),
        "studio.level": _("changed the studio's level"),
        "studiocheck.update": _("recorded evidence for an item of the seven-haves standard"),
        "studio_report.create": _("recorded a yearly report"),
        "studioreport.update": _("changed a yearly report"),
        "studio_report.import": _("imported yearly reports"),
        "result.create": _("registered the innovation result"),
        "innovationresult.update": _("changed the innovation result"),
        "result.photo_add": _("added a photo of the result"),
        "exhibition.create": _("organised the exhibition"),
        "exhibition.update": _("changed the exhibition"),
        "exhibition.item_add": _("added a result to the exhibition"),
        "exhibition.item_remove": _("removed a result from the exhibition"),
    }

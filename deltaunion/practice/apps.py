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
    audit_actions = {
        "bank.create": _("created the question bank"),
        "bank.import": _("imported questions"),
        "campaign.create": _("created the campaign"),
        "campaign.enrol": _("enrolled members"),
        "campaign.join": _("joined the campaign"),
        "campaign.log": _("logged an activity"),
        "campaign.rule": _("set a campaign rule"),
        "campaign.team_add": _("added a team"),
        "moderate.hide": _("hid the content"),
        "moderate.restore": _("restored the content"),
        "post.create": _("published a post"),
        "question.add": _("added a question"),
        "quiz.create": _("created the quiz"),
        "quiz.theory_feed": _("fed the quiz scores into the theory part"),
        "quiz.update": _("changed the quiz"),
        "report.decide": _("decided on a report"),
        "report.file": _("reported content"),
    }

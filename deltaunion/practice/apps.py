from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp, MeSection, NavItem


class PracticeConfig(DomainApp):
    name = "deltaunion.practice"
    label = "practice"
    verbose_name = _("Online practice")
    urls = [("practice/", "deltaunion.practice.urls")]
    api = [("/practice", "deltaunion.practice.api:router")]
    nav = [NavItem(_("Online practice"), "practice:home", order=40)]
    me_sections = [
        MeSection(_("My practice"), "me:practice", count="deltaunion.practice.selectors:mine_count", order=20)
    ]
    demo = "deltaunion.practice.demo:load"
    demo_after = ["contests", "people", "accounts"]
    audit_actions = {
        "bank.create": _("created the question bank"),
        "bank.import": _("imported questions"),
        "question.add": _("added a question"),
        "quiz.create": _("created the quiz"),
        "quiz.update": _("changed the quiz"),
        "quiz.theory_feed": _("fed the quiz scores into the theory part"),
        "wrong_answer.remove": _("took a question out of the wrong-answer book"),
    }

    def ready(self) -> None:
        super().ready()
        from deltaunion.community import subjects
        from deltaunion.contests.models import Contest
        from deltaunion.practice.boards import register_board
        from deltaunion.practice.stats import register_statistics

        # Tips and results are posted about a contest.
        subjects.register("contest", Contest, _("Contest"))
        register_board()
        register_statistics()

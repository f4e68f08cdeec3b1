from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp, NavItem


class ContestsConfig(DomainApp):
    name = "deltaunion.contests"
    label = "contests"
    verbose_name = _("Contests")
    urls = [("contests/", "deltaunion.contests.urls")]
    api = [("/contests", "deltaunion.contests.api:router")]
    nav = [
        NavItem(_("Contests"), "contests:list", order=30),
        NavItem(_("My marking"), "contests:judge_home", permission="contests.use_judge_pages", order=35),
    ]
    demo = "deltaunion.contests.demo:load"
    demo_after = ["workplans", "people", "accounts"]
    audit_actions = {
        "appeal.file": _("filed an appeal"),
        "appeal.rule": _("ruled on the appeal"),
        "aspect.create": _("added a marking aspect"),
        "awards.apply": _("applied the awards"),
        "contest.create": _("created the contest"),
        "contest.update": _("changed the contest"),
        "contest_role.grant": _("granted a contest role"),
        "contest_role.revoke": _("revoked a contest role"),
        "judge.assign": _("assigned a judge"),
        "judge.unassign": _("removed a judge's assignment"),
        "mark.confirm": _("confirmed a mark"),
        "mark.enter": _("entered a mark"),
        "mark.flag_resolve": _("resolved a flagged mark"),
        "mark.reject": _("rejected a mark"),
        "mark.remark": _("re-marked"),
        "module.create": _("added a module"),
        "module.sign_off": _("signed off the module"),
        "objection.file": _("filed an objection"),
        "objection.resolve": _("resolved an objection"),
        "prize_tier.create": _("added a prize tier"),
        "promotion_rule.create": _("added a promotion rule"),
        "quota.set": _("set a quota"),
        "recheck.complete": _("completed the re-check"),
        "recheck.full": _("ordered a full re-check"),
        "recheck.item": _("recorded a re-check item"),
        "recheck.start": _("started the re-check"),
        "registration.approve": _("approved the registration"),
        "registration.reject": _("refused the registration"),
        "registration.checkin": _("checked the competitor in"),
        "registration.create": _("registered a competitor"),
        "registration.import": _("imported registrations"),
        "registration.withdraw": _("withdrew the registration"),
        "result_set.finalise": _("finalised the results"),
        "result_set.publish": _("published the results"),
        "result_set.withdraw": _("withdrew the results"),
        "stage.board_freeze": _("froze the live board"),
        "stage.create": _("added a stage"),
        "draw.round1": _("made the first draw round"),
        "draw.round2": _("made the second draw round and sealed it"),
        "stage.qualify": _("qualified competitors to the next stage"),
        "stage.reveal": _("revealed the names"),
        "stage.status": _("changed the stage's status"),
        "theory.set": _("entered a theory score"),
        "title_rule.create": _("added a title rule"),
        "trade.create": _("added a trade"),
        "venue.create": _("added a venue"),
    }

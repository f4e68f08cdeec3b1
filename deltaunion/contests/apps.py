from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp, MeSection, NavItem


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
    me_sections = [
        MeSection(_("My contests"), "me:contests", count="deltaunion.contests.selectors:mine_count", order=10)
    ]
    demo = "deltaunion.contests.demo:load"
    demo_after = ["workplans", "people", "accounts"]
    key_task_evidence = "deltaunion.contests.evidence_workplans:key_task_evidence"
    # The codes the services write with `log_action`; each state machine's transitions
    # register their own (contest.open, stage.seal, registration.approve, mark.confirm, …).
    audit_actions = {
        "appeal.file": _("filed an appeal"),
        "aspect.create": _("added a marking aspect"),
        "awards.apply": _("applied the awards"),
        "contest.create": _("created the contest"),
        "contest.update": _("changed the contest"),
        "contest_role.grant": _("granted a contest role"),
        "contest_role.revoke": _("revoked a contest role"),
        "judge.assign": _("assigned a judge"),
        "judge.unassign": _("removed a judge's assignment"),
        "mark.enter": _("entered a mark"),
        "mark.flag_resolve": _("resolved a flagged mark"),
        "mark.remark": _("re-marked"),
        "module.create": _("added a module"),
        "module.sign_off": _("signed off the module"),
        "objection.file": _("filed an objection"),
        "prize_tier.create": _("added a prize tier"),
        "promotion_rule.create": _("added a promotion rule"),
        "quota.set": _("set a quota"),
        "recheck.full": _("ordered a full re-check"),
        "recheck.item": _("recorded a re-check item"),
        "recheck.start": _("started the re-check"),
        "registration.checkin": _("checked the competitor in"),
        "registration.checkin_reminder": _("reminded the competitor of check-in"),
        "registration.create": _("registered a competitor"),
        "registration.import": _("imported registrations"),
        "result_set.publish": _("published the results"),
        "stage.board_freeze": _("froze or unfroze the live board"),
        "stage.create": _("added a stage"),
        "draw.round1": _("made the first draw round"),
        "stage.qualify": _("qualified competitors to the next stage"),
        "theory.set": _("entered a theory score"),
        "title_rule.create": _("added a title rule"),
        "trade.create": _("added a trade"),
        "venue.create": _("added a venue"),
    }

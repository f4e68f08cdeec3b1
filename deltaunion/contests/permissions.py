"""Who may do what in the contest engine: every rule of the engine, written once.

A permission about a contest takes the contest or anything inside it (a stage, a
registration, a module, a mark, a result set, an appeal, …); `contest_of` finds the contest.
Services call `require(by, "contests.…", obj)` (403 with the message below), views, the API
and selectors call `can(...)`, templates `{% can "contests.…" obj as flag %}`. What a user
may *see* (404 otherwise) is scoping: `selectors.contest_for_user_or_404` and friends.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from deltaunion.contests.models import (
    Aspect,
    Contest,
    ContestRole,
    JudgeAssignment,
    Mark,
    Module,
    Quota,
    Registration,
    Stage,
)
from deltaunion.contests.selectors import judge_assignment, sending_organisations
from deltaunion.core.permissions import define, memo, predicate
from deltaunion.orgs.models import Organisation, Role
from deltaunion.orgs.scoping import scope_for, sees_personal_data

R = ContestRole.Kind

# --- where an object belongs -------------------------------------------------------------------

# The attributes that lead from an object towards its contest, tried in this order.
_UP = ("contest", "stage", "result_set", "recheck", "module", "aspect", "award", "registration")


def _up_to(obj: Any, kind: type) -> Any:
    for _step in range(8):
        if obj is None or isinstance(obj, kind):
            return obj
        obj = next((getattr(obj, a) for a in _UP if hasattr(type(obj), a)), None)
    return None


def contest_of(obj: Any) -> Contest | None:
    """The contest a contest, stage, registration, module, mark, result set, … belongs to."""
    return _up_to(obj, Contest)


def stage_of(obj: Any) -> Stage | None:
    return _up_to(obj, Stage)


def module_of(obj: Any) -> Module | None:
    if isinstance(obj, Mark):
        obj = obj.aspect
    if isinstance(obj, Aspect | JudgeAssignment):
        obj = obj.module
    return obj if isinstance(obj, Module) else None


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def contest_roles(user: Any, contest_id: int | None) -> frozenset[str]:
    """The user's roles on one contest (memoised for the request; granting forgets it)."""
    if not _signed_in(user) or contest_id is None:
        return frozenset()
    return memo(
        user,
        ("contests.roles", contest_id),
        lambda: frozenset(ContestRole.objects.filter(contest_id=contest_id, user=user).values_list("role", flat=True)),
    )


def _holds(name: str, *kinds: str) -> Any:
    """A predicate: the user holds one of `kinds` on the object's contest."""

    def check(user: Any, obj: Any) -> bool:
        contest = contest_of(obj)
        return contest is not None and bool(contest_roles(user, contest.pk) & set(kinds))

    return predicate(check, name=name)


# --- contest roles ------------------------------------------------------------------------------

is_chief_judge = _holds("is_chief_judge", R.CHIEF_JUDGE)
is_arbiter = _holds("is_arbiter", R.ARBITER)
is_decryptor = _holds("is_decryptor", R.DECRYPTOR)
holds_an_official_role = _holds("holds_an_official_role", R.CHIEF_JUDGE, R.JUDGE, R.ARBITER, R.DECRYPTOR)


@predicate
def holds_judging_role(user: Any) -> bool:
    """A judge or chief judge on any contest: they get the judges' pages."""
    if not _signed_in(user):
        return False
    return memo(
        user,
        "contests.judging_roles",
        lambda: ContestRole.objects.filter(user=user, role__in=ContestRole.JUDGING).exists(),
    )


@predicate
def is_contest_manager(user: Any, obj: Any) -> bool:
    """Officers of the lead organisation's subtree, and the contest's organisers."""
    contest = contest_of(obj)
    if contest is None:
        return False
    return scope_for(user).manages(contest.lead_org) or R.ORGANISER in contest_roles(user, contest.pk)


@predicate
def numbers_drawn(user: Any, obj: Any) -> bool:
    """The live board of a stage (one the user may see, as every page asks first) shows
    something once the secret numbers are drawn."""
    stage = stage_of(obj)
    return stage is not None and stage.sealed_at is not None


# --- sending unions and their competitors ----------------------------------------------------------


def _sending_union(obj: Any) -> Organisation | None:
    return obj if isinstance(obj, Organisation) else getattr(obj, "organisation", None)


@predicate
def manages_sending_union(user: Any, obj: Any) -> bool:
    """Officers of the sending union (an organisation, or a registration's)."""
    return scope_for(user).manages(_sending_union(obj))


@predicate
def is_the_competitor(user: Any, registration: Any) -> bool:
    worker = getattr(registration, "worker", None)
    return _signed_in(user) and worker is not None and worker.user_id is not None and worker.user_id == user.pk


@predicate
def sends_to_stage(user: Any, obj: Any) -> bool:
    """Officers of a sending union with a quota or entries on the stage."""
    scope = scope_for(user)
    stage = stage_of(obj)
    if stage is None or not scope.is_manager:
        return False
    mine = scope.org_q("organisation")
    return (
        Quota.objects.filter(stage=stage).filter(mine).exists()
        or Registration.objects.filter(stage=stage).filter(mine).exists()
    )


@predicate
def has_sending_union(user: Any, obj: Any) -> bool:
    """The user manages a union that may send competitors to the stage (one with a quota;
    any union if the stage has no quotas)."""
    stage = stage_of(obj)
    return stage is not None and bool(sending_organisations(stage, user))


@predicate
def sees_competitor_data(user: Any, registration: Any) -> bool:
    """Full ID numbers and phones: the personal-data roles over the sending union or the lead
    organisation, or the competitor themself. A contest role (organiser) alone does not."""
    worker = getattr(registration, "worker", None)
    if sees_personal_data(user, registration.organisation, owner_id=getattr(worker, "user_id", None)):
        return True
    contest = contest_of(registration)
    return contest is not None and sees_personal_data(user, contest.lead_org)


@predicate
def leads_the_entry(user: Any, registration: Any) -> bool:
    return _signed_in(user) and registration.leader_id is not None and registration.leader_id == user.pk


@predicate
def leads_entries_on_stage(user: Any, obj: Any) -> bool:
    stage = stage_of(obj)
    if stage is None or not _signed_in(user):
        return False
    return Registration.objects.filter(stage=stage, leader=user, status=Registration.Status.APPROVED).exists()


# --- judges -----------------------------------------------------------------------------------


@predicate
def judges_the_module(user: Any, obj: Any) -> bool:
    """A judge (or the chief judge) assigned to the module of a module, aspect or mark."""
    return judge_assignment(module_of(obj), user) is not None


@predicate
def entered_the_mark(user: Any, mark: Any) -> bool:
    return _signed_in(user) and getattr(mark, "entered_by_id", None) == user.pk


@predicate
def marks_the_aspect(user: Any, aspect: Any) -> bool:
    assignment = judge_assignment(module_of(aspect), user)
    return assignment is not None and aspect.pk in assignment.aspect_ids()


# --- officers -----------------------------------------------------------------------------------


@predicate
def may_lead_from(user: Any, organisation: Any = None) -> bool:
    """Creating a contest (led by `organisation`): officers who manage it."""
    scope = scope_for(user)
    return scope.is_manager if organisation is None else scope.manages(organisation)


@predicate
def is_officer(user: Any) -> bool:
    return scope_for(user).is_manager


@predicate
def is_federation_admin(user: Any) -> bool:
    return scope_for(user).has_role(Role.FEDERATION_ADMIN)


@predicate
def may_download_certificate(user: Any, certificate: Any) -> bool:
    """The holder, the officers of their sending union and the contest's managers."""
    award = certificate.award
    if _signed_in(user) and award.worker.user_id == user.pk:
        return True
    return scope_for(user).manages(award.registration.organisation) or is_contest_manager(user, award.contest)


# --- the permissions ---------------------------------------------------------------------------

# name, predicate, what a refused user reads.
PERMISSIONS = [
    ("contests.use_judge_pages", holds_judging_role, _("These pages are for the contest's judges")),
    (
        "contests.create_contest",
        may_lead_from,
        _("Only officers of the lead organisation may create or lead its contests"),
    ),
    ("contests.export_contests", is_officer, _("Exports are for union officers")),
    (
        "contests.manage_contest",
        is_contest_manager,
        _("Only the contest's organisers and the officers of its lead union may do this"),
    ),
    (
        "contests.manage_scores",
        is_chief_judge | is_contest_manager,
        _("Only the chief judge or the organisers can do this"),
    ),
    ("contests.chair_judging", is_chief_judge, _("Only the contest's chief judge can do this")),
    ("contests.judge_module", judges_the_module, _("Only the judges assigned to this module can do this")),
    ("contests.mark_aspect", marks_the_aspect, _("You are not assigned to this aspect")),
    (
        "contests.void_mark",
        is_chief_judge & ~entered_the_mark,
        _("Only the chief judge can void a mark, and not one they entered themselves"),
    ),
    (
        "contests.remark",
        is_chief_judge | is_arbiter,
        _("Only the chief judge or an arbiter can change a confirmed mark"),
    ),
    ("contests.rule_appeal", is_arbiter, _("Only the contest's arbitration group can rule on appeals")),
    (
        "contests.review_appeals",
        is_arbiter | is_contest_manager,
        _("Only the arbitration group and the organisers see every appeal"),
    ),
    ("contests.reveal_stage", is_decryptor, _("Only the contest's decryptor can reveal the names")),
    (
        "contests.send_competitors",
        sends_to_stage,
        _("Only the officers of a union with places or entries on this stage can do this"),
    ),
    (
        "contests.handle_registrations",
        is_contest_manager | sends_to_stage,
        _("Registrations are handled by the contest's organisers and the sending unions' officers"),
    ),
    (
        "contests.work_on_stage",
        is_contest_manager | sends_to_stage | holds_an_official_role,
        _("This page is for the people running this stage"),
    ),
    (
        "contests.import_registrations",
        (is_contest_manager | sends_to_stage) & has_sending_union,
        _("Only the officers of a sending union with places on this stage can import its entries"),
    ),
    (
        "contests.enter_for_union",
        manages_sending_union,
        _("Only the sending union's officers can enter its competitors"),
    ),
    (
        "contests.enter_competitor",
        manages_sending_union | is_the_competitor,
        _("Only the sending union's officers, or the worker themself, can enter a competitor"),
    ),
    (
        "contests.decide_registration",
        manages_sending_union,
        _("Only the sending union's officers can approve or refuse this entry"),
    ),
    (
        "contests.withdraw_registration",
        manages_sending_union | is_the_competitor,
        _("Only the sending union's officers, or the competitor themself, can withdraw this entry"),
    ),
    (
        "contests.see_personal_data",
        sees_competitor_data,
        _("Full ID numbers and phones are for the officers of the sending union and the lead union"),
    ),
    ("contests.view_board", numbers_drawn, _("The live board opens once the secret numbers are drawn")),
    ("contests.file_appeal", leads_the_entry, _("Only the competitor's team leader can appeal")),
    # The link to the appeal page: team leaders and the sending unions (not the organisers).
    (
        "contests.appeal_for_entries",
        leads_entries_on_stage | (sends_to_stage & ~is_contest_manager),
        _("Appeals are filed by the team leaders of the stage's entries"),
    ),
    (
        "contests.open_appeal_page",
        leads_entries_on_stage | is_contest_manager | sends_to_stage,
        _("Appeals are filed by the team leaders of the stage's entries"),
    ),
    (
        "contests.add_general_promotion_rule",
        is_federation_admin,
        _("Only federation administrators can add general promotion rules"),
    ),
    (
        "contests.download_certificate",
        may_download_certificate,
        _("Only the holder and the officers of their union can download this certificate"),
    ),
]
for _name, _predicate, _refusal in PERMISSIONS:
    define(_name, _predicate, refusal=_refusal)

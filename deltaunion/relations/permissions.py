"""Who may do what with signals, cases, referrals, projects and the situation report.

- A **signal** belongs to the union that recorded it (its officers manage it); a federation it is
  shared with (affected workers come from there, or the employer has sites there) sees it, and
  sees the personal data of the affected workers who are *its own members* only (matched by
  keyed hash, `matching.py`).
- A **case** belongs to its union (the officers of that union's subtree own it: assign, refer,
  close, reopen). A union it is *referred* to sees it while the referral awaits an answer and
  answers it; once it accepts a referral it works on the case with the owner (a transfer makes
  it the owner instead). The officer it is assigned to handles it; the worker who asked for help
  follows it. The personal data of a case (ID numbers, phones, evidence) is for those handling
  it and for the worker: a union still deciding on a referral reads it masked.
- The situation report is for the officers of every union; it holds no personal data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deltaunion.core.permissions import define, is_authenticated, memo, predicate
from deltaunion.orgs.models import PATH_STEP, Organisation
from deltaunion.orgs.permissions import manages_owner, manages_some_organisation
from deltaunion.orgs.scoping import scope_for, sees_personal_data


def federation_path(org: Organisation | None) -> str:
    """The path of the provincial federation above (or at) `org`; "" above the provinces."""
    if org is None or org.depth < 1:
        return ""
    return org.path[: 2 * PATH_STEP]


def federation_of(org: Organisation | None) -> Organisation | None:
    path = federation_path(org)
    return Organisation.objects.filter(path=path).first() if path else None


def _case(obj: Any) -> Any:
    """Case permissions are asked about a case or about one of its referrals."""
    from deltaunion.relations.models import Referral

    return obj.case if isinstance(obj, Referral) else obj


def _uid(user: Any) -> int | None:
    return scope_for(user).user_id


# --- predicates --------------------------------------------------------------------------------------------


@predicate
def manages_union(user: Any, organisation: Any) -> bool:
    scope = scope_for(user)
    return scope.is_manager if organisation is None else scope.manages(organisation)


@predicate
def owns_case(user: Any, obj: Any) -> bool:
    case = _case(obj)
    return case is not None and scope_for(user).manages(case.organisation)


def _referral_orgs(user: Any, case: Any) -> dict[str, list[Organisation]]:
    """The organisations a case is referred to, by what the referral lets them do (memoised)."""
    from deltaunion.relations.models import Referral

    def compute() -> dict[str, list[Organisation]]:
        out: dict[str, list[Organisation]] = {"pending": [], "partner": []}
        rows = Referral.objects.filter(case_id=case.pk).select_related("to_organisation")
        for r in rows:
            if r.status == Referral.Status.PENDING:
                out["pending"].append(r.to_organisation)
            elif r.status == Referral.Status.ACCEPTED and r.mode == Referral.Mode.REFERRAL:
                out["partner"].append(r.to_organisation)
        return out

    return memo(user, ("relations.referrals", case.pk, case.status, case.organisation_id), compute)


@predicate
def works_on_referral(user: Any, obj: Any) -> bool:
    """A union that accepted a referral of the case works on it."""
    case = _case(obj)
    if case is None or not scope_for(user).is_manager:
        return False
    return any(scope_for(user).manages(o) for o in _referral_orgs(user, case)["partner"])


@predicate
def answers_referral(user: Any, obj: Any) -> bool:
    """The union a case is referred to answers while the referral is pending."""
    from deltaunion.relations.models import Referral

    if obj is None or not scope_for(user).is_manager:
        return False
    if isinstance(obj, Referral):
        return obj.status == Referral.Status.PENDING and scope_for(user).manages(obj.to_organisation)
    return any(scope_for(user).manages(o) for o in _referral_orgs(user, obj)["pending"])


@predicate
def is_assignee(user: Any, obj: Any) -> bool:
    case = _case(obj)
    uid = _uid(user)
    return case is not None and uid is not None and case.assignee_id == uid


@predicate
def is_applicant(user: Any, obj: Any) -> bool:
    """The worker who asked for help, or a worker the case is for (with a login)."""
    case = _case(obj)
    uid = _uid(user)
    if case is None or uid is None:
        return False
    if case.applicant_id == uid:
        return True
    return memo(user, ("relations.party", case.pk), lambda: case.parties.filter(user_id=uid).exists())


@predicate
def owner_sees_personal_data(user: Any, obj: Any) -> bool:
    case = _case(obj)
    return case is not None and sees_personal_data(user, case.organisation)


@predicate
def partner_sees_personal_data(user: Any, obj: Any) -> bool:
    case = _case(obj)
    if case is None:
        return False
    return any(sees_personal_data(user, o) for o in _referral_orgs(user, case)["partner"])


@predicate
def case_is_active(user: Any, obj: Any) -> bool:
    case = _case(obj)
    return case is not None and case.is_active


@predicate
def manages_shared_federation(user: Any, signal: Any) -> bool:
    if signal is None or not scope_for(user).is_manager:
        return False
    federations = memo(
        user,
        ("relations.shares", signal.pk),
        lambda: list(Organisation.objects.filter(pk__in=signal.shares.values("federation_id"))),
    )
    return any(scope_for(user).manages(f) for f in federations)


@predicate
def owner_sees_signal_workers(user: Any, signal: Any) -> bool:
    return signal is not None and sees_personal_data(user, signal.organisation)


_handles = owns_case | works_on_referral | is_assignee

define(
    "relations.use_officer_pages",
    manages_some_organisation,
    refusal=_("These pages are for the officers of the unions"),
)
define(
    "relations.open_case",
    manages_union,
    refusal=_("Cases are opened by the officers of a union you manage"),
)
define(
    "relations.view_case",
    _handles | answers_referral | is_applicant,
    refusal=_("This case is for the unions handling it and the worker concerned"),
)
define(
    "relations.handle_case",
    _handles,
    refusal=_("Only the officers handling the case may do this"),
)
define(
    "relations.own_case",
    owns_case,
    refusal=_("Only the officers of the union that owns the case may do this"),
)
define(
    "relations.answer_referral",
    answers_referral,
    refusal=_("Only the union the case is referred to may answer the referral"),
)
define(
    "relations.see_personal_data",
    (owns_case & owner_sees_personal_data)
    | (works_on_referral & partner_sees_personal_data)
    | is_assignee
    | is_applicant,
    refusal=_("ID numbers, phones and evidence are for those handling the case and for the worker"),
)
define(
    "relations.add_evidence",
    _handles | (is_applicant & case_is_active),
    refusal=_("Evidence is added by those handling the case, or by the worker while the case is open"),
)
define(
    "relations.ask_for_help",
    is_authenticated,
    refusal=_("Sign in to ask the union for help"),
)
define(
    "relations.open_signal",
    manages_union,
    refusal=_("Signals are recorded by the officers of a union you manage"),
)
define(
    "relations.view_signal",
    manages_owner | manages_shared_federation,
    refusal=_("This signal is for the union that recorded it and the federations it is shared with"),
)
define(
    "relations.manage_signal",
    manages_owner,
    refusal=_("Only the officers of the union that recorded the signal may change it"),
)
define(
    "relations.see_signal_workers",
    owner_sees_signal_workers,
    refusal=_("The affected workers' personal data is for the union that recorded the signal"),
)
define(
    "relations.add_project",
    manages_union,
    refusal=_("Projects are recorded by the officers of a union you manage"),
)
define(
    "relations.manage_project",
    manages_owner,
    refusal=_("Only the officers of the project's union may change it"),
)
define(
    "relations.view_report",
    manages_some_organisation,
    refusal=_("The situation report is for the officers of the unions"),
)


# --- what a user may see (the selectors' scoping) ---------------------------------------------------------


def cases_visible_q(user: Any) -> Q:
    from deltaunion.relations.models import Referral

    scope = scope_for(user)
    if scope.is_superuser:
        return Q(pk__isnull=False)
    q = Q(pk__in=[])
    if scope.is_manager:
        q |= scope.org_q("organisation")
        referred = scope.org_q("referrals__to_organisation") & (
            Q(referrals__status=Referral.Status.PENDING)
            | Q(referrals__status=Referral.Status.ACCEPTED, referrals__mode=Referral.Mode.REFERRAL)
        )
        q |= referred
    if scope.is_authenticated:
        q |= Q(assignee_id=scope.user_id) | Q(applicant_id=scope.user_id) | Q(parties__user_id=scope.user_id)
    return q


def signals_visible_q(user: Any) -> Q:
    scope = scope_for(user)
    if scope.is_superuser:
        return Q(pk__isnull=False)
    if not scope.is_manager:
        return Q(pk__in=[])
    return scope.org_q("organisation") | scope.org_q("shares__federation")

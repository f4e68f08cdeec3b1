"""Who may do what in the contest engine."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from deltaunion.contests.models import ContestRole
from deltaunion.core.permissions import define, memo, predicate


@predicate
def holds_judging_role(user: Any) -> bool:
    """A judge or chief judge on any contest: they get the judges' pages."""
    if not getattr(user, "is_authenticated", False):
        return False
    return memo(
        user,
        "contests.judging_roles",
        lambda: ContestRole.objects.filter(
            user=user, role__in=[ContestRole.Kind.JUDGE, ContestRole.Kind.CHIEF_JUDGE]
        ).exists(),
    )


define("contests.use_judge_pages", holds_judging_role, refusal=_("These pages are for the contest's judges"))


def contest_roles(user: Any, contest_id: int) -> frozenset[str]:
    """The user's roles on one contest (memoised for the request)."""
    if not getattr(user, "is_authenticated", False) or contest_id is None:
        return frozenset()
    return memo(
        user,
        ("contests.roles", contest_id),
        lambda: frozenset(ContestRole.objects.filter(contest_id=contest_id, user=user).values_list("role", flat=True)),
    )


@predicate
def is_contest_manager(user: Any, contest: Any) -> bool:
    """Officers of the lead organisation's subtree, and the contest's organisers."""
    if contest is None:
        return False
    from deltaunion.orgs.scoping import scope_for

    return scope_for(user).manages(contest.lead_org) or ContestRole.Kind.ORGANISER in contest_roles(user, contest.pk)


define(
    "contests.manage_contest",
    is_contest_manager,
    refusal=_("Only the contest's organisers and the officers of its lead union may do this"),
)

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

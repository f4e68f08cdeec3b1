"""Who may do what in the community: posting, moderating, and whose names are shown in full."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from deltaunion.core.permissions import define, predicate
from deltaunion.orgs.scoping import scope_for


def union_of(obj: Any) -> Any:
    """The union a post, comment or report belongs to (where it was posted)."""
    post = getattr(obj, "post", obj)
    return getattr(post, "organisation", None)


def own_union_id(user: Any) -> int | None:
    """The union of the user's worker record (None for a user without one)."""
    worker = getattr(user, "worker", None) if getattr(user, "is_authenticated", False) else None
    return worker.organisation_id if worker is not None else None


@predicate
def moderates(user: Any, obj: Any = None) -> bool:
    """The officers of the union a post was posted in moderate it, its comments and its
    reports; with no object: whoever moderates some union (the moderation pages)."""
    scope = scope_for(user)
    if obj is None:
        return scope.is_manager
    return scope.manages(union_of(obj))


@predicate
def may_post_in(user: Any, organisation: Any) -> bool:
    """Workers post in their own union; officers in any union they manage."""
    if organisation is None:
        return False
    return scope_for(user).manages(organisation) or organisation.pk == own_union_id(user)


@predicate
def manages_union(user: Any, organisation: Any) -> bool:
    return organisation is not None and scope_for(user).manages(organisation)


@predicate
def wrote_it(user: Any, obj: Any) -> bool:
    return obj is not None and obj.author_id == getattr(user, "pk", None)


@predicate
def reported_it(user: Any, report: Any) -> bool:
    return report is not None and report.reporter_id == getattr(user, "pk", None)


define(
    "community.moderate",
    moderates,
    refusal=_("Only the officers of the union it was posted in may moderate it"),
)
define("community.post_in", may_post_in, refusal=_("You may post only in your own union"))
define("community.post_news", manages_union, refusal=_("Only union officers post news"))
# Names are masked (core.privacy.mask_name) for everyone but: the author of a post or comment,
# and its union's moderators; the reporter of a report alone (moderators read it masked).
define("community.see_author_name", wrote_it | moderates, refusal=_("Other people's names are shown masked"))
define("community.see_reporter_name", reported_it, refusal=_("Other people's names are shown masked"))

"""Who may do what with venues, routes and visits.

- Officers of the owning union's subtree manage a venue or a route (edit, publish, withdraw,
  photos); any officer may add venues and routes for a union they manage, and import venues.
- Everyone reads what is published (scoping: `scope_public_q`).
- A worker checks in a visit at a published venue for their union group (their team); the
  members of that union see its visits, the officers of its subtree too.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deltaunion.core.permissions import define, memo, predicate
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import scope_for


def team_of(user: Any) -> Organisation | None:
    """The union group a user visits with: their worker record's union; for an officer
    without one, the first union they manage."""
    if not getattr(user, "is_authenticated", False):
        return None

    def compute() -> Organisation | None:
        worker = getattr(user, "worker", None)
        if worker is not None:
            return worker.organisation
        from deltaunion.orgs.scoping import top_managed_organisations

        tops = top_managed_organisations(user) if scope_for(user).is_manager and not user.is_superuser else []
        return tops[0] if tops else None

    return memo(user, "heritage.team", compute)


def visits_visible_q(user: Any) -> Q:
    """The visits a user may see: their own, their union group's, and those of the unions
    they manage."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Q(pk__isnull=False)
    q = scope.org_q("organisation") if scope.is_manager else Q(pk__in=[])
    if scope.is_authenticated:
        q |= Q(user_id=scope.user_id)
        team = team_of(user)
        if team is not None:
            q |= Q(organisation_id=team.pk)
    return q


@predicate
def manages_some_union(user: Any) -> bool:
    return scope_for(user).is_manager


@predicate
def manages_union(user: Any, organisation: Any) -> bool:
    """With no organisation: whether the user manages any (the pages); with one: that one."""
    scope = scope_for(user)
    return scope.is_manager if organisation is None else scope.manages(organisation)


@predicate
def manages_owner(user: Any, obj: Any) -> bool:
    return obj is not None and scope_for(user).manages(obj.organisation)


@predicate
def may_check_in(user: Any, venue: Any) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and venue is not None
        and venue.is_published
        and team_of(user) is not None
    )


@predicate
def sees_visit(user: Any, visit: Any) -> bool:
    if visit is None:
        return False
    scope = scope_for(user)
    if scope.manages(visit.organisation) or visit.user_id == scope.user_id:
        return True
    team = team_of(user)
    return team is not None and team.pk == visit.organisation_id


@predicate
def may_review(user: Any, venue: Any) -> bool:
    """Reviews are community posts about a published venue, by anyone with a union."""
    return getattr(user, "is_authenticated", False) and venue is not None and venue.is_published


define("heritage.use_officer_pages", manages_some_union, refusal=_("These pages are for the officers of the unions"))
define(
    "heritage.add_venue",
    manages_union,
    refusal=_("Venues are recorded by the officers of a union you manage"),
)
define(
    "heritage.manage_venue",
    manages_owner,
    refusal=_("Only the officers of the venue's union may change it"),
)
define(
    "heritage.add_route",
    manages_union,
    refusal=_("Routes are composed by the officers of a union you manage"),
)
define(
    "heritage.manage_route",
    manages_owner,
    refusal=_("Only the officers of the route's union may change it"),
)
define(
    "heritage.import_venues",
    manages_union,
    refusal=_("Only the officers of the union may import venues into it"),
)
define(
    "heritage.check_in",
    may_check_in,
    refusal=_("Check-ins are for published venues, by members of a union"),
)
define("heritage.view_visit", sees_visit, refusal=_("This visit belongs to another union group"))
define("heritage.review_venue", may_review, refusal=_("Reviews are written about published venues"))

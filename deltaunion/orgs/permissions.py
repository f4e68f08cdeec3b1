"""Who may do what with the organisation tree, its alliances and the roles people hold in it.

The tree itself is public (anyone may read it); changing it is for the officers who manage
the part that changes. Roles are granted by the federation administrators above the
organisation (and superusers).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from deltaunion.core.permissions import define, is_superuser, predicate
from deltaunion.orgs.models import Role
from deltaunion.orgs.scoping import scope_for


@predicate
def manages_organisation(user: Any, org: Any) -> bool:
    """The organisation lies in a subtree the user manages (None: no organisation, superusers only)."""
    return scope_for(user).manages(org)


@predicate
def manages_some_organisation(user: Any) -> bool:
    """An officer or federation administrator of any organisation (the officers' pages)."""
    return scope_for(user).is_manager


@predicate
def manages_owner(user: Any, obj: Any) -> bool:
    """The object's `organisation` lies in a subtree the user manages: the common rule for any
    record owned by a union (a venue, a base, a case, a nomination…). Other apps reuse it."""
    return obj is not None and scope_for(user).manages(getattr(obj, "organisation", None))


@predicate
def manages_parent(user: Any, org: Any) -> bool:
    """The user manages the organisation's parent: it may be taken out of its place. A root
    (no parent) is for superusers alone."""
    return org is not None and scope_for(user).manages(org.parent)


@predicate
def administers_organisation(user: Any, org: Any) -> bool:
    """A federation administrator of the organisation or of one above it."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    return org is not None and any(r == Role.FEDERATION_ADMIN and org.path.startswith(p) for r, p in scope.roles)


define(
    "orgs.create_organisation",
    manages_organisation,
    refusal=_("Only the officers who manage the parent organisation may add an organisation under it"),
)
define(
    "orgs.update_organisation",
    manages_organisation,
    refusal=_("Only the officers who manage this organisation may change it"),
)
define(
    "orgs.view_organisation_history",
    manages_organisation,
    refusal=_("The change history of an organisation is for the officers who manage it"),
)
define(
    "orgs.move_organisation",
    manages_parent,
    refusal=_("Only the officers who manage both the organisation's parent and its new parent may move it"),
)
define(
    "orgs.grant_role",
    administers_organisation,
    refusal=_("Only the federation administrators above this organisation may grant or revoke its roles"),
)
define(
    "orgs.manage_alliance",
    is_superuser,
    refusal=_("Only the platform administrators may change the members of an alliance"),
)

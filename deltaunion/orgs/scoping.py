"""Organisation scoping: the one place that decides what a user may see.

A model opts in by declaring where its organisation lives and, optionally, who owns it
and what of it is public:

    class Worker(models.Model):
        scope_org_field = "organisation"      # FK path to an Organisation; "" = the row is one;
                                              # None = belongs to none (only public/owned rows show)
        scope_owner_field = "user"            # the worker sees their own record
        @classmethod
        def scope_public_q(cls) -> Q: ...     # rows anyone may read

`scoped(qs, user)` filters a queryset; `get_for_user_or_404(qs, user, **lookup)` fetches one
object and raises the same 404 whether it is missing or not the user's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from deltaunion.orgs.models import MANAGING_ROLES, PERSONAL_DATA_ROLES, Organisation, OrgRole, Role


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    is_superuser: bool = False
    managed_paths: tuple[str, ...] = ()
    personal_data_paths: tuple[str, ...] = ()
    roles: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (role, org path)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_manager(self) -> bool:
        return self.is_superuser or bool(self.managed_paths)

    def has_role(self, role: str) -> bool:
        return self.is_superuser or any(r == role for r, _p in self.roles)

    def manages(self, org: Organisation | None) -> bool:
        if self.is_superuser:
            return True
        if org is None:
            return False
        return any(org.path.startswith(p) for p in self.managed_paths)

    def sees_personal_data(self, org: Organisation | None) -> bool:
        if self.is_superuser:
            return True
        return org is not None and any(org.path.startswith(p) for p in self.personal_data_paths)

    def org_q(self, org_field: str) -> Q:
        """Rows whose organisation lies in a subtree this user manages."""
        prefix = f"{org_field}__path" if org_field else "path"
        if self.is_superuser:
            return Q(pk__isnull=False)  # not Q(): an empty Q vanishes when OR-ed
        if not self.managed_paths:
            return Q(pk__in=[])
        q = Q()
        for p in _outermost(self.managed_paths):
            q |= Q(**{f"{prefix}__startswith": p})
        return q


def _outermost(paths: tuple[str, ...]) -> list[str]:
    """Drop paths already covered by an ancestor in the list."""
    out: list[str] = []
    for p in sorted(set(paths), key=len):
        if not any(p.startswith(o) for o in out):
            out.append(p)
    return out


ANONYMOUS = Scope(user_id=None)


def scope_for(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_deltaunion_scope", None)
    if cached is not None:
        return cached
    rows = list(OrgRole.objects.filter(user=user).values_list("role", "organisation__path"))
    scope = Scope(
        user_id=user.pk,
        is_superuser=bool(user.is_superuser),
        managed_paths=tuple(p for r, p in rows if r in MANAGING_ROLES),
        personal_data_paths=tuple(p for r, p in rows if r in PERSONAL_DATA_ROLES),
        roles=frozenset(rows),
    )
    user._deltaunion_scope = scope
    return scope


def visible_q(model: type[Model], user: Any) -> Q:
    scope = scope_for(user)
    if not hasattr(model, "scope_org_field"):
        raise TypeError(f"{model.__name__} does not declare scope_org_field")
    org_field = model.scope_org_field  # None: the rows belong to no organisation
    q = scope.org_q(org_field) if (scope.is_manager and org_field is not None) else Q(pk__in=[])
    owner = getattr(model, "scope_owner_field", None)
    if owner and scope.is_authenticated:
        q |= Q(**{owner: scope.user_id})
    public = getattr(model, "scope_public_q", None)
    if public is not None:
        q |= public()
    return q


def scoped(qs: QuerySet, user: Any) -> QuerySet:
    scope = scope_for(user)
    if scope.is_superuser:
        return qs
    return qs.filter(visible_q(qs.model, user))


def get_for_user_or_404(qs: QuerySet | type[Model], user: Any, **lookup: Any) -> Any:
    """The object if it exists and the user may see it; otherwise the same 404."""
    if isinstance(qs, type):
        qs = qs._default_manager.all()
    obj = scoped(qs, user).filter(**lookup).distinct().first()
    if obj is None:
        raise Http404("not found")
    return obj


def require_manager(user: Any, org: Organisation | None) -> None:
    """For writes: 404 unless the user manages `org` (same answer as "not found")."""
    if not scope_for(user).manages(org):
        raise Http404("not found")


def managed(qs: QuerySet, user: Any) -> QuerySet:
    """Rows of `qs` whose organisation lies in a subtree the user manages. Unlike `scoped`,
    public rows of other organisations (open quizzes, published banks) are left out: the
    officers' pages show and change only their own."""
    return qs.filter(scope_for(user).org_q(qs.model.scope_org_field))


def managed_organisations(user: Any) -> QuerySet[Organisation]:
    """Every organisation in the subtrees the user manages, in tree order."""
    scope = scope_for(user)
    if not scope.is_manager:
        return Organisation.objects.none()
    return Organisation.objects.filter(scope.org_q("")).order_by("path")


def top_managed_organisations(user: Any) -> list[Organisation]:
    """The outermost organisations the user manages (the roots of their subtrees)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return list(Organisation.objects.filter(depth=0).order_by("path")[:5])
    return list(Organisation.objects.filter(path__in=_outermost(scope.managed_paths)).order_by("path"))


def sees_personal_data(user: Any, org: Organisation | None, *, owner_id: int | None = None) -> bool:
    """Full ID numbers and phones: the personal-data roles of the organisation's subtree, or the
    person themselves (`owner_id`, their user id)."""
    scope = scope_for(user)
    return scope.sees_personal_data(org) or (owner_id is not None and owner_id == scope.user_id)


__all__ = [
    "ANONYMOUS",
    "Role",
    "Scope",
    "get_for_user_or_404",
    "managed",
    "managed_organisations",
    "sees_personal_data",
    "top_managed_organisations",
    "require_manager",
    "scope_for",
    "scoped",
    "visible_q",
]


def history_for_manager(user: Any, obj: Model, org: Organisation | None) -> list:
    """An object's readable history, for those who manage the organisation it belongs to."""
    from deltaunion.core.audit import history

    return history(obj) if scope_for(user).manages(org) else []


def forget_scope(user: Any) -> None:
    """The user's roles changed: drop the scope worked out from them (cached on the user object)."""
    if user is not None:
        user.__dict__.pop("_deltaunion_scope", None)

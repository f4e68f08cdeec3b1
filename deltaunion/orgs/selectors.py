from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from deltaunion.core.audit import HistoryItem, history
from deltaunion.core.permissions import can
from deltaunion.orgs.models import Alliance, Organisation, Region
from deltaunion.orgs.scoping import scoped


def organisation_list(
    *, user: Any, kind: str = "", q: str = "", parent: Organisation | None = None, province: str = ""
) -> QuerySet[Organisation]:
    qs = scoped(Organisation.objects.select_related("region", "parent"), user)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    if parent is not None:
        qs = qs.filter(parent=parent)
    if province:
        qs = qs.filter(region__code__startswith=province[:2])
    return qs.order_by("path")


def organisation_subtree(org: Organisation, *, include_self: bool = True) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(path__startswith=org.path)
    if not include_self:
        qs = qs.exclude(pk=org.pk)
    return qs


def organisation_ancestors(org: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(path__in=org.ancestor_paths()).order_by("depth")


def organisation_children(org: Organisation | None) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(parent=org) if org else Organisation.objects.filter(parent__isnull=True)
    return qs.annotate(child_count=Count("children")).select_related("region").order_by("kind", "region__code", "name")


def organisation_by_region(code: str, kind: str | None = None) -> Organisation | None:
    qs = Organisation.objects.filter(region_id=code)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("depth").first()


def alliance_list() -> QuerySet[Alliance]:
    return Alliance.objects.prefetch_related("alliancemember_set__organisation").order_by("name")


def region_exists(code: str) -> bool:
    return Region.objects.filter(code=code).exists()


def organisation_history(org: Organisation, *, user: Any) -> list[HistoryItem] | None:
    """The organisation's changes as sentences, for those who may read them (None for others)."""
    return history(org) if can(user, "orgs.view_organisation_history", org) else None

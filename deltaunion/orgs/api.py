from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from deltaunion.core.api import Limit, Offset, SearchText
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import get_for_user_or_404
from deltaunion.orgs.selectors import alliance_list, organisation_list

router = Router(tags=["orgs"])


class OrgOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    depth: int
    region_code: str | None
    region_name: str | None
    is_demo: bool

    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_region_code(obj: Organisation) -> str | None:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Organisation) -> str | None:
        return obj.region.name if obj.region_id else None


class OrgPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[OrgOut]


class OrgFilters(Schema):
    kind: str = ""
    q: SearchText = ""
    parent: int | None = None
    province: str = ""
    offset: Offset = 0
    limit: Limit = 200


class AllianceMemberOut(Schema):
    organisation_id: int
    name: str
    role: str


class AllianceOut(Schema):
    slug: str
    name: str
    kind: str
    description: str
    source: str
    members: list[AllianceMemberOut]


@router.get("", response=OrgPage, summary="The organisation tree (public), filtered and paged")
def list_orgs(request, filters: Query[OrgFilters]):
    parent = get_object_or_404(Organisation, pk=filters.parent) if filters.parent else None
    qs = organisation_list(user=request.user, kind=filters.kind, q=filters.q, parent=parent, province=filters.province)
    limit = max(1, min(filters.limit, 1000))
    offset = max(0, filters.offset)
    return {"count": qs.count(), "offset": offset, "limit": limit, "items": list(qs[offset : offset + limit])}


@router.get("/alliances", response=list[AllianceOut], summary="Alliances: G60, (5+10), demo zone …")
def list_alliances(request):
    return [
        {
            "slug": a.slug,
            "name": a.name,
            "kind": a.kind,
            "description": a.description,
            "source": a.source,
            "members": [
                {"organisation_id": m.organisation_id, "name": m.organisation.name, "role": m.role}
                for m in a.alliancemember_set.all()
            ],
        }
        for a in alliance_list()
    ]


@router.get("/{org_id}", response=OrgOut, summary="One organisation")
def get_org(request, org_id: int):
    return get_for_user_or_404(Organisation.objects.select_related("region"), request.user, pk=org_id)

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from deltaunion.core.excel import xlsx_response
from deltaunion.core.views import paginate
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import get_for_user_or_404
from deltaunion.orgs.selectors import (
    alliance_list,
    organisation_ancestors,
    organisation_children,
    organisation_history,
    organisation_list,
)


def tree(request):
    q = request.GET.get("q", "").strip()[:50]
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in Organisation.Kind.values else ""
    results = None
    if q or kind:
        results = paginate(request, organisation_list(user=request.user, q=q, kind=kind), per_page=50)
    return render(
        request,
        "orgs/tree.html",
        {
            "roots": organisation_children(None),
            "alliances": alliance_list(),
            "q": q,
            "kind": kind,
            "kinds": Organisation.Kind.choices,
            "page": results,
        },
    )


def children(request, org_id: int):
    """htmx partial: the children of one node, loaded when it is expanded."""
    org = get_for_user_or_404(Organisation, request.user, pk=org_id)
    return render(request, "orgs/_children.html", {"nodes": organisation_children(org)})


def detail(request, org_id: int):
    org = get_for_user_or_404(Organisation.objects.select_related("region", "parent"), request.user, pk=org_id)
    return render(
        request,
        "orgs/detail.html",
        {
            "org": org,
            "ancestors": organisation_ancestors(org).exclude(pk=org.pk),
            "nodes": organisation_children(org),
            "alliances": org.alliances.all(),
            "entries": organisation_history(org, user=request.user),
        },
    )


def export(request):
    qs = organisation_list(user=request.user, q=request.GET.get("q", ""), kind=request.GET.get("kind", ""))
    rows = (
        [
            o.name,
            o.get_kind_display(),
            o.parent.name if o.parent else "",
            o.region_id or "",
            o.region.name if o.region_id else "",
            _("Yes") if o.is_demo else "",
        ]
        for o in qs
    )
    headers = [
        _("Name"),
        _("Type"),
        _("Parent organisation"),
        _("Division code"),
        _("Administrative division"),
        _("Demo data"),
    ]
    return xlsx_response("organisations.xlsx", headers, rows)

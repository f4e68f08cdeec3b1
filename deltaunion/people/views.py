from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from deltaunion.core.excel import xlsx_response
from deltaunion.core.permissions import require
from deltaunion.core.views import import_page, paginate
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import get_for_user_or_404, managed_organisations
from deltaunion.people.imports import WorkerImport
from deltaunion.people.models import Ownership, SkillLevel
from deltaunion.people.selectors import (
    WorkerFilters,
    worker_export_headers,
    worker_export_rows,
    worker_for_user_or_404,
    worker_history,
    worker_list,
    worker_personal_data,
)


@login_required
def worker_list_view(request):
    """The officers' list of their unions' workers; a worker finds their own record here."""
    filters = WorkerFilters.from_params(request.GET)
    page = paginate(request, worker_list(user=request.user, filters=filters))
    return render(
        request,
        "people/list.html",
        {
            "page": page,
            "rows": [(w, worker_personal_data(w, request.user)) for w in page],
            "filters": filters,
            "ownerships": Ownership.choices,
            "levels": SkillLevel.choices,
            "organisations": managed_organisations(request.user)[:500],
        },
    )


@login_required
def worker_export(request):
    require(request.user, "people.export_workers")
    qs = worker_list(user=request.user, filters=WorkerFilters.from_params(request.GET))
    return xlsx_response(
        "workers.xlsx", worker_export_headers(), worker_export_rows(qs, request.user), title=_("Workers")
    )


@login_required
def worker_detail(request, worker_id: int):
    worker = worker_for_user_or_404(request.user, worker_id)
    return render(
        request,
        "people/detail.html",
        {
            "worker": worker,
            "personal": worker_personal_data(worker, request.user),
            "levels": worker.skill_levels.all(),
            "titles": worker.titles.select_related("awarded_by"),
            "entries": worker_history(worker, user=request.user),
        },
    )


@login_required
def worker_import_view(request):
    require(request.user, "people.import_workers")

    def make_importer(org_id: int | None) -> WorkerImport:
        if org_id is None:
            return WorkerImport(organisation=None)
        # A union that does not exist is a 404; one the officer may see but not import into, a 403.
        organisation = get_for_user_or_404(Organisation, request.user, pk=org_id)
        require(request.user, "people.import_workers", organisation)
        return WorkerImport(organisation=organisation)

    return import_page(
        request,
        make_importer=make_importer,
        title=_("Bulk import of workers"),
        back_url=reverse("people:list"),
        back_label=_("Workers"),
        organisations=managed_organisations(request.user)[:2000],
        organisation_label=_("Import into union"),
    )

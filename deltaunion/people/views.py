from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from deltaunion.core.excel import build_workbook, xlsx_bytes_response, xlsx_response
from deltaunion.core.permissions import require
from deltaunion.core.views import import_report_download, import_report_store, paginate
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import get_for_user_or_404, managed_organisations
from deltaunion.people.forms import WorkerImportForm
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
from deltaunion.people.services import IMPORT_OPTIONAL, IMPORT_REQUIRED, workers_import


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
    org_id = request.POST.get("organisation", "") if request.method == "POST" else ""
    if org_id.isdigit():
        # A union that does not exist is a 404; one the officer does not manage, a 403.
        require(request.user, "people.import_workers", get_for_user_or_404(Organisation, request.user, pk=org_id))
    form = WorkerImportForm(
        request.POST or None, request.FILES or None, organisations=managed_organisations(request.user)[:2000]
    )
    context = {"form": form, "result": None, "report_key": None}
    if request.method == "POST" and form.is_valid():
        org = Organisation.objects.get(pk=form.cleaned_data["organisation"])
        result = workers_import(data=form.cleaned_data["file"].read(), organisation=org, by=request.user)
        if result.ok:
            messages.success(request, _("Import complete: %(n)d workers added") % {"n": result.created})
            return redirect(f"{request.path}?done={result.created}")
        context.update(result=result, report_key=import_report_store(request, result.errors))
    return render(request, "people/import.html", {**context, "required": IMPORT_REQUIRED, "optional": IMPORT_OPTIONAL})


@login_required
def worker_import_report(request, key: str):
    return import_report_download(request, key, "import-errors.xlsx")


@login_required
def worker_import_template(request):
    require(request.user, "people.import_workers")
    example = [
        "张三(示例)",
        "11010519491231002X",
        "女",
        "1949-12-31",
        "13800000000",
        "示例单位",
        "非公",
        "是",
        "2020-01-01",
        "电工",
        "四级",
        "否",
    ]
    data = build_workbook([*IMPORT_REQUIRED, *IMPORT_OPTIONAL], [example], title=_("Worker import template"))
    return xlsx_bytes_response(data, "workers-template.xlsx")

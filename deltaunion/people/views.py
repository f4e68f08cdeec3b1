from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from deltaunion.core.excel import build_workbook, xlsx_bytes_response, xlsx_response
from deltaunion.core.views import import_report_download, import_report_store, paginate
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import get_for_user_or_404, history_for_manager, require_manager, scope_for, scoped
from deltaunion.people.forms import WorkerImportForm
from deltaunion.people.models import Ownership, SkillLevel, Worker
from deltaunion.people.selectors import (
    WorkerFilters,
    worker_export_headers,
    worker_export_rows,
    worker_list,
    worker_personal_data,
)
from deltaunion.people.services import IMPORT_OPTIONAL, IMPORT_REQUIRED, workers_import


@login_required
def worker_list_view(request):
    filters = WorkerFilters.from_params(request.GET)
    page = paginate(request, worker_list(user=request.user, filters=filters))
    rows = [(w, worker_personal_data(w, request.user)) for w in page]
    scope = scope_for(request.user)
    return render(
        request,
        "people/list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "ownerships": Ownership.choices,
            "levels": SkillLevel.choices,
            "organisations": _managed_orgs(request.user)[:500],
            "can_import": scope.is_manager,
        },
    )


@login_required
def worker_export(request):
    qs = worker_list(user=request.user, filters=WorkerFilters.from_params(request.GET))
    return xlsx_response(
        "workers.xlsx", worker_export_headers(), worker_export_rows(qs, request.user), title=_("Workers")
    )


@login_required
def worker_detail(request, worker_id: int):
    worker = get_for_user_or_404(Worker.objects.select_related("organisation", "employer"), request.user, pk=worker_id)
    return render(
        request,
        "people/detail.html",
        {
            "worker": worker,
            "personal": worker_personal_data(worker, request.user),
            "levels": worker.skill_levels.all(),
            "titles": worker.titles.select_related("awarded_by"),
            "entries": history_for_manager(request.user, worker, worker.organisation),
        },
    )


def _managed_orgs(user):
    scope = scope_for(user)
    if not scope.is_manager:
        return Organisation.objects.none()
    return scoped(Organisation.objects.all(), user).filter(scope.org_q("")).order_by("path")


@login_required
def worker_import_view(request):
    organisations = list(_managed_orgs(request.user)[:2000])
    if not organisations:
        raise Http404("not found")
    org_id = request.POST.get("organisation", "") if request.method == "POST" else ""
    if org_id.isdigit():
        # Organisations are public, so get_for_user_or_404 below cannot refuse one: not theirs → 404.
        require_manager(request.user, Organisation.objects.filter(pk=org_id).first())
    form = WorkerImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    result = None
    report_key = None
    if request.method == "POST" and form.is_valid():
        org = get_for_user_or_404(Organisation, request.user, pk=form.cleaned_data["organisation"])
        upload = form.cleaned_data["file"]
        result = workers_import(data=upload.read(), organisation=org, by=request.user)
        if result.ok:
            messages.success(request, _("Import complete: %(n)d workers added") % {"n": result.created})
            return redirect(f"{request.path}?done={result.created}")
        report_key = import_report_store(request, result.errors)
    return render(
        request,
        "people/import.html",
        {
            "form": form,
            "result": result,
            "report_key": report_key,
            "required": IMPORT_REQUIRED,
            "optional": IMPORT_OPTIONAL,
        },
    )


@login_required
def worker_import_report(request, key: str):
    return import_report_download(request, key, "import-errors.xlsx")


@login_required
def worker_import_template(request):
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

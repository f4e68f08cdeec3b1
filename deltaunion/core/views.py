from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deltaunion.core.excel import ExcelError, RowError, error_report, inspect_xlsx, limits, xlsx_bytes_response
from deltaunion.core.forms import BootstrapForm
from deltaunion.core.imports import (
    Importer,
    ImportResult,
    background_threshold,
    importer_class,
    run_import,
    start_import,
)
from deltaunion.core.models import ImportJob


def paginate(request: HttpRequest, qs, per_page: int | None = None):
    per_page = per_page or settings.DELTAUNION["PAGE_SIZE"]
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


# --- imports: one upload page, one error report, one template for every app ---------------------------


class ImportForm(BootstrapForm):
    organisation = forms.TypedChoiceField(label=gettext_lazy("Into"), coerce=int, required=False)
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))

    def __init__(self, *args: Any, organisations: Iterable[Any] | None = None, organisation_label: str = "", **kw):
        super().__init__(*args, **kw)
        if organisations is None:
            del self.fields["organisation"]
        else:
            field = self.fields["organisation"]
            field.required = True
            field.choices = [(o.pk, "　" * max(0, getattr(o, "depth", 1) - 1) + str(o)) for o in organisations]
            if organisation_label:
                field.label = organisation_label

    def clean_file(self):
        upload = self.cleaned_data["file"]
        max_bytes = limits()["max_bytes"]
        if upload.size > max_bytes:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB; split it into several files") % {"mb": max_bytes // 2**20}
            )
        return upload


def _record(importer: Importer, by: Any, filename: str, result: ImportResult) -> ImportJob:
    from django.utils import timezone

    return ImportJob.objects.create(
        key=importer.key,
        context=importer.context_ids(),
        user=by,
        filename=filename[:255],
        status=ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED,
        counts=result.counts,
        errors=[[e.row, e.column, e.message] for e in result.errors],
        finished_at=timezone.now(),
    )


def import_page(
    request: HttpRequest,
    *,
    make_importer: Callable[[int | None], Importer],
    title: str,
    back_url: str,
    back_label: str,
    organisations: Iterable[Any] | None = None,
    organisation_label: str = "",
    intro: str = "",
    done_url: str | None = None,
    nav_template: str = "",
    extra_context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The upload page of an import. `make_importer(organisation_id)` builds the importer for the
    chosen organisation (raising Http404 for one the user may not import into). A small file
    is checked and imported at once; a large one is queued and its progress page shown."""
    organisations = list(organisations) if organisations is not None else None
    importer = make_importer(organisations[0].pk if organisations else None)
    context: dict[str, Any] = {
        "title": title,
        "back_url": back_url,
        "back_label": back_label,
        "intro": intro,
        "nav_template": nav_template,
        "importer": importer,
        "columns": importer.columns,
        "template_url": reverse("core:import_template", args=[importer.key]),
        "max_mb": limits()["max_bytes"] // 2**20,
        "max_rows": limits()["max_rows"],
        **(extra_context or {}),
    }
    form = ImportForm(organisations=organisations, organisation_label=organisation_label)
    if request.method == "POST":
        chosen = request.POST.get("organisation", "")
        if organisations is not None and chosen.isdigit():
            make_importer(int(chosen))  # a union the user may not see: 404; may not import into: 403
        too_big = int(request.META.get("CONTENT_LENGTH") or 0) > limits()["max_bytes"] + 256 * 1024
        if too_big:
            form = ImportForm(organisations=organisations, organisation_label=organisation_label)
            context["refused"] = _("The file is larger than %(mb)s MB; split it into several files") % {
                "mb": context["max_mb"]
            }
        else:
            form = ImportForm(
                request.POST, request.FILES, organisations=organisations, organisation_label=organisation_label
            )
        if not too_big and form.is_valid():
            importer = make_importer(form.cleaned_data.get("organisation"))
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                rows = inspect_xlsx(data)
            except ExcelError as exc:
                result = ImportResult(errors=[RowError(0, "", str(exc))])
                rows = 0
            else:
                result = None
            if result is None and rows - 1 > background_threshold():
                job = start_import(importer, data, by=request.user, filename=upload.name)
                return redirect("core:import_job", job_id=job.pk)
            if result is None:
                result = run_import(importer, data, by=request.user)
            job = _record(importer, request.user, upload.name, result)
            if result.ok:
                messages.success(request, import_summary(result.counts))
                return redirect(done_url or back_url)
            context.update(result=result, job=job)
    context["form"] = form
    return render(request, "core/import.html", context)


def import_summary(counts: dict[str, int]) -> str:
    text = _("Imported: %(n)d records created.") % {"n": counts.get("created", 0)}
    if counts.get("updated"):
        text += " " + _("%(n)d updated.") % {"n": counts["updated"]}
    return text


def _own_job(request: HttpRequest, job_id: Any) -> ImportJob:
    if not request.user.is_authenticated:
        raise Http404("not found")
    return get_object_or_404(ImportJob.objects.defer("data"), pk=job_id, user=request.user)


@login_required
def import_job(request: HttpRequest, job_id: Any) -> HttpResponse:
    job = _own_job(request, job_id)
    next_url = request.GET.get("next", "")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = ""
    template = "core/_import_job.html" if request.headers.get("HX-Request") else "core/import_job.html"
    return render(request, template, {"job": job, "next_url": next_url, "title": _title(job)})


def _title(job: ImportJob) -> str:
    try:
        return str(importer_class(job.key).title)
    except KeyError:
        return _("Import")


@login_required
def import_report(request: HttpRequest, job_id: Any) -> HttpResponse:
    job = _own_job(request, job_id)
    errors = [RowError(int(r or 0), c, m) for r, c, m in job.errors]
    return xlsx_bytes_response(error_report(errors), _("import-errors.xlsx"))


def import_template(request: HttpRequest, key: str) -> HttpResponse:
    try:
        cls = importer_class(key)
    except KeyError:
        raise Http404("not found") from None
    return xlsx_bytes_response(cls.__new__(cls).template(), f"{_('template')}-{cls.title}.xlsx")

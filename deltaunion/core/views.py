from __future__ import annotations

import uuid

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse


def paginate(request: HttpRequest, qs, per_page: int | None = None):
    per_page = per_page or settings.DELTAUNION["PAGE_SIZE"]
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


IMPORT_REPORT_SECONDS = 3600


def import_report_store(request: HttpRequest, errors) -> str:
    """Keep a failed import's row-by-row error report for an hour; return its download key.

    The key is bound to the user, so one officer cannot fetch another's report."""
    from django.core.cache import cache

    from deltaunion.core.excel import error_report

    key = uuid.uuid4().hex
    cache.set(f"import-report:{request.user.pk}:{key}", error_report(errors), IMPORT_REPORT_SECONDS)
    return key


def import_report_download(request: HttpRequest, key: str, filename: str) -> HttpResponse:
    from django.core.cache import cache

    from deltaunion.core.excel import xlsx_bytes_response

    data = cache.get(f"import-report:{request.user.pk}:{key}")
    if data is None:
        raise Http404("not found")
    return xlsx_bytes_response(data, filename)

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, JsonResponse

from deltaunion.core.audit import history_for
from deltaunion.orgs.scoping import scope_for


def paginate(request: HttpRequest, qs, per_page: int | None = None):
    per_page = per_page or settings.DELTAUNION["PAGE_SIZE"]
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def history_if_allowed(request: HttpRequest, obj, org) -> list:
    """An object's audit history, for those who manage its organisation."""
    if not scope_for(request.user).manages(org):
        return []
    return list(history_for(obj)[:100])


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})

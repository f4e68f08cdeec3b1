from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _

from deltaunion.accounts.services import api_token_authenticate


class ApiTokenMiddleware:
    """`Authorization: Bearer <token>` on /api/ sets request.user from a per-user API token.

    A bad token is refused outright rather than silently treated as anonymous. Token calls
    carry no cookies, so they are exempt from CSRF checks; session calls are not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if request.path.startswith("/api/") and header.lower().startswith("bearer "):
            user = api_token_authenticate(header[7:].strip())
            if user is None:
                return JsonResponse({"detail": _("The API token is invalid or has been revoked")}, status=401)
            request.user = user
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)

from __future__ import annotations

from django.middleware.csrf import CsrfViewMiddleware
from ninja.security.base import AuthBase


class LoggedIn(AuthBase):
    """A signed-in user (session with CSRF token, or an API token set by ApiTokenMiddleware)."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request):
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated):
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS") and not getattr(
            request, "_dont_enforce_csrf_checks", False
        ):
            reason = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if reason is not None:
                return None
        return user


logged_in = LoggedIn()

"""The JSON API: one NinjaAPI, each app's routers from the app registry.

OpenAPI at /api/openapi.json, docs at /api/docs. Errors follow the platform's refusal rule:
404 for what the caller may not see (the same as missing), 403 with a message for an action
the caller may not take on something they can see, 400 for invalid input, 401 without a login.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from deltaunion.core.registry import api_routers
from deltaunion.core.renderers import ORJSONRenderer

api = NinjaAPI(
    title="deltaunion API",
    version="1.0",
    description="The JSON API of deltaunion (长三角工会一体化服务平台). Public data needs no login; everything else is scoped to "
    "the caller's organisations. Authenticate with a session or `Authorization: Bearer <API token>`.",
    urls_namespace="api",
    renderer=ORJSONRenderer(),
)
for prefix, router in api_routers():
    api.add_router(prefix, router)


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def _out_of_range(request, exc):
    """A number or text the database cannot hold (an id beyond any column, say): the caller's
    input, so a 400 — never a 500. Bounded parameter types (core.api) catch most before this."""
    return api.create_response(request, {"detail": [_("A value in the request is out of range")]}, status=400)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": exc.messages}, status=400)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found")}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    return api.create_response(request, {"detail": _("Sign in or send an API token")}, status=401)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc: PermissionDenied):
    return api.create_response(
        request, {"detail": [str(exc) or _("You do not have permission to do this")]}, status=403
    )

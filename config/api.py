"""The JSON API: one NinjaAPI, one router per app. OpenAPI at /api/openapi.json, docs at /api/docs."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from deltaunion.accounts.api import router as accounts_router
from deltaunion.contests.api import router as contests_router
from deltaunion.orgs.api import router as orgs_router
from deltaunion.people.api import router as people_router
from deltaunion.practice.api import router as practice_router
from deltaunion.workplans.api import router as workplans_router

api = NinjaAPI(
    title="deltaunion API",
    version="1.0",
    description="The JSON API of deltaunion (长三角工会一体化服务平台). Public data needs no login; everything else is scoped to "
    "the caller's organisations. Authenticate with a session or `Authorization: Bearer <API token>`.",
    urls_namespace="api",
)
api.add_router("/", accounts_router)
api.add_router("/orgs", orgs_router)
api.add_router("/people", people_router)
api.add_router("/workplans", workplans_router)
api.add_router("/contests", contests_router)
api.add_router("/practice", practice_router)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": exc.messages}, status=400)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Not Found"}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    return api.create_response(request, {"detail": "Unauthorized"}, status=401)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": [str(exc) or "Forbidden"]}, status=403)

from __future__ import annotations

from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.sessions.middleware import SessionMiddleware as _Session
from django.utils.translation import gettext as _


def is_bearer_api(request) -> bool:
    """A call to the API with `Authorization: Bearer …`: no cookies, no session, no messages —
    accounts.ApiTokenMiddleware sets the user from the token or refuses the call (401)."""
    return request.path.startswith("/api/") and request.META.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "


class ApiFastPathMiddleware:
    """Bearer API calls go through a short chain of their own: settings.API_FAST_MIDDLEWARE
    (compression, language, host check and Content-Length, frame options, NUL refusal, the
    token), then Django's view handling as usual (URL resolution, every middleware's
    process_view and process_exception: CSRF's check, which a token call passes, the 400 for
    out-of-range values). What they skip is what they cannot use: static files, the session,
    CSRF's cookie, the session user, flash messages, axes' lockout page for a session login.
    Placed right after SecurityMiddleware, whose headers every response keeps. Everything else
    takes the full chain (tests in core/tests/test_api_fast_path.py)."""

    def __init__(self, get_response):
        from django.conf import settings
        from django.core.handlers.exception import convert_exception_to_response
        from django.utils.module_loading import import_string

        self.get_response = get_response
        self.fast = None
        view = _view_handler(get_response)
        if view is None:  # not Django's standard chain: no shortcut
            return
        handler = convert_exception_to_response(view)
        for path in reversed(getattr(settings, "API_FAST_MIDDLEWARE", ())):
            handler = convert_exception_to_response(import_string(path)(handler))
        self.fast = handler

    def __call__(self, request):
        if self.fast is not None and is_bearer_api(request):
            return self.fast(request)
        return self.get_response(request)


def _view_handler(get_response):
    """The end of the middleware chain (BaseHandler._get_response: URL resolution, view
    middleware, the view), found by walking the chain, or None when some link is not a standard
    middleware (then the shortcut is off and every request takes the whole chain)."""
    from django.core.handlers.base import BaseHandler

    link = get_response
    for _step in range(100):
        link = getattr(link, "__wrapped__", link)  # convert_exception_to_response's wrapper
        if isinstance(getattr(link, "__self__", None), BaseHandler) and link.__name__ == "_get_response":
            return link
        link = getattr(link, "get_response", None)
        if link is None:
            return None
    return None


class SessionMiddleware(_Session):
    """Django's sessions, skipped for Bearer API calls (they carry no session cookie)."""

    def __call__(self, request):
        if is_bearer_api(request):
            return self.get_response(request)
        return super().__call__(request)


class AuthenticationMiddleware(_Authentication):
    """Django's session user, skipped for Bearer API calls (the token sets the user). The user
    is read as `django.contrib.auth.get_user` reads it — the same backend check, the same
    session-hash verification, the same `ModelBackend.get_user` rule (the row by its key, only
    if active) — with the row's SQL compiled once per process instead of on every request
    (`_user_row`): on a page served from the cache the ORM's compiling was a third of its CPU."""

    def __call__(self, request):
        if is_bearer_api(request):
            return self.get_response(request)
        return super().__call__(request)

    def process_request(self, request):
        from django.utils.functional import SimpleLazyObject

        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _session_user(request))


def _session_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = _get_user(request)
    return request._cached_user


def _get_user(request):
    """`django.contrib.auth.get_user`, with `ModelBackend.get_user` reading the row through
    `_user_row` (any other backend: Django's own path)."""
    from django.conf import settings
    from django.contrib import auth
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import AnonymousUser

    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    backend = auth.load_backend(backend_path)
    if type(backend) is not ModelBackend:
        return auth.get_user(request)
    user = _user_row(user_id)
    if user is not None and not backend.user_can_authenticate(user):
        user = None
    if user is None:
        return AnonymousUser()
    # the session's verification, as Django's get_user makes it
    from django.utils.crypto import constant_time_compare

    session_hash = request.session.get(auth.HASH_SESSION_KEY)
    if session_hash and constant_time_compare(session_hash, user.get_session_auth_hash()):
        return user
    return auth.get_user(request)  # a fallback secret or a dead session: Django decides (and flushes)


_USER_QUERY: dict[str, tuple] = {}


def _user_row(user_id):
    """The user with primary key `user_id` (None if there is none), as `UserModel._default_manager
    .get(pk=user_id)` reads it, from SQL compiled once per process and database."""
    from django.contrib.auth import get_user_model
    from django.db import connections, router

    model = get_user_model()
    alias = router.db_for_read(model)
    compiled = _USER_QUERY.get(alias)
    if compiled is None:
        marker = model._meta.pk.to_python(987654321)
        compiler = model._default_manager.db_manager(alias).filter(pk=marker).query.get_compiler(alias)
        sql, params = compiler.as_sql()
        select = compiler.select
        fields = [s[0].target.attname for s in select[compiler.klass_info["select_fields"][0] : len(select)]]
        if tuple(params) != (marker,) or len(fields) != len(select) or compiler.annotation_col_map:
            compiled = ()  # not the plain query this shortcut knows: the ORM's own path
        else:
            compiled = (sql, fields, compiler, compiler.get_converters([s[0] for s in select]))
        _USER_QUERY[alias] = compiled
    if not compiled:
        return model._default_manager.filter(pk=user_id).first()
    sql, fields, compiler, converters = compiled
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    if converters:
        row = next(compiler.apply_converters([row], converters))
    return model.from_db(alias, fields, row)


class MessageMiddleware(_Messages):
    """Django's flash messages, skipped for Bearer API calls (nothing there shows them)."""

    def __call__(self, request):
        if is_bearer_api(request):
            return self.get_response(request)
        return super().__call__(request)


class ChineseFirstLanguageMiddleware:
    """Chinese unless the user chose otherwise with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a browser set
    to English would never see the Chinese-first platform; here only the explicit choice counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        bearer = is_bearer_api(request)  # no cookies: the platform's language, nothing to vary on
        chosen = "" if bearer else request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if not bearer:
            patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RejectBadInputMiddleware:
    """No input makes a 500: a NUL character (which PostgreSQL cannot store or compare) in the
    path, the query string, a form field or a JSON body is refused with 400 and a message,
    before any view or query sees it. The check is a byte search: it costs nothing measurable."""

    JSON_NUL = (b"\\u0000", b"\\U0000")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return bad_request(request, _("The request contains a character that cannot be processed (NUL)"))
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A value the database cannot hold (an id beyond any column, a year out of range) is the
        caller's input: 400, never 500."""
        from django.db import DataError

        if isinstance(exception, DataError | OverflowError):
            return bad_request(request, _("A value in the request is out of range"))
        return None

    def _has_nul(self, request) -> bool:
        meta = request.META
        if (
            "\x00" in request.path_info
            or "%00" in meta.get("QUERY_STRING", "")
            or "\x00" in meta.get("HTTP_AUTHORIZATION", "")
        ):
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        ctype = request.META.get("CONTENT_TYPE", "")
        if ctype.startswith("multipart/"):
            return any("\x00" in v for values in request.POST.lists() for v in values[1])
        try:
            body = request.body
        except Exception:  # body too large or already read: Django answers that itself
            return False
        if b"\x00" in body:
            return True
        if ctype.startswith("application/x-www-form-urlencoded"):
            return b"%00" in body
        return ctype.startswith("application/json") and any(m in body for m in self.JSON_NUL)


def bad_request(request, message: str):
    """400 with a message: JSON for the API, the branded page otherwise."""
    from django.http import JsonResponse
    from django.shortcuts import render

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": [str(message)]}, status=400)
    return render(request, "400.html", {"message": message}, status=400)

"""The quiz day's hottest calls (an answer, a like) answered before Django builds a request (issue 17).

On an answer, Django's own handling cost about as much CPU as the answer's work: a request
object with every header parsed, nine middleware wrappers, the URL resolved, the operation's
checks, and a response whose every header is checked for its charset. `HotWSGI` (config/wsgi.py)
answers the operations registered with `hot_call()` straight from the WSGI environ, with the same
services, and hands every other request to Django untouched.

What such a call keeps, as Django's chain for a Bearer API call would do it
(core.middleware.ApiFastPathMiddleware, settings.API_FAST_MIDDLEWARE):

- `request_started` and `request_finished` are sent as Django sends them (connection upkeep).
- Anything not plain is Django's to answer, with the body put back, before anything is written:
  another method, no `Bearer` token, a query string, a host not in ALLOWED_HOSTS, a NUL anywhere,
  a body over the upload limit or shorter than its length, a body the operation does not take
  (`accept`: an answer needs a JSON object of its shape; a like reads none), an id out of range, a token the accounts service does not accept (401), an HTTP request
  when SSL is required, DEBUG.
- The token is the accounts service's (`api_token_authenticate`, passed in by config/wsgi.py: the
  same cache and revocation as the token middleware),
  and the operation must ask for no more than a signed-in user (`logged_in`, as its ninja checks
  would); the language is the platform's (a Bearer call never carries the language cookie).
- An exception the operation raises is answered by Django: the request goes through the whole
  chain with the exception given to the hot view (core.api._HotView, `REPLAY`), which hands it
  to the API's exception handlers as when it raised there; so the 404s, 400s, logging and 500s
  are Django's own.
- The headers of a 200 are those the chain gives: the first 200 of a process (for http and https
  each) is itself answered through the chain with the result handed over (`REPLAY`), and its
  headers, but the length, are kept for the next ones. A body of 200 bytes or more always goes
  through the chain (GZip's threshold: it may compress or add `Vary`).

It stands for one chain: while MIDDLEWARE or API_FAST_MIDDLEWARE differ from `CHAIN`, every
request goes to Django (core/tests/test_hot_wsgi.py fails to say this module needs a review).
Nothing in these calls builds a URL, so the script prefix is not set as Django's handler sets it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import orjson

# The middleware this module answers for (settings.MIDDLEWARE, then settings.API_FAST_MIDDLEWARE).
CHAIN = (
    (
        "django.middleware.security.SecurityMiddleware",
        "deltaunion.core.middleware.ApiFastPathMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "deltaunion.core.compression.PageGZipMiddleware",
        "deltaunion.core.middleware.SessionMiddleware",
        "deltaunion.core.middleware.ChineseFirstLanguageMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "deltaunion.core.middleware.AuthenticationMiddleware",
        "deltaunion.core.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "deltaunion.core.middleware.RejectBadInputMiddleware",
        "deltaunion.accounts.middleware.ApiTokenMiddleware",
        "axes.middleware.AxesMiddleware",
    ),
    (
        "deltaunion.core.compression.PageGZipMiddleware",
        "deltaunion.core.middleware.ChineseFirstLanguageMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "deltaunion.core.middleware.RejectBadInputMiddleware",
        "deltaunion.accounts.middleware.ApiTokenMiddleware",
    ),
)

# environ key (no client can send one: headers arrive as HTTP_*): what the hot view does instead
# of running the operation, for a call this module began: ("raise", exception) or ("result", data)
REPLAY = "deltaunion.hot.replay"

GZIP_MIN = 200  # Django's GZipMiddleware leaves shorter bodies (and their headers) alone
_JSON_NUL = (b"\x00", b"\\u0000", b"\\U0000")  # as core.middleware.RejectBadInputMiddleware

_CALLS: list[tuple[Any, str, str, Callable[..., dict[str, Any] | None], Callable[..., dict[str, Any]]]] = []


def hot_call(
    router: Any,
    path: str,
    *,
    method: str,
    accept: Callable[..., dict[str, Any] | None],
    run: Callable[..., dict[str, Any]],
) -> None:
    """Answer `method path` of `router` (already a hot operation, core.api.hot) in `HotWSGI`.
    `accept(body, **ids)` reads the body (a JSON object, or None for no body or any other body):
    `run`'s keyword arguments, or None to leave the request to Django; it must not write. `run(user, **kwargs)` returns what the operation answers
    (its JSON object), or raises as the operation would."""
    _CALLS.append((router, path, method, accept, run))


class _Route:
    __slots__ = ("method", "pattern", "accept", "run")

    def __init__(self, method: str, pattern: re.Pattern, accept: Callable, run: Callable):
        self.method, self.pattern, self.accept, self.run = method, pattern, accept, run


class _Body(list):
    """A response body that sends `request_finished` when the server closes it, as Django's do."""

    __slots__ = ("finished", "sender")

    def close(self) -> None:
        self.finished.send(sender=self.sender)


class HotWSGI:
    """The WSGI application (config/wsgi.py): `django_app` with the `hot_call()` operations in
    front. `authenticate(raw token)` is the user of a live API token, or None: the one the
    token middleware uses (the kernel imports no domain app, so config passes it in). The
    settings it reads are read once, when the first request arrives, as Django's middleware read
    theirs when the handler is built."""

    def __init__(self, django_app: Any, *, authenticate: Callable[[str], Any]):
        self.django = django_app
        self.authenticate = authenticate
        self._routes: list[_Route] | None = None
        # the chain's headers of a plain 200 for http (False) and https (True), each with the
        # position of Content-Length: (headers before it, headers after it)
        self._headers: dict[bool, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {}
        self._hosts: dict[str, bool] = {}

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        routes = self._routes
        if routes is None:
            routes = self._routes = self._build()
        if not routes or environ.get("QUERY_STRING"):
            return self.django(environ, start_response)
        path = environ.get("PATH_INFO", "")
        for route in routes:
            match = route.pattern.fullmatch(path)
            if match is not None and environ.get("REQUEST_METHOD") == route.method:
                return self._serve(route, match, environ, start_response)
        return self.django(environ, start_response)

    def _build(self) -> list[_Route]:
        from django.conf import settings
        from django.core import signals
        from django.utils import translation

        from config.api import api
        from deltaunion.core.api import MAX_ID, hot_operation
        from deltaunion.core.api_auth import logged_in
        from deltaunion.core.renderers import dumps

        if (
            (tuple(settings.MIDDLEWARE), tuple(getattr(settings, "API_FAST_MIDDLEWARE", ()))) != CHAIN
            or settings.DEBUG
            or settings.PREPEND_WWW
            or settings.DISALLOWED_USER_AGENTS
        ):
            return []
        self.max_id = MAX_ID
        self.max_body = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        self.ssl_redirect = settings.SECURE_SSL_REDIRECT
        self.proxy_ssl_header = settings.SECURE_PROXY_SSL_HEADER
        self.forwarded_host = settings.USE_X_FORWARDED_HOST
        self.allowed_hosts = list(settings.ALLOWED_HOSTS)
        self.language = settings.LANGUAGE_CODE
        self.started, self.finished = signals.request_started, signals.request_finished
        self.activate = translation.activate
        self.dumps = dumps
        routes = []
        for router, path, method, accept, run in _CALLS:
            found = hot_operation(api, "api/", router, path, method)
            if found is None or "<str:" in found[0] or list(found[1].auth_callbacks) != [logged_in]:
                continue  # a text id, or a check other than a signed-in user's: Django's
            route = found[0]
            parts = re.split(r"<int:(\w+)>", route)  # literal, name, literal, name, …, literal
            regex = "".join(
                re.escape(part) if i % 2 == 0 else f"(?P<{part}>[0-9]{{1,16}})" for i, part in enumerate(parts)
            )
            routes.append(_Route(method, re.compile("/" + regex), accept, run))
        return routes

    def _serve(self, route: _Route, match: re.Match, environ: dict, start_response: Callable) -> Any:
        header = environ.get("HTTP_AUTHORIZATION", "")
        secure = self._secure(environ)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)  # none: no body, as Django reads it
        except ValueError:
            length = -1
        if (
            header[:7].lower() != "bearer "
            or "\x00" in header
            or length < 0
            or (self.max_body is not None and length > self.max_body)
            or (self.ssl_redirect and not secure)
            or not self._host_allowed(environ)
        ):
            return self.django(environ, start_response)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)  # whoever reads it next reads it whole
        ids = {name: int(value) for name, value in match.groupdict().items()}
        kwargs = None
        if (
            len(body) == length
            and not any(m in body for m in _JSON_NUL)
            and max(ids.values(), default=0) <= self.max_id
        ):
            try:
                data = orjson.loads(body) if body else None
            except orjson.JSONDecodeError:
                data = None
            try:
                kwargs = route.accept(data if isinstance(data, dict) else None, **ids)
            except Exception:  # a shape it did not foresee: Django answers
                kwargs = None
        if kwargs is None:
            return self.django(environ, start_response)

        sender = type(self.django)
        self.started.send(sender=sender, environ=environ)
        try:
            user = self.authenticate(header[7:].strip())
        except Exception:  # Django's chain meets the same failure and answers it
            user = None
        if user is None:  # refused (401) or not readable: Django answers
            return self.django(environ, start_response)
        self.activate(self.language)  # as ChineseFirstLanguageMiddleware for a token call
        try:
            result = route.run(user, **kwargs)
        except Exception as exc:  # handed to the API's handlers through Django's chain
            environ[REPLAY] = ("raise", exc)
            return self.django(environ, start_response)
        out = self.dumps(result)  # core.renderers.json_response's body
        headers = self._headers.get(secure)
        if headers is None or len(out) >= GZIP_MIN:
            environ[REPLAY] = ("result", result)
            return self.django(environ, self._keep_headers(secure, len(out), start_response))
        start_response("200 OK", [*headers[0], ("Content-Length", str(len(out))), *headers[1]])
        done = _Body((out,))
        done.finished, done.sender = self.finished, sender
        return done

    def _keep_headers(self, secure: bool, length: int, start_response: Callable) -> Callable:
        """start_response, keeping the chain's headers of a plain 200 for the next answers."""

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            names = [name.lower() for name, _value in headers]
            if (
                status == "200 OK"
                and length < GZIP_MIN
                and names.count("content-length") == 1
                and "set-cookie" not in names
                and "vary" not in names
            ):
                at = names.index("content-length")
                self._headers[secure] = (headers[:at], headers[at + 1 :])
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return keep

    def _secure(self, environ: dict) -> bool:
        """HttpRequest.is_secure() for this environ (SECURE_PROXY_SSL_HEADER, else the scheme)."""
        if self.proxy_ssl_header:
            header, secure_value = self.proxy_ssl_header
            value = environ.get(header)
            if value is not None:
                return value.split(",", 1)[0].strip() == secure_value
        return environ.get("wsgi.url_scheme") == "https"

    def _host_allowed(self, environ: dict) -> bool:
        """HttpRequest.get_host() would not refuse this host (only the Host header, or with
        USE_X_FORWARDED_HOST the forwarded one, is looked at here; without one, Django decides)."""
        if self.forwarded_host and "HTTP_X_FORWARDED_HOST" in environ:
            host = environ["HTTP_X_FORWARDED_HOST"]
        else:
            host = environ.get("HTTP_HOST", "")
        allowed = self._hosts.get(host)
        if allowed is None:
            from django.http.request import split_domain_port, validate_host

            domain, _port = split_domain_port(host)
            allowed = bool(domain) and validate_host(domain, self.allowed_hosts)
            if len(self._hosts) < 100:  # the few names the site is served under
                self._hosts[host] = allowed
        return allowed

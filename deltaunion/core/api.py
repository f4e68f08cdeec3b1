"""Bounded parameter types for the JSON API, so no input reaches the database out of range.

    from deltaunion.core.api import Limit, Offset, SearchText, Year

    class ContestQuery(Schema):
        year: Year = None
        q: SearchText = ""
        offset: Offset = 0
        limit: Limit = 50

A value outside its bounds is a 422 with pydantic's message (ninja), never a 500. Path ids are
caught by the handlers in config/api.py (an id no database column can hold is not found).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

import orjson
from django.http import HttpResponseBase
from django.urls import URLPattern
from django.urls import path as django_path
from pydantic import Field

from deltaunion.core.hotwsgi import REPLAY
from deltaunion.core.renderers import json_response

MAX_OFFSET = 1_000_000
MAX_ID = 2**53  # every id this platform issues is far below; larger ones cannot exist

Limit = Annotated[int, Field(ge=1, le=1000, description="how many to return (1–1000)")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="how many to skip (0–1,000,000)")]
Year = Annotated[int | None, Field(ge=1949, le=2100, description="a year from 1949 to 2100")]
SearchText = Annotated[str, Field(max_length=100, description="text to search for (at most 100 characters)")]
Code = Annotated[str, Field(max_length=40)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Field(ge=1, le=MAX_ID)]
SmallCount = Annotated[int, Field(ge=0, le=100)]


# --- hot operations ----------------------------------------------------------------------------
# The few operations a quiz day sends thousands of times a second (an answer, a like) are served
# by a URL pattern placed in front of ninja's (config/urls.py: resolved in one step instead of a
# walk through every API route) and dispatched without ninja's per-request machinery: the body is
# read with orjson and checked by hand instead of through pydantic, and the operation's view is
# called directly. Everything else is ninja's: the operation (documented in the OpenAPI schema as
# before) runs its own authentication and throttles (`Operation._run_checks`: the same 401), every
# exception goes to the API's handlers (the same 404 for not-yours, 400s, 403s), and whatever the
# hand check does not accept — another method on the same path, a body of another shape, an id
# out of range — is passed to ninja's own view for the path, so it is answered exactly as before
# (the same 422s). Tests: practice/tests/test_api.py, community/tests/test_api.py.

_HOT: list[tuple[Any, str, str, Callable[..., dict[str, Any] | None], tuple[str, ...]]] = []


def hot(
    router: Any, path: str, *, method: str, args: Callable[..., dict[str, Any] | None], text: tuple[str, ...] = ()
) -> None:
    """Serve `method path` of `router` (path as in the router, its parameters integer ids but
    those named in `text`, which match one path segment) on the hot path. `args(request, **params)`
    returns the view's keyword arguments, or None to leave the request to ninja (anything not in
    the simple shape). It must not write anything: it runs before the operation's authentication."""
    _HOT.append((router, path, method, args, text))


def json_object(request: Any) -> dict[str, Any] | None:
    """The request's JSON body if it is an object orjson reads, else None (left to ninja)."""
    try:
        data = orjson.loads(request.body)
    except orjson.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


class _HotView:
    csrf_exempt = True  # as ninja's views: the operation's authentication checks CSRF for sessions

    def __init__(self, path_view: Any, operation: Any, method: str, args: Callable[..., dict[str, Any] | None]):
        self.ninja_view = path_view.get_view()
        self.operation = operation
        self.method = method
        self.args = args

    def __call__(self, request: Any, **ids: int | str) -> Any:
        values = None
        if request.method == self.method and all(type(v) is str or 0 <= v <= MAX_ID for v in ids.values()):
            values = self.args(request, **ids)
        if values is None:  # ninja's URL passes ids as text, as it matched them
            if REPLAY in request.META:  # never run twice what core.hotwsgi ran (it accepts only what args does)
                raise RuntimeError(f"{self.method} {request.path}: a hot call handed back in a shape the view refuses")
            return self.ninja_view(request, **{name: str(v) for name, v in ids.items()})
        operation = self.operation
        error = operation._run_checks(request)
        if error is not None:
            return error
        replay = request.META.get(REPLAY)  # a call core.hotwsgi began: its outcome, not a second run
        try:
            if replay is None:
                result = operation.view_func(request, **values)
            elif replay[0] == "raise":
                raise replay[1]
            else:
                result = json_response(replay[1])
        except Exception as exc:  # as Operation.run: the API's exception handlers answer
            return operation.api.on_exception(request, exc)
        if isinstance(result, HttpResponseBase):
            return result
        return operation._result_to_response(request, result, operation.api.create_temporal_response(request))


def hot_operation(api: Any, prefix: str, router: Any, path: str, method: str) -> tuple[str, Any] | None:
    """The Django route (`api/…/<int:id>/…`) and the ninja operation of a hot operation of `api`
    mounted at `prefix`, or None when `router` holds no hot `method path`."""
    api.urls  # noqa: B018 — binds the routers
    for bound in api._get_bound_routers():
        if bound.template is router and path in bound.path_operations:
            for router_, path_, method_, _args, text in _HOT:
                if router_ is router and path_ == path and method_ == method:
                    [operation] = [op for op in bound.path_operations[path].operations if method in op.methods]
                    return _route(prefix, bound.prefix, path, text), operation
    return None


def _route(prefix: str, bound_prefix: str, path: str, text: tuple[str, ...]) -> str:
    route = "/".join(p.strip("/") for p in (prefix, bound_prefix, path) if p.strip("/"))
    return re.sub(r"\{(\w+)\}", lambda m, text=text: f"<{'str' if m[1] in text else 'int'}:{m[1]}>", route)


def hot_urls(api: Any, prefix: str) -> list[URLPattern]:
    """URL patterns for the hot operations registered with `hot()` on `api`'s routers, for the
    API mounted at `prefix`; placed before everything (plain patterns, not an include: any other
    request pays one failed match each, not a sub-resolver's walk). Ninja's own patterns for the
    same paths stay behind them."""
    from django.core.exceptions import ImproperlyConfigured
    from ninja.operation import Operation

    api.urls  # noqa: B018 — binds the routers (ninja does it when its URLs are first built)
    patterns = []
    for bound in api._get_bound_routers():
        for router, path, method, args, text in _HOT:
            if bound.template is not router or path not in bound.path_operations:
                continue
            path_view = bound.path_operations[path]
            [operation] = [op for op in path_view.operations if method in op.methods]
            if type(operation) is not Operation or "run" in vars(operation):  # a router decorator wraps run
                raise ImproperlyConfigured(f"{method} {path}: only a plain, undecorated operation can be hot")
            route = _route(prefix, bound.prefix, path, text)
            patterns.append(django_path(route, _HotView(path_view, operation, method, args)))
    return patterns

"""The API's JSON renderer: orjson, with ninja's encoder for what orjson does not know.

orjson writes UTF-8 directly and serialises dicts, lists, strings and numbers in C; values it
does not know (Decimal, lazy translations, pydantic models) and dates and times (passed through
so their text stays exactly what Django's encoder writes: milliseconds, `Z` for UTC) go to
ninja's `NinjaJSONEncoder.default`, so every response reads as before, only faster.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpResponse
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
_fallback = NinjaJSONEncoder().default


def dumps(data: Any) -> bytes:
    return orjson.dumps(data, default=_fallback, option=_OPTIONS)


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request, data: Any, *, response_status: int) -> bytes:
        return dumps(data)


def json_response(data: Any, status: int = 200) -> HttpResponse:
    """What the hot operations (core.api.hot) answer with: `data` as orjson writes it, with the
    content type of Django's JsonResponse, which they answered with before."""
    return HttpResponse(dumps(data), content_type="application/json", status=status)

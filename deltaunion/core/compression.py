"""Pages compressed on their way out (issue 12: a worker's first load on metered data).

Django's GZipMiddleware, which pads each compressed body with random bytes against BREACH
(Django ≥ 4.2), for the responses a page is built from — HTML, htmx partials, JSON. Streamed
files (uploads, photos, PDFs served from storage) pass untouched: they are mostly compressed
already and keep their length; static files never get here (WhiteNoise, placed before this
middleware, serves their pre-compressed copies)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware


class PageGZipMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.streaming:
            return response
        return super().process_response(request, response)

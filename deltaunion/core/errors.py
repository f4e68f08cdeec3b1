"""The error pages: 400, 403, 404 and 500, branded, in the user's language, with a way back."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponseServerError
from django.template import loader
from django.urls import reverse

log = logging.getLogger(__name__)


def server_error(request: HttpRequest) -> HttpResponseServerError:
    """500: rendered without the request context (the database may be what failed), with the
    public navigation if the registry can give it and none otherwise."""
    from deltaunion.core.registry import nav_items

    try:
        nav = [{"label": i.label, "url": reverse(i.url_name)} for i in nav_items(None)]
    except Exception:  # the page must render whatever broke
        log.exception("navigation for the 500 page")
        nav = []
    return HttpResponseServerError(loader.get_template("500.html").render({"nav_main": nav}))

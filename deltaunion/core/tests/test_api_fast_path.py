"""The API's per-request cost: orjson renders exactly what Django's encoder wrote, and a Bearer
call does no session, message or language-cookie work (a session call still does)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy

from deltaunion.accounts.services import api_token_create
from deltaunion.core.renderers import dumps


def test_orjson_renders_what_the_django_encoder_rendered():
    data = {
        "when": dt.datetime(2026, 5, 1, 8, 30, 15, 123456, tzinfo=dt.UTC),
        "day": dt.date(2026, 5, 1),
        "at": dt.time(9, 5, 7, 250000),
        "score": Decimal("97.50"),
        "label": gettext_lazy("Not found"),
        "name": "王建国",
        7: [1, 2.5, None, True],
    }
    assert json.loads(dumps(data)) == json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    assert "王建国".encode() in dumps(data)  # UTF-8, not \\u escapes


@pytest.fixture
def raw_token(users):
    return api_token_create(user=users.hz_officer, name="快速路径", by=users.hz_officer)[1]


def test_a_bearer_call_touches_no_session_messages_or_cookies(client, users, raw_token):
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    assert response.status_code == 200
    assert response.json()["username"] == "hz_officer"
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Language"] == "zh-hans"
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
    request = response.wsgi_request
    assert not hasattr(request, "session") and not hasattr(request, "_messages")
    # A Bearer call with a session cookie beside it is still the token's call, not the session's.
    client.force_login(users.sz_officer)
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    assert response.json()["username"] == "hz_officer"


def test_a_session_call_keeps_its_session_and_language(client, users):
    client.force_login(users.hz_officer)
    client.cookies["django_language"] = "en"
    response = client.get("/api/me")
    assert response.status_code == 200 and response.json()["username"] == "hz_officer"
    assert "Cookie" in response["Vary"] and response["Content-Language"] == "en"
    assert hasattr(response.wsgi_request, "session")


def test_a_bad_bearer_token_is_refused_before_any_view(client, users):
    response = client.get("/api/me", HTTP_AUTHORIZATION="Bearer du_nope")
    assert response.status_code == 401
    assert not hasattr(response.wsgi_request, "session")


def test_a_bearer_call_takes_the_short_chain_and_keeps_the_security_headers(client, users, raw_token, settings):
    from deltaunion.core.middleware import ApiFastPathMiddleware

    seen = []
    real = ApiFastPathMiddleware.__call__

    def spy(self, request):
        seen.append(self.fast is not None)
        return real(self, request)

    ApiFastPathMiddleware.__call__ = spy
    try:
        response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    finally:
        ApiFastPathMiddleware.__call__ = real
    assert seen == [True]  # the shortcut is on: the chain is Django's standard one
    assert response.status_code == 200
    # SecurityMiddleware's and the frame header, the length, as on the full chain
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Length"] == str(len(response.content))
    assert not hasattr(response.wsgi_request, "session")


def test_a_bearer_call_still_checks_the_host_and_refuses_nul(client, users, raw_token, settings):
    settings.ALLOWED_HOSTS = ["good.example"]
    bad = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw_token}", HTTP_HOST="evil.example")
    assert bad.status_code == 400
    good = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw_token}", HTTP_HOST="good.example")
    assert good.status_code == 200
    nul = client.get("/api/me?q=%00", HTTP_AUTHORIZATION=f"Bearer {raw_token}", HTTP_HOST="good.example")
    assert nul.status_code == 400


def test_the_short_chain_is_off_when_the_chain_is_not_djangos(rf):
    """A link the walk does not recognise turns the shortcut off: every call takes the chain."""
    from deltaunion.core.middleware import ApiFastPathMiddleware

    def unknown(request):
        return "full chain"

    middleware = ApiFastPathMiddleware(unknown)
    assert middleware.fast is None
    request = rf.get("/api/me", HTTP_AUTHORIZATION="Bearer du_x")
    assert middleware(request) == "full chain"

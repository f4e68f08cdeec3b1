"""The inputs that once made 500s (probing the running platform), each now a 400 or 422 with a
message, and nothing changed. They matter most on PostgreSQL (NUL bytes, integer overflow);
CI runs them there too."""

from __future__ import annotations

import pytest
from django.test import Client

from deltaunion.accounts.services import api_token_create
from deltaunion.core.models import AuditEntry

HUGE = "9223372036854775808"

GETS = [
    "/orgs/?q=%00",
    "/api/orgs?q=%00",
    "/api/orgs?q=a%00b",
    "/api/contests/certificates/%00/verify",
    "/contests/certificates/%00/verify/",
    "/api/community/posts?offset=-1",
    f"/api/orgs?offset={HUGE}",
    f"/api/orgs?limit={HUGE}",
    f"/api/orgs?parent={HUGE}",
    f"/api/orgs/{HUGE}",
    f"/orgs/{HUGE}/",
    "/api/contests?started_in=-1",
    "/api/contests?year=99999",
    "/api/workplans?year=-5",
    "/api/people/workers?q=" + "x" * 5000,
    f"/api/practice/boards/quiz/{HUGE}/person?top=-1",
    "/people/?q=%00",
    "/contests/?q=%00",
]


@pytest.fixture
def bearer(world):
    _t, raw = api_token_create(user=world.superuser, name="probe", by=world.superuser)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("url", GETS)
def test_odd_query_and_path_values_are_refused_not_500(url, bearer):
    response = Client().get(url, **bearer)
    assert response.status_code in (400, 404, 422), (url, response.status_code, response.content[:300])


NUL_BODIES = [
    ("/api/community/posts", {"kind": "share", "title": "标题\u0000", "body": "正文"}),
    ("/api/community/posts/1/comments", {"body": "评论\u0000"}),
    ("/api/community/posts/1/reports", {"reason": "spam\u0000"}),
    ("/api/campaigns/1/join", {"team": "\u0000"}),
    ("/api/campaigns/1/actions", {"rule": "run\u0000", "value": "1"}),
    ("/api/practice/questions/1/answer", {"response": "\u0000"}),
    ("/api/practice/attempts/1/answers", {"question": 1, "response": ["\u0000"]}),
    ("/api/workplans/tasks/1/status", {"status": "done", "note": "\u0000"}),
]


@pytest.mark.parametrize(("url", "body"), NUL_BODIES)
def test_nul_in_a_json_body_is_a_400_and_changes_nothing(url, body, bearer):
    before = AuditEntry.objects.count()
    response = Client().post(url, body, content_type="application/json", **bearer)
    assert response.status_code == 400, (url, response.status_code, response.content[:300])
    assert "NUL" in response.json()["detail"][0]
    assert AuditEntry.objects.count() == before


def test_nul_in_a_form_post_is_a_400_page(client, world):
    client.force_login(world.hz_officer)
    response = client.post("/people/import/", {"organisation": "1\u0000"})
    assert response.status_code == 400
    assert 'data-testid="error-400"' in response.content.decode()

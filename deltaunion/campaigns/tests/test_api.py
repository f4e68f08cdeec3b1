"""The campaigns API: join with a team, log an action once, my points; 403 where the
organisers enrol, 404 for a campaign of a draft contest."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from deltaunion.accounts.services import api_token_create
from deltaunion.contests.models import Contest

from .factories import build_campaign_world


def client_for(user) -> Client:
    _token, raw = api_token_create(user=user, name="test", by=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(c: Client, url: str, body: dict | None = None):
    return c.post(url, data=json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def cw(world):
    return build_campaign_world(world)


def test_campaign_over_the_api(cw, django_capture_on_commit_callbacks):
    user = cw.workers[0]
    c = client_for(user)
    assert cw.campaign.pk in [x["id"] for x in c.get("/api/campaigns").json()]
    assert post(c, f"/api/campaigns/{cw.campaign.pk}/join", {"team": "一队"}).json()["team"] == "一队"
    action = {"rule": "activity", "source_key": "k1", "occurred_on": "2023-07-02"}
    with django_capture_on_commit_callbacks(execute=True):  # Redis boards are told after the commit
        r1 = post(c, f"/api/campaigns/{cw.campaign.pk}/actions", action).json()
    r2 = post(c, f"/api/campaigns/{cw.campaign.pk}/actions", action).json()
    assert (r1["points"], r1["created"], r2["created"], r2["total_points"]) == (10, True, False, 10)
    me = c.get(f"/api/campaigns/{cw.campaign.pk}/me").json()
    assert me["points"] == 10 and me["rank"] == 1
    board = c.get(f"/api/practice/boards/campaign/{cw.campaign.pk}/person").json()
    assert board["me"]["score"] == 10 and board["me"]["is_me"]
    bad = post(c, f"/api/campaigns/{cw.campaign.pk}/actions", {**action, "source_key": "k2", "rule": "nope"})
    assert bad.status_code == 404


def test_joining_a_campaign_the_organisers_enrol_is_403(world):
    cw = build_campaign_world(world, open_to_join=False)
    response = post(client_for(cw.workers[0]), f"/api/campaigns/{cw.campaign.pk}/join")
    assert response.status_code == 403
    assert response.json()["detail"] == ["本积分赛的参赛者由主办方统一报名"]


def test_a_campaign_of_a_draft_contest_is_404_but_for_its_managers(world):
    cw = build_campaign_world(world, contest_status=Contest.Status.DRAFT)
    outsider = client_for(cw.workers[0])
    for response in (
        outsider.get(f"/api/campaigns/{cw.campaign.pk}/me"),
        post(outsider, f"/api/campaigns/{cw.campaign.pk}/join"),
        outsider.get(f"/api/practice/boards/campaign/{cw.campaign.pk}/person"),
    ):
        assert response.status_code == 404
    assert cw.campaign.pk not in [x["id"] for x in outsider.get("/api/campaigns").json()]
    manager = client_for(cw.officer)
    assert cw.campaign.pk in [x["id"] for x in manager.get("/api/campaigns").json()]
    assert manager.get(f"/api/practice/boards/campaign/{cw.campaign.pk}/person").status_code == 200

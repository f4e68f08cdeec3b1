"""The workers API: login required, scoped, masked."""

from __future__ import annotations

import pytest
from django.test import Client

from deltaunion.core.privacy import mask_id_number


def test_anonymous_gets_401(client, world):
    assert client.get("/api/people/workers").status_code == 401
    assert client.get(f"/api/people/workers/{world.hz_a.pk}").status_code == 401


def test_hangzhou_officer_never_sees_a_suzhou_worker(client, world):
    client.force_login(world.hz_officer)
    body = client.get("/api/people/workers").json()
    assert body["count"] == 3
    assert {w["name"] for w in body["items"]} == {"王建国", "李秀英", "陈小明"}
    assert all(not w["masked"] for w in body["items"])
    assert world.hz_a.id_number in {w["id_number"] for w in body["items"]}
    # Not by search either.
    assert client.get("/api/people/workers", {"q": world.sz_a.id_number}).json()["count"] == 0
    assert client.get("/api/people/workers", {"q": "周苏州"}).json()["count"] == 0
    assert client.get(f"/api/people/workers/{world.sz_a.pk}").status_code == 404
    assert client.get(f"/api/people/workers/{world.sz_a.pk + 10_000}").status_code == 404
    assert client.get(f"/api/people/workers/{world.hz_a.pk}").json()["id_number"] == world.hz_a.id_number


def test_filters_and_paging(client, world):
    client.force_login(world.zj_admin)
    assert client.get("/api/people/workers", {"is_member": "0"}).json()["count"] == 1
    assert client.get("/api/people/workers", {"skill_level": "3"}).json()["count"] == 1
    page = client.get("/api/people/workers", {"limit": 2, "offset": 2}).json()
    assert page["count"] == 3 and len(page["items"]) == 1


@pytest.mark.parametrize("who", ["nobody", "zj_judge"])
def test_non_privileged_roles_see_no_one(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get("/api/people/workers").json() == {"count": 0, "offset": 0, "limit": 50, "items": []}
    assert client.get(f"/api/people/workers/{world.hz_a.pk}").status_code == 404


def test_worker_sees_own_record_unmasked(client, world):
    client.force_login(world.worker)
    body = client.get("/api/people/workers").json()
    assert [w["id"] for w in body["items"]] == [world.hz_self.pk]
    own = body["items"][0]
    assert own["masked"] is False and own["id_number"] == world.hz_self.id_number
    assert client.get(f"/api/people/workers/{world.hz_a.pk}").status_code == 404


def test_masked_output_never_carries_the_full_number(world):
    from deltaunion.people.api import WorkerOut, _out

    data = WorkerOut.model_validate(_out(world.hz_a, world.zj_judge)).model_dump()
    assert data["masked"] is True
    assert data["id_number"] == mask_id_number(world.hz_a.id_number)
    assert world.hz_a.id_number not in str(data) and world.hz_a.phone not in str(data)


def test_session_writes_need_csrf(world):
    from deltaunion.workplans.tests.factories import KeyTaskFactory

    task = KeyTaskFactory(lead_org=world.hz)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(world.hz_officer)
    response = csrf_client.post(
        f"/api/workplans/tasks/{task.pk}/status", {"status": "done"}, content_type="application/json"
    )
    assert response.status_code == 401
    task.refresh_from_db()
    assert task.status == "planned"

"""The public organisation API."""

from __future__ import annotations

from deltaunion.orgs.services import alliance_set_members
from deltaunion.orgs.tests.factories import OrganisationFactory


def test_list_is_public_and_paged(client, tree):
    response = client.get("/api/orgs")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 7
    assert [o["name"] for o in body["items"]][:3] == ["中华全国总工会", "浙江省总工会", "杭州市总工会"]

    page = client.get("/api/orgs", {"limit": 2, "offset": 2}).json()
    assert page["count"] == 7 and page["limit"] == 2 and page["offset"] == 2
    assert [o["id"] for o in page["items"]] == [o["id"] for o in body["items"][2:4]]
    # Out of range is refused with the reason, not clamped silently (nor a 500).
    for bad in ({"limit": 5000}, {"limit": 0}, {"offset": -1}, {"offset": "9223372036854775808"}):
        refused = client.get("/api/orgs", bad)
        assert refused.status_code == 422, bad
        assert refused.json()["detail"]


def test_list_filters(client, tree):
    cities = client.get("/api/orgs", {"kind": "city"}).json()
    assert {o["name"] for o in cities["items"]} == {"杭州市总工会", "苏州市总工会"}
    zj = client.get("/api/orgs", {"province": "330000"}).json()
    assert {o["name"] for o in zj["items"]} == {"浙江省总工会", "杭州市总工会", "杭州测试机械有限公司工会"}
    children = client.get("/api/orgs", {"parent": tree.acftu.pk}).json()
    assert {o["name"] for o in children["items"]} == {"浙江省总工会", "江苏省总工会"}
    assert client.get("/api/orgs", {"q": "苏州"}).json()["count"] == 2
    assert client.get("/api/orgs", {"parent": 10**7}).status_code == 404


def test_one_organisation(client, tree):
    body = client.get(f"/api/orgs/{tree.hz.pk}").json()
    assert body["name"] == "杭州市总工会"
    assert body["kind"] == "city"
    assert body["parent_id"] == tree.zj.pk
    assert body["depth"] == 2
    assert body["region_code"] == "330100" and body["region_name"] == "杭州市"
    assert client.get(f"/api/orgs/{10**7}").status_code == 404


def test_alliances(client, tree):
    from deltaunion.orgs.models import Alliance

    alliance = Alliance.objects.create(slug="test-corridor", name="测试走廊", kind="corridor")
    extra = OrganisationFactory(parent=tree.js, name="无锡市总工会")
    alliance_set_members(alliance=alliance, members=[(tree.hz, "成员"), (extra, "发起")], by=None)
    body = client.get("/api/orgs/alliances").json()
    assert [a["slug"] for a in body] == ["test-corridor"]
    members = {m["name"]: m["role"] for m in body[0]["members"]}
    assert members == {"杭州市总工会": "成员", "无锡市总工会": "发起"}

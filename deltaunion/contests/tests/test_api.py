"""The contests API: public reads scoped like the rest, published results only, certificate
checks, and the judges' marking endpoints that never leak a name or an ID number."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from deltaunion.contests import services
from deltaunion.contests.models import Certificate, Contest, Mark, Stage

from .factories import UserFactory, build_world, mark_everything, register_and_draw, sign_off_all

pytestmark = pytest.mark.django_db


def _running(world):
    return services.contest_update(contest=world.contest, by=world.officer, status=Contest.Status.RUNNING)


def test_openapi_lists_the_contest_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path, method in [
        ("/api/contests", "get"),
        ("/api/contests/{contest_id}", "get"),
        ("/api/contests/{contest_id}/stages", "get"),
        ("/api/contests/stages/{stage_id}/results", "get"),
        ("/api/contests/certificates/{code}/verify", "get"),
        ("/api/contests/judging/modules", "get"),
        ("/api/contests/judging/modules/{module_id}/worklist", "get"),
        ("/api/contests/judging/modules/{module_id}/marks", "post"),
        ("/api/contests/judging/marks/{mark_id}/confirm", "post"),
        ("/api/contests/judging/marks/{mark_id}/reject", "post"),
    ]:
        assert method in paths.get(path, {}), path
    assert not paths["/api/contests"]["get"].get("security")
    assert paths["/api/contests/judging/modules"]["get"].get("security")


def test_drafts_are_404_for_outsiders_and_visible_to_the_organisers(client):
    w = build_world()
    assert w.contest.status == Contest.Status.DRAFT
    assert client.get("/api/contests").json()["count"] == 0
    assert client.get(f"/api/contests/{w.contest.pk}").status_code == 404
    assert client.get(f"/api/contests/{w.contest.pk}/stages").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"/api/contests/{w.contest.pk}").status_code == 404
    client.force_login(w.officer)
    body = client.get("/api/contests").json()
    assert body["count"] == 1 and body["items"][0]["lead"]["organisation"]["name"] == w.province.name
    detail = client.get(f"/api/contests/{w.contest.pk}").json()
    assert [s["name"] for s in detail["stages"]] == ["决赛"]
    assert detail["stages"][0]["status"] == Stage.Status.REGISTRATION


def test_list_filters_paging_and_bad_input(client):
    w = build_world()
    _running(w)
    other = services.contest_create(title="在线答题赛", lead_org=w.province, by=w.officer, format="quiz")
    services.contest_update(contest=other, by=w.officer, status=Contest.Status.OPEN)
    assert client.get("/api/contests").json()["count"] == 2
    assert [c["title"] for c in client.get("/api/contests", {"format": "quiz"}).json()["items"]] == ["在线答题赛"]
    page = client.get("/api/contests", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    bad = client.get("/api/contests", {"tier": "nonsense"})
    assert bad.status_code == 400 and "nonsense" in json.dumps(bad.json(), ensure_ascii=False)
    assert client.get("/api/contests", {"format": "x"}).status_code == 400
    assert client.get("/api/contests", {"limit": 0}).status_code == 422
    assert client.get("/api/contests", {"year": "abc"}).status_code in (400, 422)
    assert client.get("/api/contests/999999").status_code == 404


def _published(n=4):
    w = build_world()
    _running(w)
    register_and_draw(w, n)
    mark_everything(w)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    w.stage.refresh_from_db()
    recheck = services.recheck_start(stage=w.stage, by=w.chief, seed="s")
    for item in recheck.items.all():
        services.recheck_item_record(item=item, error_found=False, by=w.chief)
    services.recheck_complete(recheck=recheck, by=w.chief)
    rs = services.result_set_publish(stage=w.stage, by=w.officer)
    return w, rs


def test_results_only_when_published_and_certificates_verify(client):
    w = build_world()
    _running(w)
    register_and_draw(w, 3)
    assert client.get(f"/api/contests/stages/{w.stage.pk}/results").status_code == 404  # marking, not published

    w, rs = _published(4)
    body = client.get(f"/api/contests/stages/{w.stage.pk}/results").json()
    assert body["status"] == "notice" and body["chain_verified"] is None and len(body["rows"]) == 4
    assert {r["name"] for r in body["rows"]} == set(rs.rows.values_list("name", flat=True))

    services.prize_tier_add(contest=w.contest, kind="first", name="一等奖", rank_to=1, by=w.officer)
    services.result_set_finalise(result_set=rs, by=w.officer, now=rs.notice_until + dt.timedelta(seconds=1))
    body = client.get(f"/api/contests/stages/{w.stage.pk}/results").json()
    assert body["status"] == "final" and body["chain_verified"] is True and len(body["content_hash"]) == 64

    cert = Certificate.objects.first()
    ok = client.get(f"/api/contests/certificates/{cert.code.lower()}/verify")
    assert ok.status_code == 200
    assert ok.json()["valid"] and ok.json()["result_hash"] == body["content_hash"]
    assert cert.code in ok.json()["verify_url"]
    assert client.get("/api/contests/certificates/NOPE1234/verify").status_code == 404


def _marking_world():
    w = build_world()
    _running(w)
    numbers = register_and_draw(w, 3)
    return w, numbers


def _no_personal_data(w, payload: str) -> None:
    for reg in w.registrations:
        assert reg.worker.name not in payload
        assert reg.worker.id_number not in payload
        assert '"registration' not in payload
    assert w.province.name not in payload


def test_judge_marks_by_number_and_never_sees_a_name():
    w, numbers = _marking_world()
    a1, _a2, b1 = w.aspects
    j0, j1 = Client(), Client()
    j0.force_login(w.judges[0])
    j1.force_login(w.judges[1])

    modules = j0.get("/api/contests/judging/modules").json()
    assert {m["name"] for m in modules} == {"装调", "编程"}
    m1 = w.modules[0].pk

    r = j0.post(
        f"/api/contests/judging/modules/{m1}/marks",
        {"number": numbers[0], "aspect_code": "A1", "value": "20"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    mark = r.json()
    assert mark["status"] == "entered" and mark["mine"] and mark["number"] == numbers[0]

    work = j0.get(f"/api/contests/judging/modules/{m1}/worklist").json()
    assert [c["number"] for c in work["competitors"]] == numbers
    one = j0.get(f"/api/contests/judging/modules/{m1}/worklist", {"number": numbers[0]}).json()
    assert [c["number"] for c in one["competitors"]] == [numbers[0]]
    queue = j1.get(f"/api/contests/judging/modules/{m1}/worklist").json()["to_confirm"]
    assert [q["mark_id"] for q in queue] == [mark["id"]]

    # The enterer cannot confirm; the second judge can.
    own = j0.post(f"/api/contests/judging/marks/{mark['id']}/confirm")
    assert own.status_code == 400 and own.json()["detail"]
    ok = j1.post(f"/api/contests/judging/marks/{mark['id']}/confirm")
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed" and not ok.json()["mine"]

    # Reject: a reason is required; then it goes back.
    r = j0.post(
        f"/api/contests/judging/modules/{w.modules[1].pk}/marks",
        {"number": numbers[1], "aspect_id": b1.pk, "value": 2},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    mid = r.json()["id"]
    no_reason = j1.post(f"/api/contests/judging/marks/{mid}/reject", {"reason": " "}, content_type="application/json")
    assert no_reason.status_code == 400
    back = j1.post(f"/api/contests/judging/marks/{mid}/reject", {"reason": "看错了"}, content_type="application/json")
    assert back.json()["status"] == "rejected" and back.json()["rejection_reason"] == "看错了"

    payloads = [
        json.dumps(modules, ensure_ascii=False),
        json.dumps(work, ensure_ascii=False),
        json.dumps(j1.get(f"/api/contests/judging/modules/{w.modules[1].pk}/worklist").json(), ensure_ascii=False),
        ok.content.decode(),
        back.content.decode(),
    ]
    for p in payloads:
        _no_personal_data(w, p)
    assert Mark.objects.count() == 2


def test_judging_bad_input_is_400_and_changes_nothing():
    w, numbers = _marking_world()
    j0 = Client()
    j0.force_login(w.judges[0])
    m1 = w.modules[0].pk

    def post(**data):
        return j0.post(f"/api/contests/judging/modules/{m1}/marks", data, content_type="application/json")

    cases = [
        post(number=numbers[0], aspect_code="A1", value="7"),  # full or zero
        post(number=numbers[0], aspect_code="A1", value="abc"),
        post(number=numbers[0], aspect_code="A1", value="25"),
        post(number="999", aspect_code="A1", value="20"),
        post(number=numbers[0], aspect_code="B1", value="2"),  # B1 is in the other module
        post(number=numbers[0], value="2"),
    ]
    for r in cases:
        assert r.status_code == 400, r.content
        assert r.json()["detail"]
    assert Mark.objects.count() == 0
    # After sign-off: locked.
    mark_everything(w)
    sign_off_all(w)
    r = post(number=numbers[0], aspect_code="A1", value="20")
    assert r.status_code == 400 and r.json()["detail"]


def test_judging_not_yours_is_404_and_anonymous_401():
    w, numbers = _marking_world()
    m = services.mark_enter(aspect=w.aspects[0], number=numbers[0], value=20, by=w.judges[0])
    anon = Client()
    assert anon.get("/api/contests/judging/modules").status_code == 401
    assert anon.post(f"/api/contests/judging/marks/{m.pk}/confirm").status_code == 401
    outsider = Client()
    outsider.force_login(w.officer)  # manages the contest but is no judge
    assert outsider.get("/api/contests/judging/modules").json() == []
    assert outsider.get(f"/api/contests/judging/modules/{w.modules[0].pk}/worklist").status_code == 404
    assert outsider.post(f"/api/contests/judging/marks/{m.pk}/confirm").status_code == 404
    assert outsider.post(f"/api/contests/judging/marks/{m.pk + 999}/confirm").status_code == 404
    r = outsider.post(
        f"/api/contests/judging/modules/{w.modules[0].pk}/marks",
        {"number": numbers[0], "aspect_code": "A1", "value": "20"},
        content_type="application/json",
    )
    assert r.status_code == 404
    m.refresh_from_db()
    assert m.status == Mark.Status.ENTERED


def test_judging_an_aspect_one_is_not_assigned_to_is_403_with_the_message():
    """The module is the judge's (so no 404), the aspect is not: the refusal rule's 403."""
    w, numbers = _marking_world()
    w.judge_roles[0].assignments.get(module=w.modules[0]).aspects.set([w.aspects[0]])
    j0 = Client()
    j0.force_login(w.judges[0])
    r = j0.post(
        f"/api/contests/judging/modules/{w.modules[0].pk}/marks",
        {"number": numbers[0], "aspect_code": "A2", "value": "5"},
        content_type="application/json",
    )
    assert r.status_code == 403 and r.json()["detail"] == ["您未被分配到该评分项"]
    assert Mark.objects.count() == 0


def test_settings_no_source_gives_are_null_in_the_api_until_an_organiser_sets_them(client):
    w = build_world()
    _running(w)
    Contest.objects.filter(pk=w.contest.pk).update(unknown_settings=["format", "level", "weights"])
    client.force_login(w.officer)
    item = client.get("/api/contests").json()["items"][0]
    assert item["format"] is None and item["level"] is None and item["format_label"] == "待定"
    detail = client.get(f"/api/contests/{w.contest.pk}").json()
    assert detail["theory_weight"] is None and detail["practical_weight"] is None
    Contest.objects.filter(pk=w.contest.pk).update(unknown_settings=[])
    detail = client.get(f"/api/contests/{w.contest.pk}").json()
    assert detail["format"] == w.contest.format and detail["theory_weight"] is not None

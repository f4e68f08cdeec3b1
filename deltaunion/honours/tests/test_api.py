"""The honours API: the public roll of honour (named honours only, filtered by honour and year),
certificate verification, the alliance's statistics, and a selection's nominations for those
who may see them; bad parameters are 422, never a 500."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from deltaunion.honours import services

from .factories import build_selection, named_award, nominate, studio


def test_the_roll_is_public_and_shows_only_named_honours(world):
    built = named_award(world)
    other = build_selection(world)
    nominate(world, other, world.sz_a)
    response = Client().get("/api/honours/roll")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [entry] = body["items"]
    assert entry["name"] == "王建国" and entry["honour"] == "测试大工匠" and entry["year"] == 2023
    assert entry["named_on"] == "2023-06-01" and entry["conferred_by"] == "沪苏浙皖三省一市总工会"
    assert "code" not in entry and entry["demo"] is False
    honour = built.award.honour_id
    assert Client().get("/api/honours/roll", {"honour": honour, "year": 2023}).json()["count"] == 1
    assert Client().get("/api/honours/roll", {"honour": honour + 999}).json()["count"] == 0
    assert Client().get("/api/honours/roll", {"year": 2022}).json()["count"] == 0
    honours = {h["name"]: h["named"] for h in Client().get("/api/honours/honours").json()}
    assert honours["测试大工匠"] == 1
    # Revoked: off the roll.
    services.award_revoke(award=built.award, reason="撤销", by=world.zj_admin)
    assert Client().get("/api/honours/roll").json()["count"] == 0


def test_bad_roll_parameters_are_refused_not_a_server_error(db):
    for params in (
        {"year": "1800"},
        {"year": "abc"},
        {"honour": "0"},
        {"limit": "0"},
        {"limit": "100000"},
        {"q": "x" * 200},
    ):
        assert Client().get("/api/honours/roll", params).status_code == 422, params


def test_certificate_verification_by_code(world):
    award = named_award(world).award
    body = Client().get(f"/api/honours/certificates/{award.code.lower()}").json()
    assert body["valid"] and body["name"] == "王建国"
    assert Client().get("/api/honours/certificates/HRNOSUCH").status_code == 404
    assert Client().get("/api/honours/certificates/" + "X" * 60).status_code == 422


def test_the_alliance_statistics(world):
    workshop = studio(world)
    services.studio_recognise(
        studio=workshop, level="city", recognised_on=dt.date(2022, 1, 1), body="x", by=world.hz_officer
    )
    services.studio_report_save(studio=workshop, year=2023, topics=4, results=2, applied_results=1, by=world.hz_officer)
    body = Client().get("/api/honours/studios/statistics", {"province": "330000"}).json()
    assert body["studios"] == 1 and body["years"][0]["topics"] == 4 and body["years"][0]["applied_share"] == "50.0"
    assert Client().get("/api/honours/studios/statistics", {"level": "nonsense"}).status_code == 422


def test_nominations_for_those_who_may_see_them(world):
    built = build_selection(world)
    nominate(world, built, world.hz_a)
    nominate(world, built, world.sz_a)
    url = f"/api/honours/selections/{built.selection.pk}/nominations"
    assert Client().get(url).status_code == 401
    organiser = Client()
    organiser.force_login(world.zj_admin)
    assert {n["nominee"] for n in organiser.get(url).json()} == {"王建国", "周苏州"}
    union = Client()
    union.force_login(world.hz_officer)
    assert [n["nominee"] for n in union.get(url).json()] == ["王建国"]
    outsider = Client()
    outsider.force_login(world.worker)
    assert outsider.get(url).status_code == 404

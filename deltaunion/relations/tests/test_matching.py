"""Cross-province matching by keyed hash: HMAC-SHA-256 of the normalised ID number under the
deployment's key; nothing shared between federations carries a raw number; a federation sees
the personal data of its own members only; no sharing in production without the key."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError

from deltaunion.core.idnumber import make_id_number
from deltaunion.relations import matching, selectors, services
from deltaunion.relations.models import Signal, SignalShare
from deltaunion.relations.tests.factories import anhui, open_case, party, sz_city

KEY = "k" * 40
NUMBER = make_id_number("341221", dt.date(1986, 4, 5), 313)


def test_the_key_is_hmac_sha256_of_the_normalised_number(settings):
    settings.RELATIONS_MATCH_KEY = KEY
    expected = hmac.new(KEY.encode(), NUMBER.encode(), hashlib.sha256).hexdigest()
    assert matching.match_key(NUMBER) == expected
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in NUMBER)
    assert matching.match_key(f" {full_width} ") == expected
    old = NUMBER[:6] + NUMBER[8:17]  # the 15-digit form of a 19xx number
    assert matching.match_key(old) == expected
    assert matching.match_key("not a number") == ""
    assert NUMBER not in expected


def test_another_key_gives_another_hash(settings):
    settings.RELATIONS_MATCH_KEY = KEY
    first = matching.match_key(NUMBER)
    settings.RELATIONS_MATCH_KEY = "z" * 40
    assert matching.match_key(NUMBER) != first


def test_without_a_key_production_refuses_and_the_check_says_so(settings):
    settings.RELATIONS_MATCH_KEY = ""
    settings.DEBUG = False
    settings.SECRET_KEY = "a-real-production-secret-key-that-is-long-enough-0123456789"
    with pytest.raises(matching.MatchKeyMissing):
        matching.match_secret()
    errors = [e for e in run_checks(include_deployment_checks=True) if e.id == "relations.E001"]
    assert errors
    settings.RELATIONS_MATCH_KEY = "short"
    with pytest.raises(matching.MatchKeyMissing):
        matching.match_secret()
    settings.RELATIONS_MATCH_KEY = KEY
    assert matching.match_secret() == KEY.encode()
    assert not [e for e in run_checks(include_deployment_checks=True) if e.id == "relations.E001"]


def test_the_demo_and_tests_derive_a_key(settings):
    settings.RELATIONS_MATCH_KEY = ""
    assert settings.SECRET_KEY.startswith("insecure-")
    assert len(matching.match_secret()) == 32


def _signal(world, **extra):
    data = dict(
        organisation=world.sz,
        by=world.sz_officer,
        kind="wage_arrears",
        severity="serious",
        workers_affected=30,
        origins={"320000": 18, "340000": 12},
        site_provinces=[],
        occurred_on=dt.date(2023, 12, 12),
        description="年底欠薪",
        city=sz_city(),
        employer_name="苏州测试精密制造有限公司",
        industry="manufacturing",
        ownership="foreign",
    )
    data.update(extra)
    return services.signal_create(**data)


@pytest.fixture
def shared(world, settings):
    settings.RELATIONS_MATCH_KEY = KEY
    ah, hf, ah_admin, member = anhui(world)
    stranger = make_id_number("341221", dt.date(1990, 1, 1), 517)
    signal = _signal(
        world,
        workers=[
            {"name": member.name, "id_number": member.id_number, "phone": "13800000001"},
            {"name": "外省职工", "id_number": stranger, "phone": "13800000002"},
        ],
    )
    return signal, ah, ah_admin, member, stranger


@pytest.mark.django_db
def test_a_signal_is_shared_with_the_province_its_workers_come_from(world, shared, django_capture_on_commit_callbacks):
    signal, ah, ah_admin, _member, _stranger = shared
    assert [(s.federation, s.reason) for s in signal.shares.all()] == [(ah, SignalShare.Reason.WORKERS)]
    assert selectors.visible_signals(ah_admin).filter(pk=signal.pk).exists()
    assert not selectors.visible_signals(world.hz_officer).filter(pk=signal.pk).exists()
    # Sites in Zhejiang: shared there too, and its officers are told.
    from deltaunion.core.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        services.signal_update(signal=signal, by=world.sz_officer, site_provinces=["330000"])
    assert signal.shares.get(federation=world.zj).reason == SignalShare.Reason.SITES
    assert Notification.objects.filter(recipient=world.zj_admin, kind="relations.signal_shared").exists()
    assert selectors.visible_signals(world.zj_admin).filter(pk=signal.pk).exists()


@pytest.mark.django_db
def test_the_receiving_federation_reads_only_its_own_members(world, shared, client):
    signal, _ah, ah_admin, member, stranger = shared
    rows, hidden = selectors.signal_worker_rows(ah_admin, signal)
    assert [(r.name, r.id_number, r.own_member) for r in rows] == [(member.name, member.id_number, True)]
    assert hidden == 1
    client.force_login(ah_admin)
    page = client.get(f"/relations/signals/{signal.pk}/").content.decode()
    assert member.id_number in page and stranger not in page and "外省职工" not in page
    # The recording union reads them all.
    rows, hidden = selectors.signal_worker_rows(world.sz_officer, signal)
    assert len(rows) == 2 and hidden == 0


@pytest.mark.django_db
def test_what_is_shared_carries_match_keys_never_numbers(world, shared, client):
    signal, _ah, ah_admin, member, stranger = shared
    payload = selectors.shared_payload(signal)
    text = repr(payload)
    assert member.id_number not in text and stranger not in text and member.name not in text
    assert {k["key"] for k in payload["match_keys"]} == {
        matching.match_key(member.id_number),
        matching.match_key(stranger),
    }
    client.force_login(ah_admin)
    response = client.get("/api/relations/signals/shared")
    assert response.status_code == 200
    body = response.content.decode()
    assert member.id_number not in body and stranger not in body and "13800000001" not in body
    [item] = response.json()
    assert item["employer"] == "苏州测试精密制造有限公司" and len(item["match_keys"]) == 2


@pytest.mark.django_db
def test_sharing_is_refused_in_production_without_the_key_and_nothing_is_saved(world, settings):
    anhui(world)
    settings.RELATIONS_MATCH_KEY = ""
    settings.SECRET_KEY = "a-real-production-secret-key-that-is-long-enough-0123456789"
    with pytest.raises(ValidationError) as exc:
        _signal(world)
    assert "RELATIONS_MATCH_KEY" in " ".join(exc.value.messages)
    assert not Signal.objects.exists()
    # A signal that concerns its own province only needs no sharing.
    _signal(world, origins={"320000": 30})
    assert Signal.objects.count() == 1


@pytest.mark.django_db
def test_a_pending_referral_learns_which_workers_are_its_members(world, settings, client):
    settings.RELATIONS_MATCH_KEY = KEY
    ah, _hf, ah_admin, member = anhui(world)
    case = open_case(world, parties=[{"name": member.name, "id_number": member.id_number}, party()])
    services.case_assign(case=case, assignee=world.hz_officer, by=world.hz_officer)
    services.case_refer(case=case, to_organisation=ah, mode="referral", by=world.hz_officer)
    rows, full = selectors.party_rows(ah_admin, case)
    assert not full
    assert [r.member for r in rows] == [True, False]
    assert member.id_number not in [r.id_number for r in rows]
    client.force_login(ah_admin)
    page = client.get(f"/relations/cases/{case.pk}/").content.decode()
    assert member.id_number not in page
    assert page.count('data-testid="member">是') == 1

"""Competitors' personal data (pages, exports, API) masked by role; readable histories; the
officers' and judges' tools hidden from those who may not use them."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from deltaunion.contests import services
from deltaunion.contests.models import Contest, ContestRole, Stage
from deltaunion.core.privacy import mask_id_number, mask_name, mask_phone

from .factories import UserFactory, build_world, mark_everything, officer_for, register_and_draw, sign_off_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def entered():
    """A public contest with two competitors (with phones) entered, and an organiser who
    holds the contest role only (no organisation role, so no personal-data role)."""
    w = build_world()
    services.contest_update(contest=w.contest, status=Contest.Status.OPEN, by=w.officer)
    workers = [w.worker(i, phone=f"1391234567{i}") for i in range(2)]
    w.registrations = [services.registration_create(stage=w.stage, worker=x, by=w.officer) for x in workers]
    organiser = UserFactory()
    services.contest_role_grant(contest=w.contest, user=organiser, role=ContestRole.Kind.ORGANISER, by=w.officer)
    return w, workers, organiser


def _cells(response) -> list:
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [c for row in sheet.iter_rows(values_only=True) for c in row]


def _full(x):
    return [x.name, x.id_number, x.phone]


def _masked(x):
    return [mask_name(x.name), mask_id_number(x.id_number), mask_phone(x.phone)]


def test_registrations_page_masks_personal_data_for_an_organiser_and_not_for_the_officers(client, entered):
    w, workers, organiser = entered
    url = reverse("contests:registrations", args=[w.stage.pk])
    client.force_login(organiser)
    html = client.get(url).content.decode()
    for x in workers:
        assert all(v in html for v in _masked(x)), x
        assert not any(v in html for v in _full(x)), x
    client.force_login(w.officer)
    html = client.get(url).content.decode()
    for x in workers:
        assert all(v in html for v in _full(x)), x
    # An officer of a sending union sees their own union's competitors in full, and only them.
    sender = officer_for(w.units[0])
    client.force_login(sender)
    html = client.get(url).content.decode()
    mine = [x for x in workers if x.organisation_id == w.units[0].pk]
    others = [x for x in workers if x.organisation_id != w.units[0].pk]
    assert mine and others
    assert all(v in html for x in mine for v in _full(x))
    assert not any(v in html for x in others for v in [*_full(x), *_masked(x)[1:]])


def test_exports_carry_the_sending_union_and_employer_with_personal_data_masked_by_role(client, entered):
    w, workers, organiser = entered
    services.stage_set_status(stage=w.stage, status=Stage.Status.CHECKIN, by=w.officer)
    urls = [
        reverse("contests:registrations_export", args=[w.stage.pk]),
        reverse("contests:checkin_export", args=[w.stage.pk]),
    ]
    for url in urls:
        client.force_login(organiser)
        cells = _cells(client.get(url))
        for x, reg in zip(workers, w.registrations, strict=True):
            assert reg.organisation.name in cells and x.employer.name in cells, url
            assert mask_id_number(x.id_number) in cells and x.id_number not in cells, url
            assert mask_name(x.name) in cells and x.name not in cells, url
        client.force_login(w.officer)
        cells = _cells(client.get(url))
        for x in workers:
            assert x.id_number in cells and x.name in cells, url
    # The registrations export has the phone too.
    client.force_login(organiser)
    cells = _cells(client.get(urls[0]))
    assert all(mask_phone(x.phone) in cells and x.phone not in cells for x in workers)


def test_api_registrations_masked_by_role_and_refused_with_403(client, entered):
    w, workers, organiser = entered
    url = f"/api/contests/stages/{w.stage.pk}/registrations"
    client.force_login(organiser)
    body = client.get(url).json()
    assert body["count"] == 2
    shown = {item["competitor"]["id_number"]: item["competitor"] for item in body["items"]}
    for x in workers:
        c = shown[mask_id_number(x.id_number)]
        assert c["masked"] and c["phone"] == mask_phone(x.phone) and c["name"] == mask_name(x.name)
    client.force_login(w.officer)
    items = client.get(url).json()["items"]
    assert {i["competitor"]["id_number"] for i in items} == {x.id_number for x in workers}
    assert not any(i["competitor"]["masked"] for i in items)
    # A judge sees the (public) stage but does not handle its registrations: 403 with the message.
    client.force_login(w.judges[0])
    refused = client.get(url)
    assert refused.status_code == 403 and "推荐工会" in refused.json()["detail"][0]
    client.logout()
    assert client.get(url).status_code == 401


def test_contest_and_stage_history_read_as_sentences(client):
    w = build_world()
    services.contest_update(
        contest=w.contest,
        by=w.officer,
        tie_breaks=["theory", "modules"],
        co_organisers=[w.cities[0]],
        status=Contest.Status.OPEN,
    )
    register_and_draw(w, 2)
    mark_everything(w)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    recheck = services.recheck_start(stage=w.stage, by=w.chief, seed="abc")
    for item in recheck.items.all():
        services.recheck_item_record(item=item, error_found=False, by=w.chief)
    services.recheck_complete(recheck=recheck, by=w.chief)
    client.force_login(w.officer)
    pages = {
        "contest": client.get(reverse("contests:detail", args=[w.contest.pk])).content.decode(),
        "stage": client.get(reverse("contests:stage", args=[w.stage.pk])).content.decode(),
    }
    history = {k: html[html.index('id="history"') :] for k, html in pages.items()}
    text = {k: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", h)) for k, h in history.items()}
    assert "发布了竞赛" in text["contest"] and "把 状态 从 草稿 改为 报名中" in text["contest"]
    assert "同分排序规则" in text["contest"] and "理论成绩、模块得分（从第一个模块起）" in text["contest"]
    assert "牵头单位：示例省总工会" in text["contest"] and "联合主办单位" in text["contest"]
    assert "开放了报名" in text["stage"] and "抽取了加密号并封存" in text["stage"] and "复核通过" in text["stage"]
    assert "前列名次" in text["stage"]
    raw = [
        "lead_org",
        "tie_breaks",
        "modules_reverse",
        "contest.",
        "stage.",
        "recheck.",
        "_id",
        w.stage.sealed_digest or "?",
        "abc",
        "status",
    ]
    for k, t in text.items():
        for word in raw:
            assert word not in t, (k, word)


def test_workers_and_outsiders_see_no_officer_or_judge_tools(client, entered, users):
    w, _workers, _organiser = entered
    list_url, detail_url = reverse("contests:list"), reverse("contests:detail", args=[w.contest.pk])
    judge_home, export = reverse("contests:judge_home"), reverse("contests:export")
    for who in (users.worker, users.nobody):
        client.force_login(who)
        for url in (list_url, detail_url):
            html = client.get(url).content.decode()
            assert export not in html and judge_home not in html and 'data-testid="create"' not in html, url
            assert (
                'data-testid="setup-links"' not in html
                and f'href="{reverse("contests:stage", args=[w.stage.pk])}"' not in html
            )
        refused = client.get(export)
        assert refused.status_code == 403 and 'data-testid="error-403"' in refused.content.decode()
    # Officers get the export; judges get their marking page from the navigation, once.
    client.force_login(w.officer)
    assert export in client.get(list_url).content.decode()
    assert client.get(export).status_code == 200
    client.force_login(w.judges[0])
    html = client.get(detail_url).content.decode()
    assert html.count(f'href="{judge_home}"') == 1
    # A judge works on the stage, but its registrations and exports are not theirs.
    html = client.get(reverse("contests:stage", args=[w.stage.pk])).content.decode()
    for name in ("registrations", "registrations_export", "checkin_export", "import", "quotas", "judges"):
        assert reverse(f"contests:{name}", args=[w.stage.pk]) not in html, name

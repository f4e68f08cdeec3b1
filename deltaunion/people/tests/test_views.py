"""The workers pages: scoping, 404s, masking, filters, paging and the Excel export."""

from __future__ import annotations

import re

import pytest

from deltaunion.core.permissions import can
from deltaunion.core.privacy import mask_id_number, mask_phone
from deltaunion.people.api import _out
from deltaunion.people.models import Ownership, Worker
from deltaunion.people.selectors import (
    PersonalData,
    WorkerFilters,
    worker_export_rows,
    worker_list,
    worker_personal_data,
)
from deltaunion.people.tests.factories import EmployerFactory, WorkerFactory
from deltaunion.people.tests.xlsx import read_xlsx


def _rows(response) -> int:
    return response.content.decode().count('data-testid="worker-row"')


def _page(client, user, **params):
    client.force_login(user)
    response = client.get("/people/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_is_sent_to_login(client, world):
    for url in ("/people/", f"/people/{world.hz_a.pk}/", "/people/export.xlsx", "/people/import/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=")


def test_hangzhou_officer_lists_only_hangzhou_workers(client, world):
    client.force_login(world.hz_officer)
    response = client.get("/people/")
    html = response.content.decode()
    assert _rows(response) == 3
    for name in ("王建国", "李秀英", "陈小明"):
        assert name in html
    assert "周苏州" not in html
    assert world.sz_a.id_number not in html


def test_other_provinces_worker_is_404_not_403(client, world):
    client.force_login(world.hz_officer)
    assert client.get(f"/people/{world.hz_a.pk}/").status_code == 200
    foreign = client.get(f"/people/{world.sz_a.pk}/")
    missing = client.get(f"/people/{world.sz_a.pk + 10_000}/")
    assert foreign.status_code == 404
    assert missing.status_code == 404
    assert "周苏州" not in foreign.content.decode()


def test_user_without_roles_sees_no_workers(client, world):
    client.force_login(world.nobody)
    response = client.get("/people/")
    assert response.status_code == 200
    assert _rows(response) == 0
    for w in (world.hz_a, world.sz_a, world.hz_self):
        assert client.get(f"/people/{w.pk}/").status_code == 404
    # The export is an officers' tool: refused with the reason.
    export = client.get("/people/export.xlsx")
    assert export.status_code == 403
    assert "职工名册导出仅供其所在工会的干部使用" in export.content.decode()


def test_officer_sees_full_personal_data(client, world):
    html = _page(client, world.hz_officer)
    assert world.hz_a.id_number in html
    assert world.hz_a.phone in html
    detail = client.get(f"/people/{world.hz_a.pk}/").content.decode()
    assert world.hz_a.id_number in detail
    assert mask_id_number(world.hz_a.id_number) not in detail


def test_worker_sees_own_record_unmasked_and_nobody_elses(client, world):
    html = _page(client, world.worker)
    assert html.count('data-testid="worker-row"') == 1
    assert world.hz_self.id_number in html
    detail = client.get(f"/people/{world.hz_self.pk}/")
    assert detail.status_code == 200
    assert world.hz_self.id_number in detail.content.decode()
    assert world.hz_self.phone in detail.content.decode()
    assert client.get(f"/people/{world.hz_a.pk}/").status_code == 404


@pytest.mark.parametrize("viewer", ["zj_judge", "worker", "nobody", "sz_officer"])
def test_personal_data_is_masked_for_those_whose_role_does_not_need_it(world, viewer):
    user = getattr(world, viewer)
    for w in (world.hz_a, world.hz_b):
        data = worker_personal_data(w, user)
        assert data == PersonalData(id_number=mask_id_number(w.id_number), phone=mask_phone(w.phone), masked=True)
        assert w.id_number[6:14] not in data.id_number  # the birth date is hidden
        assert not can(user, "people.see_personal_data", w)
        out = _out(w, user)  # what the JSON API would send
        assert out["masked"] is True
        assert out["id_number"] == mask_id_number(w.id_number)
        assert out["phone"] == mask_phone(w.phone)
        assert out["birth_date"] is None  # it is in the masked part of the ID number
        export = next(worker_export_rows(Worker.objects.filter(pk=w.pk), user))  # what the export would write
        assert (export[1], export[4]) == (mask_id_number(w.id_number), mask_phone(w.phone))


@pytest.mark.parametrize("viewer", ["hz_officer", "zj_admin", "superuser"])
def test_personal_data_is_full_for_officers_of_the_workers_org(world, viewer):
    data = worker_personal_data(world.hz_a, getattr(world, viewer))
    assert data == PersonalData(id_number=world.hz_a.id_number, phone=world.hz_a.phone, masked=False)
    assert _out(world.hz_a, getattr(world, viewer))["birth_date"] == world.hz_a.birth_date


def test_personal_data_is_full_for_the_worker_themself(world):
    data = worker_personal_data(world.hz_self, world.worker)
    assert data == PersonalData(id_number=world.hz_self.id_number, phone=world.hz_self.phone, masked=False)
    # Their own record only: a colleague's is masked (and not even visible to them).
    assert worker_personal_data(world.hz_a, world.worker).masked


def _names(client, user, **params):
    html = _page(client, user, **params)
    return set(re.findall(r'<a href="/people/\d+/">([^<]+)</a>', html))


def test_filters(client, world):
    EmployerFactory(name="杭州国有供水公司", organisation=world.hz_unit, ownership=Ownership.STATE)
    state_worker = WorkerFactory(
        name="国企职工", organisation=world.hz_unit, employer=world.hz_unit.employers.get(name="杭州国有供水公司")
    )
    hz = world.hz_officer
    assert _names(client, hz, ownership="state") == {state_worker.name}
    assert _names(client, hz, ownership="private") == {"王建国", "李秀英", "陈小明"}
    assert _names(client, hz, ownership="foreign") == set()  # the foreign-owned one is in Suzhou
    assert _names(client, world.superuser, ownership="foreign") == {"周苏州"}
    assert _names(client, hz, skill_level="3") == {"王建国"}
    assert _names(client, hz, skill_level="4") == {"李秀英"}
    assert _names(client, hz, is_member="0") == {"李秀英"}
    assert _names(client, hz, is_member="1") == {"王建国", "陈小明", state_worker.name}
    assert _names(client, hz, q="建国") == {"王建国"}
    assert _names(client, hz, q="供水") == {state_worker.name}  # by employer
    assert _names(client, hz, organisation=str(world.sz_unit.pk)) == set()  # not theirs: nothing


def test_search_by_id_number_needs_the_full_number(client, world):
    number = world.hz_a.id_number
    hz = world.hz_officer
    assert _names(client, hz, q=number) == {"王建国"}
    assert _names(client, hz, q=number.lower()) == {"王建国"}
    assert _names(client, hz, q=number[:17]) == set()
    assert _names(client, hz, q=number[:6]) == set()
    assert _names(client, hz, q=number[6:14]) == set()  # the birth date
    assert _names(client, hz, q=number[-4:]) == set()
    # A full number from another province finds nothing either.
    assert _names(client, hz, q=world.sz_a.id_number) == set()


def test_paging(client, world):
    WorkerFactory.create_batch(25, organisation=world.hz_unit)
    client.force_login(world.hz_officer)
    first = client.get("/people/")
    second = client.get("/people/", {"page": 2})
    assert _rows(first) == 20
    assert _rows(second) == 28 - 20
    assert "page=2" in first.content.decode()
    # Out-of-range page numbers fall back to the last page rather than erroring.
    assert _rows(client.get("/people/", {"page": 99})) == 8
    assert _rows(client.get("/people/", {"page": "x"})) == 20


def test_selector_filters_from_params_ignore_junk():
    f = WorkerFilters.from_params({"ownership": "nope", "skill_level": "9", "is_member": "maybe", "q": " 张 "})
    assert f == WorkerFilters(q="张")


def test_export_is_scoped_and_filtered(client, world):
    client.force_login(world.hz_officer)
    response = client.get("/people/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    table = read_xlsx(response.content)
    header, rows = table[0], table[1:]
    assert len(header) == 12
    assert sorted(r[0] for r in rows) == sorted(["王建国", "李秀英", "陈小明"])
    assert {r[1] for r in rows} == {world.hz_a.id_number, world.hz_b.id_number, world.hz_self.id_number}
    assert all(r[5] == "杭州测试机械有限公司工会" for r in rows)

    filtered = read_xlsx(client.get("/people/export.xlsx", {"skill_level": "3"}).content)
    assert [r[0] for r in filtered[1:]] == ["王建国"]

    client.force_login(world.sz_officer)
    assert [r[0] for r in read_xlsx(client.get("/people/export.xlsx").content)[1:]] == ["周苏州"]


def test_worker_list_selector_matches_the_page(world):
    assert set(worker_list(user=world.hz_officer)) == {world.hz_a, world.hz_b, world.hz_self}
    assert set(worker_list(user=world.hz_officer, filters=WorkerFilters(is_member=False))) == {world.hz_b}


# --- officers' tools and what a worker sees -------------------------------------------------------


def test_an_officer_has_the_officers_tools(client, world):
    html = _page(client, world.hz_officer)
    assert 'data-testid="export"' in html and 'data-testid="import"' in html and 'data-testid="filters"' in html
    assert "API 令牌" in html  # the header's user menu


def test_a_worker_sees_their_own_record_and_no_officers_tool(client, world):
    html = _page(client, world.worker)
    assert _names(client, world.worker) == {"陈小明"}
    for tool in ('data-testid="export"', 'data-testid="import"', 'data-testid="filters"', "/people/import/"):
        assert tool not in html, tool
    assert "API 令牌" not in html and "/accounts/tokens/" not in html
    assert "批量导入" not in html  # not even in a hint
    detail = client.get(f"/people/{world.hz_self.pk}/").content.decode()
    assert world.hz_self.id_number in detail
    assert "API 令牌" not in detail
    assert 'id="history"' not in detail  # the change history is the officers'
    # The tools themselves refuse them, with the reason.
    for url in ("/people/export.xlsx", "/people/import/", "/accounts/tokens/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert 'data-testid="error-403"' in response.content.decode()


def test_worker_page_history_reads_as_sentences(client, world):
    from deltaunion.people.services import worker_update

    other = world.hz_unit.employers.create(name="杭州另一家公司", ownership=Ownership.STATE)
    worker_update(worker=world.hz_a, by=world.hz_officer, employer=other, is_member=False, trade="焊工")
    client.force_login(world.hz_officer)
    html = client.get(f"/people/{world.hz_a.pk}/").content.decode()
    history = html[html.index('id="history"') :]
    assert "修改了职工信息" in history
    assert "把 用人单位 从 杭州测试机械有限公司 改为 杭州另一家公司" in history
    assert "把 工会会员 从 是 改为 否" in history
    assert "把 工种 从 电工 改为 焊工" in history
    assert "employer" not in history and "worker.update" not in history and "is_member" not in history

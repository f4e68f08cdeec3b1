"""The organisation tree's regions come from the table of divisions (`core.divisions`): every
current division of the four provinces, each with its union federation, loaded in bulk."""

from __future__ import annotations

import datetime as dt

import pytest

from deltaunion.accounts.tests.factories import UserFactory
from deltaunion.core import divisions
from deltaunion.core.idnumber import make_id_number
from deltaunion.core.registry import DemoContext
from deltaunion.orgs import demo
from deltaunion.orgs.models import PATH_STEP, Organisation, Region, Role
from deltaunion.orgs.services import org_role_grant
from deltaunion.people.models import Worker
from deltaunion.people.services import workers_import
from deltaunion.people.tests.xlsx import make_xlsx

pytestmark = pytest.mark.django_db
K = Organisation.Kind


def _load() -> dict[str, Organisation]:
    return demo.load(DemoContext())


def test_every_division_of_the_four_provinces_has_its_region_and_federation(django_assert_max_num_queries):
    # Bulk: fewer statements than there are divisions (the alliances take most of them).
    with django_assert_max_num_queries(len(divisions.current_divisions(["31", "32", "33", "34"]))):
        by_code = _load()
    table = divisions.current_divisions(["31", "32", "33", "34"])
    assert {r.code for r in Region.objects.all()} == {d.code for d in table}
    for d in table:
        org = by_code[d.code]
        assert org.region_id == d.code
        assert org.kind == {"province": K.PROVINCIAL, "prefecture": K.CITY, "county": K.DISTRICT}[d.level]
        region = Region.objects.get(code=d.code)
        assert (region.name, region.parent_id) == (d.name, d.parent_code)
        if d.level != "province":
            assert org.parent == by_code[d.parent_code]
            assert org.source == divisions.SOURCE
    counties = Region.objects.filter(level=Region.Level.COUNTY)
    assert {p: counties.filter(code__startswith=p).count() for p in ("31", "32", "33", "34")} == {
        "31": 16,
        "32": 95,
        "33": 90,
        "34": 104,
    }
    # Hangzhou has all its districts and counties (today's, with 临平区 and 钱塘区 of 2021),
    # Suzhou more than 吴江区 and 昆山市.
    hangzhou = Organisation.objects.filter(parent=by_code["330100"])
    assert hangzhou.count() == 13
    assert {"杭州市西湖区总工会", "杭州市临平区总工会", "杭州市钱塘区总工会", "淳安县总工会", "建德市总工会"} <= set(
        hangzhou.values_list("name", flat=True)
    )
    assert not Region.objects.filter(code__in=["330103", "330104"]).exists()  # abolished in 2021
    suzhou = set(Organisation.objects.filter(parent=by_code["320500"]).values_list("name", flat=True))
    assert len(suzhou) == 9 and {"苏州市姑苏区总工会", "苏州市吴江区总工会", "昆山市总工会", "常熟市总工会"} <= suzhou
    assert by_code["310101"].name == "上海市黄浦区总工会" and by_code["310101"].parent == by_code["310000"]
    # Paths as the service computes them: parent's path + own zero-padded id.
    for org in Organisation.objects.select_related("parent"):
        expected = (org.parent.path if org.parent else "") + f"{org.pk:0{PATH_STEP}d}"
        assert (org.path, org.depth) == (expected, (org.parent.depth + 1) if org.parent else 0)


def test_loading_twice_adds_nothing_and_keeps_the_tree():
    _load()
    before = (Region.objects.count(), Organisation.objects.count(), sorted(Organisation.objects.values_list("path")))
    again = _load()
    assert (Region.objects.count(), Organisation.objects.count()) == before[:2]
    assert sorted(Organisation.objects.values_list("path")) == before[2]
    assert again["330113"].name == "杭州市临平区总工会"


def test_a_region_renamed_in_the_table_is_updated():
    _load()
    Region.objects.filter(code="330113").update(name="旧名", parent_id="330000")
    _load()
    region = Region.objects.get(code="330113")
    assert (region.name, region.parent_id) == ("临平区", "330100")


def test_an_import_into_linping_works_without_a_warning():
    by_code = _load()
    linping = by_code["330113"]
    officer = UserFactory()
    org_role_grant(user=officer, organisation=linping, role=Role.OFFICER, by=None)
    rows = [
        {
            "姓名": "临平职工",
            "身份证号": make_id_number("330113", dt.date(1990, 4, 1), 11),
            "用人单位": "临平测试制造有限公司",
            "所有制类型": "非公",
        },
        {
            "姓名": "钱塘职工",
            "身份证号": make_id_number("330114", dt.date(1992, 4, 1), 22),
            "用人单位": "临平测试制造有限公司",
        },
    ]
    result = workers_import(data=make_xlsx(rows), organisation=linping, by=officer)
    assert result.ok, result.errors
    assert result.created == 2 and result.warnings == []
    assert set(Worker.objects.filter(organisation=linping).values_list("name", flat=True)) == {"临平职工", "钱塘职工"}

"""The real demo data (`manage.py load_demo`): the seeds' facts, the divisions, idempotence, the demo logins."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from deltaunion.accounts.demo import ACCOUNTS
from deltaunion.accounts.models import User
from deltaunion.core.permissions import can
from deltaunion.orgs.models import Alliance, Organisation, OrgRole, Region
from deltaunion.people.models import Employer, SkillLevelRecord, Worker
from deltaunion.workplans.models import JointMeeting, KeyTask, WorkPlan

pytestmark = pytest.mark.usefixtures("demo_data", "db")

PREFECTURES = {
    "32": "南京市 无锡市 徐州市 常州市 苏州市 南通市 连云港市 淮安市 盐城市 扬州市 镇江市 泰州市 宿迁市",
    "33": "杭州市 宁波市 温州市 嘉兴市 湖州市 绍兴市 金华市 衢州市 舟山市 台州市 丽水市",
    "34": "合肥市 芜湖市 蚌埠市 淮南市 马鞍山市 淮北市 铜陵市 安庆市 黄山市 滁州市 阜阳市 宿州市 六安市 亳州市 池州市 宣城市",
}
SHANGHAI_DISTRICTS = (
    "黄浦区 徐汇区 长宁区 静安区 普陀区 虹口区 杨浦区 闵行区 宝山区 嘉定区 浦东新区 金山区 松江区 青浦区 奉贤区 崇明区"
)


def _api(client, year: int):
    response = client.get("/api/workplans", {"year": year})
    assert response.status_code == 200
    return response.json()


def test_2023_has_sixteen_contests_in_three_tiers(client):
    plans = _api(client, 2023)
    assert plans and all(p["year"] == 2023 for p in plans)
    contests = [t for p in plans for t in p["tasks"] if t["kind"] == "contest"]
    assert len(contests) == 16
    assert Counter(t["tier"] for t in contests) == {"led": 4, "co_organised": 5, "guided": 7}
    led = [t for t in contests if t["tier"] == "led"]
    assert sorted(t["lead"]["organisation"] for t in led) == sorted(
        ["上海市总工会", "江苏省总工会", "浙江省总工会", "安徽省总工会"]
    )
    # The same through the kind filter of the API.
    filtered = [t for p in client.get("/api/workplans", {"year": 2023, "kind": "contest"}).json() for t in p["tasks"]]
    assert len(filtered) == 16


def test_2023_plans_are_the_four_of_the_authoritative_reading(client):
    plans = _api(client, 2023)
    assert len(plans) == 4
    assert plans[0]["title"].startswith("16项劳动和技能竞赛")


def test_2021_plan_has_seven_plus_nine_tasks(client):
    plans = _api(client, 2021)
    assert len(plans) == 1
    tasks = plans[0]["tasks"]
    assert len(tasks) == 7 + 9
    assert Counter(t["tier"] for t in tasks) == {"": 7, "guided": 9}
    assert {t["lead"]["label"] for t in tasks[:7]} == {"三省一市总工会（共同推进）"}
    assert all(t["kind"] == "contest" for t in tasks if t["tier"] == "guided")
    assert plans[0]["meeting_date"] == "2021-04-01"


def test_2022_meeting_was_on_9_september(client):
    meetings = client.get("/api/workplans/meetings").json()
    m2022 = [m for m in meetings if m["year"] == 2022]
    assert [m["held_on"] for m in m2022] == ["2022-09-09"]
    assert JointMeeting.objects.get(year=2022).held_on == dt.date(2022, 9, 9)
    assert m2022[0]["plan_count"] == WorkPlan.objects.filter(year=2022).count() == 5


def test_default_year_is_the_latest(client):
    assert {p["year"] for p in client.get("/api/workplans").json()} == {2023}


def test_load_demo_is_idempotent():
    def counts():
        return {
            model.__name__: model.objects.count()
            for model in (Organisation, Region, Alliance, Worker, Employer, SkillLevelRecord, KeyTask, WorkPlan, User)
        }

    before = counts()
    assert before["Worker"] > 0 and before["KeyTask"] > 0
    call_command("load_demo", quiet=True)
    assert counts() == before


def test_load_demo_keeps_a_status_changed_by_users():
    task = KeyTask.objects.filter(plan__year=2023).first()
    KeyTask.objects.filter(pk=task.pk).update(status=KeyTask.Status.CANCELLED)
    call_command("load_demo", quiet=True)
    assert KeyTask.objects.get(pk=task.pk).status == KeyTask.Status.CANCELLED


def test_demo_people_and_employers_are_marked_demo():
    assert Worker.objects.count() >= 100
    assert not Worker.objects.filter(is_demo=False).exists()
    assert not Employer.objects.filter(is_demo=False).exists()
    assert all("演示" in e.name for e in Employer.objects.all())
    assert not User.objects.filter(is_demo=False).exists()


def test_demo_id_numbers_are_valid_and_match_birth_and_sex():
    from deltaunion.core.idnumber import parse_id_number

    for w in Worker.objects.all():
        info = parse_id_number(w.id_number)
        assert (info.birth_date, info.sex) == (w.birth_date, w.sex), w.id_number


@pytest.mark.parametrize("province", ["32", "33", "34"])
def test_every_prefecture_level_city_exists_with_its_federation(province):
    expected = set(PREFECTURES[province].split())
    regions = Region.objects.filter(level=Region.Level.PREFECTURE, code__startswith=province)
    assert set(regions.values_list("name", flat=True)) == expected
    assert regions.count() == {"32": 13, "33": 11, "34": 16}[province]
    for region in regions:
        assert region.parent_id == province + "0000"
        org = Organisation.objects.get(region=region, kind=Organisation.Kind.CITY)
        assert org.name == f"{region.name}总工会"
        assert org.parent.region_id == province + "0000"


def test_every_shanghai_district_exists_with_its_federation():
    regions = Region.objects.filter(parent_id="310000")
    assert set(regions.values_list("name", flat=True)) == set(SHANGHAI_DISTRICTS.split())
    assert regions.count() == 16
    for region in regions:
        org = Organisation.objects.get(region=region, kind=Organisation.Kind.DISTRICT)
        assert org.parent.name == "上海市总工会"


def test_well_known_division_codes():
    known = {"320500": "苏州市", "330100": "杭州市", "340100": "合肥市", "310115": "浦东新区", "320509": "吴江区"}
    for code, name in known.items():
        assert Region.objects.get(code=code).name == name


@pytest.mark.parametrize(
    ("slug", "size", "some_members"),
    [
        ("g60", 9, {"上海市松江区总工会", "嘉兴市总工会", "杭州市总工会", "合肥市总工会", "宣城市总工会"}),
        ("5plus10", 15, {"无锡市总工会", "常州市总工会", "苏州市总工会", "湖州市总工会", "嘉兴市总工会"}),
        ("demo-zone", 3, {"上海市青浦区总工会"}),
        ("dianshan-lake", 4, {"上海市青浦区总工会"}),
    ],
)
def test_alliances(client, slug, size, some_members):
    alliance = Alliance.objects.get(slug=slug)
    names = set(alliance.members.values_list("name", flat=True))
    assert len(names) == size
    assert some_members <= names
    by_api = {a["slug"]: a for a in client.get("/api/orgs/alliances").json()}
    assert len(by_api[slug]["members"]) == size


def test_the_tree_is_consistent():
    acftu = Organisation.objects.get(parent=None)
    assert acftu.name == "中华全国总工会"
    assert Organisation.objects.filter(parent=None).count() == 1
    for org in Organisation.objects.select_related("parent"):
        if org.parent:
            assert org.path.startswith(org.parent.path) and org.depth == org.parent.depth + 1


def test_demo_logins_have_their_roles():
    from deltaunion.orgs.scoping import scope_for, scoped

    hz = User.objects.get(username="hz_officer")
    sz = User.objects.get(username="sz_officer")
    hz_workers = scoped(Worker.objects.all(), hz)
    assert hz_workers.exists()
    assert all(w.organisation.path.startswith(Organisation.objects.get(name="杭州市总工会").path) for w in hz_workers)
    assert not hz_workers.filter(pk__in=scoped(Worker.objects.all(), sz)).exists()
    worker_login = User.objects.get(username="worker")
    assert list(scoped(Worker.objects.all(), worker_login)) == [worker_login.worker]
    assert scope_for(User.objects.get(username="admin")).is_superuser


# --- the demo logins (accounts): what each one holds and sees ----------------------------------------


def test_every_demo_login_exists_marked_demo():
    for username, full_name, description, _roles, superuser in ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.is_demo and "演示" in user.full_name, username
        assert user.full_name == full_name or username == "worker"  # the worker login takes their record's name
        assert user.is_superuser == superuser
        assert description


def test_the_organiser_holds_no_organisation_role_and_sees_no_personal_data():
    organiser = User.objects.get(username="organiser")
    assert organiser.full_name == "竞赛组织者（演示）"
    assert not OrgRole.objects.filter(user=organiser).exists()
    assert not hasattr(organiser, "worker") or Worker.objects.filter(user=organiser).count() == 0
    assert not can(organiser, "people.view_worker_list")
    assert not can(organiser, "accounts.use_api_tokens")
    some_worker = Worker.objects.first()
    assert not can(organiser, "people.see_personal_data", some_worker)


def test_the_worker_login_sees_their_record_and_no_officers_tool(client):
    login = User.objects.get(username="worker")
    record = Worker.objects.get(user=login)
    assert "演示" in login.full_name and record.name in login.full_name
    client.force_login(login)
    html = client.get("/people/").content.decode()
    assert html.count('data-testid="worker-row"') == 1 and record.id_number in html
    for tool in ("API 令牌", "/accounts/tokens/", 'data-testid="export"', "/people/import/", "批量导入"):
        assert tool not in html, tool
    detail = client.get(f"/people/{record.pk}/").content.decode()
    assert record.id_number in detail and record.phone in detail
    assert client.get("/accounts/tokens/").status_code == 403
    other = Worker.objects.exclude(pk=record.pk).filter(organisation=record.organisation).first()
    assert client.get(f"/people/{other.pk}/").status_code == 404


def test_an_officer_login_has_the_tools(client):
    client.force_login(User.objects.get(username="hz_officer"))
    html = client.get("/people/").content.decode()
    assert "API 令牌" in html and 'data-testid="export"' in html and "/people/import/" in html

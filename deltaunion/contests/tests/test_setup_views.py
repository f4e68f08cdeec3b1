"""The officers' and team leaders' set-up pages (views_setup.py): each page opens for those
allowed; the contest here is public, so anyone else gets a 403 with the permission's message
(a draft contest's pages are a 404 for them: tests/test_404_matrix.py). A good POST changes the
database; a bad one shows the message (Chinese by default, English when chosen) and changes
nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from deltaunion.contests import services
from deltaunion.contests.models import (
    Appeal,
    Aspect,
    Contest,
    ContestRole,
    JudgeAssignment,
    Module,
    PrizeTier,
    PromotionRule,
    Qualification,
    Quota,
    Registration,
    Stage,
    TitleRule,
    Trade,
    Venue,
)
from deltaunion.orgs.models import Organisation
from deltaunion.workplans.tests.factories import KeyTaskFactory

from .factories import (
    OrganisationFactory,
    UserFactory,
    build_world,
    mark_everything,
    officer_for,
    register_and_draw,
    sign_off_all,
)

pytestmark = pytest.mark.django_db


def _public(w):
    services.contest_update(contest=w.contest, status=Contest.Status.OPEN, by=w.officer)
    w.contest.refresh_from_db()
    return w


@pytest.fixture
def w():
    return _public(build_world())


@pytest.fixture
def outsiders(w, users):
    """`nobody` (signed in, no role at all) and an officer of an unrelated province."""
    other = OrganisationFactory(name="另一省总工会", kind=Organisation.Kind.PROVINCIAL)
    return [users.nobody, officer_for(other)]


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _all_refused(client, users, urls, method="get", data=None):
    """Each user may see the (public) contest but not do this: 403 with a message, nothing done."""
    for user in users:
        client.force_login(user)
        for url in urls:
            response = getattr(client, method)(url, data or {})
            assert response.status_code == 403, (user, url)
            assert 'data-testid="error-403"' in response.content.decode(), (user, url)


def _contest_post(w, **overrides):
    data = {
        "title": "长三角电工职业技能竞赛",
        "format": "judged_skill",
        "level": "region",
        "status": "open",
        "lead_org": w.province.pk,
        "co_organisers": [w.cities[1].pk],
        "trades": "电工 6-31-01-03\n工业机器人系统运维员",
        "skill_level": "3",
        "starts_on": "2024-05-01",
        "ends_on": "2024-05-03",
        "entry_kind": "individual",
        "team_size_min": "1",
        "team_size_max": "1",
        "members_only": "on",
        "min_age": "18",
        "max_age": "55",
        "level_highest": "2",
        "level_lowest": "5",
        "region_prefixes": "31, 32 3305",
        "theory_weight": "40",
        "practical_weight": "60",
        "tie_break_1": "theory",
        "tie_break_2": "modules_reverse",
        "tie_break_3": "",
        "judges_min": "3",
        "appeal_window_minutes": "90",
        "notice_days": "5",
        "recheck_top": "10",
        "recheck_share": "15",
        "recheck_error_limit": "5",
    }
    data.update(overrides)
    return data


def _final(w):
    """Reveal and finalise w's stage (prize tiers as in test_views)."""
    register_and_draw(w, 4)
    mark_everything(w)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    recheck = services.recheck_start(stage=w.stage, by=w.chief, seed="s")
    for item in recheck.items.all():
        services.recheck_item_record(item=item, error_found=False, by=w.chief)
    services.recheck_complete(recheck=recheck, by=w.chief)
    rs = services.result_set_publish(stage=w.stage, by=w.officer)
    services.result_set_finalise(result_set=rs, by=w.officer, now=rs.notice_until + dt.timedelta(seconds=1))
    w.stage.refresh_from_db()


# --- create and edit a contest ---------------------------------------------------------------


def test_create_contest_page(client, w, outsiders):
    url = reverse("contests:create")
    _all_refused(client, [outsiders[0]], [url])  # nobody manages anything
    client.force_login(w.officer)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert w.province.name in html and 'name="theory_weight"' in html and 'value="30"' in html
    # The list page links here for officers only.
    assert 'data-testid="create"' in client.get(reverse("contests:list")).content.decode()

    before = Contest.objects.count()
    response = client.post(url, _contest_post(w))
    assert response.status_code == 302
    contest = Contest.objects.latest("id")
    assert Contest.objects.count() == before + 1
    assert response["Location"] == reverse("contests:detail", args=[contest.pk])
    assert contest.lead_org == w.province and contest.status == Contest.Status.DRAFT
    assert list(contest.co_organisers.all()) == [w.cities[1]]
    assert sorted(contest.trades.values_list("name", "occupation_code")) == [
        ("工业机器人系统运维员", ""),
        ("电工", "6-31-01-03"),
    ]
    assert contest.theory_weight == Decimal("0.400") and contest.practical_weight == Decimal("0.600")
    assert contest.tie_breaks == ["theory", "modules_reverse"]
    assert contest.region_prefixes == ["31", "32", "3305"]
    assert (contest.min_age, contest.max_age, contest.level_highest, contest.level_lowest) == (18, 55, 2, 5)
    assert contest.appeal_window_minutes == 90 and contest.notice_days == 5


def test_create_contest_bad_input_changes_nothing(client, w):
    client.force_login(w.officer)
    before, trades = Contest.objects.count(), Trade.objects.count()
    # Weights that do not add up: the service's message, in Chinese; no contest, no new trade.
    response = client.post(reverse("contests:create"), _contest_post(w, theory_weight="40", practical_weight="70"))
    assert response.status_code == 200
    assert "理论与实操权重之和须为 100%" in _messages(response)
    assert Contest.objects.count() == before and Trade.objects.count() == trades
    # Out of range: the form refuses it before the service.
    response = client.post(reverse("contests:create"), _contest_post(w, theory_weight="120"))
    assert response.status_code == 200 and response.context["form"].errors["theory_weight"]
    assert "is-invalid" in response.content.decode()
    assert Contest.objects.count() == before
    # A lead organisation the officer does not manage is not a choice.
    other = OrganisationFactory(name="别省总工会", kind=Organisation.Kind.PROVINCIAL)
    response = client.post(reverse("contests:create"), _contest_post(w, lead_org=other.pk))
    assert response.status_code == 200 and "lead_org" in response.context["form"].errors
    assert Contest.objects.count() == before
    # In English when the user chose English.
    _english(client)
    response = client.post(reverse("contests:create"), _contest_post(w, theory_weight="50", practical_weight="60"))
    assert "The theory and practical weights must add up to 100%" in _messages(response)
    assert Contest.objects.count() == before


def test_create_contest_from_a_key_task(client, w):
    task = KeyTaskFactory(title="长三角地区工业机器人技能竞赛", lead_org=w.province)
    client.force_login(w.officer)
    url = reverse("contests:create") + f"?key_task={task.pk}"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["key_task"] == task.pk and form.initial["title"] == task.title
    assert form.initial["lead_org"] == w.province.pk
    assert 'data-testid="from-key-task"' in page.content.decode()
    response = client.post(url, _contest_post(w, key_task=task.pk, title=task.title))
    assert response.status_code == 302
    contest = Contest.objects.latest("id")
    assert contest.key_task == task and contest.plan_tier == task.tier


def test_edit_contest_page(client, w, outsiders):
    url = reverse("contests:edit", args=[w.contest.pk])
    _all_refused(client, outsiders, [url])
    _all_refused(client, outsiders, [url], method="post", data=_contest_post(w))
    # A judge of the contest sees the contest but may not set it up.
    _all_refused(client, [w.judges[0]], [url])
    client.force_login(w.officer)
    page = client.get(url)
    assert page.status_code == 200 and w.contest.title in page.content.decode()
    assert page.context["form"].initial["theory_weight"] == Decimal("30")
    detail = client.get(reverse("contests:detail", args=[w.contest.pk])).content.decode()
    assert 'data-testid="setup-links"' in detail
    response = client.post(url, _contest_post(w, title="改名后的竞赛", trades="钳工 6-18-01-01"))
    assert response.status_code == 302
    w.contest.refresh_from_db()
    assert w.contest.title == "改名后的竞赛" and w.contest.status == Contest.Status.OPEN
    assert list(w.contest.trades.values_list("name", flat=True)) == ["钳工"]
    assert list(w.contest.co_organisers.all()) == [w.cities[1]]
    # The detail page of an outsider shows no set-up links.
    client.force_login(outsiders[0])
    detail = client.get(reverse("contests:detail", args=[w.contest.pk])).content.decode()
    assert 'data-testid="setup-links"' not in detail


def test_edit_contest_bad_input_changes_nothing(client, w):
    register_and_draw(w, 1)
    w.contest.refresh_from_db()  # under way since the draw: running
    client.force_login(w.officer)
    url = reverse("contests:edit", args=[w.contest.pk])
    status = w.contest.status
    response = client.post(url, _contest_post(w, title="不该保存", level_highest="5", level_lowest="1", status=status))
    assert response.status_code == 200
    assert "技能等级范围颠倒（一级为最高）" in _messages(response)
    w.contest.refresh_from_db()
    assert w.contest.title == "工业机器人技能竞赛" and w.contest.level_highest is None
    assert not w.contest.trades.exists()
    # Competitors have entered: the format is fixed.
    _english(client)
    response = client.post(url, _contest_post(w, title="不该保存", format="quiz", status=status))
    assert "The format cannot change once competitors have entered" in _messages(response)
    w.contest.refresh_from_db()
    assert w.contest.format == "judged_skill" and w.contest.title == "工业机器人技能竞赛"


def test_add_venue(client, w, outsiders):
    url = reverse("contests:venue_add", args=[w.contest.pk])
    _all_refused(client, outsiders, [url], method="post", data={"name": "杭州赛点"})
    client.force_login(w.officer)
    response = client.post(url, {"name": "杭州赛点", "address": "杭州市滨江区", "region": "320500"})
    assert response.status_code == 302
    venue = Venue.objects.get(contest=w.contest)
    assert venue.name == "杭州赛点" and venue.region_id == "320500"
    client.get(reverse("contests:edit", args=[w.contest.pk]))  # shows (and clears) the success message
    response = client.post(url, {"name": "杭州赛点"}, follow=True)
    assert Venue.objects.filter(contest=w.contest).count() == 1
    assert _messages(response) == ["本竞赛已有同名赛区"]
    response = client.post(url, {"name": "无效区划", "region": "999999"}, follow=True)
    assert Venue.objects.filter(contest=w.contest).count() == 1 and len(_messages(response)) == 1


# --- stages -------------------------------------------------------------------------------------


def test_add_stage_page(client, w, outsiders):
    url = reverse("contests:stage_add", args=[w.contest.pk])
    _all_refused(client, outsiders, [url])
    client.force_login(w.officer)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "长三角总决赛",
            "level": "region",
            "starts_at": "2024-11-08T09:00",
            "ends_at": "2024-11-08T17:00",
            "theory_max": "100",
        },
    )
    stage = Stage.objects.get(contest=w.contest, name="长三角总决赛")
    assert response.status_code == 302 and response["Location"] == reverse("contests:stage", args=[stage.pk])
    assert stage.order == 2 and stage.ends_at - stage.starts_at == dt.timedelta(hours=8)
    # Ends before it starts: the service refuses, nothing is added.
    response = client.post(
        url,
        {
            "name": "倒置",
            "level": "city",
            "starts_at": "2024-11-08T17:00",
            "ends_at": "2024-11-08T09:00",
            "theory_max": "100",
        },
    )
    assert response.status_code == 200 and "赛段结束时间不能早于开始时间" in _messages(response)
    assert not Stage.objects.filter(name="倒置").exists()


def test_stage_hub_links_and_status_form(client, w):
    client.force_login(w.officer)
    html = client.get(reverse("contests:stage", args=[w.stage.pk])).content.decode()
    for name in ("quotas", "judges", "theory"):
        assert reverse(f"contests:{name}", args=[w.stage.pk]) in html
    assert 'name="status"' in html and 'value="marking"' not in html
    response = client.post(
        reverse("contests:stage_action", args=[w.stage.pk]), {"action": "status", "status": "checkin"}
    )
    assert response.status_code == 302
    w.stage.refresh_from_db()
    assert w.stage.status == Stage.Status.CHECKIN


# --- marking scheme ----------------------------------------------------------------------------------


def test_scheme_add_module_and_aspects(client, w, outsiders):
    module_url = reverse("contests:module_add", args=[w.stage.pk])
    _all_refused(client, outsiders + [w.judges[0]], [module_url], method="post", data={"name": "调试"})
    client.force_login(w.officer)
    page = client.get(reverse("contests:scheme", args=[w.stage.pk])).content.decode()
    assert 'data-testid="aspect-form"' in page and 'data-testid="module-add"' in page
    response = client.post(module_url, {"name": "故障排除"})
    assert response.status_code == 302
    module = Module.objects.get(stage=w.stage, name="故障排除")
    assert module.order == 3
    url = reverse("contests:aspect_add", args=[module.pk])
    # Judgement with descriptors for 0–3.
    response = client.post(
        url,
        {
            "code": "C1",
            "description": "安全文明生产",
            "kind": "judgement",
            "max_mark": "12",
            **{f"descriptor_{i}": f"描述{i}" for i in range(4)},
        },
    )
    assert response.status_code == 302
    c1 = Aspect.objects.get(module=module, code="C1")
    assert c1.kind == "judgement" and c1.descriptors == ["描述0", "描述1", "描述2", "描述3"]
    # Measurement with tolerance bands.
    response = client.post(
        url,
        {
            "code": "C2",
            "kind": "measurement",
            "max_mark": "10",
            "target": "25.00",
            "tolerance_1": "0.02",
            "share_1": "1",
            "tolerance_2": "0.05",
            "share_2": "0.5",
        },
    )
    assert response.status_code == 302
    assert Aspect.objects.get(module=module, code="C2").bands == [
        {"tolerance": "0.02", "share": "1"},
        {"tolerance": "0.05", "share": "0.5"},
    ]
    # A band with a share above 1: refused, the form comes back filled in, nothing added.
    response = client.post(
        url, {"code": "C3", "kind": "measurement", "max_mark": "5", "target": "1", "tolerance_1": "0.1", "share_1": "2"}
    )
    assert response.status_code == 200
    assert "每个公差档须有不小于 0 的公差和 0 至 1 之间的比例" in _messages(response)
    assert 'value="C3"' in response.content.decode()
    # Only some descriptors: refused.
    _english(client)
    response = client.post(url, {"code": "C4", "kind": "judgement", "max_mark": "5", "descriptor_0": "差"})
    assert "A judgement aspect needs one descriptor for each score 0–3" in _messages(response)
    assert not Aspect.objects.filter(module=module, code__in=["C3", "C4"]).exists()


def test_scheme_is_locked_once_marks_are_entered(client, w):
    register_and_draw(w, 2)
    number = w.stage.secret_numbers.order_by("number").first().number
    services.mark_enter(aspect=w.aspects[0], number=number, value=20, by=w.judges[0])
    client.force_login(w.officer)
    page = client.get(reverse("contests:scheme", args=[w.stage.pk]))
    html = page.content.decode()
    assert reverse("contests:aspect_add", args=[w.modules[0].pk]) not in html
    assert reverse("contests:aspect_add", args=[w.modules[1].pk]) in html
    response = client.post(
        reverse("contests:aspect_add", args=[w.modules[0].pk]), {"code": "A9", "kind": "measurement", "max_mark": "5"}
    )
    assert response.status_code == 200
    assert "该模块已录入分数，评分细则不能修改" in _messages(response)
    assert not Aspect.objects.filter(code="A9").exists()


# --- quotas ---------------------------------------------------------------------------------------


def test_quotas_page(client, w, outsiders):
    url = reverse("contests:quotas", args=[w.stage.pk])
    _all_refused(client, outsiders, [url])
    _all_refused(client, outsiders, [url], method="post", data={"organisation": w.units[0].pk, "places": 3})
    client.force_login(w.officer)
    assert client.get(url).status_code == 200
    response = client.post(url, {"organisation": w.units[0].pk, "places": 2})
    assert response.status_code == 302
    quota = Quota.objects.get(stage=w.stage, organisation=w.units[0])
    assert quota.places == 2
    for _i in range(2):
        services.registration_create(stage=w.stage, worker=w.worker(0), organisation=w.units[0], by=w.officer)
    page = client.get(url).content.decode()
    assert 'data-testid="quota-row"' in page and 'min="2"' in page
    # Below the places already used: refused with the service's message, places unchanged.
    response = client.post(url, {"organisation": w.units[0].pk, "places": 1})
    assert response.status_code == 200
    assert any("名额不能少于此数" in m for m in _messages(response))
    quota.refresh_from_db()
    assert quota.places == 2 and quota.used == 2
    response = client.post(url, {"organisation": w.units[0].pk, "places": -1})
    assert response.status_code == 200 and response.context["form"].errors
    quota.refresh_from_db()
    assert quota.places == 2


# --- contest roles and judge assignments ------------------------------------------------------------


def test_roles_page_grant_and_revoke(client, w, outsiders):
    url = reverse("contests:roles", args=[w.contest.pk])
    arbiter_role = ContestRole.objects.get(contest=w.contest, user=w.arbiter)
    revoke_url = reverse("contests:role_revoke", args=[arbiter_role.pk])
    _all_refused(client, outsiders, [url])
    _all_refused(client, outsiders, [revoke_url], method="post")
    assert ContestRole.objects.filter(pk=arbiter_role.pk).exists()
    newcomer = UserFactory(username="zhang_judge", full_name="张裁判")
    client.force_login(w.officer)
    page = client.get(url, {"q": "张裁"})
    html = page.content.decode()
    assert page.status_code == 200 and "zhang_judge" in html and "confirm(" in html
    response = client.post(url + "?q=张裁", {"user": newcomer.pk, "role": "judge"})
    assert response.status_code == 302
    assert ContestRole.objects.filter(contest=w.contest, user=newcomer, role="judge").exists()
    # The same role twice: refused.
    response = client.post(url, {"user": newcomer.pk, "role": "judge"}, follow=True)
    assert "该用户已在本竞赛担任此角色" in _messages(response)
    assert ContestRole.objects.filter(contest=w.contest, user=newcomer).count() == 1
    # Revoke: the arbiter goes; a judge still on unsigned modules stays.
    assert client.post(revoke_url).status_code == 302
    assert not ContestRole.objects.filter(pk=arbiter_role.pk).exists()
    response = client.post(reverse("contests:role_revoke", args=[w.judge_roles[0].pk]), follow=True)
    assert "请先将该裁判从未签字确认的模块中移除" in _messages(response)
    assert ContestRole.objects.filter(pk=w.judge_roles[0].pk).exists()


def test_judges_page_assign_and_unassign(client, w, outsiders):
    url = reverse("contests:judges", args=[w.stage.pk])
    _all_refused(client, outsiders + [w.judges[0]], [url])
    newcomer = UserFactory()
    role = services.contest_role_grant(contest=w.contest, user=newcomer, role="judge", by=w.officer)
    client.force_login(w.officer)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="conflict-note"' in html and "confirm(" in html
    module = w.modules[0]
    response = client.post(url, {"module": module.pk, "judge": role.pk, "aspects": [w.aspects[1].pk]})
    assert response.status_code == 302
    assignment = JudgeAssignment.objects.get(module=module, judge=role)
    assert list(assignment.aspects.all()) == [w.aspects[1]]
    # An aspect of another module: refused, the assignment unchanged.
    response = client.post(url, {"module": module.pk, "judge": role.pk, "aspects": [w.aspects[2].pk]}, follow=True)
    assert _messages(response)
    assert list(assignment.aspects.all()) == [w.aspects[1]]
    unassign = reverse("contests:judge_unassign", args=[assignment.pk])
    _all_refused(client, outsiders, [unassign], method="post")
    client.force_login(w.officer)
    assert client.post(unassign).status_code == 302
    assert not JudgeAssignment.objects.filter(pk=assignment.pk).exists()


def test_judge_unassign_after_sign_off_is_refused(client, w):
    register_and_draw(w, 2)
    mark_everything(w)
    sign_off_all(w)
    assignment = JudgeAssignment.objects.filter(module=w.modules[0]).first()
    client.force_login(w.officer)
    response = client.post(reverse("contests:judge_unassign", args=[assignment.pk]), follow=True)
    assert _messages(response)
    assert JudgeAssignment.objects.filter(pk=assignment.pk).exists()


# --- prizes, titles, promotion ----------------------------------------------------------------------


def test_awards_page(client, w, outsiders):
    url = reverse("contests:awards", args=[w.contest.pk])
    _all_refused(client, outsiders, [url])
    _all_refused(client, outsiders, [url], method="post", data={"form": "title", "title": "技术能手", "rank_to": 3})
    client.force_login(w.officer)
    assert client.get(url).status_code == 200
    assert client.post(url, {"form": "prize", "kind": "first", "name": "一等奖", "rank_to": "1"}).status_code == 302
    assert client.post(url, {"form": "prize", "kind": "second", "share": "30"}).status_code == 302
    tiers = list(PrizeTier.objects.filter(contest=w.contest).order_by("order"))
    assert [(t.name, t.rank_to, t.share) for t in tiers] == [("一等奖", 1, None), ("二等奖", None, Decimal("0.300"))]
    assert client.post(url, {"form": "title", "title": "技术能手", "rank_from": "1", "rank_to": "3"}).status_code == 302
    assert TitleRule.objects.filter(contest=w.contest, title="技术能手", rank_to=3).exists()
    response = client.post(
        url,
        {
            "form": "promotion",
            "level": "region",
            "rank_from": "1",
            "rank_to": "5",
            "current_level": "3",
            "new_level": "2",
        },
    )
    assert response.status_code == 302
    assert PromotionRule.objects.filter(contest=w.contest, current_level=3, new_level=2).exists()
    page = client.get(url).content.decode()
    assert "技术能手" in page and "一等奖" in page
    # Both a rank and a share: refused, nothing added.
    response = client.post(url, {"form": "prize", "kind": "third", "rank_to": "5", "share": "50"})
    assert response.status_code == 200 and "奖项等级按名次或按比例设定，不能同时设定" in _messages(response)
    assert PrizeTier.objects.filter(contest=w.contest).count() == 2
    # A "promotion" to a lower level: refused.
    _english(client)
    response = client.post(
        url,
        {
            "form": "promotion",
            "level": "region",
            "rank_from": "1",
            "rank_to": "5",
            "current_level": "2",
            "new_level": "3",
        },
    )
    assert "A promotion must lead to a higher skill level (a smaller number)" in _messages(response)
    assert PromotionRule.objects.filter(contest=w.contest).count() == 1


# --- qualification for the next stage ------------------------------------------------------------


def test_qualify_for_the_next_stage(client, w, outsiders):
    url = reverse("contests:qualify", args=[w.stage.pk])
    client.force_login(w.officer)
    page = client.get(url).content.decode()
    assert 'data-testid="qualify"' not in page  # no final results yet: no form
    assert 'data-testid="qualify-link"' not in client.get(reverse("contests:stage", args=[w.stage.pk])).content.decode()
    _final(w)
    final_stage = services.stage_create(contest=w.contest, name="长三角总决赛", by=w.officer)
    _all_refused(client, outsiders, [url])
    _all_refused(client, outsiders + [w.judges[0]], [url], method="post", data={"next_stage": final_stage.pk})
    client.force_login(w.officer)
    hub = client.get(reverse("contests:stage", args=[w.stage.pk])).content.decode()
    assert 'data-testid="qualify-link"' in hub
    page = client.get(url).content.decode()
    assert 'data-testid="qualify"' in page and "confirm(" in page
    response = client.post(url, {"next_stage": final_stage.pk, "mode": "overall", "top": "2"})
    assert response.status_code == 302
    rows = list(Qualification.objects.filter(from_stage=w.stage, to_stage=final_stage))
    assert rows and all(q.rank <= 2 for q in rows)
    assert Registration.objects.filter(stage=final_stage, source="qualification").count() == len(rows)
    page = client.get(url).content.decode()
    assert page.count('data-testid="qualification-row"') == len(rows)
    assert rows[0].source_registration.worker.name in page
    assert 'data-testid="qualified-already"' in page and 'data-testid="qualify"' not in page
    # Twice: refused (the stage is no longer a choice), nothing more entered.
    response = client.post(url, {"next_stage": final_stage.pk, "mode": "per_organisation", "top": "1"})
    assert response.status_code == 200 and "next_stage" in response.context["form"].errors
    assert Qualification.objects.filter(from_stage=w.stage).count() == len(rows)
    # The service refuses a second qualification into the same stage too.
    with pytest.raises(ValidationError):
        services.stage_qualify(stage=w.stage, next_stage=final_stage, rule={"mode": "overall", "top": 1}, by=w.officer)


def test_qualify_before_final_results_is_refused(client, w):
    later = services.stage_create(contest=w.contest, name="决赛二", by=w.officer)
    client.force_login(w.officer)
    _english(client)
    response = client.post(
        reverse("contests:qualify", args=[w.stage.pk]), {"next_stage": later.pk, "mode": "overall", "top": "3"}
    )
    assert response.status_code == 200 and "The stage has no final results yet" in _messages(response)
    assert not Qualification.objects.exists()


# --- theory scores ----------------------------------------------------------------------------------


def test_theory_score_page_numbers_only(client, w, outsiders):
    numbers = register_and_draw(w, 3)
    url = reverse("contests:theory", args=[w.stage.pk])
    _all_refused(client, outsiders + [w.judges[0], w.arbiter], [url])
    _all_refused(client, outsiders + [w.judges[0]], [url], method="post", data={f"score-{numbers[0]}": "80"})
    names = [r.worker.name for r in w.registrations] + [r.worker.id_number for r in w.registrations]
    for user in (w.chief, w.officer):
        client.force_login(user)
        page = client.get(url)
        html = page.content.decode()
        assert page.status_code == 200 and all(n in html for n in numbers)
        assert not any(name in html for name in names)
    client.force_login(w.chief)
    response = client.post(url, {f"score-{numbers[0]}": "85.5", f"score-{numbers[1]}": "70"})
    assert response.status_code == 302
    scores = dict(w.stage.secret_numbers.values_list("number", "theory_score"))
    assert scores[numbers[0]] == Decimal("85.50") and scores[numbers[1]] == Decimal("70.00")
    # One out of range: nothing is saved, the valid one neither; the message says why.
    response = client.post(url, {f"score-{numbers[1]}": "75", f"score-{numbers[2]}": "150"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "分数应在 0 至 100.00 之间" in html and "is-invalid" in html
    scores = dict(w.stage.secret_numbers.values_list("number", "theory_score"))
    assert scores[numbers[1]] == Decimal("70.00") and scores[numbers[2]] is None
    _english(client)
    response = client.post(url, {f"score-{numbers[2]}": "abc"})
    assert "Enter a number" in response.content.decode()


def test_theory_scores_locked_after_reveal(client, w):
    numbers = register_and_draw(w, 2)
    mark_everything(w)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    client.force_login(w.officer)
    url = reverse("contests:theory", args=[w.stage.pk])
    assert 'data-testid="locked"' in client.get(url).content.decode()
    response = client.post(url, {f"score-{numbers[0]}": "90"})
    assert response.status_code == 200
    assert w.stage.secret_numbers.get(number=numbers[0]).theory_score is None


# --- appeals ------------------------------------------------------------------------------------------


def test_appeal_page_for_the_team_leader(client, w, outsiders):
    leader = officer_for(w.units[0])
    services.contest_update(contest=w.contest, appeal_window_minutes=600, by=w.officer)
    register_and_draw(w, 2, leader=leader)
    url = reverse("contests:appeal", args=[w.stage.pk])
    _all_refused(client, outsiders, [url])
    reg = Registration.objects.filter(stage=w.stage, leader=leader).first()
    _all_refused(client, outsiders, [url], method="post", data={"registration": reg.pk, "reason": "x"})
    client.force_login(leader)
    hub = client.get(reverse("contests:stage", args=[w.stage.pk])).content.decode()
    assert 'data-testid="appeal-link"' in hub
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="appeal-form"' in html and 'data-testid="deadline"' in html
    response = client.post(url, {"registration": reg.pk, "reason": "B1 评分与现场情况不符"})
    assert response.status_code == 302
    appeal = Appeal.objects.get(registration=reg)
    assert appeal.filed_by == leader and appeal.reason == "B1 评分与现场情况不符"
    assert "B1 评分与现场情况不符" in client.get(url).content.decode()
    # The contest's officer is no team leader: the page says so and offers no form.
    client.force_login(w.officer)
    html = client.get(url).content.decode()
    assert 'data-testid="not-leader"' in html and 'data-testid="appeal-form"' not in html
    hub = client.get(reverse("contests:stage", args=[w.stage.pk])).content.decode()
    assert 'data-testid="appeal-link"' not in hub


def test_appeal_after_the_window_is_refused(client, w):
    leader = officer_for(w.units[0])
    register_and_draw(w, 2, leader=leader)  # the stage ended 3 hours ago; the window is 2 hours
    reg = Registration.objects.filter(stage=w.stage, leader=leader).first()
    url = reverse("contests:appeal", args=[w.stage.pk])
    client.force_login(leader)
    html = client.get(url).content.decode()
    assert 'data-testid="closed"' in html and 'data-testid="appeal-form"' not in html
    response = client.post(url, {"registration": reg.pk, "reason": "迟到的申诉"})
    assert response.status_code == 200
    assert any(m.startswith("申诉期已于") for m in _messages(response))
    _english(client)
    response = client.post(url, {"registration": reg.pk, "reason": "迟到的申诉"})
    assert any(m.startswith("The appeal window closed at") for m in _messages(response))
    assert not Appeal.objects.exists()

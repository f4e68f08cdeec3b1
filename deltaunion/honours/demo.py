"""The honours demo (`manage.py load_demo`, idempotent), through the services.

Facts from the seeds:
- seeds/004: the 2023 joint meeting named the first “长三角大工匠”; the third 中国长三角地区劳模工匠
  创新工作室选树命名 is a 2023 key task led by the Jiangsu federation;
- seeds/001: the 2021 key task to release the staff innovation results of the labour contests on a
  hundred major projects (a published set of the demo's results, undated);
- seeds/002: the 七有 standard of innovation studios, the studio alliance and the staff innovation
  exchange alliance that holds exhibitions of results (长三角地区职工科技成果展); the award
  categories and places of Chongqing's online contest (51 先进集体, 50 金牌班组, 50 金牌职工, 10 十佳
  职工创新成果, 10 十佳金子), used for the awards of the demo online quiz (the contest, its organiser
  and the nominations are demo data).

Everything else is synthetic and marked as demo (`is_demo`, names with 演示): the people named
(the seeds name no one — the nominees are the people app's synthetic demo workers), the studios
and their yearly figures, the results, the experts and their scores, the number of places and
the dates the seeds do not give (the naming date is set to 2023-06-30 for the demo; the reports
say only that the meeting was held “近日”). The first selection is recorded with the Shanghai
federation as its organiser and the third with the Jiangsu federation (which the seeds name);
the demo's organising unions, places, experts and scores are not facts.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from deltaunion.accounts.models import User
from deltaunion.contests.models import Contest
from deltaunion.core.registry import DemoContext
from deltaunion.honours import services
from deltaunion.honours.models import (
    Exhibition,
    InnovationResult,
    Nomination,
    PanelMember,
    RecipientKind,
    RequiredMaterial,
    Selection,
    Studio,
)
from deltaunion.honours.standard import Industry, SevenHaves, StudioLevel
from deltaunion.orgs.models import Organisation, Role
from deltaunion.orgs.services import org_role_grant
from deltaunion.people.models import Employer, Title, Worker
from deltaunion.workplans.models import KeyTask

SEED_004 = "seeds/004（2023年推进长三角高质量一体化发展工会工作联席会议）"
SEED_001 = "seeds/001（2021年推进“十四五”长三角高质量一体化发展工会工作意见）"
SEED_002 = "seeds/002（中国长三角地区职工劳动技能创新工作首次联席会议；内蒙古“七有标准”）"
PROVINCES = {"310000": "上海市总工会", "320000": "江苏省总工会", "330000": "浙江省总工会", "340000": "安徽省总工会"}
FIRST_CRAFTSMEN = "首届“长三角大工匠”选树命名（演示）"
THIRD_STUDIOS = "第三届中国长三角地区劳模工匠创新工作室选树命名（演示）"
ONLINE_AWARDS = "表彰（演示）"
ONLINE_CONTEST = "杭州市职工安全生产知识网上答题"
# The award categories and places of the Chongqing federation's online labour and skill contest
# (seeds/002): 51 advanced collectives, 50 gold teams, 50 gold workers, 10 best innovation
# results of workers, 10 best “金子”.
ONLINE_AWARD_CATEGORIES = [
    ("先进集体", RecipientKind.TEAM, "", 51),
    ("金牌班组", RecipientKind.TEAM, "", 50),
    ("金牌职工", RecipientKind.PERSON, Title.Kind.GOLD_WORKER, 50),
    ("十佳职工创新成果", RecipientKind.RESULT, "", 10),
    ("十佳金子", RecipientKind.PERSON, Title.Kind.OTHER, 10),
]
EXHIBITION = "长三角地区职工科技成果展（演示）"
MAJOR_PROJECTS = "“建功‘十四五’ 奋进新征程”百项重大工程劳动竞赛职工科技创新成果（演示）"
NAMED_ON = dt.date(2023, 6, 30)

# The demo units' industries (people/demo.py's units).
INDUSTRY = {
    "演示·杭州智造装备有限公司工会": Industry.MANUFACTURING,
    "演示·杭州城市供水集团工会": Industry.ENERGY,
    "演示·苏州精密电梯有限公司工会": Industry.MANUFACTURING,
    "演示·苏州工业园区环境服务中心工会": Industry.SERVICES,
    "演示·合肥新能源汽车有限公司工会": Industry.MANUFACTURING,
    "演示·浦东数字物流有限公司工会": Industry.TRANSPORT,
    "演示·武义县即时配送站点联合工会": Industry.TRANSPORT,
    "演示·南京轨道交通运营公司工会": Industry.TRANSPORT,
}
STUDIO_THEMES = ["技能攻关", "工艺创新", "数字化改造"]
# (level, body) of each studio's recognitions, lowest first, by the studio's place in the list.
LADDERS = [
    [(StudioLevel.ENTERPRISE, "企业工会")],
    [(StudioLevel.ENTERPRISE, "企业工会"), (StudioLevel.CITY, "市总工会")],
    [(StudioLevel.CITY, "市总工会"), (StudioLevel.PROVINCIAL, "省总工会")],
    [(StudioLevel.PROVINCIAL, "省总工会"), (StudioLevel.REGIONAL, "沪苏浙皖三省一市总工会")],
    [(StudioLevel.PROVINCIAL, "省总工会")],
    [(StudioLevel.PROVINCIAL, "省总工会"), (StudioLevel.NATIONAL_DEMO, "中华全国总工会")],
]
RESULT_TITLES = [
    ("演示·数控机床主轴热变形补偿装置", "invention_patent"),
    ("演示·供水管网漏损快速定位方法", "technique"),
    ("演示·电梯曳引轮磨损在线检测仪", "utility_model"),
    ("演示·园区垃圾分类智能巡检流程", "management"),
    ("演示·新能源汽车电池包气密检测工装", "utility_model"),
    ("演示·智能仓储拣选路径优化方法", "technique"),
    ("演示·即时配送高峰运力调度办法", "management"),
    ("演示·地铁车门故障快速诊断装置", "invention_patent"),
    ("演示·焊接机器人轨迹自学习系统", "invention_patent"),
    ("演示·水泵机组振动预警装置", "utility_model"),
    ("演示·扶梯梯级链条张紧调整工具", "utility_model"),
    ("演示·电驱总成装配防错夹具", "utility_model"),
    ("演示·冷链包裹温控交接规程", "management"),
    ("演示·接触网检修作业安全卡控法", "technique"),
]


def _users(federations: dict[str, Organisation]) -> dict[str, User]:
    """The demo's people: the demo logins, plus officers of Jiangsu and Anhui and four experts
    (synthetic, without a password: they appear in the histories, nobody logs in as them)."""
    out = {u.username: u for u in User.objects.filter(username__in=["admin", "sh_admin", "zj_admin", "expert"])}
    extra = [
        ("honours_js_officer", "江苏省总工会干部（演示）", federations["320000"], Role.OFFICER),
        ("honours_ah_officer", "安徽省总工会干部（演示）", federations["340000"], Role.OFFICER),
        ("honours_expert_1", "评审专家甲（演示）", federations["310000"], Role.EXPERT),
        ("honours_expert_2", "评审专家乙（演示）", federations["320000"], Role.EXPERT),
        ("honours_expert_3", "评审专家丙（演示）", federations["330000"], Role.EXPERT),
        ("honours_expert_4", "评审专家丁（演示）", federations["340000"], Role.EXPERT),
    ]
    for username, name, org, role in extra:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=name, is_demo=True)
            user.set_unusable_password()
            user.save()
        org_role_grant(user=user, organisation=org, role=role, by=None)
        out[username] = user
    return out


def _submitter(users: dict[str, User], province: str) -> User:
    return {
        "310000": users["sh_admin"],
        "320000": users["honours_js_officer"],
        "330000": users["zj_admin"],
        "340000": users["honours_ah_officer"],
    }[province]


def _years_worked(worker: Any, day: dt.date) -> int:
    """Whole years since the worker started work (0 when the record does not say): a nominee never
    claims more years in the trade than that."""
    start = worker.started_work_on
    if start is None:
        return 0
    return day.year - start.year - ((day.month, day.day) < (start.month, start.day))


def _province_workers(province: str) -> list[Worker]:
    return list(
        Worker.objects.filter(is_demo=True, organisation__region__code__startswith=province[:2])
        .select_related("organisation", "employer")
        .order_by("id")
    )


def load(ctx: DemoContext) -> dict[str, Any]:
    federations: dict[str, Organisation] = ctx.values["federations"]
    feds = {code: federations[code] for code in PROVINCES}
    users = _users(feds)
    studios = _studios(users)
    results = _results(studios, users)
    _exhibition(results, feds["310000"], users["sh_admin"], users["admin"])
    _major_projects_release(results, feds["310000"], users["sh_admin"], users["admin"])
    first = _first_craftsmen(feds, users)
    third = _third_studios(feds, users, studios)
    awards = _online_contest_awards(users)
    selections = [s for s in (first, third, awards) if s is not None]
    ctx.summary.append(
        f"{len(studios)} innovation studios, {len(results)} innovation results, {len(selections)} selections "
        f"({Selection.objects.filter(is_demo=True, status=Selection.Status.PUBLISHED).count()} named)"
    )
    return {"studios": studios, "results": results, "selections": selections}


# --- studios -----------------------------------------------------------------------------------------------


def _studios(users: dict[str, User]) -> list[Studio]:
    admin = users["admin"]
    out = []
    units = Organisation.objects.filter(is_demo=True, name__in=list(INDUSTRY)).order_by("path")
    index = 0
    for unit in units:
        workers = list(Worker.objects.filter(organisation=unit).order_by("id"))
        leads = [w for w in workers if w.skill_level in (1, 2, 3)][:3] or workers[:3]
        for n, lead in enumerate(leads):
            name = f"演示·{lead.name}{STUDIO_THEMES[n % 3]}创新工作室"
            studio = Studio.objects.filter(organisation=unit, name=name).first()
            ladder = LADDERS[index % len(LADDERS)]
            index += 1
            rng_studio = random.Random(f"{unit.pk}-{n}")
            if studio is None:
                others = [w for w in workers if w.pk != lead.pk]
                members = rng_studio.sample(others, min(len(others), 3 + n))
                studio = services.studio_create(
                    organisation=unit,
                    name=name,
                    lead=lead,
                    members=members,
                    employer=lead.employer,
                    industry=INDUSTRY[unit.name],
                    site=f"{lead.employer.name if lead.employer else unit.name}创新工作室活动室（演示）",
                    equipment="演示：检测仪器、工装夹具、计算机与仿真软件",
                    rules="演示：例会制度、课题立项与结题制度、师带徒制度",
                    funding_yuan=Decimal(rng_studio.choice([50000, 80000, 120000, 200000])),
                    founded_on=dt.date(2014 + rng_studio.randrange(0, 7), 3, 1),
                    by=admin,
                )
                lacking = {5: SevenHaves.FUNDING, 11: SevenHaves.RESULTS}.get(index)
                for item in SevenHaves.values:
                    if item != lacking:
                        services.studio_check_set(studio=studio, item=item, evidence=_evidence(item, studio), by=admin)
                year = 2016
                for level, body in ladder:
                    issuer = body if body.startswith(("沪苏浙皖", "中华")) else _issuer(unit, body)
                    services.studio_recognise(
                        studio=studio, level=level, recognised_on=dt.date(year, 5, 1), body=issuer, by=admin
                    )
                    year += 2
                for year in (2022, 2023):
                    results = rng_studio.randrange(2, 12)
                    services.studio_report_save(
                        studio=studio,
                        year=year,
                        topics=rng_studio.randrange(results, results + 12),
                        projects=rng_studio.randrange(1, 9),
                        results=results,
                        applied_results=rng_studio.randrange(1, results + 1),
                        patents=rng_studio.randrange(0, 5),
                        savings_yuan=Decimal(rng_studio.randrange(5, 300) * 10000),
                        by=admin,
                    )
                Studio.objects.filter(pk=studio.pk).update(is_demo=True)
            out.append(studio)
    return out


def _issuer(unit: Organisation, body: str) -> str:
    """The demo recognising body for a unit: its employer's union, its city's or province's federation."""
    if body == "企业工会":
        return unit.name
    ancestors = {o.kind: o for o in Organisation.objects.filter(path__in=unit.ancestor_paths())}
    if body == "市总工会":
        city = ancestors.get(Organisation.Kind.CITY) or ancestors.get(Organisation.Kind.DISTRICT)
        return city.name if city else unit.name
    province = ancestors.get(Organisation.Kind.PROVINCIAL)
    return province.name if province else body


def _evidence(item: str, studio: Studio) -> str:
    return {
        SevenHaves.LEAD: f"领衔人{studio.lead.name}为演示劳模（演示）",
        SevenHaves.TEAM: "创新团队名册（演示）",
        SevenHaves.SITE: studio.site or "活动场地（演示）",
        SevenHaves.EQUIPMENT: "设施设备清单（演示）",
        SevenHaves.RULES: "工作制度汇编（演示）",
        SevenHaves.FUNDING: "年度经费预算批复（演示）",
        SevenHaves.RESULTS: "近三年创新成果清单（演示）",
    }[item]


# --- results and the exhibition ---------------------------------------------------------------------------------


def _photo(seed: int) -> SimpleUploadedFile:
    """A generated illustration (no real photo exists of a demo result)."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (800, 600), (245, 240, 235))
    draw = ImageDraw.Draw(image)
    palette = [(183, 28, 28), (21, 101, 192), (46, 125, 50), (249, 168, 37), (106, 27, 154)]
    for _ in range(7):
        x, y = rng.randrange(0, 700), rng.randrange(0, 500)
        w, h = rng.randrange(80, 300), rng.randrange(60, 240)
        colour = rng.choice(palette)
        if rng.random() < 0.5:
            draw.ellipse([x, y, x + w, y + h], fill=colour)
        else:
            draw.rectangle([x, y, x + w, y + h], fill=colour)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return SimpleUploadedFile("demo.png", buf.getvalue(), content_type="image/png")


def _results(studios: list[Studio], users: dict[str, User]) -> list[InnovationResult]:
    admin = users["admin"]
    out = []
    for i, (title, kind) in enumerate(RESULT_TITLES):
        studio = studios[(i * 3 + 1) % len(studios)]
        existing = InnovationResult.objects.filter(title=title, is_demo=True).first()
        if existing is not None:
            out.append(existing)
            continue
        rng = random.Random(title)
        owners = [studio.lead, *list(studio.members.all()[:1])]
        patent = f"演示-ZL2022{rng.randrange(10**7, 10**8)}" if kind in ("invention_patent", "utility_model") else ""
        result = services.result_create(
            organisation=studio.organisation,
            title=title,
            kind=kind,
            owners=owners,
            studio=studio,
            patent_number=patent,
            achieved_on=dt.date(2022, 1 + i % 12, 15),
            application_status=rng.choice(["applied", "promoted", "trial"]),
            benefit_yuan=Decimal(rng.randrange(10, 500) * 10000),
            benefit_certified_by="演示单位财务部门",
            summary="演示数据：该成果为虚构示例，用于展示成果登记与展示功能。",
            by=admin,
        )
        InnovationResult.objects.filter(pk=result.pk).update(is_demo=True)
        services.result_photo_add(
            result=result, upload=_photo(i), caption="示意图（演示）", credit="演示图片（程序生成）", by=admin
        )
        out.append(result)
    return out


def _exhibition(results: list[InnovationResult], organiser: Organisation, by: User, curator: User) -> Exhibition:
    """The alliance's exhibition, organised by Shanghai (demo) and curated by the platform's
    administrator (the results come from the four provinces' studios)."""
    exhibition = Exhibition.objects.filter(title=EXHIBITION, is_demo=True).first()
    if exhibition is not None:
        return exhibition
    exhibition = services.exhibition_create(
        organisation=organiser,
        title=EXHIBITION,
        description=(
            "三省一市总工会共建长三角地区职工技能交流创新联盟，通过联盟举办长三角地区职工科技成果展（据"
            + SEED_002
            + "）。"
            "本展览的展品与组织安排均为演示数据。"
        ),
        opens_on=dt.date(2023, 9, 1),
        closes_on=dt.date(2023, 9, 30),
        key_task=_key_task("职工技能交流创新联盟"),
        by=by,
    )
    Exhibition.objects.filter(pk=exhibition.pk).update(is_demo=True)
    for result in results[:12]:
        services.exhibition_item_add(exhibition=exhibition, result=result, by=curator)
    services.exhibition_transition(exhibition=exhibition, name="publish", by=by)
    return exhibition


def _major_projects_release(
    results: list[InnovationResult], organiser: Organisation, by: User, curator: User
) -> Exhibition | None:
    """The 2021 key task (seeds/001): release the staff innovation results of the labour contests
    on a hundred major projects. The seeds give the task, not the results nor the date: the
    results shown are the demo's patents and techniques, the release is undated."""
    task = _key_task("百项重大工程劳动竞赛职工科技创新成果")
    if task is None:
        return None
    exhibition = Exhibition.objects.filter(title=MAJOR_PROJECTS, is_demo=True).first()
    if exhibition is not None:
        return exhibition
    exhibition = services.exhibition_create(
        organisation=organiser,
        title=MAJOR_PROJECTS,
        description=(
            "2021年长三角地区工会重点工作之一：发布“建功‘十四五’ 奋进新征程”百项重大工程劳动竞赛职工科技创新成果（据"
            + SEED_001
            + "）。种子材料未载明成果与发布时间：所列成果均为演示数据。"
        ),
        key_task=task,
        by=by,
    )
    Exhibition.objects.filter(pk=exhibition.pk).update(is_demo=True)
    for result in results:
        if result.kind in ("invention_patent", "technique"):
            services.exhibition_item_add(exhibition=exhibition, result=result, by=curator)
    services.exhibition_transition(exhibition=exhibition, name="publish", by=by)
    return exhibition


# --- selections ---------------------------------------------------------------------------------------------------


def _key_task(fragment: str) -> KeyTask | None:
    return KeyTask.objects.filter(title__contains=fragment).order_by("-plan__year").first()


def _panel(selection: Selection, category: Any, users: dict[str, User], *, chair: User, by: User) -> Any:
    panel = services.panel_add(selection=selection, name="第一评审组（演示）", categories=[category], by=by)
    experts = [chair] + [users[f"honours_expert_{i}"] for i in range(1, 5) if users[f"honours_expert_{i}"] != chair]
    for user in experts[:5]:
        services.panel_member_add(panel=panel, user=user, is_chair=user == chair, by=by)
    return panel


def _score(nomination: Nomination, criteria: list[Any], user: User, base: float, rng: random.Random) -> None:
    scores = {}
    for c in criteria:
        value = max(
            0.0, min(float(c.max_score), round(base / 10 * float(c.max_score) / 10 + rng.uniform(-0.4, 0.4), 1))
        )
        scores[c.pk] = f"{value:.1f}"
    services.review_submit(nomination=nomination, by=user, scores=scores, comment="演示评分")


def _first_craftsmen(feds: dict[str, Organisation], users: dict[str, User]) -> Selection:
    """The first 长三角大工匠, named in 2023: 16 nominations (4 per province), 12 places."""
    existing = Selection.objects.filter(title=FIRST_CRAFTSMEN, is_demo=True).first()
    if existing is not None:
        return existing
    organiser, checker = users["sh_admin"], users["admin"]
    selection = services.selection_create(
        lead_org=feds["310000"],
        title=FIRST_CRAFTSMEN,
        year=2023,
        issuing_body="沪苏浙皖三省一市总工会",
        key_task=_key_task("长三角大工匠"),
        description=(
            "2023年推进长三角高质量一体化发展工会工作联席会议命名了首届“长三角大工匠”（据" + SEED_004 + "）。"
            "种子材料未载明人选、名额、组织单位与命名日期：本评选的被提名人、名额、评审与日期均为演示数据。"
        ),
        nominations_open_on=dt.date(2023, 3, 1),
        nominations_close_on=dt.date(2023, 4, 30),
        review_by=dt.date(2023, 5, 31),
        notice_days=7,
        naming_on=NAMED_ON,
        min_years=10,
        skill_level_at_least=2,
        by=organiser,
    )
    Selection.objects.filter(pk=selection.pk).update(is_demo=True)
    category = services.category_add(
        selection=selection,
        honour_name="长三角大工匠",
        recipient_kind=RecipientKind.PERSON,
        title_kind=Title.Kind.GRAND_CRAFTSMAN,
        places=12,
        by=organiser,
    )
    for name, weight in (("技艺水平", 40), ("创新成果", 35), ("传承贡献", 25)):
        services.criterion_add(
            category=category,
            name=name,
            weight=weight,
            max_score=10,
            guidance=f"{name}：10分为最高（演示）",
            by=organiser,
        )
    material = services.material_add(
        selection=selection, label="主要事迹", kind=RequiredMaterial.Kind.TEXT, by=organiser
    )
    for fed in feds.values():
        services.quota_set(selection=selection, organisation=fed, places=4, by=organiser)
    panel = _panel(selection, category, users, chair=users["honours_expert_1"], by=organiser)
    services.selection_transition(selection=selection, name="open", by=organiser)
    day = dt.date(2023, 4, 1)
    nominations = []
    for code, fed in feds.items():
        by = _submitter(users, code)
        eligible = [
            w
            for w in _province_workers(code)
            if w.is_member and w.skill_level in (1, 2) and _years_worked(w, day) >= 10
        ]
        for worker in eligible[:4]:
            n = services.nomination_create(
                selection=selection,
                category=category,
                organisation=fed,
                worker=worker,
                years_in_trade=min(12 + worker.pk % 15, _years_worked(worker, day)),
                statement=f"演示数据：{worker.name}长期从事{worker.trade or '一线'}工作，技艺精湛，带徒传技（虚构事迹）。",
                by=by,
                today=day,
            )
            services.material_give(nomination=n, material=material, text="演示数据：主要事迹材料（虚构）。", by=by)
            services.nomination_submit(nomination=n, by=by, today=day)
            services.nomination_accept(nomination=n, by=checker)
            nominations.append(n)
    services.selection_transition(selection=selection, name="close", by=organiser)
    criteria = list(category.criteria.order_by("order"))
    experts = [m.user for m in PanelMember.objects.filter(panel=panel).order_by("id")]
    rng = random.Random(2023)
    for i, n in enumerate(nominations):
        base = 96 - 1.7 * i
        for user in experts:
            _score(n, criteria, user, base, rng)
        n.refresh_from_db()
        if n.outlier_flagged and not n.outlier_resolved:
            services.outlier_resolve(
                nomination=n,
                exclude=False,
                note="经评审组合议，保留该评分（演示）",
                by=panel.members.get(is_chair=True).user,
            )
    services.panel_sign_off(panel=panel, by=panel.members.get(is_chair=True).user)
    tz = timezone.get_current_timezone()
    notice_at = dt.datetime(2023, 6, 12, 9, 0, tzinfo=tz)
    services.selection_notice(selection=selection, by=organiser, now=notice_at)
    services.selection_name(selection=selection, by=organiser, now=notice_at + dt.timedelta(days=8), named_on=NAMED_ON)
    return selection


def _third_studios(feds: dict[str, Organisation], users: dict[str, User], studios: list[Studio]) -> Selection:
    """The third studio selection, led by Jiangsu (a 2023 key task), in the middle of the expert
    review: eight studios nominated and checked, some scored, one outlying score flagged for the
    panel's chair (the demo login “expert”)."""
    existing = Selection.objects.filter(title=THIRD_STUDIOS, is_demo=True).first()
    if existing is not None:
        return existing
    organiser, checker = users["honours_js_officer"], users["admin"]
    selection = services.selection_create(
        lead_org=feds["320000"],
        title=THIRD_STUDIOS,
        year=2023,
        issuing_body="沪苏浙皖三省一市总工会",
        key_task=_key_task("劳模工匠创新工作室选树命名"),
        description=(
            "由江苏省总工会牵头开展第三届中国长三角地区劳模工匠创新工作室选树命名活动（据" + SEED_004 + "）；"
            "工作室须符合“七有”标准（据" + SEED_002 + "）。名额、被提名工作室与评分均为演示数据。"
        ),
        nominations_open_on=dt.date(2023, 5, 1),
        nominations_close_on=dt.date(2023, 7, 31),
        review_by=dt.date(2023, 9, 30),
        by=organiser,
    )
    Selection.objects.filter(pk=selection.pk).update(is_demo=True)
    category = services.category_add(
        selection=selection,
        honour_name="中国长三角地区劳模工匠创新工作室",
        recipient_kind=RecipientKind.STUDIO,
        studio_level=StudioLevel.REGIONAL,
        places=5,
        by=organiser,
    )
    for name, weight in (("七有建设", 30), ("创新成果与效益", 40), ("团队与传承", 30)):
        services.criterion_add(category=category, name=name, weight=weight, max_score=10, by=organiser)
    for fed in feds.values():
        services.quota_set(selection=selection, organisation=fed, places=3, by=organiser)
    expert_login = users.get("expert") or users["honours_expert_2"]
    panel = _panel(selection, category, users, chair=expert_login, by=organiser)
    services.selection_transition(selection=selection, name="open", by=organiser)
    day = dt.date(2023, 6, 15)
    from deltaunion.honours.eligibility import nominee_problems

    nominations = []
    for code, fed in feds.items():
        by = _submitter(users, code)
        mine = [s for s in studios if s.organisation.path.startswith(fed.path)]
        count = 0
        for studio in mine:
            if count == 2:
                break
            probe = Nomination(
                selection=selection, category=category, organisation=fed, kind=RecipientKind.STUDIO, studio=studio
            )
            if nominee_problems(probe):
                continue
            n = services.nomination_create(
                selection=selection,
                category=category,
                organisation=fed,
                studio=studio,
                statement=f"演示数据：{studio.name}符合“七有”标准，近两年创新成果突出（虚构事迹）。",
                by=by,
                today=day,
            )
            services.nomination_submit(nomination=n, by=by, today=day)
            services.nomination_accept(nomination=n, by=checker)
            nominations.append(n)
            count += 1
    services.selection_transition(selection=selection, name="close", by=organiser)
    criteria = list(category.criteria.order_by("order"))
    members = [m.user for m in PanelMember.objects.filter(panel=panel).order_by("-is_chair", "id")]
    scorers = [u for u in members if u != expert_login]
    rng = random.Random(3)
    for i, n in enumerate(nominations):
        if i == 0:
            # One expert far below the others: Dixon's Q flags it for the chair.
            for user, base in zip(scorers, (92, 91, 93, 52), strict=False):
                _score(n, criteria, user, base, random.Random(i))
        elif i < len(nominations) - 3:
            for user in scorers[:3]:
                _score(n, criteria, user, 88 - 2 * i, rng)
        elif i < len(nominations) - 1:
            _score(n, criteria, scorers[0], 85 - i, rng)
    return selection


def _online_contest_awards(users: dict[str, User]) -> Selection | None:
    """The awards of the demo online quiz, with the categories and places of Chongqing's awards
    after its online contest (seeds/002), open for nominations: the contest, the organiser and
    the nominations are demo data."""
    existing = Selection.objects.filter(title__startswith=ONLINE_CONTEST, title__endswith=ONLINE_AWARDS).first()
    if existing is not None:
        return existing
    contest = Contest.objects.filter(title__startswith=ONLINE_CONTEST).order_by("id").first()
    if contest is None:
        return None
    organiser = users["zj_admin"]
    selection = services.selection_create(
        lead_org=contest.lead_org,
        title=f"{ONLINE_CONTEST}{ONLINE_AWARDS}",
        year=contest.starts_on.year if contest.starts_on else timezone.localdate().year,
        issuing_body=contest.lead_org.name,
        contest=contest,
        description=(
            "重庆市总工会网上劳动和技能竞赛结束后表彰了51个先进集体、50个金牌班组、50名金牌职工、"
            "10项十佳职工创新成果和10名十佳金子（据seeds/002）。本评选按同样的奖项类别和名额设立，"
            "竞赛、组织单位与推荐均为演示数据。"
        ),
        min_years=0,
        min_reviews=3,
        by=organiser,
    )
    Selection.objects.filter(pk=selection.pk).update(is_demo=True)
    categories = {}
    for name, kind, title_kind, places in ONLINE_AWARD_CATEGORIES:
        categories[name] = services.category_add(
            selection=selection,
            honour_name=name,
            recipient_kind=kind,
            title_kind=title_kind,
            places=places,
            by=organiser,
        )
    services.quota_set(selection=selection, organisation=contest.lead_org, places=20, by=organiser)
    services.selection_transition(selection=selection, name="open", by=organiser)
    employer = (
        Worker.objects.filter(is_demo=True, organisation__name="演示·杭州城市供水集团工会", employer__isnull=False)
        .values_list("employer", flat=True)
        .first()
    )
    if employer is not None:
        nomination = services.nomination_create(
            selection=selection,
            category=categories["金牌班组"],
            organisation=contest.lead_org,
            team_name="演示·供水管网抢修班",
            team_employer=Employer.objects.get(pk=employer),
            statement="网上答题参与率和正确率均居全市前列（演示）",
            by=organiser,
        )
        services.nomination_submit(nomination=nomination, by=organiser)
    return selection

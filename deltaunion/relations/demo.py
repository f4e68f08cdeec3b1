"""Demo labour-relations data (idempotent): synthetic signals, cases and unpaid-wage cases over the
four provinces in 2022 and 2023, building projects with their prevention measures, cross-province
referrals, a recorded situation report, and the demo worker's own request for help.

Everything is synthetic and marked: employers and projects are named 演示·…, every row is
`is_demo`, ID numbers are generated (valid check digit, real division codes). The figures follow a
plausible pattern — unpaid wages peak before the Spring Festival (December–January), 2023 has
more signals and cases than 2022 as the mechanisms took hold — so the situation report shows
trends; they are not real statistics.

Two demo logins are added for the federations that had none: `js_admin` (江苏省总工会) and
`ah_admin` (安徽省总工会), so that cases in every province have an officer and a referral to
Anhui can be answered.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from deltaunion.core.idnumber import make_id_number
from deltaunion.core.registry import DemoContext
from deltaunion.orgs.models import Organisation, Region, Role
from deltaunion.orgs.services import org_role_grant
from deltaunion.relations import services
from deltaunion.relations.models import (
    Case,
    CaseKind,
    DeclineReason,
    EvidenceKind,
    Industry,
    MeasureKind,
    Outcome,
    Project,
    ReferralMode,
    Severity,
    Signal,
    SignalKind,
    SituationReport,
)

SEED = 20230615
YEARS = (2022, 2023)
# (city code, weight) per province; Shanghai is recorded as a whole.
CITIES = {
    "310000": [("310000", 6)],
    "320000": [("320100", 2), ("320500", 4), ("320200", 2)],
    "330000": [("330100", 4), ("330200", 2), ("330700", 2)],
    "340000": [("340100", 3), ("340200", 1), ("341200", 1)],
}
# Where migrant workers come from (division codes of their ID numbers).
HOMES = ["341221", "341204", "340102", "320382", "330702", "411523", "511621", "310115", "320506", "330106"]
EMPLOYERS = [
    ("演示·{city}华建建筑劳务有限公司", Industry.CONSTRUCTION, "private"),
    ("演示·{city}恒达精密制造有限公司", Industry.MANUFACTURING, "foreign"),
    ("演示·{city}速达物流有限公司", Industry.LOGISTICS, "private"),
    ("演示·{city}同城即时配送站点", Industry.PLATFORM, "private"),
    ("演示·{city}锦绣餐饮管理有限公司", Industry.SERVICES, "private"),
    ("演示·{city}城建工程集团", Industry.CONSTRUCTION, "state"),
    ("演示·{city}百联商贸有限公司", Industry.RETAIL, "private"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红玲芬燕春菊凤洁梅琳云莲"
# Unpaid wages peak before the Spring Festival; disputes are spread over the year.
WAGE_MONTHS = [1, 1, 1, 2, 5, 6, 8, 9, 11, 12, 12, 12]
ALL_MONTHS = list(range(1, 13))
ACCOUNTS = [
    ("js_admin", "江苏省总工会管理员（演示）", "江苏省总工会"),
    ("ah_admin", "安徽省总工会管理员（演示）", "安徽省总工会"),
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _date(rng: random.Random, year: int, months: list[int]) -> dt.date:
    month = rng.choice(months)
    return dt.date(year, month, rng.randint(1, 28))


def _accounts(ctx: DemoContext) -> None:
    from deltaunion.accounts.demo import DEMO_PASSWORD

    User = get_user_model()
    for username, full_name, org_name in ACCOUNTS:
        org = Organisation.objects.filter(name=org_name, kind=Organisation.Kind.PROVINCIAL).first()
        if org is None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, is_demo=True)
            user.set_password(DEMO_PASSWORD)
            user.save()
        org_role_grant(user=user, organisation=org, role=Role.FEDERATION_ADMIN, by=None)
        ctx.logins.append((username, DEMO_PASSWORD, f"{full_name}：{org_name}的劳动关系案件、预警与会商研判"))


def _union(code: str) -> Organisation | None:
    if code == "310000" or code.endswith("0000"):
        return services.provincial_federation(code[:2] + "0000")
    return Organisation.objects.filter(kind=Organisation.Kind.CITY, region_id=code).order_by("id").first()


def _officer(org: Organisation) -> Any:
    """An officer who may be assigned the case: the city's, else the province's demo login."""
    case = Case(organisation=org)
    handlers = services.eligible_handlers(case)
    return handlers[0] if handlers else None


def _party(rng: random.Random, seq: int, owed: bool) -> dict[str, Any]:
    home = rng.choice(HOMES)
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 38))
    return {
        "name": _name(rng) + "（演示）",
        "id_number": make_id_number(home, birth, seq % 1000),
        "phone": f"13{rng.randrange(0, 10**9):09d}",
        "amount_owed": Decimal(rng.randrange(30, 300) * 100) if owed else Decimal("0"),
    }


def _png(text: str) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (480, 300), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((10, 10, 470, 290), outline="black")
    draw.text((30, 40), "DEMO / YANSHI", fill="black")
    draw.text((30, 80), text, fill="black")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _pdf() -> bytes:
    from deltaunion.core.pdf import table_pdf

    return table_pdf(
        title="演示·工资条（虚构数据）",
        sections=[("2023年11月", ["项目", "金额（元）"], [["应发工资", "6800.00"], ["实发工资", "0.00"]])],
    )


def _projects(admin: Any, rng: random.Random) -> dict[str, Project]:
    out: dict[str, Project] = {}
    plan = [
        ("330100", "演示·杭州滨江安置房三期工程", True),
        ("320500", "演示·苏州工业园区厂房扩建项目", True),
        ("340100", "演示·合肥高新区人才公寓项目", False),
        ("310000", "演示·上海浦东物流园仓储工程", True),
        ("341200", "演示·阜阳城南学校建设项目", False),
        ("330700", "演示·金华义乌商贸城改造工程", True),
    ]
    for i, (code, name, complete) in enumerate(plan):
        org = _union(code)
        city = Region.objects.filter(code=code).first()
        if org is None or city is None:
            continue
        project = Project.objects.filter(organisation=org, name=name).first()
        if project is None:
            project = services.project_create(
                organisation=org,
                by=admin,
                name=name,
                city=city,
                contractor=f"演示·{city.name}第{i + 1}建筑劳务分包有限公司",
                main_contractor=f"演示·{city.name}建工集团有限公司（总包）",
                project_manager=_name(rng) + "（演示）",
                is_demo=True,
            )
            kinds = list(MeasureKind.values) if complete else [MeasureKind.COMMITMENT_LETTER, MeasureKind.LEGAL_VISIT]
            for k, kind in enumerate(kinds):
                upload = None
                if kind == MeasureKind.COMMITMENT_LETTER:
                    data = _png(f"Commitment letter · project {i + 1}")
                    upload = SimpleUploadedFile("承诺书.png", data, content_type="image/png")
                services.measure_add(
                    project=project,
                    by=admin,
                    kind=kind,
                    done_on=dt.date(2023, 3 + k, 10 + i),
                    note="演示：与项目负责人签订承诺书" if kind == MeasureKind.COMMITMENT_LETTER else "演示",
                    uploads=[upload] if upload else [],
                )
        out[code] = project
    return out


def _walk(case: Case, admin: Any, officer: Any, rng: random.Random, opened: dt.date, today: dt.date) -> None:
    """Move a case along a plausible path to where it stands now."""
    age = (today - opened).days
    day = min(opened + dt.timedelta(days=rng.randint(0, 2)), today)
    if officer is None:
        return
    services.case_assign(case=case, assignee=officer, by=admin, on=day)
    if age < 5:
        return
    path = rng.choice(["mediate", "mediate", "mediate", "arbitrate", "legal_aid"])
    day = min(day + dt.timedelta(days=rng.randint(2, 6)), today)
    services.case_step(case=case, step=path, by=admin, on=day)
    if path == "mediate":
        if age < 25:
            return
        agreed = rng.random() < 0.7
        day = min(day + dt.timedelta(days=rng.randint(5, 14)), today)
        services.case_step(case=case, step="agree" if agreed else "no_agreement", by=admin, on=day)
        if not agreed:
            day = min(day + dt.timedelta(days=rng.randint(3, 10)), today)
            services.case_step(case=case, step=rng.choice(["arbitrate", "legal_aid"]), by=admin, on=day)
        outcome = (
            (Outcome.WAGES_PAID if case.kind == CaseKind.UNPAID_WAGES else Outcome.AGREEMENT_FULFILLED)
            if agreed
            else rng.choice([Outcome.AWARD, Outcome.LEGAL_AID_DONE, Outcome.JUDGMENT])
        )
    else:
        outcome = Outcome.AWARD if path == "arbitrate" else Outcome.LEGAL_AID_DONE
    if age < 60:
        return
    day = min(day + dt.timedelta(days=rng.randint(20, 50)), today)
    services.case_step(case=case, step="close", by=admin, outcome=outcome, on=day)
    if case.kind == CaseKind.UNPAID_WAGES:
        share = Decimal("1") if outcome == Outcome.WAGES_PAID else Decimal(rng.choice(["0.5", "0.8", "1"]))
        for party in case.parties.all():
            services.party_set_amounts(
                party=party,
                by=admin,
                amount_owed=party.amount_owed,
                amount_recovered=(party.amount_owed * share).quantize(Decimal("0.01")),
            )
    if rng.random() < 0.5:
        services.case_step(case=case, step="follow_up", by=admin, on=min(day + dt.timedelta(days=15), today))


def _signals(admin: Any, rng: random.Random, year: int, n: int) -> list[Signal]:
    out = []
    for _i in range(n):
        province = rng.choice(list(CITIES))
        code = rng.choices([c for c, _w in CITIES[province]], weights=[w for _c, w in CITIES[province]])[0]
        org, city = _union(code), Region.objects.filter(code=code).first()
        if org is None or city is None:
            continue
        kind = rng.choice(
            [SignalKind.WAGE_ARREARS] * 4
            + [SignalKind.RELOCATION, SignalKind.LAYOFFS, SignalKind.SOCIAL_INSURANCE]
            + [SignalKind.COLLECTIVE_COMPLAINT, SignalKind.SAFETY_INCIDENT]
        )
        months = WAGE_MONTHS if kind == SignalKind.WAGE_ARREARS else ALL_MONTHS
        template, industry, ownership = rng.choice(EMPLOYERS)
        affected = rng.choice([12, 25, 40, 60, 85, 120, 200])
        others = [p for p in CITIES if p != province]
        origins = {province: affected // 2, rng.choice(others): affected // 4}
        if rng.random() < 0.3:
            origins["other"] = affected // 8
        signal = services.signal_create(
            organisation=org,
            by=admin,
            kind=kind,
            severity=rng.choice([Severity.GENERAL, Severity.GENERAL, Severity.SERIOUS, Severity.MAJOR]),
            workers_affected=affected,
            origins=origins,
            site_provinces=[rng.choice(others)] if rng.random() < 0.25 else [],
            occurred_on=_date(rng, year, months),
            description="演示数据：" + str(SignalKind(kind).label),
            city=city,
            employer_name=template.format(city=city.name.removesuffix("市")),
            industry=industry,
            ownership=ownership,
            is_demo=True,
        )
        out.append(signal)
    return out


def _cases(admin: Any, rng: random.Random, year: int, n: int, projects: dict[str, Project], today: dt.date) -> int:
    made = 0
    for i in range(n):
        province = rng.choice(list(CITIES))
        code = rng.choices([c for c, _w in CITIES[province]], weights=[w for _c, w in CITIES[province]])[0]
        org, city = _union(code), Region.objects.filter(code=code).first()
        if org is None or city is None:
            continue
        kind = rng.choice([CaseKind.UNPAID_WAGES] * 3 + [CaseKind.DISPUTE] * 2 + [CaseKind.LEGAL_AID])
        months = WAGE_MONTHS if kind == CaseKind.UNPAID_WAGES else ALL_MONTHS
        opened = _date(rng, year, months)
        template, industry, ownership = rng.choice(EMPLOYERS)
        if kind == CaseKind.UNPAID_WAGES:
            industry, ownership = Industry.CONSTRUCTION, "private"
            template = "演示·{city}华建建筑劳务有限公司"
        size = rng.choice([1, 1, 1, 2, 3, 5, 8]) if kind != CaseKind.LEGAL_AID else 1
        parties = [_party(rng, year * 1000 + i * 10 + k, kind == CaseKind.UNPAID_WAGES) for k in range(size)]
        project = projects.get(code) if kind == CaseKind.UNPAID_WAGES and rng.random() < 0.6 else None
        case = services.case_open(
            organisation=org,
            by=admin,
            kind=kind,
            summary="演示数据："
            + ("拖欠工资，多次讨要未果。" if kind == CaseKind.UNPAID_WAGES else "劳动合同纠纷，请求工会协助。"),
            city=city,
            employer_name=template.format(city=city.name.removesuffix("市")),
            industry=industry,
            ownership=ownership,
            project=project,
            opened_on=opened,
            parties=parties,
            is_demo=True,
        )
        _walk(case, admin, _officer(org), rng, opened, today)
        made += 1
    return made


def _referrals(admin: Any, today: dt.date) -> None:
    """Cross-province cases: legal aid asked in the home province for work done elsewhere,
    transferred to the union where the work took place; a referral for joint mediation; one declined."""
    anhui, suzhou = services.provincial_federation("340000"), _union("320500")
    hangzhou, shanghai = _union("330100"), services.provincial_federation("310000")
    if not all((anhui, suzhou, hangzhou, shanghai)):
        return
    rng = random.Random(SEED + 7)
    plan = [
        (anhui, suzhou, ReferralMode.TRANSFER, True, CaseKind.LEGAL_AID, "320500", dt.date(2023, 1, 9)),
        (anhui, hangzhou, ReferralMode.REFERRAL, True, CaseKind.UNPAID_WAGES, "330100", dt.date(2023, 12, 18)),
        (shanghai, anhui, ReferralMode.REFERRAL, False, CaseKind.DISPUTE, "310000", dt.date(2023, 6, 5)),
        (hangzhou, anhui, ReferralMode.REFERRAL, True, CaseKind.UNPAID_WAGES, "330100", dt.date(2022, 12, 20)),
    ]
    for k, (sender, receiver, mode, accept, kind, city_code, opened) in enumerate(plan):
        city = Region.objects.filter(code=city_code).first()
        parties = [_party(rng, 900 + k * 10 + j, kind == CaseKind.UNPAID_WAGES) for j in range(3 if k == 1 else 1)]
        for j, p in enumerate(parties):  # workers from Fuyang (Anhui)
            p["id_number"] = make_id_number("341221", dt.date(1980 + k, 5, 1 + j), 500 + k * 10 + j)
        case = services.case_open(
            organisation=sender,
            by=admin,
            kind=kind,
            summary="演示数据：皖籍职工在外省务工，回户籍地工会求助，工会异地协作维权。",
            city=city,
            employer_name=f"演示·{city.name.removesuffix('市')}华建建筑劳务有限公司",
            industry=Industry.CONSTRUCTION,
            opened_on=opened,
            parties=parties,
            is_demo=True,
        )
        officer = _officer(sender)
        if officer is not None:
            services.case_assign(case=case, assignee=officer, by=admin, on=opened)
        services.case_refer(
            case=case, to_organisation=receiver, mode=mode, by=admin, message="演示：请协助调处", on=opened
        )
        services.case_answer_referral(
            case=case,
            accept=accept,
            by=admin,
            reason="" if accept else DeclineReason.NO_CONNECTION,
            on=opened + dt.timedelta(days=2),
        )
        if not accept:
            continue
        services.case_step(case=case, step="mediate", by=admin, on=opened + dt.timedelta(days=4))
        # Joint mediation settled it: an agreement, carried out, and the case closed.
        done = opened + dt.timedelta(days=12)
        if done + dt.timedelta(days=30) > today:
            continue
        services.case_step(case=case, step="agree", by=admin, on=done)
        for party in case.parties.all():
            services.party_set_amounts(
                party=party, by=admin, amount_owed=party.amount_owed, amount_recovered=party.amount_owed
            )
        outcome = Outcome.WAGES_PAID if kind == CaseKind.UNPAID_WAGES else Outcome.AGREEMENT_FULFILLED
        services.case_step(case=case, step="close", by=admin, outcome=outcome, on=done + dt.timedelta(days=30))


def _worker_case(admin: Any, today: dt.date) -> None:
    """The demo worker asked for help with unpaid wages from their phone; the case is in mediation."""
    user = get_user_model().objects.filter(username="worker").first()
    if user is None or Case.objects.filter(applicant=user).exists():
        return
    hangzhou, city = _union("330100"), Region.objects.filter(code="330100").first()
    if hangzhou is None or city is None:
        return
    project = Project.objects.filter(organisation=hangzhou, is_demo=True).first()
    case = services.case_request(
        by=user,
        organisation=hangzhou,
        kind=CaseKind.UNPAID_WAGES,
        city=city,
        employer_name="演示·杭州华建建筑劳务有限公司",
        summary="演示数据：我在滨江安置房工地做钢筋工，2个月工资共13600元没有发，班组长说总包没拨款。",
        phone="13600001111",
        amount_owed="13600",
        workers_count=1,
        is_demo=True,
    )
    if project is not None:
        services.case_update(case=case, by=admin, project=project)
    png = SimpleUploadedFile("工地照片.png", _png("Site photo / gongdi"), content_type="image/png")
    pdf = SimpleUploadedFile("工资条.pdf", _pdf(), content_type="application/pdf")
    services.evidence_add(case=case, upload=png, kind=EvidenceKind.PHOTO, by=user)
    services.evidence_add(case=case, upload=pdf, kind=EvidenceKind.PAY_SLIP, by=user)
    officer = _officer(hangzhou)
    if officer is not None:
        services.case_assign(case=case, assignee=officer, by=admin)
        services.case_step(case=case, step="mediate", by=admin)


def _current(admin: Any, rng: random.Random, today: dt.date, projects: dict[str, Project]) -> None:
    """A few open cases of the last weeks, some overdue, so the officers' list has work in it."""
    plan = [("330100", 40), ("330100", 9), ("320500", 30), ("310000", 3), ("340100", 25)]
    for i, (code, days_ago) in enumerate(plan):
        org, city = _union(code), Region.objects.filter(code=code).first()
        if org is None or city is None:
            continue
        opened = today - dt.timedelta(days=days_ago)
        case = services.case_open(
            organisation=org,
            by=admin,
            kind=CaseKind.UNPAID_WAGES if i % 2 == 0 else CaseKind.DISPUTE,
            summary="演示数据：年底欠薪线索，职工集体求助。",
            city=city,
            employer_name=f"演示·{city.name.removesuffix('市')}华建建筑劳务有限公司",
            industry=Industry.CONSTRUCTION,
            project=projects.get(code),
            opened_on=opened,
            parties=[_party(rng, 700 + i * 10 + k, True) for k in range(3)],
            is_demo=True,
        )
        if days_ago > 5:
            officer = _officer(org)
            if officer is not None:
                services.case_assign(case=case, assignee=officer, by=admin, on=opened + dt.timedelta(days=1))
        if days_ago >= 25:
            services.case_step(case=case, step="mediate", by=admin, on=opened + dt.timedelta(days=3))


def _shared_members(admin: Any) -> None:
    """A Suzhou signal naming three workers, two of them members of the Hefei demo union: the Anhui
    federation sees those two (matched by keyed hash), not the third."""
    from deltaunion.people.models import Worker

    suzhou, city = _union("320500"), Region.objects.filter(code="320500").first()
    if suzhou is None or city is None:
        return
    members = list(Worker.objects.filter(is_demo=True, organisation__region_id="340100").order_by("id")[:2])
    if len(members) < 2:
        return
    workers = [{"name": w.name, "id_number": w.id_number, "phone": w.phone} for w in members]
    workers.append({"name": "演示职工甲", "id_number": make_id_number("411523", dt.date(1990, 2, 2), 555), "phone": ""})
    services.signal_create(
        organisation=suzhou,
        by=admin,
        kind=SignalKind.WAGE_ARREARS,
        severity=Severity.SERIOUS,
        workers_affected=36,
        origins={"320000": 20, "340000": 12, "other": 4},
        site_provinces=[],
        occurred_on=dt.date(2023, 12, 12),
        description="演示数据：年底拖欠工资，皖籍职工较多，已与安徽省总工会共享。",
        city=city,
        employer_name="演示·苏州恒达精密制造有限公司",
        industry=Industry.MANUFACTURING,
        ownership="foreign",
        workers=workers,
        is_demo=True,
    )


def load(ctx: DemoContext) -> dict[str, Any]:
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    _accounts(ctx)
    if Signal.objects.filter(is_demo=True).exists():
        ctx.summary.append("labour relations: demo data already loaded")
        return {}
    from django.utils import timezone

    today = timezone.localdate()
    rng = random.Random(SEED)
    projects = _projects(admin, rng)
    signals = 0
    cases = 0
    for year, n_signals, n_cases in ((2022, 18, 30), (2023, 28, 44)):
        signals += len(_signals(admin, rng, year, n_signals))
        cases += _cases(admin, rng, year, n_cases, projects, today)
    _shared_members(admin)
    _referrals(admin, today)
    _current(admin, rng, today, projects)
    _worker_case(admin, today)
    for name in ("上海市总工会", "浙江省总工会"):
        org = Organisation.objects.filter(name=name, kind=Organisation.Kind.PROVINCIAL).first()
        if org is not None and admin is not None:
            services.report_record(organisation=org, year=2023, by=admin, is_demo=True)
    ctx.summary.append(
        f"labour relations: {signals + 1} signals, {Case.objects.filter(is_demo=True).count()} cases, "
        f"{len(projects)} building projects, {SituationReport.objects.count()} recorded reports"
    )
    return {"cases": cases}

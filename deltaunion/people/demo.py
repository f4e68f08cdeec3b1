"""Synthetic demo workers and employers, every one marked is_demo (idempotent).

The people and companies are invented for the demo; names say so ("演示"), and ID numbers
are generated with a valid check digit under the real division code of their city.

The people are plausible (`people.plausibility`, checked by tests/test_demo.py): the birth date
is the one in the ID number (born 1965–2000); work starts between the 16th and the 24th
birthday; a member joins the union on or after starting work (within six years, by
`LATEST_DAY`), a non-member has no joining date; a skill level is obtained on a day the
ladder allows for that age and those years of work (五级 from 18, 四级 from 20 with 2 years of
work, 三级 from 23 with 5, 二级/技师 from 28 with 8, 一级/高级技师 from 33 with 12) — a level
drawn that the person cannot have reached yet is lowered until they can.
"""

from __future__ import annotations

import datetime as dt
import random

from deltaunion.core.idnumber import make_id_number
from deltaunion.core.registry import DemoContext
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.services import organisation_create
from deltaunion.people.models import Employer, Ownership, SkillLevelRecord, Worker
from deltaunion.people.plausibility import add_years, earliest_day_for_level

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
TRADES = [
    "电工",
    "焊工",
    "钳工",
    "数控车工",
    "电梯安装维修工",
    "工业机器人系统操作员",
    "汽车维修工",
    "供水管道工",
    "废水处理工",
    "食品检验员",
    "物联网安装调试员",
    "消防员",
]

# (division code of the city federation, grassroots union, [(employer, ownership)])
UNITS = [
    ("330100", "演示·杭州智造装备有限公司工会", [("演示·杭州智造装备有限公司", Ownership.PRIVATE)]),
    ("330100", "演示·杭州城市供水集团工会", [("演示·杭州城市供水集团", Ownership.STATE)]),
    ("320500", "演示·苏州精密电梯有限公司工会", [("演示·苏州精密电梯有限公司", Ownership.FOREIGN)]),
    ("320500", "演示·苏州工业园区环境服务中心工会", [("演示·苏州工业园区环境服务中心", Ownership.PUBLIC_SECTOR)]),
    ("340100", "演示·合肥新能源汽车有限公司工会", [("演示·合肥新能源汽车有限公司", Ownership.STATE)]),
    ("310115", "演示·浦东数字物流有限公司工会", [("演示·浦东数字物流有限公司", Ownership.PRIVATE)]),
    ("330700", "演示·武义县即时配送站点联合工会", [("演示·武义即时配送站点", Ownership.PRIVATE)]),
    ("320100", "演示·南京轨道交通运营公司工会", [("演示·南京轨道交通运营公司", Ownership.STATE)]),
]
WORKERS_PER_UNIT = 25
# The demo's "now" for people's histories: no one starts work, joins or obtains a level later.
LATEST_DAY = dt.date(2023, 3, 31)


def _days(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day from `start` to `end` (both included; `start` when `end` is earlier)."""
    return start + dt.timedelta(days=rng.randrange(0, max(0, (end - start).days) + 1))


def _level_and_day(rng: random.Random, birth: dt.date, started: dt.date) -> tuple[int | None, dt.date | None]:
    """A skill level drawn as 1 in 8 none, then 五级, 四级 ×2, 三级 ×2, 二级, 一级; lowered to
    the highest the person could have reached by LATEST_DAY; obtained on a day from the first
    allowed one to LATEST_DAY."""
    level = rng.choice([None, 5, 4, 4, 3, 3, 2, 1])
    offset = rng.random()  # drawn every time: keeps reruns identical
    while level is not None and earliest_day_for_level(level, birth_date=birth, started_work_on=started) > LATEST_DAY:
        level = level + 1 if level < 5 else None
    if level is None:
        return None, None
    first = earliest_day_for_level(level, birth_date=birth, started_work_on=started)
    return level, first + dt.timedelta(days=int(offset * (LATEST_DAY - first).days))


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def load(ctx: DemoContext) -> dict[str, Organisation]:
    federations: dict[str, Organisation] = ctx.values["federations"]
    rng = random.Random(20230401)
    units: dict[str, Organisation] = {}
    for unit_index, (code, union_name, employers) in enumerate(UNITS):
        parent = federations[code]
        union = Organisation.objects.filter(parent=parent, name=union_name).first() or organisation_create(
            name=union_name,
            kind=Organisation.Kind.GRASSROOTS,
            parent=parent,
            region=parent.region,
            by=None,
            is_demo=True,
            source="演示数据",
        )
        units[union_name] = union
        for emp_name, ownership in employers:
            employer, _ = Employer.objects.get_or_create(
                organisation=union,
                name=emp_name,
                defaults={"ownership": ownership, "region_id": code, "is_demo": True},
            )
            gig = "配送" in emp_name
            for i in range(WORKERS_PER_UNIT):
                birth = _days(rng, dt.date(1965, 1, 1), dt.date(2000, 12, 31))
                seq = 100 + unit_index * 100 + i
                id_number = make_id_number(code, birth, seq % 1000)
                trade = rng.choice(TRADES) if not gig else "网约配送员"
                started = _days(rng, add_years(birth, 16), min(add_years(birth, 24), LATEST_DAY))
                is_member = rng.random() > 0.08
                joined = _days(rng, started, min(add_years(started, 6), LATEST_DAY))
                level, obtained = _level_and_day(rng, birth, started)
                worker, created = Worker.objects.get_or_create(
                    id_number=id_number,
                    defaults={
                        "name": _name(rng),
                        "birth_date": birth,
                        "sex": "M" if int(id_number[16]) % 2 else "F",
                        "phone": f"13{rng.randrange(0, 10**9):09d}",
                        "employer": employer,
                        "organisation": union,
                        "started_work_on": started,
                        "is_member": is_member,
                        "member_since": joined if is_member else None,
                        "trade": trade,
                        "skill_level": level,
                        "is_gig_worker": gig,
                        "is_demo": True,
                    },
                )
                if created and level:
                    SkillLevelRecord.objects.create(
                        worker=worker,
                        level=level,
                        trade=trade,
                        obtained_on=obtained,
                        reference="演示数据",
                    )
    ctx.values["units"] = units
    return units

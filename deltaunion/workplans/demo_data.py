"""Demo data: the YRD joint meetings, their work plans and key tasks, as the seed documents describe them.

Pure Python data, no Django imports. Every fact comes from one of the documents in /work/shared/seeds/;
anything a seed does not say is left empty ("" or None). Tasks are numbered 1..n per plan by list order.

Shape of one task: title, kind, tier, lead, lead_alliance, lead_note, deadline, target, status, reason, detail,
source. A status other than "planned" is a fact the seed states, and `reason` says which (the state is otherwise
computed from the evidence on the platform, see workplans.progress).
"""

from __future__ import annotations

SEED_2022_MEETING = "seeds/000 （人民网，2022年推进长三角高质量一体化发展工会工作联席会议，2022-09-09）"
SEED_2021_MEETING = "seeds/001 （工人日报，长三角高质量一体化发展工会工作联席会召开，2021-04-06）"
SEED_2019_SKILL = "seeds/002 （工人日报，中国长三角地区职工劳动技能创新工作首次联席会议）"
SEED_2023_MEETING = "seeds/004 （本报讯，2023年推进长三角高质量一体化发展工会工作联席会议及权威解读）"

KINDS = (
    "contest",
    "mechanism",
    "exchange",
    "recuperation",
    "honour",
    "map",
    "route",
    "training",
    "cooperation",
    "data",
    "other",
)
TIERS = ("led", "co_organised", "guided", "")
LEADS = ("shanghai", "jiangsu", "zhejiang", "anhui", "")
ALLIANCES = ("g60", "5plus10", "demo-zone", "dianshan-lake", "")
STATUSES = ("done", "in_progress", "planned")

_TASK_DEFAULTS = {
    "tier": "",
    "lead": "",
    "lead_alliance": "",
    "lead_note": "",
    "deadline": None,
    "target": "",
    "status": "planned",
    "reason": "",
    "detail": "",
}


def _task(title: str, kind: str, source: str, **fields: str | None) -> dict[str, str | None]:
    """One key task with every key present; unknown keys or values fail at import time."""
    unknown = set(fields) - set(_TASK_DEFAULTS)
    if unknown:
        raise KeyError(f"unknown task fields: {sorted(unknown)}")
    if fields.get("status", "planned") != "planned" and not fields.get("reason"):
        raise ValueError(f"{title}: a status from the seed needs its reason")
    task: dict[str, str | None] = {"title": title, "kind": kind, **_TASK_DEFAULTS, **fields, "source": source}
    checks = (
        ("kind", KINDS),
        ("tier", TIERS),
        ("lead", LEADS),
        ("lead_alliance", ALLIANCES),
        ("status", STATUSES),
    )
    for key, allowed in checks:
        if task[key] not in allowed:
            raise ValueError(f"{title}: {key}={task[key]!r} not in {allowed}")
    return task


# --- 2019: 中国长三角地区职工劳动技能创新工作首次联席会议 (seeds/002) -------------------------------------

_S = SEED_2019_SKILL
_PLAN_2019_SKILL_TASKS = [
    _task(
        "商定《中国长三角地区职工劳动技能创新战略合作协议（征求意见稿）》",
        "cooperation",
        _S,
        lead_note="三省一市总工会",
        status="done",
        reason="据seeds/002：三省一市总工会就协议名称、条款和期限等达成一致（报道未提及正式签订）。",
        detail="联席会议共同商讨了协议征求意见稿，三省一市总工会就协议名称、条款和期限等达成一致。报道未提及正式签订。",
    ),
    _task(
        "长三角地区职工劳动和技能竞赛系列活动",
        "contest",
        _S,
        deadline="2019-03-31",
        target="2019年一季度适当时间启动",
        detail=(
            "三省一市总工会一致同意在2019年一季度适当时间启动。会上就推进部分地区和行业牵头开展长三角地区"
            "职工劳动和技能竞赛展开具体讨论，并确立了各赛区的项目和内容。"
        ),
    ),
    _task(
        "推动长三角地区工会会员数据库和政府“一网通办”数据库互联互通",
        "data",
        _S,
        detail="推动长三角地区政府和工会资源的对接，为助推非公企业工会组建和人才交流创造条件。",
    ),
    _task(
        "推动技能人才数据库互联互通",
        "data",
        _S,
        detail="为助推非公企业工会组建和人才交流创造条件。",
    ),
    _task(
        "聚焦长三角地区园区创新联动，打造职工科技成果创新小镇",
        "other",
        _S,
    ),
    _task(
        "推动职工技能培训基地、疗休养等资源的共享和整合",
        "other",
        _S,
    ),
    _task(
        "推动建立职工技能培训云平台",
        "training",
        _S,
    ),
    _task(
        "推动建立由高等院校和大型企业组成的长三角地区校企职业技能培训联盟",
        "training",
        _S,
    ),
    _task(
        "推动建立覆盖广泛、运作规范的职工教育培训体系",
        "training",
        _S,
        detail="指导职业培训课程开发、标准制定、等级考核认定等。",
    ),
    _task(
        "推动建立长三角地区职工职业能力鉴定评价体系，开展技能等级认定试点",
        "training",
        _S,
        detail=(
            "在技能人才培养基地、市级行业协会、龙头企业中开展技能等级认定试点，助力建立"
            "“培训、练兵、比武、晋级、激励”五位一体的职工技能发展新体系。"
        ),
    ),
    _task(
        "共建长三角地区职工技能交流创新联盟",
        "cooperation",
        _S,
        detail="通过职工技能交流创新联盟，举办长三角地区职工科技成果展，组织获奖成果参加国际和国家级展示活动。",
    ),
    _task(
        "共建长三角地区劳模工匠人才创新工作室联盟",
        "cooperation",
        _S,
    ),
    _task(
        "每年围绕国家战略和重点项目举办研讨会，确定竞赛主题，开展全国引领性劳动和技能竞赛",
        "contest",
        _S,
        lead_note="三省一市总工会",
    ),
    _task(
        "拟共同签订《G60科创走廊战略合作协议》",
        "cooperation",
        _S,
        lead_alliance="g60",
        detail=(
            "上海市松江区、浙江省嘉兴、杭州市、江苏省苏州市、安徽省宣城市等9地合作，着力推动品牌园区深度合作，"
            "助推一批国家科技创新重点攻关任务完成。"
        ),
    ),
    _task(
        "共同签订《环淀山湖战略协同区一体化发展备忘录》",
        "cooperation",
        _S,
        lead_alliance="dianshan-lake",
        status="done",
        reason="据seeds/002：上海市青浦区、江苏省昆山市、浙江省嘉善县和江苏省苏州市吴江区4地共同签订。",
        detail="上海市青浦区、江苏省昆山市、浙江省嘉善县和江苏省苏州市吴江区4地共同签订。",
    ),
    _task(
        "首届长三角地区燃气行业职工职业技能晋级竞赛活动",
        "contest",
        _S,
        lead_note="上海航天工会",
        target="预计覆盖职工约10万人",
        detail="上海航天工会将主办。",
    ),
]

MEETING_2019_SKILL = {
    "slug": "2019-skill-innovation-meeting",
    "year": 2019,
    "title": "中国长三角地区职工劳动技能创新工作首次联席会议",
    "held_on": None,
    "date_note": "具体日期不详（报道称“日前在沪举行”）；会议同意在2019年一季度适当时间启动竞赛系列活动",
    "place": "上海",
    "summary": (
        "上海市总工会和江苏、浙江、安徽三省总工会在会上达成共识，围绕长三角更高质量一体化发展，整合各方资源，"
        "开展广泛合作，动员组织职工广泛开展多种形式的劳动和技能竞赛活动。"
    ),
    "source": _S,
    "plans": [
        {
            "slug": "2019-skill-innovation-consensus",
            "title": "中国长三角地区职工劳动技能创新工作首次联席会议商定事项",
            "summary": (
                "报道未载会议另行发布的文件名称；本方案按报道整理会议商定的合作事项，"
                "包括《中国长三角地区职工劳动技能创新战略合作协议（征求意见稿）》及各项共建、竞赛安排。"
            ),
            "source": _S,
            "tasks": _PLAN_2019_SKILL_TASKS,
        },
    ],
}

# --- 2019年4月: 沪苏浙皖工会工作首次联席会 (mentioned in seeds/004) -----------------------------------------

MEETING_2019_UNION_WORK = {
    "slug": "2019-joint-meeting",
    "year": 2019,
    "title": "助推长三角一体化发展国家战略沪苏浙皖工会工作首次联席会",
    "held_on": None,
    "date_note": "2019年4月（具体日期不详）",
    "place": "",
    "summary": (
        "2019年4月，助推长三角一体化发展国家战略沪苏浙皖工会工作首次联席会召开，此后，三省一市工会在劳动和技能竞赛、"
        "工匠培养、职工疗休养、和谐劳动关系构建等方面持续合作。"
    ),
    "source": SEED_2023_MEETING,
    "plans": [],
}

# --- 2021: 2021年推进“十四五”长三角高质量一体化发展工会工作联席会 (seeds/001) ---------------------------------

_S = SEED_2021_MEETING
# seeds/001: "三省一市总工会将共同推进" the seven key tasks — no single lead, no tier named.
_LED_2021 = {"tier": "", "lead_note": "三省一市总工会（共同推进）"}
_GUIDED_2021 = {"tier": "guided"}
_PLAN_2021_TASKS = [
    _task("长三角地区优化营商环境立功竞赛", "contest", _S, **_LED_2021),
    _task("举办长三角劳模工匠创新交流活动", "exchange", _S, **_LED_2021),
    _task("发布“建功‘十四五’ 奋进新征程”百项重大工程劳动竞赛职工科技创新成果", "other", _S, **_LED_2021),
    _task("建立三省一市工会共同合作预防化解区域性劳动关系矛盾的工作体制", "mechanism", _S, **_LED_2021),
    _task(
        "持续深化长三角地区职工疗休养协作事业，全面实现长三角地区职工疗休养基地互认共享",
        "recuperation",
        _S,
        **_LED_2021,
    ),
    _task("推动长三角工会干部培训院校合作", "training", _S, **_LED_2021),
    _task("推动长三角地区红色资源宣传、挖掘、利用", "other", _S, **_LED_2021),
    _task("G60科创走廊高质量发展职工劳动竞赛", "contest", _S, lead_alliance="g60", **_GUIDED_2021),
    _task("长三角地区燃气职工劳动技能创新立功竞赛", "contest", _S, **_GUIDED_2021),
    _task("长三角地区纺织行业职工职业技能竞赛", "contest", _S, **_GUIDED_2021),
    _task("围绕节能降耗主题在长三角电力行业开展相关竞赛", "contest", _S, **_GUIDED_2021),
    _task("长三角地区城市轨道交通行业职工职业技能竞赛", "contest", _S, **_GUIDED_2021),
    _task("长三角地区铁道行业职业技能竞赛", "contest", _S, **_GUIDED_2021),
    _task("长三角地区智能制造物流管理技能竞赛", "contest", _S, **_GUIDED_2021),
    _task("长三角地区燃机运维技能竞赛", "contest", _S, **_GUIDED_2021),
    _task("长三角地区工会集体协商技能竞赛", "contest", _S, **_GUIDED_2021),
]

MEETING_2021 = {
    "slug": "2021-joint-meeting",
    "year": 2021,
    "title": "2021年推进“十四五”长三角高质量一体化发展工会工作联席会",
    "held_on": "2021-04-01",
    "date_note": "",
    "place": "上海",
    "summary": (
        "4月1日，上海、江苏、浙江、安徽三省一市总工会在上海共同举行联席会，就三省一市职工劳动和技能竞赛、"
        "疗休养及基地互认、红色工运资源宣传发掘、预防化解区域性劳动关系矛盾、干校合作等多领域进行深度合作达成共识。"
    ),
    "source": _S,
    "plans": [
        {
            "slug": "2021-work-opinions",
            "title": "《2021年推进“十四五”长三角高质量一体化发展工会工作意见》",
            "summary": (
                "《意见》明确了7项2021年长三角地区工会重点工作；此外，三省一市总工会还就指导推动相关地级市、"
                "区（县）、产业局开展9项竞赛活动达成一致。"
            ),
            "source": _S,
            "tasks": _PLAN_2021_TASKS,
        },
    ],
}

# --- 2022: 2022年推进长三角高质量一体化发展工会工作联席会议 (seeds/000) -----------------------------------------

_S = SEED_2022_MEETING
_INDUSTRY_2022 = "聚焦重点产业、行业开展竞赛活动，推动科技创新、产业创新，助力长三角率先形成新发展格局。"
_PLAN_2022_CONTEST_TASKS = [
    _task("围绕集成电路开展竞赛活动", "contest", _S, detail=_INDUSTRY_2022),
    _task("围绕新型显示产业开展竞赛活动", "contest", _S, detail=_INDUSTRY_2022),
    _task("围绕智能交通创新技术开展竞赛活动", "contest", _S, detail=_INDUSTRY_2022),
    _task("围绕建设建材行业开展竞赛活动", "contest", _S, detail=_INDUSTRY_2022),
    _task("围绕优化营商环境开展竞赛活动", "contest", _S, detail=_INDUSTRY_2022),
    _task("围绕融资担保开展竞赛活动", "contest", _S, detail=_INDUSTRY_2022),
    _task(
        "青浦、吴江、嘉善两区一县工会围绕建设水乡客厅开展竞赛活动",
        "contest",
        _S,
        lead_alliance="demo-zone",
        detail="聚焦生态环保、互联互通、创新发展、公共服务等开展竞赛活动，推动长三角生态绿色一体化发展示范区建设。",
    ),
    _task(
        "松江、杭州、苏州、合肥等九城市工会围绕高水平共建G60科创走廊开展竞赛等活动",
        "contest",
        _S,
        lead_alliance="g60",
        detail="聚焦先进制造业和现代服务业开展竞赛等活动，动员职工岗位创新。",
    ),
    _task(
        "联合开展首届“长三角大工匠”选树命名活动",
        "honour",
        _S,
        lead_note="三省一市工会（联合开展）",
        status="done",
        reason="据seeds/004：2023年联席会议命名了首届“长三角大工匠”。",
        detail=(
            "共同加快打造一支与中国长三角地区一体化发展战略要求相适应的高技能领军人才队伍。"
            "据seeds/004,2023年推进长三角高质量一体化发展工会工作联席会议命名了首届“长三角大工匠”。"
        ),
    ),
]

_PLAN_2022_LABOUR_TASKS = [
    _task(
        "进一步健全长三角地区工会劳动关系矛盾多元化解和职工法律援助合作共建机制",
        "mechanism",
        _S,
    ),
    _task(
        "加强信息共享和协同调处，联合防范化解劳动关系领域各类问题",
        "mechanism",
        _S,
    ),
]

_PLAN_2022_RECUPERATION_TASKS = [
    _task(
        "整合四地职工疗休养资源，扩大基地互认规模，构建长三角疗休养基地矩阵",
        "recuperation",
        _S,
        detail="从推荐疗休养基地向推荐疗休养方案扩展。",
    ),
    _task(
        "打造长三角职工疗休养专属应用场景，探索建立疗休养在线服务平台",
        "recuperation",
        _S,
        detail="从丰富职工体验向服务工会组织延伸。",
    ),
    _task(
        "对相关疗休养政策进行充分研究，寻求政策的共性接口",
        "recuperation",
        _S,
        detail="从相互引流助推向整体设计配套深化，提高职工疗休养活动“互认、互通、共享”水平。",
    ),
]

_PLAN_2022_DIGITAL_TASKS = [
    _task(
        "长三角地区数字赋能高质量发展职工劳动和技能竞赛",
        "contest",
        _S,
        detail="聚焦工业数据、数字政务、数字金融、数字农业等内容，发挥龙头带动作用，推进区域经济数字化转型。",
    ),
]

_PLAN_2022_PAIRED_TASKS = [
    _task(
        "沪苏浙与皖北结对城市劳动和技能竞赛",
        "contest",
        _S,
        detail=(
            "围绕《沪苏浙城市结对合作帮扶皖北城市实施方案》开展，搭建长三角高技能人才交流竞技平台，"
            "推动实现长三角地区共同富裕。"
        ),
    ),
]

MEETING_2022 = {
    "slug": "2022-joint-meeting",
    "year": 2022,
    "title": "2022年推进长三角高质量一体化发展工会工作联席会议",
    "held_on": "2022-09-09",
    "date_note": "",
    "place": "远程连线",
    "summary": (
        "9月9日，联席会议以远程连线的方式召开，三省一市就长三角地区工会工作进行了交流，并共同发布了长三角一体化工会"
        "重点工作方案。全国总工会副主席、书记处书记、党组成员马璐出席并讲话。"
    ),
    "source": _S,
    "plans": [
        {
            "slug": "2022-contest-opinions",
            "title": "《2022年推进中国长三角地区高质量一体化发展竞赛工作意见》",
            "summary": (
                "沪苏浙皖工会在坚持广泛深入持久开展职工劳动和技能竞赛基础上，继续推进劳动者技能竞赛：聚焦重点产业、"
                "行业和重点区域开展竞赛活动，并联合开展首届“长三角大工匠”选树命名活动。"
                "（报道正文亦称《2022年推进“十四五”长三角高质量一体化发展竞赛工作意见》。）"
            ),
            "source": _S,
            "tasks": _PLAN_2022_CONTEST_TASKS,
        },
        {
            "slug": "2022-labour-relations-plan",
            "title": "《长三角三省一市工会一体化推动构建和谐劳动关系工作方案》",
            "summary": (
                "力促长三角地区各类企业用工更加规范，工会协调劳动关系制度更加健全，劳动关系矛盾调处更加高效，"
                "职工寻求援助服务更加便捷，推动长三角地区营商环境安定有序，社会环境和谐稳定。"
            ),
            "source": _S,
            "tasks": _PLAN_2022_LABOUR_TASKS,
        },
        {
            "slug": "2022-recuperation-plan",
            "title": "《2022年长三角三省一市职工疗休养区域战略协作工作方案》",
            "summary": (
                "三省一市总工会将整合四地职工疗休养资源，提高职工疗休养活动“互认、互通、共享”水平。"
                "（报道正文亦称《长三角三省一市职工疗休养区域战略协作工作方案》。）"
            ),
            "source": _S,
            "tasks": _PLAN_2022_RECUPERATION_TASKS,
        },
        {
            "slug": "2022-digital-contest-plan",
            "title": "《“数聚长三角 智汇创未来”长三角地区数字赋能高质量发展职工劳动和技能竞赛活动方案》",
            "summary": (
                "作为全国数字经济产业高地，长三角地区数字赋能高质量发展职工劳动和技能竞赛将发挥龙头带动作用，"
                "推进区域经济数字化转型。"
            ),
            "source": _S,
            "tasks": _PLAN_2022_DIGITAL_TASKS,
        },
        {
            "slug": "2022-paired-cities-contest-plan",
            "title": "《长三角结对城市职工劳动和技能竞赛方案》",
            "summary": "围绕《沪苏浙城市结对合作帮扶皖北城市实施方案》，开展沪苏浙与皖北结对城市劳动和技能竞赛。",
            "source": _S,
            "tasks": _PLAN_2022_PAIRED_TASKS,
        },
    ],
}

# --- 2023: 2023年推进长三角高质量一体化发展工会工作联席会议 (seeds/004) -----------------------------------------

_S = SEED_2023_MEETING
_ALLIANCE_5PLUS10 = (
    "长三角（5+10）城市工会工作联盟由环太湖的无锡、常州、苏州、湖州、嘉兴五城市总工会共同发起，上海市浦东新区、青浦区，"
    "江苏省南京、徐州、南通、镇江市，浙江省绍兴市，安徽省合肥、芜湖、宣城市等长三角区域十个城市（区）总工会共同参与。"
)
# seeds/004: "三省一市总工会联合相关部门开展的竞赛活动".
_JOINT_2023 = "三省一市总工会（联合相关部门）"
_PLAN_2023_CONTEST_TASKS = [
    # 三省一市总工会牵头推进的长三角重点竞赛项目
    _task("长三角地区信息技术应用创新成果大赛", "contest", _S, tier="led", lead="shanghai"),
    _task("第三届中国长三角地区劳模工匠创新工作室选树命名活动", "contest", _S, tier="led", lead="jiangsu"),
    _task("长三角地区工业机器人虚拟仿真职业技能竞赛", "contest", _S, tier="led", lead="zhejiang"),
    _task("长三角新能源汽车技术技能竞赛", "contest", _S, tier="led", lead="anhui"),
    # 三省一市总工会联合相关部门开展的竞赛活动
    _task("校企合作、产教融合项目竞赛活动", "contest", _S, tier="co_organised", lead_note=_JOINT_2023),
    _task("长三角地区智能交通创新技术应用大赛", "contest", _S, tier="co_organised", lead_note=_JOINT_2023),
    _task(
        "第三届长三角地区优化营商环境立功竞赛暨食品检验检测职业技能竞赛",
        "contest",
        _S,
        tier="co_organised",
        lead_note=_JOINT_2023,
        detail="原文作“优化营商环境环境立功竞赛”。",
    ),
    _task("长三角地区供水行业供水管道工职业技能竞赛", "contest", _S, tier="co_organised", lead_note=_JOINT_2023),
    _task("第二届中国长三角地区融资担保职业技能竞赛", "contest", _S, tier="co_organised", lead_note=_JOINT_2023),
    # 三省一市总工会指导推动相关地级市、区(县)、产业局工会开展的竞赛活动
    _task(
        "长三角生态绿色一体化示范区三地消防救援队伍业务技能竞赛",
        "contest",
        _S,
        tier="guided",
        lead_alliance="demo-zone",
    ),
    _task("第三届长三角地区铁道行业职业技能竞赛", "contest", _S, tier="guided", lead_note="铁路系统"),
    _task(
        "物联网工程技术职工职业技能竞赛",
        "contest",
        _S,
        tier="guided",
        lead_alliance="5plus10",
        detail=_ALLIANCE_5PLUS10,
    ),
    _task(
        "长三角地区废水处理行业（废水处理工）职业技能竞赛",
        "contest",
        _S,
        tier="guided",
        lead_note="三省一市相关部属企事业单位",
    ),
    _task("电梯维修技能邀请赛", "contest", _S, tier="guided", lead_note="长三角环太湖城市"),
    _task(
        "康养美食创新大赛",
        "contest",
        _S,
        tier="guided",
        lead_alliance="5plus10",
        detail=_ALLIANCE_5PLUS10,
    ),
    _task("服务技能大赛", "contest", _S, tier="guided", lead_note="长三角地区职工疗休养基地"),
]

_PLAN_2023_LABOUR_TASKS = [
    _task("建立跨区域劳动关系矛盾预警预防信息共享机制", "mechanism", _S),
    _task("建立跨地区劳动关系矛盾联动调处合作机制", "mechanism", _S),
    _task("建立工会法律援助异地维权协作机制", "mechanism", _S),
    _task("建立根治农民工欠薪联动机制", "mechanism", _S),
    _task("建立劳动关系状况会商研判机制", "mechanism", _S),
]

_PLAN_2023_RECUPERATION_TASKS = [
    _task(
        "组织职工赴其他三地开展职工疗休养交流活动",
        "recuperation",
        _S,
        lead_note="三省一市总工会（各自组织）",
        target="2023年上海市总工会、江苏省总工会、浙江省总工会、安徽省总工会各组织不少于3000名职工；一般不少于3天2晚",
        detail=(
            "活动对象：重点向劳模先进、工匠技师、技术工人、新就业形态劳动者等群体倾斜。"
            "活动内容：将红色工运寻访路线纳入疗休养整体安排之中，有效延伸红色寻访活动，引导广大职工铭记奋斗历程、"
            "传承信仰之力。活动地点：可优先选择长三角区域内各工人疗养院、沪苏浙皖四地总工会认定的职工疗休养基地。"
        ),
    ),
]

_PLAN_2023_RED_TASKS = [
    _task(
        "共同推出一张“长三角地区红色工运场馆地图”",
        "map",
        _S,
        lead_note="三省一市总工会（共同推出）",
        deadline="2023-08-31",
        detail="充分运用长三角各类革命历史类纪念设施、遗址和爱国主义教育基地等红色资源；2023年8月底前推出。",
    ),
    _task(
        "同步推出“长三角红色工运寻访主题线路”",
        "route",
        _S,
        lead_note="三省一市总工会（共同推出）",
        target="首批不少于30条",
        detail="在绘制红色工运地图的基础上同步推出。",
    ),
]

_PLAN_2023_SUMMARY_PREFIX = "2023年推进长三角高质量一体化发展工会工作方案（权威解读：2023年四项重点工作方案）"

MEETING_2023 = {
    "slug": "2023-joint-meeting",
    "year": 2023,
    "title": "2023年推进长三角高质量一体化发展工会工作联席会议",
    "held_on": None,
    "date_note": "2023年（具体日期不详，报道称“近日”召开）",
    "place": "",
    "summary": (
        "沪、苏、浙、皖三省一市工会召开2023年推进长三角高质量一体化发展工会工作联席会议，会议发布了2023年推进长三角"
        "高质量一体化发展工会工作方案，命名了首届“长三角大工匠”。三省一市总工会就联手开展劳动和技能竞赛、联动构建"
        "和谐劳动关系、联合推进红色工运场馆互访、共同组织职工疗休养交流等重点工作进一步达成合作共识。"
    ),
    "source": _S,
    "plans": [
        {
            "slug": "2023-contests",
            "title": "16项劳动和技能竞赛 搭建长三角职工竞技大舞台",
            "summary": (
                f"{_PLAN_2023_SUMMARY_PREFIX}之01：三省一市总工会牵头推进4项长三角重点竞赛项目，联合相关部门开展5项"
                "竞赛活动，指导推动相关地级市、区（县）、产业局工会开展7项竞赛活动。"
            ),
            "source": _S,
            "tasks": _PLAN_2023_CONTEST_TASKS,
        },
        {
            "slug": "2023-labour-relations",
            "title": "5大预警预防、联动调处机制共促长三角劳动关系和谐",
            "summary": f"{_PLAN_2023_SUMMARY_PREFIX}之02:建立5项预警预防、联动调处机制。",
            "source": _S,
            "tasks": _PLAN_2023_LABOUR_TASKS,
        },
        {
            "slug": "2023-recuperation-exchange",
            "title": "4地职工相互奔赴 助力长三角疗休养交流",
            "summary": (
                f"{_PLAN_2023_SUMMARY_PREFIX}之03:2023年，上海市总工会、江苏省总工会、浙江省总工会、安徽省总工会"
                "各组织不少于3000名职工，赴其他三地开展职工疗休养交流活动。"
            ),
            "source": _S,
            "tasks": _PLAN_2023_RECUPERATION_TASKS,
        },
        {
            "slug": "2023-red-map-routes",
            "title": "1张地图、1组线路 推动长三角互学互访",
            "summary": (
                f"{_PLAN_2023_SUMMARY_PREFIX}之04:2023年8月底前共同推出一张“长三角地区红色工运场馆地图”，"
                "同步推出“长三角红色工运寻访主题线路”，首批不少于30条。"
            ),
            "source": _S,
            "tasks": _PLAN_2023_RED_TASKS,
        },
    ],
}

del _S

MEETINGS = [
    MEETING_2019_SKILL,
    MEETING_2019_UNION_WORK,
    MEETING_2021,
    MEETING_2022,
    MEETING_2023,
]

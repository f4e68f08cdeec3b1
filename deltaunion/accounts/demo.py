"""Demo logins (idempotent). Every account is marked is_demo."""

from __future__ import annotations

from deltaunion.accounts.models import User
from deltaunion.core.registry import DemoContext
from deltaunion.orgs.models import Organisation, Role
from deltaunion.orgs.services import org_role_grant
from deltaunion.people.models import Worker
from deltaunion.people.services import worker_link_account

DEMO_PASSWORD = "deltaunion-demo"

# (username, full name, what they can do, [(org name, role)], superuser)
ACCOUNTS = [
    ("admin", "系统管理员（演示）", "超级管理员：全部数据与 Django 后台 /admin/", [], True),
    (
        "sh_admin",
        "上海市总工会管理员（演示）",
        "上海市总工会管理员：上海全市组织、职工与工作方案",
        [("上海市总工会", Role.FEDERATION_ADMIN)],
        False,
    ),
    (
        "zj_admin",
        "浙江省总工会管理员（演示）",
        "浙江省总工会管理员：浙江全省组织、职工与工作方案",
        [("浙江省总工会", Role.FEDERATION_ADMIN)],
        False,
    ),
    (
        "hz_officer",
        "杭州市总工会干部（演示）",
        "杭州市总工会干部：只看杭州市及以下的职工（看不到苏州）",
        [("杭州市总工会", Role.OFFICER)],
        False,
    ),
    (
        "sz_officer",
        "苏州市总工会干部（演示）",
        "苏州市总工会干部：只看苏州市及以下的职工",
        [("苏州市总工会", Role.OFFICER)],
        False,
    ),
    ("judge", "裁判（演示）", "裁判：后续竞赛模块中按加密号评分", [("浙江省总工会", Role.JUDGE)], False),
    ("expert", "评审专家（演示）", "评审专家：后续选树与成果评审", [("江苏省总工会", Role.EXPERT)], False),
    ("worker", "职工（演示）", "职工：查看本人档案（身份证号不打码）、公开的工作方案", [], False),
    (
        "organiser",
        "竞赛组织者（演示）",
        "竞赛组织者：管理演示竞赛；不担任工会职务，看到的参赛职工身份证号和手机号均已打码",
        [],
        False,
    ),
]


def load(ctx: DemoContext) -> list[tuple[str, str, str]]:
    out = []
    for username, full_name, description, roles, superuser in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username, full_name=full_name, is_demo=True, is_superuser=superuser, is_staff=superuser
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        for org_name, role in roles:
            org_role_grant(user=user, organisation=Organisation.objects.get(name=org_name), role=role, by=None)
        if username == "worker":
            worker = (
                Worker.objects.filter(is_demo=True, is_member=True, organisation__name="演示·杭州智造装备有限公司工会")
                .order_by("id")
                .first()
            )
            if worker and worker.user_id is None and not Worker.objects.filter(user=user).exists():
                worker_link_account(worker=worker, user=user, by=None)
                user.full_name = f"{worker.name}（演示职工）"
                user.save(update_fields=["full_name"])
            if worker:
                org_role_grant(user=user, organisation=worker.organisation, role=Role.WORKER, by=None)
        out.append((username, DEMO_PASSWORD, description))
    ctx.logins.extend(out)
    return out

"""Honours test data, written through the services (so quotas, states and history are real).

`build_selection(world)`: a grand-craftsman selection organised by the Zhejiang federation
(zj_admin), with places for Hangzhou (hz_officer) and Suzhou (sz_officer), one criterion set, a
required text material, and a panel of a chair and three experts. `nominate(...)` drafts,
completes and submits a nomination; `accept(...)` checks it (as zj_admin).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from deltaunion.accounts.tests.factories import UserFactory
from deltaunion.honours import services
from deltaunion.honours.models import Nomination, RecipientKind, RequiredMaterial, Selection
from deltaunion.people.models import Title

TODAY = dt.date(2023, 5, 10)


def build_selection(world: Any, *, experts: int = 4, places: int = 1, quota: int = 2, **fields: Any) -> SimpleNamespace:
    dates = {"nominations_open_on": dt.date(2023, 1, 1), "nominations_close_on": dt.date(2023, 12, 31)}
    selection = services.selection_create(
        lead_org=world.zj,
        title="测试长三角大工匠选树",
        year=2023,
        issuing_body="沪苏浙皖三省一市总工会",
        by=world.zj_admin,
        **{**dates, **fields},
    )
    category = services.category_add(
        selection=selection,
        honour_name="测试大工匠",
        recipient_kind=RecipientKind.PERSON,
        title_kind=Title.Kind.GRAND_CRAFTSMAN,
        places=places,
        by=world.zj_admin,
    )
    services.criterion_add(category=category, name="技能水平", weight=60, max_score=10, by=world.zj_admin)
    services.criterion_add(category=category, name="创新贡献", weight=40, max_score=10, by=world.zj_admin)
    material = services.material_add(
        selection=selection, label="事迹材料", kind=RequiredMaterial.Kind.TEXT, by=world.zj_admin
    )
    services.quota_set(selection=selection, organisation=world.hz, places=quota, by=world.zj_admin)
    services.quota_set(selection=selection, organisation=world.sz, places=quota, by=world.zj_admin)
    panel = services.panel_add(selection=selection, name="第一评审组", categories=[category], by=world.zj_admin)
    people = [UserFactory(username=f"expert{i}_{selection.pk}", full_name=f"专家{i}") for i in range(experts)]
    for i, user in enumerate(people):
        services.panel_member_add(panel=panel, user=user, is_chair=i == 0, by=world.zj_admin)
    services.selection_transition(selection=selection, name="open", by=world.zj_admin)
    selection.refresh_from_db()
    return SimpleNamespace(
        selection=selection, category=category, material=material, panel=panel, chair=people[0], experts=people
    )


def nominate(
    world: Any,
    built: SimpleNamespace,
    worker: Any,
    *,
    by: Any = None,
    organisation: Any = None,
    submit: bool = True,
    **kw: Any,
) -> Nomination:
    by = by or (world.hz_officer if worker.organisation.path.startswith(world.hz.path) else world.sz_officer)
    organisation = organisation or (world.hz if worker.organisation.path.startswith(world.hz.path) else world.sz)
    nomination = services.nomination_create(
        selection=built.selection,
        category=built.category,
        organisation=organisation,
        worker=worker,
        years_in_trade=kw.pop("years_in_trade", 12),
        statement=kw.pop("statement", "长期扎根一线，技术攻关成果突出。"),
        by=by,
        today=TODAY,
        **kw,
    )
    services.material_give(nomination=nomination, material=built.material, text="事迹材料正文", by=by)
    if submit:
        services.nomination_submit(nomination=nomination, by=by, today=TODAY)
    nomination.refresh_from_db()
    return nomination


def accept(world: Any, nomination: Nomination) -> Nomination:
    services.nomination_accept(nomination=nomination, by=world.zj_admin)
    nomination.refresh_from_db()
    return nomination


def score_all(built: SimpleNamespace, nomination: Nomination, values: list[tuple[int, int]]) -> None:
    """Each expert in turn scores (skill, innovation) out of 10."""
    criteria = list(built.category.criteria.order_by("order"))
    for user, (a, b) in zip(built.experts, values, strict=False):
        services.review_submit(
            nomination=nomination, by=user, scores={criteria[0].pk: a, criteria[1].pk: b}, comment=""
        )


def to_review(world: Any, built: SimpleNamespace) -> Selection:
    services.selection_transition(selection=built.selection, name="close", by=world.zj_admin)
    built.selection.refresh_from_db()
    return built.selection


def named_award(world: Any, **fields: Any) -> Any:
    """A selection run to the end: 王建国 (Hangzhou) named, his certificate issued."""
    import datetime as _dt

    from django.utils import timezone

    built = build_selection(world, **fields)
    nomination = accept(world, nominate(world, built, world.hz_a))
    to_review(world, built)
    score_all(built, nomination, [(9, 9), (9, 8), (8, 9)])
    services.panel_sign_off(panel=built.panel, by=built.chair)
    now = timezone.now()
    services.selection_notice(selection=built.selection, by=world.zj_admin, now=now)
    [award] = services.selection_name(
        selection=built.selection, by=world.zj_admin, now=now + _dt.timedelta(days=8), named_on=_dt.date(2023, 6, 1)
    )
    built.award = award
    built.nomination = nomination
    return built


def studio(world: Any, name: str = "王建国劳模创新工作室", *, union: Any = None, by: Any = None, **fields: Any) -> Any:
    return services.studio_create(
        organisation=union or world.hz_unit,
        name=name,
        lead=fields.pop("lead", world.hz_a),
        employer=fields.pop("employer", world.hz_employer),
        by=by or world.hz_officer,
        **fields,
    )


def result(
    world: Any, title: str = "数控机床主轴快速校准装置", *, union: Any = None, by: Any = None, **fields: Any
) -> Any:
    return services.result_create(
        organisation=union or world.hz_unit,
        title=title,
        kind=fields.pop("kind", "utility_model"),
        owners=fields.pop("owners", [world.hz_a]),
        by=by or world.hz_officer,
        **fields,
    )


def png_bytes() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 6), (183, 28, 28)).save(buf, format="PNG")
    return buf.getvalue()

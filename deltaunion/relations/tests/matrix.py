"""Labour relations in the 404 matrix: a Hangzhou case (its page, steps, workers, evidence), a
Hangzhou signal and a Hangzhou building project. Outsiders (a Suzhou officer, a worker who is not
concerned, a judge, anonymous) get the same answer as for an object that does not exist."""

from __future__ import annotations

import datetime as dt

from deltaunion.core.testing import Obj
from deltaunion.relations import services
from deltaunion.relations.models import Industry, SignalKind
from deltaunion.relations.tests.factories import hz_city, open_case, png_bytes, upload


def build(world):
    case = open_case(world)
    party = case.parties.first()
    item = services.evidence_add(
        case=case,
        upload=upload("p.png", png_bytes(), "image/png"),
        kind="photo",
        by=world.hz_officer,
    )
    signal = services.signal_create(
        organisation=world.hz,
        by=world.hz_officer,
        kind=SignalKind.WAGE_ARREARS,
        severity="general",
        workers_affected=10,
        origins={"330000": 10},
        site_provinces=[],
        occurred_on=dt.date(2023, 12, 1),
        description="欠薪",
        city=hz_city(),
        employer_name="杭州测试企业",
        industry=Industry.MANUFACTURING,
        ownership="private",
    )
    project = services.project_create(
        organisation=world.hz,
        by=world.hz_officer,
        name="杭州测试项目",
        city=hz_city(),
        contractor="分包",
        main_contractor="总包",
    )
    return {
        "case_id": Obj(case.pk, owner=world.hz_officer),
        "party_id": Obj(party.pk, owner=world.hz_officer),
        "key": Obj(item.key, owner=world.hz_officer),
        "signal_id": Obj(signal.pk, owner=world.hz_officer),
        "project_id": Obj(project.pk, owner=world.hz_officer),
    }

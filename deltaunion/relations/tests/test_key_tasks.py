"""The workplans' key tasks of the five mechanisms show in which federations each is set up."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from deltaunion.relations import selectors, services
from deltaunion.relations.models import ReferralMode
from deltaunion.relations.tests.factories import open_case

pytestmark = pytest.mark.django_db


def _task(title: str, kind: str = "mechanism") -> SimpleNamespace:
    return SimpleNamespace(kind=kind, title=title)


def test_a_mechanism_counts_the_federations_where_it_has_records(world):
    task = _task("建立跨地区劳动关系矛盾联动调处合作机制")
    [before] = selectors.key_task_evidence(task)
    assert before.done == 0 and not before.complete and "尚未" in before.label
    case = open_case(world)  # Hangzhou (Zhejiang) refers to Suzhou (Jiangsu), which accepts
    services.case_refer(case=case, to_organisation=world.sz, mode=ReferralMode.REFERRAL, by=world.hz_officer)
    services.case_answer_referral(case=case, accept=True, by=world.sz_officer)
    [after] = selectors.key_task_evidence(task)
    assert after.done == 2 and after.target == 2 and after.complete
    assert "浙江省总工会" in after.label and "江苏省总工会" in after.label
    assert after.url == "/relations/"


def test_other_tasks_get_nothing(world):
    assert selectors.key_task_evidence(_task("建立劳动关系状况会商研判机制", kind="project")) == []
    assert selectors.key_task_evidence(_task("举办职工技能竞赛")) == []

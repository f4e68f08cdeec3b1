"""Readable history (`core.audit.describe`): sentences with verbose names, labels and names, never codes or ids."""

from __future__ import annotations

import pytest

from deltaunion.core.audit import describe, history, log_action
from deltaunion.core.models import AuditEntry
from deltaunion.orgs.models import Organisation
from deltaunion.people.models import Employer, Worker


def _entry(obj, *, action="worker.update", before=None, after=None, actor=None) -> AuditEntry:
    return log_action(actor=actor, action=action, obj=obj, before=before, after=after)


def _changes(entry) -> list[tuple[str, str, str]]:
    [item] = describe([entry])
    return [(c.field, c.before, c.after) for c in item.changes]


def test_field_verbose_names_and_choice_labels(world):
    entry = _entry(world.hz_a, before={"sex": "M", "skill_level": 3}, after={"sex": "F", "skill_level": 2})
    assert _changes(entry) == [("性别", "男", "女"), ("当前技能等级", "三级/高级工", "二级/技师")]


def test_foreign_keys_read_as_names_in_one_query_per_model(world, django_assert_max_num_queries):
    entries = [
        _entry(world.hz_a, before={"employer_id": world.hz_employer.pk}, after={"employer_id": world.sz_employer.pk}),
        _entry(world.hz_b, before={"organisation_id": world.hz_unit.pk}, after={"organisation_id": world.sz_unit.pk}),
    ]
    with django_assert_max_num_queries(3):  # the employers, the organisations, and nothing per entry
        items = describe(entries)
    assert [(c.field, c.before, c.after) for i in items for c in i.changes] == [
        ("用人单位", "杭州测试机械有限公司", "苏州测试电梯有限公司"),
        ("所属工会", "杭州测试机械有限公司工会", "苏州测试电梯有限公司工会"),
    ]


def test_booleans_dates_and_empty_values(world):
    entry = _entry(
        world.hz_a,
        before={"is_member": True, "member_since": None, "trade": ""},
        after={"is_member": False, "member_since": "2015-01-01", "trade": "焊工"},
    )
    assert _changes(entry) == [
        ("工会会员", "是", "否"),
        ("入会日期", "—", "2015年1月1日"),
        ("工种", "—", "焊工"),
    ]


def test_a_deleted_related_object_is_said_to_be_removed(world):
    gone = Employer.objects.create(name="已注销的公司", organisation=world.hz_unit, ownership="private")
    entry = _entry(world.hz_a, before={"employer_id": gone.pk}, after={"employer_id": world.hz_employer.pk})
    Worker.objects.filter(employer=gone).update(employer=None)
    gone.delete()
    assert _changes(entry) == [("用人单位", "（已删除）", "杭州测试机械有限公司")]


def test_unknown_keys_get_a_generic_label_or_their_words(world):
    entry = _entry(world.hz_unit, action="organisation.update", after={"count": 3, "batch_label": "A"})
    assert _changes(entry) == [("数量", "", "3"), ("batch label", "", "A")]


def test_model_attributes_label_hide_and_translate_keys(world):
    # Worker declares audit_labels / audit_choices for "source" and hides "record".
    entry = _entry(
        world.hz_a,
        action="worker.skill_level",
        before={"skill_level": 3},
        after={"skill_level": 2, "record": 99, "source": "contest"},
    )
    changes = _changes(entry)
    assert ("来源", "—", "竞赛晋级") in changes
    assert not any("record" in c[0] or "99" in c[2] for c in changes)
    # Organisation hides the tree's bookkeeping (path, depth).
    org = _entry(world.hz, action="organisation.update", after={"path": "00000010000002", "depth": 2, "name": "杭州"})
    assert _changes(org) == [("名称", "", "杭州")]


def test_the_sentence_parts(world):
    entry = _entry(world.hz_a, before={"trade": "电工"}, after={"trade": "焊工"}, actor=world.hz_officer)
    [item] = describe([entry])
    assert (item.actor, item.action, item.object) == (world.hz_officer.full_name, "修改了职工信息", "王建国")
    assert item.when == entry.created_at
    system = _entry(world.hz_a, before={"trade": "焊工"}, after={"trade": "钳工"})
    assert describe([system])[0].actor == "系统"


def test_an_unregistered_action_or_a_vanished_model_still_reads(world):
    odd = AuditEntry.objects.create(
        action="no_such.thing", object_type="gone.model", object_id="1", object_repr="旧对象", after={"x_y": 1}
    )
    [item] = describe([odd])
    assert item.action == "做了修改"
    assert [(c.field, c.after) for c in item.changes] == [("x y", "1")]


def test_unchanged_keys_are_left_out_and_history_is_newest_first(world):
    first = _entry(world.hz_a, before={"trade": "电工", "phone": "1"}, after={"trade": "焊工", "phone": "1"})
    second = _entry(world.hz_a, before={"trade": "焊工"}, after={"trade": "钳工"})
    assert _changes(first) == [("工种", "电工", "焊工")]
    assert [i.entry for i in history(world.hz_a)][:2] == [second, first]


@pytest.mark.parametrize("kind", Organisation.Kind.values)
def test_every_choice_of_a_model_reads_as_its_label(world, kind):
    entry = _entry(world.hz, action="organisation.update", before={"kind": kind}, after={"kind": kind + "?"})
    [(field, before, after)] = _changes(entry)
    assert field == "类型" and before == str(Organisation.Kind(kind).label) and after == kind + "?"

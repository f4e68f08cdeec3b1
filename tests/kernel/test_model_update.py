"""`core.services.model_update`: the changed fields only, one audit entry, the model's own validation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deltaunion.core.audit import describe, history_for
from deltaunion.core.services import model_update
from deltaunion.orgs.models import Alliance
from deltaunion.people.models import Worker
from deltaunion.workplans.models import KeyTask
from deltaunion.workplans.tests.factories import KeyTaskFactory

FIELDS = ["name", "phone", "trade", "employer", "is_member", "member_since"]


def _updates(obj):
    return history_for(obj).filter(action="worker.update")


def test_only_the_changed_fields_are_saved_and_audited_in_one_entry(world):
    w = world.hz_a
    with CaptureQueriesContext(connection) as queries:
        _obj, changed = model_update(
            instance=w,
            fields=FIELDS,
            data={"trade": "焊工", "phone": w.phone, "is_member": True, "employer": world.hz_employer},
            by=world.hz_officer,
            action="worker.update",
        )
    assert changed
    [update] = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert '"trade"' in update and '"phone"' not in update and '"is_member"' not in update
    entry = _updates(w).get()
    assert (entry.before, entry.after, entry.actor) == ({"trade": "电工"}, {"trade": "焊工"}, world.hz_officer)
    assert Worker.objects.get(pk=w.pk).trade == "焊工"


def test_a_foreign_key_is_stored_by_id_and_read_by_name(world):
    other = world.hz_unit.employers.create(name="杭州另一家公司", ownership="state")
    model_update(instance=world.hz_a, fields=FIELDS, data={"employer": other}, by=world.hz_officer)
    entry = history_for(world.hz_a).get(action="worker.update")  # the default action: "<model>.update"
    assert (entry.before, entry.after) == ({"employer_id": world.hz_employer.pk}, {"employer_id": other.pk})
    [item] = describe([entry])
    assert [(c.field, c.before, c.after) for c in item.changes] == [
        ("用人单位", "杭州测试机械有限公司", "杭州另一家公司")
    ]


def test_nothing_changed_writes_nothing(world):
    w = world.hz_a
    stamp = Worker.objects.get(pk=w.pk).updated_at
    with CaptureQueriesContext(connection) as queries:
        _obj, changed = model_update(
            instance=w, fields=FIELDS, data={"trade": "电工", "name": "王建国"}, by=world.hz_officer
        )
    assert not changed
    assert not [q for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert Worker.objects.get(pk=w.pk).updated_at == stamp
    assert not _updates(w).exists()


def test_a_field_not_offered_is_refused(world):
    with pytest.raises(ValidationError):
        model_update(instance=world.hz_a, fields=FIELDS, data={"id_number": "x"}, by=world.hz_officer)
    assert Worker.objects.get(pk=world.hz_a.pk).id_number == world.hz_a.id_number


def test_a_state_field_is_refused(tree, users):
    task = KeyTaskFactory(lead_org=tree.hz)
    with pytest.raises(ValueError, match="state machine"):
        model_update(instance=task, fields=["status", "title"], data={"status": "done"}, by=users.hz_officer)
    with pytest.raises(ValueError):
        model_update(instance=task, fields=["status"], data={}, by=users.hz_officer)
    assert KeyTask.objects.get(pk=task.pk).status == KeyTask.Status.PLANNED
    # The other fields of a stateful model change as usual.
    model_update(instance=task, fields=["title"], data={"title": "新标题"}, by=users.hz_officer)
    assert KeyTask.objects.get(pk=task.pk).title == "新标题"


def test_an_over_long_value_is_refused_never_cut_and_the_instance_restored(world):
    w = world.hz_a
    with pytest.raises(ValidationError) as exc:
        model_update(instance=w, fields=FIELDS, data={"trade": "工" * 101, "name": "新名字"}, by=world.hz_officer)
    assert "trade" in exc.value.message_dict
    assert (w.trade, w.name) == ("电工", "王建国")  # both restored, not only the bad one
    fresh = Worker.objects.get(pk=w.pk)
    assert (fresh.trade, fresh.name) == ("电工", "王建国")
    assert not _updates(w).exists()


def test_a_bad_choice_is_refused(world):
    with pytest.raises(ValidationError):
        model_update(instance=world.hz_a, fields=["skill_level"], data={"skill_level": 9}, by=world.hz_officer)
    assert world.hz_a.skill_level == 3


def test_many_to_many_is_set_and_audited_as_ids(tree, users):
    alliance = Alliance.objects.create(slug="kernel", name="测试联盟", kind=Alliance.Kind.OTHER)
    _obj, changed = model_update(
        instance=alliance, fields=["members", "name"], data={"members": [tree.hz, tree.sz.pk]}, by=users.superuser
    )
    assert changed
    assert set(alliance.members.all()) == {tree.hz, tree.sz}
    entry = history_for(alliance).get()
    assert (entry.before, entry.after) == ({"members": []}, {"members": sorted([tree.hz.pk, tree.sz.pk])})
    # The same members in another order: nothing changes.
    assert not model_update(instance=alliance, fields=["members"], data={"members": [tree.sz, tree.hz]}, by=None)[1]
    # A field and the members together: still one entry.
    model_update(instance=alliance, fields=["members", "name"], data={"members": [tree.hz], "name": "新联盟"}, by=None)
    entry = history_for(alliance).first()
    assert history_for(alliance).count() == 2
    assert entry.before == {"name": "测试联盟", "members": sorted([tree.hz.pk, tree.sz.pk])}
    assert entry.after == {"name": "新联盟", "members": [tree.hz.pk]}
    [item, _first] = describe(history_for(alliance))
    assert {c.field: c.after for c in item.changes}["成员单位"] == "杭州市总工会"


def test_a_unique_constraint_over_a_changed_and_an_unchanged_field_is_a_validation_error(tree, users):
    from deltaunion.orgs.services import organisation_create

    sibling = organisation_create(name="宁波市总工会", kind="city", parent=tree.zj, by=None)
    with pytest.raises(ValidationError):
        model_update(instance=sibling, fields=["name"], data={"name": "杭州市总工会"}, by=users.zj_admin)
    assert sibling.name == "宁波市总工会"

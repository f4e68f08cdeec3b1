"""Key task status changes: only the lead organisation's officers, through declared transitions, always audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from deltaunion.core.audit import describe, history_for
from deltaunion.core.permissions import Forbidden, can
from deltaunion.core.statemachine import TransitionError
from deltaunion.orgs.models import OrgRole, Role
from deltaunion.workplans.models import KeyTask
from deltaunion.workplans.services import key_task_set_status
from deltaunion.workplans.tests.factories import KeyTaskFactory


@pytest.fixture
def zj_task(tree):
    return KeyTaskFactory(lead_org=tree.zj, title="浙江牵头的竞赛")


def test_lead_orgs_officer_sets_status_and_it_is_audited(zj_task, users):
    task = key_task_set_status(task=zj_task, status=KeyTask.Status.IN_PROGRESS, by=users.zj_admin, note="已启动")
    assert task.status == "in_progress"
    assert KeyTask.objects.get(pk=zj_task.pk).status == "in_progress"
    entry = history_for(zj_task).get()
    assert entry.action == "key_task.start"
    assert entry.actor == users.zj_admin
    assert entry.before == {"status": "planned"}
    assert entry.after == {"status": "in_progress", "status_reason": "已启动"}
    assert entry.note == "已启动"
    assert entry.org_path == zj_task.lead_org.path


def test_setting_the_same_status_again_writes_nothing(zj_task, users):
    key_task_set_status(task=zj_task, status="done", by=users.zj_admin, note="已完成")
    key_task_set_status(task=zj_task, status="done", by=users.zj_admin, note="已完成")
    assert history_for(zj_task).count() == 1


def test_an_officer_below_the_lead_does_not_manage_the_lead_orgs_task(zj_task, users):
    # Hangzhou is under Zhejiang: managing Hangzhou does not make one manage Zhejiang.
    with pytest.raises(Forbidden):
        key_task_set_status(task=zj_task, status="done", by=users.hz_officer, note="x")


@pytest.mark.parametrize("who", ["sz_officer", "nobody", "zj_judge", "worker"])
def test_others_are_refused_and_nothing_changes(zj_task, users, who):
    # The task is public (they may see it) but not theirs to change: 403, not 404.
    with pytest.raises(Forbidden):
        key_task_set_status(task=zj_task, status="done", by=getattr(users, who))
    assert KeyTask.objects.get(pk=zj_task.pk).status == "planned"
    assert not history_for(zj_task).exists()


@pytest.mark.parametrize("status", ["finished", "", "DONE", None])
def test_invalid_status_is_a_validation_error_and_nothing_changes(zj_task, users, status):
    with pytest.raises(ValidationError) as exc:
        key_task_set_status(task=zj_task, status=status, by=users.zj_admin)
    assert exc.value.messages
    assert KeyTask.objects.get(pk=zj_task.pk).status == "planned"
    assert not history_for(zj_task).exists()


def test_superuser_manages_every_task(zj_task, users):
    key_task_set_status(task=zj_task, status="cancelled", by=users.superuser, note="取消")
    assert KeyTask.objects.get(pk=zj_task.pk).status == "cancelled"


def test_joint_task_belongs_to_the_provincial_admins_together(tree, users):
    joint = KeyTaskFactory(lead_org=None, title="三省一市共同推进")
    assert can(users.zj_admin, "workplans.manage_task", joint)
    assert not can(users.hz_officer, "workplans.manage_task", joint)
    assert not can(users.nobody, "workplans.manage_task", joint)
    # An admin of a city is not an admin of a provincial federation.
    OrgRole.objects.create(user=users.sz_officer, organisation=tree.sz, role=Role.FEDERATION_ADMIN)
    fresh = type(users.sz_officer).objects.get(pk=users.sz_officer.pk)
    assert not can(fresh, "workplans.manage_task", joint)
    key_task_set_status(task=joint, status="in_progress", by=users.zj_admin, note="启动")
    with pytest.raises(Forbidden):
        key_task_set_status(task=joint, status="done", by=fresh, note="完成")
    assert KeyTask.objects.get(pk=joint.pk).status == "in_progress"


def test_status_page_form_uses_the_same_rules(client, zj_task, users):
    url = f"/plans/tasks/{zj_task.pk}/status/"
    client.force_login(users.sz_officer)
    refused = client.post(url, {"status": "done", "note": "已完成"})
    assert refused.status_code == 403
    assert "牵头单位" in refused.content.decode()
    client.force_login(users.zj_admin)
    assert client.post(url, {"status": "bogus"}).status_code == 302
    assert KeyTask.objects.get(pk=zj_task.pk).status == "planned"
    assert client.post(url, {"status": "done", "note": "已完成"}).status_code == 302
    assert KeyTask.objects.get(pk=zj_task.pk).status == "done"
    page = client.get(f"/plans/tasks/{zj_task.pk}/")
    assert page.status_code == 200
    assert 'name="status"' in page.content.decode()
    client.force_login(users.sz_officer)
    assert 'name="status"' not in client.get(f"/plans/tasks/{zj_task.pk}/").content.decode()


@pytest.mark.parametrize(
    ("start", "target"),
    [("cancelled", "done"), ("cancelled", "in_progress"), ("done", "cancelled")],
)
def test_undeclared_transitions_are_refused_and_change_nothing(zj_task, users, start, target):
    KeyTask.objects.filter(pk=zj_task.pk).update(status=start)
    zj_task.refresh_from_db()
    with pytest.raises(TransitionError):
        key_task_set_status(task=zj_task, status=target, by=users.zj_admin, note="理由")
    assert KeyTask.objects.get(pk=zj_task.pk).status == start
    assert not history_for(zj_task).exists()


def test_history_reads_as_sentences(zj_task, users):
    key_task_set_status(task=zj_task, status="in_progress", by=users.zj_admin, note="已启动")
    [item] = describe(history_for(zj_task))
    assert item.action == "开始推进重点任务"
    assert [(c.field, c.before, c.after) for c in item.changes] == [
        ("状态", "按进展计算", "推进中"),
        ("人工设定状态的理由", "—", "已启动"),
    ]
    assert item.note == "已启动"

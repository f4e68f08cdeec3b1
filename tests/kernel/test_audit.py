"""The audit log: a service call writes who, what, before and after; history_for reads it back."""

from __future__ import annotations

from deltaunion.core.audit import history_for, log_action, snapshot
from deltaunion.core.models import AuditEntry
from deltaunion.orgs.services import organisation_update
from deltaunion.people.services import worker_update


def test_service_call_writes_an_audit_entry(tree, users):
    before_count = AuditEntry.objects.count()
    organisation_update(organisation=tree.hz, by=users.zj_admin, short_name="杭总")
    assert AuditEntry.objects.count() == before_count + 1

    entry = history_for(tree.hz).first()
    assert entry.action == "organisation.update"
    assert entry.actor == users.zj_admin
    assert entry.object_type == "orgs.organisation"
    assert entry.object_id == str(tree.hz.pk)
    assert entry.org_path == tree.hz.path
    assert entry.before["short_name"] == ""
    assert entry.after["short_name"] == "杭总"
    assert entry.changes() == [("short_name", "", "杭总")]


def test_history_is_per_object_and_newest_first(world):
    worker_update(worker=world.hz_a, by=world.hz_officer, trade="焊工")
    worker_update(worker=world.hz_a, by=world.hz_officer, phone="13811112222")
    worker_update(worker=world.hz_b, by=world.hz_officer, trade="钳工")

    entries = list(history_for(world.hz_a))
    # Newest first; the fixture registered the worker through the service.
    assert [e.action for e in entries] == ["worker.update", "worker.update", "worker.create"]
    assert entries[0].after["phone"] == "13811112222"
    assert entries[0].before["phone"] == "13912345678"
    assert entries[1].before["trade"] == "电工" and entries[1].after["trade"] == "焊工"
    assert [e.actor for e in entries] == [world.hz_officer, world.hz_officer, None]  # None: the system
    # The worker's org path is copied for scoped history queries.
    assert entries[0].org_path == world.hz_unit.path
    assert [e.after["trade"] for e in history_for(world.hz_b)] == ["钳工", "电工"]


def test_anonymous_actor_is_stored_as_none(tree):
    entry = log_action(actor=None, action="organisation.update", obj=tree.zj, after=snapshot(tree.zj, ["name"]))
    assert entry.actor is None
    assert entry.after == {"name": "浙江省总工会"}
    assert history_for(tree.zj).first() == entry

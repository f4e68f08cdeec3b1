"""Changing the tree: who may (the refusal rule), one audit entry per change, history as sentences."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from deltaunion.core.audit import describe, history_for
from deltaunion.core.permissions import Forbidden, can, refusal
from deltaunion.orgs.models import Alliance, Organisation, OrgRole, Role
from deltaunion.orgs.scoping import scope_for
from deltaunion.orgs.services import (
    alliance_set_members,
    org_role_grant,
    org_role_revoke,
    organisation_create,
    organisation_move,
    organisation_update,
)

K = Organisation.Kind


def _updates(org):
    return history_for(org).filter(action="organisation.update")


def test_update_writes_the_changed_fields_in_one_entry(tree, users):
    organisation_update(organisation=tree.hz, by=users.hz_officer, name=" 杭州市总工会 ", short_name="杭总", source="")
    entry = _updates(tree.hz).get()
    assert (entry.before, entry.after) == ({"short_name": ""}, {"short_name": "杭总"})
    assert Organisation.objects.get(pk=tree.hz.pk).short_name == "杭总"
    organisation_update(organisation=tree.hz, by=users.hz_officer, short_name="杭总")  # no change: no entry
    assert _updates(tree.hz).count() == 1


def test_update_keeps_the_names_rules(tree, users, english):
    with pytest.raises(ValidationError) as exc:
        organisation_update(organisation=tree.hz, by=users.zj_admin, name="  ")
    assert exc.value.messages == ["The organisation name cannot be empty"]
    sibling = organisation_create(name="宁波市总工会", kind=K.CITY, parent=tree.zj, by=users.zj_admin)
    with pytest.raises(ValidationError) as exc:
        organisation_update(organisation=sibling, by=users.zj_admin, name="杭州市总工会")
    assert "杭州市总工会" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        organisation_update(organisation=tree.hz, by=users.zj_admin, short_name="简" * 41)  # longer than the field
    assert tree.hz.short_name == ""  # the instance is restored
    with pytest.raises(ValidationError):
        organisation_update(organisation=tree.hz, by=users.zj_admin, kind=K.DISTRICT)  # not changed this way
    fresh = Organisation.objects.get(pk=tree.hz.pk)
    assert (fresh.name, fresh.short_name, fresh.kind) == ("杭州市总工会", "", K.CITY)
    assert not _updates(tree.hz).exists()


@pytest.mark.parametrize("who", ["sz_officer", "worker", "zj_judge", "nobody"])
def test_update_by_others_is_403_with_the_reason(tree, users, who):
    # The tree is public: they see the organisation, and may not change it.
    with pytest.raises(Forbidden) as exc:
        organisation_update(organisation=tree.hz, by=getattr(users, who), short_name="改")
    assert str(exc.value) == refusal("orgs.update_organisation")
    assert Organisation.objects.get(pk=tree.hz.pk).short_name == ""


def test_an_officer_manages_below_not_above(tree, users):
    assert can(users.hz_officer, "orgs.update_organisation", tree.hz_unit)
    assert not can(users.hz_officer, "orgs.update_organisation", tree.zj)
    unit = organisation_create(name="杭州新工会", kind=K.GRASSROOTS, parent=tree.hz, by=users.hz_officer)
    assert unit.parent == tree.hz
    with pytest.raises(Forbidden):
        organisation_create(name="浙江新工会", kind=K.GRASSROOTS, parent=tree.zj, by=users.hz_officer)
    with pytest.raises(Forbidden):  # a root is the superusers'
        organisation_create(name="另一个全总", kind=K.ACFTU, parent=None, by=users.zj_admin)
    assert not Organisation.objects.filter(name__in=["浙江新工会", "另一个全总"]).exists()


def test_move_needs_both_places(tree, users):
    unit = organisation_create(name="待迁移工会", kind=K.GRASSROOTS, parent=tree.hz, by=users.hz_officer)
    # Hangzhou's officer manages where it is, not where it would go …
    with pytest.raises(Forbidden):
        organisation_move(organisation=unit, new_parent=tree.sz, by=users.hz_officer)
    # … nor may an officer move the organisation they sit at the top of.
    with pytest.raises(Forbidden):
        organisation_move(organisation=tree.hz, new_parent=tree.js, by=users.hz_officer)
    # Zhejiang's administrator manages Hangzhou (its parent) but not Jiangsu.
    with pytest.raises(Forbidden):
        organisation_move(organisation=tree.hz, new_parent=tree.js, by=users.zj_admin)
    unit.refresh_from_db()
    assert unit.parent == tree.hz
    moved = organisation_move(organisation=unit, new_parent=tree.zj, by=users.zj_admin)
    assert moved.parent == tree.zj
    # Not next to an organisation of the same name.
    twin = organisation_create(name="待迁移工会", kind=K.GRASSROOTS, parent=tree.hz, by=users.hz_officer)
    with pytest.raises(ValidationError):
        organisation_move(organisation=twin, new_parent=tree.zj, by=users.zj_admin)


def test_move_history_names_the_parents_not_the_paths(tree, users):
    unit = organisation_create(name="待迁移工会", kind=K.GRASSROOTS, parent=tree.hz, by=users.hz_officer)
    organisation_move(organisation=unit, new_parent=tree.zj, by=users.zj_admin)
    item = describe(history_for(unit).filter(action="organisation.move"))[0]
    assert item.action == "调整了组织的上级"
    assert [(c.field, c.before, c.after) for c in item.changes] == [("上级组织", "杭州市总工会", "浙江省总工会")]
    created = describe(history_for(unit).filter(action="organisation.create"))[0]
    labels = [c.field for c in created.changes]
    assert "上级组织" in labels and "名称" in labels
    assert "路径" not in labels and "层级" not in labels and "path" not in labels


def test_roles_are_granted_by_the_administrators_above(tree, users, english):
    with pytest.raises(Forbidden) as exc:
        org_role_grant(user=users.nobody, organisation=tree.hz, role=Role.OFFICER, by=users.hz_officer)
    assert str(exc.value) == refusal("orgs.grant_role")
    with pytest.raises(Forbidden):
        org_role_grant(user=users.nobody, organisation=tree.sz, role=Role.OFFICER, by=users.zj_admin)
    with pytest.raises(ValidationError):
        org_role_grant(user=users.nobody, organisation=tree.hz, role="king", by=users.zj_admin)
    assert not scope_for(users.nobody).manages(tree.hz)
    role = org_role_grant(user=users.nobody, organisation=tree.hz, role=Role.OFFICER, by=users.zj_admin)
    assert scope_for(users.nobody).manages(tree.hz)  # the same user object sees the new role at once
    assert org_role_grant(user=users.nobody, organisation=tree.hz, role=Role.OFFICER, by=users.zj_admin) == role
    assert history_for(role).filter(action="org_role.grant").count() == 1
    with pytest.raises(Forbidden):
        org_role_revoke(org_role=role, by=users.sz_officer)
    org_role_revoke(org_role=role, by=users.superuser)
    assert not OrgRole.objects.filter(pk=role.pk).exists()
    assert not scope_for(users.nobody).manages(tree.hz)


def test_alliances_are_the_platform_administrators(tree, users):
    alliance = Alliance.objects.create(slug="test", name="测试联盟", kind=Alliance.Kind.OTHER)
    with pytest.raises(Forbidden):
        alliance_set_members(alliance=alliance, members=[(tree.hz, "")], by=users.zj_admin)
    alliance_set_members(alliance=alliance, members=[(tree.hz, "发起"), (tree.sz, "")], by=users.superuser)
    [item] = describe(history_for(alliance))
    assert [(c.before, c.after) for c in item.changes] == [("—", "杭州市总工会、苏州市总工会")]


def test_detail_page_shows_history_and_worker_link_to_those_who_manage(client, tree, users):
    organisation_update(organisation=tree.hz, by=users.hz_officer, short_name="杭总")
    url = f"/orgs/{tree.hz.pk}/"
    client.force_login(users.hz_officer)
    html = client.get(url).content.decode()
    assert 'id="history"' in html and "把 简称 从 — 改为 杭总" in html
    assert f"/people/?organisation={tree.hz.pk}" in html
    for user in (users.sz_officer, users.worker, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        html = client.get(url).content.decode()
        assert 'id="history"' not in html and "/people/?organisation=" not in html

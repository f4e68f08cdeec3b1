"""The organisation tree: materialised paths, subtrees, moves and allowed parent kinds."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from deltaunion.core.audit import history_for
from deltaunion.orgs.models import PATH_STEP, Organisation
from deltaunion.orgs.selectors import organisation_ancestors, organisation_subtree
from deltaunion.orgs.services import organisation_create, organisation_move
from deltaunion.orgs.tests.factories import OrganisationFactory

K = Organisation.Kind


def _check_paths():
    """Every node's path is its parent's path plus its own zero-padded id, depth matches."""
    for org in Organisation.objects.select_related("parent"):
        segment = f"{org.pk:0{PATH_STEP}d}"
        expected = (org.parent.path if org.parent else "") + segment
        assert org.path == expected, org
        assert org.depth == len(org.path) // PATH_STEP - 1, org
        assert org.depth == (org.parent.depth + 1 if org.parent else 0), org


def test_create_sets_path_and_depth(tree):
    assert tree.acftu.depth == 0 and tree.acftu.path == f"{tree.acftu.pk:07d}"
    assert tree.hz.path == tree.acftu.path + f"{tree.zj.pk:07d}" + f"{tree.hz.pk:07d}"
    assert tree.hz_unit.depth == 3
    assert not Organisation.objects.filter(path__startswith="tmp-").exists()
    _check_paths()


def test_factory_goes_through_the_service(tree):
    child = OrganisationFactory(parent=tree.hz)
    assert child.kind == K.GRASSROOTS
    assert child.path == tree.hz.path + f"{child.pk:07d}"
    assert history_for(child).filter(action="organisation.create").exists()


def test_subtree_is_a_path_prefix(tree):
    zj_subtree = set(organisation_subtree(tree.zj).values_list("name", flat=True))
    assert zj_subtree == {"浙江省总工会", "杭州市总工会", "杭州测试机械有限公司工会"}
    assert set(organisation_subtree(tree.zj, include_self=False).values_list("pk", flat=True)) == {
        tree.hz.pk,
        tree.hz_unit.pk,
    }
    assert organisation_subtree(tree.acftu).count() == 7
    assert list(organisation_ancestors(tree.hz_unit)) == [tree.acftu, tree.zj, tree.hz, tree.hz_unit]


def test_subtree_does_not_catch_siblings_with_a_common_id_prefix(tree):
    # Ids 1 and 10..19 share a decimal prefix; the fixed-width path segments must not.
    extra = [organisation_create(name=f"测试市{i}总工会", kind=K.CITY, parent=tree.js, by=None) for i in range(12)]
    for org in [tree.hz, tree.sz, *extra]:
        subtree = set(organisation_subtree(org).values_list("pk", flat=True))
        expected = {o.pk for o in Organisation.objects.all() if o.path.startswith(org.path)}
        assert subtree == expected
        assert all(
            o.pk == org.pk or o.parent_id == org.pk or o.parent.parent_id == org.pk
            for o in Organisation.objects.filter(pk__in=subtree)
        )


def test_move_rewrites_the_whole_subtree(tree, users):
    district = organisation_create(name="测试区总工会", kind=K.DISTRICT, parent=tree.hz, by=None)
    unit = organisation_create(name="测试区某公司工会", kind=K.GRASSROOTS, parent=district, by=None)
    assert (district.depth, unit.depth) == (3, 4)

    moved = organisation_move(organisation=district, new_parent=tree.js, by=users.superuser)

    unit.refresh_from_db()
    assert moved.parent == tree.js
    assert moved.path == tree.js.path + f"{district.pk:07d}"
    assert unit.path == moved.path + f"{unit.pk:07d}"
    assert (moved.depth, unit.depth) == (2, 3)
    assert set(organisation_subtree(tree.js).values_list("pk", flat=True)) >= {district.pk, unit.pk}
    assert not organisation_subtree(tree.hz).filter(pk__in=[district.pk, unit.pk]).exists()
    _check_paths()
    entry = history_for(moved).filter(action="organisation.move").get()
    assert entry.actor == users.superuser
    assert entry.before["path"] != entry.after["path"]
    assert entry.after["parent_id"] == tree.js.pk


def test_cannot_move_under_own_descendant(tree):
    district = organisation_create(name="测试区总工会", kind=K.DISTRICT, parent=tree.zj, by=None)
    with pytest.raises(ValidationError):
        organisation_move(organisation=tree.zj, new_parent=district, by=None)
    with pytest.raises(ValidationError):
        organisation_move(organisation=tree.zj, new_parent=tree.zj, by=None)
    tree.zj.refresh_from_db()
    assert tree.zj.parent_id == tree.acftu.pk
    _check_paths()


def test_move_respects_allowed_parent_kinds(tree):
    with pytest.raises(ValidationError):
        organisation_move(organisation=tree.hz_unit, new_parent=tree.acftu, by=None)
    tree.hz_unit.refresh_from_db()
    assert tree.hz_unit.parent_id == tree.hz.pk
    _check_paths()


@pytest.mark.parametrize(
    ("kind", "parent_name"),
    [
        (K.ACFTU, "acftu"),  # a second root under a root
        (K.PROVINCIAL, None),  # a province with no ACFTU above it
        (K.PROVINCIAL, "zj"),  # a province under a province
        (K.CITY, "acftu"),  # a city straight under ACFTU
        (K.CITY, "hz"),  # a city under a city
        (K.GRASSROOTS, "acftu"),  # a grassroots union under ACFTU
        (K.GRASSROOTS, "hz_unit"),  # grassroots under grassroots
        (K.DISTRICT, "hz_unit"),
        (K.INDUSTRY, "hz_unit"),
    ],
)
def test_allowed_parent_kinds_are_enforced(tree, kind, parent_name):
    parent = getattr(tree, parent_name) if parent_name else None
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as exc:
        organisation_create(name="不该存在的工会", kind=kind, parent=parent, by=None)
    assert "上级" in exc.value.messages[0]
    assert Organisation.objects.count() == before


@pytest.mark.parametrize(
    ("kind", "parent_name"),
    [
        (K.DISTRICT, "zj"),
        (K.DISTRICT, "hz"),
        (K.INDUSTRY, "acftu"),
        (K.INDUSTRY, "hz"),
        (K.GRASSROOTS, "zj"),
    ],
)
def test_allowed_parent_kinds_accept_the_design(tree, kind, parent_name):
    org = organisation_create(name="新工会", kind=kind, parent=getattr(tree, parent_name), by=None)
    assert org.parent == getattr(tree, parent_name)


def test_create_refuses_blank_and_duplicate_names(tree):
    with pytest.raises(ValidationError):
        organisation_create(name="  ", kind=K.CITY, parent=tree.zj, by=None)
    with pytest.raises(ValidationError):
        organisation_create(name="杭州市总工会", kind=K.CITY, parent=tree.zj, by=None)
    with pytest.raises(ValidationError):
        organisation_create(name="某工会", kind="no-such-kind", parent=tree.zj, by=None)
    # The same name under another parent is fine.
    assert organisation_create(name="杭州市总工会", kind=K.CITY, parent=tree.js, by=None).parent == tree.js

"""Organisations in the 404 matrix: the tree is public."""

from deltaunion.core.testing import Obj

PUBLIC = {
    "orgs:detail": "the organisation tree is public",
    "orgs:children": "the organisation tree is public",
    "api:get_org": "the organisation tree is public",
}


def build(world):
    return {"org_id": Obj(world.hz_unit.pk, owner=world.hz_officer)}

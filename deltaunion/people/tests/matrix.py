"""Workers in the 404 matrix: a worker's record is for their union's officers and themselves."""

from deltaunion.core.testing import Obj


def build(world):
    return {"worker_id": Obj(world.hz_a.pk, owner=world.hz_officer)}

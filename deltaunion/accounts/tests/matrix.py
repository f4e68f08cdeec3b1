"""Accounts in the 404 matrix: an API token is its owner's alone."""

from deltaunion.accounts.services import api_token_create
from deltaunion.core.testing import Obj


def build(world):
    token, _raw = api_token_create(user=world.hz_officer, name="对接系统", by=world.hz_officer)
    return {"token_id": Obj(token.pk, owner=None)}

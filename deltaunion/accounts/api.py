from __future__ import annotations

from ninja import Router, Schema

from deltaunion.accounts.selectors import user_roles
from deltaunion.core.api_auth import logged_in

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    organisation_path: str


class MeOut(Schema):
    username: str
    full_name: str
    is_superuser: bool
    roles: list[RoleOut]


@router.get("/me", response=MeOut, auth=logged_in, summary="The signed-in user and their roles")
def me(request):
    return {
        "username": request.user.username,
        "full_name": request.user.full_name,
        "is_superuser": request.user.is_superuser,
        "roles": [{"role": r, "organisation_path": p} for r, p in user_roles(request.user)],
    }

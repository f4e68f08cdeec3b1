"""Every write to the organisation tree, its alliances and roles: permission-checked, atomic, audited.

`by=None` is the system (the demo loaders, fixtures, data migrations): there is no one to
refuse, and the audit log records the change as the system's.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.permissions import forget, require
from deltaunion.core.services import model_update
from deltaunion.orgs.models import PATH_STEP, Alliance, AllianceMember, Organisation, OrgRole, Region, Role
from deltaunion.orgs.scoping import forget_scope

# Which kinds may sit under which: keeps the tree the shape DESIGN.md describes.
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    Organisation.Kind.ACFTU: {None},
    Organisation.Kind.PROVINCIAL: {Organisation.Kind.ACFTU},
    Organisation.Kind.CITY: {Organisation.Kind.PROVINCIAL},
    Organisation.Kind.DISTRICT: {Organisation.Kind.PROVINCIAL, Organisation.Kind.CITY},
    Organisation.Kind.INDUSTRY: {Organisation.Kind.ACFTU, Organisation.Kind.PROVINCIAL, Organisation.Kind.CITY},
    Organisation.Kind.GRASSROOTS: {
        Organisation.Kind.CITY,
        Organisation.Kind.DISTRICT,
        Organisation.Kind.INDUSTRY,
        Organisation.Kind.PROVINCIAL,
    },
}
# What `organisation_update` may change; the place in the tree changes by `organisation_move`.
UPDATABLE_FIELDS = ("name", "short_name", "region", "source")


def _segment(pk: int) -> str:
    return f"{pk:0{PATH_STEP}d}"


def _require(by: Any, permission: str, obj: Any) -> None:
    if by is not None:  # None: the system
        require(by, permission, obj)


def _clean_name(name: str, *, parent: Organisation | None, exclude: Organisation | None = None) -> str:
    """The name without surrounding blanks; not empty and not taken by a sibling."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("The organisation name cannot be empty"))
    siblings = Organisation.objects.filter(parent=parent, name=name)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    if siblings.exists():
        raise ValidationError(_("The parent already has an organisation named “%(name)s”") % {"name": name})
    return name


def _check_place(kind: str, parent: Organisation | None) -> None:
    if (parent.kind if parent else None) not in ALLOWED_PARENTS[kind]:
        raise ValidationError(_("An organisation of this type cannot be placed under the chosen parent"))


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    parent: Organisation | None,
    by: Any,
    region: Region | None = None,
    short_name: str = "",
    is_demo: bool = False,
    source: str = "",
) -> Organisation:
    _require(by, "orgs.create_organisation", parent)
    if kind not in Organisation.Kind.values:
        raise ValidationError(_("Unknown organisation type: %(kind)s") % {"kind": kind})
    name = _clean_name(name, parent=parent)
    _check_place(kind, parent)
    org = Organisation.objects.create(
        name=name,
        short_name=short_name,
        kind=kind,
        parent=parent,
        region=region,
        is_demo=is_demo,
        source=source,
        path=f"tmp-{uuid.uuid4().hex}",
        depth=(parent.depth + 1) if parent else 0,
    )
    org.path = (parent.path if parent else "") + _segment(org.pk)
    org.save(update_fields=["path"])
    log_action(actor=by, action="organisation.create", obj=org, after=snapshot(org))
    return org


@transaction.atomic
def organisation_update(*, organisation: Organisation, by: Any, **fields: Any) -> Organisation:
    """Change the organisation's name, short name, division or source (one audit entry; none
    if nothing changes)."""
    _require(by, "orgs.update_organisation", organisation)
    if "name" in fields:
        fields["name"] = _clean_name(fields["name"], parent=organisation.parent, exclude=organisation)
    model_update(instance=organisation, fields=UPDATABLE_FIELDS, data=fields, by=by, action="organisation.update")
    return organisation


@transaction.atomic
def organisation_move(*, organisation: Organisation, new_parent: Organisation, by: Any) -> Organisation:
    """Re-parent an organisation and rewrite its whole subtree's paths in one statement set."""
    _require(by, "orgs.move_organisation", organisation)
    _require(by, "orgs.create_organisation", new_parent)
    if new_parent.path.startswith(organisation.path):
        raise ValidationError(_("An organisation cannot be moved under one of its own descendants"))
    _check_place(organisation.kind, new_parent)
    _clean_name(organisation.name, parent=new_parent, exclude=organisation)
    before = snapshot(organisation)
    old_path, old_depth = organisation.path, organisation.depth
    new_path = new_parent.path + _segment(organisation.pk)
    delta = new_parent.depth + 1 - old_depth
    subtree = list(Organisation.objects.select_for_update().filter(path__startswith=old_path))
    for node in subtree:
        node.path = new_path + node.path[len(old_path) :]
        node.depth = node.depth + delta
        if node.pk == organisation.pk:
            node.parent = new_parent
    # Two passes so the unique index on path never sees a transient clash.
    for node in subtree:
        Organisation.objects.filter(pk=node.pk).update(path=f"tmp-{uuid.uuid4().hex}")
    for node in subtree:
        Organisation.objects.filter(pk=node.pk).update(path=node.path, depth=node.depth, parent=node.parent_id)
    organisation.refresh_from_db()
    log_action(actor=by, action="organisation.move", obj=organisation, before=before, after=snapshot(organisation))
    return organisation


@transaction.atomic
def org_role_grant(*, user: Any, organisation: Organisation, role: str, by: Any) -> OrgRole:
    """Give `user` a role in `organisation` (granting a role they hold already changes nothing)."""
    _require(by, "orgs.grant_role", organisation)
    if role not in Role.values:
        raise ValidationError(_("Unknown role: %(role)s") % {"role": role})
    obj, created = OrgRole.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        log_action(actor=by, action="org_role.grant", obj=obj, after={"user": user.pk, "role": role})
        _forget(user)
    return obj


@transaction.atomic
def org_role_revoke(*, org_role: OrgRole, by: Any) -> None:
    _require(by, "orgs.grant_role", org_role.organisation)
    log_action(
        actor=by, action="org_role.revoke", obj=org_role, before={"user": org_role.user_id, "role": org_role.role}
    )
    org_role.delete()
    _forget(org_role.user)


def _forget(user: Any) -> None:
    """The user's roles changed: what was worked out from them for this request is stale."""
    forget(user)
    forget_scope(user)


@transaction.atomic
def alliance_set_members(*, alliance: Alliance, members: list[tuple[Organisation, str]], by: Any) -> Alliance:
    """Replace the alliance's members (with the part each plays); audited when the membership changes."""
    _require(by, "orgs.manage_alliance", alliance)
    before = sorted(alliance.members.values_list("pk", flat=True))
    AllianceMember.objects.filter(alliance=alliance).delete()
    AllianceMember.objects.bulk_create([AllianceMember(alliance=alliance, organisation=o, role=r) for o, r in members])
    after = sorted(o.pk for o, _r in members)
    if before != after:
        log_action(
            actor=by, action="alliance.set_members", obj=alliance, before={"members": before}, after={"members": after}
        )
    return alliance

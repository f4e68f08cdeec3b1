from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from deltaunion.core.audit import log_action, snapshot
from deltaunion.orgs.models import PATH_STEP, Alliance, AllianceMember, Organisation, OrgRole, Region

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


def _segment(pk: int) -> str:
    return f"{pk:0{PATH_STEP}d}"


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
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("The organisation name cannot be empty"))
    if kind not in Organisation.Kind.values:
        raise ValidationError(_("Unknown organisation type: %(kind)s") % {"kind": kind})
    parent_kind = parent.kind if parent else None
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise ValidationError(_("An organisation of this type cannot be placed under the chosen parent"))
    if Organisation.objects.filter(parent=parent, name=name).exists():
        raise ValidationError(_("The parent already has an organisation named “%(name)s”") % {"name": name})
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
    allowed = {"name", "short_name", "region", "source"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))})
    before = snapshot(organisation)
    for key, value in fields.items():
        setattr(organisation, key, value)
    if not organisation.name.strip():
        raise ValidationError(_("The organisation name cannot be empty"))
    organisation.save()
    log_action(actor=by, action="organisation.update", obj=organisation, before=before, after=snapshot(organisation))
    return organisation


@transaction.atomic
def organisation_move(*, organisation: Organisation, new_parent: Organisation, by: Any) -> Organisation:
    """Re-parent an organisation and rewrite its whole subtree's paths in one statement set."""
    if new_parent.path.startswith(organisation.path):
        raise ValidationError(_("An organisation cannot be moved under one of its own descendants"))
    if new_parent.kind not in ALLOWED_PARENTS[organisation.kind]:
        raise ValidationError(_("An organisation of this type cannot be placed under the chosen parent"))
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
    obj, created = OrgRole.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        log_action(actor=by, action="org_role.grant", obj=obj, after={"user": user.pk, "role": role})
    return obj


@transaction.atomic
def org_role_revoke(*, org_role: OrgRole, by: Any) -> None:
    log_action(
        actor=by, action="org_role.revoke", obj=org_role, before={"user": org_role.user_id, "role": org_role.role}
    )
    org_role.delete()


@transaction.atomic
def alliance_set_members(*, alliance: Alliance, members: list[tuple[Organisation, str]], by: Any) -> Alliance:
    before = sorted(alliance.members.values_list("pk", flat=True))
    AllianceMember.objects.filter(alliance=alliance).delete()
    AllianceMember.objects.bulk_create([AllianceMember(alliance=alliance, organisation=o, role=r) for o, r in members])
    after = sorted(o.pk for o, _r in members)
    if before != after:
        log_action(
            actor=by, action="alliance.set_members", obj=alliance, before={"members": before}, after={"members": after}
        )
    return alliance

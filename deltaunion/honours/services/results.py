"""Innovation results, their photos, and exhibitions of curated results."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.permissions import can, require
from deltaunion.core.services import model_update
from deltaunion.honours.models import Exhibition, ExhibitionItem, InnovationResult, ResultPhoto
from deltaunion.honours.services.uploads import check_photo
from deltaunion.orgs.models import Organisation

RESULT_FIELDS = (
    "title",
    "kind",
    "owners",
    "studio",
    "contest",
    "patent_number",
    "achieved_on",
    "application_status",
    "benefit_yuan",
    "benefit_certified_by",
    "summary",
)
EXHIBITION_FIELDS = ("title", "description", "place", "opens_on", "closes_on", "key_task")


def _in(obj: Any, organisation: Organisation) -> bool:
    org = getattr(obj, "organisation", None)
    return org is not None and org.path.startswith(organisation.path)


def _check(organisation: Organisation, data: dict[str, Any]) -> None:
    studio = data.get("studio")
    if studio is not None and not _in(studio, organisation):
        raise ValidationError(_("The studio must belong to the result's union"))
    outsiders = [w.name for w in data.get("owners") or [] if not _in(w, organisation)]
    if outsiders:
        raise ValidationError(
            _("The owners must be workers of the result's union: %(names)s") % {"names": "、".join(outsiders)}
        )
    if data.get("benefit_yuan") is not None and not (data.get("benefit_certified_by") or "").strip():
        raise ValidationError(_("Name the body that certified the economic benefit"))


@transaction.atomic
def result_create(
    *, organisation: Organisation, title: str, kind: str, by: Any, owners: list[Any] = (), **fields: Any
) -> InnovationResult:
    require(by, "honours.add_result", organisation)
    unknown = set(fields) - set(RESULT_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set: %(f)s") % {"f": ", ".join(sorted(unknown))})
    owners = list(owners)
    _check(organisation, {"owners": owners, **fields})
    result = InnovationResult(organisation=organisation, title=(title or "").strip(), kind=kind, **fields)
    result.full_clean()
    result.save()
    result.owners.set(owners)
    log_action(
        actor=by,
        action="result.create",
        obj=result,
        after={**snapshot(result, ["title", "kind", "studio_id", "contest_id"]), "owners": [w.pk for w in owners]},
    )
    return result


@transaction.atomic
def result_update(*, result: InnovationResult, by: Any, **changes: Any) -> InnovationResult:
    require(by, "honours.manage_result", result)
    merged = {
        "benefit_yuan": result.benefit_yuan,
        "benefit_certified_by": result.benefit_certified_by,
        **changes,
    }
    _check(result.organisation, merged)
    model_update(instance=result, fields=RESULT_FIELDS, data=changes, by=by)
    return result


def result_photo_add(*, result: InnovationResult, upload: Any, caption: str, credit: str, by: Any) -> ResultPhoto:
    """A photo of the result: a real JPEG, PNG or WebP image of at most 5 MB, with its credit."""
    require(by, "honours.manage_result", result)
    content_type, suffix = check_photo(upload)
    credit, caption = (credit or "").strip(), (caption or "").strip()
    if not credit:
        raise ValidationError(_("Name the photographer or the source and its licence"))
    upload.name = f"photo{suffix}"
    with transaction.atomic():
        photo = ResultPhoto(result=result, image=upload, content_type=content_type, caption=caption, credit=credit)
        photo.full_clean()
        photo.save()
        log_action(
            actor=by, action="result.photo_add", obj=result, after={"caption": caption or _("Photo"), "credit": credit}
        )
    return photo


@transaction.atomic
def exhibition_create(*, organisation: Organisation, title: str, by: Any, **fields: Any) -> Exhibition:
    require(by, "honours.add_exhibition", organisation)
    unknown = set(fields) - set(EXHIBITION_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set: %(f)s") % {"f": ", ".join(sorted(unknown))})
    exhibition = Exhibition(organisation=organisation, title=(title or "").strip(), **fields)
    exhibition.full_clean()
    exhibition.save()
    log_action(actor=by, action="exhibition.create", obj=exhibition, after=snapshot(exhibition, ["title", "place"]))
    return exhibition


@transaction.atomic
def exhibition_update(*, exhibition: Exhibition, by: Any, **changes: Any) -> Exhibition:
    require(by, "honours.manage_exhibition", exhibition)
    model_update(instance=exhibition, fields=EXHIBITION_FIELDS, data=changes, by=by)
    return exhibition


@transaction.atomic
def exhibition_item_add(*, exhibition: Exhibition, result: InnovationResult, by: Any, note: str = "") -> ExhibitionItem:
    """Curate a result into the exhibition: one of the organiser's units, or one of a union the
    curator manages (an alliance's exhibition gathers results of several provinces)."""
    require(by, "honours.manage_exhibition", exhibition)
    if not (_in(result, exhibition.organisation) or can(by, "honours.manage_result", result)):
        raise ValidationError(
            _("Only results of the organising union's units, or of the unions you manage, can be exhibited")
        )
    position = exhibition.items.count() + 1
    try:
        with transaction.atomic():
            item = ExhibitionItem.objects.create(
                exhibition=exhibition, result=result, position=position, note=(note or "").strip()[:300]
            )
    except IntegrityError:
        raise ValidationError(_("The result is already in the exhibition")) from None
    log_action(actor=by, action="exhibition.item_add", obj=exhibition, after={"result": result.title})
    return item


@transaction.atomic
def exhibition_item_remove(*, item: ExhibitionItem, by: Any) -> None:
    exhibition = item.exhibition
    require(by, "honours.manage_exhibition", exhibition)
    if exhibition.status == Exhibition.Status.PUBLISHED and exhibition.items.count() == 1:
        raise ValidationError(_("A published exhibition keeps at least one result; withdraw it first"))
    log_action(actor=by, action="exhibition.item_remove", obj=exhibition, before={"result": item.result.title})
    item.delete()


@transaction.atomic
def exhibition_transition(*, exhibition: Exhibition, name: str, by: Any, note: str = "") -> Exhibition:
    return Exhibition.workflow.fire(exhibition, name, by=by, note=(note or "").strip())

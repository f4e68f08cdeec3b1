"""Check-in, the two-round draw of secret numbers, the seal and the reveal."""

from __future__ import annotations

import random
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.contests.models import Draw, Registration, SealedMapping, SecretNumber, Stage
from deltaunion.contests.selectors import all_signed_off, seal_digest
from deltaunion.core.audit import log_action
from deltaunion.core.permissions import require
from deltaunion.core.services import model_update


@transaction.atomic
def checkin_record(*, registration: Registration, by: Any) -> Registration:
    """The organisers mark an approved competitor present, while check-in is open."""
    require(by, "contests.manage_contest", registration)
    registration = Registration.objects.select_for_update().select_related("stage").get(pk=registration.pk)
    stage = registration.stage
    if registration.status != Registration.Status.APPROVED:
        raise ValidationError(_("Only an approved entry can check in"))
    if Draw.objects.filter(stage=stage).exists():
        raise ValidationError(_("The draw has started; check-in is closed"))
    if stage.status != Stage.Status.CHECKIN:
        raise ValidationError(_("Check-in is not open"))
    if registration.checked_in_at is not None:
        raise ValidationError(_("Already checked in"))
    model_update(
        instance=registration,
        fields=["checked_in_at", "checked_in_by"],
        data={"checked_in_at": timezone.now(), "checked_in_by": by},
        by=by,
        action="registration.checkin",
    )
    return registration


def draw_round1_order(registration_ids: list[int], seed: str) -> list[int]:
    """Round 1: the drawing order, a shuffle of the entries sorted by id."""
    order = sorted(registration_ids)
    random.Random(seed).shuffle(order)
    return order


def draw_round2_numbers(order: list[int], seed: str, *, prefix: str = "") -> dict[int, str]:
    """Round 2: in the round-1 order, each entry draws a number from the remaining pool 1..n."""
    rng = random.Random(seed)
    pool = list(range(1, len(order) + 1))
    width = max(3, len(str(len(order))))
    out: dict[int, str] = {}
    for reg_id in order:
        out[reg_id] = f"{prefix}{pool.pop(rng.randrange(len(pool))):0{width}d}"
    return out


@transaction.atomic
def draw_order(*, stage: Stage, by: Any, seed: str | None = None) -> Draw:
    """First draw: fixes the order in which competitors draw their secret numbers (check-in closes)."""
    require(by, "contests.manage_contest", stage)
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    Stage.workflow.check(stage.status, Stage.workflow.get("seal"))  # the draw happens at check-in
    if Draw.objects.filter(stage=stage, round=1).exists():
        raise ValidationError(_("The first draw has already been made"))
    ids = list(
        Registration.objects.filter(
            stage=stage, status=Registration.Status.APPROVED, checked_in_at__isnull=False
        ).values_list("id", flat=True)
    )
    if not ids:
        raise ValidationError(_("No competitor has checked in"))
    seed = seed or secrets.token_hex(16)
    draw = Draw.objects.create(stage=stage, round=1, seed=seed, order=draw_round1_order(ids, seed), performed_by=by)
    log_action(actor=by, action="draw.round1", obj=stage, after={"entries": len(ids)})
    return draw


@transaction.atomic
def draw_numbers(*, stage: Stage, by: Any, seed: str | None = None, prefix: str = "") -> int:
    """Second draw: assigns secret numbers in the first draw's order and seals the mapping.
    Returns how many numbers were assigned. The audit row holds the seal digest, not the mapping."""
    require(by, "contests.manage_contest", stage)
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    first = Draw.objects.filter(stage=stage, round=1).first()
    if first is None:
        raise ValidationError(_("Make the first draw before the second"))
    if Draw.objects.filter(stage=stage, round=2).exists() or stage.sealed_at is not None:
        raise ValidationError(_("Secret numbers have already been drawn"))
    if prefix and not prefix.isalnum():
        raise ValidationError(_("The number prefix may contain letters and digits only"))
    seed = seed or secrets.token_hex(16)
    numbers = draw_round2_numbers(list(first.order), seed, prefix=prefix)
    Draw.objects.create(stage=stage, round=2, seed=seed, order=[], performed_by=by)
    created = SecretNumber.objects.bulk_create([SecretNumber(stage=stage, number=n) for n in numbers.values()])
    by_number = {s.number: s for s in created}
    if any(s.pk is None for s in created):  # backends that do not return ids from bulk_create
        by_number = {s.number: s for s in SecretNumber.objects.filter(stage=stage)}
    SealedMapping.objects.bulk_create(
        [SealedMapping(secret_number=by_number[n], registration_id=reg_id) for reg_id, n in numbers.items()]
    )
    Stage.workflow.fire(
        stage,
        "seal",
        by=by,
        note=_("%(n)d secret numbers drawn") % {"n": len(numbers)},
        changes={"sealed_digest": seal_digest(stage), "sealed_at": timezone.now()},
    )
    return len(numbers)


@transaction.atomic
def stage_reveal(*, stage: Stage, by: Any) -> Stage:
    """Open the sealed mapping: only a decryptor of the contest, only after every module is
    signed off, only if the seal still matches. Audited."""
    require(by, "contests.reveal_stage", stage)
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    if stage.revealed_at is not None:
        raise ValidationError(_("The stage has already been revealed"))
    if stage.sealed_at is None:
        raise ValidationError(_("Secret numbers have not been drawn yet"))
    if not all_signed_off(stage):
        raise ValidationError(_("Every module must be signed off before the reveal"))
    if seal_digest(stage) != stage.sealed_digest:
        raise ValidationError(_("The sealed mapping has been altered; the reveal is refused"))
    return Stage.workflow.fire(stage, "reveal", by=by, changes={"revealed_at": timezone.now(), "revealed_by": by})


@transaction.atomic
def board_freeze(*, stage: Stage, frozen: bool, by: Any) -> Stage:
    """Freeze (or unfreeze) the live board: a frozen board keeps showing progress but not the ranking."""
    require(by, "contests.manage_contest", stage)
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    model_update(
        instance=stage, fields=["board_frozen"], data={"board_frozen": frozen}, by=by, action="stage.board_freeze"
    )
    return stage

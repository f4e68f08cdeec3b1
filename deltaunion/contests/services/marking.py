"""Marks by secret number: entry, second-judge confirmation, flags, voiding, sign-off, re-mark.

Every write here locks the module row first (SELECT … FOR UPDATE), so entering, confirming
and signing off one module are serialised: a mark can never be confirmed after its module
was signed off, and two confirmations of one mark cannot both win.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.contests import scoring
from deltaunion.contests.models import Aspect, Mark, Module, ResultSet, SealedMapping, SecretNumber, Stage
from deltaunion.contests.selectors import conflicted_number_ids, module_missing_marks
from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.permissions import require
from deltaunion.core.services import model_update

MARK_FIELDS = ("value", "mark", "status", "confirmed_by_id", "flagged", "flag_resolved", "remarked")


def compute_mark(aspect: Aspect, raw: Any) -> tuple[Decimal, Decimal]:
    """(value as entered, mark that counts) or ValidationError with a message for the judge."""
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a number")) from None
    if not value.is_finite():
        raise ValidationError(_("Enter a number"))
    if aspect.kind == Aspect.Kind.JUDGEMENT:
        if value != value.to_integral_value() or not 0 <= value <= scoring.JUDGEMENT_MAX_SCORE:
            raise ValidationError(_("A judgement score is a whole number from 0 to 3"))
        return value, scoring.q2(value)
    if aspect.bands:
        if value < 0:
            raise ValidationError(_("A measured value cannot be negative"))
        mark = scoring.measurement_mark(
            aspect.max_mark, value, target=aspect.target, bands=scoring.parse_bands(aspect.bands)
        )
        return value, mark
    if value < 0 or value > aspect.max_mark:
        raise ValidationError(_("Marks must be between 0 and %(max)s") % {"max": aspect.max_mark})
    if value not in (0, aspect.max_mark):
        raise ValidationError(_("This aspect is marked full or zero: enter 0 or %(max)s") % {"max": aspect.max_mark})
    return value, scoring.q2(value)


def _lock_module(module_id: int) -> Module:
    return Module.objects.select_for_update().select_related("stage__contest").get(pk=module_id)


def _require_unlocked(module: Module) -> None:
    if module.signed_off_at is not None:
        raise ValidationError(_("The module is signed off; its marks are locked. Use a re-mark."))


def _refresh_flags(aspect: Aspect, secret_number_id: int) -> bool:
    marks = Mark.objects.filter(aspect=aspect, secret_number_id=secret_number_id).exclude(status=Mark.Status.VOIDED)
    flag = scoring.judgement_spread_flag([m for m in marks.values_list("mark", flat=True)])
    marks.exclude(flagged=flag).update(flagged=flag, flag_resolved=False)
    return flag


def _check_judge(module: Module, user: Any, aspect: Aspect | None, secret_number: SecretNumber) -> None:
    """The judges of the module (and of the aspect) mark, never a competitor they are conflicted with."""
    require(user, "contests.judge_module", module)
    if aspect is not None:
        require(user, "contests.mark_aspect", aspect)
    if secret_number.pk in conflicted_number_ids(module.stage, user):
        raise ValidationError(
            _("You may not mark competitor %(number)s (conflict of interest)") % {"number": secret_number.number}
        )


# --- services --------------------------------------------------------------------------


@transaction.atomic
def mark_enter(*, aspect: Aspect, number: str, value: Any, by: Any) -> Mark:
    """A judge enters a mark for a secret number. Re-entering one's own unconfirmed (or
    rejected) mark replaces it; a confirmed mark changes only by re-mark."""
    module = _lock_module(aspect.module_id)
    _require_unlocked(module)
    secret_number = SecretNumber.objects.filter(stage_id=module.stage_id, number=str(number).strip()).first()
    if secret_number is None:
        raise ValidationError(_("No competitor has the secret number %(number)s") % {"number": number})
    _check_judge(module, by, aspect, secret_number)
    raw, mark_value = compute_mark(aspect, value)
    live = (
        Mark.objects.select_for_update()
        .filter(aspect=aspect, secret_number=secret_number)
        .exclude(status=Mark.Status.VOIDED)
    )
    if aspect.kind == Aspect.Kind.MEASUREMENT:
        existing = live.first()
    else:
        existing = live.filter(entered_by=by).first()
    if existing is not None:
        if existing.entered_by_id != by.pk:
            raise ValidationError(_("Another judge entered this mark; confirm or reject it instead"))
        if existing.status == Mark.Status.CONFIRMED:
            raise ValidationError(_("This mark is confirmed; only a re-mark can change it"))
        mark = Mark.workflow.fire(existing, "reenter", by=by, changes={"value": raw, "mark": mark_value})
    else:
        mark = Mark.objects.create(
            aspect=aspect,
            secret_number=secret_number,
            kind=aspect.kind,
            entered_by=by,
            value=raw,
            mark=mark_value,
        )
        log_action(actor=by, action="mark.enter", obj=mark, after=snapshot(mark, MARK_FIELDS))
    if aspect.kind == Aspect.Kind.JUDGEMENT:
        _refresh_flags(aspect, secret_number.pk)
        mark.refresh_from_db()
    return mark


@transaction.atomic
def mark_confirm(*, mark: Mark, by: Any) -> Mark:
    """A second judge of the module confirms an entered mark; they cannot change it."""
    module = _lock_module(mark.aspect.module_id)
    _require_unlocked(module)
    mark = Mark.objects.select_for_update().select_related("aspect", "secret_number").get(pk=mark.pk)
    _check_judge(module, by, None, mark.secret_number)
    if mark.entered_by_id == by.pk:
        raise ValidationError(_("You entered this mark; another judge must confirm it"))
    return Mark.workflow.fire(mark, "confirm", by=by, changes={"confirmed_by": by, "confirmed_at": timezone.now()})


@transaction.atomic
def mark_reject(*, mark: Mark, reason: str, by: Any) -> Mark:
    """The confirming judge sends a mark back to the judge who entered it, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for sending the mark back"))
    module = _lock_module(mark.aspect.module_id)
    _require_unlocked(module)
    mark = Mark.objects.select_for_update().select_related("aspect", "secret_number").get(pk=mark.pk)
    _check_judge(module, by, None, mark.secret_number)
    if mark.entered_by_id == by.pk:
        raise ValidationError(_("You entered this mark; another judge must check it"))
    return Mark.workflow.fire(mark, "reject", by=by, note=reason, changes={"rejection_reason": reason[:300]})


@transaction.atomic
def mark_flag_resolve(*, aspect: Aspect, number: str, by: Any, note: str = "") -> int:
    """The chief judge closes the discussion of a flagged judgement (scores > 1 point apart)."""
    module = _lock_module(aspect.module_id)
    require(by, "contests.chair_judging", module)
    _require_unlocked(module)
    marks = Mark.objects.filter(aspect=aspect, secret_number__stage_id=module.stage_id, secret_number__number=number)
    n = marks.filter(flagged=True, flag_resolved=False).update(flag_resolved=True)
    if not n:
        raise ValidationError(_("Nothing is flagged for this competitor and aspect"))
    log_action(actor=by, action="mark.flag_resolve", obj=aspect, after={"number": number, "count": n}, note=note)
    return n


@transaction.atomic
def mark_void(*, mark: Mark, reason: str, by: Any) -> Mark:
    """The chief judge voids a stray mark — one by a judge who should not have marked that
    aspect, or entered on the wrong competitor — before the module is signed off (after
    sign-off a re-mark is the only way). The chief judge may not void a mark they entered.
    The voided mark stays, with its reason, in the history and the score sheet; it counts
    nowhere (no score, count, flag or sign-off check) and the right mark can be entered."""
    reason = (reason or "").strip()
    module = _lock_module(mark.aspect.module_id)
    mark = Mark.objects.select_for_update().select_related("aspect", "secret_number").get(pk=mark.pk)
    require(by, "contests.void_mark", mark)
    _require_unlocked(module)
    if not reason:
        raise ValidationError(_("Give a reason for voiding the mark"))
    Mark.workflow.fire(
        mark,
        "void",
        by=by,
        note=reason,
        changes={
            "void_reason": reason[:300],
            "voided_by": by,
            "voided_at": timezone.now(),
            "flagged": False,
            "flag_resolved": False,
        },
    )
    if mark.kind == Aspect.Kind.JUDGEMENT:
        _refresh_flags(mark.aspect, mark.secret_number_id)
    mark.refresh_from_db()
    return mark


@transaction.atomic
def module_sign_off(*, module: Module, by: Any) -> Module:
    """The chief judge signs a module off: every mark present and confirmed, no open flag.
    From then on its marks are locked."""
    module = _lock_module(module.pk)
    require(by, "contests.chair_judging", module)
    if module.signed_off_at is not None:
        raise ValidationError(_("The module is already signed off"))
    if not module.aspects.exists():
        raise ValidationError(_("The module has no aspects"))
    if not SecretNumber.objects.filter(stage_id=module.stage_id).exists():
        raise ValidationError(_("No competitor has a secret number yet"))
    marks = Mark.objects.filter(aspect__module=module).exclude(status=Mark.Status.VOIDED)
    unconfirmed = marks.exclude(status=Mark.Status.CONFIRMED).count()
    if unconfirmed:
        raise ValidationError(_("%(n)d marks are not confirmed yet") % {"n": unconfirmed})
    flagged = marks.filter(flagged=True, flag_resolved=False).count()
    if flagged:
        raise ValidationError(_("%(n)d judgement scores are flagged for discussion") % {"n": flagged})
    missing = module_missing_marks(module)
    if missing:
        number, code = missing[0]
        raise ValidationError(
            _("%(n)d marks are missing, for example %(number)s / %(code)s")
            % {"n": len(missing), "number": number, "code": code}
        )
    model_update(
        instance=module,
        fields=["signed_off_at", "signed_off_by"],
        data={"signed_off_at": timezone.now(), "signed_off_by": by},
        by=by,
        action="module.sign_off",
    )
    return module


@transaction.atomic
def mark_remark(*, mark: Mark, value: Any, reason: str, by: Any) -> Mark:
    """Change a mark after confirmation or sign-off: the chief judge or an arbiter, with a
    reason, before results are published. Audited with the values before and after."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("A re-mark needs a reason"))
    module = _lock_module(mark.aspect.module_id)
    require(by, "contests.remark", module)
    if ResultSet.objects.filter(
        stage_id=module.stage_id, status__in=[ResultSet.Status.NOTICE, ResultSet.Status.FINAL]
    ).exists():
        raise ValidationError(_("Results of this stage are published; withdraw them before a re-mark"))
    mark = Mark.objects.select_for_update().select_related("aspect", "secret_number").get(pk=mark.pk)
    if mark.status == Mark.Status.VOIDED:
        raise ValidationError(_("This mark was voided; it counts nowhere and cannot be re-marked"))
    raw, mark_value = compute_mark(mark.aspect, value)
    model_update(
        instance=mark,
        fields=["value", "mark", "remarked"],
        data={"value": raw, "mark": mark_value, "remarked": True},
        by=by,
        action="mark.remark",
        note=reason,
    )
    if mark.kind == Aspect.Kind.JUDGEMENT:
        _refresh_flags(mark.aspect, mark.secret_number_id)
        mark.refresh_from_db()
    return mark


@transaction.atomic
def theory_score_set(*, stage: Stage, number: str, score: Any, by: Any) -> SecretNumber:
    """Record the theory exam score for a secret number (chief judge or contest manager)."""
    require(by, "contests.manage_scores", stage)
    if stage.revealed_at is not None:
        raise ValidationError(_("The stage has been revealed; theory scores are locked"))
    secret_number = SecretNumber.objects.select_for_update().filter(stage=stage, number=str(number).strip()).first()
    if secret_number is None:
        raise ValidationError(_("No competitor has the secret number %(number)s") % {"number": number})
    try:
        value = Decimal(str(score).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a number")) from None
    if not value.is_finite() or not 0 <= value <= stage.theory_max:
        raise ValidationError(_("Marks must be between 0 and %(max)s") % {"max": stage.theory_max})
    model_update(
        instance=secret_number,
        fields=["theory_score"],
        data={"theory_score": scoring.q2(value)},
        by=by,
        action="theory.set",
    )
    return secret_number


@transaction.atomic
def theory_scores_from_users(*, stage: Stage, scores: dict[int, Any], by: Any) -> int:
    """Theory scores given by competitors' user ids (a quiz feeding a stage), set on their
    secret numbers. The sealed mapping is read here, inside the contest engine, as the
    conflict checks read it; no one is shown who holds which number, and the audit log
    records numbers only. Returns how many competitors got a score."""
    sealed = SealedMapping.objects.filter(secret_number__stage=stage).select_related(
        "secret_number", "registration__worker"
    )
    done = 0
    for row in sealed:
        user_id = row.registration.worker.user_id
        if user_id in scores:
            theory_score_set(stage=stage, number=row.secret_number.number, score=scores[user_id], by=by)
            done += 1
    return done

"""Marks by secret number: entry, second-judge confirmation, flags, sign-off, re-mark.

Every write here locks the module row first (SELECT … FOR UPDATE), so entering, confirming
and signing off one module are serialised: a mark can never be confirmed after its module
was signed off, and two confirmations of one mark cannot both win.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.contests import scoring
from deltaunion.contests.models import (
    Aspect,
    ContestRole,
    JudgeAssignment,
    Mark,
    Module,
    ResultSet,
    SealedMapping,
    SecretNumber,
    Stage,
)
from deltaunion.core.audit import log_action, snapshot

from ._common import JUDGING_ROLES, has_role, manages_contest, require_role

MARK_FIELDS = ("value", "mark", "status", "confirmed_by_id", "flagged", "flag_resolved", "remarked")


# --- helpers shared with selectors ---------------------------------------------------


def conflicted_number_ids(stage: Stage, user: Any) -> set[int]:
    """Ids of the stage's secret numbers this user may not mark: competitors (or team members)
    from a judge's own employer and, when the contest says so, from the judge's own city.
    Reads the sealed mapping but returns ids only."""
    roles = list(ContestRole.objects.filter(contest_id=stage.contest_id, user=user, role__in=JUDGING_ROLES))
    q = Q()
    for role in roles:
        if role.employer_id:
            q |= Q(registration__worker__employer_id=role.employer_id)
            q |= Q(registration__members__worker__employer_id=role.employer_id)
        if stage.contest.conflict_same_city and role.city_id:
            prefix = role.city_id[:4]
            q |= Q(registration__worker__employer__region__code__startswith=prefix)
            q |= Q(registration__members__worker__employer__region__code__startswith=prefix)
    if not q:
        return set()
    return set(
        SealedMapping.objects.filter(secret_number__stage=stage).filter(q).values_list("secret_number_id", flat=True)
    )


def judge_assignment(module: Module, user: Any) -> JudgeAssignment | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        JudgeAssignment.objects.filter(module=module, judge__user=user, judge__role__in=JUDGING_ROLES)
        .prefetch_related("aspects")
        .first()
    )


def assigned_aspect_ids(assignment: JudgeAssignment) -> set[int]:
    ids = {a.pk for a in assignment.aspects.all()}
    return ids or set(Aspect.objects.filter(module_id=assignment.module_id).values_list("id", flat=True))


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
    marks = Mark.objects.filter(aspect=aspect, secret_number_id=secret_number_id)
    flag = scoring.judgement_spread_flag([m for m in marks.values_list("mark", flat=True)])
    marks.exclude(flagged=flag).update(flagged=flag, flag_resolved=False)
    return flag


def _check_judge(module: Module, user: Any, aspect: Aspect | None, secret_number: SecretNumber) -> None:
    assignment = judge_assignment(module, user)
    if assignment is None:
        raise ValidationError(_("You are not assigned to module %(module)s") % {"module": module.name})
    if aspect is not None and aspect.pk not in assigned_aspect_ids(assignment):
        raise ValidationError(_("You are not assigned to aspect %(code)s") % {"code": aspect.code})
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
    if aspect.kind == Aspect.Kind.MEASUREMENT:
        existing = Mark.objects.select_for_update().filter(aspect=aspect, secret_number=secret_number).first()
    else:
        existing = (
            Mark.objects.select_for_update().filter(aspect=aspect, secret_number=secret_number, entered_by=by).first()
        )
    if existing is not None:
        if existing.entered_by_id != by.pk:
            raise ValidationError(_("Another judge entered this mark; confirm or reject it instead"))
        if existing.status == Mark.Status.CONFIRMED:
            raise ValidationError(_("This mark is confirmed; only a re-mark can change it"))
        before = snapshot(existing, MARK_FIELDS)
        existing.value, existing.mark = raw, mark_value
        existing.status = Mark.Status.ENTERED
        existing.save(update_fields=["value", "mark", "status", "updated_at"])
        mark = existing
    else:
        before = None
        mark = Mark.objects.create(
            aspect=aspect,
            secret_number=secret_number,
            kind=aspect.kind,
            entered_by=by,
            value=raw,
            mark=mark_value,
        )
    if aspect.kind == Aspect.Kind.JUDGEMENT:
        _refresh_flags(aspect, secret_number.pk)
        mark.refresh_from_db()
    log_action(actor=by, action="mark.enter", obj=mark, before=before, after=snapshot(mark, MARK_FIELDS))
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
    if mark.status != Mark.Status.ENTERED:
        raise ValidationError(
            _("Only an entered mark can be confirmed; this one is %(status)s") % {"status": mark.get_status_display()}
        )
    before = snapshot(mark, MARK_FIELDS)
    mark.status = Mark.Status.CONFIRMED
    mark.confirmed_by = by
    mark.confirmed_at = timezone.now()
    mark.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    log_action(actor=by, action="mark.confirm", obj=mark, before=before, after=snapshot(mark, MARK_FIELDS))
    return mark


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
    if mark.status != Mark.Status.ENTERED:
        raise ValidationError(_("Only an entered mark can be sent back"))
    before = snapshot(mark, MARK_FIELDS)
    mark.status = Mark.Status.REJECTED
    mark.rejection_reason = reason[:300]
    mark.save(update_fields=["status", "rejection_reason", "updated_at"])
    log_action(actor=by, action="mark.reject", obj=mark, before=before, after=snapshot(mark, MARK_FIELDS), note=reason)
    return mark


@transaction.atomic
def mark_flag_resolve(*, aspect: Aspect, number: str, by: Any, note: str = "") -> int:
    """The chief judge closes the discussion of a flagged judgement (scores > 1 point apart)."""
    module = _lock_module(aspect.module_id)
    require_role(module.stage.contest, by, ContestRole.Kind.CHIEF_JUDGE)
    _require_unlocked(module)
    marks = Mark.objects.filter(aspect=aspect, secret_number__stage_id=module.stage_id, secret_number__number=number)
    n = marks.filter(flagged=True, flag_resolved=False).update(flag_resolved=True)
    if not n:
        raise ValidationError(_("Nothing is flagged for this competitor and aspect"))
    log_action(actor=by, action="mark.flag_resolve", obj=aspect, after={"number": number, "marks": n}, note=note)
    return n


def module_missing_marks(module: Module) -> list[tuple[str, str]]:
    """(secret number, aspect code) pairs still short of marks."""
    judges_min = module.stage.contest.judges_min
    counts = {
        (r["secret_number_id"], r["aspect_id"]): r["n"]
        for r in Mark.objects.filter(aspect__module=module)
        .values("secret_number_id", "aspect_id")
        .annotate(n=Count("id"))
    }
    missing = []
    for sid, number in SecretNumber.objects.filter(stage_id=module.stage_id).values_list("id", "number"):
        for aid, code, kind in module.aspects.values_list("id", "code", "kind"):
            need = judges_min if kind == Aspect.Kind.JUDGEMENT else 1
            if counts.get((sid, aid), 0) < need:
                missing.append((number, code))
    return missing


@transaction.atomic
def module_sign_off(*, module: Module, by: Any) -> Module:
    """The chief judge signs a module off: every mark present and confirmed, no open flag.
    From then on its marks are locked."""
    module = _lock_module(module.pk)
    require_role(module.stage.contest, by, ContestRole.Kind.CHIEF_JUDGE)
    if module.signed_off_at is not None:
        raise ValidationError(_("The module is already signed off"))
    if not module.aspects.exists():
        raise ValidationError(_("The module has no aspects"))
    if not SecretNumber.objects.filter(stage_id=module.stage_id).exists():
        raise ValidationError(_("No competitor has a secret number yet"))
    marks = Mark.objects.filter(aspect__module=module)
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
    module.signed_off_at = timezone.now()
    module.signed_off_by = by
    module.save(update_fields=["signed_off_at", "signed_off_by"])
    log_action(
        actor=by, action="module.sign_off", obj=module, after={"signed_off_at": module.signed_off_at.isoformat()}
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
    require_role(module.stage.contest, by, ContestRole.Kind.CHIEF_JUDGE, ContestRole.Kind.ARBITER)
    if ResultSet.objects.filter(
        stage_id=module.stage_id, status__in=[ResultSet.Status.NOTICE, ResultSet.Status.FINAL]
    ).exists():
        raise ValidationError(_("Results of this stage are published; withdraw them before a re-mark"))
    mark = Mark.objects.select_for_update().select_related("aspect").get(pk=mark.pk)
    raw, mark_value = compute_mark(mark.aspect, value)
    before = snapshot(mark, MARK_FIELDS)
    mark.value, mark.mark, mark.remarked = raw, mark_value, True
    mark.save(update_fields=["value", "mark", "remarked", "updated_at"])
    if mark.kind == Aspect.Kind.JUDGEMENT:
        _refresh_flags(mark.aspect, mark.secret_number_id)
        mark.refresh_from_db()
    log_action(actor=by, action="mark.remark", obj=mark, before=before, after=snapshot(mark, MARK_FIELDS), note=reason)
    return mark


@transaction.atomic
def theory_score_set(*, stage: Stage, number: str, score: Any, by: Any) -> SecretNumber:
    """Record the theory exam score for a secret number (chief judge or contest manager)."""
    contest = stage.contest
    if not (has_role(contest, by, ContestRole.Kind.CHIEF_JUDGE) or manages_contest(contest, by)):
        raise PermissionDenied(_("Only the chief judge or the organisers can enter theory scores"))
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
    before = {"theory_score": str(secret_number.theory_score) if secret_number.theory_score is not None else None}
    secret_number.theory_score = scoring.q2(value)
    secret_number.save(update_fields=["theory_score"])
    log_action(
        actor=by,
        action="theory.set",
        obj=secret_number,
        before=before,
        after={"theory_score": str(secret_number.theory_score)},
    )
    return secret_number


@transaction.atomic
def theory_scores_from_users(*, stage: Stage, scores: dict[int, Any], by: Any) -> int:
    """Theory scores given by competitors' user ids (a quiz feeding a stage), set on their
    secret numbers. The sealed mapping is read here, inside the contest engine, as the
    conflict checks read it; no one is shown who holds which number, and the audit log
    records numbers only. Returns how many competitors got a score."""
    from deltaunion.contests.models import SealedMapping

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

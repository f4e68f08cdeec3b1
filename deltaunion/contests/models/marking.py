"""The marking scheme (modules, aspects), judge assignments and marks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deltaunion.core.statemachine import StateMachine, Transition

from .contest import ContestRole, Stage
from .registration import SecretNumber


class Module(models.Model):
    """A practical task of a stage. Once the chief judge signs it off, its marks are locked."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="modules", verbose_name=_("Stage"))
    order = models.PositiveSmallIntegerField(_("Order"))
    name = models.CharField(_("Module"), max_length=120)
    signed_off_at = models.DateTimeField(_("Signed off at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Signed off by"),
    )

    scope_org_field = "stage__contest__lead_org"

    class Meta:
        verbose_name = _("Module")
        verbose_name_plural = _("Modules")
        ordering = ["stage", "order"]
        constraints = [models.UniqueConstraint(fields=["stage", "order"], name="module_unique_order")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class Aspect(models.Model):
    """One line of the marking scheme.

    measurement: without `bands`, the judge awards full marks or zero; with `bands`
    ([{"tolerance": "0.05", "share": "1"}, {"tolerance": "0.10", "share": "0.5"}]) the judge
    enters the measured value and the mark is max × share of the first band whose tolerance
    covers |value − target|.
    judgement: each of ≥3 judges scores 0–3 against `descriptors`; the aspect mark is
    max × Σscores / (3 × judges).
    """

    class Kind(models.TextChoices):
        MEASUREMENT = "measurement", _("Measurement")
        JUDGEMENT = "judgement", _("Judgement")

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="aspects", verbose_name=_("Module"))
    order = models.PositiveSmallIntegerField(_("Order"), default=0)
    code = models.CharField(_("Code"), max_length=20)
    description = models.CharField(_("Description"), max_length=300)
    kind = models.CharField(_("Kind"), max_length=12, choices=Kind.choices)
    max_mark = models.DecimalField(_("Full marks"), max_digits=7, decimal_places=2)
    target = models.DecimalField(_("Target value"), max_digits=12, decimal_places=4, null=True, blank=True)
    # The unit a measurement is taken in (mm, V, s…): target and tolerances are shown in it.
    unit = models.CharField(_("Unit"), max_length=20, blank=True, default="")
    bands = models.JSONField(_("Tolerance bands"), default=list, blank=True)
    descriptors = models.JSONField(_("Descriptors for scores 0–3"), default=list, blank=True)

    scope_org_field = "module__stage__contest__lead_org"
    # History: a flagged judgement is closed for one secret number.
    audit_labels = {"number": _("Secret number")}

    class Meta:
        verbose_name = _("Aspect")
        verbose_name_plural = _("Aspects")
        ordering = ["module", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["module", "code"], name="aspect_unique_code"),
            models.CheckConstraint(condition=models.Q(max_mark__gt=0), name="aspect_max_positive"),
            models.CheckConstraint(condition=models.Q(kind__in=["measurement", "judgement"]), name="aspect_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"

    def in_unit(self, value: Any) -> str:
        """A value as a judge reads it: no trailing zeros, with the aspect's unit (0.1 mm)."""
        if value is None or value == "":
            return ""
        number = Decimal(str(value))
        text = format(number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize(), "f")
        return f"{text} {self.unit}".strip()

    @property
    def target_text(self) -> str:
        return self.in_unit(self.target)

    @property
    def tolerance_text(self) -> str:
        """The tolerance bands as the judge applies them: "±0.1 mm 满分、±0.3 mm 50%"."""
        parts = []
        for band in self.bands or []:
            share = Decimal(str(band["share"]))
            if share == 1:
                label = str(_("full marks"))
            else:
                label = f"{format((share * 100).normalize(), 'f')}%"
            parts.append(f"±{self.in_unit(band['tolerance'])} {label}")
        return " · ".join(parts)


class JudgeAssignment(models.Model):
    """A judge on a module; `aspects` narrows it to some aspects (empty = every aspect)."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("Module"))
    judge = models.ForeignKey(
        ContestRole, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("Judge")
    )
    aspects = models.ManyToManyField(Aspect, blank=True, related_name="assignments", verbose_name=_("Aspects"))

    scope_org_field = "module__stage__contest__lead_org"
    scope_owner_field = "judge__user"

    class Meta:
        verbose_name = _("Judge assignment")
        verbose_name_plural = _("Judge assignments")
        constraints = [models.UniqueConstraint(fields=["module", "judge"], name="judge_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.judge} → {self.module}"

    def aspect_ids(self) -> set[int]:
        """The aspects this judge marks: those named, or every aspect of the module."""
        ids = {a.pk for a in self.aspects.all()}
        return ids or set(Aspect.objects.filter(module_id=self.module_id).values_list("id", flat=True))


class Mark(models.Model):
    """A mark entered by secret number. One per (aspect, number) for measurement aspects and
    one per (aspect, number, judge) for judgement aspects. `value` is what the judge entered
    (measured value, awarded mark or 0–3 score); `mark` is what counts (for judgement, the
    judge's score — the aspect mark is computed over all judges).

    A stray mark (a judge who should not have marked that aspect, an entry on the wrong
    competitor) is voided by the chief judge before sign-off: it stays, with its reason, in
    the history and the score sheet, and counts nowhere (not in a score, a count of marks, a
    flag or the sign-off check)."""

    class Status(models.TextChoices):
        ENTERED = "entered", _("Entered")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        VOIDED = "voided", _("Voided")

    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="marks", verbose_name=_("Aspect"))
    secret_number = models.ForeignKey(
        SecretNumber, on_delete=models.CASCADE, related_name="marks", verbose_name=_("Secret number")
    )
    kind = models.CharField(_("Kind"), max_length=12, choices=Aspect.Kind.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Entered by")
    )
    value = models.DecimalField(_("Entered value"), max_digits=12, decimal_places=4)
    mark = models.DecimalField(_("Mark"), max_digits=7, decimal_places=2)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.ENTERED)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)
    rejection_reason = models.CharField(_("Reason for rejection"), max_length=300, blank=True, default="")
    flagged = models.BooleanField(_("Flagged for discussion"), default=False)
    flag_resolved = models.BooleanField(_("Discussion closed"), default=False)
    remarked = models.BooleanField(_("Re-marked"), default=False)
    void_reason = models.CharField(_("Reason for voiding"), max_length=300, blank=True, default="")
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Voided by"),
    )
    voided_at = models.DateTimeField(_("Voided at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    scope_org_field = "aspect__module__stage__contest__lead_org"

    class Meta:
        verbose_name = _("Mark")
        verbose_name_plural = _("Marks")
        constraints = [
            # A voided mark stays (with its reason) but no longer takes the place of the right one.
            models.UniqueConstraint(
                fields=["aspect", "secret_number"],
                condition=models.Q(kind="measurement") & ~models.Q(status="voided"),
                name="mark_one_measurement",
            ),
            models.UniqueConstraint(
                fields=["aspect", "secret_number", "entered_by"],
                condition=~models.Q(status="voided"),
                name="mark_one_per_judge",
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_by__isnull=True) | ~models.Q(confirmed_by=models.F("entered_by")),
                name="mark_confirmer_not_enterer",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | models.Q(confirmed_by__isnull=False),
                name="mark_confirmed_has_confirmer",
            ),
            models.CheckConstraint(condition=models.Q(mark__gte=0), name="mark_nonnegative"),
            models.CheckConstraint(
                condition=~models.Q(status="voided")
                | (models.Q(voided_by__isnull=False) & ~models.Q(voided_by=models.F("entered_by"))),
                name="mark_voided_by_another",
            ),
        ]
        indexes = [models.Index(fields=["secret_number", "aspect"], name="mark_number_aspect_idx")]

    def __str__(self) -> str:
        return f"{self.secret_number} · {self.aspect.code}"


_M = Mark.Status
Mark.workflow = StateMachine(
    Mark,
    "status",
    action="mark",
    transitions=[
        Transition("confirm", [_M.ENTERED], _M.CONFIRMED, _("confirmed a mark"), "contests.judge_module"),
        Transition("reject", [_M.ENTERED], _M.REJECTED, _("rejected a mark"), "contests.judge_module"),
        Transition(
            "reenter", [_M.ENTERED, _M.REJECTED], _M.ENTERED, _("entered the mark again"), "contests.judge_module"
        ),
        Transition(
            "void", [_M.ENTERED, _M.CONFIRMED, _M.REJECTED], _M.VOIDED, _("voided a mark"), "contests.void_mark"
        ),
    ],
)

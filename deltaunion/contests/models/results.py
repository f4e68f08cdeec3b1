"""Re-checks, appeals, published result sets (with their hash chain) and objections."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.core.actions import register_actions
from deltaunion.core.statemachine import StateMachine, Transition

from .contest import Contest, Stage
from .registration import Registration, SecretNumber


class Recheck(models.Model):
    """Score re-check before publication: top places + a seeded random share of the rest."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("re-check", "In progress")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Error rate too high: full re-check required")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="rechecks", verbose_name=_("Stage"))
    full = models.BooleanField(_("Full re-check"), default=False)
    seed = models.CharField(_("Seed"), max_length=64, blank=True, default="")
    top_n = models.PositiveSmallIntegerField(_("Top places"), default=10)
    share = models.DecimalField(_("Share of the rest"), max_digits=4, decimal_places=3)
    status = models.CharField(_("Status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    checked = models.PositiveIntegerField(_("Checked"), default=0)
    errors = models.PositiveIntegerField(_("Errors"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Started by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Started at"))
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Completed at"))

    scope_org_field = "stage__contest__lead_org"
    # History: the secret numbers picked; the seed reproduces the pick, it is not for reading.
    audit_labels = {"top": _("Top places"), "sample": _("Random sample")}
    audit_hidden = ("seed",)

    class Meta:
        verbose_name = _("Re-check")
        verbose_name_plural = _("Re-checks")
        ordering = ["stage", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(errors__lte=models.F("checked")), name="recheck_errors_le_checked"
            )
        ]

    def __str__(self) -> str:
        kind = _("Full re-check") if self.full else _("Re-check")
        when = timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M") if self.created_at else ""
        return f"{self.stage} · {kind} {when}".strip()


class RecheckItem(models.Model):
    class Reason(models.TextChoices):
        TOP = "top", _("Top places")
        SAMPLE = "sample", _("Random sample")
        FULL = "full", _("Full re-check")

    recheck = models.ForeignKey(Recheck, on_delete=models.CASCADE, related_name="items", verbose_name=_("Re-check"))
    secret_number = models.ForeignKey(
        SecretNumber, on_delete=models.CASCADE, related_name="+", verbose_name=_("Secret number")
    )
    reason = models.CharField(_("Why selected"), max_length=8, choices=Reason.choices)
    checked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Checked at"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Checked by"),
    )
    error_found = models.BooleanField(_("Error found"), default=False)
    note = models.CharField(_("Note"), max_length=300, blank=True, default="")

    scope_org_field = "recheck__stage__contest__lead_org"

    class Meta:
        verbose_name = _("Re-check item")
        verbose_name_plural = _("Re-check items")
        ordering = ["recheck", "id"]
        constraints = [models.UniqueConstraint(fields=["recheck", "secret_number"], name="recheck_item_unique")]

    def __str__(self) -> str:
        return f"{self.recheck} · {self.secret_number}"


class Appeal(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="appeals", verbose_name=_("Stage"))
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("Competitor or team")
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Filed by")
    )
    filed_at = models.DateTimeField(_("Filed at"))
    reason = models.TextField(_("Grounds"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    ruling = models.TextField(_("Ruling"), blank=True, default="")
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Ruled by"),
    )
    ruled_at = models.DateTimeField(_("Ruled at"), null=True, blank=True)
    marks_changed = models.PositiveIntegerField(_("Marks changed"), default=0)

    scope_org_field = "registration__organisation"
    scope_owner_field = "filed_by"

    class Meta:
        verbose_name = _("Appeal")
        verbose_name_plural = _("Appeals")
        ordering = ["stage", "filed_at"]

    def __str__(self) -> str:
        return f"{self.stage} · {self.registration}"


class ResultSet(models.Model):
    """A stage's results as published. While on notice it may be withdrawn; once final it is
    immutable and chained. `content_hash` = SHA-256 over the canonical JSON (sorted keys, no
    spaces, Decimals as strings with 2 places) of every published field of every stored row,
    the set's own fields (contest, stage, published and final times, rules version, place in
    the chain) and `content` (`selectors.result_set_payload`); `previous_hash` is the hash of
    the contest's previous final set (chain per contest, "" for the first). A set on notice
    carries the hash of what it published, without the chain fields."""

    class Status(models.TextChoices):
        NOTICE = "notice", _("On public notice")
        FINAL = "final", _("Final")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    contest = models.ForeignKey(
        Contest, on_delete=models.PROTECT, related_name="result_sets", verbose_name=_("Contest")
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="result_sets", verbose_name=_("Stage"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.NOTICE)
    content = models.JSONField(_("Content"))
    chain_index = models.PositiveIntegerField(_("Position in chain"), null=True, blank=True)
    previous_hash = models.CharField(_("Previous hash"), max_length=64, blank=True, default="")
    content_hash = models.CharField(_("Hash"), max_length=64, blank=True, default="")
    published_at = models.DateTimeField(_("Published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Published by")
    )
    notice_until = models.DateTimeField(_("Notice until"))
    finalised_at = models.DateTimeField(_("Final since"), null=True, blank=True)
    awards_applied_at = models.DateTimeField(_("Awards applied at"), null=True, blank=True)
    # The scoring rule the results were computed by (`scoring.RULES_VERSION`), hashed with them.
    rules_version = models.CharField(_("Scoring rule version"), max_length=20, blank=True, default="")
    # Digest of the verification problems the managers were last told about ("" = none).
    integrity_alert = models.CharField(max_length=64, blank=True, default="", editable=False)

    scope_org_field = "contest__lead_org"
    # History: the content and its hashes are verified on the chain page, not read in a history.
    audit_hidden = ("content", "content_hash", "previous_hash", "integrity_alert")

    @classmethod
    def scope_public_q(cls) -> models.Q:
        """Published results (on notice or final) of a contest that is not a draft."""
        return models.Q(status__in=[cls.Status.NOTICE, cls.Status.FINAL]) & ~models.Q(
            contest__status=Contest.Status.DRAFT
        )

    class Meta:
        verbose_name = _("Result set")
        verbose_name_plural = _("Result sets")
        ordering = ["contest", "published_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage"], condition=models.Q(status__in=["notice", "final"]), name="result_set_one_live"
            ),
            models.UniqueConstraint(
                fields=["contest", "chain_index"],
                condition=models.Q(chain_index__isnull=False),
                name="result_set_chain_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="final")
                | (models.Q(chain_index__isnull=False) & ~models.Q(content_hash="")),
                name="result_set_final_is_chained",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} ({self.get_status_display()})"


class ResultRow(models.Model):
    result_set = models.ForeignKey(
        ResultSet, on_delete=models.CASCADE, related_name="rows", verbose_name=_("Result set")
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="result_rows", verbose_name=_("Registration")
    )
    number = models.CharField(_("Secret number"), max_length=12)
    rank = models.PositiveIntegerField(_("Rank"))
    total = models.DecimalField(_("Total"), max_digits=7, decimal_places=2)
    theory = models.DecimalField(_("Theory"), max_digits=7, decimal_places=2, null=True)
    practical = models.DecimalField(_("Practical"), max_digits=7, decimal_places=2)
    standardised = models.DecimalField(_("Standardised score"), max_digits=8, decimal_places=2, null=True)
    # The components the total is re-added from (null/empty on rows published before they were kept).
    modules = models.JSONField(_("Module scores"), default=list, blank=True)
    theory_percent = models.DecimalField(
        _("Theory (out of 100)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    practical_percent = models.DecimalField(
        _("Practical (out of 100)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    name = models.CharField(_("Name"), max_length=100)
    organisation_name = models.CharField(_("Sending union"), max_length=120)

    scope_org_field = "result_set__contest__lead_org"

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q(result_set__status__in=[ResultSet.Status.NOTICE, ResultSet.Status.FINAL]) & ~models.Q(
            result_set__contest__status=Contest.Status.DRAFT
        )

    class Meta:
        verbose_name = _("Result")
        verbose_name_plural = _("Results")
        ordering = ["result_set", "rank", "number"]
        constraints = [models.UniqueConstraint(fields=["result_set", "registration"], name="result_row_unique")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name}"


class Objection(models.Model):
    """An objection raised during public notice (公示异议)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    result_set = models.ForeignKey(
        ResultSet, on_delete=models.CASCADE, related_name="objections", verbose_name=_("Result set")
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Filed by"),
    )
    contact = models.CharField(_("Contact"), max_length=100, blank=True, default="")
    text = models.TextField(_("Objection"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(_("Response"), blank=True, default="")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Answered by"),
    )
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Answered at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Filed at"))

    scope_org_field = "result_set__contest__lead_org"
    scope_owner_field = "filed_by"

    class Meta:
        verbose_name = _("Objection")
        verbose_name_plural = _("Objections")
        ordering = ["result_set", "created_at"]

    def __str__(self) -> str:
        return self.text[:30]


_RC = Recheck.Status
Recheck.workflow = StateMachine(
    Recheck,
    "status",
    action="recheck",
    transitions=[
        Transition("pass", [_RC.OPEN], _RC.PASSED, _("passed the re-check"), "contests.manage_scores"),
        Transition(
            "fail",
            [_RC.OPEN],
            _RC.FAILED,
            _("failed the re-check: a full re-check is required"),
            "contests.manage_scores",
        ),
        Transition(
            "void",
            [_RC.PASSED],
            _RC.FAILED,
            _("set the re-check aside: the results were withdrawn"),
            "contests.manage_scores",
        ),
    ],
)

_A = Appeal.Status
Appeal.workflow = StateMachine(
    Appeal,
    "status",
    action="appeal",
    transitions=[
        Transition("uphold", [_A.PENDING], _A.UPHELD, _("upheld the appeal"), "contests.rule_appeal"),
        Transition("dismiss", [_A.PENDING], _A.DISMISSED, _("dismissed the appeal"), "contests.rule_appeal"),
    ],
)

_RS = ResultSet.Status
ResultSet.workflow = StateMachine(
    ResultSet,
    "status",
    action="result_set",
    transitions=[
        Transition("finalise", [_RS.NOTICE], _RS.FINAL, _("finalised the results"), "contests.manage_contest"),
        Transition("withdraw", [_RS.NOTICE], _RS.WITHDRAWN, _("withdrew the results"), "contests.manage_contest"),
    ],
)

_O = Objection.Status
Objection.workflow = StateMachine(
    Objection,
    "status",
    action="objection",
    transitions=[
        Transition("uphold", [_O.OPEN], _O.UPHELD, _("upheld the objection"), "contests.manage_contest"),
        Transition("dismiss", [_O.OPEN], _O.DISMISSED, _("dismissed the objection"), "contests.manage_contest"),
    ],
)

# Written by `services.result_integrity_alert` (the system, when a check of published results fails).
register_actions({"result_set.integrity_alert": _("found that the published results fail verification")})

"""Entries: quotas, registrations (individual or team), qualification, draws and the sealed mapping."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deltaunion.core.models import TimeStampedModel
from deltaunion.core.statemachine import StateMachine, Transition
from deltaunion.orgs.models import Organisation
from deltaunion.people.models import Worker

from .contest import Stage


class Quota(models.Model):
    """Places a sending organisation has on a stage. `used` is a counter guarded by a CHECK.

    Registration locks this row (SELECT … FOR UPDATE) before counting, so concurrent entries
    queue; the CHECK constraint `used <= places` is the database's last word.
    """

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("Stage"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Sending union")
    )
    places = models.PositiveIntegerField(_("Places"))
    used = models.PositiveIntegerField(_("Used"), default=0)

    scope_org_field = "organisation"

    class Meta:
        verbose_name = _("Quota")
        verbose_name_plural = _("Quotas")
        constraints = [
            models.UniqueConstraint(fields=["stage", "organisation"], name="quota_unique_org"),
            models.CheckConstraint(
                condition=models.Q(used__gte=0, used__lte=models.F("places")), name="quota_used_within_places"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.used}/{self.places}"


class Registration(TimeStampedModel):
    """One entry on a stage: an individual competitor, or a team (its captain is `worker`)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        ENTRY = "entry", _("Entry")
        IMPORT = "import", _("Excel import")
        QUALIFICATION = "qualification", _("Qualified from an earlier stage")

    # Statuses that hold a quota place.
    HOLDING = (Status.PENDING, Status.APPROVED)

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("Stage"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contest_registrations", verbose_name=_("Sending union")
    )
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="contest_registrations", verbose_name=_("Competitor")
    )
    team_name = models.CharField(_("Team name"), max_length=100, blank=True, default="")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_registrations",
        verbose_name=_("Team leader"),
    )
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(_("Source"), max_length=14, choices=Source.choices, default=Source.ENTRY)
    qualified_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="qualified_to",
        verbose_name=_("Qualified from"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Decided by"),
    )
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)
    reject_reason = models.CharField(_("Reason"), max_length=300, blank=True, default="")
    checked_in_at = models.DateTimeField(_("Checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Checked in by"),
    )

    scope_org_field = "organisation"
    scope_owner_field = "worker__user"

    class Meta:
        verbose_name = _("Registration")
        verbose_name_plural = _("Registrations")
        ordering = ["stage", "organisation__path", "id"]
        constraints = [
            # One live entry per worker per stage; a rejected or withdrawn one may be followed by another.
            models.UniqueConstraint(
                fields=["stage", "worker"],
                condition=models.Q(status__in=["pending", "approved"]),
                name="registration_unique_worker",
            )
        ]
        indexes = [models.Index(fields=["stage", "status"], name="registration_stage_status_idx")]

    def __str__(self) -> str:
        return self.team_name or str(self.worker)


class TeamMember(models.Model):
    """A member of a team entry other than its captain. `stage` is copied to keep one entry per worker."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="members", verbose_name=_("Registration")
    )
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+", verbose_name=_("Stage"))
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="contest_team_memberships", verbose_name=_("Team member")
    )

    scope_org_field = "registration__organisation"
    scope_owner_field = "worker__user"

    class Meta:
        verbose_name = _("Team member")
        verbose_name_plural = _("Team members")
        constraints = [models.UniqueConstraint(fields=["stage", "worker"], name="team_member_unique_worker")]

    def __str__(self) -> str:
        return str(self.worker)


class Qualification(models.Model):
    """The auditable list of who went from one stage to the next and why."""

    from_stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="qualifications_out", verbose_name=_("From stage")
    )
    to_stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="qualifications_in", verbose_name=_("To stage")
    )
    source_registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="+", verbose_name=_("Qualified entry")
    )
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="qualification", verbose_name=_("Entry in the next stage")
    )
    rank = models.PositiveIntegerField(_("Rank"))
    rule = models.JSONField(_("Rule"))
    reason = models.CharField(_("Reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Entered by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Entered at"))

    scope_org_field = "source_registration__organisation"

    class Meta:
        verbose_name = _("Qualification")
        verbose_name_plural = _("Qualifications")
        ordering = ["to_stage", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["to_stage", "source_registration"], name="qualification_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source_registration_id} → {self.to_stage_id}"


class Draw(models.Model):
    """One round of the two-round draw, with the seed that reproduces it.

    Round 1 shuffles the checked-in entries (ordered by id) into a drawing order, kept in
    `order`. Round 2 lets each entry, in that order, draw a number from the remaining pool
    with its own seed. Both seeds come from `secrets`; re-running `random.Random(seed)` on the
    same inputs reproduces the draw. This table is sealed like the mapping.
    """

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="draws", verbose_name=_("Stage"))
    round = models.PositiveSmallIntegerField(_("Round"))
    seed = models.CharField(_("Seed"), max_length=64)
    order = models.JSONField(_("Drawing order"), default=list)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Drawn by")
    )
    performed_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Drawn at"))

    scope_org_field = "stage__contest__lead_org"

    class Meta:
        verbose_name = _("Draw")
        verbose_name_plural = _("Draws")
        constraints = [
            models.UniqueConstraint(fields=["stage", "round"], name="draw_unique_round"),
            models.CheckConstraint(condition=models.Q(round__in=[1, 2]), name="draw_round_1_or_2"),
        ]

    def __str__(self) -> str:
        return f"{self.stage_id} round {self.round}"


class SecretNumber(models.Model):
    """The anonymous competitor: all marking hangs off this row, which has no link to a name."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="secret_numbers", verbose_name=_("Stage"))
    number = models.CharField(_("Secret number"), max_length=12)
    theory_score = models.DecimalField(_("Theory score"), max_digits=7, decimal_places=2, null=True, blank=True)

    scope_org_field = "stage__contest__lead_org"

    class Meta:
        verbose_name = _("Secret number")
        verbose_name_plural = _("Secret numbers")
        ordering = ["stage", "number"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "number"], name="secret_number_unique"),
            models.CheckConstraint(
                condition=models.Q(theory_score__isnull=True) | models.Q(theory_score__gte=0),
                name="secret_number_theory_nonnegative",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class SealedMapping(models.Model):
    """Secret number ↔ registration. Read only by services (conflicts, reveal), never by judges."""

    secret_number = models.OneToOneField(
        SecretNumber, on_delete=models.CASCADE, related_name="sealed", verbose_name=_("Secret number")
    )
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="sealed", verbose_name=_("Registration")
    )

    scope_org_field = "registration__stage__contest__lead_org"

    class Meta:
        verbose_name = _("Sealed mapping")
        verbose_name_plural = _("Sealed mappings")

    def __str__(self) -> str:
        return f"{self.secret_number_id}"


def _checked_in(registration: Registration) -> str | None:
    if registration.checked_in_at is not None:
        return _("A checked-in competitor cannot withdraw")
    return None


_R = Registration.Status
Registration.workflow = StateMachine(
    Registration,
    "status",
    action="registration",
    transitions=[
        Transition(
            "approve", [_R.PENDING], _R.APPROVED, _("approved the registration"), "contests.decide_registration"
        ),
        Transition("reject", [_R.PENDING], _R.REJECTED, _("refused the registration"), "contests.decide_registration"),
        Transition(
            "withdraw",
            [_R.PENDING, _R.APPROVED],
            _R.WITHDRAWN,
            _("withdrew the registration"),
            "contests.withdraw_registration",
            guard=_checked_in,
        ),
    ],
)

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from deltaunion.core.models import TimeStampedModel
from deltaunion.core.statemachine import StateMachine, Transition
from deltaunion.orgs.models import Alliance, Organisation


class JointMeeting(TimeStampedModel):
    """A joint meeting (联席会议) of the four provincial federations."""

    slug = models.SlugField(_("Identifier"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("Year"), db_index=True)
    title = models.CharField(_("Meeting title"), max_length=200)
    held_on = models.DateField(_("Date held"), null=True, blank=True)
    date_note = models.CharField(_("Date note"), max_length=100, blank=True, default="")
    place = models.CharField(_("Place or format"), max_length=100, blank=True, default="")
    summary = models.TextField(_("Overview"), blank=True, default="")
    source = models.CharField(_("Source"), max_length=255, blank=True, default="")

    scope_org_field = None  # public

    class Meta:
        verbose_name = _("Joint meeting")
        verbose_name_plural = _("Joint meetings")
        ordering = ["-year", "-held_on", "slug"]

    def __str__(self) -> str:
        return self.title


class WorkPlan(TimeStampedModel):
    """A document a joint meeting publishes (工作方案 / 工作意见)."""

    slug = models.SlugField(_("Identifier"), max_length=60, unique=True)
    meeting = models.ForeignKey(
        JointMeeting, on_delete=models.PROTECT, related_name="plans", verbose_name=_("Joint meeting")
    )
    year = models.PositiveSmallIntegerField(_("Year"), db_index=True)
    title = models.CharField(_("Plan title"), max_length=200)
    summary = models.TextField(_("Overview"), blank=True, default="")
    source = models.CharField(_("Source"), max_length=255, blank=True, default="")
    position = models.PositiveSmallIntegerField(_("Position"), default=0)

    class Meta:
        verbose_name = _("Work plan")
        verbose_name_plural = _("Work plans")
        ordering = ["-year", "position", "id"]

    def __str__(self) -> str:
        return self.title


class KeyTask(TimeStampedModel):
    """One item of a work plan: a contest, a mechanism, an exchange, a map …"""

    class Kind(models.TextChoices):
        CONTEST = "contest", _("Contest")
        MECHANISM = "mechanism", _("Working mechanism")
        EXCHANGE = "exchange", _("Exchange activity")
        RECUPERATION = "recuperation", _("Recuperation")
        HONOUR = "honour", _("Selection and naming")
        MAP = "map", _("Map")
        ROUTE = "route", _("Visit route")
        TRAINING = "training", _("Training")
        COOPERATION = "cooperation", _("Cooperation agreement")
        DATA = "data", _("Data sharing")
        OTHER = "other", _("Other")

    class Tier(models.TextChoices):
        LED = "led", _("Led")
        CO_ORGANISED = "co_organised", _("Co-organised")
        GUIDED = "guided", _("Guided")

    class Status(models.TextChoices):
        """The stored state: "planned" means no officer has set one, and the state shown is
        computed from the evidence and the deadline (see `workplans.progress`); any other
        value is an officer's decision, given with a reason."""

        PLANNED = "planned", _("Computed from the evidence")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("Work plan"))
    number = models.PositiveSmallIntegerField(_("No."))
    title = models.CharField(_("Task"), max_length=300)
    kind = models.CharField(_("Category"), max_length=16, choices=Kind.choices)
    tier = models.CharField(_("Tier"), max_length=16, choices=Tier.choices, blank=True, default="")
    lead_org = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name=_("Lead organisation"),
    )
    lead_alliance = models.ForeignKey(
        Alliance,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name=_("Lead alliance"),
    )
    lead_note = models.CharField(_("Lead note"), max_length=200, blank=True, default="")
    deadline = models.DateField(_("Deadline"), null=True, blank=True)
    target = models.CharField(_("Target"), max_length=300, blank=True, default="")
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    status_reason = models.CharField(_("Reason for the state set by hand"), max_length=500, blank=True, default="")
    detail = models.TextField(_("Details"), blank=True, default="")
    source = models.CharField(_("Source"), max_length=255, blank=True, default="")

    scope_org_field = "lead_org"

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q(pk__isnull=False)  # published plans are public

    class Meta:
        verbose_name = _("Key task")
        verbose_name_plural = _("Key tasks")
        ordering = ["plan__year", "plan__position", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="keytask_unique_number")]

    def __str__(self) -> str:
        return self.title

    def audit_organisation(self) -> Organisation | None:
        return self.lead_org


_S = KeyTask.Status
KeyTask.workflow = StateMachine(
    KeyTask,
    "status",
    action="key_task",
    transitions=[
        Transition("start", [_S.PLANNED], _S.IN_PROGRESS, _("started the key task"), "workplans.manage_task"),
        Transition(
            "complete", [_S.PLANNED, _S.IN_PROGRESS], _S.DONE, _("marked the key task done"), "workplans.manage_task"
        ),
        Transition(
            "cancel", [_S.PLANNED, _S.IN_PROGRESS], _S.CANCELLED, _("cancelled the key task"), "workplans.manage_task"
        ),
        Transition("reopen", [_S.DONE], _S.IN_PROGRESS, _("reopened the key task"), "workplans.manage_task"),
        Transition(
            "restore", [_S.CANCELLED], _S.PLANNED, _("restored the cancelled key task"), "workplans.manage_task"
        ),
        Transition(
            "recompute",
            [_S.IN_PROGRESS, _S.DONE],
            _S.PLANNED,
            _("returned the key task to its computed state"),
            "workplans.manage_task",
        ),
    ],
)

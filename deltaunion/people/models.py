from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deltaunion.core.models import TimeStampedModel
from deltaunion.orgs.models import Organisation, Region


class Ownership(models.TextChoices):
    STATE = "state", _("State-owned")
    PRIVATE = "private", _("Private")
    FOREIGN = "foreign", _("Foreign-invested")
    PUBLIC_SECTOR = "public_sector", _("Public sector")


class SkillLevel(models.IntegerChoices):
    """The five national vocational skill levels (1 is the highest)."""

    LEVEL_5 = 5, _("Level 5 / junior worker")
    LEVEL_4 = 4, _("Level 4 / intermediate worker")
    LEVEL_3 = 3, _("Level 3 / senior worker")
    LEVEL_2 = 2, _("Level 2 / technician")
    LEVEL_1 = 1, _("Level 1 / senior technician")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class SkillSource(models.TextChoices):
    """How a skill level was obtained."""

    CERTIFICATION = "certification", _("Skill-level certification")
    CONTEST = "contest", _("Promotion through a contest")
    IMPORT = "import", _("Import")
    OTHER = "other", _("Other")


class Employer(TimeStampedModel):
    name = models.CharField(_("Employer name"), max_length=200)
    credit_code = models.CharField(_("Unified social credit code"), max_length=18, blank=True, default="")
    ownership = models.CharField(_("Ownership type"), max_length=16, choices=Ownership.choices)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("Administrative division")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="employers", verbose_name=_("Union")
    )
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "organisation"

    class Meta:
        verbose_name = _("Employer")
        verbose_name_plural = _("Employers")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="employer_unique_name_in_org")]

    def __str__(self) -> str:
        return self.name


class Worker(TimeStampedModel):
    """A worker (职工). The ID number is the key that links one person across provinces."""

    name = models.CharField(_("Full name"), max_length=100)
    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    birth_date = models.DateField(_("Date of birth"))
    sex = models.CharField(_("Sex"), max_length=1, choices=Sex.choices)
    phone = models.CharField(_("Mobile number"), max_length=20, blank=True, default="")
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="workers", verbose_name=_("Employer")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="workers", verbose_name=_("Union")
    )
    started_work_on = models.DateField(_("Date started work"), null=True, blank=True)
    is_member = models.BooleanField(_("Union member"), default=True)
    member_since = models.DateField(_("Date joined"), null=True, blank=True)
    trade = models.CharField(_("Trade"), max_length=100, blank=True, default="")
    skill_level = models.PositiveSmallIntegerField(
        _("Current skill level"),
        choices=SkillLevel.choices,
        null=True,
        blank=True,
        help_text=_("Kept up to date from the skill-level records"),
    )
    is_gig_worker = models.BooleanField(_("Gig or platform worker"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="worker",
        verbose_name=_("Login account"),
    )
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "organisation"
    scope_owner_field = "user"
    # The keys of a "recorded a skill level" audit entry that are not fields of the worker.
    audit_labels = {"source": _("Obtained through")}
    audit_choices = {"source": SkillSource.choices}
    audit_hidden = ("record",)

    class Meta:
        verbose_name = _("Worker")
        verbose_name_plural = _("Workers")
        ordering = ["organisation__path", "name", "id"]
        indexes = [models.Index(fields=["organisation", "name"], name="worker_org_name_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(sex__in=["M", "F"]), name="worker_sex_valid"),
            models.CheckConstraint(
                condition=models.Q(skill_level__isnull=True) | models.Q(skill_level__gte=1, skill_level__lte=5),
                name="worker_skill_level_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SkillLevelRecord(TimeStampedModel):
    """One step in a worker's skill-level history (certification, contest promotion …)."""

    Source = SkillSource

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="skill_levels")
    level = models.PositiveSmallIntegerField(_("Skill level"), choices=SkillLevel.choices)
    trade = models.CharField(_("Trade"), max_length=100, blank=True, default="")
    obtained_on = models.DateField(_("Date obtained"))
    source = models.CharField(
        _("Obtained through"), max_length=16, choices=Source.choices, default=Source.CERTIFICATION
    )
    reference = models.CharField(_("Reference"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("Skill-level record")
        verbose_name_plural = _("Skill-level records")
        ordering = ["-obtained_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="skill_record_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.get_level_display()}"


class Title(TimeStampedModel):
    class Kind(models.TextChoices):
        MODEL_WORKER = "model_worker", _("Model worker")
        CRAFTSMAN = "craftsman", _("Craftsman")
        GRAND_CRAFTSMAN = "grand_craftsman", _("Grand craftsman")
        TECHNICAL_EXPERT = "technical_expert", _("Technical expert")
        GOLD_WORKER = "gold_worker", _("Gold-medal worker")
        OTHER = "other", _("Other")

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="titles")
    kind = models.CharField(_("Title type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("Full title"), max_length=200)
    awarded_by = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("Awarded by")
    )
    year = models.PositiveSmallIntegerField(_("Year"))

    class Meta:
        verbose_name = _("Honorary title")
        verbose_name_plural = _("Honorary titles")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.name

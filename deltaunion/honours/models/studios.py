"""Innovation studios (劳模工匠创新工作室): the studio, its 七有 checklist, recognitions and yearly reports."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deltaunion.core.models import TimeStampedModel
from deltaunion.honours.standard import Industry, SevenHaves, StudioLevel
from deltaunion.orgs.models import Organisation, Region
from deltaunion.people.models import Employer, Worker


class Studio(TimeStampedModel):
    """A model-worker and craftsman innovation studio. Its `level` is the highest of its
    recognitions (kept by the services); a recognised studio is public, the others are for the
    officers of its union."""

    name = models.CharField(_("Studio name"), max_length=120)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="studios", verbose_name=_("Union")
    )
    province = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Province")
    )
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="studios", verbose_name=_("Employer")
    )
    lead = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="led_studios", verbose_name=_("Lead"))
    members = models.ManyToManyField(Worker, blank=True, related_name="studios", verbose_name=_("Team members"))
    industry = models.CharField(_("Industry"), max_length=16, choices=Industry.choices, default=Industry.MANUFACTURING)
    site = models.CharField(_("Site"), max_length=300, blank=True, default="")
    equipment = models.TextField(_("Facilities and equipment"), blank=True, default="")
    rules = models.TextField(_("Working rules"), blank=True, default="")
    funding_yuan = models.DecimalField(
        _("Yearly funding (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    founded_on = models.DateField(_("Founded on"), null=True, blank=True)
    level = models.CharField(_("Level"), max_length=16, choices=StudioLevel.choices, blank=True, default="")
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "organisation"
    # The keys of a "recorded a recognition" audit entry that are not fields of the studio.
    audit_labels = {"recognised_on": _("Recognised on"), "body": _("Recognised by")}

    @classmethod
    def scope_public_q(cls) -> Q:
        return ~Q(level="")

    class Meta:
        verbose_name = _("Innovation studio")
        verbose_name_plural = _("Innovation studios")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="studio_unique_name_in_org")]
        indexes = [models.Index(fields=["province", "level"], name="studio_province_level_idx")]

    def __str__(self) -> str:
        return self.name


class StudioCheck(TimeStampedModel):
    """One item of the 七有 standard for a studio, with its evidence. An item is met when its
    evidence is recorded."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="checks", verbose_name=_("Studio"))
    item = models.CharField(_("Item of the standard"), max_length=12, choices=SevenHaves.choices)
    evidence = models.TextField(_("Evidence"), blank=True, default="")

    scope_org_field = "studio__organisation"

    class Meta:
        verbose_name = _("Seven-haves item")
        verbose_name_plural = _("Seven-haves items")
        ordering = ["studio", "id"]
        constraints = [models.UniqueConstraint(fields=["studio", "item"], name="studio_check_unique_item")]

    def __str__(self) -> str:
        return f"{self.studio} · {self.get_item_display()}"

    @property
    def met(self) -> bool:
        return bool(self.evidence.strip())

    def audit_organisation(self) -> Organisation:
        return self.studio.organisation


class StudioRecognition(TimeStampedModel):
    """A recognition of the studio at a level, with its date and issuing body (a named honour
    of a selection writes one)."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="recognitions", verbose_name=_("Studio"))
    level = models.CharField(_("Level"), max_length=16, choices=StudioLevel.choices)
    recognised_on = models.DateField(_("Recognised on"))
    body = models.CharField(_("Recognised by"), max_length=200)
    title = models.CharField(_("Title conferred"), max_length=200, blank=True, default="")
    award = models.OneToOneField(
        "honours.Award",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="studio_recognition",
        verbose_name=_("Honour"),
    )

    scope_org_field = "studio__organisation"

    class Meta:
        verbose_name = _("Studio recognition")
        verbose_name_plural = _("Studio recognitions")
        ordering = ["studio", "-recognised_on", "id"]

    def __str__(self) -> str:
        return f"{self.studio} · {self.get_level_display()}"

    def audit_organisation(self) -> Organisation:
        return self.studio.organisation


class StudioReport(TimeStampedModel):
    """A studio's yearly figures, in the shape of the Inner Mongolia report (seeds/002): topics,
    projects, results, results put into use, patents, and the economic benefit."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="reports", verbose_name=_("Studio"))
    year = models.PositiveSmallIntegerField(_("Year"))
    topics = models.PositiveIntegerField(_("Innovation topics"), default=0)
    projects = models.PositiveIntegerField(_("Tackling projects"), default=0)
    results = models.PositiveIntegerField(_("Innovation results"), default=0)
    applied_results = models.PositiveIntegerField(_("Results put into use"), default=0)
    patents = models.PositiveIntegerField(_("Patents"), default=0)
    savings_yuan = models.DecimalField(_("Economic benefit (yuan)"), max_digits=16, decimal_places=2, default=0)

    scope_org_field = "studio__organisation"

    class Meta:
        verbose_name = _("Studio yearly report")
        verbose_name_plural = _("Studio yearly reports")
        ordering = ["studio", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["studio", "year"], name="studio_report_unique_year"),
            models.CheckConstraint(
                condition=Q(applied_results__lte=models.F("results")), name="studio_report_applied_le_results"
            ),
            models.CheckConstraint(condition=Q(savings_yuan__gte=0), name="studio_report_savings_nonnegative"),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100), name="studio_report_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.studio} · {self.year}"

    def audit_organisation(self) -> Organisation:
        return self.studio.organisation

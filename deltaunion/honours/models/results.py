"""Innovation results (职工创新成果), their photos, and exhibitions (成果展示) of curated results."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.contests.models import Contest
from deltaunion.core.models import TimeStampedModel
from deltaunion.core.statemachine import StateMachine, Transition
from deltaunion.orgs.models import Organisation
from deltaunion.people.models import Worker
from deltaunion.workplans.models import KeyTask

from .studios import Studio


class ResultKind(models.TextChoices):
    INVENTION_PATENT = "invention_patent", _("Invention patent")
    UTILITY_MODEL = "utility_model", _("Utility model")
    TECHNIQUE = "technique", _("Technique or method of operation")
    MANAGEMENT = "management", _("Management method")


PATENT_KINDS = (ResultKind.INVENTION_PATENT, ResultKind.UTILITY_MODEL)


class ApplicationStatus(models.TextChoices):
    NOT_APPLIED = "not_applied", _("Not yet in use")
    TRIAL = "trial", _("In trial use")
    APPLIED = "applied", _("In use")
    PROMOTED = "promoted", _("Promoted to other units")


class Exhibition(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(pgettext_lazy("heading", "Title"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="exhibitions", verbose_name=_("Organiser")
    )
    description = models.TextField(_("Description"), blank=True, default="")
    place = models.CharField(_("Place"), max_length=200, blank=True, default="")
    opens_on = models.DateField(_("Opens on"), null=True, blank=True)
    closes_on = models.DateField(_("Closes on"), null=True, blank=True)
    key_task = models.ForeignKey(
        KeyTask,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="honours_exhibitions",
        verbose_name=_("Key task"),
    )
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "organisation"
    audit_labels = {"result": _("Innovation result")}

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(status=cls.Status.PUBLISHED)

    class Meta:
        verbose_name = _("Exhibition")
        verbose_name_plural = _("Exhibitions")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(closes_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                name="exhibition_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class InnovationResult(TimeStampedModel):
    """An innovation result: who made it, in which studio, from which contest, its patent and
    whether it is in use, and the economic benefit a body certified. A result is public when it
    is shown in a published exhibition or named on the roll of honour."""

    title = models.CharField(pgettext_lazy("heading", "Title"), max_length=200)
    kind = models.CharField(_("Kind of result"), max_length=20, choices=ResultKind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="innovation_results", verbose_name=_("Union")
    )
    owners = models.ManyToManyField(Worker, blank=True, related_name="innovation_results", verbose_name=_("Owners"))
    studio = models.ForeignKey(
        Studio, null=True, blank=True, on_delete=models.SET_NULL, related_name="results", verbose_name=_("Studio")
    )
    contest = models.ForeignKey(
        Contest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="innovation_results",
        verbose_name=_("Contest"),
    )
    patent_number = models.CharField(_("Patent number"), max_length=40, blank=True, default="")
    achieved_on = models.DateField(_("Date"), null=True, blank=True)
    application_status = models.CharField(
        _("Application"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.NOT_APPLIED
    )
    benefit_yuan = models.DecimalField(
        _("Certified economic benefit (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    benefit_certified_by = models.CharField(_("Benefit certified by"), max_length=200, blank=True, default="")
    summary = models.TextField(_("Summary"), blank=True, default="")
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "organisation"
    audit_labels = {"caption": _("Caption"), "credit": _("Photo credit and licence")}

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(exhibition_items__exhibition__status=Exhibition.Status.PUBLISHED) | Q(
            awards__status="valid", awards__selection__status="published"
        )

    class Meta:
        verbose_name = _("Innovation result")
        verbose_name_plural = _("Innovation results")
        ordering = ["-achieved_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(benefit_yuan__isnull=True) | Q(benefit_yuan__gte=0), name="result_benefit_nonnegative"
            ),
            models.CheckConstraint(
                condition=Q(benefit_yuan__isnull=True) | ~Q(benefit_certified_by=""),
                name="result_benefit_has_certifier",
            ),
        ]

    def __str__(self) -> str:
        return self.title


def result_photo_path(instance: ResultPhoto, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:6]
    return f"honours/results/{instance.result_id}/{uuid.uuid4().hex}{suffix}"


class ResultPhoto(TimeStampedModel):
    result = models.ForeignKey(
        InnovationResult, on_delete=models.CASCADE, related_name="photos", verbose_name=_("Innovation result")
    )
    image = models.FileField(_("Photo"), upload_to=result_photo_path, max_length=200)
    content_type = models.CharField(max_length=40, default="image/jpeg")
    caption = models.CharField(_("Caption"), max_length=200, blank=True, default="")
    credit = models.CharField(_("Photo credit and licence"), max_length=200)

    scope_org_field = "result__organisation"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(result__exhibition_items__exhibition__status=Exhibition.Status.PUBLISHED) | Q(
            result__awards__status="valid", result__awards__selection__status="published"
        )

    class Meta:
        verbose_name = _("Result photo")
        verbose_name_plural = _("Result photos")
        ordering = ["result", "id"]

    def __str__(self) -> str:
        return self.caption or str(self.result)

    def audit_organisation(self) -> Organisation:
        return self.result.organisation


class ExhibitionItem(models.Model):
    exhibition = models.ForeignKey(
        Exhibition, on_delete=models.CASCADE, related_name="items", verbose_name=_("Exhibition")
    )
    result = models.ForeignKey(
        InnovationResult, on_delete=models.PROTECT, related_name="exhibition_items", verbose_name=_("Innovation result")
    )
    position = models.PositiveSmallIntegerField(_("Position"), default=0)
    note = models.CharField(_("Curator's note"), max_length=300, blank=True, default="")

    scope_org_field = "exhibition__organisation"

    class Meta:
        verbose_name = _("Exhibited result")
        verbose_name_plural = _("Exhibited results")
        ordering = ["exhibition", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["exhibition", "result"], name="exhibition_item_unique")]

    def __str__(self) -> str:
        return f"{self.exhibition} · {self.result}"


_E = Exhibition.Status
Exhibition.workflow = StateMachine(
    Exhibition,
    "status",
    action="exhibition",
    transitions=[
        Transition(
            "publish",
            [_E.DRAFT, _E.WITHDRAWN],
            _E.PUBLISHED,
            _("published the exhibition"),
            "honours.manage_exhibition",
            guard=lambda e: None if e.items.exists() else _("Add results to the exhibition before publishing it"),
        ),
        Transition("withdraw", [_E.PUBLISHED], _E.WITHDRAWN, _("withdrew the exhibition"), "honours.manage_exhibition"),
    ],
)

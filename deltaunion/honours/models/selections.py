"""Selections (评选): the campaign, its categories and quotas, nominations, the expert review,
public notice with objections, and the named honours (荣誉) with their certificates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.campaigns.models import Campaign
from deltaunion.contests.models import Contest
from deltaunion.core.models import TimeStampedModel
from deltaunion.core.statemachine import StateMachine, Transition
from deltaunion.honours.standard import StudioLevel
from deltaunion.orgs.models import Organisation, Region
from deltaunion.people.models import Employer, SkillLevel, Title, Worker
from deltaunion.workplans.models import KeyTask

from .results import InnovationResult
from .studios import Studio


class RecipientKind(models.TextChoices):
    PERSON = "person", _("Person")
    TEAM = "team", _("Team or collective")
    STUDIO = "studio", _("Innovation studio")
    RESULT = "result", _("Innovation result")


class Honour(TimeStampedModel):
    """A title a selection confers (长三角大工匠, 金牌班组 …): the same honour across editions,
    so the roll of honour can be filtered by it. For people it names the kind of title written
    to their record; for studios the level it recognises."""

    name = models.CharField(_("Honour"), max_length=120, unique=True)
    recipient_kind = models.CharField(_("Conferred on"), max_length=8, choices=RecipientKind.choices)
    title_kind = models.CharField(
        _("Kind of title on the person's record"), max_length=20, choices=Title.Kind.choices, blank=True, default=""
    )
    studio_level = models.CharField(
        _("Studio level recognised"), max_length=16, choices=StudioLevel.choices, blank=True, default=""
    )
    description = models.TextField(_("Description"), blank=True, default="")

    scope_org_field = None

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(pk__isnull=False)

    class Meta:
        verbose_name = _("Honour")
        verbose_name_plural = _("Honours")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_kind="studio") | Q(studio_level=""), name="honour_level_only_for_studios"
            ),
            models.CheckConstraint(
                condition=Q(recipient_kind="person") | Q(title_kind=""), name="honour_title_only_for_people"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Selection(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        OPEN = "open", _("Open for nominations")
        REVIEW = "review", _("Checking and expert review")
        NOTICE = "notice", _("On public notice")
        PUBLISHED = "published", _("Named and published")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(pgettext_lazy("heading", "Title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("Year"), db_index=True)
    lead_org = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_selections", verbose_name=_("Organiser")
    )
    issuing_body = models.CharField(_("Conferred by"), max_length=200)
    key_task = models.ForeignKey(
        KeyTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="selections", verbose_name=_("Key task")
    )
    contest = models.ForeignKey(
        Contest, null=True, blank=True, on_delete=models.SET_NULL, related_name="selections", verbose_name=_("Contest")
    )
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="selections",
        verbose_name=_("Campaign"),
    )
    description = models.TextField(_("Description"), blank=True, default="")
    # The timetable.
    nominations_open_on = models.DateField(_("Nominations open on"), null=True, blank=True)
    nominations_close_on = models.DateField(_("Nominations close on"), null=True, blank=True)
    review_by = models.DateField(_("Expert review by"), null=True, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("Public notice (days)"), default=7)
    naming_on = models.DateField(_("Naming date"), null=True, blank=True)
    # Eligibility of people (an empty rule does not apply).
    trades = models.JSONField(_("Trades"), default=list, blank=True)
    min_years = models.PositiveSmallIntegerField(_("Minimum years in the trade"), null=True, blank=True)
    skill_level_at_least = models.PositiveSmallIntegerField(
        _("Skill level at least"), choices=SkillLevel.choices, null=True, blank=True
    )
    prior_title_kinds = models.JSONField(_("Prior honours required (any of)"), default=list, blank=True)
    members_only = models.BooleanField(_("Union members only"), default=True)
    # The review.
    conflict_same_city = models.BooleanField(_("Experts never score nominees of their own city"), default=False)
    min_reviews = models.PositiveSmallIntegerField(_("Experts per nomination"), default=3)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    notice_until = models.DateTimeField(_("Notice until"), null=True, blank=True)
    named_at = models.DateTimeField(_("Named at"), null=True, blank=True)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Named by"),
    )
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "lead_org"
    audit_choices = {"prior_title_kinds": Title.Kind.choices}
    audit_labels = {
        "category": _("Category"),
        "organisation": _("Union"),
        "places": _("Places"),
        "criterion": _("Criterion"),
        "material": _("Required material"),
        "panel": _("Review panel"),
        "expert": _("Expert"),
        "named": _("Named"),
    }

    @classmethod
    def scope_public_q(cls) -> Q:
        """On public notice, or named and published."""
        return Q(status__in=[cls.Status.NOTICE, cls.Status.PUBLISHED])

    class Meta:
        verbose_name = _("Selection")
        verbose_name_plural = _("Selections")
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100), name="selection_year_range"),
            models.CheckConstraint(condition=Q(min_reviews__gte=3), name="selection_three_experts_at_least"),
            models.CheckConstraint(
                condition=Q(nominations_open_on__isnull=True)
                | Q(nominations_close_on__isnull=True)
                | Q(nominations_close_on__gte=models.F("nominations_open_on")),
                name="selection_nomination_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Category(models.Model):
    """An honour a selection confers, with how many may be named (e.g. 金牌班组, 50 places)."""

    selection = models.ForeignKey(
        Selection, on_delete=models.CASCADE, related_name="categories", verbose_name=_("Selection")
    )
    honour = models.ForeignKey(Honour, on_delete=models.PROTECT, related_name="categories", verbose_name=_("Honour"))
    places = models.PositiveIntegerField(_("Places"))
    order = models.PositiveSmallIntegerField(_("Order"), default=0)

    scope_org_field = "selection__lead_org"

    class Meta:
        verbose_name = _("Category")
        verbose_name_plural = _("Categories")
        ordering = ["selection", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "honour"], name="category_unique_honour"),
            models.CheckConstraint(condition=Q(places__gte=1), name="category_places_positive"),
        ]

    def __str__(self) -> str:
        return self.honour.name

    @property
    def kind(self) -> str:
        return self.honour.recipient_kind


class Quota(models.Model):
    """How many nominations a union may put forward. Nominating locks this row (SELECT … FOR
    UPDATE) before counting; the CHECK `used <= places` is the database's last word."""

    selection = models.ForeignKey(
        Selection, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("Selection")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Nominating union")
    )
    places = models.PositiveIntegerField(_("Places"))
    used = models.PositiveIntegerField(_("Used"), default=0)

    scope_org_field = "organisation"

    class Meta:
        verbose_name = _("Nomination quota")
        verbose_name_plural = _("Nomination quotas")
        ordering = ["selection", "organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "organisation"], name="honours_quota_unique_org"),
            models.CheckConstraint(
                condition=Q(used__gte=0, used__lte=models.F("places")), name="honours_quota_used_within_places"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.used}/{self.places}"


class RequiredMaterial(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        FILE = "file", _("File")

    selection = models.ForeignKey(
        Selection, on_delete=models.CASCADE, related_name="materials", verbose_name=_("Selection")
    )
    label = models.CharField(_("Material"), max_length=100)
    kind = models.CharField(_("Form"), max_length=4, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("Required"), default=True)
    help = models.CharField(_("What to give"), max_length=300, blank=True, default="")
    order = models.PositiveSmallIntegerField(_("Order"), default=0)

    scope_org_field = "selection__lead_org"

    class Meta:
        verbose_name = _("Required material")
        verbose_name_plural = _("Required materials")
        ordering = ["selection", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["selection", "label"], name="material_unique_label")]

    def __str__(self) -> str:
        return self.label


class Criterion(models.Model):
    """A line of the review: the experts score it from 0 to `max_score` with the guidance; the
    weights make each expert's total out of 100."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("Category")
    )
    name = models.CharField(_("Criterion"), max_length=100)
    weight = models.DecimalField(_("Weight"), max_digits=5, decimal_places=2)
    max_score = models.DecimalField(_("Full marks"), max_digits=6, decimal_places=2, default=10)
    guidance = models.TextField(_("Scoring guidance"), blank=True, default="")
    order = models.PositiveSmallIntegerField(_("Order"), default=0)

    scope_org_field = "category__selection__lead_org"

    class Meta:
        verbose_name = _("Criterion")
        verbose_name_plural = _("Criteria")
        ordering = ["category", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="criterion_unique_name"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="criterion_max_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Panel(models.Model):
    """A review panel: its experts score the nominations of its categories; the chair signs off."""

    selection = models.ForeignKey(
        Selection, on_delete=models.CASCADE, related_name="panels", verbose_name=_("Selection")
    )
    name = models.CharField(_("Panel"), max_length=100)
    categories = models.ManyToManyField(Category, related_name="panels", verbose_name=_("Categories"))
    signed_off_at = models.DateTimeField(_("Signed off at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Signed off by"),
    )

    scope_org_field = "selection__lead_org"
    audit_labels = {"count": _("Nominations ranked")}

    class Meta:
        verbose_name = _("Review panel")
        verbose_name_plural = _("Review panels")
        ordering = ["selection", "id"]
        constraints = [models.UniqueConstraint(fields=["selection", "name"], name="panel_unique_name")]

    def __str__(self) -> str:
        return self.name

    def audit_organisation(self) -> Organisation:
        return self.selection.lead_org


class PanelMember(models.Model):
    """An expert on a panel, with the employer and city used for conflicts of interest."""

    @property
    def works_for(self) -> str:
        return self.employer.name if self.employer_id else self.employer_name.strip()

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members", verbose_name=_("Panel"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="honours_panel_seats", verbose_name=_("Expert")
    )
    is_chair = models.BooleanField(_("Chair"), default=False)
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Employer")
    )
    # The employer as the expert gives it, when it is not in the registry (compared by name).
    employer_name = models.CharField(_("Employer"), max_length=200, blank=True, default="")
    city = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("City")
    )

    scope_org_field = "panel__selection__lead_org"
    scope_owner_field = "user"

    class Meta:
        verbose_name = _("Panel member")
        verbose_name_plural = _("Panel members")
        ordering = ["panel", "-is_chair", "id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="panel_member_unique"),
            models.UniqueConstraint(fields=["panel"], condition=Q(is_chair=True), name="panel_one_chair"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Nomination(TimeStampedModel):
    """A union's nomination of a person, team, studio or result for one category."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        IN_REVIEW = "in_review", _("In expert review")
        ON_NOTICE = "on_notice", _("On public notice")
        NAMED = "named", _("Named")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DISQUALIFIED = "disqualified", _("Disqualified")

    # The states that hold a place of the union's quota (all but a withdrawal).
    HOLDS_PLACE = (
        Status.DRAFT,
        Status.SUBMITTED,
        Status.RETURNED,
        Status.IN_REVIEW,
        Status.ON_NOTICE,
        Status.NAMED,
        Status.NOT_SELECTED,
        Status.DISQUALIFIED,
    )

    selection = models.ForeignKey(
        Selection, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("Selection")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("Category")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="honour_nominations", verbose_name=_("Nominating union")
    )
    kind = models.CharField(_("Nominee"), max_length=8, choices=RecipientKind.choices)
    worker = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("Person")
    )
    studio = models.ForeignKey(
        Studio, null=True, blank=True, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("Studio")
    )
    result = models.ForeignKey(
        InnovationResult,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("Innovation result"),
    )
    team_name = models.CharField(_("Team or collective"), max_length=200, blank=True, default="")
    team_employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Employer")
    )
    years_in_trade = models.PositiveSmallIntegerField(_("Years in the trade"), null=True, blank=True)
    statement = models.TextField(_("Deeds and reasons"), blank=True, default="")
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Drafted by")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Submitted by"),
    )
    submitted_at = models.DateTimeField(_("Submitted at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Checked by"),
    )
    checked_at = models.DateTimeField(_("Checked at"), null=True, blank=True)
    reason = models.TextField(_("Reasons"), blank=True, default="")
    # The review's outcome (after the chair's sign-off) and the outlier check.
    score = models.DecimalField(_("Score"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("Rank"), null=True, blank=True)
    outlier_flagged = models.BooleanField(_("Outlying score flagged"), default=False)
    outlier_resolved = models.BooleanField(_("Outlier decided by the chair"), default=False)
    outlier_review = models.ForeignKey(
        "honours.Review",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Outlying score"),
    )
    outlier_q = models.DecimalField(_("Dixon's Q"), max_digits=5, decimal_places=3, null=True, blank=True)
    outlier_note = models.CharField(_("Chair's decision"), max_length=300, blank=True, default="")
    # The scores the test last ran on (ids and totals): it runs once on a set of scores.
    outlier_basis = models.CharField(max_length=64, blank=True, default="", editable=False)

    scope_org_field = "organisation"
    audit_hidden = ("outlier_basis",)
    audit_labels = {"material": _("Required material"), "file": _("File")}

    class Meta:
        verbose_name = _("Nomination")
        verbose_name_plural = _("Nominations")
        ordering = ["selection", "category", "rank", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="person") & Q(worker__isnull=False))
                | (Q(kind="studio") & Q(studio__isnull=False))
                | (Q(kind="result") & Q(result__isnull=False))
                | (Q(kind="team") & ~Q(team_name="")),
                name="nomination_has_its_nominee",
            ),
            # The two-person rule: who submitted a nomination never checks it.
            models.CheckConstraint(
                condition=Q(checked_by__isnull=True) | ~Q(checked_by=models.F("submitted_by")),
                name="nomination_checker_not_submitter",
            ),
            models.UniqueConstraint(
                fields=["category", "worker"],
                condition=Q(worker__isnull=False) & ~Q(status="withdrawn"),
                name="nomination_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["category", "studio"],
                condition=Q(studio__isnull=False) & ~Q(status="withdrawn"),
                name="nomination_one_per_studio",
            ),
            models.UniqueConstraint(
                fields=["category", "result"],
                condition=Q(result__isnull=False) & ~Q(status="withdrawn"),
                name="nomination_one_per_result",
            ),
        ]
        indexes = [models.Index(fields=["selection", "status"], name="nomination_selection_status")]

    def __str__(self) -> str:
        return self.nominee_name

    @property
    def nominee_name(self) -> str:
        if self.kind == RecipientKind.PERSON and self.worker_id:
            return self.worker.name
        if self.kind == RecipientKind.STUDIO and self.studio_id:
            return self.studio.name
        if self.kind == RecipientKind.RESULT and self.result_id:
            return self.result.title
        return self.team_name

    def nominee_employer(self) -> Employer | None:
        """The employer the conflicts of interest are checked against."""
        if self.kind == RecipientKind.PERSON and self.worker_id:
            return self.worker.employer
        if self.kind == RecipientKind.STUDIO and self.studio_id:
            return self.studio.employer
        if self.kind == RecipientKind.RESULT and self.result_id:
            return self.result.studio.employer if self.result.studio_id else None
        return self.team_employer


class MaterialAnswer(TimeStampedModel):
    """What a nomination gives for one required material: a text, or an uploaded file."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="answers", verbose_name=_("Nomination")
    )
    material = models.ForeignKey(
        RequiredMaterial, on_delete=models.CASCADE, related_name="answers", verbose_name=_("Required material")
    )
    text = models.TextField(_("Text"), blank=True, default="")
    file = models.FileField(_("File"), upload_to="honours/materials/%Y/", max_length=200, blank=True)
    filename = models.CharField(_("File name"), max_length=200, blank=True, default="")
    content_type = models.CharField(max_length=80, blank=True, default="")

    scope_org_field = "nomination__organisation"

    class Meta:
        verbose_name = _("Material given")
        verbose_name_plural = _("Materials given")
        ordering = ["nomination", "material__order", "id"]
        constraints = [models.UniqueConstraint(fields=["nomination", "material"], name="material_answer_unique")]

    def __str__(self) -> str:
        return f"{self.nomination} · {self.material}"

    @property
    def given(self) -> bool:
        return bool(self.file) if self.material.kind == RequiredMaterial.Kind.FILE else bool(self.text.strip())


class Review(models.Model):
    """One expert's score sheet for one nomination: a score per criterion and the weighted total
    out of 100. The chair may set an outlying sheet aside (`excluded`, with a note)."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("Nomination")
    )
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("Expert"))
    scores = models.JSONField(_("Scores"), default=dict)
    total = models.DecimalField(_("Total"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("Comment"), blank=True, default="")
    submitted_at = models.DateTimeField(_("Submitted at"))
    excluded = models.BooleanField(_("Set aside by the chair"), default=False)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    scope_org_field = "nomination__selection__lead_org"
    scope_owner_field = "member__user"
    audit_hidden = ("scores",)

    class Meta:
        verbose_name = _("Score sheet")
        verbose_name_plural = _("Score sheets")
        ordering = ["nomination", "id"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "member"], name="review_one_per_expert"),
            models.CheckConstraint(condition=Q(total__gte=0, total__lte=100), name="review_total_range"),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} · {self.member}"

    def audit_organisation(self) -> Organisation:
        return self.nomination.selection.lead_org


class Objection(models.Model):
    """An objection to a nomination on public notice (公示异议), from anyone who leaves a contact."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="objections", verbose_name=_("Nomination")
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
    resolved_at = models.DateTimeField(_("Answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("Filed at"), auto_now_add=True)

    scope_org_field = "nomination__selection__lead_org"
    scope_owner_field = "filed_by"

    class Meta:
        verbose_name = _("Objection")
        verbose_name_plural = _("Objections")
        ordering = ["nomination", "created_at"]

    def __str__(self) -> str:
        return self.text[:30]

    def audit_organisation(self) -> Organisation:
        return self.nomination.selection.lead_org


class Award(TimeStampedModel):
    """A named honour: the roll of honour, the certificate (verified by its code) and the
    honour on the person's, team's, studio's or result's record."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")

    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, related_name="award", verbose_name=_("Nomination")
    )
    selection = models.ForeignKey(
        Selection, on_delete=models.PROTECT, related_name="awards", verbose_name=_("Selection")
    )
    honour = models.ForeignKey(Honour, on_delete=models.PROTECT, related_name="awards", verbose_name=_("Honour"))
    year = models.PositiveSmallIntegerField(_("Year"), db_index=True)
    named_on = models.DateField(_("Named on"))
    issuing_body = models.CharField(_("Conferred by"), max_length=200)
    recipient_kind = models.CharField(_("Conferred on"), max_length=8, choices=RecipientKind.choices)
    recipient_name = models.CharField(_("Name"), max_length=200)
    worker = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="honours", verbose_name=_("Person")
    )
    studio = models.ForeignKey(
        Studio, null=True, blank=True, on_delete=models.PROTECT, related_name="honours", verbose_name=_("Studio")
    )
    result = models.ForeignKey(
        InnovationResult,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("Innovation result"),
    )
    team_name = models.CharField(_("Team or collective"), max_length=200, blank=True, default="")
    employer_name = models.CharField(_("Employer"), max_length=200, blank=True, default="")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Nominating union")
    )
    code = models.CharField(_("Certificate code"), max_length=16, unique=True)
    status = models.CharField(_("Status"), max_length=8, choices=Status.choices, default=Status.VALID)
    revoke_reason = models.TextField(_("Reason for revoking"), blank=True, default="")
    title = models.ForeignKey(
        Title, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Honorary title")
    )

    scope_org_field = "organisation"

    @classmethod
    def scope_public_q(cls) -> Q:
        """The roll of honour: valid honours of published selections."""
        return Q(status=cls.Status.VALID, selection__status=Selection.Status.PUBLISHED)

    class Meta:
        verbose_name = _("Named honour")
        verbose_name_plural = _("Named honours")
        ordering = ["-year", "honour__name", "id"]
        indexes = [models.Index(fields=["honour", "year"], name="award_honour_year_idx")]

    def __str__(self) -> str:
        return f"{self.recipient_name} · {self.honour.name}"


# --- the state machines -------------------------------------------------------------------------------------

_S = Selection.Status
Selection.workflow = StateMachine(
    Selection,
    "status",
    action="selection",
    transitions=[
        Transition(
            "open",
            [_S.DRAFT],
            _S.OPEN,
            _("opened the selection for nominations"),
            "honours.manage_selection",
            guard=lambda s: (
                None
                if s.categories.exists() and s.quotas.exists()
                else _("Add at least one category and one nominating union's quota first")
            ),
        ),
        Transition(
            "unpublish", [_S.OPEN], _S.DRAFT, _("took the selection back to preparation"), "honours.manage_selection"
        ),
        Transition(
            "close", [_S.OPEN], _S.REVIEW, _("closed nominations and started the review"), "honours.manage_selection"
        ),
        Transition("reopen", [_S.REVIEW], _S.OPEN, _("reopened nominations"), "honours.manage_selection"),
        # Taken by the services `selection_notice` and `selection_name`, which check the review first.
        Transition("notice", [_S.REVIEW], _S.NOTICE, _("put the selected nominations on public notice"), None),
        Transition("publish", [_S.NOTICE], _S.PUBLISHED, _("named the honours and published the roll"), None),
        Transition(
            "cancel",
            [_S.DRAFT, _S.OPEN, _S.REVIEW],
            _S.CANCELLED,
            _("cancelled the selection"),
            "honours.manage_selection",
        ),
    ],
)

_N = Nomination.Status
Nomination.workflow = StateMachine(
    Nomination,
    "status",
    action="nomination",
    transitions=[
        Transition("submit", [_N.DRAFT, _N.RETURNED], _N.SUBMITTED, _("submitted the nomination"), "honours.nominate"),
        Transition(
            "return", [_N.SUBMITTED], _N.RETURNED, _("returned the nomination with reasons"), "honours.check_nomination"
        ),
        Transition(
            "accept",
            [_N.SUBMITTED],
            _N.IN_REVIEW,
            _("found the nomination eligible and complete and sent it to the experts"),
            "honours.check_nomination",
        ),
        Transition("notice", [_N.IN_REVIEW], _N.ON_NOTICE, _("put the nomination on public notice"), None),
        Transition("not_selected", [_N.IN_REVIEW], _N.NOT_SELECTED, _("ranked the nomination below the places"), None),
        Transition("name", [_N.ON_NOTICE], _N.NAMED, _("named the honour"), None),
        Transition(
            "withdraw",
            [_N.DRAFT, _N.SUBMITTED, _N.RETURNED, _N.IN_REVIEW],
            _N.WITHDRAWN,
            _("withdrew the nomination"),
            "honours.withdraw_nomination",
        ),
        Transition(
            "disqualify",
            [_N.SUBMITTED, _N.RETURNED, _N.IN_REVIEW, _N.ON_NOTICE],
            _N.DISQUALIFIED,
            _("disqualified the nomination"),
            "honours.manage_selection",
        ),
    ],
)

_O = Objection.Status
Objection.workflow = StateMachine(
    Objection,
    "status",
    action="honour_objection",
    transitions=[
        Transition("uphold", [_O.OPEN], _O.UPHELD, _("upheld the objection"), "honours.answer_objection"),
        Transition("dismiss", [_O.OPEN], _O.DISMISSED, _("dismissed the objection"), "honours.answer_objection"),
    ],
)

_A = Award.Status
Award.workflow = StateMachine(
    Award,
    "status",
    action="award",
    transitions=[Transition("revoke", [_A.VALID], _A.REVOKED, _("revoked the honour"), "honours.revoke_award")],
)

"""Recuperation exchange (疗休养交流): bases and their mutual recognition, itineraries, yearly
targets, batches with a reproducible draw, applications, and trips recorded outside the draw.

- A **base** (疗休养基地) is a workers' sanatorium (工人疗养院) or a base a federation recognised;
  a base recognised by any of the four federations is usable by all four (互认).
- An **itinerary** (疗休养线路/方案) is at least 3 days and 2 nights, with its stays at bases, a
  programme for each day and a red visit route from the heritage app.
- A **batch** (团期) is an itinerary on given dates with places for the workers of the sending
  federations, a share reserved for each priority group, and a draw whose seed is committed
  (its SHA-256 shown) when the batch opens and revealed when it is drawn.
- An **application** (报名) moves from the worker's union's approval through the draw to a
  confirmed place, the waiting list, or a cancelled, expired or travelled trip.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.core.models import TimeStampedModel
from deltaunion.core.statemachine import StateMachine, Transition
from deltaunion.orgs.models import Organisation, Region

MIN_DAYS, MIN_NIGHTS = 3, 2  # the 2023 plan: 一般不少于3天2晚


class PriorityGroup(models.TextChoices):
    """The groups the 2023 plan favours, in the order their reserved places are drawn."""

    MODEL_WORKER = "model_worker", _("Model and advanced workers")
    CRAFTSMAN = "craftsman", _("Craftsmen and technicians")
    SKILLED = "skilled", _("Skilled workers")
    GIG = "gig", _("Gig and platform workers")


GROUP_ORDER = [g.value for g in PriorityGroup]


class BaseKind(models.TextChoices):
    SANATORIUM = "sanatorium", _("Workers' sanatorium")
    RECOGNISED = "recognised", _("Recognised recuperation base")


class PriceBand(models.TextChoices):
    ECONOMY = "economy", _("Under 300 yuan a day")
    STANDARD = "standard", _("300–500 yuan a day")
    COMFORT = "comfort", _("500–800 yuan a day")
    PREMIUM = "premium", _("Over 800 yuan a day")


class Theme(models.TextChoices):
    RED = "red", _("Red heritage visits")
    WELLNESS = "wellness", _("Health and wellness")
    CRAFTSMAN = "craftsman", _("Craftsmen's exchange")
    ECOLOGY = "ecology", _("Nature and ecology")
    CULTURE = "culture", _("History and culture")
    FAMILY = "family", _("Model workers' families")


def validate_themes(value) -> None:
    from django.core.exceptions import ValidationError

    if not isinstance(value, list) or any(v not in Theme.values for v in value) or len(set(value)) != len(value):
        raise ValidationError(_("Choose themes from the list, each once"))


def validate_programme(value) -> None:
    from django.core.exceptions import ValidationError

    if not isinstance(value, list) or any(not isinstance(v, str) for v in value):
        raise ValidationError(_("The programme is a text for each day"))


# --- bases ------------------------------------------------------------------------------------------


class Base(TimeStampedModel):
    """A workers' sanatorium or a recuperation base. Bases are public: anyone may read them."""

    Kind = BaseKind

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Registered by")
    )
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Kind"), max_length=12, choices=BaseKind.choices)
    province = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("Province"))
    city = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("City")
    )
    county = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("County or district")
    )
    address = models.CharField(_("Address"), max_length=300, blank=True, default="")
    longitude = models.FloatField(_("Longitude (WGS-84)"), null=True, blank=True)
    latitude = models.FloatField(_("Latitude (WGS-84)"), null=True, blank=True)
    coordinates_approximate = models.BooleanField(_("Approximate position"), default=False)
    capacity = models.PositiveIntegerField(_("Beds per night"))
    facilities = models.TextField(_("Facilities"), blank=True, default="")
    contact = models.CharField(_("Contact"), max_length=200, blank=True, default="")
    price_band = models.CharField(_("Price band"), max_length=10, choices=PriceBand.choices, blank=True, default="")
    season = models.CharField(_("Season"), max_length=100, blank=True, default="")
    description = models.TextField(_("Description"), blank=True, default="")
    source = models.CharField(_("Source"), max_length=300, blank=True, default="")
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "organisation"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(pk__isnull=False)

    class Meta:
        verbose_name = _("Recuperation base")
        verbose_name_plural = _("Recuperation bases")
        ordering = ["province_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="recup_base_unique_name"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="recup_base_capacity_positive"),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="recup_base_coordinates_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def photo_path(instance: BasePhoto, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:5]
    return f"recuperation/photos/{instance.base_id}/{uuid.uuid4().hex}{suffix}"


class BasePhoto(TimeStampedModel):
    base = models.ForeignKey(Base, on_delete=models.CASCADE, related_name="photos", verbose_name=_("Base"))
    image = models.FileField(_("Photo"), upload_to=photo_path, max_length=200)
    content_type = models.CharField(max_length=40, default="image/jpeg")
    caption = models.CharField(_("Caption"), max_length=200, blank=True, default="")
    credit = models.CharField(_("Photo credit and licence"), max_length=200)

    scope_org_field = "base__organisation"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(pk__isnull=False)

    class Meta:
        verbose_name = _("Base photo")
        verbose_name_plural = _("Base photos")
        ordering = ["base", "id"]

    def __str__(self) -> str:
        return self.caption or str(self.base)

    def audit_organisation(self) -> Organisation:
        return self.base.organisation


class Recognition(TimeStampedModel):
    """A federation recognises a base (认定), from a date and until a date (open-ended if none)."""

    base = models.ForeignKey(Base, on_delete=models.CASCADE, related_name="recognitions", verbose_name=_("Base"))
    federation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Recognised by")
    )
    valid_from = models.DateField(_("Recognised since"))
    valid_until = models.DateField(_("Recognised until"), null=True, blank=True)
    note = models.CharField(_("Note"), max_length=300, blank=True, default="")

    scope_org_field = "federation"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(pk__isnull=False)

    class Meta:
        verbose_name = _("Recognition")
        verbose_name_plural = _("Recognitions")
        ordering = ["base", "federation__path"]
        constraints = [
            models.UniqueConstraint(fields=["base", "federation"], name="recup_recognition_once"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="recup_recognition_dates",
                violation_error_message=_("A recognition ends on or after the day it starts"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.federation} · {self.base}"

    def audit_organisation(self) -> Organisation:
        return self.federation


# --- itineraries ---------------------------------------------------------------------------------------


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Itinerary(TimeStampedModel):
    Status = Status

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Publishing union")
    )
    title = models.CharField(pgettext_lazy("heading", "Title"), max_length=200, unique=True)
    summary = models.TextField(_("Description"), blank=True, default="")
    province = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("Destination province")
    )
    days = models.PositiveSmallIntegerField(_("Days"))
    nights = models.PositiveSmallIntegerField(_("Nights"))
    themes = models.JSONField(_("Themes"), default=list, blank=True, validators=[validate_themes])
    programme = models.JSONField(_("Programme"), default=list, blank=True, validators=[validate_programme])
    red_route = models.ForeignKey(
        "heritage.Route",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Red visit route"),
    )
    price = models.DecimalField(_("Price per person (yuan)"), max_digits=8, decimal_places=2)
    union_pays = models.DecimalField(_("The union pays per person (yuan)"), max_digits=8, decimal_places=2, default=0)
    contact = models.CharField(_("Contact"), max_length=200, blank=True, default="")
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("Published at"), null=True, blank=True)
    source = models.CharField(_("Source"), max_length=300, blank=True, default="")
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "organisation"
    audit_choices = {"themes": Theme.choices}
    audit_labels = {"stays": _("Stays")}

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(status=Status.PUBLISHED)

    class Meta:
        verbose_name = _("Recuperation itinerary")
        verbose_name_plural = _("Recuperation itineraries")
        ordering = ["province_id", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=MIN_DAYS, nights__gte=MIN_NIGHTS),
                name="recup_itinerary_min_length",
                violation_error_message=_("A recuperation trip lasts at least 3 days and 2 nights"),
            ),
            models.CheckConstraint(
                condition=Q(days__lte=15, nights__lte=models.F("days")),
                name="recup_itinerary_max_length",
                violation_error_message=_("A trip has at most 15 days and no more nights than days"),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0, union_pays__gte=0, union_pays__lte=models.F("price")),
                name="recup_itinerary_prices",
                violation_error_message=_("The union pays at most the price of the trip"),
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="recup_itinerary_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def worker_pays(self):
        return self.price - self.union_pays


class Stay(models.Model):
    """The nights an itinerary spends at one base, in order."""

    itinerary = models.ForeignKey(Itinerary, on_delete=models.CASCADE, related_name="stays")
    base = models.ForeignKey(Base, on_delete=models.PROTECT, related_name="stays", verbose_name=_("Base"))
    position = models.PositiveSmallIntegerField(_("Order"))
    nights = models.PositiveSmallIntegerField(_("Nights"))

    class Meta:
        verbose_name = _("Stay")
        verbose_name_plural = _("Stays")
        ordering = ["itinerary", "position"]
        constraints = [
            models.UniqueConstraint(fields=["itinerary", "position"], name="recup_stay_unique_position"),
            models.CheckConstraint(condition=Q(position__gte=1, nights__gte=1), name="recup_stay_numbers"),
        ]

    def __str__(self) -> str:
        return f"{self.base} × {self.nights}"


# --- targets --------------------------------------------------------------------------------------------


class Target(TimeStampedModel):
    """A federation's yearly outbound target: workers sent to the other three provinces."""

    federation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Federation")
    )
    year = models.PositiveSmallIntegerField(_("Year"))
    workers = models.PositiveIntegerField(_("Workers to send"))
    trips_per_worker = models.PositiveSmallIntegerField(
        _("Trips a worker may take in the year"),
        default=1,
        help_text=_("One trip a year unless the federation decides otherwise"),
    )
    source = models.CharField(_("Source"), max_length=300, blank=True, default="")

    scope_org_field = "federation"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(pk__isnull=False)

    class Meta:
        verbose_name = _("Yearly target")
        verbose_name_plural = _("Yearly targets")
        ordering = ["-year", "federation__path"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "year"], name="recup_target_once_a_year"),
            models.CheckConstraint(
                condition=Q(trips_per_worker__gte=1, trips_per_worker__lte=5, year__gte=2000, year__lte=2100),
                name="recup_target_ranges",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.federation} {self.year}"

    def audit_organisation(self) -> Organisation:
        return self.federation


# --- batches ---------------------------------------------------------------------------------------------


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Applications closed")
    DRAWN = "drawn", _("Drawn")
    COMPLETED = "completed", _("Travelled")
    CANCELLED = "cancelled", _("Cancelled")


class Batch(TimeStampedModel):
    Status = BatchStatus

    itinerary = models.ForeignKey(
        Itinerary, on_delete=models.PROTECT, related_name="batches", verbose_name=_("Itinerary")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Organised by")
    )
    start_date = models.DateField(_("Departure"))
    end_date = models.DateField(_("Return"))
    places = models.PositiveIntegerField(_("Places"))
    senders = models.ManyToManyField(Organisation, related_name="+", verbose_name=_("Sending federations"))
    reserve_model_worker = models.PositiveIntegerField(_("Places reserved for model and advanced workers"), default=0)
    reserve_craftsman = models.PositiveIntegerField(_("Places reserved for craftsmen and technicians"), default=0)
    reserve_skilled = models.PositiveIntegerField(_("Places reserved for skilled workers"), default=0)
    reserve_gig = models.PositiveIntegerField(_("Places reserved for gig and platform workers"), default=0)
    priority_only = models.BooleanField(_("Only for the priority groups"), default=False)
    applications_close_at = models.DateTimeField(_("Applications close"))
    confirm_days = models.PositiveSmallIntegerField(_("Days to confirm a place"), default=7)
    contact = models.CharField(_("Trip contact"), max_length=200, blank=True, default="")
    taken = models.PositiveIntegerField(_("Places taken"), default=0)
    status = models.CharField(_("Status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    # The draw: the seed is secret until the draw; its SHA-256 is shown from the day the batch opens.
    seed = models.CharField(_("Draw seed"), max_length=64, blank=True, default="")
    seed_hash = models.CharField(_("Fingerprint of the draw seed"), max_length=64, blank=True, default="")
    seed_committed_at = models.DateTimeField(_("Seed committed at"), null=True, blank=True)
    inputs_digest = models.CharField(
        _("Fingerprint of the list of applications"), max_length=64, blank=True, default=""
    )
    closed_at = models.DateTimeField(_("Closed at"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("Drawn at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("Completed at"), null=True, blank=True)
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "organisation"
    audit_hidden = ("seed", "seed_hash", "inputs_digest")
    audit_labels = {"offered": _("Places offered"), "waiting": _("On the waiting list")}

    @classmethod
    def scope_public_q(cls) -> Q:
        return ~Q(status=BatchStatus.DRAFT)

    class Meta:
        verbose_name = _("Trip batch")
        verbose_name_plural = _("Trip batches")
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(places__gte=1, taken__gte=0, taken__lte=models.F("places")),
                name="recup_batch_never_over_allocated",
            ),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="recup_batch_dates"),
            models.CheckConstraint(
                condition=Q(
                    places__gte=models.F("reserve_model_worker")
                    + models.F("reserve_craftsman")
                    + models.F("reserve_skilled")
                    + models.F("reserve_gig")
                ),
                name="recup_batch_reserves_within_places",
                violation_error_message=_("The reserved places are more than the places of the batch"),
            ),
            models.CheckConstraint(condition=Q(confirm_days__gte=1, confirm_days__lte=30), name="recup_batch_confirm"),
            models.CheckConstraint(condition=Q(status__in=BatchStatus.values), name="recup_batch_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "start_date"], name="recup_batch_status_idx")]

    def __str__(self) -> str:
        return f"{self.itinerary} · {self.start_date:%Y-%m-%d}"

    @property
    def free(self) -> int:
        return max(0, self.places - self.taken)

    @property
    def reserves(self) -> dict[str, int]:
        """Places reserved for each priority group (only the groups with some), in the draw's order."""
        out = {g: getattr(self, f"reserve_{g}") for g in GROUP_ORDER}
        return {g: n for g, n in out.items() if n}

    @property
    def reserved_total(self) -> int:
        return sum(self.reserves.values())


# --- applications ------------------------------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the union's approval")
    APPROVED = "approved", _("Approved: in the draw")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    OFFERED = "offered", _("Drawn: confirm your place")
    WAITING = "waiting", _("On the waiting list")
    CONFIRMED = "confirmed", _("Place confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Not confirmed in time")
    TRAVELLED = "travelled", _("Travelled")
    NOT_DRAWN = "not_drawn", _("Not drawn")


# The applications that hold a place of their batch.
HOLDING = (ApplicationStatus.OFFERED, ApplicationStatus.CONFIRMED, ApplicationStatus.TRAVELLED)
# The applications that count as a trip of the worker's year (one trip a year).
TRIP_OF_THE_YEAR = HOLDING


class Application(TimeStampedModel):
    Status = ApplicationStatus

    # No index of their own: the (batch, worker) constraint and the (batch, status) and (worker)
    # indexes below begin with them — one index fewer each to write on every change of state.
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="applications", verbose_name=_("Trip batch"), db_index=False
    )
    worker = models.ForeignKey(
        "people.Worker",
        on_delete=models.PROTECT,
        related_name="recuperation_applications",
        verbose_name=_("Worker"),
        db_index=False,
    )
    union = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Union"))
    sender = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Sending federation")
    )
    status = models.CharField(_("Status"), max_length=10, choices=ApplicationStatus.choices, default="pending")
    # Frozen from the worker's record when applications close (the draw's input).
    groups = models.JSONField(_("Priority groups"), default=list, blank=True)
    primary_group = models.CharField(
        _("Priority group"), max_length=12, choices=PriorityGroup.choices, blank=True, default=""
    )
    evidence = models.JSONField(_("Evidence from the worker's record"), default=list, blank=True)
    in_draw = models.BooleanField(_("In the draw"), default=False)
    public_name = models.CharField(_("Name in the published list"), max_length=40, blank=True, default="")
    lottery_key = models.CharField(max_length=64, blank=True, default="")
    draw_rank = models.PositiveIntegerField(_("Place in the draw"), null=True, blank=True)
    drawn_for = models.CharField(_("Drawn for"), max_length=12, blank=True, default="")
    wait_position = models.PositiveIntegerField(_("Position on the waiting list"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Decided by"),
    )
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)
    reason = models.CharField(_("Reason"), max_length=300, blank=True, default="")
    offered_at = models.DateTimeField(_("Place offered at"), null=True, blank=True)
    confirm_by = models.DateTimeField(_("Confirm by"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("Rating"), null=True, blank=True)
    review = models.ForeignKey(
        "community.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Review")
    )
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "union"
    scope_owner_field = "worker__user"
    audit_hidden = ("lottery_key", "groups", "evidence", "in_draw", "public_name")
    audit_choices = {"drawn_for": [("", _("the open places")), *PriorityGroup.choices]}

    class Meta:
        verbose_name = _("Application")
        verbose_name_plural = _("Applications")
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "worker"], name="recup_application_once_per_batch"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="recup_rating_range"
            ),
            models.CheckConstraint(condition=Q(status__in=ApplicationStatus.values), name="recup_application_status"),
        ]
        indexes = [
            models.Index(fields=["batch", "status"], name="recup_app_batch_status_idx"),
            # The worker alone (a worker has a few applications): a change of state does not
            # touch it — the draw changes the state of 100 applicants of random workers, and
            # with the state in this index each was a page of its own to write (on SQLite a
            # draw's commit wrote three times the pages).
            models.Index(fields=["worker"], name="recup_app_worker_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} · {self.batch}"

    @property
    def ref(self) -> str:
        """The application's number in the published list of the draw."""
        return str(self.pk)

    def audit_organisation(self) -> Organisation:
        return self.union


# --- trips recorded outside the draw --------------------------------------------------------------------


class GroupTrip(TimeStampedModel):
    """A group trip a federation organised and reports by its figures (备案): counted in the
    exchange matrix beside the batches drawn here."""

    sender = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Sending federation")
    )
    destination = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("Destination province")
    )
    itinerary = models.ForeignKey(
        Itinerary, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Itinerary")
    )
    base = models.ForeignKey(
        Base, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Base")
    )
    start_date = models.DateField(_("Departure"))
    days = models.PositiveSmallIntegerField(_("Days"))
    nights = models.PositiveSmallIntegerField(_("Nights"))
    workers = models.PositiveIntegerField(_("Workers"))
    model_workers = models.PositiveIntegerField(_("Model and advanced workers"), default=0)
    craftsmen = models.PositiveIntegerField(_("Craftsmen and technicians"), default=0)
    skilled = models.PositiveIntegerField(_("Skilled workers"), default=0)
    gig = models.PositiveIntegerField(_("Gig and platform workers"), default=0)
    satisfaction = models.DecimalField(_("Average rating (1–5)"), max_digits=3, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("Note"), max_length=300, blank=True, default="")
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "sender"

    class Meta:
        verbose_name = _("Recorded group trip")
        verbose_name_plural = _("Recorded group trips")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=MIN_DAYS, nights__gte=MIN_NIGHTS, nights__lte=models.F("days")),
                name="recup_group_trip_length",
                violation_error_message=_("A recuperation trip lasts at least 3 days and 2 nights"),
            ),
            models.CheckConstraint(condition=Q(workers__gte=1), name="recup_group_trip_workers"),
            models.CheckConstraint(
                condition=Q(
                    satisfaction__isnull=True,
                )
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="recup_group_trip_satisfaction",
            ),
        ]
        indexes = [models.Index(fields=["start_date"], name="recup_group_trip_date_idx")]

    def __str__(self) -> str:
        return f"{self.sender} → {self.destination.name} · {self.start_date:%Y-%m-%d}"

    def audit_organisation(self) -> Organisation:
        return self.sender


# --- state machines --------------------------------------------------------------------------------------


def _itinerary_may_publish(itinerary: Itinerary):
    from deltaunion.recuperation.rules import itinerary_publish_problem

    return itinerary_publish_problem(itinerary)


def _batch_may_open(batch: Batch):
    from deltaunion.recuperation.rules import batch_open_problem

    return batch_open_problem(batch)


_S = Status
Itinerary.workflow = StateMachine(
    Itinerary,
    "status",
    action="recup_itinerary",
    extra_update_fields=("published_at",),
    transitions=[
        Transition(
            "publish",
            [_S.DRAFT],
            _S.PUBLISHED,
            _("published the itinerary"),
            "recuperation.manage_itinerary",
            guard=_itinerary_may_publish,
        ),
        Transition(
            "withdraw", [_S.PUBLISHED], _S.WITHDRAWN, _("withdrew the itinerary"), "recuperation.manage_itinerary"
        ),
        Transition(
            "republish",
            [_S.WITHDRAWN],
            _S.PUBLISHED,
            _("published the itinerary again"),
            "recuperation.manage_itinerary",
            guard=_itinerary_may_publish,
        ),
    ],
)

_B = BatchStatus
Batch.workflow = StateMachine(
    Batch,
    "status",
    action="recup_batch",
    transitions=[
        Transition(
            "open",
            [_B.DRAFT],
            _B.OPEN,
            _("opened the batch for applications and committed the draw seed"),
            "recuperation.manage_batch",
            guard=_batch_may_open,
        ),
        Transition("close", [_B.OPEN], _B.CLOSED, _("closed applications"), "recuperation.manage_batch"),
        Transition("draw", [_B.CLOSED], _B.DRAWN, _("drew the places"), "recuperation.manage_batch"),
        Transition(
            "complete", [_B.DRAWN], _B.COMPLETED, _("recorded the trip as travelled"), "recuperation.manage_batch"
        ),
        Transition(
            "cancel",
            [_B.DRAFT, _B.OPEN, _B.CLOSED, _B.DRAWN],
            _B.CANCELLED,
            _("cancelled the batch"),
            "recuperation.manage_batch",
        ),
    ],
)

_A = ApplicationStatus
Application.workflow = StateMachine(
    Application,
    "status",
    action="recup_application",
    transitions=[
        Transition(
            "approve", [_A.PENDING], _A.APPROVED, _("approved the application"), "recuperation.decide_application"
        ),
        Transition(
            "reject", [_A.PENDING], _A.REJECTED, _("did not approve the application"), "recuperation.decide_application"
        ),
        Transition(
            "lapse", [_A.PENDING], _A.REJECTED, _("closed the application: not approved before the deadline"), None
        ),
        Transition(
            "withdraw", [_A.PENDING, _A.APPROVED], _A.WITHDRAWN, _("withdrew the application"), "recuperation.respond"
        ),
        Transition("offer", [_A.APPROVED], _A.OFFERED, _("drew a place"), None),
        Transition("wait", [_A.APPROVED], _A.WAITING, _("put on the waiting list by the draw"), None),
        Transition("promote", [_A.WAITING], _A.OFFERED, _("passed a free place from the waiting list"), None),
        Transition("confirm", [_A.OFFERED], _A.CONFIRMED, _("confirmed the place"), "recuperation.respond"),
        Transition(
            "cancel",
            [_A.OFFERED, _A.CONFIRMED, _A.WAITING],
            _A.CANCELLED,
            _("cancelled the place"),
            "recuperation.respond",
        ),
        Transition("expire", [_A.OFFERED], _A.EXPIRED, _("released the place: not confirmed in time"), None),
        Transition("travel", [_A.CONFIRMED], _A.TRAVELLED, _("recorded the trip"), None),
        Transition("not_drawn", [_A.WAITING], _A.NOT_DRAWN, _("closed the waiting list"), None),
        Transition(
            "void",
            [_A.PENDING, _A.APPROVED, _A.OFFERED, _A.WAITING, _A.CONFIRMED],
            _A.CANCELLED,
            _("cancelled with the batch"),
            None,
        ),
    ],
)

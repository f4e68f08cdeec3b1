"""Red labour-movement heritage: venues (红色工运场馆), visit routes (寻访线路) and visits.

Venues and routes belong to a union (their officers manage them) and are public once
published; coordinates are stored in WGS-84 whatever system they were taken in.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.core.models import TimeStampedModel
from deltaunion.core.statemachine import StateMachine, Transition
from deltaunion.orgs.models import Organisation, Region


class VenueKind(models.TextChoices):
    MEMORIAL = "memorial", _("Memorial hall")
    SITE = "site", _("Historic site")
    EDUCATION_BASE = "education_base", _("Patriotic-education base")
    LABOUR_SITE = "labour_site", _("Labour-movement site")
    CEMETERY = "cemetery", _("Martyrs' cemetery")
    INDUSTRIAL = "industrial", _("Industrial heritage")


class Theme(models.TextChoices):
    PARTY_FOUNDING = "party_founding", _("The founding of the Party")
    LABOUR_MOVEMENT = "labour_movement", _("The early labour movement")
    MARTYRS = "martyrs", _("Revolutionary martyrs")
    NEW_FOURTH_ARMY = "new_fourth_army", _("The New Fourth Army and the War of Resistance")
    LIBERATION = "liberation", _("The War of Liberation")
    INDUSTRY = "industry", _("Industry and the working class")


class CoordinateSystem(models.TextChoices):
    WGS84 = "wgs84", _("WGS-84 (GPS, Tianditu)")
    GCJ02 = "gcj02", _("GCJ-02 (Amap, Tencent)")
    BD09 = "bd09", _("BD-09 (Baidu)")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]


def validate_open_days(value) -> None:
    """A list of ISO weekdays (1 = Monday … 7 = Sunday), each once; empty = not known."""
    if not isinstance(value, list) or any(not isinstance(d, int) or isinstance(d, bool) for d in value):
        raise ValidationError(_("Opening days must be a list of weekdays"))
    if any(d < 1 or d > 7 for d in value) or len(set(value)) != len(value):
        raise ValidationError(_("Opening days must be weekdays from Monday to Sunday, each at most once"))


class Published(models.Model):
    """What venues and routes share: an owning union, a status, and the public split."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Managing union")
    )
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("Published at"), null=True, blank=True)
    source = models.CharField(_("Source"), max_length=300, blank=True, default="")

    scope_org_field = "organisation"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(status=Status.PUBLISHED)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class Venue(Published, TimeStampedModel):
    Kind = VenueKind
    Status = Status

    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Kind"), max_length=20, choices=VenueKind.choices)
    theme = models.CharField(_("Theme"), max_length=20, choices=Theme.choices)
    province = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("Province"))
    city = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("City")
    )
    county = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("County or district")
    )
    address = models.CharField(_("Address"), max_length=300, blank=True, default="")
    longitude = models.FloatField(_("Longitude (WGS-84)"))
    latitude = models.FloatField(_("Latitude (WGS-84)"))
    coordinate_system = models.CharField(
        _("Coordinates taken in"), max_length=8, choices=CoordinateSystem.choices, default=CoordinateSystem.WGS84
    )
    coordinates_approximate = models.BooleanField(_("Approximate position"), default=False)
    open_days = models.JSONField(_("Opening days"), default=list, blank=True, validators=[validate_open_days])
    opening_hours = models.CharField(_("Opening hours"), max_length=200, blank=True, default="")
    closures = models.TextField(_("Closures"), blank=True, default="")
    booking = models.CharField(_("Booking contact"), max_length=200, blank=True, default="")
    accessibility = models.TextField(_("Accessibility"), blank=True, default="")
    group_capacity = models.PositiveIntegerField(_("Group capacity (people)"), null=True, blank=True)
    background = models.TextField(_("Short history"), blank=True, default="")

    audit_choices = {"open_days": WEEKDAYS}

    class Meta:
        verbose_name = _("Red labour-movement venue")
        verbose_name_plural = _("Red labour-movement venues")
        ordering = ["province_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="heritage_venue_unique_name"),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="heritage_venue_coordinates_range",
            ),
            models.CheckConstraint(
                condition=Q(group_capacity__isnull=True) | Q(group_capacity__gte=1),
                name="heritage_venue_capacity_positive",
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="heritage_venue_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "province"], name="heritage_venue_status_idx")]

    def __str__(self) -> str:
        return self.name

    def open_on(self, weekday: int) -> bool | None:
        """Open on that ISO weekday? None when the opening days are not known."""
        return (weekday in self.open_days) if self.open_days else None


def photo_path(instance: VenuePhoto, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:5]
    return f"heritage/photos/{instance.venue_id}/{uuid.uuid4().hex}{suffix}"


class VenuePhoto(TimeStampedModel):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="photos", verbose_name=_("Venue"))
    image = models.FileField(_("Photo"), upload_to=photo_path, max_length=200)
    content_type = models.CharField(max_length=40, default="image/jpeg")
    caption = models.CharField(_("Caption"), max_length=200, blank=True, default="")
    credit = models.CharField(_("Photo credit and licence"), max_length=200)

    scope_org_field = "venue__organisation"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(venue__status=Status.PUBLISHED)

    class Meta:
        verbose_name = _("Venue photo")
        verbose_name_plural = _("Venue photos")
        ordering = ["venue", "id"]

    def __str__(self) -> str:
        return self.caption or str(self.venue)

    def audit_organisation(self) -> Organisation:
        return self.venue.organisation


class Reach(models.TextChoices):
    CITY = "city", _("Within one city")
    PROVINCE = "province", _("Across cities of one province")
    REGION = "region", _("Across provinces")


class Route(Published, TimeStampedModel):
    Status = Status
    Reach = Reach

    title = models.CharField(pgettext_lazy("heading", "Title"), max_length=200, unique=True)
    theme = models.CharField(_("Theme"), max_length=20, choices=Theme.choices)
    days = models.PositiveSmallIntegerField(_("Days"), default=1)
    summary = models.TextField(_("Description"), blank=True, default="")
    transport_notes = models.TextField(_("Transport notes"), blank=True, default="")
    batch = models.PositiveSmallIntegerField(_("Batch"), default=1)
    # Worked out from the stops whenever they change (services.route_set_stops).
    reach = models.CharField(_("Reach"), max_length=10, choices=Reach.choices, blank=True, default="")
    length_km = models.FloatField(_("Length (km)"), null=True, blank=True)
    travel_minutes = models.PositiveIntegerField(_("Travel time (minutes)"), null=True, blank=True)

    audit_labels = {"stops": _("Stops")}

    class Meta:
        verbose_name = _("Visit route")
        verbose_name_plural = _("Visit routes")
        ordering = ["batch", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1, days__lte=15), name="heritage_route_days_range"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="heritage_route_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class RouteStop(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops", verbose_name=_("Visit route"))
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="route_stops", verbose_name=_("Venue"))
    position = models.PositiveSmallIntegerField(_("Stop"))
    day = models.PositiveSmallIntegerField(_("Day"), default=1)
    note = models.CharField(_("Note"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("Stop")
        verbose_name_plural = _("Stops")
        ordering = ["route", "position"]
        constraints = [
            models.UniqueConstraint(fields=["route", "position"], name="heritage_stop_unique_position"),
            models.UniqueConstraint(fields=["route", "venue"], name="heritage_stop_unique_venue"),
            models.CheckConstraint(condition=Q(position__gte=1) & Q(day__gte=1), name="heritage_stop_numbers"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.venue}"


class Visit(TimeStampedModel):
    """A check-in at a venue by a worker for their union group (a trip or a study visit)."""

    class Purpose(models.TextChoices):
        RECUPERATION = "recuperation", _("Recuperation trip")
        STUDY = "study", _("Study visit")
        OTHER = "other", _("Other visit")

    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="visits", verbose_name=_("Venue"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Union group")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Checked in by")
    )
    visited_on = models.DateField(_("Date of visit"))
    people = models.PositiveSmallIntegerField(_("People"), default=1)
    purpose = models.CharField(_("Purpose"), max_length=12, choices=Purpose.choices, default=Purpose.STUDY)
    route = models.ForeignKey(
        Route, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits", verbose_name=_("Visit route")
    )
    note = models.CharField(_("Note"), max_length=300, blank=True, default="")
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "organisation"
    scope_owner_field = "user"

    class Meta:
        verbose_name = _("Visit")
        verbose_name_plural = _("Visits")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "venue", "visited_on"], name="heritage_visit_once_a_day"),
            models.CheckConstraint(condition=Q(people__gte=1, people__lte=500), name="heritage_visit_people_range"),
        ]
        indexes = [models.Index(fields=["venue", "visited_on"], name="heritage_visit_venue_idx")]

    def __str__(self) -> str:
        return f"{self.venue} · {self.visited_on}"


# --- state machines ---------------------------------------------------------------------------------


def _venue_may_withdraw(venue: Venue):
    n = Route.objects.filter(status=Status.PUBLISHED, stops__venue=venue).distinct().count()
    if n:
        return _("This venue is a stop of %(n)d published routes: withdraw or change them first") % {"n": n}
    return None


def _route_may_publish(route: Route):
    stops = list(route.stops.select_related("venue"))
    if len(stops) < 2:
        return _("A route needs at least two stops before it is published")
    hidden = [s.venue.name for s in stops if s.venue.status != Status.PUBLISHED]
    if hidden:
        from deltaunion.core.excel import list_join

        return _("These stops are not published venues yet: %(names)s") % {"names": list_join(hidden)}
    return None


_S = Status
Venue.workflow = StateMachine(
    Venue,
    "status",
    action="heritage_venue",
    extra_update_fields=("published_at",),
    transitions=[
        Transition("publish", [_S.DRAFT], _S.PUBLISHED, _("published the venue"), "heritage.manage_venue"),
        Transition(
            "withdraw",
            [_S.PUBLISHED],
            _S.WITHDRAWN,
            _("withdrew the venue"),
            "heritage.manage_venue",
            guard=_venue_may_withdraw,
        ),
        Transition("republish", [_S.WITHDRAWN], _S.PUBLISHED, _("published the venue again"), "heritage.manage_venue"),
    ],
)
Route.workflow = StateMachine(
    Route,
    "status",
    action="heritage_route",
    extra_update_fields=("published_at",),
    transitions=[
        Transition(
            "publish",
            [_S.DRAFT],
            _S.PUBLISHED,
            _("published the route"),
            "heritage.manage_route",
            guard=_route_may_publish,
        ),
        Transition("withdraw", [_S.PUBLISHED], _S.WITHDRAWN, _("withdrew the route"), "heritage.manage_route"),
        Transition(
            "republish",
            [_S.WITHDRAWN],
            _S.PUBLISHED,
            _("published the route again"),
            "heritage.manage_route",
            guard=_route_may_publish,
        ),
    ],
)

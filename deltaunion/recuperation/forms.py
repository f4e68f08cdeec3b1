"""Forms of the recuperation pages (input parsing only: the rules live in the services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.core.citations import readable_source
from deltaunion.core.forms import BootstrapForm
from deltaunion.orgs.forms import OrganisationChoiceField, OrganisationMultipleChoiceField
from deltaunion.orgs.models import Region
from deltaunion.recuperation.models import GROUP_ORDER, Base, BaseKind, Itinerary, PriceBand, PriorityGroup, Theme

MAX_STAYS = 4
DATE = forms.DateInput(attrs={"type": "date"})


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class BaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Base) -> str:
        return f"{obj.name}（{obj.province.name}）"


class BaseForm(BootstrapForm):
    organisation = OrganisationChoiceField(queryset=None, label=_("Registered by"))
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=BaseKind.choices)
    province = RegionChoiceField(queryset=None, label=_("Province"))
    city = RegionChoiceField(queryset=None, label=_("City"), required=False)
    county = RegionChoiceField(queryset=None, label=_("County or district"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    longitude = forms.DecimalField(label=_("Longitude (WGS-84)"), max_digits=11, decimal_places=7, required=False)
    latitude = forms.DecimalField(label=_("Latitude (WGS-84)"), max_digits=10, decimal_places=7, required=False)
    coordinates_approximate = forms.BooleanField(label=_("The position is approximate"), required=False)
    capacity = forms.IntegerField(label=_("Beds per night"), min_value=1, max_value=100000)
    facilities = forms.CharField(label=_("Facilities"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)
    price_band = forms.ChoiceField(
        label=_("Price band"), choices=[("", _("Not given")), *PriceBand.choices], required=False
    )
    season = forms.CharField(label=_("Season"), max_length=100, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    source = forms.CharField(label=_("Source"), max_length=300, required=False)

    FIELDS = (
        "name",
        "kind",
        "province",
        "city",
        "county",
        "address",
        "longitude",
        "latitude",
        "coordinates_approximate",
        "capacity",
        "facilities",
        "contact",
        "price_band",
        "season",
        "description",
        "source",
    )

    def __init__(self, *args: Any, organisations: Any = None, regions: Any = None, **kw: Any):
        super().__init__(*args, **kw)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
        self.fields["province"].queryset = regions.filter(level=Region.Level.PROVINCE)
        self.fields["city"].queryset = regions.filter(level=Region.Level.PREFECTURE)
        self.fields["county"].queryset = regions.filter(level=Region.Level.COUNTY)

    @classmethod
    def initial_for(cls, base: Base) -> dict[str, Any]:
        return readable_source({f: getattr(base, f) for f in cls.FIELDS})

    def data_for_service(self) -> dict[str, Any]:
        cd = self.cleaned_data
        data = {f: cd.get(f) for f in self.FIELDS}
        for f in ("longitude", "latitude"):
            data[f] = float(data[f]) if data[f] is not None else None
        return data


class PhotoForm(BootstrapForm):
    image = forms.FileField(label=_("Photo (JPEG, PNG or WebP, at most 5 MB)"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    credit = forms.CharField(label=_("Photo credit and licence"), max_length=200)


class RecognitionForm(BootstrapForm):
    federation = OrganisationChoiceField(queryset=None, label=_("Recognised by"))
    valid_from = forms.DateField(label=_("Recognised since"), widget=DATE)
    valid_until = forms.DateField(label=_("Recognised until (empty: open-ended)"), widget=DATE, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, federations: Any = None, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["federation"].queryset = federations


class EndRecognitionForm(BootstrapForm):
    on = forms.DateField(label=_("Recognised until"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ItineraryForm(BootstrapForm):
    organisation = OrganisationChoiceField(queryset=None, label=_("Publishing union"))
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=200)
    province = RegionChoiceField(queryset=None, label=_("Destination province"))
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=15, help_text=_("At least 3 days and 2 nights"))
    nights = forms.IntegerField(label=_("Nights"), min_value=0, max_value=15)
    themes = forms.MultipleChoiceField(
        label=_("Themes"), choices=Theme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    programme = forms.CharField(
        label=_("Programme"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One line for each day, in order"),
    )
    red_route = forms.ModelChoiceField(queryset=None, label=_("Red visit route"), required=False)
    price = forms.DecimalField(label=_("Price per person (yuan)"), min_value=0, max_digits=8, decimal_places=2)
    union_pays = forms.DecimalField(
        label=_("The union pays per person (yuan)"), min_value=0, max_digits=8, decimal_places=2, initial=0
    )
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)

    FIELDS = (
        "title",
        "province",
        "days",
        "nights",
        "themes",
        "summary",
        "red_route",
        "price",
        "union_pays",
        "contact",
        "source",
    )

    def __init__(
        self,
        *args: Any,
        organisations: Any = None,
        provinces: Any = None,
        routes: Any = None,
        bases: Any = None,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
        self.fields["province"].queryset = provinces
        self.fields["red_route"].queryset = routes
        for i in range(1, MAX_STAYS + 1):
            self.fields[f"base_{i}"] = BaseChoiceField(queryset=bases, label=_("Base %(n)d") % {"n": i}, required=False)
            self.fields[f"nights_{i}"] = forms.IntegerField(
                label=_("Nights at base %(n)d") % {"n": i}, min_value=1, max_value=15, required=False
            )
            for name in (f"base_{i}", f"nights_{i}"):
                w = self.fields[name].widget
                w.attrs["class"] = (
                    "form-select form-select-sm" if name.startswith("base") else "form-control form-control-sm"
                )

    @classmethod
    def initial_for(cls, itinerary: Itinerary, stays: list[Any]) -> dict[str, Any]:
        data = {f: getattr(itinerary, f) for f in cls.FIELDS if f != "programme"}
        data["programme"] = "\n".join(itinerary.programme or [])
        for i, stay in enumerate(stays, start=1):
            data[f"base_{i}"] = stay.base_id
            data[f"nights_{i}"] = stay.nights
        return readable_source(data)

    def clean(self):
        cd = super().clean()
        for i in range(1, MAX_STAYS + 1):
            if cd.get(f"base_{i}") and not cd.get(f"nights_{i}"):
                self.add_error(f"nights_{i}", _("How many nights at this base?"))
        return cd

    def data_for_service(self) -> dict[str, Any]:
        cd = self.cleaned_data
        data = {f: cd.get(f) for f in self.FIELDS if f != "title"}
        data["themes"] = [t for t in Theme.values if t in (cd.get("themes") or [])]
        data["programme"] = [line.strip() for line in (cd.get("programme") or "").splitlines() if line.strip()]
        return data

    def stays(self) -> list[tuple[Base, int]]:
        cd = self.cleaned_data
        return [
            (cd[f"base_{i}"], cd[f"nights_{i}"])
            for i in range(1, MAX_STAYS + 1)
            if cd.get(f"base_{i}") and cd.get(f"nights_{i}")
        ]

    def stay_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"base_{i}"], self[f"nights_{i}"]) for i in range(1, MAX_STAYS + 1)]


class StatusForm(BootstrapForm):
    status = forms.CharField(label=_("Status"), max_length=20)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class TargetForm(BootstrapForm):
    federation = OrganisationChoiceField(queryset=None, label=_("Federation"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    workers = forms.IntegerField(label=_("Workers to send to the other three provinces"), min_value=0, max_value=10**7)
    trips_per_worker = forms.IntegerField(
        label=_("Trips a worker may take in the year"), min_value=1, max_value=5, initial=1
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)

    def __init__(self, *args: Any, federations: Any = None, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["federation"].queryset = federations


class BatchForm(BootstrapForm):
    start_date = forms.DateField(label=_("Departure"), widget=DATE)
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000)
    senders = OrganisationMultipleChoiceField(
        queryset=None, label=_("Sending federations"), widget=forms.CheckboxSelectMultiple
    )
    priority_only = forms.BooleanField(label=_("Only for the priority groups"), required=False)
    applications_close_at = forms.DateTimeField(
        label=_("Applications close"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    confirm_days = forms.IntegerField(label=_("Days to confirm a drawn place"), min_value=1, max_value=30, initial=7)
    contact = forms.CharField(label=_("Trip contact"), max_length=200, required=False)

    def __init__(self, *args: Any, federations: Any = None, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["senders"].queryset = federations
        for group in PriorityGroup:
            self.fields[f"reserve_{group.value}"] = forms.IntegerField(
                label=_("Places reserved: %(group)s") % {"group": group.label},
                min_value=0,
                max_value=10000,
                required=False,
                initial=0,
            )
            self.fields[f"reserve_{group.value}"].widget.attrs["class"] = "form-control form-control-sm"

    @staticmethod
    def initial_for(batch: Any) -> dict[str, Any]:
        data = {
            "start_date": batch.start_date,
            "places": batch.places,
            "senders": list(batch.senders.all()),
            "priority_only": batch.priority_only,
            "applications_close_at": timezone.localtime(batch.applications_close_at),
            "confirm_days": batch.confirm_days,
            "contact": batch.contact,
        }
        for group in GROUP_ORDER:
            data[f"reserve_{group}"] = (batch.reserves or {}).get(group, 0)
        return data

    def reserve_fields(self) -> list[Any]:
        return [self[f"reserve_{g}"] for g in GROUP_ORDER]

    def data_for_service(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "start_date": cd["start_date"],
            "places": cd["places"],
            "reserves": {g: cd.get(f"reserve_{g}") or 0 for g in GROUP_ORDER},
            "priority_only": cd["priority_only"],
            "applications_close_at": cd["applications_close_at"],
            "confirm_days": cd["confirm_days"],
            "contact": cd["contact"],
        }


class DecideForm(BootstrapForm):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Do not approve"))])
    reason = forms.CharField(label=_("Reason (needed when not approving)"), max_length=300, required=False)


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class RateForm(BootstrapForm):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title of your review"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Your review (optional; published in the workers' community)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class GroupTripForm(BootstrapForm):
    sender = OrganisationChoiceField(queryset=None, label=_("Sending federation"))
    destination = RegionChoiceField(queryset=None, label=_("Destination province"))
    itinerary = forms.ModelChoiceField(queryset=None, label=_("Itinerary"), required=False)
    base = BaseChoiceField(queryset=None, label=_("Base"), required=False)
    start_date = forms.DateField(label=_("Departure"), widget=DATE)
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=15, initial=3)
    nights = forms.IntegerField(label=_("Nights"), min_value=0, max_value=15, initial=2)
    workers = forms.IntegerField(label=_("Workers"), min_value=1, max_value=100000)
    model_workers = forms.IntegerField(label=_("Model and advanced workers"), min_value=0, initial=0)
    craftsmen = forms.IntegerField(label=_("Craftsmen and technicians"), min_value=0, initial=0)
    skilled = forms.IntegerField(label=_("Skilled workers"), min_value=0, initial=0)
    gig = forms.IntegerField(label=_("Gig and platform workers"), min_value=0, initial=0)
    satisfaction = forms.DecimalField(
        label=_("Average rating (1–5)"), min_value=1, max_value=5, decimal_places=2, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        senders: Any = None,
        provinces: Any = None,
        itineraries: Any = None,
        bases: Any = None,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.fields["sender"].queryset = senders
        self.fields["destination"].queryset = provinces
        self.fields["itinerary"].queryset = itineraries
        self.fields["base"].queryset = bases

    def data_for_service(self) -> dict[str, Any]:
        cd = self.cleaned_data
        keys = (
            "destination",
            "itinerary",
            "base",
            "start_date",
            "days",
            "nights",
            "workers",
            "model_workers",
            "craftsmen",
            "skilled",
            "gig",
            "satisfaction",
            "note",
        )
        return {k: cd.get(k) for k in keys}


def default_close(today: dt.date | None = None) -> dt.datetime:
    today = today or timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=14), dt.time(17, 0)))

"""Forms of the heritage pages (input parsing only: the rules live in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.core.citations import readable_source
from deltaunion.core.forms import BootstrapForm
from deltaunion.heritage.models import WEEKDAYS, CoordinateSystem, Status, Theme, Venue, VenueKind, Visit
from deltaunion.heritage.services import ROUTE_FIELDS, VENUE_FIELDS
from deltaunion.orgs.forms import OrganisationChoiceField
from deltaunion.orgs.models import Region

# Fields the edit form fills from the venue other than as stored: places by id, coordinates
# rounded to the form's precision and always in WGS-84 (the stored system).
_VENUE_FIELDS_SHOWN_OTHERWISE = {"province", "city", "county", "longitude", "latitude", "coordinate_system"}

MAX_STOPS = 12


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class VenueForm(BootstrapForm):
    organisation = OrganisationChoiceField(queryset=None, label=_("Managing union"))
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=VenueKind.choices)
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    province = RegionChoiceField(queryset=None, label=_("Province"))
    city = RegionChoiceField(queryset=None, label=_("City"), required=False)
    county = RegionChoiceField(queryset=None, label=_("County or district"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=11, decimal_places=7)
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=10, decimal_places=7)
    coordinate_system = forms.ChoiceField(
        label=_("Coordinates taken in"),
        choices=CoordinateSystem.choices,
        help_text=_(
            "Positions picked on Amap or Tencent maps are GCJ-02, on Baidu maps BD-09; they are stored as WGS-84"
        ),
    )
    coordinates_approximate = forms.BooleanField(label=_("The position is approximate"), required=False)
    open_days = forms.TypedMultipleChoiceField(
        label=_("Opening days"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked when they are not known"),
    )
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=200, required=False)
    closures = forms.CharField(label=_("Closures"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    booking = forms.CharField(label=_("Booking contact"), max_length=200, required=False)
    accessibility = forms.CharField(label=_("Accessibility"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    group_capacity = forms.IntegerField(label=_("Group capacity (people)"), min_value=1, required=False)
    background = forms.CharField(label=_("Short history"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    source = forms.CharField(label=_("Source"), max_length=300, required=False)

    def __init__(self, *args: Any, organisations: Any = None, provinces: Any = None, regions: Any = None, **kw: Any):
        super().__init__(*args, **kw)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
        self.fields["province"].queryset = provinces
        self.fields["city"].queryset = regions.filter(level=Region.Level.PREFECTURE)
        self.fields["county"].queryset = regions.filter(level=Region.Level.COUNTY)

    @staticmethod
    def initial_for(venue: Venue) -> dict[str, Any]:
        return readable_source(
            {
                **{f: getattr(venue, f) for f in VENUE_FIELDS if f not in _VENUE_FIELDS_SHOWN_OTHERWISE},
                "province": venue.province_id,
                "city": venue.city_id,
                "county": venue.county_id,
                "longitude": round(venue.longitude, 7),
                "latitude": round(venue.latitude, 7),
                "coordinate_system": CoordinateSystem.WGS84,
            }
        )


class StatusForm(BootstrapForm):
    status = forms.ChoiceField(label=_("Change the status"), choices=Status.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class PhotoForm(BootstrapForm):
    image = forms.FileField(label=_("Photo (JPEG, PNG or WebP, at most 5 MB)"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    credit = forms.CharField(label=_("Photo credit and licence"), max_length=200)


class RouteForm(BootstrapForm):
    organisation = OrganisationChoiceField(queryset=None, label=_("Managing union"))
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=200)
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=15, initial=1)
    batch = forms.IntegerField(label=_("Batch"), min_value=1, max_value=99, initial=1)
    summary = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    transport_notes = forms.CharField(
        label=_("Transport notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)

    def __init__(self, *args: Any, organisations: Any = None, venues: Any = None, **kw: Any):
        super().__init__(*args, **kw)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
        for i in range(1, MAX_STOPS + 1):
            self.fields[f"stop_{i}"] = forms.ModelChoiceField(
                queryset=venues, required=False, label=_("Stop %(n)d") % {"n": i}
            )
            self.fields[f"stop_{i}"].widget.attrs["class"] = "form-select form-select-sm"
            self.fields[f"day_{i}"] = forms.IntegerField(
                min_value=1, max_value=15, required=False, label=_("Day of stop %(n)d") % {"n": i}
            )
            self.fields[f"day_{i}"].widget.attrs.update({"class": "form-control form-control-sm", "placeholder": "1"})

    def stop_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"stop_{i}"], self[f"day_{i}"]) for i in range(1, MAX_STOPS + 1)]

    def stops(self) -> list[tuple[Venue, int]]:
        out = []
        for i in range(1, MAX_STOPS + 1):
            venue = self.cleaned_data.get(f"stop_{i}")
            if venue is not None:
                out.append((venue, self.cleaned_data.get(f"day_{i}") or 1))
        return out

    @staticmethod
    def initial_for(route: Any) -> dict[str, Any]:
        initial = {f: getattr(route, f) for f in ROUTE_FIELDS}
        for i, stop in enumerate(route.stops.all(), start=1):
            initial[f"stop_{i}"] = stop.venue_id
            initial[f"day_{i}"] = stop.day
        return readable_source(initial)


class CheckInForm(BootstrapForm):
    visited_on = forms.DateField(label=_("Date of visit"), widget=forms.DateInput(attrs={"type": "date"}))
    people = forms.IntegerField(label=_("People in the group"), min_value=1, max_value=500, initial=1)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Visit.Purpose.choices)
    route = forms.ModelChoiceField(queryset=None, label=_("On the route"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, routes: Any = None, **kw: Any):
        kw.setdefault("initial", {})
        kw["initial"].setdefault("visited_on", timezone.localdate())
        super().__init__(*args, **kw)
        self.fields["route"].queryset = routes


class ReviewForm(BootstrapForm):
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=200)
    body = forms.CharField(label=_("Your review"), max_length=20000, widget=forms.Textarea(attrs={"rows": 3}))


class DayForm(forms.Form):
    start = forms.TypedChoiceField(label=_("Starting on"), choices=WEEKDAYS, coerce=int, required=False)

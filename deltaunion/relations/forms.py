"""Forms of the labour-relations pages (input parsing only: the rules live in the services)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from deltaunion.core.forms import BootstrapForm
from deltaunion.orgs.forms import OrganisationChoiceField
from deltaunion.orgs.models import Region
from deltaunion.people.models import Ownership
from deltaunion.relations.models import (
    PROVINCES,
    CaseKind,
    DeclineReason,
    EvidenceKind,
    Industry,
    MeasureKind,
    Outcome,
    ReferralMode,
    Severity,
    SignalKind,
)

DATE = forms.DateInput(attrs={"type": "date"})


def city_regions():
    """The cities of the region: Shanghai as a whole, and the prefecture-level cities of the
    three provinces."""
    return Region.objects.filter(code__regex=r"^3[1-4]").filter(level=Region.Level.PREFECTURE) | Region.objects.filter(
        code="310000"
    )


def city_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    by_province: dict[str, list[tuple[str, str]]] = {code: [] for code, _label in PROVINCES}
    for code, name in city_regions().order_by("code").values_list("code", "name"):
        by_province.setdefault(code[:2] + "0000", []).append((code, name))
    return [(str(label), by_province.get(code, [])) for code, label in PROVINCES if by_province.get(code)]


class CityField(forms.ChoiceField):
    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("label", gettext_lazy("City"))
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Region | None:
        value = super().clean(value)
        if not value:
            return None
        region = city_regions().filter(code=value).first()
        if region is None:
            raise forms.ValidationError(_("Choose a city of Shanghai, Jiangsu, Zhejiang or Anhui"))
        return region

    def valid_value(self, value: Any) -> bool:
        return True  # checked against the database in clean()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _with_cities(form: forms.Form, name: str = "city") -> None:
    form.fields[name].choices = [("", _("Choose…")), *city_choices()]


# --- signals ----------------------------------------------------------------------------------------------


class SignalForm(BootstrapForm):
    organisation = OrganisationChoiceField(queryset=None, label=gettext_lazy("Recorded by"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind of signal"), choices=SignalKind.choices)
    severity = forms.ChoiceField(label=gettext_lazy("Severity"), choices=Severity.choices)
    employer_name = forms.CharField(label=gettext_lazy("Employer"), max_length=200)
    city = CityField()
    industry = forms.ChoiceField(label=gettext_lazy("Industry"), choices=Industry.choices)
    ownership = forms.ChoiceField(label=gettext_lazy("Ownership type"), choices=Ownership.choices)
    workers_affected = forms.IntegerField(label=gettext_lazy("Workers affected"), min_value=1, max_value=1_000_000)
    occurred_on = forms.DateField(label=gettext_lazy("Date noticed"), widget=DATE)
    description = forms.CharField(
        label=gettext_lazy("What is happening"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    origin_310000 = forms.IntegerField(label=gettext_lazy("From Shanghai"), min_value=0, required=False)
    origin_320000 = forms.IntegerField(label=gettext_lazy("From Jiangsu"), min_value=0, required=False)
    origin_330000 = forms.IntegerField(label=gettext_lazy("From Zhejiang"), min_value=0, required=False)
    origin_340000 = forms.IntegerField(label=gettext_lazy("From Anhui"), min_value=0, required=False)
    origin_other = forms.IntegerField(label=gettext_lazy("From other provinces"), min_value=0, required=False)
    site_provinces = forms.MultipleChoiceField(
        label=gettext_lazy("The employer also has sites in"),
        choices=PROVINCES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    ORIGINS = ("origin_310000", "origin_320000", "origin_330000", "origin_340000", "origin_other")

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
        _with_cities(self)

    def origins(self) -> dict[str, int]:
        return {name.removeprefix("origin_"): self.cleaned_data.get(name) or 0 for name in self.ORIGINS}

    def data_for_service(self) -> dict[str, Any]:
        cd = self.cleaned_data
        keys = (
            "kind",
            "severity",
            "employer_name",
            "city",
            "industry",
            "ownership",
            "workers_affected",
            "occurred_on",
            "description",
            "site_provinces",
        )
        return {k: cd[k] for k in keys}


class SignalWorkerForm(BootstrapForm):
    name = forms.CharField(label=gettext_lazy("Full name"), max_length=100)
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=40)
    phone = forms.CharField(label=gettext_lazy("Mobile number"), max_length=20, required=False)


class StatusForm(BootstrapForm):
    status = forms.CharField(max_length=20)
    note = forms.CharField(max_length=500, required=False)


# --- cases -------------------------------------------------------------------------------------------------

_SPLIT = re.compile(r"[,，;；\t]")


def parse_parties(text: str) -> list[dict[str, str]]:
    """One worker a line: name, ID number, phone, wages owed (the last three may be left out)."""
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in _SPLIT.split(line.strip())]
        if len(parts) > 4:
            raise forms.ValidationError(
                _("Line %(n)d: give name, ID number, phone and wages owed, separated by commas") % {"n": n}
            )
        parts += [""] * (4 - len(parts))
        out.append({"name": parts[0], "id_number": parts[1], "phone": parts[2], "amount_owed": parts[3]})
    return out


class CaseForm(BootstrapForm):
    organisation = OrganisationChoiceField(queryset=None, label=gettext_lazy("Handling union"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind of case"), choices=CaseKind.choices)
    employer_name = forms.CharField(label=gettext_lazy("Employer"), max_length=200)
    city = CityField(label=gettext_lazy("Where the work took place"))
    industry = forms.ChoiceField(label=gettext_lazy("Industry"), choices=Industry.choices)
    ownership = forms.ChoiceField(label=gettext_lazy("Ownership type"), choices=Ownership.choices)
    project = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Building project"), required=False)
    opened_on = forms.DateField(label=gettext_lazy("Date received"), widget=DATE)
    summary = forms.CharField(
        label=gettext_lazy("What happened"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    parties = forms.CharField(
        label=gettext_lazy("Workers concerned"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "张三，330106198503142316，13900000000，5000"}),
        help_text=gettext_lazy(
            "One worker a line: name, ID number, mobile number, wages owed (yuan), separated by commas; "
            "a group is several lines."
        ),
        max_length=50_000,
    )

    def __init__(self, *args: Any, organisations: Any, projects: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["project"].queryset = projects
        self.fields["opened_on"].initial = timezone.localdate()
        _with_cities(self)

    def clean_parties(self) -> list[dict[str, str]]:
        rows = parse_parties(self.cleaned_data["parties"])
        if not rows:
            raise forms.ValidationError(_("A case is for at least one worker"))
        return rows


class PartyForm(BootstrapForm):
    name = forms.CharField(label=gettext_lazy("Full name"), max_length=100)
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=40, required=False)
    phone = forms.CharField(label=gettext_lazy("Mobile number"), max_length=20, required=False)
    amount_owed = forms.DecimalField(
        label=gettext_lazy("Wages owed (yuan)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )


class AmountsForm(BootstrapForm):
    amount_owed = forms.DecimalField(label=gettext_lazy("Owed"), min_value=0, max_digits=12, decimal_places=2)
    amount_recovered = forms.DecimalField(label=gettext_lazy("Recovered"), min_value=0, max_digits=12, decimal_places=2)


class AssignForm(BootstrapForm):
    assignee = forms.TypedChoiceField(label=gettext_lazy("Officer"), coerce=int)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, handlers: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Choose…"))] + [(u.pk, u.full_name or u.username) for u in handlers]


class ReferForm(BootstrapForm):
    to_organisation = forms.TypedChoiceField(label=gettext_lazy("Refer to"), coerce=int)
    mode = forms.ChoiceField(label=gettext_lazy("Kind of referral"), choices=ReferralMode.choices)
    message = forms.CharField(label=gettext_lazy("Message"), max_length=500, required=False)

    def __init__(self, *args: Any, targets: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].choices = [("", _("Choose…"))] + [(o.pk, o.name) for o in targets]


class AnswerForm(BootstrapForm):
    decision = forms.ChoiceField(
        label=pgettext_lazy("referral", "Answer"),
        choices=[("accept", gettext_lazy("Accept")), ("decline", gettext_lazy("Decline"))],
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason for declining"), choices=[("", "—"), *DeclineReason.choices], required=False
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


class StepForm(BootstrapForm):
    step = forms.ChoiceField(label=gettext_lazy("Next step"))
    on = forms.DateField(label=gettext_lazy("Date"), widget=DATE, required=False)
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome (when closing)"), choices=[("", "—"), *Outcome.choices], required=False
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, steps: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", _("Choose…")), *steps]


class EvidenceForm(BootstrapForm):
    kind = forms.ChoiceField(label=gettext_lazy("What the files show"), choices=EvidenceKind.choices)
    files = MultipleFileField(label=gettext_lazy("Files (photos, PDF, Word or Excel; at most 10 MB each)"))


# --- the worker's request for help -------------------------------------------------------------------------


class HelpForm(BootstrapForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("What do you need?"),
        choices=[
            (CaseKind.UNPAID_WAGES, gettext_lazy("My wages have not been paid")),
            (CaseKind.DISPUTE, gettext_lazy("A dispute with my employer")),
            (CaseKind.LEGAL_AID, gettext_lazy("Legal aid (a lawyer's help)")),
        ],
        widget=forms.RadioSelect,
    )
    city = CityField(label=gettext_lazy("Where do you work?"))
    union = forms.ChoiceField(
        label=gettext_lazy("Which union should handle it?"),
        choices=[
            ("work", gettext_lazy("The union where I work")),
            ("home", gettext_lazy("The union of my home province")),
        ],
        widget=forms.RadioSelect,
        initial="work",
    )
    employer_name = forms.CharField(label=gettext_lazy("Employer or company"), max_length=200)
    summary = forms.CharField(
        label=gettext_lazy("What happened?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=gettext_lazy("When it started, how much is owed, what you have already done."),
    )
    workers_count = forms.IntegerField(
        label=gettext_lazy("How many workers are concerned (you included)?"), min_value=1, max_value=500, initial=1
    )
    amount_owed = forms.DecimalField(
        label=gettext_lazy("Wages owed to you (yuan), if any"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    phone = forms.CharField(label=gettext_lazy("Mobile number to reach you"), max_length=20)
    id_number = forms.CharField(
        label=gettext_lazy("Your ID number"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("Needed for legal aid; the union keeps it confidential."),
    )
    evidence_kind = forms.ChoiceField(
        label=gettext_lazy("What your files show"), choices=EvidenceKind.choices, initial=EvidenceKind.PHOTO
    )
    files = MultipleFileField(
        label=gettext_lazy("Evidence: photos, contracts, pay slips, chat screenshots (at most 10 files, 10 MB each)")
    )

    def __init__(self, *args: Any, has_record: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _with_cities(self)
        if has_record:
            del self.fields["id_number"]
        for name in ("phone", "id_number"):
            if name in self.fields:
                self.fields[name].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"


# --- projects -----------------------------------------------------------------------------------------------


class ProjectForm(BootstrapForm):
    organisation = OrganisationChoiceField(queryset=None, label=gettext_lazy("Union"))
    name = forms.CharField(label=gettext_lazy("Project"), max_length=200)
    city = CityField()
    contractor = forms.CharField(label=gettext_lazy("Contractor"), max_length=200)
    main_contractor = forms.CharField(label=gettext_lazy("Main contractor"), max_length=200)
    project_manager = forms.CharField(label=gettext_lazy("Project manager"), max_length=100, required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        _with_cities(self)


class MeasureForm(BootstrapForm):
    kind = forms.ChoiceField(label=gettext_lazy("Measure"), choices=MeasureKind.choices)
    done_on = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)
    files = MultipleFileField(label=gettext_lazy("Files (scans, photos, lists)"))


# --- the report -----------------------------------------------------------------------------------------------


class RecordReportForm(BootstrapForm):
    organisation = OrganisationChoiceField(queryset=None, label=gettext_lazy("Prepared by"))
    year = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)
    title = forms.CharField(label=pgettext_lazy("report", "Title"), max_length=200, required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

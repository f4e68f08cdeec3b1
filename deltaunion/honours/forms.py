"""Forms of the honours pages (input parsing only: the rules live in the services)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.core.forms import BootstrapForm
from deltaunion.honours.models import ApplicationStatus, RecipientKind, RequiredMaterial, ResultKind
from deltaunion.honours.standard import Industry, SevenHaves, StudioLevel
from deltaunion.orgs.forms import OrganisationChoiceField
from deltaunion.orgs.models import Region
from deltaunion.people.models import SkillLevel, Title, Worker
from deltaunion.workplans.models import KeyTask

DATE = forms.DateInput(attrs={"type": "date"})
SEPARATORS = re.compile(r"[\s,，、;；]+")


def split_list(value: str) -> list[str]:
    return [p for p in SEPARATORS.split(value or "") if p]


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return getattr(obj, "name", None) or getattr(obj, "title", None) or str(obj)


def find_workers(union: Any, text: str) -> tuple[list[Worker], list[str]]:
    """Workers of the union's subtree named by ID number or by full name (one per item);
    the items not found or not unique."""
    found, problems = [], []
    base = Worker.objects.filter(organisation__path__startswith=union.path)
    for item in split_list(text):
        matches = list(base.filter(Q(id_number=item.upper()) | Q(name=item))[:2])
        if len(matches) == 1:
            found.append(matches[0])
        elif matches:
            problems.append(str(_("%(item)s: more than one worker has this name; give the ID number")) % {"item": item})
        else:
            problems.append(str(_("%(item)s: no worker of this union")) % {"item": item})
    return found, problems


# --- selections ------------------------------------------------------------------------------------------------


class SelectionForm(BootstrapForm):
    lead_org = OrganisationChoiceField(queryset=None, label=_("Organiser"))
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2100)
    issuing_body = forms.CharField(
        label=_("Conferred by"), max_length=200, help_text=_("e.g. 沪苏浙皖三省一市总工会"), required=False
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    key_task = NamedChoiceField(queryset=None, label=_("Key task"), required=False)
    contest = NamedChoiceField(queryset=None, label=_("Contest whose awards it decides"), required=False)
    nominations_open_on = forms.DateField(label=_("Nominations open on"), widget=DATE, required=False)
    nominations_close_on = forms.DateField(label=_("Nominations close on"), widget=DATE, required=False)
    review_by = forms.DateField(label=_("Expert review by"), widget=DATE, required=False)
    notice_days = forms.IntegerField(label=_("Public notice (days)"), min_value=1, max_value=60, initial=7)
    naming_on = forms.DateField(label=_("Naming date"), widget=DATE, required=False)
    trades = forms.CharField(
        label=_("Trades"), max_length=500, required=False, help_text=_("Separated by 、 or commas; empty: any trade")
    )
    min_years = forms.IntegerField(label=_("Minimum years in the trade"), min_value=0, max_value=60, required=False)
    skill_level_at_least = forms.TypedChoiceField(
        label=_("Skill level at least"),
        choices=[("", _("Any")), *SkillLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    prior_title_kinds = forms.MultipleChoiceField(
        label=_("Prior honours required (any of)"),
        choices=Title.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    members_only = forms.BooleanField(label=_("Union members only"), required=False, initial=True)
    conflict_same_city = forms.BooleanField(label=_("Experts never score nominees of their own city"), required=False)
    min_reviews = forms.IntegerField(label=_("Experts per nomination"), min_value=3, max_value=10, initial=3)

    def __init__(self, *args: Any, organisations: Any = None, key_tasks: Any = None, contests: Any = None, **kw: Any):
        super().__init__(*args, **kw)
        if organisations is None:
            del self.fields["lead_org"]
        else:
            self.fields["lead_org"].queryset = organisations
        self.fields["key_task"].queryset = key_tasks
        self.fields["contest"].queryset = contests

    def clean_trades(self) -> list[str]:
        return split_list(self.cleaned_data.get("trades", ""))

    @staticmethod
    def initial_for(selection: Any) -> dict[str, Any]:
        fields = [
            "title",
            "year",
            "issuing_body",
            "description",
            "key_task",
            "contest",
            "nominations_open_on",
            "nominations_close_on",
            "review_by",
            "notice_days",
            "naming_on",
            "min_years",
            "skill_level_at_least",
            "prior_title_kinds",
            "members_only",
            "conflict_same_city",
            "min_reviews",
        ]
        out = {f: getattr(selection, f) for f in fields}
        out["trades"] = "、".join(selection.trades)
        return out


class CategoryForm(BootstrapForm):
    honour_name = forms.CharField(label=_("Honour"), max_length=120, help_text=_("e.g. 长三角大工匠, 金牌班组"))
    recipient_kind = forms.ChoiceField(label=_("Conferred on"), choices=RecipientKind.choices)
    title_kind = forms.ChoiceField(
        label=_("Kind of title on the person's record"), choices=[("", "—"), *Title.Kind.choices], required=False
    )
    studio_level = forms.ChoiceField(
        label=_("Studio level recognised"), choices=[("", "—"), *StudioLevel.choices], required=False
    )
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000)


class PlacesForm(BootstrapForm):
    category = forms.IntegerField(widget=forms.HiddenInput)
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000)


class QuotaForm(BootstrapForm):
    organisation = OrganisationChoiceField(queryset=None, label=_("Nominating union"))
    places = forms.IntegerField(label=_("Places"), min_value=0, max_value=10000)

    def __init__(self, *args: Any, organisations: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["organisation"].queryset = organisations


class MaterialForm(BootstrapForm):
    label = forms.CharField(label=_("Material"), max_length=100)
    kind = forms.ChoiceField(label=_("Form"), choices=RequiredMaterial.Kind.choices)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    help = forms.CharField(label=_("What to give"), max_length=300, required=False)


class CriterionForm(BootstrapForm):
    category = NamedChoiceField(queryset=None, label=_("Category"))
    name = forms.CharField(label=_("Criterion"), max_length=100)
    weight = forms.DecimalField(label=_("Weight"), min_value=0.01, max_digits=5, decimal_places=2)
    max_score = forms.DecimalField(label=_("Full marks"), min_value=1, max_digits=6, decimal_places=2, initial=10)
    guidance = forms.CharField(label=_("Scoring guidance"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, categories: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = lambda c: c.honour.name


class PanelForm(BootstrapForm):
    name = forms.CharField(label=_("Panel"), max_length=100)
    categories = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Categories"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, categories: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["categories"].queryset = categories
        self.fields["categories"].label_from_instance = lambda c: c.honour.name


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.username}（{obj.username}）"


class MemberForm(BootstrapForm):
    panel = NamedChoiceField(queryset=None, label=_("Panel"))
    user = ExpertChoiceField(queryset=None, label=_("Expert"))
    is_chair = forms.BooleanField(label=_("Chair"), required=False)
    employer_name = forms.CharField(label=_("Employer"), max_length=200, required=False)
    city = NamedChoiceField(queryset=None, label=_("City"), required=False)

    def __init__(self, *args: Any, panels: Any, users: Any, cities: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["panel"].queryset = panels
        self.fields["user"].queryset = users
        self.fields["city"].queryset = cities


# --- nominations ---------------------------------------------------------------------------------------------


class NominationForm(BootstrapForm):
    organisation = OrganisationChoiceField(queryset=None, label=_("Nominating union"))
    category = NamedChoiceField(queryset=None, label=_("Category"))
    person = forms.CharField(
        label=_("Person"),
        max_length=100,
        required=False,
        help_text=_("The worker's ID number, or the full name when no one else in the union has it"),
    )
    studio = NamedChoiceField(queryset=None, label=_("Studio"), required=False)
    result = NamedChoiceField(queryset=None, label=_("Innovation result"), required=False)
    team_name = forms.CharField(label=_("Team or collective"), max_length=200, required=False)
    team_employer = NamedChoiceField(queryset=None, label=_("Employer"), required=False)
    years_in_trade = forms.IntegerField(label=_("Years in the trade"), min_value=0, max_value=60, required=False)
    statement = forms.CharField(label=_("Deeds and reasons"), widget=forms.Textarea(attrs={"rows": 6}), required=False)

    def __init__(self, *args: Any, quotas: Any, categories: Any, studios: Any, results: Any, employers: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["organisation"].queryset = quotas
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = lambda c: (
            f"{c.honour.name}（{c.honour.get_recipient_kind_display()}）"
        )
        self.fields["studio"].queryset = studios
        self.fields["result"].queryset = results
        self.fields["team_employer"].queryset = employers

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        category, union = data.get("category"), data.get("organisation")
        if category is None or union is None:
            return data
        kind = category.honour.recipient_kind
        if kind == RecipientKind.PERSON:
            workers, problems = find_workers(union, data.get("person", ""))
            if problems or len(workers) != 1:
                self.add_error("person", problems[0] if problems else _("Give the nominee's ID number or name"))
            else:
                data["worker"] = workers[0]
        elif kind == RecipientKind.STUDIO and not data.get("studio"):
            self.add_error("studio", _("Choose the studio"))
        elif kind == RecipientKind.RESULT and not data.get("result"):
            self.add_error("result", _("Choose the result"))
        elif kind == RecipientKind.TEAM and not data.get("team_name", "").strip():
            self.add_error("team_name", _("Name the team or collective"))
        return data


class NominationEditForm(BootstrapForm):
    years_in_trade = forms.IntegerField(label=_("Years in the trade"), min_value=0, max_value=60, required=False)
    statement = forms.CharField(label=_("Deeds and reasons"), widget=forms.Textarea(attrs={"rows": 6}), required=False)


class MaterialGiveForm(BootstrapForm):
    material = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    file = forms.FileField(label=_("File"), required=False)


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ObjectionForm(BootstrapForm):
    text = forms.CharField(label=_("Objection"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    contact = forms.CharField(
        label=_("Contact"), max_length=100, required=False, help_text=_("A phone number or e-mail for the answer")
    )


class AnswerForm(BootstrapForm):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    upheld = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("0", _("Dismiss")), ("1", _("Uphold (disqualifies the nomination)"))],
        coerce=lambda v: v == "1",
    )
    response = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


# --- the review ----------------------------------------------------------------------------------------------


class ReviewForm(BootstrapForm):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args: Any, criteria: list[Any], **kw: Any):
        super().__init__(*args, **kw)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"c{c.pk}"] = forms.DecimalField(
                label=c.name,
                min_value=0,
                max_value=c.max_score,
                max_digits=6,
                decimal_places=1,
                help_text=c.guidance,
                widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            )
            self.fields[f"c{c.pk}"].widget.attrs["class"] = "form-control form-control-sm"
        self.order_fields([f"c{c.pk}" for c in criteria] + ["comment"])

    def scores(self) -> dict[int, Any]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class ResolveForm(BootstrapForm):
    nomination = forms.IntegerField(widget=forms.HiddenInput)
    exclude = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("0", _("Keep the score")), ("1", _("Set the sheet aside"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Reason"), max_length=300)


# --- studios ------------------------------------------------------------------------------------------------------


class StudioForm(BootstrapForm):
    organisation = OrganisationChoiceField(queryset=None, label=_("Union"))
    name = forms.CharField(label=_("Studio name"), max_length=120)
    lead = forms.CharField(label=_("Lead"), max_length=100, help_text=_("The lead's ID number or full name"))
    members = forms.CharField(
        label=_("Team members"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("ID numbers or full names, separated by 、 or new lines"),
    )
    employer = NamedChoiceField(queryset=None, label=_("Employer"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), choices=Industry.choices)
    site = forms.CharField(label=_("Site"), max_length=300, required=False)
    equipment = forms.CharField(
        label=_("Facilities and equipment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    rules = forms.CharField(label=_("Working rules"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    funding_yuan = forms.DecimalField(
        label=_("Yearly funding (yuan)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    founded_on = forms.DateField(label=_("Founded on"), widget=DATE, required=False)

    def __init__(self, *args: Any, organisations: Any = None, union: Any = None, employers: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.union = union
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
        self.fields["employer"].queryset = employers

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        union = self.union or data.get("organisation")
        if union is None:
            return data
        leads, problems = find_workers(union, data.get("lead", ""))
        if problems or len(leads) != 1:
            self.add_error("lead", problems[0] if problems else _("Give the lead's ID number or name"))
        else:
            data["lead_worker"] = leads[0]
        members, problems = find_workers(union, data.get("members", ""))
        if problems:
            self.add_error("members", "；".join(problems))
        data["member_workers"] = members
        return data

    @staticmethod
    def initial_for(studio: Any) -> dict[str, Any]:
        out = {
            f: getattr(studio, f)
            for f in ("name", "employer", "industry", "site", "equipment", "rules", "funding_yuan", "founded_on")
        }
        out["lead"] = studio.lead.id_number
        out["members"] = "、".join(studio.members.values_list("id_number", flat=True))
        return out


class CheckForm(BootstrapForm):
    item = forms.ChoiceField(choices=SevenHaves.choices, widget=forms.HiddenInput)
    evidence = forms.CharField(
        label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class ReportForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2100)
    topics = forms.IntegerField(label=_("Innovation topics"), min_value=0, max_value=10**7)
    projects = forms.IntegerField(label=_("Tackling projects"), min_value=0, max_value=10**7)
    results = forms.IntegerField(label=_("Innovation results"), min_value=0, max_value=10**7)
    applied_results = forms.IntegerField(label=_("Results put into use"), min_value=0, max_value=10**7)
    patents = forms.IntegerField(label=_("Patents"), min_value=0, max_value=10**7)
    savings_yuan = forms.DecimalField(
        label=_("Economic benefit (yuan)"), min_value=0, max_digits=16, decimal_places=2, initial=0
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("applied_results") or 0) > (data.get("results") or 0):
            raise ValidationError(_("Results put into use cannot be more than the results"))
        return data


class RecognitionForm(BootstrapForm):
    level = forms.ChoiceField(label=_("Level"), choices=StudioLevel.choices)
    recognised_on = forms.DateField(label=_("Recognised on"), widget=DATE)
    body = forms.CharField(label=_("Recognised by"), max_length=200)
    title = forms.CharField(label=_("Title conferred"), max_length=200, required=False)


# --- results and exhibitions --------------------------------------------------------------------------------------


class ResultForm(BootstrapForm):
    organisation = OrganisationChoiceField(queryset=None, label=_("Union"))
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of result"), choices=ResultKind.choices)
    owners = forms.CharField(
        label=_("Owners"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("ID numbers or full names, separated by 、 or new lines"),
    )
    studio = NamedChoiceField(queryset=None, label=_("Studio"), required=False)
    contest = NamedChoiceField(queryset=None, label=_("Contest"), required=False)
    patent_number = forms.CharField(label=_("Patent number"), max_length=40, required=False)
    achieved_on = forms.DateField(label=_("Date"), widget=DATE, required=False)
    application_status = forms.ChoiceField(label=_("Application"), choices=ApplicationStatus.choices)
    benefit_yuan = forms.DecimalField(
        label=_("Certified economic benefit (yuan)"), min_value=0, max_digits=16, decimal_places=2, required=False
    )
    benefit_certified_by = forms.CharField(label=_("Benefit certified by"), max_length=200, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(
        self, *args: Any, organisations: Any = None, union: Any = None, studios: Any, contests: Any, **kw: Any
    ):
        super().__init__(*args, **kw)
        self.union = union
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
        self.fields["studio"].queryset = studios
        self.fields["contest"].queryset = contests

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        union = self.union or data.get("organisation")
        if union is not None:
            owners, problems = find_workers(union, data.get("owners", ""))
            if problems:
                self.add_error("owners", "；".join(problems))
            data["owner_workers"] = owners
        return data

    @staticmethod
    def initial_for(result: Any) -> dict[str, Any]:
        fields = (
            "title",
            "kind",
            "studio",
            "contest",
            "patent_number",
            "achieved_on",
            "application_status",
            "benefit_yuan",
            "benefit_certified_by",
            "summary",
        )
        out = {f: getattr(result, f) for f in fields}
        out["owners"] = "、".join(result.owners.values_list("id_number", flat=True))
        return out


class PhotoForm(BootstrapForm):
    image = forms.FileField(label=_("Photo (JPEG, PNG or WebP, at most 5 MB)"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    credit = forms.CharField(label=_("Photo credit and licence"), max_length=200)


class ExhibitionForm(BootstrapForm):
    organisation = OrganisationChoiceField(queryset=None, label=_("Organiser"))
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE, required=False)
    closes_on = forms.DateField(label=_("Closes on"), widget=DATE, required=False)
    key_task = NamedChoiceField(queryset=None, label=_("Key task"), required=False)

    def __init__(self, *args: Any, organisations: Any = None, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["key_task"].queryset = KeyTask.objects.select_related("plan").order_by("-plan__year", "number")
        self.fields["key_task"].label_from_instance = lambda t: f"{t.plan.year} · {t.title}"
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            raise ValidationError(_("The exhibition closes after it opens"))
        return data


class ItemForm(BootstrapForm):
    result = NamedChoiceField(queryset=None, label=_("Innovation result"))
    note = forms.CharField(label=_("Curator's note"), max_length=300, required=False)

    def __init__(self, *args: Any, results: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["result"].queryset = results


def city_choices() -> Any:
    """Prefecture-level cities (and Shanghai's districts) of the four provinces."""
    q = Q()
    for prefix in ("31", "32", "33", "34"):
        q |= Q(code__startswith=prefix)
    return (
        Region.objects.filter(q)
        .exclude(level=Region.Level.PROVINCE)
        .filter(Q(level=Region.Level.PREFECTURE) | Q(code__startswith="31"))
        .order_by("code")
    )

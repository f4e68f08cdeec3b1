import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.contests.models import Aspect, Contest, ContestFormat, ContestLevel, PrizeTier, TieBreak
from deltaunion.contests.scoring import DEFAULT_TIE_BREAKS
from deltaunion.core.forms import BootstrapForm
from deltaunion.orgs.forms import OrganisationChoiceField, OrganisationMultipleChoiceField
from deltaunion.orgs.models import Alliance, Region
from deltaunion.people.models import SkillLevel


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("Your objection"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    contact = forms.CharField(
        label=_("Contact (phone or e-mail)"),
        required=False,
        max_length=100,
        help_text=_("Required if you are not signed in, so that the organisers can answer."),
    )


# --- setting a contest up (views_setup.py): input parsing only; every rule is in the services ---

# A national occupation code (国家职业分类大典), e.g. 6-31-01-03 or 4-04-05-05.
OCCUPATION_CODE = re.compile(r"^\d(-\d{2}){1,3}(-\d{2})?$")
PERCENT = Decimal("0.01")


def _tie_break_choices():
    return [("", "—"), *TieBreak.choices]


def _level_choices():
    return [("", "—"), *SkillLevel.choices]


def _optional_level(**kwargs):
    return forms.TypedChoiceField(choices=_level_choices, coerce=int, empty_value=None, required=False, **kwargs)


class KeyTaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plan.year} · {obj.number}. {obj.title}"


class ContestForm(BootstrapForm):
    """Everything an officer sets on a contest. `settings()` gives the service's keyword arguments."""

    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=200)
    format = forms.ChoiceField(label=_("Format"), choices=ContestFormat.choices)
    level = forms.ChoiceField(label=_("Level"), choices=ContestLevel.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Contest.Status.choices)
    key_task = KeyTaskChoiceField(label=_("Key task"), queryset=None, required=False)
    lead_org = OrganisationChoiceField(label=_("Lead organiser"), queryset=None)
    co_organisers = OrganisationMultipleChoiceField(
        label=_("Co-organisers"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (or ⌘) to choose several; on a phone, tap each."),
    )
    trades = forms.CharField(
        label=_("Trades"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One trade per line, followed by its national occupation code where known, e.g. 工业机器人系统运维员 6-31-01-10"
        ),
    )
    skill_level = _optional_level(label=_("Skill level set at"))
    starts_on = forms.DateField(
        label=_("Starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Entries and eligibility.
    entry_kind = forms.ChoiceField(label=_("Entry kind"), choices=Contest.EntryKind.choices)
    team_size_min = forms.IntegerField(label=_("Minimum team size"), min_value=1, max_value=100, initial=1)
    team_size_max = forms.IntegerField(label=_("Maximum team size"), min_value=1, max_value=100, initial=1)
    members_only = forms.BooleanField(label=_("Union members only"), required=False, initial=True)
    min_age = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0, max_value=120)
    max_age = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=120)
    level_highest = _optional_level(label=_("Highest current skill level allowed"))
    level_lowest = _optional_level(label=_("Lowest current skill level allowed"))
    region_prefixes = forms.CharField(
        label=_("Region code prefixes"),
        required=False,
        max_length=200,
        help_text=_("Division codes of the contest's region, separated by spaces or commas, e.g. 31 32 3305"),
    )
    region_alliance = forms.ModelChoiceField(
        label=_("Alliance"), queryset=Alliance.objects.order_by("name"), required=False
    )
    # Marking and results.
    theory_weight = forms.DecimalField(
        label=_("Theory weight (%)"), min_value=0, max_value=100, decimal_places=1, initial=Decimal("30")
    )
    practical_weight = forms.DecimalField(
        label=_("Practical weight (%)"), min_value=0, max_value=100, decimal_places=1, initial=Decimal("70")
    )
    tie_break_1 = forms.ChoiceField(label=_("First tie-break"), choices=_tie_break_choices, required=False)
    tie_break_2 = forms.ChoiceField(label=_("Second tie-break"), choices=_tie_break_choices, required=False)
    tie_break_3 = forms.ChoiceField(label=_("Third tie-break"), choices=_tie_break_choices, required=False)
    standardise = forms.BooleanField(
        label=_("Standardised score (median competitor = 700)"), required=False, initial=False
    )
    conflict_same_city = forms.BooleanField(
        label=_("Judges never mark competitors of their own city"), required=False, initial=False
    )
    judges_min = forms.IntegerField(label=_("Judges per judgement aspect"), min_value=1, max_value=50, initial=3)
    appeal_window_minutes = forms.IntegerField(
        label=_("Appeal window (minutes)"), min_value=0, max_value=60 * 24 * 30, initial=120
    )
    notice_days = forms.IntegerField(label=_("Public notice period (days)"), min_value=0, max_value=365, initial=7)
    recheck_top = forms.IntegerField(label=_("Re-check: top places"), min_value=0, max_value=10000, initial=10)
    recheck_share = forms.DecimalField(
        label=_("Re-check: share of the rest (%)"), min_value=0, max_value=100, decimal_places=1, initial=Decimal("15")
    )
    recheck_error_limit = forms.DecimalField(
        label=_("Re-check: error rate forcing a full re-check (%)"),
        min_value=0,
        max_value=100,
        decimal_places=1,
        initial=Decimal("5"),
    )

    # The settings this form edits as they are (the others are converted in `settings()`).
    PERCENTAGES = ("theory_weight", "practical_weight", "recheck_share", "recheck_error_limit")
    SETTINGS = tuple(
        sorted(
            set(Contest.SETTINGS) - {*PERCENTAGES, "plan_tier", "region_prefixes", "tie_breaks", "is_demo", "source"},
            key=Contest.SETTINGS.index,
        )
    )

    def __init__(self, *args, organisations=None, partners=None, key_tasks=None, statuses=None, **kwargs):
        """`statuses`: the current status and those the user may move the contest to (none
        when creating: a contest starts as a draft)."""
        super().__init__(*args, **kwargs)
        self.fields["lead_org"].queryset = organisations
        self.fields["co_organisers"].queryset = partners
        self.fields["key_task"].queryset = key_tasks
        if statuses is None:
            del self.fields["status"]
        else:
            self.fields["status"].choices = statuses

    @classmethod
    def initial_for(cls, contest: Contest) -> dict:
        data = {name: getattr(contest, name) for name in cls.SETTINGS}
        data.update(
            title=contest.title,
            format=contest.format,
            level=contest.level,
            status=contest.status,
            key_task=contest.key_task_id,
            lead_org=contest.lead_org_id,
            co_organisers=list(contest.co_organisers.values_list("pk", flat=True)),
            trades="\n".join(f"{t.name} {t.occupation_code}".strip() for t in contest.trades.order_by("name")),
            region_prefixes=" ".join(contest.region_prefixes or []),
            region_alliance=contest.region_alliance_id,
        )
        for name in cls.PERCENTAGES:
            pct = (Decimal(getattr(contest, name)) * 100).quantize(Decimal("0.1"))
            data[name] = pct.to_integral_value() if pct == pct.to_integral_value() else pct
        for i, tb in enumerate((contest.tie_breaks or [])[:3], start=1):
            data[f"tie_break_{i}"] = tb
        return data

    @classmethod
    def defaults(cls) -> dict:
        data = {name: f.initial for name, f in cls.base_fields.items() if f.initial is not None}
        for i, tb in enumerate(DEFAULT_TIE_BREAKS, start=1):
            data[f"tie_break_{i}"] = tb
        return data

    def clean_trades(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for line in self.cleaned_data.get("trades", "").splitlines():
            line = line.strip()
            if not line:
                continue
            name, code = line, ""
            parts = line.rsplit(None, 1)
            if len(parts) == 2 and OCCUPATION_CODE.match(parts[1]):
                name, code = parts[0].strip(), parts[1]
            if len(name) > 100:
                raise forms.ValidationError(_("A trade's name is at most 100 characters: %(name)s") % {"name": name})
            out.append((name, code))
        return out

    def clean_region_prefixes(self) -> list[str]:
        return [p for p in re.split(r"[\s,，、;；]+", self.cleaned_data.get("region_prefixes", "")) if p]

    def settings(self) -> dict:
        """The contest settings as the services take them (weights and shares as fractions)."""
        cd = self.cleaned_data
        data = {name: cd[name] for name in self.SETTINGS}
        data["description"] = (cd["description"] or "").strip()
        data["region_prefixes"] = cd["region_prefixes"]
        for name in self.PERCENTAGES:
            data[name] = (cd[name] / 100).quantize(Decimal("0.001"))
        tie_breaks = []
        for i in (1, 2, 3):
            tb = cd.get(f"tie_break_{i}")
            if tb and tb not in tie_breaks:
                tie_breaks.append(tb)
        data["tie_breaks"] = tie_breaks
        return data


class VenueForm(BootstrapForm):
    name = forms.CharField(label=_("Venue"), max_length=120)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    region = forms.CharField(
        label=_("Division code (optional)"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "330100", "inputmode": "numeric"}),
    )

    def clean_region(self):
        code = self.cleaned_data.get("region", "").strip()
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("No division has the code %(code)s") % {"code": code})
        return region


class StageForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    level = forms.ChoiceField(label=_("Level"), choices=ContestLevel.choices)
    order = forms.IntegerField(
        label=_("Order"), required=False, min_value=1, max_value=99, help_text=_("Empty: after the last stage")
    )
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=None, required=False)
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    theory_max = forms.DecimalField(
        label=_("Theory full marks"), max_digits=7, decimal_places=2, initial=Decimal("100"), min_value=0
    )

    def __init__(self, *args, venues=None, contest=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues
        self.contest = contest

    def clean(self):
        cleaned = super().clean()
        if self.contest is not None and cleaned.get("name"):
            from deltaunion.contests.services.setup import stage_repeats

            if stage_repeats(
                contest=self.contest,
                name=cleaned["name"],
                starts_at=cleaned.get("starts_at"),
                ends_at=cleaned.get("ends_at"),
            ):
                raise forms.ValidationError(_("This contest already has a stage of that name on the same dates"))
        return cleaned


class ModuleForm(BootstrapForm):
    name = forms.CharField(label=_("Module"), max_length=120)
    order = forms.IntegerField(label=_("Order"), required=False, min_value=1, max_value=99)


class AspectForm(BootstrapForm):
    """A measurement aspect with no band rows is full marks or zero; with bands, partial marks."""

    BANDS = 3

    code = forms.CharField(label=_("Code"), max_length=20)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Aspect.Kind.choices)
    max_mark = forms.DecimalField(label=_("Full marks"), max_digits=7, decimal_places=2)
    target = forms.DecimalField(label=_("Target value"), max_digits=12, decimal_places=4, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    descriptor_0 = forms.CharField(label=_("Score 0"), max_length=300, required=False)
    descriptor_1 = forms.CharField(label=_("Score 1"), max_length=300, required=False)
    descriptor_2 = forms.CharField(label=_("Score 2"), max_length=300, required=False)
    descriptor_3 = forms.CharField(label=_("Score 3"), max_length=300, required=False)
    tolerance_1 = forms.CharField(label=_("Tolerance ±"), max_length=20, required=False)
    share_1 = forms.CharField(label=_("Share of full marks"), max_length=20, required=False)
    tolerance_2 = forms.CharField(label=_("Tolerance ±"), max_length=20, required=False)
    share_2 = forms.CharField(label=_("Share of full marks"), max_length=20, required=False)
    tolerance_3 = forms.CharField(label=_("Tolerance ±"), max_length=20, required=False)
    share_3 = forms.CharField(label=_("Share of full marks"), max_length=20, required=False)

    @classmethod
    def rows(cls, data=None) -> dict:
        """What the scheme page's hand-laid aspect form shows: blank, or a rejected form's input."""
        data = data or {}
        return {
            "open": bool(data),
            "code": data.get("code", ""),
            "description": data.get("description", ""),
            "kind": data.get("kind", Aspect.Kind.MEASUREMENT),
            "kinds": Aspect.Kind.choices,
            "max_mark": data.get("max_mark", ""),
            "target": data.get("target", ""),
            "unit": data.get("unit", ""),
            "bands": [(i, data.get(f"tolerance_{i}", ""), data.get(f"share_{i}", "")) for i in range(1, cls.BANDS + 1)],
            "descriptors": [(i, data.get(f"descriptor_{i}", "")) for i in range(4)],
        }

    def service_kwargs(self) -> dict:
        cd = self.cleaned_data
        kind = cd["kind"]
        bands = []
        if kind == Aspect.Kind.MEASUREMENT:
            for i in range(1, self.BANDS + 1):
                tol, share = cd.get(f"tolerance_{i}", "").strip(), cd.get(f"share_{i}", "").strip()
                if tol or share:
                    bands.append({"tolerance": tol, "share": share})
        descriptors = []
        if kind == Aspect.Kind.JUDGEMENT:
            descriptors = [cd[f"descriptor_{i}"].strip() for i in range(4) if cd[f"descriptor_{i}"].strip()]
        return {
            "code": cd["code"],
            "description": cd["description"],
            "kind": kind,
            "max_mark": cd["max_mark"],
            "target": cd["target"] if kind == Aspect.Kind.MEASUREMENT and bands else None,
            "unit": cd["unit"].strip() if kind == Aspect.Kind.MEASUREMENT else "",
            "bands": bands,
            "descriptors": descriptors,
        }


class QuotaForm(BootstrapForm):
    organisation = OrganisationChoiceField(label=_("Sending union"), queryset=None)
    places = forms.IntegerField(label=_("Places"), min_value=0, max_value=100000)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class PrizeTierForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=PrizeTier.Kind.choices)
    name = forms.CharField(label=_("Prize"), max_length=60, required=False)
    rank_to = forms.IntegerField(label=_("Up to rank"), required=False, min_value=1)
    share = forms.DecimalField(
        label=_("Or up to this share of competitors (%)"), required=False, decimal_places=1, max_digits=4
    )

    def service_kwargs(self) -> dict:
        cd = self.cleaned_data
        share = cd.get("share")
        return {
            "kind": cd["kind"],
            "name": (cd.get("name") or "").strip() or str(dict(PrizeTier.Kind.choices)[cd["kind"]]),
            "rank_to": cd.get("rank_to"),
            "share": (share / 100).quantize(Decimal("0.001")) if share is not None else None,
        }


class TitleRuleForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), max_length=100)
    rank_from = forms.IntegerField(label=_("From rank"), initial=1)
    rank_to = forms.IntegerField(label=_("To rank"))


class PromotionRuleForm(BootstrapForm):
    level = forms.ChoiceField(label=_("Contest level"), choices=ContestLevel.choices)
    rank_from = forms.IntegerField(label=_("From rank"), initial=1)
    rank_to = forms.IntegerField(label=_("To rank"))
    current_level = _optional_level(label=_("Current skill level"), help_text=_("Empty: any current level"))
    new_level = forms.TypedChoiceField(label=_("New skill level"), choices=SkillLevel.choices, coerce=int)

    def service_kwargs(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("level", "rank_from", "rank_to", "current_level", "new_level")}


class QualifyForm(BootstrapForm):
    next_stage = forms.ModelChoiceField(label=_("Next stage"), queryset=None, empty_label=None)
    mode = forms.ChoiceField(
        label=_("Rule"),
        choices=[("overall", _("Top N overall")), ("per_organisation", _("Top N of each sending union"))],
    )
    top = forms.IntegerField(label=_("N (places)"), min_value=1, max_value=10000)

    def __init__(self, *args, stages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next_stage"].queryset = stages
        self.fields["next_stage"].label_from_instance = lambda s: f"{s.order}. {s.name} · {s.get_level_display()}"


class AppealForm(BootstrapForm):
    registration = forms.ModelChoiceField(label=_("Competitor or team"), queryset=None, empty_label=None)
    reason = forms.CharField(
        label=_("Grounds of the appeal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, registrations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = registrations
        self.fields["registration"].label_from_instance = lambda r: f"{r} · {r.organisation.name}"

"""Forms of the campaign pages: input parsing only; every rule is in the services."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deltaunion.campaigns.models import CampaignTeam
from deltaunion.core.forms import BootstrapForm
from deltaunion.orgs.forms import OrganisationChoiceField
from deltaunion.practice.forms import ContestChoiceField, date_field

# --- points campaigns --------------------------------------------------------------------------------

RULE_COLUMNS = ("code", "name", "points", "once_only", "per_day_cap", "per_week_cap", "total_cap", "value_label")


class CampaignForm(BootstrapForm):
    contest = ContestChoiceField(label=_("Contest (points-campaign format)"), queryset=None, required=False)
    new_contest_lead = OrganisationChoiceField(
        label=_("…or create a contest led by"),
        queryset=None,
        required=False,
        help_text=_("A new contest of the points-campaign format, with the campaign's title and dates."),
    )
    title = forms.CharField(label=_("Campaign title"), max_length=200)
    starts_on = date_field(_("Starts on"))
    ends_on = date_field(_("Ends on"))
    max_points = forms.IntegerField(label=_("Total points available"), min_value=1, required=False)
    open_to_join = forms.BooleanField(label=_("Workers may join themselves"), required=False, initial=True)
    teams = forms.CharField(
        label=_("Teams"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One team name per line."),
    )

    def __init__(self, *args: Any, contests=None, organisations=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contest"].queryset = contests
        self.fields["new_contest_lead"].queryset = organisations

    def clean(self) -> dict[str, Any]:
        cd = super().clean()
        if not self.errors and cd.get("contest") is None and cd.get("new_contest_lead") is None:
            raise forms.ValidationError(
                _("Choose a contest of the points-campaign format, or the lead organiser of a new one")
            )
        cd["team_names"] = [t.strip() for t in (cd.get("teams") or "").splitlines() if t.strip()]
        return cd


def campaign_rules_from(data: Any) -> list[dict[str, Any]]:
    """The rules table: one dict per row that has a code or a name (the service checks them)."""
    columns = {c: data.getlist(f"rule_{c}") for c in RULE_COLUMNS}
    n = max((len(v) for v in columns.values()), default=0)
    rules = []
    for i in range(n):
        row = {c: (columns[c][i] if i < len(columns[c]) else "").strip() for c in RULE_COLUMNS}
        if not row["code"] and not row["name"]:
            continue
        row["once_only"] = row["once_only"] in ("1", "on", "true", "yes")
        rules.append(row)
    return rules


def campaign_rule_from(data: Any) -> dict[str, Any]:
    """One rule row posted alone (add or edit)."""
    row = {c: (data.get(f"rule_{c}") or "").strip() for c in RULE_COLUMNS}
    row["once_only"] = row["once_only"] in ("1", "on", "true", "yes")
    return row


class TeamForm(BootstrapForm):
    name = forms.CharField(label=_("Team name"), max_length=100)


class EnrolForm(BootstrapForm):
    username = forms.CharField(label=_("Login name of the worker"), max_length=150)
    team = forms.ModelChoiceField(label=_("Campaign team"), queryset=None, required=False)

    def __init__(self, *args: Any, campaign=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = CampaignTeam.objects.filter(campaign=campaign)


class ActionForm(forms.Form):
    """Log one action of a points campaign. `source_key` is generated once per rendered form,
    so a double click or a resent form counts once."""

    rule = forms.TypedChoiceField(label=_("What did you do?"), coerce=int)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.CharField(label=_("Measured value"), required=False, max_length=20)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    source_key = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [(r.pk, r.name) for r in rules]
        if not self.is_bound:
            self.initial.setdefault("occurred_on", timezone.localdate())
            self.initial.setdefault("source_key", uuid.uuid4().hex)

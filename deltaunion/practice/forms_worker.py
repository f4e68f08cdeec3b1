"""Forms of the workers' practice pages: input parsing only; every rule is in the services."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deltaunion.practice.models import Post


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


class PostForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of post"))
    organisation = forms.TypedChoiceField(label=_("Union"), coerce=int, required=False)
    title = forms.CharField(label=_("Post title"), max_length=200)
    body = forms.CharField(label=_("Post text"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)

    def __init__(self, *args, news: bool = False, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [(v, label) for v, label in Post.Kind.choices if news or v != Post.Kind.NEWS]
        self.fields["kind"].choices = kinds
        if organisations:
            self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        else:
            del self.fields["organisation"]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
    comment = forms.IntegerField(required=False, widget=forms.HiddenInput)

"""Forms of the community pages: input parsing only; every rule is in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from deltaunion.community.models import AbuseReport, Post

# The moderators' labels of a report's status ("Open" is a contest's 报名中 elsewhere).
REPORT_STATUS_CHOICES = [
    (AbuseReport.Status.OPEN, _("Awaiting decision")),
    (AbuseReport.Status.UPHELD, _("Upheld: content hidden")),
    (AbuseReport.Status.DISMISSED, _("Dismissed")),
]


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


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

from django import forms
from django.utils.translation import gettext_lazy as _


class RegistrationImportForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Sending union"), coerce=int)
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, "　" * max(0, o.depth - 1) + o.name) for o in organisations]


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("Your objection"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    contact = forms.CharField(
        label=_("Contact (phone or e-mail)"),
        required=False,
        max_length=100,
        help_text=_("Required if you are not signed in, so that the organisers can answer."),
    )

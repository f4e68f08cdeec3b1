from django import forms
from django.utils.translation import gettext_lazy as _


class WorkerImportForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Import into union"), coerce=int)
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, "　" * max(0, o.depth - 1) + o.name) for o in organisations]

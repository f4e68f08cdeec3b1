"""Form helpers shared by every app's pages (input parsing only: rules live in services)."""

from django import forms


class BootstrapForm(forms.Form):
    """Adds Bootstrap classes to the widgets and `is-invalid` to fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            w = field.widget
            if isinstance(w, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(w, forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = ""
            elif isinstance(w, forms.Select | forms.SelectMultiple):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            if css:
                w.attrs["class"] = (w.attrs.get("class", "") + " " + css).strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                w = self.fields[name].widget
                w.attrs["class"] = (w.attrs.get("class", "") + " is-invalid").strip()

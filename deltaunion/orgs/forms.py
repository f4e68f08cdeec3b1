"""Form fields for choosing organisations."""

from django import forms


def org_label(o) -> str:
    """The organisation's name indented by its depth (a tree in a select)."""
    return "　" * max(0, o.depth - 1) + o.name


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return org_label(obj)


class OrganisationMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return org_label(obj)

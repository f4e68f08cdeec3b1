"""Audit action codes and their labels (no models here: app configs register at import)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Labels of actions that any model may take; "<model>.create" falls back on "create".
GENERIC_ACTIONS: dict[str, Promise] = {
    "create": gettext_lazy("created"),
    "update": gettext_lazy("changed"),
    "delete": gettext_lazy("deleted"),
    "import": gettext_lazy("imported"),
}
_ACTIONS: dict[str, str | Promise] = {}


def register_actions(labels: Mapping[str, str | Promise]) -> None:
    """Register action codes with their label (a verb phrase: "revealed the names")."""
    for code, label in labels.items():
        existing = _ACTIONS.get(code)
        if existing is not None and str(existing) != str(label):
            raise KeyError(f"audit action {code} registered twice with different labels")
        _ACTIONS[code] = label


def action_registered(code: str) -> bool:
    return code in _ACTIONS or code.rsplit(".", 1)[-1] in GENERIC_ACTIONS


def action_label(code: str) -> str:
    label = _ACTIONS.get(code) or GENERIC_ACTIONS.get(code.rsplit(".", 1)[-1])
    return str(label) if label is not None else _("made a change")


def registered_actions() -> dict[str, str | Promise]:
    return dict(_ACTIONS)

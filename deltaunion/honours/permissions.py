"""Who may do what in the honours app: every rule written once.

- A selection is run by the officers of its organiser's subtree (setup, checking nominations,
  disqualifying, answering objections, naming). Who submitted a nomination never checks it,
  and the chair who signed off a panel's review does not also name the honours (two people).
- A union with a quota nominates: the officers who manage the quota's union draft, submit and
  withdraw its nominations.
- The experts of a panel score the nominations of the panel's categories (never one they are
  conflicted with: a service check); ordinary experts see only their own score sheets until the
  chair signs the panel off; the chair sees the totals to decide flagged outliers and sign off.
- Studios, innovation results and exhibitions are managed by the officers of their union.
- A certificate is downloaded by its holder, the officers of the nominating union and the
  selection's organisers; anyone verifies it by its code.
What a user may *see* (404 otherwise) is scoping: `selectors.*_for_user_or_404`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from deltaunion.core.permissions import define, memo, predicate
from deltaunion.honours.models import Nomination, Panel, PanelMember, Quota, Review, Selection
from deltaunion.orgs.scoping import scope_for

# The attributes that lead from an object towards its selection, tried in this order.
_UP = ("selection", "category", "panel", "nomination", "member")


def selection_of(obj: Any) -> Selection | None:
    """The selection a selection, category, quota, panel, nomination, review, … belongs to."""
    for _step in range(6):
        if obj is None or isinstance(obj, Selection):
            return obj
        obj = next((getattr(obj, a) for a in _UP if hasattr(type(obj), a)), None)
    return None


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def seats(user: Any, selection_id: int | None) -> list[tuple[int, bool, frozenset[int]]]:
    """The user's seats on the panels of one selection: (panel id, is chair, category ids)."""
    if not _signed_in(user) or selection_id is None:
        return []

    def compute() -> list[tuple[int, bool, frozenset[int]]]:
        rows = PanelMember.objects.filter(user=user, panel__selection_id=selection_id).prefetch_related(
            "panel__categories"
        )
        return [(m.panel_id, m.is_chair, frozenset(c.pk for c in m.panel.categories.all())) for m in rows]

    return memo(user, ("honours.seats", selection_id), compute)


def _category_id(obj: Any) -> int | None:
    if isinstance(obj, Review):
        obj = obj.nomination
    return getattr(obj, "category_id", None) if isinstance(obj, Nomination) else None


def _seats_on(user: Any, obj: Any, *, chair: bool) -> bool:
    selection = selection_of(obj)
    if selection is None:
        return False
    mine = [s for s in seats(user, selection.pk) if s[1] or not chair]
    if isinstance(obj, Panel):
        return any(panel_id == obj.pk for panel_id, _c, _cats in mine)
    category = _category_id(obj)
    if category is not None:
        return any(category in cats for _p, _c, cats in mine)
    return bool(mine)


@predicate
def is_panel_member(user: Any, obj: Any) -> bool:
    """An expert on the panel (of a panel), on the panel reviewing the nomination's category (of
    a nomination or a score sheet), or on any panel of the selection (of a selection)."""
    return _seats_on(user, obj, chair=False)


@predicate
def chairs_panel(user: Any, obj: Any) -> bool:
    return _seats_on(user, obj, chair=True)


@predicate
def chairs_a_panel_of_the_selection(user: Any, obj: Any) -> bool:
    selection = selection_of(obj)
    return selection is not None and any(is_chair for _p, is_chair, _c in seats(user, selection.pk))


@predicate
def panel_signed_off(user: Any, panel: Any) -> bool:
    return isinstance(panel, Panel) and panel.signed_off_at is not None


@predicate
def holds_a_seat(user: Any) -> bool:
    """An expert on any panel: they get the experts' pages."""
    if not _signed_in(user):
        return False
    return memo(user, "honours.any_seat", lambda: PanelMember.objects.filter(user=user).exists())


@predicate
def manages_some_union(user: Any) -> bool:
    return scope_for(user).is_manager


@predicate
def manages_org(user: Any, organisation: Any = None) -> bool:
    """With no organisation: whether the user manages any (the pages); with one: that one."""
    scope = scope_for(user)
    return scope.is_manager if organisation is None else scope.manages(organisation)


@predicate
def manages_selection(user: Any, obj: Any) -> bool:
    """Officers of the organiser's subtree."""
    selection = selection_of(obj)
    return selection is not None and scope_for(user).manages(selection.lead_org)


@predicate
def nominates_for(user: Any, obj: Any) -> bool:
    """Officers of the nominating union: of a nomination's or a quota's union; for a selection,
    officers who manage a union with a quota on it."""
    scope = scope_for(user)
    if isinstance(obj, Selection):
        if not scope.is_manager:
            return False
        return memo(
            user,
            ("honours.nominates", obj.pk),
            lambda: Quota.objects.filter(selection=obj).filter(scope.org_q("organisation")).exists(),
        )
    return isinstance(obj, Nomination | Quota) and scope.manages(obj.organisation)


@predicate
def submitted_the_nomination(user: Any, nomination: Any) -> bool:
    return _signed_in(user) and getattr(nomination, "submitted_by_id", None) == user.pk


def _owner_org(obj: Any) -> Any:
    """The union of a studio, result or exhibition, or of the one a report, photo or item belongs to."""
    for _step in range(3):
        if obj is None:
            return None
        if hasattr(obj, "organisation_id"):
            return obj.organisation
        obj = next((getattr(obj, a) for a in ("exhibition", "studio", "result") if hasattr(type(obj), a)), None)
    return None


@predicate
def manages_owner(user: Any, obj: Any) -> bool:
    """Officers of the union a studio, result, exhibition (or a report, photo, … of one) belongs to."""
    return obj is not None and scope_for(user).manages(_owner_org(obj))


@predicate
def holds_the_honour(user: Any, award: Any) -> bool:
    worker = getattr(award, "worker", None)
    return _signed_in(user) and worker is not None and worker.user_id == user.pk


@predicate
def manages_nominating_union(user: Any, award: Any) -> bool:
    return award is not None and scope_for(user).manages(award.organisation)


# name, predicate, what a refused user reads.
PERMISSIONS = [
    ("honours.use_officer_pages", manages_some_union, _("These pages are for the officers of the unions")),
    ("honours.use_expert_pages", holds_a_seat, _("These pages are for the experts of the review panels")),
    ("honours.export", manages_some_union, _("Exports are for union officers")),
    (
        "honours.create_selection",
        manages_org,
        _("Only the officers of the organising union may set up its selections"),
    ),
    (
        "honours.manage_selection",
        manages_selection,
        _("Only the officers of the selection's organising union may do this"),
    ),
    (
        "honours.nominate",
        nominates_for,
        _("Only the officers of a union with nomination places on this selection may nominate"),
    ),
    (
        "honours.withdraw_nomination",
        nominates_for,
        _("Only the officers of the nominating union may withdraw the nomination"),
    ),
    (
        "honours.check_nomination",
        manages_selection & ~submitted_the_nomination,
        _("A nomination is checked by the selection's organisers, and never by the person who submitted it"),
    ),
    (
        "honours.score_nomination",
        is_panel_member,
        _("Only the experts of the panel reviewing this category may score it"),
    ),
    ("honours.chair_panel", chairs_panel, _("Only the panel's chair may do this")),
    (
        "honours.see_panel_scores",
        chairs_panel | (panel_signed_off & (is_panel_member | manages_selection)),
        _("The experts' scores are shown once the chair has signed the panel off"),
    ),
    (
        "honours.name_honours",
        manages_selection & ~chairs_a_panel_of_the_selection,
        _("The honours are named by the selection's organisers, and not by a chair who signed off the review"),
    ),
    (
        "honours.answer_objection",
        manages_selection,
        _("Only the selection's organisers may answer an objection"),
    ),
    ("honours.revoke_award", manages_selection, _("Only the selection's organisers may revoke an honour")),
    (
        "honours.download_certificate",
        holds_the_honour | manages_nominating_union | manages_selection,
        _("Only the holder, the officers of the nominating union and the organisers may download this certificate"),
    ),
    ("honours.add_studio", manages_org, _("Studios are registered by the officers of a union you manage")),
    ("honours.manage_studio", manages_owner, _("Only the officers of the studio's union may change it")),
    (
        "honours.import_reports",
        manages_org,
        _("Only the officers of the union may import its studios' reports"),
    ),
    ("honours.add_result", manages_org, _("Innovation results are registered by the officers of a union you manage")),
    ("honours.manage_result", manages_owner, _("Only the officers of the result's union may change it")),
    ("honours.add_exhibition", manages_org, _("Exhibitions are organised by the officers of a union you manage")),
    (
        "honours.manage_exhibition",
        manages_owner,
        _("Only the officers of the exhibition's organising union may change it"),
    ),
]
for _name, _predicate, _refusal in PERMISSIONS:
    define(_name, _predicate, refusal=_refusal)

"""Who may do what in online practice: banks, quizzes, the officers' pages, names on boards."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from deltaunion.core.permissions import can, define, predicate
from deltaunion.orgs.scoping import scope_for


@predicate
def manages_some_organisation(user: Any) -> bool:
    return scope_for(user).is_manager


@predicate
def manages_organisation(user: Any, organisation: Any) -> bool:
    return organisation is not None and scope_for(user).manages(organisation)


@predicate
def manages_bank(user: Any, bank: Any) -> bool:
    """A bank belongs to the officers of its owning union's subtree."""
    return bank is not None and scope_for(user).manages(bank.owner)


@predicate
def manages_quiz(user: Any, quiz: Any) -> bool:
    """A quiz is managed by the managers of its contest (the contest engine's rule)."""
    return quiz is not None and can(user, "contests.manage_contest", quiz.contest)


@predicate
def quiz_is_public(user: Any, quiz: Any) -> bool:
    return quiz is not None and quiz.is_public()


@predicate
def is_the_person(user: Any, person: Any) -> bool:
    """`person` is a user or a user id."""
    pk = getattr(person, "pk", person)
    return pk is not None and getattr(user, "pk", None) == pk


@predicate
def owns_entry(user: Any, entry: Any) -> bool:
    return entry is not None and entry.user_id == getattr(user, "pk", None)


def full_names_visible(viewer: Any, people: Iterable[int]) -> set[int]:
    """Those of `people` (user ids) whose full name `viewer` may read: `practice.see_full_name`
    decided once for a whole list (a board's rows) instead of once a person. The same rule as
    `is_the_person`; change both together (`test_full_names_visible_is_see_full_name` compares
    them)."""
    pk = getattr(viewer, "pk", None) if getattr(viewer, "is_authenticated", False) else None
    if pk is None:
        return set()
    return {pk} if pk in set(people) else set()


# Seeing a quiz, its board and sitting it (`view_quiz`) is one rule for pages, the API and the
# services. A participant's full name (on boards, in lists of others) is for the person
# themselves (`see_full_name`, and `full_names_visible` for a list); everyone else reads it
# masked (core.privacy.mask_name).
PERMISSIONS = [
    ("practice.use_officer_pages", manages_some_organisation, _("These pages are for the officers of the unions")),
    ("practice.add_bank", manages_organisation, _("A bank belongs to a union you manage")),
    ("practice.manage_bank", manages_bank, _("Only the officers of the bank's union may change it")),
    (
        "practice.manage_quiz",
        manages_quiz,
        _("Only the contest's organisers and the officers of its lead union may change the quiz"),
    ),
    ("practice.view_quiz", quiz_is_public | manages_quiz, _("This quiz is not open to you")),
    ("practice.see_full_name", is_the_person, _("Other people's names are shown masked")),
    ("practice.remove_wrong_answer", owns_entry, _("Only you may change your wrong-answer book")),
]
for name, rule, refusal in PERMISSIONS:
    define(name, rule, refusal=refusal)

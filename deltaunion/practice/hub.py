"""What other apps add to the practice home page and to the officers' overview: a card is a
template and the context it is rendered with for one user. Points campaigns add theirs
(campaigns/apps.py); practice itself does not import them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Card:
    template: str
    context: Callable[[Any], dict[str, Any]]


_CARDS: dict[str, list[Card]] = {"home": [], "overview": []}


def add_card(page: str, card: Card) -> None:
    """`page` is "home" (the workers' practice home) or "overview" (the officers' overview)."""
    if card not in _CARDS[page]:
        _CARDS[page].append(card)


def cards(page: str, user: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(card.template, card.context(user)) for card in _CARDS[page]]

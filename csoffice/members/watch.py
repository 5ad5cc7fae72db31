"""What a member form saw of its card when it opened, to tell whether another desk changed the
card before the form is submitted (another desk's earn, redemption, loss report or level
change): the card's status, level, balance and expiry, and who touched it last."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from csoffice.conflicts import FieldDiff, compare
from csoffice.db.models import CardEvent, MemberCard, PointsEntry, Staff
from csoffice.i18n import N_, _
from csoffice.members.cards import card_view
from csoffice.members.finding import find_card

# The card's values a member form shows or acts on, by their label.
FIELDS = {
    "status": N_("Status"),
    "level": N_("Level"),
    "balance": N_("Balance"),
    "expires_on": N_("Valid until"),
}


@dataclass(frozen=True)
class CardState:
    card_id: int
    values: dict[str, Any]
    by: str  # who made the card's latest step or points entry
    at: dt.datetime | None


def card_state(card_no: str) -> CardState:
    return _state(find_card(card_no))


def _state(card: MemberCard) -> CardState:
    view = card_view(card.id)
    last = [
        (row.at, row.staff_id)
        for model in (CardEvent, PointsEntry)
        for row in model.select(model.at, model.staff)
        .where(model.card == card.id)
        .order_by(model.at.desc(), model.id.desc())
        .limit(1)
    ]
    at, staff_id = max(last, key=lambda pair: pair[0]) if last else (None, None)
    staff = Staff.get_or_none(Staff.id == staff_id) if staff_id is not None else None
    values = {
        "status": view.status_label,
        "level": view.level_name,
        "balance": view.balance,
        "expires_on": view.expires_on,
    }
    return CardState(card.id, values, staff.display_name if staff else "?", at)


def changed_since(seen: CardState) -> tuple[CardState, list[FieldDiff]]:
    """The card now, and what changed on it since ``seen`` (a form changes none of these
    itself, so every difference is the other desk's)."""
    now = _state(MemberCard.get_by_id(seen.card_id))
    return now, compare(seen.values, now.values, seen.values)


def label(name: str) -> str:
    return _(FIELDS.get(name, name))

"""Finding a card by its number or its holder, and saying why a card may not move points."""

from __future__ import annotations

from csoffice.db.lookup import get_or_not_found
from csoffice.db.models import (
    Customer,
    MemberCard,
)
from csoffice.errors import Conflict, NotFound
from csoffice.i18n import _
from csoffice.members.codes import CURRENT_STATUSES
from csoffice.members.numbers import normalize_card_no


def find_card(card_no: str) -> MemberCard:
    """The card with this number, whatever its state; NotFound otherwise."""
    number = normalize_card_no(card_no)
    card = MemberCard.get_or_none(MemberCard.card_no == number) if number else None
    if card is None:
        raise NotFound(_("No member card with number {number}.").format(number=card_no))
    return card


def _customer(customer_id: int) -> Customer:
    return get_or_not_found(
        Customer,
        _("No customer with number {id}.").format(id=customer_id),
        Customer.id == customer_id,
    )


def current_card(customer_id: int) -> MemberCard | None:
    """The customer's active or lost card, if any."""
    return (
        MemberCard.select()
        .where(MemberCard.customer == customer_id, MemberCard.status.in_(CURRENT_STATUSES))
        .first()
    )


def latest_card(customer_id: int) -> MemberCard | None:
    """The current card, or else the customer's most recent one."""
    return current_card(customer_id) or (
        MemberCard.select()
        .where(MemberCard.customer == customer_id)
        .order_by(MemberCard.id.desc())
        .first()
    )


def _successor_no(card: MemberCard) -> str:
    """The number of the card that replaced ``card`` ("" when none did)."""
    successor = MemberCard.get_or_none(MemberCard.replaces == card.id)
    return successor.card_no if successor else ""


def _usable(card: MemberCard, for_what: str = "points") -> None:
    """Refuse points movements on a card that is not active, saying why."""
    if card.status == "active":
        return
    if card.status == "lost":
        raise Conflict(
            _("Card {number} is reported lost; nothing may be earned or redeemed on it.").format(
                number=card.card_no
            )
        )
    if card.status == "replaced":
        raise Conflict(
            _("Card {number} was replaced by {new} and is no longer valid.").format(
                number=card.card_no, new=_successor_no(card) or "?"
            )
        )
    raise Conflict(_("Card {number} is cancelled.").format(number=card.card_no))

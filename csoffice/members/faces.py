"""What the printed member card and the gift handover slip show, gathered from the records."""

from __future__ import annotations

from peewee import fn

from csoffice.db.models import PointsEntry
from csoffice.errors import Conflict
from csoffice.i18n import _
from csoffice.members.codes import status_label
from csoffice.members.finding import find_card
from csoffice.members.gifts import _redemption
from csoffice.printing.member_card_data import CardFace, HandoverSlip


def handover_slip(redemption_id: int) -> HandoverSlip:
    redemption = _redemption(redemption_id)
    card = redemption.card
    entry = redemption.entry
    after = (
        PointsEntry.select(fn.COALESCE(fn.SUM(PointsEntry.points), 0))
        .where(PointsEntry.card == card.id, PointsEntry.id <= entry.id)
        .scalar()
        if entry is not None
        else card.balance
    )
    return HandoverSlip(
        redemption_id=redemption.id,
        at=redemption.created_at,
        card_no=card.card_no,
        member_name=card.customer.name,
        member_mobile=card.customer.mobile,
        level_name=card.level.name if card.level is not None else "",
        gift_name=redemption.gift.name,
        quantity=redemption.quantity,
        points=redemption.points,
        balance_after=int(after or 0),
        clerk=redemption.created_by.display_name if redemption.created_by is not None else "",
        status=redemption.status,
    )


def card_face(card_no: str) -> CardFace:
    """The printable face of a valid card (a lost, replaced or cancelled card is not printed)."""
    card = find_card(card_no)
    if card.status != "active":
        raise Conflict(
            _("Card {number} is {status}; only an active card is printed.").format(
                number=card.card_no, status=status_label(card.status)
            )
        )
    return CardFace(
        card.card_no,
        card.customer.name,
        card.level.name if card.level is not None else "",
        card.issued_on,
        card.expires_on,
    )

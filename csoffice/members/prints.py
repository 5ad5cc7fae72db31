"""Printing the member card and the gift handover slip: the data, the permission, the file and
the audit row; ``csoffice.printing.member_card`` only draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from peewee import fn

from csoffice import audit, auth, files, settings
from csoffice.db.database import db
from csoffice.db.models import PointsEntry, Staff
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import _
from csoffice.members.codes import status_label
from csoffice.members.finding import find_card
from csoffice.members.gifts import _redemption
from csoffice.printing.member_card import (
    CardFace,
    HandoverSlip,
    card_pdf,
    card_sheet_pdf,
    handover_slip_pdf,
)


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
        level_name=card.level.name if card.level_id else "",
        gift_name=redemption.gift.name,
        quantity=redemption.quantity,
        points=redemption.points,
        balance_after=int(after or 0),
        clerk=redemption.created_by.display_name if redemption.created_by_id else "",
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
        card.level.name if card.level_id else "",
        card.issued_on,
        card.expires_on,
    )


def print_card(actor: Staff, card_numbers: Sequence[str], out: Path) -> Path:
    """Print one card on its own CR80 page, or several on an A4 sheet; audited."""
    auth.require(actor, "print")
    if not card_numbers:
        raise ValidationError.single("card_no", _("Give a card number."))
    faces = [card_face(number) for number in card_numbers]
    office = settings.office()
    pdf = card_pdf(faces[0], office) if len(faces) == 1 else card_sheet_pdf(faces, office)
    with db.atomic():
        files.write_atomically(out, pdf)
        for number in card_numbers:
            card = find_card(number)
            audit.record(actor, "print", "member_card", card.id, summary=card.card_no)
    return Path(out)


def print_handover_slip(actor: Staff, redemption_id: int, out: Path) -> Path:
    """Print the gift handover slip of a redemption (积分换礼领取单); audited."""
    auth.require(actor, "print")
    slip = handover_slip(redemption_id)
    pdf = handover_slip_pdf(slip, settings.office())
    with db.atomic():
        files.write_atomically(out, pdf)
        audit.record(actor, "print", "redemption", redemption_id, summary=slip.gift_name)
    return Path(out)


def print_command(actor: Staff, args: list[str], out: Path) -> None:
    """``python -m csoffice print card CARDNO [CARDNO…] --out FILE.pdf``."""
    print_card(actor, args, Path(out))

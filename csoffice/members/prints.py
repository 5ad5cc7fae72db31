"""Printing the member card and the gift handover slip: the permission, the data, the file and
the audit row; ``csoffice.printing.member_card`` only draws. Not imported by the package's
``__init__``: callers import it when they print, so opening the desk does not load reportlab.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from csoffice import auth, settings
from csoffice.db.models import Staff
from csoffice.documents import save_printed, save_printed_many
from csoffice.errors import ValidationError
from csoffice.i18n import _
from csoffice.members.faces import card_face, handover_slip
from csoffice.members.finding import find_card
from csoffice.printing.member_card import card_pdf, card_sheet_pdf, handover_slip_pdf


def print_card(actor: Staff, card_numbers: Sequence[str], out: Path) -> Path:
    """Print one card on its own CR80 page, or several on an A4 sheet; audited."""
    auth.require(actor, "print")
    if not card_numbers:
        raise ValidationError.single("card_no", _("Give a card number."))
    faces = [card_face(number) for number in card_numbers]
    office = settings.office()
    pdf = card_pdf(faces[0], office) if len(faces) == 1 else card_sheet_pdf(faces, office)
    cards = [find_card(number) for number in card_numbers]
    return save_printed_many(
        actor, out, pdf, "member_card", [(card.id, card.card_no) for card in cards]
    )


def print_handover_slip(actor: Staff, redemption_id: int, out: Path) -> Path:
    """Print the gift handover slip of a redemption (积分换礼领取单); audited."""
    auth.require(actor, "print")
    slip = handover_slip(redemption_id)
    pdf = handover_slip_pdf(slip, settings.office())
    return save_printed(actor, out, pdf, "redemption", redemption_id, slip.gift_name)


def print_command(actor: Staff, args: list[str], out: Path) -> None:
    """``python -m csoffice print card CARDNO [CARDNO…] --out FILE.pdf``."""
    print_card(actor, args, Path(out))

"""What the member card and the gift handover slip print, as plain values: the domain
(``csoffice.members.faces``) fills them in, ``csoffice.printing.member_card`` draws them. Kept
apart from the drawing so that the domain can build them without loading reportlab."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class CardFace:
    """What the printed card shows."""

    card_no: str
    member_name: str
    level_name: str
    issued_on: dt.date
    expires_on: dt.date | None


@dataclass(frozen=True)
class HandoverSlip:
    """What the gift handover slip prints."""

    redemption_id: int
    at: dt.datetime
    card_no: str
    member_name: str
    member_mobile: str
    level_name: str
    gift_name: str
    quantity: int
    points: int
    balance_after: int
    clerk: str
    status: str

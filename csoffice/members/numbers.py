"""Card numbers (会员卡号): the office's prefix, a running number and a Luhn check digit."""

from __future__ import annotations

from csoffice import settings
from csoffice.db import counters
from csoffice.db.models import (
    MemberCard,
)
from csoffice.errors import ValidationError
from csoffice.i18n import _
from csoffice.validation import luhn_digit, luhn_valid, to_halfwidth


def normalize_card_no(text: str) -> str:
    """A card number as typed or scanned: full-width digits, spaces and dashes tolerated."""
    return "".join(ch for ch in to_halfwidth(text or "") if ch.isalnum()).upper()


CARD_COUNTER = "member_card"


def _next_card_no() -> str:
    """The next card number: prefix, running number, Luhn check digit (inside a transaction)."""
    prefix = normalize_card_no(str(settings.get("members.card_prefix") or ""))
    if not prefix.isdigit():
        raise ValidationError.single(
            "members.card_prefix", _("The card number prefix must be digits.")
        )
    width = int(settings.get("members.card_digits") or 6)
    while True:
        value = counters.next_value(CARD_COUNTER)
        body = f"{prefix}{value:0{width}d}"
        number = body + luhn_digit(body)
        # A prefix changed back and forth could meet an old number; never hand it out twice.
        if not MemberCard.select().where(MemberCard.card_no == number).exists():
            return number


def card_no_is_valid(text: str) -> bool:
    """Whether ``text`` could be one of our card numbers (its check digit is right)."""
    return luhn_valid(normalize_card_no(text))

"""Checks of what clerks type: phones, resident IDs, credit codes, e-mail, card check digits.

Each ``check_*`` returns the normalised value or raises ValidationError for its field.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from operator import mul

from csoffice.errors import ValidationError
from csoffice.i18n import _

_PHONE_JUNK = re.compile(r"[\s\-–—()（）.·/]")


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and signs (１３８，＋) as their ordinary forms."""
    return unicodedata.normalize("NFKC", text)


def clean_text(value: str | None, multiline: bool = False) -> str:
    """Typed or imported text as stored: NUL characters dropped, ends trimmed, and on a
    one-line field every run of whitespace (tabs, line breaks) one space."""
    text = (value or "").replace("\x00", "")
    return text.strip() if multiline else " ".join(text.split())


def normalize_phone(raw: str) -> str:
    """Digits of a Chinese phone number without separators or the +86/0086 prefix."""
    text = _PHONE_JUNK.sub("", to_halfwidth(raw or "").strip())
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13 and text[2] == "1":
        text = text[2:]
    return text


def phone_is_valid(digits: str, area_code: str = "") -> bool:
    """The one phone rule of the desk, the forms and every importer: a number phonenumbers
    accepts as a Chinese mobile (11 digits), a landline with its area code (or a 400/800
    service number), or a local 7–8 digit number when the office's own ``area_code`` is set."""
    return phone_number(digits, area_code) is not None


def phone_number(digits: str, area_code: str = "") -> str | None:
    """``digits`` (from normalize_phone) as stored — a local number with the office's area
    code in front — or None when it is not a phone number."""
    if not (digits.isascii() and digits.isdigit()):  # "١٣٨…" is isdigit() too
        return None
    if len(digits) == 11 and digits.startswith("1"):
        return digits if _mobile_block_valid(digits[:5]) else None
    if 7 <= len(digits) <= 8 and not digits.startswith("0"):
        # A local number means nothing to anyone outside the office's city.
        return phone_number(area_code + digits) if area_code else None
    if not (digits[:1] in "048" and 10 <= len(digits) <= 12):
        return None
    import phonenumbers  # loaded on the first check, not when the app starts

    try:
        parsed = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    kind = phonenumbers.number_type(parsed)
    fixed = (
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.SHARED_COST,
    )
    return digits if kind in fixed else None


@lru_cache(maxsize=4096)
def _mobile_block_valid(prefix: str) -> bool:
    # Chinese mobile validity depends only on the first five digits (the carriers' blocks in
    # libphonenumber's metadata), so one check per block serves every number in it.
    import phonenumbers

    try:
        parsed = phonenumbers.parse(prefix + "000000", "CN")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) and phonenumbers.number_type(parsed) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def check_area_code(raw: str, field: str = "office.area_code") -> str:
    """An area code such as 010, 021 or 0755 ('' when left empty)."""
    code = normalize_phone(raw)
    if code and not re.fullmatch(r"0[1-9]\d{1,2}", code):
        raise ValidationError.single(
            field, _("An area code has 3 or 4 digits and starts with 0, like 010 or 0755.")
        )
    return code


def check_phone(raw: str, field: str = "phone", required: bool = False, area_code: str = "") -> str:
    """The normalised phone, '' when left empty and not required."""
    digits = normalize_phone(raw)
    if not digits:
        if required:
            raise ValidationError.single(field, _("Enter a phone number."))
        return ""
    number = phone_number(digits, area_code)
    if number is None:
        if 7 <= len(digits) <= 8 and digits.isdigit() and not area_code:
            raise ValidationError.single(
                field,
                _(
                    "“{value}” has no area code: type it with the area code, like 0755-12345678 (or set the office's area code in the settings)."
                ).format(value=raw.strip()),
            )
        raise ValidationError.single(
            field,
            _(
                "“{value}” is not a valid phone number: a mobile has 11 digits starting with 1, a landline starts with its area code."
            ).format(value=raw.strip()),
        )
    return number


def mask_phone(digits: str) -> str:
    """138****5678: enough to recognise a number without disclosing it."""
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return digits


_RIC_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_RIC_CHECK = "10X98765432"


@dataclass(frozen=True)
class ResidentId:
    """What an 18-digit resident ID number says of its holder."""

    number: str
    birthday: dt.date
    gender: str  # "M" or "F"


def resident_check_digit(body: str) -> str:
    """The MOD 11-2 check digit (GB 11643) of a resident ID's first 17 digits."""
    return _RIC_CHECK[sum(map(mul, map(int, body[:17]), _RIC_WEIGHTS)) % 11]


def resident_check_digit_ok(number: str) -> bool:
    """Whether an 18-character resident ID's last character is its MOD 11-2 check digit."""
    return len(number) >= 17 and resident_check_digit(number) == number[17:18]


def parse_resident_id(
    raw: str, field: str = "id_number", today: dt.date | None = None
) -> ResidentId:
    """Check a resident ID by its MOD 11-2 check digit and birth date.

    The area code is deliberately not checked: codes are renamed and merged over the years
    and a person keeps the number they were given.
    """
    number = to_halfwidth(raw or "").strip().replace(" ", "").upper()
    if not re.fullmatch(r"\d{17}[\dX]", number, flags=re.ASCII):
        raise ValidationError.single(
            field, _("A resident ID has 18 characters: 17 digits and a digit or X.")
        )
    if resident_check_digit(number) != number[17]:
        raise ValidationError.single(
            field, _("The resident ID's check digit is wrong; look for a mistyped digit.")
        )
    try:
        birthday = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError.single(
            field, _("The resident ID does not hold a real birth date.")
        ) from None
    today = today or dt.date.today()
    if birthday > today or birthday.year < 1900:
        raise ValidationError.single(field, _("The resident ID does not hold a real birth date."))
    return ResidentId(number, birthday, "M" if int(number[16]) % 2 else "F")


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def check_credit_code(raw: str, field: str = "id_number") -> str:
    """A company's unified social credit code (GB 32100-2015), checked by its check character."""
    code = to_halfwidth(raw or "").strip().replace(" ", "").upper()
    if len(code) != 18 or any(ch not in _USCC_CHARS for ch in code):
        raise ValidationError.single(
            field,
            _(
                "A unified social credit code has 18 characters: digits and capital letters except I, O, S, V, Z."
            ),
        )
    total = sum(
        _USCC_CHARS.index(ch) * weight for ch, weight in zip(code[:17], _USCC_WEIGHTS, strict=True)
    )
    expected = _USCC_CHARS[(31 - total % 31) % 31]
    if code[17] != expected:
        raise ValidationError.single(
            field, _("The credit code's check character is wrong; look for a mistyped character.")
        )
    return code


def mask_id(number: str) -> str:
    """110101********1234: the area and the last four stay readable."""
    if len(number) > 10:
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    return number


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_email(raw: str, field: str = "email") -> str:
    text = to_halfwidth(raw or "").strip()
    if text and not _EMAIL.match(text):
        raise ValidationError.single(
            field, _("“{value}” is not an e-mail address.").format(value=text)
        )
    return text


def luhn_digit(digits: str) -> str:
    """The Luhn check digit to append to ``digits``."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    # isascii: "²" and "١" are digits to str.isdigit() too (found by the fuzzer).
    return (
        number.isascii()
        and number.isdigit()
        and len(number) > 1
        and luhn_digit(number[:-1]) == number[-1]
    )

"""The office's rules that the settings pages edit — complaint deadlines and numbering, member
cards and points, reminder months, survey questions — checked as the manager typed them and
stored together or not at all.

``check(values)`` returns the values as they would be stored, or raises one ValidationError
keyed by setting (and part: "complaints.deadlines.major.resolve", "visits.questions.3dc.1")
so a page can put each message next to its field; ``save(actor, values)`` checks, then stores
only what changed, in one audited transaction (settings.put)."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from csoffice import settings, survey
from csoffice.complaints.codes import PAGE_SIZES, SEVERITIES
from csoffice.db.database import db
from csoffice.db.models import Staff
from csoffice.errors import ValidationError
from csoffice.i18n import _
from csoffice.permissions import require

MAX_DEADLINE_HOURS = 24 * 90
NUMBER_MAX = 32  # Complaint.number's column
CARD_MAX = 32  # MemberCard.card_no's column
REMINDER_KINDS = ("maintenance", "inspection", "insurance")
MAX_REMINDER_MONTHS = 120
MAX_TODAY_DAYS = 90
MAX_MONEY = Decimal("100000")
_MONEY = re.compile(r"[0-9]{1,6}(\.[0-9]{1,2})?")

COMPLAINT_KEYS = ["complaints.deadlines", "complaints.number_format", "complaints.slip_page_size"]
MEMBER_KEYS = [
    "members.card_prefix",
    "members.card_digits",
    "members.card_valid_years",
    "members.yuan_per_point",
    "members.points_expiry_months",
    "members.birthday_first_day",
    "members.birthday_last_day",
    "members.birthday_bonus",
    "members.cancel_policy",
    "members.refund_yuan_per_point",
    "members.enrol_fee",
    "members.reissue_fee",
]
REMINDER_KEYS = ["reminders.months", "today.reminder_days", "today.reminder_days_past"]
CANCEL_POLICIES = ("forfeit", "refund")


def _whole(value: Any, low: int, high: int) -> int | None:
    """``value`` as a whole number in [low, high], else None."""
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _range_message(low: int, high: int) -> str:
    return _("Enter a whole number from {low} to {high}.").format(low=low, high=high)


def _money(value: Any, allow_zero: bool) -> str | None:
    """A sum of money as typed ("10", "0.5", "1,000") as stored text; None if not one."""
    text = str(value).strip().replace(",", "")
    if not _MONEY.fullmatch(text):
        return None
    amount = Decimal(text)
    if amount > MAX_MONEY or (amount == 0 and not allow_zero):
        return None
    return text


# --- Complaints --------------------------------------------------------------------------------


def _deadlines(value: Any, errors: dict[str, str]) -> dict[str, list[int]]:
    """Each severity's hours to respond and to resolve: whole hours, the resolution not before
    the response."""
    value = value if isinstance(value, dict) else {}
    clean: dict[str, list[int]] = {}
    for severity in SEVERITIES:
        pair = value.get(severity)
        pair = pair if isinstance(pair, list | tuple) and len(pair) == 2 else ("", "")
        key = f"complaints.deadlines.{severity}"
        response = _whole(pair[0], 1, MAX_DEADLINE_HOURS)
        resolve = _whole(pair[1], 1, MAX_DEADLINE_HOURS)
        if response is None:
            errors[f"{key}.response"] = _range_message(1, MAX_DEADLINE_HOURS)
        if resolve is None:
            errors[f"{key}.resolve"] = _range_message(1, MAX_DEADLINE_HOURS)
        elif response is not None and resolve < response:
            errors[f"{key}.resolve"] = _(
                "The resolution cannot be due before the first response ({hours} hours)."
            ).format(hours=response)
        clean[severity] = [response or 0, resolve or 0]
    return clean


def number_preview(fmt: str, year: int, month: int, seq: int) -> str:
    """The complaint number ``fmt`` gives (ValueError with the reason when it cannot)."""
    try:
        fields = {name for _text, name, _spec, _conv in string.Formatter().parse(fmt) if name}
        text = fmt.format(year=year, month=month, seq=seq)
    except (KeyError, ValueError, IndexError, AttributeError, TypeError) as exc:
        raise ValueError(_("This format cannot be applied: {problem}").format(problem=exc)) from exc
    for needed in ("year", "month", "seq"):
        if needed not in fields:
            raise ValueError(
                _(
                    "The format needs {{year}}, {{month}} and {{seq}}: numbers restart every "
                    "month, so without them a number would come twice."
                ).format()
            )
    return text


def _number_format(value: Any, errors: dict[str, str]) -> str:
    fmt = str(value or "").strip()
    key = "complaints.number_format"
    if not fmt:
        errors[key] = _("Enter the number's format, e.g. TS-{year:04d}{month:02d}-{seq:04d}.")
        return fmt
    try:
        longest = number_preview(fmt, 2099, 12, 9999)
        if number_preview(fmt, 2099, 12, 1) == number_preview(fmt, 2099, 12, 2):
            raise ValueError(_("The running number does not show in this format."))
    except ValueError as exc:
        errors[key] = str(exc)
        return fmt
    if len(longest) > NUMBER_MAX:
        errors[key] = _("A number may have at most {n} characters: {example} is too long.").format(
            n=NUMBER_MAX, example=longest
        )
    return fmt


def _page_size(value: Any, errors: dict[str, str]) -> str:
    if value not in PAGE_SIZES:
        errors["complaints.slip_page_size"] = _("Choose A4 or A5.")
    return str(value)


# --- Member cards and points ---------------------------------------------------------------


def _members(values: dict[str, Any], out: dict[str, Any], errors: dict[str, str]) -> None:
    def whole(key: str, low: int, high: int) -> None:
        if key in values:
            number = _whole(values[key], low, high)
            if number is None:
                errors[key] = _range_message(low, high)
            out[key] = number if number is not None else values[key]

    def money(key: str, allow_zero: bool) -> None:
        if key in values:
            amount = _money(values[key], allow_zero)
            if amount is None:
                errors[key] = (
                    _("Enter an amount in yuan from 0 to 100,000, e.g. 10 or 0.50.")
                    if allow_zero
                    else _("Enter an amount in yuan above 0, e.g. 10 or 0.50.")
                )
            out[key] = amount if amount is not None else values[key]

    if "members.card_prefix" in values:
        prefix = str(values["members.card_prefix"] or "").strip()
        if not prefix.isascii() or not prefix.isdigit() or len(prefix) > 12:
            errors["members.card_prefix"] = _("The card number prefix must be 1 to 12 digits.")
        out["members.card_prefix"] = prefix
    whole("members.card_digits", 3, 12)
    whole("members.card_valid_years", 0, 50)
    money("members.yuan_per_point", False)
    whole("members.points_expiry_months", 0, 240)
    whole("members.birthday_first_day", 0, 60)
    whole("members.birthday_last_day", 0, 60)
    whole("members.birthday_bonus", 0, 100_000)
    money("members.refund_yuan_per_point", True)
    money("members.enrol_fee", True)
    money("members.reissue_fee", True)
    if "members.cancel_policy" in values and values["members.cancel_policy"] not in CANCEL_POLICIES:
        errors["members.cancel_policy"] = _("Choose what happens to the points.")
    first = out.get("members.birthday_first_day")
    last = out.get("members.birthday_last_day")
    if (
        isinstance(first, int)
        and isinstance(last, int)
        and "members.birthday_first_day" not in errors
        and "members.birthday_last_day" not in errors
        and last < first
    ):
        errors["members.birthday_last_day"] = _(
            "The last day cannot come before the first ({days} days ahead)."
        ).format(days=first)
    prefix = out.get("members.card_prefix", "")
    digits = out.get("members.card_digits")
    if (
        isinstance(digits, int)
        and "members.card_prefix" in out
        and "members.card_prefix" not in errors
        and len(prefix) + digits + 1 > CARD_MAX
    ):
        errors["members.card_digits"] = _(
            "A card number may have at most {n} digits with the prefix and check digit."
        ).format(n=CARD_MAX)


# --- Reminders ----------------------------------------------------------------------------------


def _reminder_months(value: Any, errors: dict[str, str]) -> dict[str, int]:
    value = value if isinstance(value, dict) else {}
    clean = {}
    for kind in REMINDER_KINDS:
        number = _whole(value.get(kind, 0), 0, MAX_REMINDER_MONTHS)
        if number is None:
            errors[f"reminders.months.{kind}"] = _range_message(0, MAX_REMINDER_MONTHS)
        clean[kind] = number or 0
    return clean


# --- All of them ---------------------------------------------------------------------------------


def _questions(value: Any, errors: dict[str, str]) -> Any:
    try:
        return survey.check_questions(value)
    except ValidationError as exc:
        errors.update({f"visits.questions.{key}": text for key, text in exc.errors.items()})
        return value


_CHECKS: dict[str, Callable[[Any, dict[str, str]], Any]] = {
    "complaints.deadlines": _deadlines,
    "complaints.number_format": _number_format,
    "complaints.slip_page_size": _page_size,
    "reminders.months": _reminder_months,
    "visits.questions": _questions,
}


def check(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` as they would be stored; ValidationError with every problem otherwise."""
    unknown = [key for key in values if key not in settings.DEFAULTS]
    if unknown:
        raise ValidationError({key: _("Unknown setting.") for key in unknown})
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in _CHECKS:
            out[key] = _CHECKS[key](value, errors)
        elif key in ("today.reminder_days", "today.reminder_days_past"):
            number = _whole(value, 0, MAX_TODAY_DAYS)
            if number is None:
                errors[key] = _range_message(0, MAX_TODAY_DAYS)
            out[key] = number
        elif key not in MEMBER_KEYS:
            out[key] = value
    _members(values, out, errors)
    if errors:
        raise ValidationError(errors)
    return out


@contextmanager
def all_or_nothing() -> Iterator[Callable[[], None]]:
    """One transaction for the saves of several settings pages: the function it gives undoes
    every save made in it so far (a later page refused), so the office keeps all or none."""
    with db.atomic() as transaction:
        yield transaction.rollback


def save(actor: Staff, values: dict[str, Any]) -> list[str]:
    """Check ``values`` and store those that differ from what is stored (manager; one audited
    transaction); nothing is stored when any is refused. Returns the keys stored."""
    require(actor, "change_settings")
    clean = check(values)
    stored = settings.get_many(list(clean))
    changed = {key: value for key, value in clean.items() if value != stored[key]}
    if changed:
        settings.put(actor, changed)
    return sorted(changed)

"""What the quick-entry form hands in and its cleaning; the handlers it offers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from csoffice import settings
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Customer, Reception, Staff, now
from csoffice.errors import ValidationError
from csoffice.i18n import _
from csoffice.receptions.codes import CALLER_KINDS, DIRECTIONS, categories, channels
from csoffice.validation import check_phone, clean_text

_MAX = {
    "caller_name": 100,
    "caller_company": 120,
    "content": 4000,
    "outcome": 4000,
    "void_reason": 200,
}


# A clock a few minutes fast on another desk is no reason to refuse a call.
_FUTURE_TOLERANCE = dt.timedelta(minutes=10)


@dataclass
class ReceptionInput:
    """What the quick-entry form hands in; ``received_at`` None means now."""

    channel: str = "phone"
    category: str = "consult"
    direction: str = "in"
    caller_name: str = ""
    caller_phone: str = ""
    caller_company: str = ""
    caller_kind: str = "customer"
    customer_id: int | None = None
    content: str = ""
    outcome: str = ""
    handler_id: int | None = None
    followup_needed: bool = False
    followup_due: dt.date | None = None
    received_at: dt.datetime | None = None


AUDITED_FIELDS = [
    "received_at",
    "channel",
    "direction",
    "caller_name",
    "caller_phone",
    "caller_company",
    "caller_kind",
    "customer",
    "category",
    "content",
    "handler",
    "outcome",
    "followup_needed",
    "followup_due",
]


def clean(
    data: ReceptionInput, actor: Staff, allowed_codes: tuple[str, str] = ("", "")
) -> dict[str, Any]:
    """Validate and normalise ``data`` into column values; ValidationError names every problem.

    ``allowed_codes`` lets an edit keep a channel and category that the office has since
    switched off.
    """
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in ("caller_name", "caller_company", "content", "outcome"):
        value = clean_text(getattr(data, name), multiline=name in ("content", "outcome"))
        if len(value) > _MAX[name]:
            errors[name] = _("At most {n} characters.").format(n=_MAX[name])
        out[name] = value
    channel_codes = {code for code, _label in channels()} | {allowed_codes[0]} - {""}
    if data.channel not in channel_codes:
        errors["channel"] = _("Choose a channel from the list.")
    out["channel"] = data.channel
    category_codes = {code for code, _label in categories()} | {allowed_codes[1]} - {""}
    if data.category not in category_codes:
        errors["category"] = _("Choose a category from the list.")
    out["category"] = data.category
    out["direction"] = (
        data.direction if data.channel == "phone" and data.direction in DIRECTIONS else "in"
    )
    out["caller_kind"] = data.caller_kind if data.caller_kind in CALLER_KINDS else "other"
    try:
        out["caller_phone"] = check_phone(
            data.caller_phone, field="caller_phone", area_code=settings.area_code()
        )
    except ValidationError as exc:
        errors.update(exc.errors)
        out["caller_phone"] = ""
    customer = None
    if data.customer_id is not None:
        customer = Customer.get_or_none(Customer.id == data.customer_id)
        if customer is None or customer.status == "merged":
            errors["customer"] = _("This customer file no longer exists; choose it again.")
    out["customer"] = customer.id if customer is not None else None
    if customer is not None and not out["caller_name"]:
        out["caller_name"] = customer.name
    if not out["caller_name"] and not out["caller_phone"]:
        errors["caller_name"] = _("Enter the caller's name or phone number.")
    handler = actor
    if data.handler_id is not None and data.handler_id != actor.id:
        handler = Staff.get_or_none(Staff.id == data.handler_id)
        if handler is None or not handler.active:
            errors["handler"] = _("Choose an active staff member as handler.")
            handler = actor
    out["handler"] = handler.id
    received = data.received_at or now()
    received = received.replace(microsecond=0)
    if received > now() + _FUTURE_TOLERANCE:
        errors["received_at"] = _("The time cannot be in the future.")
    out["received_at"] = received
    out["followup_needed"] = bool(data.followup_needed)
    due = data.followup_due if data.followup_needed else None
    if data.followup_needed and due is None:
        due = received.date() + dt.timedelta(days=int(settings.get("reception.followup_days")))
    if due is not None and due < received.date():
        errors["followup_due"] = _("A follow-up cannot be due before the call.")
    out["followup_due"] = due
    if errors:
        raise ValidationError(errors)
    return out


def handlers() -> list[tuple[int, str]]:
    """Who can take a call: the active manager and clerks, (id, name)."""
    query = (
        Staff.select(Staff.id, Staff.display_name)
        .where(Staff.active == True, Staff.role.in_(["manager", "clerk"]))
        .order_by(Staff.display_name)
    )
    return [(staff_id, name) for staff_id, name in tuples_of(query)]


def to_input(reception: Reception) -> ReceptionInput:
    """The form's view of a stored reception."""
    return ReceptionInput(
        channel=reception.channel,
        category=reception.category,
        direction=reception.direction,
        caller_name=reception.caller_name,
        caller_phone=reception.caller_phone,
        caller_company=reception.caller_company,
        caller_kind=reception.caller_kind,
        customer_id=reception.customer_id,
        content=reception.content,
        outcome=reception.outcome,
        handler_id=reception.handler_id,
        followup_needed=reception.followup_needed,
        followup_due=reception.followup_due,
        received_at=reception.received_at,
    )

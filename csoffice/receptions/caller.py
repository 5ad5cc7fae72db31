"""Finding a caller by phone as the digits arrive, and opening a file for an unknown caller."""

from __future__ import annotations

from dataclasses import dataclass, field

from csoffice import customers
from csoffice.db.models import Customer, Reception, Staff
from csoffice.errors import ValidationError
from csoffice.i18n import N_, _
from csoffice.validation import normalize_phone


@dataclass(frozen=True)
class CallerMatch:
    """What the phone typed so far says about the caller."""

    customers: list[customers.CustomerRow] = field(default_factory=list)
    total: int = 0  # customers matching (``customers`` holds the first few)
    # When no customer matches: the last reception from this number (partners, suppliers).
    previous_name: str = ""
    previous_company: str = ""
    previous_kind: str = ""

    @property
    def unique(self) -> customers.CustomerRow | None:
        return self.customers[0] if self.total == 1 else None


MIN_LOOKUP_DIGITS = 4


def lookup_caller(phone: str, limit: int = 5) -> CallerMatch:
    """Customers whose phone starts with (or, for four digits, ends with) what is typed."""
    digits = normalize_phone(phone)
    if len(digits) < MIN_LOOKUP_DIGITS or not digits.isdigit():
        return CallerMatch()
    ids = customers.search_ids(customers.SearchFilter(text=digits), limit=limit + 1)
    if ids:
        rows = customers.rows(ids[:limit])
        exact = [r for r in rows if r.mobile == digits]
        if len(exact) == 1 and len(ids) > 1:
            return CallerMatch([exact[0]], 1)
        return CallerMatch(rows, len(ids))
    if len(digits) >= 7:
        last = (
            Reception.select(Reception.caller_name, Reception.caller_company, Reception.caller_kind)
            .where(
                Reception.caller_phone == digits,
                Reception.status == "active",
                Reception.caller_name != "",
            )
            .order_by(Reception.received_at.desc())
            .first()
        )
        if last is not None:
            return CallerMatch(
                previous_name=last.caller_name,
                previous_company=last.caller_company,
                previous_kind=last.caller_kind,
            )
    return CallerMatch()


def completed_phone(typed: str, mobile: str) -> str:
    """The full number when ``typed`` is part of it (its start or its end, as the lookup finds
    a caller), else ``typed``: the quick entry saves the number of the caller it found."""
    digits = normalize_phone(typed)
    if (
        mobile
        and len(digits) >= MIN_LOOKUP_DIGITS
        and digits != mobile
        and (mobile.startswith(digits) or mobile.endswith(digits))
    ):
        return mobile
    return typed


def create_customer_from_caller(
    actor: Staff, name: str, phone: str, company: str = "", channel: str = "phone"
) -> Customer:
    """Open a customer file for an unknown caller in one step (DuplicateCustomer if on file)."""
    source = {
        "phone": N_("Phone"),
        "visit": N_("Walk-in"),
        "wechat": N_("Online"),
        "qq": N_("Online"),
        "email": N_("Online"),
    }.get(channel, N_("Other"))
    data = customers.CustomerInput(
        name=name,
        mobile=phone,
        company=company,
        customer_class="new",
        source=_(source),
    )
    # The form calls the fields caller_*; errors name its fields.
    renamed = {"name": "caller_name", "mobile": "caller_phone", "company": "caller_company"}
    try:
        return customers.create(actor, data)
    except customers.DuplicateCustomer as exc:
        errors = {renamed.get(k, k): v for k, v in exc.errors.items()}
        raise customers.DuplicateCustomer(errors, exc.existing_id) from exc
    except ValidationError as exc:
        raise ValidationError({renamed.get(k, k): v for k, v in exc.errors.items()}) from exc

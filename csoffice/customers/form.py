"""What a customer file holds as typed, and its cleaning: validation, the derived search
columns, the duplicate check, the form's view of a stored file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container
from dataclasses import dataclass, field, fields
from typing import Any

from csoffice import settings
from csoffice.customers.codes import CLASSES, GENDERS, ID_TYPES, KINDS
from csoffice.db.models import Customer, Staff
from csoffice.errors import ValidationError
from csoffice.i18n import _
from csoffice.pinyin import full_and_initials
from csoffice.validation import (
    check_credit_code,
    check_email,
    check_phone,
    clean_text,
    parse_resident_id,
    to_halfwidth,
)


def responsible_choices() -> list[tuple[int, str]]:
    """Who may answer for a customer (管家 / 业务员): every active staff member, as (id, name)."""
    query = Staff.select(Staff.id, Staff.display_name).where(Staff.active == True)
    return [(row.id, row.display_name) for row in query.order_by(Staff.display_name)]


_MAX = {
    "name": 100,
    "address": 200,
    "company": 120,
    "source": 40,
    "interests": 200,
    "notes": 4000,
    "email": 120,
}


@dataclass
class CustomerInput:
    """What the form or an importer hands in; everything is text as typed except the birthday."""

    name: str = ""
    kind: str = "individual"
    mobile: str = ""
    phone2: str = ""
    id_type: str = ""
    id_number: str = ""
    gender: str = ""
    birthday: dt.date | None = None
    email: str = ""
    address: str = ""
    company: str = ""
    customer_class: str = "ordinary"
    source: str = ""
    tags: list[str] = field(default_factory=list)
    interests: str = ""
    notes: str = ""
    responsible_id: int | None = None  # the housekeeper / salesperson (管家 / 业务员)


class DuplicateCustomer(ValidationError):
    """The phone or ID number already belongs to a customer; ``existing_id`` is that file."""

    def __init__(self, errors: dict[str, str], existing_id: int):
        super().__init__(errors)
        self.existing_id = existing_id


def clean(
    data: CustomerInput,
    today: dt.date | None = None,
    area_code: str | None = None,
    active_staff: Container[int] | None = None,
) -> dict[str, Any]:
    """Validate and normalise ``data``; raises ValidationError with every field's problem.
    ``area_code``: the office's own (read from the settings when None); ``active_staff``:
    the ids of the active staff, read once by a bulk load (else looked up)."""
    if area_code is None:
        area_code = settings.area_code()
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in ("name", "address", "company", "source", "interests", "notes"):
        raw = getattr(data, name)  # most of an imported sheet's cells are empty
        value = clean_text(raw, multiline=name == "notes") if raw else ""
        if len(value) > _MAX[name]:
            errors[name] = _("At most {n} characters.").format(n=_MAX[name])
        out[name] = value
    if not out["name"]:
        errors["name"] = _("Enter the customer's name.")
    out["kind"] = data.kind if data.kind in KINDS else "individual"
    if data.customer_class not in CLASSES:
        errors["customer_class"] = _("Choose a class from the list.")
    out["customer_class"] = data.customer_class
    for name in ("mobile", "phone2"):
        try:
            raw = getattr(data, name)
            out[name] = check_phone(raw, field=name, area_code=area_code) if raw else ""
        except ValidationError as exc:
            errors.update(exc.errors)
    try:
        out["email"] = check_email(data.email)
    except ValidationError as exc:
        errors.update(exc.errors)
    out["gender"] = data.gender if data.gender in GENDERS else ""
    out["birthday"] = data.birthday
    if data.birthday is not None and data.birthday > (today or dt.date.today()):
        errors["birthday"] = _("The birthday cannot be in the future.")
    id_type = data.id_type if data.id_type in ID_TYPES else "other"
    number = "".join(to_halfwidth(data.id_number or "").split()).upper()
    if number and not data.id_type:
        id_type = "credit_code" if out["kind"] == "company" else "resident_id"
    out["id_type"], out["id_number"] = (id_type if number else ""), number
    try:
        if number and id_type == "resident_id":
            parsed = parse_resident_id(number, today=today)
            out["birthday"] = out["birthday"] or parsed.birthday
            out["gender"] = out["gender"] or parsed.gender
            if data.birthday and data.birthday != parsed.birthday:
                errors["birthday"] = _(
                    "The birthday differs from the one in the resident ID ({date})."
                ).format(date=parsed.birthday.isoformat())
        elif number and id_type == "credit_code":
            out["id_number"] = check_credit_code(number)
        elif number and len(number) > 40:
            errors["id_number"] = _("At most {n} characters.").format(n=40)
    except ValidationError as exc:
        errors.update(exc.errors)
    tags = []
    for tag in data.tags:
        tag = clean_text(tag)[:40]
        if tag and tag not in tags:
            tags.append(tag)
    out["tags"] = tags
    out["responsible"] = data.responsible_id
    if data.responsible_id is not None and not (
        data.responsible_id in active_staff
        if active_staff is not None
        else Staff.select().where(Staff.id == data.responsible_id, Staff.active == True).exists()
    ):
        errors["responsible_id"] = _("Choose a staff member from the list.")
    if errors:
        raise ValidationError(errors)
    return out


def _derived(values: dict[str, Any]) -> dict[str, Any]:
    """Columns computed from what was typed: pinyin for search, the tag list as text."""
    fulls, initials = full_and_initials(values["name"])
    row = dict(values)
    row["name_pinyin"] = " ".join(fulls)[:400]
    row["name_initials"] = " ".join(initials)[:100]
    row["tags"] = ",".join(values["tags"])
    return row


def find_duplicate(
    values: dict[str, Any], exclude_id: int | None = None
) -> tuple[str, Customer] | None:
    """An active customer with the same phone or ID number, and the field that matched."""
    checks = []
    for name in ("mobile", "phone2"):
        if values.get(name):
            phone = values[name]
            checks.append((name, (Customer.mobile == phone) | (Customer.phone2 == phone)))
    if values.get("id_number"):
        checks.append(("id_number", Customer.id_number == values["id_number"]))
    for name, condition in checks:
        query = Customer.select().where(condition, Customer.status == "active")
        if exclude_id is not None:
            query = query.where(Customer.id != exclude_id)
        existing = query.first()
        if existing is not None:
            return name, existing
    return None


def _raise_duplicate(found: tuple[str, Customer]) -> None:
    name, existing = found
    what = _("phone number") if name != "id_number" else _("ID number")
    raise DuplicateCustomer(
        {
            name: _("This {what} belongs to {customer} already.").format(
                what=what, customer=existing.name
            )
        },
        existing.id,
    )


AUDITED_FIELDS = [
    "kind",
    "name",
    "mobile",
    "phone2",
    "id_type",
    "id_number",
    "gender",
    "birthday",
    "email",
    "address",
    "company",
    "customer_class",
    "source",
    "tags",
    "interests",
    "notes",
    "responsible",
]


def to_input(customer: Customer) -> CustomerInput:
    """The form's view of a stored file."""
    values = {f.name: getattr(customer, f.name) for f in fields(CustomerInput) if f.name != "tags"}
    return CustomerInput(**values, tags=[t for t in customer.tags.split(",") if t])

"""The complaint form: what it hands in, how it is cleaned, saving a new complaint and
correcting one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from csoffice import attachments as archive_files
from csoffice import audit, auth, customer_classes, receptions, settings
from csoffice.changes import Change
from csoffice.complaints.attachments import _attachment_row
from csoffice.complaints.codes import _MAX, CHANNELS, SEVERITIES
from csoffice.complaints.limits import deadlines
from csoffice.complaints.numbering import _next_seq, format_number
from csoffice.complaints.records import _step, _write, get, refuse_if_final
from csoffice.conflicts import Choice, FieldDiff, StaleRecord, audit_note
from csoffice.db.database import emit_after_commit
from csoffice.db.models import (
    Complaint,
    ComplaintParty,
    ComplaintStep,
    Customer,
    Reception,
    Staff,
    now,
)
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import N_, _
from csoffice.validation import check_phone, clean_text


@dataclass
class ComplaintInput:
    """What the complaint form hands in."""

    received_at: dt.datetime | None = None  # None: now
    channel: str = "phone"
    customer_id: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    category: str = ""
    severity: str = "ordinary"
    facts: str = ""
    desired_outcome: str = ""
    receiver_id: int | None = None  # the first responder; None: whoever saves it
    attachments: list[Path] = field(default_factory=list)  # files to attach when saving


def _text(value: str | None, name: str, errors: dict[str, str], multiline: bool = True) -> str:
    text = clean_text(value, multiline)
    if len(text) > _MAX[name]:
        errors[name] = _("At most {n} characters.").format(n=_MAX[name])
    return text


def clean(data: ComplaintInput, actor: Staff | None, at: dt.datetime | None = None) -> dict:
    """Validate and normalise the form; raises ValidationError naming every field's problem."""
    errors: dict[str, str] = {}
    at = at or now()
    out: dict[str, Any] = {}
    received = (data.received_at or at).replace(microsecond=0)
    if received > at + dt.timedelta(minutes=5):
        errors["received_at"] = _("The time received cannot be in the future.")
    out["received_at"] = received
    if data.channel not in CHANNELS:
        errors["channel"] = _("Choose how the complaint came in.")
    out["channel"] = data.channel
    customer = None
    if data.customer_id is not None:
        customer = Customer.get_or_none(Customer.id == data.customer_id)
        if customer is None:
            errors["customer"] = _("No customer with number {id}.").format(id=data.customer_id)
    out["customer"] = customer.id if customer else None
    out["contact_name"] = _text(data.contact_name, "contact_name", errors, multiline=False)
    if not out["contact_name"] and customer is not None:
        out["contact_name"] = customer.name
    if not out["contact_name"]:
        errors["contact_name"] = _("Pick the customer from the archive or type the contact's name.")
    try:
        out["contact_phone"] = check_phone(
            data.contact_phone, field="contact_phone", area_code=settings.area_code()
        )
    except ValidationError as exc:
        errors.update(exc.errors)
    else:
        if not out["contact_phone"] and customer is not None:
            out["contact_phone"] = customer.mobile
    category = clean_text(data.category)
    if not category:
        errors["category"] = _("Choose a category.")
    elif len(category) > 24:
        errors["category"] = _("At most {n} characters.").format(n=24)
    out["category"] = category
    if data.severity not in SEVERITIES:
        errors["severity"] = _("Choose a severity.")
    out["severity"] = data.severity
    out["facts"] = _text(data.facts, "facts", errors)
    if not out["facts"]:
        errors["facts"] = _("Write down what happened.")
    out["desired_outcome"] = _text(data.desired_outcome, "desired_outcome", errors)
    receiver_id = data.receiver_id if data.receiver_id is not None else getattr(actor, "id", None)
    receiver = Staff.get_or_none(Staff.id == receiver_id) if receiver_id is not None else None
    if receiver is None or not receiver.active or receiver.role == auth.Role.VIEWER:
        errors["receiver"] = _("Choose the clerk who received the complaint.")
    out["receiver"] = receiver.id if receiver else None
    for path in data.attachments:
        if not Path(path).is_file():
            errors["attachments"] = _("No such file: {path}").format(path=path)
    if errors:
        raise ValidationError(errors)
    return out


def create(actor: Staff, data: ComplaintInput, reception_id: int | None = None) -> Complaint:
    """Save a new complaint form with the next running number of its month. With
    ``reception_id`` the reception it came from is linked both ways in the same transaction."""
    auth.require(actor, "edit")
    values = clean(data, actor)
    stored = [
        archive_files.store_file(Path(path), field="attachments") for path in data.attachments
    ]
    with _write():
        reception = None
        if reception_id is not None:
            reception = receptions.get(reception_id)
            if reception.complaint_id is not None:
                raise Conflict(_("This reception has already become a complaint."))
        received_at = values["received_at"]
        period = received_at.strftime("%Y%m")
        seq = _next_seq(period)
        response_due, resolve_due = deadlines(values["severity"], received_at)
        complaint = Complaint.create(
            **values,
            number=format_number(period, seq),
            number_period=period,
            number_seq=seq,
            status="received",
            response_due=response_due,
            resolve_due=resolve_due,
            reception=reception.id if reception else None,
            created_by=actor,
            updated_by=actor,
        )
        ComplaintStep.create(
            complaint=complaint,
            at=received_at,
            staff=values["receiver"],
            action="receive",
            from_status="",
            to_status="received",
        )
        if reception is not None:
            Reception.update(complaint_id=complaint.id, updated_at=now(), updated_by=actor).where(
                Reception.id == reception.id
            ).execute()
        for info in stored:
            _attachment_row(actor, complaint.id, info)
        audit.record(
            actor,
            "create",
            "complaint",
            complaint.id,
            summary=complaint.number,
            changes={"reception": [None, reception.id]} if reception is not None else None,
        )
        customer_classes.follow(actor, complaint.customer_id)
    emit_after_commit(Change.COMPLAINT)
    return complaint


def draft_from_reception(reception_id: int) -> ComplaintInput:
    """A complaint form filled in from a reception: customer, channel, what was said, when, who."""
    reception = receptions.get(reception_id)
    customer = reception.customer
    return ComplaintInput(
        received_at=reception.received_at,
        channel=reception.channel if reception.channel in CHANNELS else "other",
        customer_id=customer.id if customer else None,
        contact_name=reception.caller_name or (customer.name if customer else ""),
        contact_phone=reception.caller_phone or (customer.mobile if customer else ""),
        facts=reception.content,
        receiver_id=reception.handler_id,
    )


FIELD_LABELS = {
    "received_at": N_("Time received"),
    "channel": N_("Channel"),
    "customer": N_("Customer"),
    "contact_name": N_("Contact"),
    "contact_phone": N_("Contact phone"),
    "category": N_("Category"),
    "severity": N_("Severity"),
    "facts": N_("Facts"),
    "desired_outcome": N_("Desired outcome"),
}
FORM_FIELDS = list(FIELD_LABELS)


def update(
    actor: Staff,
    complaint_id: int,
    data: ComplaintInput,
    version: int,
    resolution: tuple[Choice, list[FieldDiff]] | None = None,
) -> Complaint:
    """Correct the form of a complaint read at ``version`` while it is still open. The number and
    the first responder never change; the severity only before the complaint is handed on.

    If another desk saved it since, StaleRecord carries what is stored now (the clerk chooses
    theirs, mine or a merge); the save after the choice passes the new version and
    ``resolution`` (the choice and the differences it was made on) for its audit row."""
    auth.require(actor, "edit")
    with _write():
        complaint = get(complaint_id)
        refuse_if_final(complaint)
        if complaint.version != version:
            raise stale_complaint(complaint)
        data.receiver_id = complaint.receiver_id
        if data.received_at is None:
            data.received_at = complaint.received_at
        values = clean(data, actor)
        values.pop("receiver")
        errors = {}
        if values["received_at"].strftime("%Y%m") != complaint.number_period:
            errors["received_at"] = _(
                "The time received must stay in the month of the number {number}."
            ).format(number=complaint.number)
        if values["severity"] != complaint.severity and complaint.status != "received":
            errors["severity"] = _(
                "The severity can only be changed before the complaint is handed on."
            )
        parties = ComplaintParty.select().where(
            ComplaintParty.complaint == complaint.id, ComplaintParty.removed_at.is_null()
        )
        if "severity" not in errors and values["severity"] != "group" and parties.count():
            errors["severity"] = _(
                "{n} more complainants are listed: remove them before the complaint stops "
                "being a group complaint."
            ).format(n=parties.count())
        if (
            values["customer"] is not None
            and parties.where(ComplaintParty.customer == values["customer"]).exists()
        ):
            errors["customer"] = _(
                "This customer is listed among the complainants: remove them there first."
            )
        if errors:
            raise ValidationError(errors)
        before = audit.snapshot(complaint, FORM_FIELDS)
        changes = audit.diff(before, values)
        if not changes and not data.attachments:
            return complaint
        if "severity" in changes or "received_at" in changes:
            values["response_due"], values["resolve_due"] = deadlines(
                values["severity"], values["received_at"]
            )
        Complaint.update(
            **values, updated_at=now(), updated_by=actor, version=Complaint.version + 1
        ).where(Complaint.id == complaint.id).execute()
        for path in data.attachments:
            _attachment_row(
                actor, complaint.id, archive_files.store_file(Path(path), field="attachments")
            )
        if changes:
            fields = ",".join(name for name in FORM_FIELDS if name in changes)
            _step(complaint, actor, "edit", complaint.status, note=fields)
            if resolution is not None:
                changes.update(audit_note(*resolution))
            audit.record(
                actor, "update", "complaint", complaint.id, complaint.number, changes=changes
            )
    emit_after_commit(Change.COMPLAINT)
    return get(complaint_id)


def to_input(complaint: Any) -> ComplaintInput:
    """The form's view of a stored complaint or of a ComplaintView (its fields by name: the
    model's peewee fields and the view's plain ones have no common type)."""
    return ComplaintInput(
        received_at=complaint.received_at,
        channel=complaint.channel,
        customer_id=complaint.customer_id,
        contact_name=complaint.contact_name,
        contact_phone=complaint.contact_phone,
        category=complaint.category,
        severity=complaint.severity,
        facts=complaint.facts,
        desired_outcome=complaint.desired_outcome,
        receiver_id=complaint.receiver_id,
    )


# --- a correction saved at another desk meanwhile -----------------------------------------

# The form's field (its error line's name) → the ComplaintInput attribute it edits. The first
# responder is left out: a correction never changes it.
FORM_ATTRIBUTES = {
    "received_at": "received_at",
    "channel": "channel",
    "customer": "customer_id",
    "contact_name": "contact_name",
    "contact_phone": "contact_phone",
    "category": "category",
    "severity": "severity",
    "facts": "facts",
    "desired_outcome": "desired_outcome",
}
_MULTILINE = {"facts", "desired_outcome"}


def comparable(data: ComplaintInput) -> dict[str, Any]:
    """The form's values by field, text as it would be stored (trailing spaces are no change)."""
    values: dict[str, Any] = {}
    for name, attribute in FORM_ATTRIBUTES.items():
        value = getattr(data, attribute)
        if isinstance(value, str):
            value = clean_text(value, multiline=name in _MULTILINE)
        values[name] = value
    return values


def with_values(data: ComplaintInput, values: dict[str, Any]) -> ComplaintInput:
    """The clerk's form with the chosen values (conflicts.chosen) put in."""
    return replace(data, **{FORM_ATTRIBUTES[name]: value for name, value in values.items()})


def stale_complaint(complaint: Complaint) -> StaleRecord:
    """The refusal of a correction read at an older version, carrying what is stored now."""
    who = complaint.updated_by.display_name if complaint.updated_by else "?"
    stored = to_input(complaint)
    return StaleRecord(
        _("Complaint {number} was changed by {name} at {time} while you edited it.").format(
            number=complaint.number, name=who, time=complaint.updated_at.strftime("%H:%M")
        ),
        entity="complaint",
        record_id=complaint.id,
        current=complaint.version,
        theirs=comparable(stored),
        by=who,
        at=complaint.updated_at,
    )

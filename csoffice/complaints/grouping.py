"""Group complaints and duplicates: the other complainants of a 群诉 (each a customer on file)
and the link of a complaint to the one it repeats. The ledger and the reports count a group
once with its number of people (``people``) and a duplicate not at all (``COUNTED``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, fn

from csoffice import audit, auth
from csoffice.changes import Change
from csoffice.complaints.codes import severity_label
from csoffice.complaints.form import _text
from csoffice.complaints.records import _step, _write, get, get_by_number, refuse_if_final
from csoffice.db.database import emit_after_commit
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Complaint, ComplaintParty, Customer, Staff, now
from csoffice.errors import Conflict, NotFound, ValidationError
from csoffice.i18n import N_, _
from csoffice.validation import mask_phone

# Printed under the figures that count complaints.
COUNTING_NOTE = N_(
    "A group complaint counts once, with its number of people; a complaint marked as a "
    "duplicate of another is not counted."
)


def severity_text(severity: str, people: int, duplicate_of: str, short: bool = False) -> str:
    """The severity as a list shows it: a group's number of people; for a duplicate, the
    complaint it repeats (``short``: only that it is one, for a narrow cell)."""
    if duplicate_of:
        return _("Duplicate") if short else _("Duplicate of {number}").format(number=duplicate_of)
    text = severity_label(severity)
    return text + _(" ({n} people)").format(n=people) if people > 1 else text


@dataclass(frozen=True)
class Complainant:
    """One complainant of a group complaint: the complaint's own customer comes first."""

    customer_id: int
    name: str
    phone: str  # masked
    added_at: dt.datetime | None  # None: the complaint's own customer
    added_by: str


def _active(complaint_id: int):
    return (ComplaintParty.complaint == complaint_id) & ComplaintParty.removed_at.is_null()


def complainants(complaint_id: int) -> list[Complainant]:
    """Everyone complaining in ``complaint_id``: its own customer (or contact), then the other
    complainants in the order they were added."""
    complaint = get(complaint_id)
    first: list[Complainant] = []
    if complaint.customer_id is not None:
        customer = Customer.get_by_id(complaint.customer_id)
        first.append(Complainant(customer.id, customer.name, mask_phone(customer.mobile), None, ""))
    added_by = Staff.alias()
    others = [
        Complainant(
            row.customer.id,
            row.customer.name,
            mask_phone(row.customer.mobile),
            row.added_at,
            row.added_by.display_name if row.added_by is not None else "",
        )
        for row in ComplaintParty.select(ComplaintParty, Customer, added_by)
        .join(Customer, on=(ComplaintParty.customer == Customer.id))
        .switch(ComplaintParty)
        .join(added_by, JOIN.LEFT_OUTER, on=(ComplaintParty.added_by == added_by.id))
        .where(_active(complaint_id))
        .order_by(ComplaintParty.added_at, ComplaintParty.id)
    ]
    return first + others


def people(complaint_id: int) -> int:
    """How many people complain in ``complaint_id`` (the contact counts as one)."""
    return 1 + ComplaintParty.select().where(_active(complaint_id)).count()


def other_complainants(complaint_ids: list[int]) -> dict[int, int]:
    """For each of ``complaint_ids`` that has any, the number of complainants besides its own."""
    if not complaint_ids:
        return {}
    query = (
        ComplaintParty.select(ComplaintParty.complaint, fn.COUNT(ComplaintParty.id))
        .where(ComplaintParty.complaint.in_(complaint_ids), ComplaintParty.removed_at.is_null())
        .group_by(ComplaintParty.complaint)
    )
    return {complaint_id: int(n) for complaint_id, n in tuples_of(query)}


def other_names(complaint_ids: list[int]) -> dict[int, list[str]]:
    """For each of ``complaint_ids`` that has any, its other complainants' names in order."""
    names: dict[int, list[str]] = {}
    if not complaint_ids:
        return names
    query = (
        ComplaintParty.select(ComplaintParty.complaint, Customer.name)
        .join(Customer, on=(ComplaintParty.customer == Customer.id))
        .where(ComplaintParty.complaint.in_(complaint_ids), ComplaintParty.removed_at.is_null())
        .order_by(ComplaintParty.added_at, ComplaintParty.id)
    )
    for complaint_id, name in tuples_of(query):
        names.setdefault(complaint_id, []).append(name)
    return names


def _record(
    actor: Staff,
    complaint: Complaint,
    action: str,
    note: str,
    summary: str,
    changes: dict[str, list[object]],
    at: dt.datetime,
) -> None:
    """The timeline step and the audit row of a group or duplicate change."""
    _step(complaint, actor, action, complaint.status, note=note, at=at)
    audit.record(actor, action, "complaint", complaint.id, summary=summary, changes=changes)


def add_complainant(actor: Staff, complaint_id: int, customer_id: int | None) -> Complaint:
    """Add a customer to a group complaint's complainants (timeline step and audit row)."""
    auth.require(actor, "edit")
    field = "complainants"
    if customer_id is None:
        raise ValidationError.single(field, _("Pick the complainant from the customer archive."))
    with _write():
        complaint = get(complaint_id)
        refuse_if_final(complaint)
        if complaint.severity != "group":
            raise ValidationError.single(
                field, _("Only a group complaint lists several complainants.")
            )
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            raise ValidationError.single(
                field, _("No customer with number {id}.").format(id=customer_id)
            )
        if customer.id == complaint.customer_id:
            raise ValidationError.single(
                field,
                _("{name} is this complaint's own customer already.").format(name=customer.name),
            )
        row = ComplaintParty.get_or_none(
            ComplaintParty.complaint == complaint.id, ComplaintParty.customer == customer.id
        )
        if row is not None and row.removed_at is None:
            raise ValidationError.single(
                field, _("{name} is listed already.").format(name=customer.name)
            )
        at = now()
        if row is None:
            ComplaintParty.create(complaint=complaint.id, customer=customer.id, added_by=actor)
        else:
            ComplaintParty.update(
                added_at=at, added_by=actor, removed_at=None, removed_by=None
            ).where(ComplaintParty.id == row.id).execute()
        summary = f"{complaint.number} + {customer.name}"
        changes = {"complainant": [None, customer.id]}
        _record(actor, complaint, "group_add", customer.name, summary, changes, at)
    emit_after_commit(Change.COMPLAINT)
    return get(complaint_id)


def remove_complainant(actor: Staff, complaint_id: int, customer_id: int) -> Complaint:
    """Take a complainant off a group complaint; the row is kept, marked removed (audited)."""
    auth.require(actor, "edit")
    with _write():
        complaint = get(complaint_id)
        refuse_if_final(complaint)
        row = ComplaintParty.get_or_none(
            ComplaintParty.complaint == complaint.id,
            ComplaintParty.customer == customer_id,
            ComplaintParty.removed_at.is_null(),
        )
        if row is None:
            raise NotFound(_("This customer is not among the complainants."))
        at = now()
        ComplaintParty.update(removed_at=at, removed_by=actor).where(
            ComplaintParty.id == row.id
        ).execute()
        name = row.customer.name
        summary = f"{complaint.number} − {name}"
        _record(
            actor,
            complaint,
            "group_remove",
            name,
            summary,
            {"complainant": [customer_id, None]},
            at,
        )
    emit_after_commit(Change.COMPLAINT)
    return get(complaint_id)


def duplicates_of(complaint_id: int) -> list[str]:
    """The numbers of the complaints marked as repeating ``complaint_id``."""
    return [
        number
        for (number,) in tuples_of(
            Complaint.select(Complaint.number)
            .where(Complaint.duplicate_of == complaint_id)
            .order_by(Complaint.number_period, Complaint.number_seq)
        )
    ]


def link_duplicate(
    actor: Staff, complaint_id: int, original_number: str, note: str = ""
) -> Complaint:
    """Mark ``complaint_id`` as a duplicate of the complaint numbered ``original_number``: it
    stays in the ledger but is counted there (timeline step on both, audited)."""
    auth.require(actor, "edit")
    field = "duplicate_of"
    errors: dict[str, str] = {}
    text = _text(note, "note", errors)
    if errors:
        raise ValidationError(errors)
    if not original_number.strip():
        raise ValidationError.single(field, _("Type the number of the complaint it repeats."))
    with _write():
        complaint = get(complaint_id)
        try:
            original = get_by_number(original_number)
        except NotFound as exc:
            raise ValidationError.single(field, str(exc)) from exc
        if complaint.duplicate_of_id is not None:
            raise ValidationError.single(
                field,
                _(
                    "This complaint is a duplicate of {number} already; remove that link first."
                ).format(number=complaint.duplicate_of.number),
            )
        if original.id == complaint.id:
            raise ValidationError.single(field, _("A complaint cannot repeat itself."))
        if original.duplicate_of_id is not None:
            raise ValidationError.single(
                field,
                _("{number} is itself a duplicate of {original}: link to {original}.").format(
                    number=original.number, original=original.duplicate_of.number
                ),
            )
        repeating = duplicates_of(complaint.id)
        if repeating:
            raise ValidationError.single(
                field,
                _(
                    "{numbers} are marked as duplicates of this complaint; link them to {number} "
                    "first."
                ).format(numbers="、".join(repeating), number=original.number),
            )
        at = now()
        Complaint.update(
            duplicate_of=original.id, updated_at=at, updated_by=actor, version=Complaint.version + 1
        ).where(Complaint.id == complaint.id).execute()
        summary = f"{complaint.number} = {original.number}"
        changes = {"duplicate_of": [None, original.id]}
        _record(actor, complaint, "duplicate", _join(original.number, text), summary, changes, at)
        _step(original, actor, "duplicate_found", original.status, note=complaint.number, at=at)
    emit_after_commit(Change.COMPLAINT)
    return get(complaint_id)


def unlink_duplicate(actor: Staff, complaint_id: int, reason: str) -> Complaint:
    """Count ``complaint_id`` on its own again; the reason goes on the timeline (audited)."""
    auth.require(actor, "edit")
    errors: dict[str, str] = {}
    text = _text(reason, "note", errors)
    if not text and not errors:
        errors["note"] = _("Give the reason.")
    if errors:
        raise ValidationError(errors)
    with _write():
        complaint = get(complaint_id)
        if complaint.duplicate_of_id is None:
            raise Conflict(_("This complaint is not marked as a duplicate."))
        original = complaint.duplicate_of
        at = now()
        Complaint.update(
            duplicate_of=None, updated_at=at, updated_by=actor, version=Complaint.version + 1
        ).where(Complaint.id == complaint.id).execute()
        summary = f"{complaint.number} ≠ {original.number}: {text}"
        changes = {"duplicate_of": [original.id, None]}
        _record(actor, complaint, "unduplicate", _join(original.number, text), summary, changes, at)
    emit_after_commit(Change.COMPLAINT)
    return get(complaint_id)


def _join(*parts: str) -> str:
    return "；".join(p for p in parts if p)

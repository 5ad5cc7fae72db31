"""Opening, changing, archiving and restoring a customer file; each write audited and
announced (Change.CUSTOMER) after its transaction."""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from typing import Any

from csoffice import audit, auth
from csoffice.changes import Change
from csoffice.conflicts import Choice, FieldDiff, StaleRecord, audit_note, compare
from csoffice.customers.form import (
    AUDITED_FIELDS,
    CustomerInput,
    _derived,
    _raise_duplicate,
    clean,
    find_duplicate,
    to_input,
)
from csoffice.db import search
from csoffice.db.database import db, emit_after_commit
from csoffice.db.lookup import get_or_not_found
from csoffice.db.models import Customer, CustomerTag, Staff, now
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import _


def _write_tags(customer: Customer, tags: list[str]) -> None:
    CustomerTag.delete().where(CustomerTag.customer == customer).execute()
    if tags:
        CustomerTag.insert_many(
            [(customer.id, tag) for tag in tags], fields=[CustomerTag.customer, CustomerTag.tag]
        ).execute()


def create(actor: Staff, data: CustomerInput, allow_duplicate: bool = False) -> Customer:
    """Open a new customer file. A phone or ID number already on file raises DuplicateCustomer."""
    auth.require(actor, "edit")
    values = clean(data)
    with db.atomic():
        if not allow_duplicate and (found := find_duplicate(values)):
            _raise_duplicate(found)
        row = _derived(values)
        customer = Customer.create(**row, created_by=actor, updated_by=actor)
        _write_tags(customer, values["tags"])
        search.index_customer(customer)
        audit.record(actor, "create", "customer", customer.id, summary=customer.name)
    emit_after_commit(Change.CUSTOMER)
    return customer


def update(
    actor: Staff,
    customer_id: int,
    data: CustomerInput,
    version: int,
    resolution: tuple[Choice, list[FieldDiff]] | None = None,
) -> Customer:
    """Save changes to a file read at ``version``. If someone saved it since, StaleRecord
    carries what is stored now, for the clerk to choose (theirs, mine, a merge); the save after
    that choice passes the new version and ``resolution`` (the choice and the field
    differences it was made on), which its audit row records."""
    auth.require(actor, "edit")
    values = clean(data)
    with db.atomic():
        customer = get(customer_id)
        if customer.version != version:
            raise _stale(customer)
        if found := find_duplicate(values, exclude_id=customer_id):
            _raise_duplicate(found)
        before = audit.snapshot(customer, AUDITED_FIELDS)
        previous_keys = search.keys_for(customer)
        row = _derived(values)
        for name, value in row.items():
            setattr(customer, name, value)
        customer.updated_by = actor
        customer.version = version + 1
        changed = (
            Customer.update(**row, updated_by=actor, version=version + 1, updated_at=now())
            .where(Customer.id == customer_id, Customer.version == version)
            .execute()
        )
        if changed != 1:  # saved elsewhere between the read above and this write
            raise _stale(get(customer_id))
        _write_tags(customer, values["tags"])
        search.index_customer(customer, previous_keys)
        changes: dict[str, Any] = audit.diff(before, audit.snapshot(customer, AUDITED_FIELDS))
        if resolution is not None:
            changes.update(audit_note(resolution[0], resolution[1]))
        audit.record(
            actor, "update", "customer", customer.id, summary=customer.name, changes=changes
        )
    emit_after_commit(Change.CUSTOMER)
    return customer


def _stale(customer: Customer) -> StaleRecord:
    who = customer.updated_by.display_name if customer.updated_by else "?"
    return StaleRecord(
        _("This file was changed by {name} at {time} while you edited it.").format(
            name=who, time=customer.updated_at.strftime("%H:%M")
        ),
        entity="customer",
        record_id=customer.id,
        current=customer.version,
        theirs=asdict(to_input(customer)),
        by=who,
        at=customer.updated_at,
    )


def _comparable(data: CustomerInput) -> dict[str, Any]:
    """A form's values as they would be stored (so 138 1234 5678 equals 13812345678); as typed
    when they do not pass the checks."""
    try:
        values = clean(data)
    except ValidationError:
        return asdict(data)
    values["responsible_id"] = values.pop("responsible")
    return {f.name: values[f.name] for f in fields(CustomerInput)}


def conflict_diffs(
    base: CustomerInput, theirs: CustomerInput, mine: CustomerInput
) -> list[FieldDiff]:
    """The fields of a customer file that the other desk (``theirs``) or the clerk (``mine``)
    changed since the form loaded ``base``."""
    return compare(_comparable(base), _comparable(theirs), _comparable(mine))


def resolved_input(mine: CustomerInput, values: dict[str, Any]) -> CustomerInput:
    """The clerk's form with the chosen values (conflicts.chosen) put in."""
    return replace(mine, **values)


def get(customer_id: int) -> Customer:
    return get_or_not_found(
        Customer,
        _("No customer with number {id}.").format(id=customer_id),
        Customer.id == customer_id,
    )


def archive(actor: Staff, customer_id: int, reason: str = "") -> Customer:
    """Hide a file from search without deleting anything (manager only)."""
    return _move(actor, customer_id, "archive", reason)


def restore(actor: Staff, customer_id: int) -> Customer:
    return _move(actor, customer_id, "restore")


def _move(actor: Staff, customer_id: int, action: str, reason: str = "") -> Customer:
    """Archive a file or restore it (manager only), audited, in one transaction."""
    auth.require(actor, "archive_customer")
    archiving = action == "archive"
    with db.atomic():
        customer = get(customer_id)
        if customer.status != ("active" if archiving else "archived"):
            raise Conflict(
                _("This file is not active.")
                if archiving
                else _("Only an archived file can be restored.")
            )
        Customer.update(
            status="archived" if archiving else "active",
            archived_at=now() if archiving else None,
            updated_by=actor,
            updated_at=now(),
            version=Customer.version + 1,
        ).where(Customer.id == customer_id).execute()
        audit.record(actor, action, "customer", customer_id, summary=reason or customer.name)
    emit_after_commit(Change.CUSTOMER)
    return get(customer_id)

"""Opening, changing, archiving and restoring a customer file; each write audited and
announced (Change.CUSTOMER) after its transaction."""

from __future__ import annotations

from csoffice import audit, auth
from csoffice.changes import Change
from csoffice.customers.form import (
    AUDITED_FIELDS,
    CustomerInput,
    _derived,
    _raise_duplicate,
    clean,
    find_duplicate,
)
from csoffice.db import search
from csoffice.db.database import db, emit_after_commit
from csoffice.db.lookup import get_or_not_found
from csoffice.db.models import Customer, CustomerTag, Staff, now
from csoffice.errors import Conflict
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


def update(actor: Staff, customer_id: int, data: CustomerInput, version: int) -> Customer:
    """Save changes to a file read at ``version``; refused if someone saved it since."""
    auth.require(actor, "edit")
    values = clean(data)
    with db.atomic():
        customer = get(customer_id)
        if customer.version != version:
            who = customer.updated_by.display_name if customer.updated_by else "?"
            raise Conflict(
                _(
                    "This file was changed by {name} at {time}; reload it and make your change again."
                ).format(name=who, time=customer.updated_at.strftime("%H:%M"))
            )
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
        if changed != 1:
            raise Conflict(
                _("This file was changed by someone else; reload it and make your change again.")
            )
        _write_tags(customer, values["tags"])
        search.index_customer(customer, previous_keys)
        changes = audit.diff(before, audit.snapshot(customer, AUDITED_FIELDS))
        audit.record(
            actor, "update", "customer", customer.id, summary=customer.name, changes=changes
        )
    emit_after_commit(Change.CUSTOMER)
    return customer


def get(customer_id: int) -> Customer:
    return get_or_not_found(
        Customer,
        _("No customer with number {id}.").format(id=customer_id),
        Customer.id == customer_id,
    )


def archive(actor: Staff, customer_id: int, reason: str = "") -> Customer:
    """Hide a file from search without deleting anything (manager only)."""
    auth.require(actor, "archive_customer")
    with db.atomic():
        customer = get(customer_id)
        if customer.status != "active":
            raise Conflict(_("This file is not active."))
        Customer.update(
            status="archived",
            archived_at=now(),
            updated_by=actor,
            updated_at=now(),
            version=Customer.version + 1,
        ).where(Customer.id == customer_id).execute()
        audit.record(actor, "archive", "customer", customer_id, summary=reason or customer.name)
    emit_after_commit(Change.CUSTOMER)
    return get(customer_id)


def restore(actor: Staff, customer_id: int) -> Customer:
    auth.require(actor, "archive_customer")
    with db.atomic():
        customer = get(customer_id)
        if customer.status != "archived":
            raise Conflict(_("Only an archived file can be restored."))
        Customer.update(
            status="active",
            archived_at=None,
            updated_by=actor,
            updated_at=now(),
            version=Customer.version + 1,
        ).where(Customer.id == customer_id).execute()
        audit.record(actor, "restore", "customer", customer_id, summary=customer.name)
    emit_after_commit(Change.CUSTOMER)
    return get(customer_id)

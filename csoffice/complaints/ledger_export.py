"""The ledger's export to CSV or XLSX (manager only, audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from peewee import JOIN

from csoffice import audit, auth
from csoffice.complaints.codes import (
    category_label,
    channel_label,
    department_label,
    severity_label,
    status_label,
)
from csoffice.complaints.grouping import other_names
from csoffice.complaints.ledger import LedgerFilter, Original, Owner, search_ids
from csoffice.complaints.limits import OVERDUE_LABELS, overdue_kind
from csoffice.db.database import db
from csoffice.db.lookup import in_id_order, tuples_of
from csoffice.db.models import Complaint, Customer, Staff
from csoffice.i18n import N_, _

EXPORT_COLUMNS: list[tuple[str, Callable[[Complaint], Any]]] = [
    (N_("Number"), lambda c: c.number),
    (N_("Status"), lambda c: status_label(c.status)),
    (N_("Time received"), lambda c: c.received_at),
    (N_("Channel"), lambda c: channel_label(c.channel)),
    (N_("Customer"), lambda c: c.customer.name if c.customer is not None else ""),
    (N_("Contact"), lambda c: c.contact_name),
    (N_("Contact phone"), lambda c: c.contact_phone),
    (N_("Category"), lambda c: category_label(c.category)),
    (N_("Severity"), lambda c: severity_label(c.severity)),
    (N_("Facts"), lambda c: c.facts),
    (N_("Desired outcome"), lambda c: c.desired_outcome),
    (N_("First responder"), lambda c: c.receiver.display_name),
    (N_("Department"), lambda c: department_label(c.department) if c.department else ""),
    (N_("Handler"), lambda c: c.handler_name),
    (N_("Result"), lambda c: c.result),
    (N_("Company at fault"), lambda c: c.company_at_fault),
    (N_("Root cause"), lambda c: c.root_cause),
    (N_("Corrective action"), lambda c: c.corrective_action),
    (N_("Customer's opinion"), lambda c: c.customer_opinion),
    (N_("Satisfaction"), lambda c: c.satisfaction),
    (N_("Reason for the satisfaction"), lambda c: c.satisfaction_reason),
    (N_("Response due"), lambda c: c.response_due),
    (N_("Resolution due"), lambda c: c.resolve_due),
    (N_("First response"), lambda c: c.first_response_at),
    (N_("Handled at"), lambda c: c.handled_at),
    (N_("Closed at"), lambda c: c.closed_at),
    (N_("Escalated at"), lambda c: c.escalated_at),
    (
        N_("Overdue"),
        lambda c: (
            _(OVERDUE_LABELS[kind])
            if (kind := overdue_kind(c.status, c.response_due, c.resolve_due, c.first_response_at))
            else ""
        ),
    ),
]


# After the columns above: how the ledger counts the row (a group once with its people, a
# duplicate not at all).
GROUP_COLUMNS = [N_("People"), N_("Other complainants"), N_("Duplicate of")]


def _export_rows(ids: list[int], progress: Callable[[int], None] | None) -> Iterator[list[Any]]:
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = (
            Complaint.select(Complaint, Customer, Owner)
            .join(Customer, JOIN.LEFT_OUTER, on=(Complaint.customer == Customer.id))
            .switch(Complaint)
            .join(Owner, on=(Complaint.receiver == Owner.id))
            .where(Complaint.id.in_(chunk))
        )
        originals = {
            complaint_id: number
            for complaint_id, number in tuples_of(
                Complaint.select(Complaint.id, Original.number)
                .join(Original, on=(Complaint.duplicate_of == Original.id))
                .where(Complaint.id.in_(chunk))
            )
        }
        others = other_names(chunk)
        for complaint in in_id_order(chunk, {c.id: c for c in query}):
            names = others.get(complaint.id, [])
            yield [value(complaint) for _title, value in EXPORT_COLUMNS] + [
                1 + len(names),
                "、".join(names),
                originals.get(complaint.id, ""),
            ]
        if progress:
            progress(start + len(chunk))


def export_ledger(
    actor: Staff,
    path: Path,
    criteria: LedgerFilter,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the filtered ledger to CSV or XLSX (manager); returns the number of rows."""
    from csoffice.transfer import check_export_path, write_table

    auth.require(actor, "export")
    path = Path(path)
    check_export_path(path)
    ids = search_ids(criteria, "number", descending=False)
    count = write_table(
        path,
        [_(title) for title, _value in EXPORT_COLUMNS] + [_(title) for title in GROUP_COLUMNS],
        _export_rows(ids, progress),
        sheet_title=_("Complaint ledger"),
    )
    with db.atomic():
        audit.record(
            actor, "export", "complaint", None, summary=f"{count} → {path.name}", changes=None
        )
    return count


def export(
    actor: Staff, path: Path, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> int:
    """``python -m csoffice export complaints --out FILE [--from D --to D]``."""
    return export_ledger(actor, path, LedgerFilter(date_from=date_from, date_to=date_to))

"""The archive's export (manager only, audited)."""

from __future__ import annotations

import datetime as dt

from csoffice import audit, auth
from csoffice.customers.codes import CLASSES, GENDERS, ID_TYPES, KINDS, STATUSES
from csoffice.db.database import db
from csoffice.db.models import Customer, Staff
from csoffice.i18n import N_, _

EXPORT_COLUMNS = [
    ("id", N_("File no.")),
    ("name", N_("Name")),
    ("kind", N_("Type")),
    ("mobile", N_("Mobile")),
    ("phone2", N_("Other phone")),
    ("id_type", N_("ID type")),
    ("id_number", N_("ID number")),
    ("gender", N_("Gender")),
    ("birthday", N_("Birthday")),
    ("email", N_("E-mail")),
    ("address", N_("Address")),
    ("company", N_("Company")),
    ("customer_class", N_("Class")),
    ("source", N_("Source")),
    ("responsible", N_("Responsible (管家 / 业务员)")),
    ("tags", N_("Tags")),
    ("interests", N_("Interests")),
    ("notes", N_("Notes")),
    ("status", N_("Status")),
    ("created_at", N_("Created")),
]


def export(
    actor: Staff,
    path,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    progress=None,
) -> int:
    """Write the archive (phones and IDs in full) to CSV or XLSX; manager only, audited."""
    from pathlib import Path

    from csoffice.transfer import write_table

    auth.require(actor, "export")
    names = [name for name, _title in EXPORT_COLUMNS]
    query = (
        Customer.select(*[getattr(Customer, name) for name in names])
        .where(Customer.status != "merged")
        .order_by(Customer.id)
    )
    if date_from:
        query = query.where(Customer.created_at >= dt.datetime.combine(date_from, dt.time()))
    if date_to:
        query = query.where(
            Customer.created_at < dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
        )
    labels = {
        "kind": KINDS,
        "id_type": ID_TYPES,
        "gender": GENDERS,
        "customer_class": CLASSES,
        "status": STATUSES,
    }

    # Each label column's words once, not per cell (100,000 rows); the responsible staff
    # member by the name the import finds them by again.
    words = {
        index: {code: _(label) for code, label in labels[name].items()}
        for index, name in enumerate(names)
        if name in labels
    }
    words[names.index("responsible")] = dict(
        Staff.select(Staff.id, Staff.display_name).tuples().iterator()
    )

    def row(values: tuple) -> list:
        out = list(values)
        for index, table in words.items():
            value = out[index]
            out[index] = table.get(value, value) if value else ""
        return out

    rows = (row(values) for values in query.tuples().iterator())
    count = write_table(
        Path(path), [_(title) for _name, title in EXPORT_COLUMNS], rows, progress, _("Customers")
    )
    with db.atomic():
        audit.record(actor, "export", "customer", None, summary=f"{count} → {path}")
    return count

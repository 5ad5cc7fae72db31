"""The receptions' export (manager only, audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from csoffice import audit, auth
from csoffice.db.database import db
from csoffice.db.models import Reception, Staff
from csoffice.i18n import N_, _
from csoffice.receptions.codes import (
    caller_kind_label,
    category_label,
    channel_label,
    direction_label,
    status_label,
)
from csoffice.receptions.lists import DayFilter, _filtered, _make_row, _row_query

EXPORT_COLUMNS = [
    N_("No."),
    N_("Received at"),
    N_("Channel"),
    N_("Direction"),
    N_("Caller"),
    N_("Phone"),
    N_("Company"),
    N_("Caller is a"),
    N_("Customer file"),
    N_("Category"),
    N_("What was said"),
    N_("Taken by"),
    N_("Outcome"),
    N_("Follow-up owed"),
    N_("Follow-up due"),
    N_("Follow-up done at"),
    N_("Complaint"),
    N_("Status"),
    N_("Void reason"),
]


def _export_rows(criteria: DayFilter, batch: int = 2000) -> Iterator[list[Any]]:
    last = 0
    while True:
        query = (
            _filtered(_row_query(), criteria)
            .where(Reception.id > last)
            .order_by(Reception.id.asc())
            .limit(batch)
        )
        chunk = [_make_row(values) for values in query.tuples()]
        if not chunk:
            return
        for r in chunk:
            yield [
                r.id,
                r.received_at,
                channel_label(r.channel),
                direction_label(r.direction) if r.channel == "phone" else "",
                r.caller_name,
                r.caller_phone,
                r.caller_company,
                caller_kind_label(r.caller_kind),
                r.customer_name,
                category_label(r.category),
                r.content,
                r.handler_name,
                r.outcome,
                r.followup_needed,
                r.followup_due,
                r.followup_done_at,
                r.complaint_number,
                status_label(r.status),
                r.void_reason,
            ]
        last = chunk[-1].id


def export(
    actor: Staff,
    path: Path,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    progress=None,
) -> int:
    """Write the receptions of the period (voided ones marked) to CSV or XLSX; manager only."""
    from csoffice.transfer import check_export_path, write_table

    auth.require(actor, "export")
    check_export_path(Path(path))
    criteria = DayFilter(date_from=date_from, date_to=date_to, include_voided=True)
    written = write_table(
        Path(path),
        [_(title) for title in EXPORT_COLUMNS],
        _export_rows(criteria),
        progress=progress,
        sheet_title=_("Receptions"),
    )
    with db.atomic():
        audit.record(
            actor,
            "export",
            "reception",
            None,
            summary=_("{count} rows to {path}").format(count=written, path=Path(path).name),
        )
    return written

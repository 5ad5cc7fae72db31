"""Printing a churn call list (churn.call_list checks the permission): the lines in words for
csoffice/printing/call_list.py, the file written whole with the print's audit row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from csoffice import churn, customers, settings
from csoffice.db.models import Staff
from csoffice.documents import save_printed
from csoffice.errors import CsofficeError
from csoffice.i18n import _
from csoffice.printing.call_list import CallLine, CallListSheet, call_list_pdf


def sheet(calls: churn.CallList) -> CallListSheet:
    """``calls`` as the printed list shows them."""
    return CallListSheet(
        title=calls.title,
        as_of=calls.as_of,
        headers=churn.list_headers(),
        lines=[
            CallLine(
                row.name,
                row.mobile,
                row.phone2,
                customers.class_label(row.customer_class),
                row.last_contact.date() if row.last_contact else None,
                row.detail,
            )
            for row in calls.rows
        ],
        office=settings.office(),
    )


def print_call_list(actor: Staff, kind: str, out: Path, as_of: dt.date | None = None) -> Path:
    """The churn list ``kind`` as a PDF at ``out`` (a clerk may print it)."""
    calls = churn.call_list(actor, kind, as_of)
    summary = f"{calls.kind} {calls.as_of} ({len(calls.rows)})"
    return save_printed(actor, out, call_list_pdf(sheet(calls)), "churn_list", None, summary)


def print_command(actor: Staff, args: list[str], out: Path) -> None:
    """``python -m csoffice print call-list {inactive,cards,dissatisfied} --out FILE.pdf``."""
    if len(args) != 1 or args[0] not in churn.KINDS:
        raise CsofficeError(_("Name the list: {kinds}.").format(kinds=", ".join(churn.KINDS)))
    print_call_list(actor, args[0], out)

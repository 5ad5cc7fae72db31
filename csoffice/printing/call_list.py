"""A churn list printed as a call list: one line per customer with room to note the call's
result, signed by the clerk who called. Every row from csoffice.churn."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from csoffice import churn, customers, settings
from csoffice.churn import CallList
from csoffice.db.models import Staff
from csoffice.errors import CsofficeError
from csoffice.i18n import _, format_date, format_number
from csoffice.printing.report_parts import _table, p
from csoffice.printing.styles import (
    MARGIN,
    build_on_letterhead,
    document,
    header_row,
    signature_block,
)
from csoffice.settings import Office

WIDTH = landscape(A4)[0] - 2 * MARGIN


def write_call_list(path: Path, calls: CallList, office: Office) -> Path:
    title = _("Call list: {kind}").format(kind=calls.title)
    doc = document(str(path), title, office.display_name, pagesize=landscape(A4))
    head = header_row("#", *churn.list_headers())
    widths = [10 * mm, 32 * mm, 30 * mm, 28 * mm, 20 * mm, 28 * mm, 50 * mm]
    widths.append(WIDTH - sum(widths))
    body = [
        [
            str(index),
            p(row.name),
            row.mobile,
            row.phone2,
            p(customers.class_label(row.customer_class), "small"),
            format_date(row.last_contact.date(), "short") if row.last_contact else "—",
            p(row.detail, "small"),
            "",
        ]
        for index, row in enumerate(calls.rows, 1)
    ]
    story = [
        p(title, "title"),
        p(
            _("As at {date}: {n} customers.").format(
                date=format_date(calls.as_of, "long"), n=format_number(len(calls.rows))
            ),
            "base",
        ),
        Spacer(1, 2 * mm),
        _table([head, *body], widths) if body else p(_("Nobody is on this list."), "base"),
        Spacer(1, 6 * mm),
        KeepTogether(signature_block([_("Called by"), _("Manager")], WIDTH)),
    ]
    build_on_letterhead(doc, story, office, title)
    return path


def print_call_list(actor: Staff, kind: str, out: Path, as_of: dt.date | None = None) -> Path:
    return write_call_list(Path(out), churn.call_list(actor, kind, as_of), settings.office())


def print_command(actor: Staff, args: list[str], out: Path) -> None:
    """``python -m csoffice print call-list {inactive,cards,dissatisfied} --out FILE.pdf``."""
    if len(args) != 1 or args[0] not in churn.KINDS:
        raise CsofficeError(_("Name the list: {kinds}.").format(kinds=", ".join(churn.KINDS)))
    print_call_list(actor, args[0], out)

"""A churn call list to print and call through (客户回访名单): one line a customer, a blank
column for the call's note, signed by the caller and the manager. Renders a CallListSheet that
csoffice.call_list gathers."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from csoffice.i18n import _, format_date, format_number
from csoffice.printing.report_parts import _table, p
from csoffice.printing.styles import (
    MARGIN,
    Office,
    build_on_letterhead,
    document,
    header_row,
    signature_block,
)

WIDTH = landscape(A4)[0] - 2 * MARGIN


@dataclass(frozen=True)
class CallLine:
    name: str
    mobile: str
    phone2: str
    customer_class: str  # label
    last_contact: dt.date | None
    detail: str  # why the customer is on the list


@dataclass(frozen=True)
class CallListSheet:
    title: str  # the list's kind, in words
    as_of: dt.date
    headers: list[str]  # the columns after "#"
    lines: list[CallLine]
    office: Office


def call_list_pdf(sheet: CallListSheet) -> bytes:
    """``sheet`` as a landscape A4 PDF."""
    buffer = io.BytesIO()
    office = sheet.office
    title = _("Call list: {kind}").format(kind=sheet.title)
    doc = document(buffer, title, office.display_name, pagesize=landscape(A4))
    head = header_row("#", *sheet.headers)
    widths = [10 * mm, 32 * mm, 30 * mm, 28 * mm, 20 * mm, 28 * mm, 50 * mm]
    widths.append(WIDTH - sum(widths))
    body = [
        [
            str(index),
            p(row.name),
            row.mobile,
            row.phone2,
            p(row.customer_class, "small"),
            format_date(row.last_contact, "short") if row.last_contact else "—",
            p(row.detail, "small"),
            "",
        ]
        for index, row in enumerate(sheet.lines, 1)
    ]
    story = [
        p(title, "title"),
        p(
            _("As at {date}: {n} customers.").format(
                date=format_date(sheet.as_of, "long"), n=format_number(len(sheet.lines))
            ),
            "base",
        ),
        Spacer(1, 2 * mm),
        _table([head, *body], widths) if body else p(_("Nobody is on this list."), "base"),
        Spacer(1, 6 * mm),
        KeepTogether(signature_block([_("Called by"), _("Manager")], WIDTH)),
    ]
    build_on_letterhead(doc, story, office, title)
    return buffer.getvalue()

"""The list of leads recommended by members, for sales (会员推荐客户名单): one line a prospect
with who recommended them, what they want and how far the follow-up has come. Renders a
ReferralSheet that csoffice.referrals gathers."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from csoffice.i18n import _, format_datetime
from csoffice.printing.styles import (
    MARGIN,
    Office,
    build_on_letterhead,
    document,
    grid_commands,
    header_row,
    p,
)

PAGE = landscape(A4)
BODY = PAGE[0] - 2 * MARGIN


@dataclass(frozen=True)
class ReferralSheet:
    headers: list[str]
    lines: list[list[str]]  # one a lead, as the headers name the columns
    office: Office
    status: str = ""  # the status listed, in words; empty for every lead


def referral_list_pdf(sheet: ReferralSheet) -> bytes:
    """``sheet`` as a landscape A4 PDF."""
    buffer = io.BytesIO()
    headers, lines, office, status = sheet.headers, sheet.lines, sheet.office, sheet.status
    title = _("Leads recommended by members")
    doc = document(buffer, title, office.display_name, PAGE)
    story: list = [p(title, "title")]
    if status:
        story.append(p(_("Status: {status}").format(status=status), "base"))
    story.append(Spacer(1, 3 * mm))
    if lines:
        widths = [20 * mm, 28 * mm, 28 * mm, 30 * mm, 40 * mm, 24 * mm, 0]
        widths[-1] = BODY - sum(widths)
        body = [[p(cell) for cell in line] for line in lines]
        table = Table([header_row(*headers), *body], colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(grid_commands("TOP", (0.92, 0.92, 0.92))))
        story.append(table)
    else:
        story.append(p(_("No leads."), "base"))
    printed = _("Printed {time}").format(time=format_datetime(dt.datetime.now()))
    build_on_letterhead(doc, story, office, f"{title} · {printed}")
    return buffer.getvalue()

"""The daily return-visit sheet (回访日报): the day's totals, then every call with its result,
satisfaction and answers; signed by the callers and the manager. Renders a VisitDaySheet that
csoffice.visit_day gathers."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from csoffice.i18n import _, format_date, format_number, format_time
from csoffice.printing.styles import (
    MARGIN,
    Office,
    build_on_letterhead,
    document,
    grid_commands,
    header_row,
    p,
    printed_footer,
    signature_block,
)


@dataclass(frozen=True)
class SheetLine:
    time: dt.datetime
    customer: str
    phone: str  # masked
    kind: str  # label
    subject: str
    result: str
    satisfaction: int | None
    answers: list[str]  # "question：answer"
    remarks: str
    caller: str


@dataclass(frozen=True)
class VisitDaySheet:
    day: dt.date
    office: Office
    lines: list[SheetLine]
    done: int
    reached: int
    dissatisfied: int
    average: float | None
    by_kind: list[tuple[str, int]]  # (kind label, calls)
    still_due: int  # calls due by the day and not done at its end


PAGE = landscape(A4)
BODY = PAGE[0] - 2 * MARGIN
HEAD_FILL = (0.92, 0.92, 0.92)


def _summary(sheet: VisitDaySheet) -> Table:
    average = "—" if sheet.average is None else format_number(sheet.average)
    kinds = "、".join(f"{label} {format_number(n)}" for label, n in sheet.by_kind) or "—"
    rows = [
        [
            p(_("Calls made"), "label"),
            p(format_number(sheet.done)),
            p(_("Customer reached"), "label"),
            p(format_number(sheet.reached)),
            p(_("Average satisfaction"), "label"),
            p(average),
        ],
        [
            p(_("Dissatisfied"), "label"),
            p(format_number(sheet.dissatisfied)),
            p(_("Still due at the end of the day"), "label"),
            p(format_number(sheet.still_due)),
            p(_("By kind of call"), "label"),
            p(kinds),
        ],
    ]
    widths = [30 * mm, 20 * mm, 44 * mm, 20 * mm, 34 * mm, 0]
    widths[-1] = BODY - sum(widths)
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle(grid_commands("MIDDLE")))
    return table


def _calls(sheet: VisitDaySheet) -> Table:
    head = header_row(
        _("Time"),
        _("Customer"),
        _("Type"),
        _("About"),
        _("Call result"),
        _("Satisfaction"),
        _("Answers and remarks"),
        _("Staff"),
    )
    body = []
    for line in sheet.lines:
        notes = "\n".join([*line.answers, line.remarks] if line.remarks else line.answers)
        body.append(
            [
                p(format_time(line.time) if line.time else ""),
                p(f"{line.customer}\n{line.phone}"),
                p(line.kind),
                p(line.subject),
                p(line.result),
                p("" if line.satisfaction is None else str(line.satisfaction)),
                p(notes),
                p(line.caller),
            ]
        )
    widths = [14 * mm, 30 * mm, 30 * mm, 44 * mm, 22 * mm, 16 * mm, 0, 18 * mm]
    widths[6] = BODY - sum(widths)
    table = Table([head, *body], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                *grid_commands("TOP", HEAD_FILL),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def visit_sheet_pdf(sheet: VisitDaySheet, printed_by: str = "") -> bytes:
    """``sheet`` as a landscape A4 PDF."""
    buffer = io.BytesIO()
    title = _("Daily return-visit sheet")
    doc = document(buffer, f"{title} {sheet.day.isoformat()}", sheet.office.display_name, PAGE)
    story: list = [
        p(title, "title"),
        p(_("Date: {date}").format(date=format_date(sheet.day, "full")), "base"),
        Spacer(1, 3 * mm),
        _summary(sheet),
        Spacer(1, 4 * mm),
    ]
    if sheet.lines:
        story.append(_calls(sheet))
    else:
        story.append(p(_("No return visits were made on this day."), "base"))
    story.append(Spacer(1, 6 * mm))
    story.append(KeepTogether(signature_block([_("Callers"), _("Manager")], BODY)))
    footer = f"{title} {sheet.day.isoformat()} · {printed_footer(dt.datetime.now(), printed_by)}"
    build_on_letterhead(doc, story, sheet.office, footer)
    return buffer.getvalue()

"""The daily reception sheet (日结) the manager signs: the day's figures, every reception by
category, the follow-ups still owed and the complaints received. Renders a DailySheet that
csoffice.reception_day gathers."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from csoffice.i18n import _, current_language, format_date, format_datetime, format_time
from csoffice.printing.styles import (
    MARGIN,
    Office,
    build_on_letterhead,
    document,
    grid_commands,
    header_row,
    p,
    signature_block,
)


@dataclass(frozen=True)
class ReceptionLine:
    """One reception as the sheet prints it, its codes already in words, the phone masked."""

    received_at: dt.datetime
    channel: str  # with the direction of a phone call
    caller: str  # name (company), or the masked phone, with who they are when not a customer
    caller_name: str  # as the follow-up list names them
    phone: str  # masked
    category: str
    content: str
    outcome: str
    followup_needed: bool
    followup_due: dt.date | None
    complaint_number: str
    handler_name: str


@dataclass(frozen=True)
class CategoryGroup:
    label: str
    lines: list[ReceptionLine]


@dataclass(frozen=True)
class ComplaintLine:
    """A complaint received on the day, as the sheet prints it."""

    number: str
    received_at: dt.datetime
    who: str
    category: str
    severity: str
    status: str
    receiver: str
    facts: str


@dataclass(frozen=True)
class DailySheet:
    day: dt.date
    office: Office
    total: int
    by_channel: list[tuple[str, int]]  # (label, receptions)
    categories: list[CategoryGroup]  # in the office's order
    followups_opened: int
    followups_owed: list[ReceptionLine]  # still open at the end of the day, any day's
    handlers: list[str]
    complaints: list[ComplaintLine]


WIDTH, HEIGHT = A4
BODY = WIDTH - 2 * MARGIN
HEAD_FILL = (0.92, 0.92, 0.92)


def _list_separator() -> str:
    return "、" if current_language().startswith("zh") else ", "


def _grid(rows: list[list], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
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


def _summary(sheet: DailySheet) -> Table:
    channels = _list_separator().join(f"{label} {n}" for label, n in sheet.by_channel) or "—"
    categories = (
        _list_separator().join(f"{group.label} {len(group.lines)}" for group in sheet.categories)
        or "—"
    )
    rows = [
        [p(_("Receptions"), "label"), p(str(sheet.total))],
        [p(_("By channel"), "label"), p(channels)],
        [p(_("By category"), "label"), p(categories)],
        [p(_("Follow-ups opened today"), "label"), p(str(sheet.followups_opened))],
        [p(_("Follow-ups still owed"), "label"), p(str(len(sheet.followups_owed)))],
        [p(_("Complaints received"), "label"), p(str(len(sheet.complaints)))],
        [p(_("Handled by"), "label"), p(_list_separator().join(sheet.handlers) or "—")],
    ]
    table = Table(rows, colWidths=[42 * mm, BODY - 42 * mm])
    table.setStyle(TableStyle(grid_commands("MIDDLE")))
    return table


def _reception_table(rows: list[ReceptionLine]) -> Table:
    header = header_row(
        _("Time"), _("Channel"), _("Caller"), _("What was said"), _("Outcome"), _("Taken by")
    )
    body = []
    for r in rows:
        outcome = r.outcome
        if r.followup_needed:
            due = format_date(r.followup_due, "short") if r.followup_due else ""
            line = _("Follow-up by {date}").format(date=due)
            outcome = f"{outcome}\n{line}".strip()
        if r.complaint_number:
            line = _("Became complaint {number}").format(number=r.complaint_number)
            outcome = f"{outcome}\n{line}".strip()
        body.append(
            [
                p(format_time(r.received_at)),
                p(r.channel),
                p(r.caller),
                p(r.content),
                p(outcome),
                p(r.handler_name),
            ]
        )
    widths = [14 * mm, 24 * mm, 34 * mm, 0, 36 * mm, 18 * mm]
    widths[3] = BODY - sum(widths)
    return _grid([header, *body], widths)


def _followup_table(rows: list[ReceptionLine], day: dt.date) -> Table:
    header = header_row(
        _("Logged at"), _("Caller"), _("Phone"), _("Matter"), _("Due"), _("Taken by")
    )
    body = []
    for r in rows:
        due = format_date(r.followup_due, "short") if r.followup_due else ""
        # Every row was still owed when the day ended; overdue as that day saw it.
        if r.followup_due is not None and r.followup_due < day:
            due = _("{date} (overdue)").format(date=due)
        body.append(
            [
                p(format_datetime(r.received_at)),
                p(r.caller_name),
                p(r.phone),
                p(f"{r.category}：{r.content}"),
                p(due),
                p(r.handler_name),
            ]
        )
    widths = [26 * mm, 26 * mm, 28 * mm, 0, 26 * mm, 16 * mm]
    widths[3] = BODY - sum(widths)
    return _grid([header, *body], widths)


def _complaint_table(rows: list[ComplaintLine]) -> Table:
    header = header_row(
        _("Number"),
        _("Time"),
        _("Customer"),
        _("Category"),
        _("Severity"),
        _("Facts"),
        _("Status"),
        _("First responder"),
    )
    body = [
        [
            p(c.number),
            p(format_time(c.received_at)),
            p(c.who),
            p(c.category),
            p(c.severity),
            p(c.facts[:200]),
            p(c.status),
            p(c.receiver),
        ]
        for c in rows
    ]
    widths = [32 * mm, 14 * mm, 22 * mm, 18 * mm, 16 * mm, 0, 16 * mm, 20 * mm]
    widths[5] = BODY - sum(widths)
    return _grid([header, *body], widths)


def daily_sheet_pdf(sheet: DailySheet) -> bytes:
    """The day's sheet as an A4 PDF."""
    buffer = io.BytesIO()
    day, office = sheet.day, sheet.office
    title = _("Daily reception sheet")
    doc = document(buffer, f"{title} {day.isoformat()}", office.display_name)
    story: list = [
        p(title, "title"),
        p(_("Date: {date}").format(date=format_date(day, "full")), "base"),
        Spacer(1, 3 * mm),
        _summary(sheet),
        p(_("Receptions by category"), "heading"),
    ]
    if not sheet.total:
        story.append(p(_("No calls or visits were logged on this day."), "base"))
    for group in sheet.categories:
        heading = p(
            _("{category} ({count})").format(category=group.label, count=len(group.lines)),
            "base",
        )
        story.append(KeepTogether([Spacer(1, 2 * mm), heading, Spacer(1, 1 * mm)]))
        story.append(_reception_table(group.lines))
    story.append(
        p(_("Follow-ups owed ({count})").format(count=len(sheet.followups_owed)), "heading")
    )
    if sheet.followups_owed:
        story.append(_followup_table(sheet.followups_owed, day))
    else:
        story.append(p(_("No follow-ups are owed."), "base"))
    story.append(
        p(_("Complaints received ({count})").format(count=len(sheet.complaints)), "heading")
    )
    if sheet.complaints:
        story.append(_complaint_table(sheet.complaints))
    else:
        story.append(p(_("No complaints were received on this day."), "base"))
    story.append(Spacer(1, 6 * mm))
    story.append(KeepTogether(signature_block([_("Taken by"), _("Manager")], BODY)))

    printed = _("Printed {time}").format(time=format_datetime(dt.datetime.now()))
    build_on_letterhead(doc, story, office, f"{title} {day.isoformat()} · {printed}")
    return buffer.getvalue()

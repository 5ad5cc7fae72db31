"""The daily sheet (日结): the day's receptions by category, follow-ups owed, complaints
received, signed by the handlers and the manager and sent to the departments concerned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from peewee import JOIN
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from csoffice import audit, auth, complaints, receptions, settings
from csoffice.db.database import db
from csoffice.db.models import Complaint, Customer, Staff
from csoffice.errors import ValidationError
from csoffice.i18n import _, current_language, format_date, format_datetime, format_time
from csoffice.printing.styles import (
    MARGIN,
    build_on_letterhead,
    document,
    grid_commands,
    header_row,
    p,
    signature_block,
)
from csoffice.settings import Office
from csoffice.validation import mask_phone

WIDTH, HEIGHT = A4
BODY = WIDTH - 2 * MARGIN
HEAD_FILL = (0.92, 0.92, 0.92)


def complaints_received(day: dt.date) -> list[dict[str, str]]:
    """The complaints received on ``day``, read from the complaint table itself."""
    start = dt.datetime.combine(day, dt.time())
    end = start + dt.timedelta(days=1)
    receiver = Staff.alias()
    query = (
        Complaint.select(
            Complaint.number,
            Complaint.received_at,
            Complaint.contact_name,
            Customer.name,
            Complaint.category,
            Complaint.severity,
            Complaint.status,
            receiver.display_name,
            Complaint.facts,
        )
        .join_from(
            Complaint, Customer, on=(Complaint.customer == Customer.id), join_type=JOIN.LEFT_OUTER
        )
        .join_from(
            Complaint, receiver, on=(Complaint.receiver == receiver.id), join_type=JOIN.LEFT_OUTER
        )
        .where(Complaint.received_at >= start, Complaint.received_at < end)
        .order_by(Complaint.received_at.asc())
    )
    out = []
    for number, at, contact, customer, category, severity, status, owner, facts in query.tuples():
        out.append(
            {
                "number": number,
                "time": format_time(at),
                "who": customer or contact or "",
                "category": complaints.category_label(category),
                "severity": complaints.severity_label(severity),
                "status": complaints.status_label(status),
                "receiver": owner or "",
                "facts": facts or "",
            }
        )
    return out


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


def _summary(figures: receptions.DailyFigures, complaint_count: int) -> Table:
    channels = (
        _list_separator().join(
            f"{receptions.channel_label(code)} {n}" for code, n in figures.by_channel
        )
        or "—"
    )
    categories = (
        _list_separator().join(
            f"{receptions.category_label(code)} {n}" for code, n in figures.by_category
        )
        or "—"
    )
    rows = [
        [p(_("Receptions"), "label"), p(str(figures.total))],
        [p(_("By channel"), "label"), p(channels)],
        [p(_("By category"), "label"), p(categories)],
        [p(_("Follow-ups opened today"), "label"), p(str(figures.followups_opened))],
        [p(_("Follow-ups still owed"), "label"), p(str(len(figures.followups_owed)))],
        [p(_("Complaints received"), "label"), p(str(complaint_count))],
        [p(_("Handled by"), "label"), p(_list_separator().join(figures.handlers) or "—")],
    ]
    table = Table(rows, colWidths=[42 * mm, BODY - 42 * mm])
    table.setStyle(TableStyle(grid_commands("MIDDLE")))
    return table


def _reception_table(rows: list[receptions.ReceptionRow]) -> Table:
    header = header_row(
        _("Time"), _("Channel"), _("Caller"), _("What was said"), _("Outcome"), _("Taken by")
    )
    body = []
    for r in rows:
        channel = receptions.channel_label(r.channel)
        if r.channel == "phone":
            channel = f"{channel}·{receptions.direction_label(r.direction)}"
        caller = r.caller or mask_phone(r.caller_phone)
        if r.caller_kind != "customer":
            caller = f"{caller}（{receptions.caller_kind_label(r.caller_kind)}）"
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
                p(channel),
                p(caller),
                p(r.content),
                p(outcome),
                p(r.handler_name),
            ]
        )
    widths = [14 * mm, 24 * mm, 34 * mm, 0, 36 * mm, 18 * mm]
    widths[3] = BODY - sum(widths)
    return _grid([header, *body], widths)


def _followup_table(rows: list[receptions.ReceptionRow], day: dt.date) -> Table:
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
                p(r.caller),
                p(mask_phone(r.caller_phone)),
                p(f"{receptions.category_label(r.category)}：{r.content}"),
                p(due),
                p(r.handler_name),
            ]
        )
    widths = [26 * mm, 26 * mm, 28 * mm, 0, 26 * mm, 16 * mm]
    widths[3] = BODY - sum(widths)
    return _grid([header, *body], widths)


def _complaint_table(rows: list[dict[str, str]]) -> Table:
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
            p(c["number"]),
            p(c["time"]),
            p(c["who"]),
            p(c["category"]),
            p(c["severity"]),
            p(c["facts"][:200]),
            p(c["status"]),
            p(c["receiver"]),
        ]
        for c in rows
    ]
    widths = [32 * mm, 14 * mm, 22 * mm, 18 * mm, 16 * mm, 0, 16 * mm, 20 * mm]
    widths[5] = BODY - sum(widths)
    return _grid([header, *body], widths)


def write_daily_sheet(path: Path, day: dt.date, office: Office) -> Path:
    """Write the day's sheet to ``path`` (A4 PDF)."""
    figures = receptions.daily_figures(day)
    complaint_rows = complaints_received(day)
    title = _("Daily reception sheet")
    doc = document(str(path), f"{title} {day.isoformat()}", office.display_name)
    story: list = [
        p(title, "title"),
        p(_("Date: {date}").format(date=format_date(day, "full")), "base"),
        Spacer(1, 3 * mm),
        _summary(figures, len(complaint_rows)),
        p(_("Receptions by category"), "heading"),
    ]
    if not figures.receptions:
        story.append(p(_("No calls or visits were logged on this day."), "base"))
    for code, n in figures.by_category:
        heading = p(
            _("{category} ({count})").format(category=receptions.category_label(code), count=n),
            "base",
        )
        story.append(KeepTogether([Spacer(1, 2 * mm), heading, Spacer(1, 1 * mm)]))
        story.append(_reception_table(figures.of_category(code)))
    story.append(
        p(_("Follow-ups owed ({count})").format(count=len(figures.followups_owed)), "heading")
    )
    if figures.followups_owed:
        story.append(_followup_table(figures.followups_owed, day))
    else:
        story.append(p(_("No follow-ups are owed."), "base"))
    story.append(p(_("Complaints received ({count})").format(count=len(complaint_rows)), "heading"))
    if complaint_rows:
        story.append(_complaint_table(complaint_rows))
    else:
        story.append(p(_("No complaints were received on this day."), "base"))
    story.append(Spacer(1, 6 * mm))
    story.append(KeepTogether(signature_block([_("Taken by"), _("Manager")], BODY)))

    printed = _("Printed {time}").format(time=format_datetime(dt.datetime.now()))
    build_on_letterhead(doc, story, office, f"{title} {day.isoformat()} · {printed}")
    return path


def parse_day(period: str) -> dt.date:
    try:
        return dt.date.fromisoformat(period.strip())
    except ValueError:
        raise ValidationError.single(
            "period", _("“{value}” is not a date like 2026-11-24").format(value=period)
        ) from None


def print_daily_sheet(actor: Staff, day: dt.date, out: Path) -> Path:
    """Write the sheet and note in the audit trail who printed which day."""
    auth.require(actor, "print")
    path = write_daily_sheet(Path(out), day, settings.office())
    with db.atomic():
        audit.record(actor, "print", "daily_sheet", None, summary=day.isoformat())
    return path


def report_command(actor: Staff, period: str, out: Path) -> None:
    """``python -m csoffice report daily 2026-11-24 --out FILE.pdf``."""
    print_daily_sheet(actor, parse_day(period), out)

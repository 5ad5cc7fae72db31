"""The daily sheet (日结): the day's receptions by category, follow-ups owed, complaints
received, signed by the handlers and the manager and sent to the departments concerned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.sax.saxutils import escape

from peewee import JOIN
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from csoffice import audit, auth, complaints, receptions, settings
from csoffice.db.database import db
from csoffice.db.models import Complaint, Customer, Staff
from csoffice.errors import ValidationError
from csoffice.i18n import _, current_language, format_date, format_datetime, format_time
from csoffice.printing.fonts import register_pdf_font
from csoffice.printing.styles import (
    MARGIN,
    RULE,
    document,
    draw_office_header,
    draw_page_footer,
    signature_block,
    styles,
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


def _p(text: str, style: str = "cell") -> Paragraph:
    return Paragraph(escape(text or "").replace("\n", "<br/>"), styles()[style])


def _grid(rows: list[list], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("FONTNAME", (0, 0), (-1, -1), register_pdf_font()),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
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
        [_p(_("Receptions"), "label"), _p(str(figures.total))],
        [_p(_("By channel"), "label"), _p(channels)],
        [_p(_("By category"), "label"), _p(categories)],
        [_p(_("Follow-ups opened today"), "label"), _p(str(figures.followups_opened))],
        [_p(_("Follow-ups still owed"), "label"), _p(str(len(figures.followups_owed)))],
        [_p(_("Complaints received"), "label"), _p(str(complaint_count))],
        [_p(_("Handled by"), "label"), _p(_list_separator().join(figures.handlers) or "—")],
    ]
    table = Table(rows, colWidths=[42 * mm, BODY - 42 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("FONTNAME", (0, 0), (-1, -1), register_pdf_font()),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _reception_table(rows: list[receptions.ReceptionRow]) -> Table:
    header = [
        _p(_("Time"), "label"),
        _p(_("Channel"), "label"),
        _p(_("Caller"), "label"),
        _p(_("What was said"), "label"),
        _p(_("Outcome"), "label"),
        _p(_("Taken by"), "label"),
    ]
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
                _p(format_time(r.received_at)),
                _p(channel),
                _p(caller),
                _p(r.content),
                _p(outcome),
                _p(r.handler_name),
            ]
        )
    widths = [14 * mm, 24 * mm, 34 * mm, 0, 36 * mm, 18 * mm]
    widths[3] = BODY - sum(widths)
    return _grid([header, *body], widths)


def _followup_table(rows: list[receptions.ReceptionRow], day: dt.date) -> Table:
    header = [
        _p(_("Logged at"), "label"),
        _p(_("Caller"), "label"),
        _p(_("Phone"), "label"),
        _p(_("Matter"), "label"),
        _p(_("Due"), "label"),
        _p(_("Taken by"), "label"),
    ]
    body = []
    for r in rows:
        due = format_date(r.followup_due, "short") if r.followup_due else ""
        if r.followup_overdue(day):
            due = _("{date} (overdue)").format(date=due)
        body.append(
            [
                _p(format_datetime(r.received_at)),
                _p(r.caller),
                _p(mask_phone(r.caller_phone)),
                _p(f"{receptions.category_label(r.category)}：{r.content}"),
                _p(due),
                _p(r.handler_name),
            ]
        )
    widths = [26 * mm, 26 * mm, 28 * mm, 0, 26 * mm, 16 * mm]
    widths[3] = BODY - sum(widths)
    return _grid([header, *body], widths)


def _complaint_table(rows: list[dict[str, str]]) -> Table:
    header = [
        _p(_("Number"), "label"),
        _p(_("Time"), "label"),
        _p(_("Customer"), "label"),
        _p(_("Category"), "label"),
        _p(_("Severity"), "label"),
        _p(_("Facts"), "label"),
        _p(_("Status"), "label"),
        _p(_("First responder"), "label"),
    ]
    body = [
        [
            _p(c["number"]),
            _p(c["time"]),
            _p(c["who"]),
            _p(c["category"]),
            _p(c["severity"]),
            _p(c["facts"][:200]),
            _p(c["status"]),
            _p(c["receiver"]),
        ]
        for c in rows
    ]
    widths = [32 * mm, 14 * mm, 22 * mm, 18 * mm, 16 * mm, 0, 16 * mm, 20 * mm]
    widths[5] = BODY - sum(widths)
    return _grid([header, *body], widths)


def write_daily_sheet(path: Path, day: dt.date, office: Office) -> Path:
    """Write the day's sheet to ``path`` (A4 PDF)."""
    style = styles()
    figures = receptions.daily_figures(day)
    complaint_rows = complaints_received(day)
    title = _("Daily reception sheet")
    doc = document(str(path), f"{title} {day.isoformat()}", office.display_name)
    story: list = [
        Paragraph(escape(title), style["title"]),
        _p(_("Date: {date}").format(date=format_date(day, "full")), "base"),
        Spacer(1, 3 * mm),
        _summary(figures, len(complaint_rows)),
        Paragraph(escape(_("Receptions by category")), style["heading"]),
    ]
    if not figures.receptions:
        story.append(_p(_("No calls or visits were logged on this day."), "base"))
    for code, n in figures.by_category:
        heading = Paragraph(
            escape(
                _("{category} ({count})").format(category=receptions.category_label(code), count=n)
            ),
            style["base"],
        )
        story.append(KeepTogether([Spacer(1, 2 * mm), heading, Spacer(1, 1 * mm)]))
        story.append(_reception_table(figures.of_category(code)))
    story.append(
        Paragraph(
            escape(_("Follow-ups owed ({count})").format(count=len(figures.followups_owed))),
            style["heading"],
        )
    )
    if figures.followups_owed:
        story.append(_followup_table(figures.followups_owed, day))
    else:
        story.append(_p(_("No follow-ups are owed."), "base"))
    story.append(
        Paragraph(
            escape(_("Complaints received ({count})").format(count=len(complaint_rows))),
            style["heading"],
        )
    )
    if complaint_rows:
        story.append(_complaint_table(complaint_rows))
    else:
        story.append(_p(_("No complaints were received on this day."), "base"))
    story.append(Spacer(1, 6 * mm))
    story.append(KeepTogether(signature_block([_("Taken by"), _("Manager")], BODY)))

    printed = _("Printed {time}").format(time=format_datetime(dt.datetime.now()))

    def decorate(canvas, _doc) -> None:
        draw_office_header(canvas, office, WIDTH, HEIGHT)
        draw_page_footer(canvas, WIDTH, f"{title} {day.isoformat()} · {printed}")

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
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

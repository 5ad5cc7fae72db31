"""The daily reception sheet (日结): the day's receptions and follow-ups (from receptions) and the
complaints received that day, gathered as plain data for csoffice/printing/daily_sheet.py, and
printed (permission, file, audit row)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from peewee import JOIN

from csoffice import auth, complaints, receptions, settings
from csoffice.dates import parse_day
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Complaint, Customer, Staff
from csoffice.documents import save_printed
from csoffice.printing.daily_sheet import (
    CategoryGroup,
    ComplaintLine,
    DailySheet,
    ReceptionLine,
    daily_sheet_pdf,
)
from csoffice.validation import mask_phone


def complaints_received(day: dt.date) -> list[ComplaintLine]:
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
    return [
        ComplaintLine(
            number=number,
            received_at=at,
            who=customer or contact or "",
            category=complaints.category_label(category),
            severity=complaints.severity_label(severity),
            status=complaints.status_label(status),
            receiver=owner or "",
            facts=facts or "",
        )
        for number, at, contact, customer, category, severity, status, owner, facts in (
            tuples_of(query)
        )
    ]


def _line(r: receptions.ReceptionRow) -> ReceptionLine:
    channel = receptions.channel_label(r.channel)
    if r.channel == "phone":
        channel = f"{channel}·{receptions.direction_label(r.direction)}"
    caller = r.caller or mask_phone(r.caller_phone)
    if r.caller_kind != "customer":
        caller = f"{caller}（{receptions.caller_kind_label(r.caller_kind)}）"
    return ReceptionLine(
        received_at=r.received_at,
        channel=channel,
        caller=caller,
        caller_name=r.caller,
        phone=mask_phone(r.caller_phone),
        category=receptions.category_label(r.category),
        content=r.content,
        outcome=r.outcome,
        followup_needed=r.followup_needed,
        followup_due=r.followup_due,
        complaint_number=r.complaint_number,
        handler_name=r.handler_name,
    )


def sheet(day: dt.date) -> DailySheet:
    """What the sheet of ``day`` shows, its codes in the user's language."""
    figures = receptions.daily_figures(day)
    return DailySheet(
        day=day,
        office=settings.office(),
        total=figures.total,
        by_channel=[(receptions.channel_label(code), n) for code, n in figures.by_channel],
        categories=[
            CategoryGroup(
                receptions.category_label(code), [_line(r) for r in figures.of_category(code)]
            )
            for code, _n in figures.by_category
        ],
        followups_opened=figures.followups_opened,
        followups_owed=[_line(r) for r in figures.followups_owed],
        handlers=figures.handlers,
        complaints=complaints_received(day),
    )


def print_daily_sheet(actor: Staff, day: dt.date, out: Path) -> Path:
    """Write the sheet and note in the audit trail who printed which day."""
    auth.require(actor, "print")
    pdf = daily_sheet_pdf(sheet(day))
    return save_printed(actor, out, pdf, "daily_sheet", None, day.isoformat())


def report_command(actor: Staff, period: str, out: Path) -> None:
    """``python -m csoffice report daily 2026-11-24 --out FILE.pdf``."""
    print_daily_sheet(actor, parse_day(period), out)

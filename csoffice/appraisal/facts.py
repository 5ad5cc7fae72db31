"""The desk's facts beside the marks: what the records say about a person's month."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from peewee import fn

from csoffice import complaints, paper_file
from csoffice.appraisal.people import parse_period
from csoffice.db.lookup import tuple_of
from csoffice.db.models import (
    Complaint,
    Reception,
    ReturnVisit,
    now,
)
from csoffice.i18n import N_, _, format_number


@dataclass(frozen=True)
class Facts:
    """What the desk's records say about a person's month (see ``facts``)."""

    receptions: int = 0
    complaints_owned: int = 0
    complaints_closed: int = 0
    median_hours_to_close: float | None = None
    overdue: int = 0
    visits_done: int = 0
    visits_reached: int = 0
    complaint_satisfaction: float | None = None
    visit_satisfaction: float | None = None
    papers_late: int = 0


# --- Facts ----------------------------------------------------------------------------------


def facts(staff_id: int, period: str, at: dt.datetime | None = None) -> Facts:
    """The desk's figures for one person's month (start inclusive, end exclusive):

    - receptions: active (not voided) receptions they handled, by time received;
    - complaints owned: complaints they received (first responder), by time received;
    - complaints closed: complaints they own that were closed in the month (status closed),
      and the median hours from receipt to closing of those;
    - overdue: complaints they own, overdue in the month by complaints.OVERDUE_DEFINITION
      (the monthly report's own meaning);
    - visits done / reached: return visits they completed in the month, and those where the
      customer was reached;
    - satisfaction: the average (1–5) on the complaints they closed in the month and on the
      return visits they completed in it;
    - papers late: paper files they answer for whose hand-in deadline fell in the month and
      that were not complete by it (paper_file.late_files).
    """
    start, end = parse_period(period, (at or now()).date())
    at = at or now()
    receptions = (
        Reception.select()
        .where(
            Reception.handler == staff_id,
            Reception.status == "active",
            Reception.received_at >= start,
            Reception.received_at < end,
        )
        .count()
    )
    owned = (
        Complaint.select()
        .where(
            Complaint.receiver == staff_id,
            Complaint.received_at >= start,
            Complaint.received_at < end,
        )
        .count()
    )
    closed = list(
        Complaint.select(Complaint.received_at, Complaint.closed_at, Complaint.satisfaction).where(
            Complaint.receiver == staff_id,
            Complaint.status == "closed",
            Complaint.closed_at >= start,
            Complaint.closed_at < end,
        )
    )
    hours = [
        (c.closed_at - c.received_at).total_seconds() / 3600
        for c in closed
        if c.closed_at is not None  # always set: the query asks for a time closed
    ]
    complaint_scores = [c.satisfaction for c in closed if c.satisfaction is not None]
    overdue = complaints.overdue_in(start, end, at, receiver_id=staff_id)
    visits = tuple_of(
        ReturnVisit.select(
            fn.COUNT(ReturnVisit.id),
            fn.SUM((ReturnVisit.reached == True).cast("integer")),
            fn.AVG(ReturnVisit.satisfaction),
        ).where(
            ReturnVisit.done_by == staff_id,
            ReturnVisit.status == "done",
            ReturnVisit.done_at >= start,
            ReturnVisit.done_at < end,
        )
    )
    return Facts(
        receptions=receptions,
        complaints_owned=owned,
        complaints_closed=len(closed),
        median_hours_to_close=round(statistics.median(hours), 1) if hours else None,
        overdue=overdue,
        visits_done=int(visits[0] or 0),
        visits_reached=int(visits[1] or 0),
        complaint_satisfaction=(
            round(statistics.fmean(complaint_scores), 2) if complaint_scores else None
        ),
        visit_satisfaction=round(float(visits[2]), 2) if visits[2] is not None else None,
        papers_late=paper_file.late_files(
            staff_id, start.date(), (end - dt.timedelta(days=1)).date(), at.date()
        ),
    )


# Facts as (label, text) pairs, shared by the dialog and the printed form.
FACT_LABELS = [
    ("receptions", N_("Receptions logged")),
    ("complaints_owned", N_("Complaints received (first responder)")),
    ("complaints_closed", N_("Complaints closed")),
    ("median_hours_to_close", N_("Median time to close")),
    ("overdue", N_("Complaints past their resolution limit")),
    ("visits_done", N_("Return visits done")),
    ("visits_reached", N_("Customers reached on visits")),
    ("complaint_satisfaction", N_("Satisfaction on complaints closed")),
    ("visit_satisfaction", N_("Satisfaction on return visits")),
    ("papers_late", N_("Paper files handed in late")),
]


def fact_lines(values: Facts) -> list[tuple[str, str]]:
    """The facts as the form shows them: translated label and formatted value."""
    lines = []
    for key, label in FACT_LABELS:
        value = getattr(values, key)
        if value is None:
            text = "—"
        elif key == "median_hours_to_close":
            text = _("{hours} h").format(hours=format_number(value))
        elif key.endswith("satisfaction"):
            text = _("{score} of 5").format(score=format_number(value))
        else:
            text = format_number(value)
        lines.append((_(label), text))
    return lines

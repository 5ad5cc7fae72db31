"""Two one-page reports as plain data: a responsible department's complaints of a month (for the
manager to hand over) and one clerk's day (the rulebook's 每天递交工作报告).

The department's figures follow the complaint ledger (complaints.totals with the department
filter) and csoffice.reports' definitions, so they add up to the monthly report's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from csoffice import complaints, receptions, reports, visits
from csoffice.db.lookup import tuple_of, tuples_of
from csoffice.db.models import (
    AnswerUse,
    Complaint,
    ComplaintStep,
    Reception,
    ReturnVisit,
    Staff,
    now,
)
from csoffice.errors import NotFound
from csoffice.reports import ComplaintLine, DurationStats, Period
from csoffice.reports.figures import _complaint_lines, _count_by, _duration, _in, _ordered
from csoffice.visits import VisitRow

# --- Department ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentFigures:
    period: Period
    department: str  # code; "" = not yet handed to a department
    at: dt.datetime
    received: int
    closed: int
    rejected: int
    open: int
    awaiting_feedback: int
    overdue: int
    fault_known: int
    at_fault: int
    to_resolve: DurationStats
    satisfaction_average: float | None
    by_category: list[tuple[str, int]]
    by_severity: list[tuple[str, int]]
    items: list[ComplaintLine]
    all_departments: list[tuple[str, int]]  # every department's count, for comparison

    @property
    def at_fault_share(self) -> float | None:
        return self.at_fault / self.fault_known if self.fault_known else None

    @property
    def closure_rate(self) -> float | None:
        return (self.closed + self.rejected) / self.received if self.received else None


def department_figures(
    period: Period, department: str, at: dt.datetime | None = None
) -> DepartmentFigures:
    at = at or now()
    # The ledger's own conditions, on the department's complaints received in the period.
    mine = _in(Complaint.received_at, period) & (Complaint.department == department)
    mine &= complaints.COUNTED  # a duplicate counts with the complaint it repeats
    fault_known, at_fault, sat_avg = tuple_of(
        Complaint.select(
            fn.COUNT(Complaint.company_at_fault),
            fn.SUM((Complaint.company_at_fault == True).cast("integer")),
            fn.AVG(Complaint.satisfaction),
        ).where(mine)
    )
    by_status = _count_by(Complaint.status, mine)
    received = sum(by_status.values())
    overdue = Complaint.select().where(mine, complaints._overdue_condition(at)).count()
    items = _complaint_lines(period, department)
    figures = reports.complaint_figures(period, at, with_items=False)
    return DepartmentFigures(
        period=period,
        department=department,
        at=at,
        received=received,
        closed=by_status.get("closed", 0),
        rejected=by_status.get("rejected", 0),
        open=sum(by_status.get(s, 0) for s in complaints.OPEN_STATUSES),
        awaiting_feedback=by_status.get("handled", 0) + by_status.get("informed", 0),
        overdue=overdue,
        fault_known=int(fault_known or 0),
        at_fault=int(at_fault or 0),
        to_resolve=_duration(
            Complaint.closed_at, Complaint.received_at, mine & (Complaint.status == "closed")
        ),
        satisfaction_average=float(sat_avg) if sat_avg is not None else None,
        by_category=_ordered(
            _count_by(Complaint.category, mine), [c for c, _l in complaints.categories()]
        ),
        by_severity=_ordered(_count_by(Complaint.severity, mine), list(complaints.SEVERITIES)),
        items=items,
        all_departments=figures.by_department,
    )


def departments_with_complaints(period: Period) -> list[tuple[str, str]]:
    """(code, label) of the office's departments and any other that had complaints."""
    counts = _count_by(Complaint.department, _in(Complaint.received_at, period))
    codes = [c for c, _l in complaints.departments()]
    codes += [c for c in counts if c not in codes and c]
    return [(code, complaints.department_label(code)) for code in codes]


# --- Clerk's day --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClerkDay:
    day: dt.date
    staff_id: int
    staff_name: str
    receptions: list[receptions.ReceptionRow]  # taken by the clerk that day, in order
    by_category: list[tuple[str, int]]
    followups_done: list[receptions.ReceptionRow]  # follow-ups the clerk closed that day
    followups_owed: list[receptions.ReceptionRow]  # still open, due by that day
    visits_done: list[VisitRow]
    complaints_received: int  # first responder of complaints received that day
    complaint_steps: int  # steps the clerk signed on complaints that day
    answers_read: int
    no_answer: int

    @property
    def reception_count(self) -> int:
        return len(self.receptions)


def clerk_day(staff_id: int, day: dt.date) -> ClerkDay:
    staff = Staff.get_or_none(Staff.id == staff_id)
    if staff is None:
        raise NotFound(f"staff {staff_id}")
    period = Period.day(day)
    ids = receptions.search_ids(receptions.DayFilter.day(day, handler_id=staff_id))
    rows = sorted(receptions.rows(ids), key=lambda r: (r.received_at, r.id))
    rows = [r for r in rows if r.status == "active"]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.category] = counts.get(row.category, 0) + 1
    done_ids = [
        r[0]
        for r in tuples_of(
            Reception.select(Reception.id)
            .where(
                Reception.handler == staff_id,
                _in(Reception.followup_done_at, period),
                Reception.status == "active",
            )
            .order_by(Reception.followup_done_at)
        )
    ]
    owed = [
        r
        for r in receptions.followups_owed(handler_id=staff_id)
        if r.followup_due is None or r.followup_due <= day
    ]
    visit_ids = [
        v[0]
        for v in tuples_of(
            ReturnVisit.select(ReturnVisit.id)
            .where(
                ReturnVisit.done_by == staff_id,
                ReturnVisit.status == "done",
                _in(ReturnVisit.done_at, period),
            )
            .order_by(ReturnVisit.done_at)
        )
    ]
    uses = (
        AnswerUse.select()
        .join(Reception, on=(AnswerUse.reception == Reception.id))
        .where(Reception.handler == staff_id, _in(Reception.received_at, period))
    )
    return ClerkDay(
        day=day,
        staff_id=staff_id,
        staff_name=staff.display_name,
        receptions=rows,
        by_category=_ordered(counts, [c for c, _l in receptions.categories()]),
        followups_done=receptions.rows(done_ids),
        followups_owed=owed,
        visits_done=visits.rows(visit_ids, day) if visit_ids else [],
        complaints_received=Complaint.select()
        .where(Complaint.receiver == staff_id, _in(Complaint.received_at, period))
        .count(),
        complaint_steps=ComplaintStep.select()
        .where(ComplaintStep.staff == staff_id, _in(ComplaintStep.at, period))
        .count(),
        answers_read=uses.where(AnswerUse.answer.is_null(False)).count(),
        no_answer=uses.where(AnswerUse.answer.is_null()).count(),
    )


def clerks() -> list[tuple[int, str]]:
    """Who writes a daily report: the desk's active manager and clerks."""
    return receptions.handlers()

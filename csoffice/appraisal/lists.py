"""The Staff section's lists: each person's latest month and their months."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from csoffice.appraisal.scheme import MARKERS, _stored
from csoffice.auth import Role
from csoffice.db.models import (
    Appraisal,
    AppraisalMonth,
    Staff,
)

# --- Lists for the Staff section -------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    id: int
    username: str
    name: str
    role: str
    active: bool
    last_closed_period: str
    last_closed_grade: str
    open_months: int


@dataclass(frozen=True)
class MonthRow:
    period: str
    totals: dict[str, Decimal | None]
    signed: dict[str, bool]
    combined: Decimal | None
    grade: str
    closed: bool


def staff_rows() -> list[StaffRow]:
    """The staff to appraise: active clerks, and anyone who already has appraisal months.
    (A desk has a handful of people, so this is one small query.)"""
    with_months = AppraisalMonth.select(AppraisalMonth.staff)
    query = (
        Staff.select()
        .where(((Staff.active == True) & (Staff.role == Role.CLERK)) | Staff.id.in_(with_months))
        .order_by(Staff.active.desc(), Staff.display_name)
    )
    months: dict[int, list[AppraisalMonth]] = {}
    for row in AppraisalMonth.select().order_by(AppraisalMonth.period.desc()):
        months.setdefault(row.staff_id, []).append(row)
    result = []
    for staff in query:
        own = months.get(staff.id, [])
        closed = [m for m in own if m.closed]
        result.append(
            StaffRow(
                id=staff.id,
                username=staff.username,
                name=staff.display_name,
                role=staff.role,
                active=staff.active,
                last_closed_period=closed[0].period if closed else "",
                last_closed_grade=closed[0].grade if closed else "",
                open_months=sum(1 for m in own if not m.closed),
            )
        )
    return result


def month_rows(staff_id: int) -> list[MonthRow]:
    """A staff member's appraisal months, newest first."""
    marks: dict[str, dict[str, Appraisal]] = {}
    for mark in Appraisal.select().where(Appraisal.staff == staff_id):
        marks.setdefault(mark.period, {})[mark.marker] = mark
    result = []
    for row in (
        AppraisalMonth.select()
        .where(AppraisalMonth.staff == staff_id)
        .order_by(AppraisalMonth.period.desc())
    ):
        own = marks.get(row.period, {})
        result.append(
            MonthRow(
                period=row.period,
                totals={m: _stored(own[m].score) if m in own else None for m in MARKERS},
                signed={m: m in own and own[m].signed_at is not None for m in MARKERS},
                combined=_stored(row.combined_score),
                grade=row.grade,
                closed=row.closed,
            )
        )
    return result

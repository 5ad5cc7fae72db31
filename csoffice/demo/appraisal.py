"""Demo appraisals: every clerk's past months marked by themself, their supervisor and the
manager, signed and closed early the next month; this month's self marks under way.

The months are worked out in memory by the rules of csoffice.appraisal (the scheme and shares
of the day, each mark's score, the combined score and band) and written in bulk with their
audit rows. Going through save_marks, sign and close_month read the whole month's form back
after every step, facts and all: minutes on an office-size demo for figures nobody kept.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from typing import Any

import csoffice.demo.writer as writer
from csoffice import appraisal, audit
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Appraisal, AppraisalMonth, AuditLog, Staff
from csoffice.demo.desk import Desk

# How each demo clerk tends to be graded: the likely grades, best first.
TENDENCY = {
    "wangfang": ["A", "A", "B", "B", "B", "C"],
    "lijing": ["A", "B", "B", "B", "C", "C"],
    "zhangwei": ["B", "B", "C", "C", "C", "D"],
}
SUPERVISOR = "lijing"  # the senior clerk marks the other clerks; the manager marks her


def _months_back(today: dt.date, count: int) -> list[str]:
    """The ``count`` months before this one, oldest first."""
    periods = []
    year, month = today.year, today.month
    for _step in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        periods.append(f"{year:04d}-{month:02d}")
    return periods[::-1]


def _grades(
    rng: random.Random, scheme: appraisal.Scheme, tendency: list[str], lenient: bool
) -> dict[str, str]:
    grades = {}
    for item in scheme.items:
        grade = rng.choice(tendency)
        if lenient and grade != "A" and rng.random() < 0.3:  # people grade themselves kindly
            grade = "ABCDE"["ABCDE".index(grade) - 1]
        grades[item.code] = grade
    return grades


def _signed(period: str, day: int, now: dt.datetime) -> dt.datetime:
    """When the month's marks were signed: a few days into the next month, as the desk
    really does it (last month's: by now at the latest)."""
    year, month = (int(part) for part in period.split("-"))
    start = dt.datetime(year + (month == 12), month % 12 + 1, 1, 17, 30)
    return min(start + dt.timedelta(days=day), now - dt.timedelta(hours=3))


@dataclass
class _Month:
    """A staff member's month as save_marks, sign and close_month would leave it."""

    staff: Staff
    period: str
    opened_by: Staff
    opened_at: dt.datetime
    supervisor: int | None
    marks: list[dict[str, Any]] = field(default_factory=list)
    audit: list[tuple[Staff, str, str, dict | None, dt.datetime]] = field(default_factory=list)
    combined: Any = None
    grade: str = ""
    closed_at: dt.datetime | None = None
    closed_by: Staff | None = None


class _Office:
    """The office's appraisal rules of the day, applied to months in memory."""

    def __init__(self, desk: Desk):
        self.desk = desk
        self.scheme = appraisal.current_scheme()
        self.shares = appraisal.shares()
        self.months: list[_Month] = []

    def open(self, staff: Staff, period: str, by: Staff, at: dt.datetime, supervisor) -> _Month:
        month = _Month(staff, period, by, at, supervisor)
        self.months.append(month)
        return month

    def mark(
        self, month: _Month, marker: str, who: Staff, grades: dict[str, str], at: dt.datetime
    ) -> None:
        result = appraisal.score(self.scheme, grades)
        month.marks.append(
            dict(
                marker=marker,
                grades=grades,
                total=result.total if result.complete else None,
                by=who,
                at=at,
                signed_at=None,
            )
        )
        summary = f"{month.staff.username} {month.period} {marker}"
        month.audit.append((who, "update", summary, audit.diff({}, grades), at))
        self._combine(month)

    def sign(self, month: _Month, marker: str, who: Staff, at: dt.datetime) -> None:
        mark = next(m for m in month.marks if m["marker"] == marker)
        mark.update(signed_at=at, signed_by=who, at=at)
        month.audit.append(
            (who, "sign", f"{month.staff.username} {month.period} {marker}", None, at)
        )

    def close(self, month: _Month, at: dt.datetime) -> None:
        month.closed_at, month.closed_by = at, self.desk.manager
        summary = f"{month.staff.username} {month.period} {month.combined} {month.grade}"
        month.audit.append((self.desk.manager, "close", summary, None, at))

    def _combine(self, month: _Month) -> None:
        totals = {m["marker"]: m["total"] for m in month.marks}
        month.combined = appraisal.combine(totals, self.shares)
        month.grade = appraisal.band(month.combined)


def create(desk: Desk) -> int:
    """Appraisal months for the demo clerks; returns how many months were marked."""
    actor, rng, months, today = desk.manager, desk.rng("appraisal"), desk.months, desk.today
    clerks = [s for s in desk.clerks if s.username in TENDENCY]
    supervisor = Staff.get_or_none(Staff.username == SUPERVISOR)
    office = _Office(desk)
    done = {
        (staff_id, period)
        for staff_id, period in tuples_of(
            AppraisalMonth.select(AppraisalMonth.staff, AppraisalMonth.period).where(
                AppraisalMonth.staff.in_([c.id for c in clerks])
            )
        )
    }
    for clerk in clerks:
        tendency = TENDENCY[clerk.username]
        marker_of = supervisor if supervisor and supervisor.id != clerk.id else actor
        chosen = marker_of.id if marker_of is not actor else None
        periods = _months_back(today, max(months - 1, 0))
        for period in periods:
            if (clerk.id, period) in done:
                continue
            grades = [
                _grades(rng, office.scheme, tendency, lenient=marker == "self")
                for marker in appraisal.MARKERS
            ]
            signed = _signed(period, rng.randint(1, 4), desk.now)
            if chosen and period == periods[0]:  # later months inherit the choice
                month = office.open(clerk, period, actor, signed - dt.timedelta(days=2), chosen)
                change = {"supervisor": [None, chosen]}
                month.audit.append(
                    (
                        actor,
                        "update",
                        f"{clerk.username} {period} supervisor",
                        change,
                        month.opened_at,
                    )
                )
            else:
                month = office.open(clerk, period, clerk, signed - dt.timedelta(days=1), chosen)
            steps = (("self", clerk, 24), ("supervisor", marker_of, 2), ("manager", actor, 0))
            for (marker, who, hours_before), given in zip(steps, grades, strict=True):
                at = signed - dt.timedelta(hours=hours_before)
                office.mark(month, marker, who, given, at - dt.timedelta(minutes=20))
                office.sign(month, marker, who, at)
            office.close(month, min(signed + dt.timedelta(days=2), desk.now))
        current = appraisal.period_of(today)
        if (clerk.id, current) not in done:
            grades = _grades(rng, office.scheme, tendency, lenient=True)
            partial = dict(list(grades.items())[: rng.randint(5, len(grades))])
            at = desk.now - dt.timedelta(hours=rng.randint(1, 8))
            inherited = chosen if periods else None
            month = office.open(clerk, current, clerk, at, inherited)
            office.mark(month, "self", clerk, partial, at)
    _write(desk, office)
    return len(office.months)


MONTH_COLUMNS = [
    "staff",
    "period",
    "combined_score",
    "grade",
    "closed",
    "closed_at",
    "supervisor",
    "scheme",
    "shares",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
]
MARK_COLUMNS = ["staff", "period", "marker", "marks", "score", "signed_by", "signed_at"]
MARK_COLUMNS += ["created_by", "created_at", "updated_by", "updated_at"]
AUDIT_COLUMNS = ["at", "staff", "origin", "action", "entity", "entity_id", "summary", "changes"]


def _write(desk: Desk, office: _Office) -> None:
    scheme, shares = office.scheme.to_json(), json.dumps(office.shares)
    rows = []
    for m in office.months:
        last = m.closed_by or m.marks[-1]["by"]
        changed = m.closed_at or m.marks[-1]["at"]
        rows.append(
            (
                m.staff.id,
                m.period,
                m.combined,
                m.grade,
                m.closed_at is not None,
                m.closed_at,
                m.supervisor,
                scheme,
                shares if m.closed_at else "",
                m.opened_by.id,
                m.opened_at,
                last.id,
                changed,
            )
        )
    ids = writer.insert_returning_ids(AppraisalMonth, MONTH_COLUMNS, rows)
    marks, trail = [], []
    for month_id, m in zip(ids, office.months, strict=True):
        for mark in m.marks:
            signer = mark.get("signed_by")
            marks.append(
                (
                    m.staff.id,
                    m.period,
                    mark["marker"],
                    json.dumps(mark["grades"], ensure_ascii=False, sort_keys=True),
                    mark["total"],
                    signer.id if signer else None,
                    mark["signed_at"],
                    mark["by"].id,
                    mark["at"],
                    mark["by"].id,
                    mark["at"],
                )
            )
        for who, action, summary, changes, at in m.audit:
            # As audit.record writes it: the command line's manager by its origin.
            origin = getattr(who, "audit_origin", "")
            text = json.dumps(changes, ensure_ascii=False) if changes else ""
            trail.append((at, who.id, origin, action, "appraisal", month_id, summary, text))
    writer.insert(Appraisal, MARK_COLUMNS, marks)
    writer.insert(AuditLog, AUDIT_COLUMNS, sorted(trail, key=lambda row: row[0]))

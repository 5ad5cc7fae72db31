"""Demo appraisals: every clerk's past months marked by themself, their supervisor and the
manager, signed and closed early the next month; this month's self marks under way."""

from __future__ import annotations

import datetime as dt
import random

from csoffice import appraisal
from csoffice.db.models import Appraisal, AppraisalMonth, Staff
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


def _grades(rng: random.Random, tendency: list[str], lenient: bool) -> dict[str, str]:
    grades = {}
    for item in appraisal.current_scheme().items:
        grade = rng.choice(tendency)
        if lenient and grade != "A" and rng.random() < 0.3:  # people grade themselves kindly
            grade = "ABCDE"["ABCDE".index(grade) - 1]
        grades[item.code] = grade
    return grades


def _backdate(staff: Staff, period: str, day: int, now: dt.datetime) -> None:
    """Signatures and closing a few days into the next month, as the desk really does it
    (last month's: by now at the latest)."""
    year, month = (int(part) for part in period.split("-"))
    start = dt.datetime(year + (month == 12), month % 12 + 1, 1, 17, 30)
    signed = min(start + dt.timedelta(days=day), now - dt.timedelta(hours=3))
    Appraisal.update(signed_at=signed).where(
        Appraisal.staff == staff, Appraisal.period == period, Appraisal.signed_at.is_null(False)
    ).execute()
    AppraisalMonth.update(closed_at=min(signed + dt.timedelta(days=2), now)).where(
        AppraisalMonth.staff == staff,
        AppraisalMonth.period == period,
        AppraisalMonth.closed == True,
    ).execute()


def create(desk: Desk) -> int:
    """Appraisal months for the demo clerks; returns how many months were marked."""
    actor, rng, months, today = desk.manager, desk.rng("appraisal"), desk.months, desk.today
    clerks = [s for s in desk.clerks if s.username in TENDENCY]
    supervisor = Staff.get_or_none(Staff.username == SUPERVISOR)
    count = 0
    for clerk in clerks:
        tendency = TENDENCY[clerk.username]
        marker_of = supervisor if supervisor and supervisor.id != clerk.id else actor
        periods = _months_back(today, max(months - 1, 0))
        for period in periods:
            if AppraisalMonth.get_or_none(
                AppraisalMonth.staff == clerk, AppraisalMonth.period == period
            ):
                continue
            if marker_of is not actor and period == periods[0]:  # later months inherit
                appraisal.choose_supervisor(actor, clerk.id, period, marker_of.id)
            for marker, who in (("self", clerk), ("supervisor", marker_of), ("manager", actor)):
                grades = _grades(rng, tendency, lenient=marker == "self")
                appraisal.save_marks(who, clerk.id, period, marker, grades)
                appraisal.sign(who, clerk.id, period, marker)
            appraisal.close_month(actor, clerk.id, period)
            _backdate(clerk, period, rng.randint(1, 4), desk.now)
            count += 1
        current = appraisal.period_of(today)
        if not AppraisalMonth.get_or_none(
            AppraisalMonth.staff == clerk, AppraisalMonth.period == current
        ):
            grades = _grades(rng, tendency, lenient=True)
            partial = dict(list(grades.items())[: rng.randint(5, len(grades))])
            appraisal.save_marks(clerk, clerk.id, current, "self", partial)
            count += 1
    return count

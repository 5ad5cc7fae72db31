"""The daily, weekly and monthly reports as a whole, and the dashboard's figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from csoffice.db.models import (
    Reception,
    now,
)
from csoffice.reports.figures import (
    ComplaintFigures,
    FeedbackFigures,
    MemberFigures,
    ReceptionFigures,
    VisitFigures,
    _reception_counts,
    complaint_figures,
    feedback_figures,
    member_figures,
    reception_figures,
    visit_figures,
)
from csoffice.reports.notes import Note, load_note
from csoffice.reports.periods import Period

# --- The reports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFigures:
    """What every report holds: receptions, complaints and return visits of its period."""

    period: Period
    at: dt.datetime  # figures as they stood then
    receptions: ReceptionFigures
    complaints: ComplaintFigures
    visits: VisitFigures


@dataclass(frozen=True)
class MonthlyReport(ReportFigures):
    members: MemberFigures
    note: Note


@dataclass(frozen=True)
class WeeklyReport(ReportFigures):
    feedback: FeedbackFigures
    note: Note


@dataclass(frozen=True)
class DailyReport(ReportFigures):
    """The day's receptions and return visits (the printed sheet is printing/daily_sheet.py)."""


def _report_figures(period: Period, at: dt.datetime) -> dict:
    """The fields of ReportFigures for ``period`` as at ``at``, to build any report from."""
    return {
        "period": period,
        "at": at,
        "receptions": reception_figures(period),
        "complaints": complaint_figures(period, at),
        "visits": visit_figures(period),
    }


def monthly_report(period: Period, at: dt.datetime | None = None) -> MonthlyReport:
    return MonthlyReport(
        **_report_figures(period, at or now()),
        members=member_figures(period),
        note=load_note("monthly", period),
    )


def weekly_report(period: Period, at: dt.datetime | None = None) -> WeeklyReport:
    return WeeklyReport(
        **_report_figures(period, at or now()),
        feedback=feedback_figures(period),
        note=load_note("weekly", period),
    )


def daily_report(period: Period, at: dt.datetime | None = None) -> DailyReport:
    return DailyReport(**_report_figures(period, at or now()))


def report(kind: str, period: Period, at: dt.datetime | None = None):
    """The figures of a report of ``kind`` for ``period``."""
    builders = {"daily": daily_report, "weekly": weekly_report, "monthly": monthly_report}
    return builders[kind](period, at)


# --- The dashboard ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    """This month so far beside the same days of last month, and all of last month."""

    today: dt.date
    this_month: Period  # the 1st to today
    last_month_to_date: Period  # the 1st of last month to the same day (or its last day)
    last_month: Period
    receptions: ReceptionFigures  # this month so far; previous = last month to date
    receptions_last_month: int
    complaints_now: ComplaintFigures
    complaints_before: ComplaintFigures
    complaints_last_month: ComplaintFigures
    visits_now: VisitFigures
    visits_before: VisitFigures
    visits_last_month: VisitFigures


def dashboard(today: dt.date | None = None, at: dt.datetime | None = None) -> Dashboard:
    today = today or dt.date.today()
    at = at or now()
    this_month = Period.span(today.replace(day=1), today)
    last_month = Period.month(today.year, today.month).previous()
    last_day = min(today.day, last_month.last.day)
    before = Period.span(last_month.first, last_month.first.replace(day=last_day))
    compared = Period("span", this_month.first, this_month.last, before=before)
    return Dashboard(
        today=today,
        this_month=this_month,
        last_month_to_date=before,
        last_month=last_month,
        receptions=reception_figures(compared),
        receptions_last_month=sum(_reception_counts(Reception.channel, last_month).values()),
        complaints_now=complaint_figures(this_month, at, with_items=False),
        complaints_before=complaint_figures(before, at, with_items=False),
        complaints_last_month=complaint_figures(last_month, at, with_items=False),
        visits_now=visit_figures(this_month),
        visits_before=visit_figures(before),
        visits_last_month=visit_figures(last_month),
    )

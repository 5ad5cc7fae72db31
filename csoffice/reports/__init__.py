"""The figures of the daily, weekly and monthly reports (日报 / 周报 / 服务月报), as plain data.

This module is the one source of every number the reports show: the printed PDFs, the
dashboard and the Excel export all read the dataclasses built here, so a figure is the same
everywhere. Each figure is one SQL aggregate (GROUP BY, COUNT, SUM, AVG); only the list of
complaints is read row by row, because the report must name every one of them.

Complaint figures are about the complaints *received* in the period, as they stand when the
report is made ("as at"); the counts, open and overdue follow the complaint ledger's own
definitions (complaints.totals), so the report matches the ledger exactly.
"""

from csoffice.reports.documents import (
    DailyReport,
    Dashboard,
    MonthlyReport,
    ReportFigures,
    WeeklyReport,
    daily_report,
    dashboard,
    monthly_report,
    report,
    weekly_report,
)
from csoffice.reports.figures import (
    CLOSURE_DEFINITION,
    FEEDBACK_CATEGORIES,
    Compared,
    ComplaintFigures,
    ComplaintLine,
    DurationStats,
    FeedbackFigures,
    FeedbackLine,
    GiftLine,
    MemberFigures,
    ReceptionFigures,
    VisitFigures,
    complaint_figures,
    department_text,
    feedback_figures,
    level_text,
    member_figures,
    reception_figures,
    visit_figures,
)
from csoffice.reports.notes import Note, load_note, notes_name_real_periods, save_note
from csoffice.reports.periods import (
    KINDS,
    NOTE_KINDS,
    SATISFACTION,
    VISIT_KINDS,
    Period,
    average_text,
    current_period,
    hours_text,
    parse_period,
    satisfaction_label,
    share_text,
    visit_kind_label,
    weeks_in_year,
)

__all__ = [
    "CLOSURE_DEFINITION",
    "FEEDBACK_CATEGORIES",
    "KINDS",
    "NOTE_KINDS",
    "SATISFACTION",
    "VISIT_KINDS",
    "Compared",
    "ComplaintFigures",
    "ComplaintLine",
    "DailyReport",
    "Dashboard",
    "DurationStats",
    "FeedbackFigures",
    "FeedbackLine",
    "GiftLine",
    "MemberFigures",
    "MonthlyReport",
    "Note",
    "Period",
    "ReceptionFigures",
    "ReportFigures",
    "VisitFigures",
    "WeeklyReport",
    "average_text",
    "complaint_figures",
    "current_period",
    "daily_report",
    "dashboard",
    "department_text",
    "feedback_figures",
    "hours_text",
    "level_text",
    "load_note",
    "member_figures",
    "monthly_report",
    "notes_name_real_periods",
    "parse_period",
    "reception_figures",
    "report",
    "satisfaction_label",
    "save_note",
    "share_text",
    "visit_figures",
    "visit_kind_label",
    "weekly_report",
    "weeks_in_year",
]

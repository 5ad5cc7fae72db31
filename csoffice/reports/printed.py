"""The printed reports: the monthly and weekly reports, a department's complaints and a clerk's
day. Each gathers its figures, checks that the actor may print, has csoffice.printing lay them
out, and writes the PDF and the audit row together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from csoffice import answers, auth, complaints, desk_reports, settings
from csoffice.appraisal.people import staff_by_username
from csoffice.dates import parse_day
from csoffice.db.models import Staff
from csoffice.documents import save_printed
from csoffice.errors import CsofficeError
from csoffice.i18n import _
from csoffice.printing.clerk_daily import render_clerk_daily
from csoffice.printing.department_report import render_department_report
from csoffice.printing.monthly_report import render_monthly_report
from csoffice.printing.weekly_report import render_weekly_report
from csoffice.reports.documents import MonthlyReport, report
from csoffice.reports.periods import Period, parse_period
from csoffice.settings import Office
from csoffice.trends import trends

Progress = Callable[[int, int, str], None]


def print_report(
    actor: Staff,
    kind: str,
    period: Period,
    out: Path,
    render: Callable[[Any, Office, str], bytes],
    at: dt.datetime | None = None,
    progress: Progress | None = None,
) -> Path:
    """Count the figures of the ``kind`` report of ``period``, lay them out with ``render`` and
    note in the audit trail who printed it; ``progress`` hears of each step (and may cancel)."""
    auth.require(actor, "print")
    if progress:
        progress(0, 2, _("Counting the figures…"))
    figures = report(kind, period, at)
    if progress:  # also where a cancelled run stops
        progress(1, 2, _("Laying out the pages…"))
    pdf = render(figures, settings.office(), actor.display_name)
    return save_printed(actor, out, pdf, f"{kind}_report", None, period.code)


def monthly_report_pdf(figures: MonthlyReport, office: Office, prepared_by: str) -> bytes:
    """The monthly report of ``figures`` as a PDF, with the appendices' trends and answer use
    counted for its month."""
    period = figures.period
    return render_monthly_report(
        figures, trends(period), answers.usage(period), office, prepared_by
    )


def print_monthly_report(
    actor: Staff,
    period: Period,
    out: Path,
    at: dt.datetime | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the monthly report of ``period`` and note in the audit trail who printed it."""
    return print_report(actor, "monthly", period, out, monthly_report_pdf, at, progress)


def print_weekly_report(
    actor: Staff,
    period: Period,
    out: Path,
    at: dt.datetime | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the weekly report of ``period`` and note in the audit trail who printed it."""
    return print_report(actor, "weekly", period, out, render_weekly_report, at, progress)


def monthly_command(actor: Staff, period: str, out: Path) -> None:
    """``python -m csoffice report monthly 2026-11 --out FILE.pdf``."""
    print_monthly_report(actor, parse_period(period, "monthly"), out)


def weekly_command(actor: Staff, period: str, out: Path) -> None:
    """``python -m csoffice report weekly 2026-W48 --out FILE.pdf``."""
    print_weekly_report(actor, parse_period(period, "weekly"), out)


def print_department_report(actor: Staff, department: str, period: Period, out: Path) -> Path:
    """One department's complaints of the month ``period``, for its head (audited)."""
    auth.require(actor, "print")
    figures = desk_reports.department_figures(period, department)
    pdf = render_department_report(figures, settings.office())
    return save_printed(actor, out, pdf, "department_report", None, f"{department} {period.code}")


def department_command(actor: Staff, args: list[str], out: Path) -> None:
    """``python -m csoffice print department CODE YYYY-MM --out FILE.pdf``."""
    if len(args) != 2:
        raise CsofficeError(_("Give a department's code and a month, such as aftersales 2026-11."))
    codes = {c for c, _l in complaints.departments()}
    labels = {label: c for c, label in complaints.departments()}
    code = labels.get(args[0], args[0])
    if code not in codes:
        raise CsofficeError(
            _("No department “{name}”; the office has: {names}").format(
                name=args[0], names="、".join(sorted(codes))
            )
        )
    print_department_report(actor, code, parse_period(args[1], "monthly"), out)


def print_clerk_daily(actor: Staff, staff_id: int, day: dt.date, out: Path) -> Path:
    """A clerk prints their own day; the manager anyone's."""
    auth.require(actor, "print")
    if staff_id != actor.id and actor.role != auth.Role.MANAGER:
        raise CsofficeError(_("Only the manager may print another clerk's work report."))
    figures = desk_reports.clerk_day(staff_id, day)
    pdf = render_clerk_daily(figures, settings.office())
    return save_printed(actor, out, pdf, "clerk_daily", staff_id, day.isoformat())


def clerk_daily_command(actor: Staff, args: list[str], out: Path) -> None:
    """``python -m csoffice print clerk-daily USERNAME 2026-11-24 --out FILE.pdf``."""
    if len(args) != 2:
        raise CsofficeError(_("Give a clerk's user name and a day, such as wangfang 2026-11-24."))
    staff = staff_by_username(args[0])
    print_clerk_daily(actor, staff.id, parse_day(args[1]), out)

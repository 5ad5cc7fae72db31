"""The weekly report (周报) for an ISO week: complaints received, market feedback (suggestions
and consultations), return visits, and the manager's notes; every figure from csoffice.reports."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from csoffice import receptions, reports
from csoffice.i18n import _, format_datetime, format_number
from csoffice.printing import charts
from csoffice.printing.report_parts import (
    BODY,
    _fit,
    _table,
    build,
    closing,
    compared_table,
    complaint_part,
    counts_table,
    cover,
    heading,
    p,
    side_by_side,
    visit_section,
)
from csoffice.printing.styles import Office, header_row


def _feedback_section(
    figures: reports.FeedbackFigures, number: str, columns: list[str]
) -> list[Flowable]:
    half = BODY / 2 - 3 * mm
    channels = [(receptions.channel_label(code), k) for code, k in figures.by_channel]
    out: list[Flowable] = [
        heading(_("{n}. Market feedback").format(n=number)),
        compared_table(_("Category"), figures.by_category, receptions.category_label, columns),
        Spacer(1, 3 * mm),
        side_by_side(
            counts_table(_("Channel"), channels, half),
            charts.pie_chart(_("Feedback by channel"), channels, half, 58 * mm),
        ),
        Spacer(1, 3 * mm),
        p(
            _("Suggestions received ({count})").format(
                count=format_number(len(figures.suggestions))
            ),
            "label",
        ),
    ]
    if not figures.suggestions:
        out.append(p(_("No suggestions were received this week."), "base"))
        return out
    widths = [22 * mm, 20 * mm, 28 * mm, 0]
    widths[3] = BODY - sum(widths)
    head = header_row(_("Received"), _("Channel"), _("Customer"), _("What was suggested"))
    body = [
        [
            _fit(format_datetime(line.received_at, "MM-dd HH:mm"), widths[0], 9),
            _fit(receptions.channel_label(line.channel), widths[1], 9),
            _fit(line.caller, widths[2], 9),
            p(line.content),
        ]
        for line in figures.suggestions
    ]
    out.append(_table([head, *body], widths))
    return out


def render_weekly_report(report: reports.WeeklyReport, office: Office, prepared_by: str) -> bytes:
    """The weekly report of ``report``'s figures as an A4 PDF."""
    title = _("Weekly report")
    columns = [_("This week"), _("Previous week"), _("Change"), _("Same week last year")]
    story: list[Flowable] = [
        *cover(title, office, report.period, prepared_by, report.at),
        *complaint_part(_("{n}. Complaints received").format(n="1"), report.complaints, "2"),
        *_feedback_section(report.feedback, "3", columns),
        *visit_section(report.visits, "4"),
        *closing(report.note, "5"),
    ]
    footer = f"{title} · {report.period.code}"
    return build(f"{title} {report.period.code}", office, footer, story)

"""The monthly service report (服务月报): A4, several pages, signed by the preparer and the
manager. Receptions, complaints (and the list of every one), return visits, membership, and
the manager's open problems and proposed improvements; every figure from csoffice.reports."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from csoffice import reports
from csoffice.answers import AnswerUsage
from csoffice.i18n import _, format_number
from csoffice.printing import charts
from csoffice.printing.report_parts import (
    BODY,
    _table,
    build,
    closing,
    complaint_part,
    counts_table,
    cover,
    definitions,
    figure_pairs,
    heading,
    p,
    reception_section,
    side_by_side,
    visit_section,
)
from csoffice.printing.styles import Office, header_row
from csoffice.printing.trends_appendix import appendix
from csoffice.trends import Trends


def _key_figures(report: reports.MonthlyReport) -> list[Flowable]:
    c, v, m = report.complaints, report.visits, report.members
    return [
        heading(_("Key figures")),
        figure_pairs(
            [
                (_("Receptions"), format_number(report.receptions.total.current)),
                (_("Complaints received in the period"), format_number(c.received)),
                (_("Complaints closed"), format_number(c.closed)),
                (_("Complaints open"), format_number(c.open + c.awaiting_feedback)),
                (_("Overdue"), format_number(c.overdue)),
                (_("Closure rate"), reports.share_text(c.closure_rate)),
                (_("Complaint satisfaction"), reports.average_text(c.satisfaction_average)),
                (_("Return visits done"), format_number(v.done)),
                (_("New members"), format_number(m.new_members)),
                (_("Members at the end of the month"), format_number(m.members)),
            ]
        ),
        definitions(),
    ]


def _member_section(figures: reports.MemberFigures, number: str) -> list[Flowable]:
    half = BODY / 2 - 3 * mm
    levels = [(reports.level_text(name), count) for name, count in figures.by_level]
    out: list[Flowable] = [
        heading(_("{n}. Membership").format(n=number)),
        figure_pairs(
            [
                (_("New members"), format_number(figures.new_members)),
                (_("Members at the end of the month"), format_number(figures.members)),
                (_("Cards reported lost"), format_number(figures.lost)),
                (_("Cards reissued"), format_number(figures.reissued)),
                (_("Cards cancelled"), format_number(figures.cancelled)),
                (_("Points earned"), format_number(figures.points_earned)),
                (_("Points redeemed for gifts"), format_number(figures.points_redeemed)),
                (_("Points expired"), format_number(figures.points_expired)),
                (_("Prospects recommended"), format_number(figures.referrals)),
                (_("Of those, became customers"), format_number(figures.referrals_won)),
            ]
        ),
        Spacer(1, 3 * mm),
        side_by_side(
            counts_table(_("Member level"), levels, half),
            charts.pie_chart(_("Members by level"), levels, half, 58 * mm),
        ),
        Spacer(1, 3 * mm),
    ]
    if figures.gifts:
        head = header_row(_("Gift"), _("Redemptions"), _("Quantity"), _("Points"))
        body = [
            [
                p(g.name),
                format_number(g.redemptions),
                format_number(g.quantity),
                format_number(g.points),
            ]
            for g in figures.gifts
        ]
        out.append(
            KeepTogether(
                [
                    p(_("Gifts redeemed"), "label"),
                    _table([head, *body], [BODY - 72 * mm] + [24 * mm] * 3, numbers_from=1),
                ]
            )
        )
    else:
        out.append(p(_("No gifts were redeemed this month."), "base"))
    return out


def render_monthly_report(
    report: reports.MonthlyReport,
    trends: Trends,
    usage: AnswerUsage,
    office: Office,
    prepared_by: str,
) -> bytes:
    """The monthly report of ``report``'s figures as an A4 PDF, its appendices showing
    ``trends`` and the answer library's ``usage`` over the month."""
    title = _("Monthly service report")
    columns = [_("This month"), _("Previous month"), _("Change"), _("Same month last year")]
    series = [_("This month"), _("Previous month"), _("Same month last year")]
    story: list[Flowable] = [
        *cover(title, office, report.period, prepared_by, report.at),
        *_key_figures(report),
        *reception_section(report.receptions, "1", columns, series),
        *complaint_part(_("{n}. Complaints").format(n="2"), report.complaints, "3"),
        *visit_section(report.visits, "4"),
        *_member_section(report.members, "5"),
        *closing(report.note, "6"),
        *appendix(trends, usage, 7),
    ]
    footer = f"{title} · {report.period.label()}"
    return build(f"{title} {report.period.code}", office, footer, story)

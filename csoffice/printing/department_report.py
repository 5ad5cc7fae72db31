"""The one-page department report (责任部门投诉报告): a responsible department's complaints of a
month — how many, how fast resolved, the company's fault, overdue — for the manager to hand to
the department. Every figure from csoffice.desk_reports."""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from csoffice import complaints, reports
from csoffice.desk_reports import DepartmentFigures
from csoffice.i18n import _, format_date, format_datetime, format_number
from csoffice.printing import charts
from csoffice.printing.report_parts import (
    BODY,
    _fit,
    _table,
    counts_table,
    figure_pairs,
    heading,
    p,
    side_by_side,
)
from csoffice.printing.styles import (
    Office,
    build_on_letterhead,
    document,
    header_row,
    signature_block,
)

LIST_ROWS = 14  # what fits on the one page below the figures


def _list(f: DepartmentFigures) -> list[Flowable]:
    head = header_row(_("No."), _("Received"), _("Category"), _("Status"), _("Facts"), _("Hours"))
    widths = [30 * mm, 22 * mm, 20 * mm, 18 * mm, BODY - 105 * mm, 15 * mm]
    body = [
        [
            line.number,
            format_date(line.received_at.date(), "short"),
            p(complaints.category_label(line.category), "small"),
            p(complaints.status_label(line.status), "small"),
            p(_fit(line.facts, widths[4] - 4, 7.5), "small"),
            reports.hours_text(line.hours_to_close) if line.hours_to_close is not None else "—",
        ]
        for line in f.items[:LIST_ROWS]
    ]
    out: list[Flowable] = [_table([head, *body], widths, font_size=7.5, numbers_from=5)]
    if len(f.items) > LIST_ROWS:
        out.append(
            p(
                _("… and {n} more in the complaint ledger.").format(
                    n=format_number(len(f.items) - LIST_ROWS)
                ),
                "small",
            )
        )
    return out


def render_department_report(f: DepartmentFigures, office: Office) -> bytes:
    """One department's complaints of a month as an A4 PDF, for its head to sign."""
    title = _("Department complaint report")
    name = reports.department_text(f.department)
    out = io.BytesIO()
    doc = document(out, f"{title} {name} {f.period.code}", office.display_name)
    half = BODY / 2 - 3 * mm
    story: list[Flowable] = [
        p(title, "title"),
        p(
            _("{department} · {period} · figures as at {at}").format(
                department=name, period=f.period.label(), at=format_datetime(f.at)
            ),
            "base",
        ),
        Spacer(1, 2 * mm),
        figure_pairs(
            [
                (_("Complaints received in the period"), format_number(f.received)),
                (_("Closed"), format_number(f.closed)),
                (_("Still open"), format_number(f.open + f.awaiting_feedback)),
                (_("Overdue"), format_number(f.overdue)),
                (_("Average time to resolve"), reports.hours_text(f.to_resolve.average_hours)),
                (_("90% were resolved within"), reports.hours_text(f.to_resolve.p90_hours)),
                (_("Share where the company was at fault"), reports.share_text(f.at_fault_share)),
                (_("Customer satisfaction"), reports.average_text(f.satisfaction_average)),
            ]
        ),
        Spacer(1, 3 * mm),
        side_by_side(
            counts_table(
                _("Category"),
                [(complaints.category_label(c), k) for c, k in f.by_category],
                half,
            ),
            charts.bar_chart(
                _("Complaints per department this month"),
                [reports.department_text(c) for c, _k in f.all_departments],
                [(_("Complaints"), [k for _c, k in f.all_departments])],
                half,
                50 * mm,
            ),
        ),
        heading(_("The department's complaints")),
        *(_list(f) if f.items else [p(_("No complaints this month."), "base")]),
        Spacer(1, 5 * mm),
        KeepTogether(signature_block([_("Customer service manager"), _("Department head")], BODY)),
    ]
    build_on_letterhead(doc, story, office, f"{title} · {name} · {f.period.code}")
    return out.getvalue()

"""The report figures as tables: the Excel export of a daily, weekly or monthly report, one sheet
per section. The figures are csoffice.reports' own, so the workbook matches the printed report."""

from __future__ import annotations

from pathlib import Path

from csoffice import audit, auth, complaints, receptions, survey, transfer
from csoffice.db.database import db
from csoffice.db.models import Staff
from csoffice.errors import ValidationError
from csoffice.files import partial_file
from csoffice.i18n import _
from csoffice.reports import (
    Compared,
    ComplaintFigures,
    DailyReport,
    MonthlyReport,
    VisitFigures,
    WeeklyReport,
    department_text,
    level_text,
    satisfaction_label,
    visit_kind_label,
)
from csoffice.reports.sections import Section
from csoffice.trends_export import appendix_sections
from csoffice.xlsx_writer import XlsxWriter

__all__ = ["Section", "export_xlsx", "sections"]


def _compared_rows(rows: list[Compared], label) -> list[list]:
    return [[label(c.code), c.current, c.previous, c.change, c.year_before] for c in rows]


def _complaint_sections(figures: ComplaintFigures) -> list[Section]:
    count = _("Count")
    summary = [
        [_("Complaints received in the period"), figures.received],
        [_("Closed"), figures.closed],
        [_("Rejected"), figures.rejected],
        [_("Open (being handled)"), figures.open],
        [_("Handled, awaiting the customer"), figures.awaiting_feedback],
        [_("Overdue"), figures.overdue],
        [_("Closure rate"), figures.closure_rate],
        [_("Company at fault"), figures.at_fault],
        [_("Fault recorded"), figures.fault_known],
        [_("Share at fault"), figures.at_fault_share],
        [_("Average hours to resolve"), figures.to_resolve.average_hours],
        [_("90% were resolved within (hours)"), figures.to_resolve.p90_hours],
        [_("Average hours to first response"), figures.to_respond.average_hours],
        [_("90% were answered within (hours)"), figures.to_respond.p90_hours],
        [_("Average satisfaction"), figures.satisfaction_average],
        [_("Satisfaction answers"), figures.satisfaction_count],
    ]
    breakdown = (
        [[_("Category"), complaints.category_label(c), k] for c, k in figures.by_category]
        + [[_("Severity"), complaints.severity_label(c), k] for c, k in figures.by_severity]
        + [[_("Department"), department_text(c), k] for c, k in figures.by_department]
        + [[_("Status"), complaints.status_label(c), k] for c, k in figures.by_status]
        + [[_("Satisfaction"), satisfaction_label(s), k] for s, k in figures.satisfaction]
    )
    items = [
        [
            line.number,
            line.received_at,
            line.customer,
            complaints.category_label(line.category),
            complaints.severity_label(line.severity),
            complaints.status_label(line.status),
            department_text(line.department),
            line.closed_at,
            round(line.hours_to_close, 1) if line.hours_to_close is not None else None,
            line.company_at_fault,
            line.satisfaction,
            line.facts,
        ]
        for line in figures.items
    ]
    return [
        Section(_("Complaints"), [_("Figure"), _("Value")], summary),
        Section(_("Complaint breakdown"), [_("By"), _("Value"), count], breakdown),
        Section(
            _("Every complaint"),
            [
                _("Number"),
                _("Received"),
                _("Customer"),
                _("Category"),
                _("Severity"),
                _("Status"),
                _("Department"),
                _("Closed at"),
                _("Hours to close"),
                _("Company at fault"),
                _("Satisfaction"),
                _("Facts"),
            ],
            items,
        ),
    ]


def _visit_section(figures: VisitFigures) -> Section:
    rows: list[list] = [
        [_("Due in the period"), figures.due, ""],
        [_("Done in the period"), figures.done, ""],
        [_("Customer reached"), figures.reached, ""],
        [_("Reach rate"), figures.reach_rate, ""],
        [_("Due and not yet done"), figures.outstanding, ""],
        [_("Average satisfaction"), figures.satisfaction_average, ""],
    ]
    rows += [[visit_kind_label(k), due, done] for k, due, done in figures.by_kind]
    rows += [[satisfaction_label(s), k, ""] for s, k in figures.satisfaction]
    return Section(_("Return visits"), [_("Figure"), _("Value"), _("Done in the period")], rows)


def _survey_rows(lines, with_start: str | None) -> list[list]:
    """survey.ResultLine as rows: kind, question, answered, average, each option's count (as the
    printed report shows them), answers with a note; led by the day or week when broken down."""
    rows = []
    for line in lines:
        row = [
            visit_kind_label(line.kind),
            line.question,
            line.answered,
            line.average,
            " · ".join(f"{label} {count}" for label, count in line.counts),
            line.notes,
        ]
        if with_start:
            row.insert(0, survey.bucket_label(line.start, with_start))
        rows.append(row)
    return rows


def _survey_sections(figures: MonthlyReport | WeeklyReport | DailyReport) -> list[Section]:
    """The survey's results per kind and question for the whole period (the printed report's
    table), and for a week or month per day or week as well."""
    headers = [
        _("Kind of call"),
        _("Question"),
        _("Answered"),
        _("Average score"),
        _("Answers"),
        _("With a note"),
    ]
    out = [Section(_("Survey results"), headers, _survey_rows(figures.visits.survey, None))]
    by = {"weekly": "day", "monthly": "week"}.get(figures.period.kind)
    if by:
        lines = survey.results(figures.period.first, figures.period.last, by)
        title = _("Survey by day") if by == "day" else _("Survey by week")
        start = _("Day") if by == "day" else _("Week")
        out.append(Section(title, [start, *headers], _survey_rows(lines, by)))
    return out


def sections(figures: MonthlyReport | WeeklyReport | DailyReport) -> list[Section]:
    """The report's figures as tables, labelled in the active language."""
    columns = [_("Current period"), _("Previous period"), _("Change"), _("A year before")]
    out = [
        Section(
            _("Receptions by channel"),
            [_("Channel"), *columns],
            _compared_rows(figures.receptions.by_channel, receptions.channel_label),
        ),
        Section(
            _("Receptions by category"),
            [_("Category"), *columns],
            _compared_rows(figures.receptions.by_category, receptions.category_label),
        ),
        *_complaint_sections(figures.complaints),
    ]
    if isinstance(figures, WeeklyReport):
        feedback = figures.feedback
        out.append(
            Section(
                _("Market feedback"),
                [_("Received"), _("Channel"), _("Customer"), _("What was suggested")],
                [
                    [
                        line.received_at,
                        receptions.channel_label(line.channel),
                        line.caller,
                        line.content,
                    ]
                    for line in feedback.suggestions
                ],
            )
        )
    out.append(_visit_section(figures.visits))
    out += _survey_sections(figures)
    if isinstance(figures, MonthlyReport):
        m = figures.members
        rows: list[list] = [
            [_("New members"), m.new_members, "", ""],
            [_("Members at the end of the month"), m.members, "", ""],
            [_("Cards reported lost"), m.lost, "", ""],
            [_("Cards reissued"), m.reissued, "", ""],
            [_("Cards cancelled"), m.cancelled, "", ""],
            [_("Points earned"), m.points_earned, "", ""],
            [_("Points redeemed for gifts"), m.points_redeemed, "", ""],
            [_("Points expired"), m.points_expired, "", ""],
        ]
        rows += [[level_text(name), count, "", ""] for name, count in m.by_level]
        rows += [[g.name, g.redemptions, g.quantity, g.points] for g in m.gifts]
        out.append(
            Section(_("Membership"), [_("Figure"), _("Value"), _("Quantity"), _("Points")], rows)
        )
    if isinstance(figures, MonthlyReport):
        out += appendix_sections(figures.period)
    if isinstance(figures, MonthlyReport | WeeklyReport):
        note = figures.note
        out.append(
            Section(
                _("Problems and improvements"),
                [_("Open problems"), _("Proposed improvements")],
                [[note.problems, note.improvements]],
            )
        )
    return out


def export_xlsx(
    actor: Staff, figures: MonthlyReport | WeeklyReport | DailyReport, path: Path | str
) -> int:
    """Write every section of ``figures`` to its own sheet of an Excel workbook at ``path``;
    returns the number of sheets. The complaint list names customers, so only the manager may."""
    auth.require(actor, "export")
    path = Path(path)
    if transfer.check_export_path(path) != ".xlsx":
        raise ValidationError.single(
            "path",
            _("Report figures go to an Excel file (.xlsx), not “{name}”.").format(name=path.name),
        )
    parts = sections(figures)
    with partial_file(path) as partial, XlsxWriter(partial, _("Yes"), _("No")) as book:
        for section in parts:
            rows = [[_xlsx(value) for value in row] for row in section.rows]
            book.add_sheet(section.title or "Sheet", section.headers, rows, rows)
    with db.atomic():
        audit.record(
            actor,
            "export",
            f"{figures.period.kind}_report",
            None,
            summary=f"{figures.period.code} → {path.name}",
        )
    return len(parts)


def _xlsx(value):
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float):
        return round(value, 4)
    return value

"""Pieces the weekly and monthly reports share: the cover block, tables of figures, the complaint
list, return visits, the manager's notes and the signatures. Every figure comes from
csoffice.reports; this module only lays it out."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from functools import cache

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from csoffice import complaints, receptions, reports
from csoffice.i18n import _, format_date, format_datetime, format_number, format_percent
from csoffice.printing import charts
from csoffice.printing.fonts import register_pdf_font
from csoffice.printing.styles import (
    MARGIN,
    NumberedCanvas,
    Office,
    document,
    draw_letterhead,
    grid_commands,
    header_row,
    markup,
    p,
    signature_block,
    styles,
)

WIDTH, HEIGHT = A4
BODY = WIDTH - 2 * MARGIN
LIST_BODY = HEIGHT - 2 * MARGIN  # the complaint list is printed across a landscape page
HEAD_FILL = (0.9, 0.9, 0.9)
LIST_FONT_SIZE = 7.5


@cache
def _heading_style() -> ParagraphStyle:
    return ParagraphStyle("reportHeading", parent=styles()["heading"], keepWithNext=1)


def heading(text: str) -> Paragraph:
    """A section heading that never sits alone at the foot of a page."""
    return Paragraph(markup(text), _heading_style())


def n(value: int | float) -> str:
    return format_number(value)


def change_text(value: int) -> str:
    return f"+{format_number(value)}" if value > 0 else format_number(value)


def _table(rows: list[list], widths: Sequence[float], head: bool = True, **style) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1 if head else 0)
    commands = [
        *grid_commands("MIDDLE", HEAD_FILL if head else None),
        ("FONTSIZE", (0, 0), (-1, -1), style.get("font_size", 9)),
        ("LEADING", (0, 0), (-1, -1), style.get("font_size", 9) + 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if style.get("numbers_from") is not None:
        commands.append(("ALIGN", (style["numbers_from"], 1), (-1, -1), "RIGHT"))
    table.setStyle(TableStyle(commands))
    return table


def key_values(pairs: list[tuple[str, str]], label_width: float = 60 * mm) -> Table:
    """Two columns, label and value, e.g. the cover block or a summary of figures."""
    rows = [[p(label, "label"), p(value)] for label, value in pairs]
    table = _table(rows, [label_width, BODY - label_width], head=False)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, -1), (0.96, 0.96, 0.96))]))
    return table


def definitions() -> Paragraph:
    """What 超时 counts, what 结案率 divides and how groups and duplicates count, in small print
    under the figures."""
    notes = (complaints.OVERDUE_DEFINITION, reports.CLOSURE_DEFINITION, complaints.COUNTING_NOTE)
    return p("\n".join(_(note) for note in notes), "small")


def figure_pairs(pairs: list[tuple[str, str]]) -> Table:
    """Figures two by two across the page: label, value, label, value."""
    rows = []
    for i in range(0, len(pairs), 2):
        row = []
        for label, value in pairs[i : i + 2]:
            row += [p(label, "label"), value]
        row += ["", ""] * (2 - len(pairs[i : i + 2]))
        rows.append(row)
    widths = [52 * mm, BODY / 2 - 52 * mm] * 2
    table = _table(rows, widths, head=False)
    table.setStyle(
        TableStyle(
            [
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("ALIGN", (3, 0), (3, -1), "RIGHT"),
                ("BACKGROUND", (0, 0), (0, -1), (0.96, 0.96, 0.96)),
                ("BACKGROUND", (2, 0), (2, -1), (0.96, 0.96, 0.96)),
            ]
        )
    )
    return table


def compared_table(
    title: str, rows: list[reports.Compared], label: Callable[[str], str], labels: list[str]
) -> Table:
    """Counts beside the previous period and the same period a year before, with a total."""
    head = header_row(title, *labels)
    body = [
        [p(label(c.code)), n(c.current), n(c.previous), change_text(c.change), n(c.year_before)]
        for c in rows
    ]
    total = reports.Compared(
        "",
        sum(c.current for c in rows),
        sum(c.previous for c in rows),
        sum(c.year_before for c in rows),
    )
    body.append(
        [
            p(_("Total"), "label"),
            n(total.current),
            n(total.previous),
            change_text(total.change),
            n(total.year_before),
        ]
    )
    first = BODY - 4 * 28 * mm
    return _table([head, *body], [first] + [28 * mm] * 4, numbers_from=1)


def counts_table(title: str, rows: list[tuple[str, int]], width: float = BODY) -> Table:
    """A count and its share for each line, with the total."""
    total = sum(count for _label, count in rows)
    head = header_row(title, _("Count"), _("Share"))
    body = [
        [p(label), n(count), format_percent(count / total) if total else "—"]
        for label, count in rows
    ]
    body.append([p(_("Total"), "label"), n(total), format_percent(1) if total else "—"])
    return _table([head, *body], [width - 40 * mm, 20 * mm, 20 * mm], numbers_from=1)


def side_by_side(left: Flowable, right: Flowable) -> Table:
    table = Table([[left, right]], colWidths=[BODY / 2, BODY / 2])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 3 * mm),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
                ("FONTNAME", (0, 0), (-1, -1), register_pdf_font()),
            ]
        )
    )
    return table


def satisfaction_block(
    scores: list[tuple[int, int]], table_title: str, chart_title: str, series: str
) -> Flowable:
    """How many gave each score 1–5: a table (best first) above a bar chart, kept together."""
    return KeepTogether(
        [
            counts_table(
                table_title,
                [(reports.satisfaction_label(score), k) for score, k in reversed(scores)],
            ),
            charts.bar_chart(
                chart_title,
                [str(score) for score, _k in scores],
                [(series, [k for _s, k in scores])],
                BODY,
                50 * mm,
            ),
        ]
    )


# --- Cover and end -------------------------------------------------------------------------


def cover(
    title: str, office: Office, period: reports.Period, prepared_by: str, at: dt.datetime
) -> list[Flowable]:
    """The report's title and cover block: office, period, who prepared it, when."""
    return [
        p(title, "title"),
        key_values(
            [
                (_("Office"), office.display_name),
                (_("Period"), period.label()),
                (
                    _("Dates"),
                    _("{first} – {last}").format(
                        first=format_date(period.first), last=format_date(period.last)
                    ),
                ),
                (_("Prepared by"), prepared_by),
                (_("Date prepared"), format_date(at.date(), "long")),
                (_("Figures as at"), format_datetime(at)),
            ],
            label_width=40 * mm,
        ),
        Spacer(1, 2 * mm),
        signatures(),
    ]


def signatures() -> Flowable:
    return KeepTogether(signature_block([_("Prepared by"), _("Manager")], BODY))


def note_section(note: reports.Note, number: str) -> list[Flowable]:
    out: list[Flowable] = [
        heading(_("{n}. Open problems and proposed improvements").format(n=number))
    ]
    if note.empty:
        out.append(p(_("The manager wrote no problems or improvements for this report."), "base"))
        return out
    out += [
        p(_("Open problems"), "label"),
        p(note.problems or "—", "base"),
        Spacer(1, 2 * mm),
        p(_("Proposed improvements"), "label"),
        p(note.improvements or "—", "base"),
    ]
    if note.updated_by:
        out.append(
            p(
                _("Written by {name}, {time}").format(
                    name=note.updated_by, time=format_datetime(note.updated_at)
                ),
                "small",
            )
        )
    return out


def closing(note: reports.Note, number: str) -> list[Flowable]:
    """How every report ends: the manager's notes (section ``number``) and the signatures."""
    return [*note_section(note, number), Spacer(1, 6 * mm), signatures()]


def build(title: str, office: Office, footer: str, story: list[Flowable]) -> bytes:
    """Lay ``story`` out on A4, portrait pages and landscape ones where the story asks; the PDF."""
    out = io.BytesIO()
    doc = document(out, title, office.display_name)

    def template(name: str, size: tuple[float, float]) -> PageTemplate:
        width, height = size
        frame = Frame(
            doc.leftMargin,
            doc.bottomMargin,
            width - doc.leftMargin - doc.rightMargin,
            height - doc.topMargin - doc.bottomMargin,
            id=name,
        )

        def draw(canvas, _doc) -> None:
            draw_letterhead(canvas, office, size, footer)

        return PageTemplate(name, [frame], onPage=draw, pagesize=size)

    doc.addPageTemplates([template("portrait", A4), template("landscape", landscape(A4))])
    # The shared document() is a SimpleDocTemplate, whose build() and page-begin handler
    # force its own 'First'/'Later' templates; the base class's honour NextPageTemplate.
    doc.handle_pageBegin = lambda: BaseDocTemplate.handle_pageBegin(doc)
    BaseDocTemplate.build(doc, story, canvasmaker=NumberedCanvas)
    return out.getvalue()


# --- Receptions ----------------------------------------------------------------------------


def reception_section(
    figures: reports.ReceptionFigures, number: str, labels: list[str], series: list[str]
) -> list[Flowable]:
    """Receptions by channel and by category beside the earlier periods, with bar charts."""
    out: list[Flowable] = [
        heading(_("{n}. Receptions (calls and visits)").format(n=number)),
        compared_table(_("Channel"), figures.by_channel, receptions.channel_label, labels),
        Spacer(1, 3 * mm),
        compared_table(_("Category"), figures.by_category, receptions.category_label, labels),
        Spacer(1, 3 * mm),
    ]
    for title, rows, label in (
        (_("Calls and visits by channel"), figures.by_channel, receptions.channel_label),
        (_("Calls and visits by category"), figures.by_category, receptions.category_label),
    ):
        out.append(
            charts.bar_chart(
                title,
                [label(c.code) for c in rows],
                [
                    (series[0], [c.current for c in rows]),
                    (series[1], [c.previous for c in rows]),
                    (series[2], [c.year_before for c in rows]),
                ],
                BODY,
                62 * mm,
            )
        )
    return out


# --- Complaints ----------------------------------------------------------------------------


def complaint_summary(figures: reports.ComplaintFigures) -> Table:
    at_fault = (
        _("{share} ({n} of {m})").format(
            share=reports.share_text(figures.at_fault_share),
            n=n(figures.at_fault),
            m=n(figures.fault_known),
        )
        if figures.fault_known
        else "—"
    )
    satisfaction = (
        _("{average} of 5 ({n} answers)").format(
            average=reports.average_text(figures.satisfaction_average),
            n=n(figures.satisfaction_count),
        )
        if figures.satisfaction_count
        else "—"
    )
    return figure_pairs(
        [
            (_("Complaints received in the period"), n(figures.received)),
            (_("People complaining"), n(figures.people)),
            (_("Duplicates (not counted)"), n(figures.duplicates)),
            (_("Closed"), n(figures.closed)),
            (_("Rejected"), n(figures.rejected)),
            (_("Open (being handled)"), n(figures.open)),
            (_("Handled, awaiting the customer"), n(figures.awaiting_feedback)),
            (_("Overdue"), n(figures.overdue)),
            (_("Closure rate"), reports.share_text(figures.closure_rate)),
            (_("Company at fault"), at_fault),
            (_("Average time to resolve"), reports.hours_text(figures.to_resolve.average_hours)),
            (_("90% were resolved within"), reports.hours_text(figures.to_resolve.p90_hours)),
            (
                _("Average time to first response"),
                reports.hours_text(figures.to_respond.average_hours),
            ),
            (_("90% were answered within"), reports.hours_text(figures.to_respond.p90_hours)),
            (_("Customer satisfaction"), satisfaction),
        ]
    )


def complaint_breakdown(figures: reports.ComplaintFigures) -> list[Flowable]:
    half = BODY / 2 - 3 * mm
    category = [(complaints.category_label(c), k) for c, k in figures.by_category]
    severity = [(complaints.severity_label(c), k) for c, k in figures.by_severity]
    department = [(reports.department_text(c), k) for c, k in figures.by_department]
    status = [(complaints.status_label(c), k) for c, k in figures.by_status]
    return [
        side_by_side(
            counts_table(_("Category"), category, half),
            counts_table(_("Severity"), severity, half),
        ),
        Spacer(1, 3 * mm),
        side_by_side(
            counts_table(_("Department"), department, half),
            counts_table(_("Status"), status, half),
        ),
        Spacer(1, 3 * mm),
        side_by_side(
            charts.pie_chart(_("Complaints by category"), category, half, 62 * mm),
            charts.pie_chart(_("Complaints by severity"), severity, half, 62 * mm),
        ),
        Spacer(1, 3 * mm),
        satisfaction_block(
            figures.satisfaction,
            _("Satisfaction"),
            _("Complaint satisfaction (1–5)"),
            _("Answers"),
        ),
    ]


def _fit(text: str, width: float, size: float = LIST_FONT_SIZE) -> str:
    """``text`` cut with an ellipsis to fit ``width`` (the list is too long for wrapping cells)."""
    text = " ".join((text or "").split())
    font = register_pdf_font()
    room = width - 6  # the cell's padding
    if stringWidth(text, font, size) <= room:
        return text
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"


def complaint_list(lines: list[reports.ComplaintLine]) -> Table:
    """Every complaint of the period, one line each, in number order (landscape page width)."""
    widths = [9, 25, 20, 24, 0, 24, 24, 25, 30, 15, 12, 9]
    widths = [w * mm for w in widths]
    widths[4] = LIST_BODY - sum(widths)
    head = [
        _("No."),
        _("Number"),
        _("Received"),
        _("Customer"),
        _("Facts"),
        _("Category"),
        _("Severity"),
        _("Status"),
        _("Department"),
        _("To close"),
        _("At fault"),
        _("Sat."),
    ]
    rows: list[list] = [[_fit(h, w) for h, w in zip(head, widths, strict=True)]]
    yes = _("Yes")
    for index, line in enumerate(lines, 1):
        cells = [
            n(index),
            line.number,
            format_datetime(line.received_at, "MM-dd HH:mm"),
            line.customer,
            line.facts,
            complaints.category_label(line.category),
            complaints.severity_text(line.severity, line.people, line.duplicate_of, short=True),
            complaints.status_label(line.status),
            reports.department_text(line.department),
            reports.hours_text(line.hours_to_close),
            yes if line.company_at_fault else "",
            n(line.satisfaction) if line.satisfaction is not None else "",
        ]
        rows.append([_fit(text, w) for text, w in zip(cells, widths, strict=True)])
    table = _table(rows, widths, font_size=LIST_FONT_SIZE)
    table.setStyle(
        TableStyle(
            [
                ("ALIGN", (0, 1), (0, -1), "RIGHT"),
                ("ALIGN", (-3, 1), (-1, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def complaint_list_section(lines: list[reports.ComplaintLine], number: str) -> list[Flowable]:
    """The list on landscape pages of its own, so that every column fits on one line."""
    out: list[Flowable] = [
        NextPageTemplate("landscape"),
        PageBreak(),
        heading(_("{n}. Every complaint received ({count})").format(n=number, count=n(len(lines)))),
    ]
    if not lines:
        out.append(p(_("No complaints were received in this period."), "base"))
        out += [NextPageTemplate("portrait"), PageBreak()]
        return out
    out.append(
        p(
            _(
                "All complaints received in the period, none left out, as they stand at the time of the report. “To close”: from receipt to closing; “Sat.”: the customer's satisfaction (1–5)."
            ),
            "small",
        )
    )
    out.append(Spacer(1, 1.5 * mm))
    out.append(complaint_list(lines))
    out.append(p(_("Total: {count} complaints.").format(count=n(len(lines))), "small"))
    out += [NextPageTemplate("portrait"), PageBreak()]
    return out


def complaint_part(
    title: str, figures: reports.ComplaintFigures, list_number: str
) -> list[Flowable]:
    """The complaints under the heading ``title``: the summary and the breakdown, then the list of
    every one as section ``list_number`` on landscape pages."""
    return [
        heading(title),
        complaint_summary(figures),
        definitions(),
        Spacer(1, 3 * mm),
        *complaint_breakdown(figures),
        *complaint_list_section(figures.items, list_number),
    ]


# --- Return visits -------------------------------------------------------------------------


def visit_reconciliation(figures: reports.VisitFigures) -> str:
    """How the due, done and not-done counts add up, or why they do not."""
    text = _(
        "Of the {due} calls due: {done_in} done in the period, {done_after} done after it, "
        "{open} not yet done."
    ).format(
        due=n(figures.due),
        done_in=n(figures.due_done_in),
        done_after=n(figures.due_done_after),
        open=n(figures.outstanding),
    )
    if figures.due_other:
        text += " " + _("{count} closed otherwise.").format(count=n(figures.due_other))
    if figures.done_due_before:
        text += " " + _(
            "The {done} calls done include {count} that were due before the period."
        ).format(done=n(figures.done), count=n(figures.done_due_before))
    if figures.done_due_later:
        text += " " + _(
            "The {done} calls done include {count} done ahead of a later due date."
        ).format(done=n(figures.done), count=n(figures.done_due_later))
    return text


def visit_section(figures: reports.VisitFigures, number: str) -> list[Flowable]:
    out: list[Flowable] = [
        heading(_("{n}. Return visits").format(n=number)),
        figure_pairs(
            [
                (_("Due in the period"), n(figures.due)),
                (_("Done in the period"), n(figures.done)),
                (_("Customer reached"), n(figures.reached)),
                (_("Reach rate"), reports.share_text(figures.reach_rate)),
                (_("Due and not yet done"), n(figures.outstanding)),
                (
                    _("Average satisfaction"),
                    reports.average_text(figures.satisfaction_average),
                ),
            ]
        ),
        p(visit_reconciliation(figures), "small"),
        Spacer(1, 3 * mm),
    ]
    if figures.by_kind:
        head = header_row(_("Kind of call"), _("Due in the period"), _("Done in the period"))
        body = [
            [p(reports.visit_kind_label(k)), n(due), n(done)] for k, due, done in figures.by_kind
        ]
        out.append(_table([head, *body], [BODY - 40 * mm, 20 * mm, 20 * mm], numbers_from=1))
        out.append(Spacer(1, 3 * mm))
    out.append(
        satisfaction_block(
            figures.satisfaction,
            _("Satisfaction of the calls done"),
            _("Return-visit satisfaction (1–5)"),
            _("Calls"),
        )
    )
    out += survey_table(figures.survey)
    return out


def survey_table(lines) -> list[Flowable]:
    """The survey's answers per kind of call and question (survey.ResultLine)."""
    if not lines:
        return []
    head = header_row(_("Kind of call"), _("Question"), _("Answered"), _("Average score"))
    body = [
        [
            p(reports.visit_kind_label(line.kind)),
            p(
                line.question
                + "\n"
                + " · ".join(f"{label} {n(count)}" for label, count in line.counts)
            ),
            n(line.answered),
            reports.average_text(line.average),
        ]
        for line in lines
    ]
    return [
        Spacer(1, 3 * mm),
        _table([head, *body], [34 * mm, BODY - 74 * mm, 18 * mm, 22 * mm], numbers_from=2),
    ]

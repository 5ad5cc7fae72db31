"""The printed appraisal form (员工绩效考核表): the groups and items with their weights, each
marker's grades and points, the totals, the combined score and grade band, the desk's facts
for the month, and signature lines for the staff member, the supervisor and the manager. A4."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from csoffice import appraisal, complaints
from csoffice.appraisal import GRADE_POINTS, GRADES, MARKERS, MonthView
from csoffice.i18n import _, format_date, format_datetime, format_number
from csoffice.printing.fonts import register_pdf_font
from csoffice.printing.styles import (
    MARGIN,
    Office,
    build_on_letterhead,
    document,
    grid_commands,
    printed_footer,
    signature_block,
    styles,
)

SHADE = (0.94, 0.94, 0.94)
GROUP_SHADE = (0.88, 0.88, 0.88)


def _compact() -> dict[str, ParagraphStyle]:
    """Tighter cells than the shared styles, so the whole form and its signatures fit one page."""
    base = styles()
    return {
        "cell": ParagraphStyle("appraisalCell", parent=base["cell"], fontSize=9, leading=11.5),
        "label": ParagraphStyle("appraisalLabel", parent=base["label"], fontSize=9, leading=11.5),
        "small": ParagraphStyle("appraisalSmall", parent=base["small"], fontSize=7.5, leading=9.5),
        "section": ParagraphStyle(
            "appraisalSection",
            parent=base["heading"],
            fontSize=11,
            leading=15,
            spaceBefore=2 * mm,
            spaceAfter=1.5 * mm,
        ),
    }


def _escape(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _points(value) -> str:
    return format_number(value) if value is not None else ""


def _info_table(view: MonthView, width: float) -> Table:
    style = styles()
    status = (
        _("Closed {time} by {name}").format(
            time=format_datetime(view.closed_at), name=view.closed_by
        )
        if view.closed
        else _("Not closed yet")
    )
    rows = [
        (_("Staff member"), f"{view.staff_name}（{view.username}）", _("Month"), view.period),
        (_("Works in"), view.department, _("Supervisor"), view.supervisor_name or _("Manager")),
        (_("Status"), status, "", ""),
    ]
    label, value = 28 * mm, width / 2 - 28 * mm
    table = Table(
        [
            [
                Paragraph(_escape(a), style["label"]),
                Paragraph(_escape(b), style["cell"]),
                Paragraph(_escape(c), style["label"]),
                Paragraph(_escape(d), style["cell"]),
            ]
            for a, b, c, d in rows
        ],
        colWidths=[label, value, label, value],
    )
    table.setStyle(
        TableStyle(
            [
                *grid_commands("MIDDLE"),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("BACKGROUND", (2, 0), (2, 1), SHADE),
                ("SPAN", (1, 2), (3, 2)),
            ]
        )
    )
    return table


def _marks_table(view: MonthView, width: float) -> Table:
    """One row per item: its weight and each marker's grade and points; group rows between."""
    style = _compact()
    cell, label, small = style["cell"], style["label"], style["small"]
    marker_width = 34 * mm
    weight_width = 15 * mm
    item_width = width - weight_width - 3 * marker_width
    head = [
        Paragraph(_escape(_("Item")), label),
        Paragraph(_escape(_("Weight")), label),
        *[
            Paragraph(
                _escape(
                    _("{marker} ({share}%)").format(
                        marker=appraisal.marker_label(m), share=format_number(view.shares[m])
                    )
                ),
                label,
            )
            for m in MARKERS
        ],
    ]
    rows: list[list] = [head]
    commands: list[tuple] = [
        *grid_commands("MIDDLE", SHADE),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    for group in view.scheme.groups:
        index = len(rows)
        rows.append(
            [
                Paragraph(_escape(group.label), label),
                Paragraph(f"{group.weight}%", label),
                *[
                    Paragraph(
                        _points(view.marks[m].score.by_group[group.code])
                        if any(item.code in view.marks[m].grades for item in group.items)
                        else "",
                        label,
                    )
                    for m in MARKERS
                ],
            ]
        )
        commands.append(("BACKGROUND", (0, index), (-1, index), GROUP_SHADE))
        for item in group.items:
            cells = []
            for m in MARKERS:
                grade = view.marks[m].grades.get(item.code, "")
                text = (
                    f"{grade} {_points(appraisal.item_points(grade, item.weight))}" if grade else ""
                )
                cells.append(Paragraph(text, cell))
            rows.append(
                [
                    Paragraph("　" + _escape(item.label), cell),
                    Paragraph(str(item.weight), cell),
                    *cells,
                ]
            )
    total_row = [Paragraph(_escape(_("Total (of 100)")), label), Paragraph("100", label)]
    signed_row = [Paragraph(_escape(_("Signed")), label), Paragraph("", label)]
    for m in MARKERS:
        mark = view.marks[m]
        if mark.score.complete:
            text = _points(mark.score.total)
        elif mark.grades:
            text = _("incomplete ({graded} of {count})").format(
                graded=mark.score.graded, count=len(view.scheme.items)
            )
        else:
            text = ""
        total_row.append(Paragraph(_escape(text), label))
        signed = (
            f"{_escape(mark.signed_by)}　{_escape(format_date(mark.signed_at, 'short'))}"
            if mark.signed
            else ""
        )
        signed_row.append(Paragraph(signed, small))
    commands.append(("BACKGROUND", (0, len(rows)), (-1, len(rows)), SHADE))
    rows += [total_row, signed_row]
    table = Table(rows, colWidths=[item_width, weight_width, *[marker_width] * 3], repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def _result(view: MonthView) -> list:
    style = styles()
    if view.combined is None:
        text = _("Combined score: not yet (no complete mark)")
    else:
        text = _("Combined score: {score} of 100 — grade {grade} ({band})").format(
            score=format_number(view.combined), grade=view.grade, band=view.grade_label
        )
    thresholds = view.bands
    key = "；".join(f"{grade} = {GRADE_POINTS[grade]}" for grade in GRADES)
    band_key = "；".join(
        [
            _("{grade} {band} ≥ {score}").format(
                grade=grade,
                band=appraisal.band_label(grade),
                score=format_number(thresholds[grade]),
            )
            for grade in GRADES[:-1]
        ]
        + [_("{grade} {band} below").format(grade="E", band=appraisal.band_label("E"))]
    )
    return [
        Paragraph(_escape(text), _compact()["section"]),
        Paragraph(
            _escape(
                _(
                    "Each item scores the grade's points × its weight / 100. Grade points: {key}. Bands: {bands}. Only complete marks count; their shares are scaled to 100."
                ).format(key=key, bands=band_key)
            ),
            style["small"],
        ),
    ]


def _facts_table(view: MonthView, width: float, per_row: int = 3) -> Table:
    """The facts as label/value pairs, ``per_row`` pairs to a row."""
    style = _compact()
    lines = appraisal.fact_lines(view.facts)
    lines += [("", "")] * (-len(lines) % per_row)
    value = 24 * mm
    label = width / per_row - value
    rows = []
    for start in range(0, len(lines), per_row):
        row = []
        for name, text in lines[start : start + per_row]:
            row += [
                Paragraph(_escape(name), style["label"]),
                Paragraph(_escape(text), style["cell"]),
            ]
        rows.append(row)
    table = Table(rows, colWidths=[label, value] * per_row)
    commands = [
        *grid_commands("MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    commands += [("BACKGROUND", (2 * i, 0), (2 * i, -1), SHADE) for i in range(per_row)]
    table.setStyle(TableStyle(commands))
    return table


def render_form(
    view: MonthView,
    office: Office,
    printed_by: str = "",
    printed_at: dt.datetime | None = None,
) -> bytes:
    """``view`` drawn as the office's appraisal form: the PDF."""
    register_pdf_font()
    style = styles()
    usable = A4[0] - 2 * MARGIN
    title = _("Staff appraisal form")
    out = io.BytesIO()
    doc = document(out, f"{title} {view.staff_name} {view.period}", office.display_name)
    story = [
        Paragraph(_escape(title), style["title"]),
        _info_table(view, usable),
        Spacer(1, 3 * mm),
        _marks_table(view, usable),
        *_result(view),
        Paragraph(
            _escape(_("The desk's records for the month (for information; not scored)")),
            _compact()["section"],
        ),
        _facts_table(view, usable),
        # The same 超时 as the monthly report's, said on the paper.
        Paragraph(_escape(_(complaints.OVERDUE_DEFINITION)), _compact()["label"]),
        Spacer(1, 2 * mm),
        KeepTogether([signature_block([_("Staff member"), _("Supervisor"), _("Manager")], usable)]),
    ]
    footer = printed_footer(printed_at or dt.datetime.now(), printed_by)
    build_on_letterhead(doc, story, office, f"{view.username} {view.period}  {footer}")
    return out.getvalue()

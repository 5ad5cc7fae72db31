"""The printed complaint slip (投诉处理单): every field of the form, the result and the customer's
feedback, the timeline of steps, and signature lines for the receiver, handler and manager.
A4 by default, A5 as an office setting; the number is printed as text and as a Code 128 barcode.

Render only: csoffice.complaints.slip gathers the data, checks the permission, writes the file
and the audit row."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from csoffice.complaint_slip_data import COPIES, EarlierRound, SlipData
from csoffice.complaints.codes import (
    category_label,
    channel_label,
    department_label,
    severity_label,
)
from csoffice.complaints.detail import ComplaintView
from csoffice.i18n import _, current_language, format_datetime
from csoffice.printing.fonts import register_pdf_font
from csoffice.printing.styles import (
    MARGIN,
    build_on_letterhead,
    document,
    grid_commands,
    markup,
    printed_footer,
    styles,
)

PAGE_SIZES = {"A4": A4, "A5": A5}
SHADE = (0.94, 0.94, 0.94)


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


class _Barcode(Flowable):
    """The number as a Code 128 barcode, right-aligned in its cell."""

    def __init__(self, value: str, height: float, width: float):
        super().__init__()
        self.code = Code128(
            value,
            barHeight=height,
            barWidth=0.28 * mm,
            quiet=False,
            humanReadable=False,
            fontName=register_pdf_font(),
        )
        self.width, self.height = width, height

    def wrap(self, available_width: float, available_height: float):
        return self.width, self.height

    def draw(self) -> None:
        self.code.drawOn(self.canv, self.width - self.code.width, 0)


def _grid(rows: list[list], widths: list[float], spans: Sequence[tuple] = ()) -> Table:
    """A ruled form grid: label cells shaded, value cells white."""
    table = Table(rows, colWidths=widths)
    commands = [
        *grid_commands("TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for column in range(0, len(widths), 2):
        commands.append(("BACKGROUND", (column, 0), (column, -1), SHADE))
    for span in spans:  # a value spanning the row stays white across the label column below
        commands.append(span)
        commands.append(("BACKGROUND", span[1], span[2], colors.white))
    table.setStyle(TableStyle(commands))
    return table


def _section_style() -> ParagraphStyle:
    return ParagraphStyle(
        "section", parent=styles()["heading"], fontSize=11, leading=14, spaceBefore=4, spaceAfter=2
    )


class _Box(Flowable):
    """A box's content at least ``height`` tall: what was written at the top, and, with
    ``foot``, a signature line at the bottom — room for a pen on a slip printed at receipt."""

    def __init__(self, content: Flowable, height: float, foot: Flowable | None = None):
        super().__init__()
        self.content, self.foot, self.min_height = content, foot, height

    def wrap(self, available_width: float, available_height: float):
        _w, self.content_height = self.content.wrap(available_width, available_height)
        self.foot_height = self.foot.wrap(available_width, available_height)[1] if self.foot else 0
        gap = 2 * mm if self.foot else 0
        self.width = available_width
        self.height = max(self.min_height, self.content_height + gap + self.foot_height)
        return self.width, self.height

    def draw(self) -> None:
        self.content.drawOn(self.canv, 0, self.height - self.content_height)
        if self.foot:
            self.foot.drawOn(self.canv, 0, 0)


def _signature_foot(role: str, compact: bool) -> Paragraph:
    """'role: ________  Date: ____ / ____ / ______' set right, on one line."""
    colon = "：" if current_language().startswith("zh") else ": "
    style = ParagraphStyle(
        "sign",
        parent=styles()["small" if compact else "cell"],
        alignment=TA_RIGHT,
        **({"fontSize": 7.5, "leading": 10} if compact else {}),
    )
    blank = "_" * (8 if compact else 16)
    date, date_blank = markup(_("Date")), markup(_("____ / ____ / ______"))
    text = f"{markup(role)}{colon}{blank}&nbsp;&nbsp;{date}{colon}{date_blank}"
    return Paragraph(text, style)


def _form_table(data: SlipData, width: float, compact: bool) -> list:
    view = data.view
    style = styles()
    label_style = style["label"]
    cell = style["small"] if compact else style["cell"]
    box_height = (8 if compact else 11) * mm

    def lab(text: str) -> Paragraph:
        return Paragraph(markup(text), label_style)

    def val(text: str) -> Paragraph:
        return Paragraph(markup(text), cell)

    def box(text: str, sign: str = "", height: float = box_height) -> _Box:
        return _Box(val(text), height, _signature_foot(sign, compact) if sign else None)

    label_width = (21 if compact else 28) * mm
    value_width = (width - 2 * label_width) / 2
    widths = [label_width, value_width, label_width, value_width]

    def pair(a: str, av: str, b: str, bv: str) -> list:
        return [lab(a), val(av), lab(b), val(bv)]

    def whole(a: str, av: str | Flowable) -> list:
        return [lab(a), av if isinstance(av, Flowable) else val(av), "", ""]

    customer = view.customer_name or view.contact_name
    contact = view.contact_name if view.contact_name != customer else ""
    received = [
        pair(
            _("Time received"),
            format_datetime(view.received_at),
            _("Channel"),
            channel_label(view.channel),
        ),
        # The filed copy travels between departments masked (DOMAIN §3); the department's
        # copy carries the number it must call, and printing it is audited.
        pair(_("Customer"), customer, _("Contact phone"), data.phone),
        pair(_("File no."), data.customer_file_no, _("From reception no."), data.reception_no),
        whole(_("Customer address"), data.customer_address),
        pair(_("Contact"), contact, _("Category"), category_label(view.category)),
        pair(
            _("Severity"),
            severity_label(view.severity),
            _("First responder"),
            view.receiver_name,
        ),
        *_group_rows(data, whole),
        whole(_("Facts"), view.facts),
        whole(_("Desired outcome"), box(view.desired_outcome, _("Receiver (first responder)"), 0)),
    ]
    if view.attachments:
        received.append(whole(_("Attachments"), "；".join(a.filename for a in view.attachments)))
    # The boxes carry the current round's own results: after a re-opening they stay empty for
    # the pen until this round records them (the earlier round is printed as superseded).
    current = view.rounds[-1]
    handled, informed = current.handled, current.informed
    handling = [
        pair(
            _("Department"),
            department_label(view.department) if view.department else "",
            _("Handler"),
            view.handler_name,
        ),
        pair(
            _("Handed over"),
            format_datetime(data.handed_over_at),
            _("Company at fault"),
            _yes_no(handled.company_at_fault) if handled else "",
        ),
        pair(
            _("Resolution due"),
            format_datetime(view.resolve_due),
            _("Handled at"),
            format_datetime(view.handled_at),
        ),
        whole(_("Result"), box(handled.result if handled else "", _("Handler"))),
        whole(_("Root cause"), box(handled.root_cause if handled else "")),
        whole(_("Corrective action"), box(handled.corrective_action if handled else "")),
        whole(_("Department head's opinion"), box("", _("Department head"))),
    ]
    score = informed.satisfaction if informed else None
    feedback = [
        whole(
            _("Customer's opinion"),
            box(informed.customer_opinion if informed else "", _("Customer's confirmation")),
        ),
        pair(
            _("Satisfaction"),
            _("{score} of 5").format(score=score) if score else "",
            _("Closed at"),
            format_datetime(view.closed_at),
        ),
        whole(_("Reason for the satisfaction"), informed.satisfaction_reason if informed else ""),
        whole(_("Manager's review"), box("", _("Customer service manager"))),
    ]

    def spans_for(rows: list[list]) -> list[tuple]:
        return [("SPAN", (1, index), (3, index)) for index, row in enumerate(rows) if row[2] == ""]

    heading = _section_style()
    story: list[Flowable] = [
        Paragraph(_("The complaint"), heading),
        _grid(received, widths, spans_for(received)),
        Paragraph(_("Handling"), heading),
        _grid(handling, widths, spans_for(handling)),
    ]
    for number, earlier in enumerate(data.earlier_rounds, start=1):
        story.append(_superseded(earlier, number, widths, cell))
    # The customer's word, the manager's review and the signatures stay together: never a
    # signature line alone at the top of a page.
    story.append(
        KeepTogether(
            [
                Paragraph(_("Customer's feedback"), heading),
                _grid(feedback, widths, spans_for(feedback)),
            ]
        )
    )
    return story


def _group_rows(data: SlipData, whole) -> list[list]:
    """A group complaint's complainants (how many people, who); the complaint it repeats."""
    view = data.view
    rows = []
    if view.severity == "group" or view.people > 1:
        rows.append(
            whole(
                _("Complainants ({n} people)").format(n=view.people),
                "；".join(data.complainants) or view.contact_name,
            )
        )
    if view.duplicate_of:
        rows.append(
            whole(
                _("Duplicate"),
                _("Repeats complaint {number}; counted there, not here.").format(
                    number=view.duplicate_of
                ),
            )
        )
    if view.duplicates:
        rows.append(whole(_("Repeated by"), "、".join(view.duplicates)))
    return rows


def _superseded(earlier: EarlierRound, number: int, widths: list[float], cell) -> Table:
    """An earlier round's result, marked as superseded by the re-opening."""
    style = styles()
    head = _("Round {number}: superseded — re-opened {time}").format(
        number=number, time=format_datetime(earlier.reopened_at)
    )
    rows = [
        [Paragraph(markup(head), style["label"]), "", "", ""],
        [
            Paragraph(markup(_("Result")), style["label"]),
            Paragraph(markup(earlier.result), cell),
            "",
            "",
        ],
    ]
    satisfaction = (
        _("{score} of 5").format(score=earlier.satisfaction)
        if earlier.satisfaction is not None
        else ""
    )
    for label, text in (
        (_("Root cause"), earlier.root_cause),
        (_("Corrective action"), earlier.corrective_action),
        (_("Customer's opinion"), earlier.customer_opinion),
        (_("Satisfaction"), satisfaction),
        (_("Reason for re-opening"), earlier.reason),
    ):
        rows.append(
            [Paragraph(markup(label), style["label"]), Paragraph(markup(text), cell), "", ""]
        )
    table = Table(rows, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                *grid_commands("TOP", SHADE),
                ("SPAN", (0, 0), (3, 0)),
                *[("SPAN", (1, row), (3, row)) for row in range(1, len(rows))],
                ("TEXTCOLOR", (0, 1), (-1, -1), colors.Color(0.4, 0.4, 0.4)),
            ]
        )
    )
    return table


def _timeline(view: ComplaintView, width: float, compact: bool) -> Table:
    style = styles()
    cell = style["small"] if compact else style["cell"]
    head = [
        Paragraph(markup(text), style["label"])
        for text in (_("Time"), _("Step"), _("Status"), _("Signed by"), _("Remarks"))
    ]
    rows = [head]
    for step in view.steps:
        details = step.remarks()
        rows.append(
            [
                # A date and its time stay on one line.
                Paragraph(markup(format_datetime(step.at)).replace(" ", "&nbsp;"), cell),
                Paragraph(markup(step.action_label), cell),
                Paragraph(markup(step.status_label), cell),
                Paragraph(markup(step.staff_name), cell),
                Paragraph(markup(details), cell),
            ]
        )
    fixed = [value * mm for value in ((30, 17, 13, 12) if compact else (36, 28, 20, 18))]
    widths = [*fixed, width - sum(fixed)]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(grid_commands("TOP", SHADE)))
    return table


def render_slip(
    data: SlipData,
    page_size: str = "A4",
    printed_by: str = "",
    printed_at: dt.datetime | None = None,
) -> bytes:
    """The complaint as the office's slip, on ``data.office``'s letterhead, as PDF bytes: the
    form with boxes to complete by hand, the opinions and signatures, then the timeline
    (continued on the next page under a "continued" heading when it is long)."""
    view = data.view
    register_pdf_font()
    style = styles()
    pagesize = PAGE_SIZES.get(page_size, A4)
    compact = pagesize == A5
    usable = pagesize[0] - 2 * MARGIN
    title = _("Complaint form")
    office = data.office
    buffer = io.BytesIO()
    doc = document(buffer, f"{title} {view.number}", office.display_name, pagesize=pagesize)  # type: ignore[arg-type]
    number_style = style["heading"]
    number_cell = [
        Paragraph(markup(_("No. {number}").format(number=view.number)), number_style),
        Paragraph(
            markup(
                _("Status: {status}").format(status=view.status_label) + "　" + _(COPIES[data.copy])
            ),
            style["base"],
        ),
    ]
    barcode_width = 62 * mm if not compact else 44 * mm
    top = Table(
        [[number_cell, _Barcode(view.number, (11 if not compact else 8) * mm, barcode_width)]],
        colWidths=[usable - barcode_width, barcode_width],
    )
    top.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), register_pdf_font()),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story = [
        Paragraph(markup(title), style["title"]),
        top,
        Spacer(1, 1 * mm),
        *_form_table(data, usable, compact),
        # The timeline starts here only with room for its heading and a few steps.
        CondPageBreak(22 * mm),
        Paragraph(_("Timeline"), _section_style()),
        _timeline(view, usable, compact),
    ]
    footer = printed_footer(printed_at or dt.datetime.now(), printed_by)
    continued = _("{title} {number} (continued)").format(title=title, number=view.number)
    build_on_letterhead(doc, story, office, f"{view.number}  {footer}", continued=continued)
    return buffer.getvalue()

"""The printed complaint slip (投诉处理单): every field of the form, the result and the customer's
feedback, the timeline of steps, and signature lines for the receiver, handler and manager.
A4 by default, A5 as an office setting; the number is printed as text and as a Code 128 barcode."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from csoffice import audit, auth, complaints, settings
from csoffice.complaints import ComplaintView
from csoffice.db.database import db
from csoffice.db.models import Staff
from csoffice.errors import CsofficeError
from csoffice.i18n import _, format_datetime
from csoffice.printing.fonts import register_pdf_font
from csoffice.printing.styles import (
    MARGIN,
    build_on_letterhead,
    document,
    grid_commands,
    markup,
    printed_footer,
    signature_block,
    styles,
)
from csoffice.settings import Office
from csoffice.validation import mask_phone

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


def _grid(rows: list[list], widths: list[float], spans: list[tuple] = ()) -> Table:
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
        "section", parent=styles()["heading"], fontSize=11, leading=15, spaceBefore=5, spaceAfter=3
    )


def _form_table(view: ComplaintView, width: float, compact: bool) -> list:
    style = styles()
    label_style = style["label"]
    cell = style["small"] if compact else style["cell"]

    def lab(text: str) -> Paragraph:
        return Paragraph(markup(text), label_style)

    def val(text: str) -> Paragraph:
        return Paragraph(markup(text), cell)

    label_width = (21 if compact else 28) * mm
    value_width = (width - 2 * label_width) / 2
    widths = [label_width, value_width, label_width, value_width]

    def pair(a: str, av: str, b: str, bv: str) -> list:
        return [lab(a), val(av), lab(b), val(bv)]

    def whole(a: str, av: str) -> list:
        return [lab(a), val(av), "", ""]

    customer = view.customer_name or view.contact_name
    contact = view.contact_name if view.contact_name != customer else ""
    received = [
        pair(
            _("Time received"),
            format_datetime(view.received_at),
            _("Channel"),
            complaints.channel_label(view.channel),
        ),
        # Printed forms travel between departments: the phone is masked (DOMAIN §3).
        pair(_("Customer"), customer, _("Contact phone"), mask_phone(view.contact_phone)),
        pair(
            _("Contact"),
            contact,
            _("Category"),
            complaints.category_label(view.category),
        ),
        pair(
            _("Severity"),
            complaints.severity_label(view.severity),
            _("First responder"),
            view.receiver_name,
        ),
        whole(_("Facts"), view.facts),
        whole(_("Desired outcome"), view.desired_outcome),
        whole(_("Attachments"), "；".join(a.filename for a in view.attachments)),
    ]
    handling = [
        pair(
            _("Department"),
            complaints.department_label(view.department) if view.department else "",
            _("Handler"),
            view.handler_name,
        ),
        pair(
            _("Response due"),
            format_datetime(view.response_due),
            _("Resolution due"),
            format_datetime(view.resolve_due),
        ),
        pair(
            _("Handled at"),
            format_datetime(view.handled_at),
            _("Company at fault"),
            _yes_no(view.company_at_fault),
        ),
        whole(_("Result"), view.result),
        whole(_("Root cause"), view.root_cause),
        whole(_("Corrective action"), view.corrective_action),
    ]
    feedback = [
        whole(_("Customer's opinion"), view.customer_opinion),
        pair(
            _("Satisfaction"),
            _("{score} of 5").format(score=view.satisfaction) if view.satisfaction else "",
            _("Closed at"),
            format_datetime(view.closed_at),
        ),
        whole(_("Reason for the satisfaction"), view.satisfaction_reason),
    ]

    def spans_for(rows: list[list]) -> list[tuple]:
        return [("SPAN", (1, index), (3, index)) for index, row in enumerate(rows) if row[2] == ""]

    heading = _section_style()
    return [
        Paragraph(_("The complaint"), heading),
        _grid(received, widths, spans_for(received)),
        Paragraph(_("Handling"), heading),
        _grid(handling, widths, spans_for(handling)),
        Paragraph(_("Customer's feedback"), heading),
        _grid(feedback, widths, spans_for(feedback)),
    ]


def _timeline(view: ComplaintView, width: float, compact: bool) -> Table:
    style = styles()
    cell = style["small"] if compact else style["cell"]
    head = [
        Paragraph(markup(text), style["label"])
        for text in (_("Time"), _("Step"), _("Status"), _("Signed by"), _("Remarks"))
    ]
    rows = [head]
    for step in view.steps:
        details = "；".join(
            part
            for part in (
                step.department,
                step.assignee,
                step.note,
            )
            if part
        )
        rows.append(
            [
                Paragraph(markup(format_datetime(step.at)), cell),
                Paragraph(markup(step.action_label), cell),
                Paragraph(markup(step.status_label), cell),
                Paragraph(markup(step.staff_name), cell),
                Paragraph(markup(details), cell),
            ]
        )
    fixed = [value * mm for value in ((19, 20, 17, 14) if compact else (36, 28, 22, 18))]
    widths = [*fixed, width - sum(fixed)]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(grid_commands("TOP", SHADE)))
    return table


def write_slip(
    path: Path,
    view: ComplaintView,
    office: Office,
    page_size: str = "A4",
    printed_by: str = "",
    printed_at: dt.datetime | None = None,
) -> Path:
    """Draw ``view`` as the office's complaint slip into the PDF ``path``."""
    register_pdf_font()
    style = styles()
    pagesize = PAGE_SIZES.get(page_size, A4)
    compact = pagesize == A5
    usable = pagesize[0] - 2 * MARGIN
    title = _("Complaint form")
    doc = document(str(path), f"{title} {view.number}", office.display_name, pagesize=pagesize)
    number_style = style["heading"]
    number_cell = [
        Paragraph(markup(_("No. {number}").format(number=view.number)), number_style),
        Paragraph(markup(_("Status: {status}").format(status=view.status_label)), style["base"]),
    ]
    barcode_width = 62 * mm if not compact else 48 * mm
    top = Table(
        [[number_cell, _Barcode(view.number, (11 if not compact else 9) * mm, barcode_width)]],
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
    roles = [_("Receiver (first responder)"), _("Handler"), _("Manager")]
    story = [
        Paragraph(markup(title), style["title"]),
        top,
        Spacer(1, 2 * mm),
        *_form_table(view, usable, compact),
        Paragraph(_("Timeline"), _section_style()),
        _timeline(view, usable, compact),
        Spacer(1, 3 * mm),
        KeepTogether([signature_block(roles, usable)]),
    ]
    footer = printed_footer(printed_at or dt.datetime.now(), printed_by)
    build_on_letterhead(doc, story, office, f"{view.number}  {footer}")
    return path


def print_slip(actor: Staff, complaint_id: int, path: Path, page_size: str | None = None) -> Path:
    """Print a complaint's slip to ``path`` (audited)."""
    auth.require(actor, "print")
    view = complaints.view(complaint_id)
    size = page_size or settings.get("complaints.slip_page_size") or "A4"
    write_slip(Path(path), view, settings.office(), size, printed_by=actor.display_name)
    with db.atomic():
        audit.record(
            actor, "print", "complaint", view.id, summary=f"{view.number} → {Path(path).name}"
        )
    return Path(path)


def print_command(actor: Staff, args: list[str], out: Path) -> None:
    """``python -m csoffice print complaint NUMBER --out FILE.pdf``."""
    if len(args) != 1 or not args[0].strip():
        raise CsofficeError(_("Give one complaint number, such as TS-202611-0001."))
    view = complaints.view_by_number(args[0])
    print_slip(actor, view.id, out)

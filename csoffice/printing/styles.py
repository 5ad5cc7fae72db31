"""Shared look of printed forms: paragraph styles in the embedded font, ruled tables, the office
header and page footer, signature lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from typing import IO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from csoffice.i18n import _, current_language, format_datetime
from csoffice.printing.fonts import register_pdf_font
from csoffice.printing.office import Office

MARGIN = 18 * mm
INK = colors.black
RULE = colors.Color(0.35, 0.35, 0.35)


def styles() -> dict[str, ParagraphStyle]:
    """The shared paragraph styles for the current language."""
    return _styles(current_language().startswith("zh"))


@cache
def _styles(chinese: bool) -> dict[str, ParagraphStyle]:
    font = register_pdf_font()
    # wordWrap CJK lets lines break between any two Chinese characters: right for values, which
    # may be Chinese in any document, but in an English document it would also break the
    # English labels and headings mid-word, so those wrap at spaces there.
    base = ParagraphStyle(
        "base", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK", textColor=INK
    )
    label_wrap = "CJK" if chinese else None
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontSize=18,
            leading=24,
            alignment=TA_CENTER,
            spaceAfter=4 * mm,
            wordWrap=label_wrap,
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=base,
            fontSize=12.5,
            leading=18,
            spaceBefore=3 * mm,
            spaceAfter=2 * mm,
            wordWrap=label_wrap,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=13),
        "label": ParagraphStyle(
            "label",
            parent=base,
            fontSize=9.5,
            leading=13,
            textColor=colors.Color(0.2, 0.2, 0.2),
            wordWrap=label_wrap,
        ),
    }


def markup(text: str) -> str:
    """Text for a Paragraph: markup characters escaped, line breaks kept."""
    return escape(text or "").replace("\n", "<br/>")


def p(text: str, style: str = "cell") -> Paragraph:
    """``text`` as a paragraph in one of the shared styles (see styles())."""
    return Paragraph(markup(text), styles()[style])


def header_row(*titles: str) -> list[Paragraph]:
    """A table's first row: each column title in the label style."""
    return [p(title, "label") for title in titles]


def grid_commands(
    valign: str = "TOP", head_fill: Color | tuple[float, float, float] | None = None
) -> list[tuple]:
    """The table-style commands a ruled table starts with: a thin grid, the embedded font
    (without it the table sets Helvetica, which then sits unembedded in the PDF), the cells'
    vertical alignment and, with ``head_fill``, a shaded first row."""
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("FONTNAME", (0, 0), (-1, -1), register_pdf_font()),
        ("VALIGN", (0, 0), (-1, -1), valign),
    ]
    if head_fill is not None:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), head_fill))
    return commands


def label_value_table(rows: Sequence[Sequence[str]], label_width: float, width: float) -> Table:
    """A ruled two-column table, a label and its value on each row; both are Paragraph markup."""
    style = styles()
    table = Table(
        [
            [Paragraph(label, style["label"]), Paragraph(value, style["cell"])]
            for label, value in rows
        ],
        colWidths=[label_width, width - label_width],
    )
    table.setStyle(TableStyle(grid_commands("MIDDLE")))
    return table


def draw_office_header(
    canvas: Canvas, office: Office, page_width: float, page_height: float
) -> None:
    """The office's name, address and phone across the top of a page, with a rule below."""
    font = register_pdf_font()
    canvas.saveState()
    y = page_height - MARGIN + 2 * mm
    canvas.setFont(font, 11)
    canvas.drawString(MARGIN, y, office.display_name)
    contact = "  ".join(
        part
        for part in (
            _("Address: {address}").format(address=office.address) if office.address else "",
            _("Tel: {phone}").format(phone=office.phone) if office.phone else "",
        )
        if part
    )
    if contact:
        canvas.setFont(font, 8.5)
        canvas.drawRightString(page_width - MARGIN, y, contact)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, y - 2.5 * mm, page_width - MARGIN, y - 2.5 * mm)
    canvas.restoreState()


FOOTER_SIZE = 8


def _page_number_text(page: int, count: int) -> str:
    return _("Page {page} of {count}").format(page=page, count=count)


def draw_page_footer(canvas: Canvas, page_width: float, text: str = "") -> None:
    """``text`` at the foot of the page, left; the page number goes right of it once the
    number of pages is known (NumberedCanvas). On a narrow page (A5) the text is set smaller
    rather than run into the number."""
    if not text:
        return
    font = register_pdf_font()
    room = (
        page_width
        - 2 * MARGIN
        - canvas.stringWidth(_page_number_text(99, 99), font, FOOTER_SIZE)
        - 4 * mm
    )
    size = FOOTER_SIZE
    while size > 5.5 and canvas.stringWidth(text, font, size) > room:
        size -= 0.5
    canvas.saveState()
    canvas.setFont(font, size)
    canvas.setFillColor(RULE)
    canvas.drawString(MARGIN, MARGIN / 2, text)
    canvas.restoreState()


class NumberedCanvas(Canvas):
    """A canvas that holds every page until the document ends, so each page's foot can say
    "Page N of M" (第 N 页 / 共 M 页)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict] = []

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()  # pyright: ignore[reportAttributeAccessIssue]  # Canvas's own, not in the stubs

    def save(self) -> None:
        count = len(self._held_pages)
        font = register_pdf_font()
        for state in self._held_pages:
            self.__dict__.update(state)
            width = self._pagesize[0]  # pyright: ignore[reportAttributeAccessIssue]  # Canvas's own, not in the stubs
            self.saveState()
            self.setFont(font, FOOTER_SIZE)
            self.setFillColor(RULE)
            self.drawRightString(
                width - MARGIN, MARGIN / 2, _page_number_text(self.getPageNumber(), count)
            )
            self.restoreState()
            super().showPage()
        super().save()


def draw_letterhead(
    canvas: Canvas, office: Office, size: tuple[float, float], footer: str = ""
) -> None:
    """Everything printed around the story of a page of ``size``: the office header at the
    top, the page number and ``footer`` at the bottom."""
    width, height = size
    draw_office_header(canvas, office, width, height)
    draw_page_footer(canvas, width, footer)


def printed_footer(printed_at: dt.datetime, printed_by: str) -> str:
    """'Printed <time> by <name>' for a form's footer (no trailing space without a name)."""
    return (
        _("Printed {time} by {name}")
        .format(time=format_datetime(printed_at), name=printed_by)
        .strip()
    )


def document(
    path: str | IO[bytes],
    title: str,
    author: str,
    pagesize: tuple[float, float] = A4,
    **margins: float,
) -> SimpleDocTemplate:
    """A page layout whose every font, including the canvas's initial one, is the embedded font."""
    font = register_pdf_font()
    options = {
        "leftMargin": MARGIN,
        "rightMargin": MARGIN,
        "topMargin": MARGIN + 8 * mm,
        "bottomMargin": MARGIN,
    }
    options.update(margins)
    return SimpleDocTemplate(
        path,
        pagesize=pagesize,
        title=title,
        author=author,
        creator="csoffice",
        initialFontName=font,
        initialFontSize=10.5,
        **options,
    )


def build_on_letterhead(
    doc: SimpleDocTemplate,
    story: list[Flowable],
    office: Office,
    footer: str = "",
    continued: str = "",
) -> None:
    """Lay ``story`` out with draw_letterhead() on every page; ``continued`` (e.g. "Complaint
    form TS-… (continued)") heads every page after the first."""

    def first(canvas: Canvas, _doc: SimpleDocTemplate) -> None:
        draw_letterhead(canvas, office, doc.pagesize, footer)

    def later(canvas: Canvas, _doc: SimpleDocTemplate) -> None:
        draw_letterhead(canvas, office, doc.pagesize, footer)
        if continued:
            canvas.saveState()
            canvas.setFont(register_pdf_font(), 10)
            canvas.drawString(MARGIN, doc.pagesize[1] - MARGIN - 6 * mm, continued)
            canvas.restoreState()

    doc.build(story, onFirstPage=first, onLaterPages=later, canvasmaker=NumberedCanvas)


def signature_block(roles: list[str], width: float) -> Table:
    """A line to sign and a line for the date for each role (receiver, handler, manager…),
    ruled as a table so neither a name's line nor a date is ever broken across lines."""
    style = styles()
    font = register_pdf_font()
    chinese = current_language().startswith("zh")
    colon = "：" if chinese else ":"
    label = style["base"]
    date_text = _("Date") + colon
    role_width = min(
        width * 0.42,
        max(stringWidth(role + colon, font, label.fontSize) for role in roles) + 3 * mm,
    )
    date_label_width = stringWidth(date_text, font, label.fontSize) + 3 * mm
    date_width = 40 * mm
    line_width = width - role_width - date_label_width - date_width
    hint = ParagraphStyle("date_hint", parent=style["small"], alignment=TA_RIGHT)
    date_hint = _("year  month  day") if chinese else ""
    rows = [
        [
            Paragraph(markup(role + colon), label),
            "",
            Paragraph(markup(date_text), label),
            Paragraph(markup(date_hint), hint),
        ]
        for role in roles
    ]
    table = Table(rows, colWidths=[role_width, line_width, date_label_width, date_width])
    commands: list[tuple] = [
        ("TOPPADDING", (0, 0), (-1, -1), 4 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        # Without it the table sets Helvetica, which then sits unembedded in the PDF.
        ("FONTNAME", (0, 0), (-1, -1), font),
    ]
    for row in range(len(rows)):
        commands.append(("LINEBELOW", (1, row), (1, row), 0.6, INK))
        commands.append(("LINEBELOW", (3, row), (3, row), 0.6, INK))
    table.setStyle(TableStyle(commands))
    return table

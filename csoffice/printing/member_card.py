"""The printed member card (CR80, 85.6 × 54 mm), an A4 sheet of cards, and the gift handover slip.

The card carries the office's name, the member's name and level, and the card number as
text, as a Code 128 barcode (for a desk scanner) and as a QR code (for a phone). This module
only draws: ``csoffice.members.prints`` gathers the data, checks the permission, writes the
file and the audit row.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.graphics.barcode import code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Spacer, TableStyle

from csoffice.i18n import _, format_date, format_datetime, format_number
from csoffice.printing.fonts import register_pdf_font
from csoffice.printing.member_card_data import CardFace, HandoverSlip
from csoffice.printing.styles import (
    MARGIN,
    RULE,
    Office,
    build_on_letterhead,
    document,
    label_value_table,
    signature_block,
    styles,
)

CARD_WIDTH, CARD_HEIGHT = 85.6 * mm, 54 * mm
CARD_SIZE = (CARD_WIDTH, CARD_HEIGHT)
BAND = colors.Color(0.11, 0.23, 0.42)
GOLD = colors.Color(0.72, 0.56, 0.22)
BADGE = colors.Color(0.98, 0.93, 0.78)  # pale gold: light grey on a B/W printer
CROP_GAP, CROP_LENGTH = 1.5 * mm, 4 * mm
SHEET_COLUMNS, SHEET_ROWS = 2, 5


def _fit(text: str, font: str, size: float, width: float) -> float:
    """The largest font size up to ``size`` at which ``text`` fits in ``width``."""
    while size > 5 and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def draw_card(canvas: Canvas, face: CardFace, office: Office, x: float, y: float) -> None:
    """Draw one card with its lower-left corner at (x, y)."""
    font = register_pdf_font()
    canvas.saveState()
    canvas.translate(x, y)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.4)
    canvas.roundRect(0, 0, CARD_WIDTH, CARD_HEIGHT, 3 * mm, stroke=1, fill=0)
    # The coloured band with the office's name.
    path = canvas.beginPath()
    band = 13 * mm
    canvas.setFillColor(BAND)
    path.roundRect(0, CARD_HEIGHT - band, CARD_WIDTH, band, 3 * mm)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.rect(0, CARD_HEIGHT - band, CARD_WIDTH, band / 2, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    name = office.display_name
    canvas.setFont(font, _fit(name, font, 10, CARD_WIDTH - 30 * mm))
    canvas.drawString(4 * mm, CARD_HEIGHT - 8 * mm, name)
    title = _("Member card")
    canvas.setFont(font, 8)
    canvas.drawRightString(CARD_WIDTH - 4 * mm, CARD_HEIGHT - 8 * mm, title)

    # Member and level.
    canvas.setFillColor(colors.black)
    size = _fit(face.member_name, font, 15, 50 * mm)
    canvas.setFont(font, size)
    canvas.drawString(4 * mm, CARD_HEIGHT - 22 * mm, face.member_name)
    if face.level_name:
        # Dark letters on a pale badge with a dark rim: still readable from a B/W printer.
        canvas.setFillColor(BADGE)
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.6)
        width = stringWidth(face.level_name, font, 9) + 4 * mm
        canvas.roundRect(4 * mm, CARD_HEIGHT - 30 * mm, width, 5.5 * mm, 1.5 * mm, stroke=1, fill=1)
        canvas.setFillColor(colors.black)
        canvas.setFont(font, 9)
        canvas.drawString(6 * mm, CARD_HEIGHT - 28.6 * mm, face.level_name)
    canvas.setFillColor(colors.Color(0.3, 0.3, 0.3))
    canvas.setFont(font, 6)
    valid = _("Issued {date}").format(date=face.issued_on.isoformat())
    if face.expires_on:
        valid += "  " + _("Valid until {date}").format(date=face.expires_on.isoformat())
    canvas.drawString(4 * mm, CARD_HEIGHT - 35 * mm, valid)

    # QR code on the right.
    qr_size = 19 * mm
    _draw_qr(
        canvas,
        face.card_no,
        CARD_WIDTH - qr_size - 3 * mm,
        CARD_HEIGHT - band - qr_size - 2 * mm,
        qr_size,
    )

    # Barcode and number along the bottom.
    # The barcode's own font would be Helvetica, left unembedded: the embedded one instead.
    barcode = code128.Code128(
        face.card_no, barHeight=7 * mm, barWidth=0.3 * mm, quiet=False, fontName=font
    )
    barcode.drawOn(canvas, 4 * mm, 5.5 * mm)
    canvas.setFillColor(colors.black)
    canvas.setFont(font, 9)
    canvas.drawString(4 * mm, 2 * mm, face.card_no)
    canvas.restoreState()


def _draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """The QR code's dark modules drawn straight on the canvas (renderPDF would set its own
    Helvetica, which then sits unembedded in the PDF)."""
    from reportlab.graphics.shapes import Group, Rect

    widget = QrCodeWidget(text, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / (x1 - x0), size / (y1 - y0))
    canvas.translate(-x0, -y0)
    canvas.setFillColor(colors.black)
    pending = [widget.draw()]
    while pending:
        node = pending.pop()
        if isinstance(node, Group):
            pending.extend(node.contents)
        elif isinstance(node, Rect) and node.fillColor not in (None, colors.white):
            canvas.rect(node.x, node.y, node.width, node.height, stroke=0, fill=1)
    canvas.restoreState()


def draw_crop_marks(canvas: Canvas, x: float, y: float) -> None:
    """Cut marks outside the four corners of the card whose lower-left corner is (x, y)."""
    canvas.saveState()
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.3)
    for cx, dx in ((x, -1), (x + CARD_WIDTH, 1)):
        for cy, dy in ((y, -1), (y + CARD_HEIGHT, 1)):
            start_x, start_y = cx + dx * CROP_GAP, cy + dy * CROP_GAP
            canvas.line(start_x, cy, start_x + dx * CROP_LENGTH, cy)  # along the edge's line
            canvas.line(cx, start_y, cx, start_y + dy * CROP_LENGTH)
    canvas.restoreState()


def card_pdf(face: CardFace, office: Office) -> bytes:
    """One card on a CR80-sized page, for a card printer."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=CARD_SIZE, initialFontName=register_pdf_font())  # pyright: ignore[reportArgumentType]  # the stubs type a font name as float
    canvas.setTitle(_("Member card {number}").format(number=face.card_no))
    canvas.setAuthor(office.display_name)
    canvas.setCreator("csoffice")
    draw_card(canvas, face, office, 0, 0)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def card_sheet_pdf(faces: Sequence[CardFace], office: Office) -> bytes:
    """Cards on A4, two across and five down, with cut marks, for an ordinary printer."""
    font = register_pdf_font()
    width, height = A4
    gap_x = (width - SHEET_COLUMNS * CARD_WIDTH) / (SHEET_COLUMNS + 1)
    gap_y = (height - SHEET_ROWS * CARD_HEIGHT) / (SHEET_ROWS + 1)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=font)  # pyright: ignore[reportArgumentType]  # the stubs type a font name as float
    canvas.setTitle(_("Member cards"))
    canvas.setAuthor(office.display_name)
    canvas.setCreator("csoffice")
    per_page = SHEET_COLUMNS * SHEET_ROWS
    for start in range(0, max(1, len(faces)), per_page):
        for position, face in enumerate(faces[start : start + per_page]):
            row, column = divmod(position, SHEET_COLUMNS)
            x = gap_x + column * (CARD_WIDTH + gap_x)
            y = height - (row + 1) * (CARD_HEIGHT + gap_y)
            draw_card(canvas, face, office, x, y)
            draw_crop_marks(canvas, x, y)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def handover_slip_pdf(slip: HandoverSlip, office: Office) -> bytes:
    """积分换礼领取单: what was handed over, for how many points, signed by member and clerk."""
    style = styles()
    usable = A4[0] - 2 * MARGIN
    title = _("Gift handover slip")
    buffer = io.BytesIO()
    doc = document(buffer, title, office.display_name)
    rows = [
        (_("Redemption number"), str(slip.redemption_id)),
        (_("Date"), format_datetime(slip.at)),
        (_("Member"), slip.member_name),
        (_("Card number"), slip.card_no),
        (_("Level"), slip.level_name),
        (_("Gift"), slip.gift_name),
        (_("Quantity"), format_number(slip.quantity)),
        (_("Points used"), format_number(slip.points)),
        (_("Balance after"), format_number(slip.balance_after)),
        (_("Handed over by"), slip.clerk),
    ]
    if slip.status != "done":
        rows.append((_("Status"), _("Voided")))
    table = label_value_table(rows, 40 * mm, usable)
    table.setStyle(
        TableStyle(
            [
                ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
            ]
        )
    )
    story = [
        Paragraph(title, style["title"]),
        table,
        Spacer(1, 4 * mm),
        Paragraph(
            _(
                "The member confirms receiving the gift above in good condition; the points were deducted from the card."
            ),
            style["base"],
        ),
        Spacer(1, 6 * mm),
        signature_block([_("Member's signature"), _("Clerk")], usable),
    ]
    printed = _("Printed {date}").format(date=format_date(slip.at.date()))
    build_on_letterhead(doc, story, office, printed)
    return buffer.getvalue()

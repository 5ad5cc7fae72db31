"""Greeting letters by mail merge: one letter a page on the office's letterhead, and an A4
sheet of address labels (3 × 8 labels of 70 × 37 mm) for the envelopes. Takes plain data
(Letter: name, address, text) that csoffice.care gathers; returns the PDF bytes."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak, Spacer

from csoffice.i18n import _, format_date
from csoffice.printing.fonts import register_pdf_font
from csoffice.printing.styles import Office, build_on_letterhead, document, p

LABEL_COLUMNS, LABEL_ROWS = 3, 8
LABEL_WIDTH, LABEL_HEIGHT = 70 * mm, 37.125 * mm  # the common 24-up A4 label sheet
LABEL_PADDING = 5 * mm


@dataclass(frozen=True)
class Letter:
    """One letter and its label."""

    name: str
    address: str
    text: str


def letters_pdf(letters: Sequence[Letter], office: Office) -> bytes:
    """One letter a page: the addressee, the text (its line breaks kept), the office."""
    buffer = io.BytesIO()
    doc = document(buffer, _("Greeting letters"), office.display_name)
    story: list = []
    for number, letter in enumerate(letters):
        if number:
            story.append(PageBreak())
        story += [
            Spacer(1, 10 * mm),
            p(letter.name, "base"),
            p(letter.address, "base"),
            Spacer(1, 10 * mm),
        ]
        for block in letter.text.split("\n\n"):
            story += [p(block, "base"), Spacer(1, 4 * mm)]
        story += [
            Spacer(1, 10 * mm),
            p(office.display_name, "base"),
            p(format_date(dt.date.today(), "long"), "base"),
        ]
    if not story:
        story.append(p(_("Nobody to write to."), "base"))
    build_on_letterhead(doc, story, office)
    return buffer.getvalue()


def _fit(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (character by character: CJK)."""
    lines, line = [], ""
    for char in text:
        if stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines


def labels_pdf(letters: Sequence[Letter]) -> bytes:
    """The addresses on A4 label sheets, left to right, top to bottom."""
    buffer = io.BytesIO()
    font = register_pdf_font()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=font)  # pyright: ignore[reportArgumentType]  # the stubs type a font name as float
    canvas.setTitle(_("Address labels"))
    width, height = A4
    left = (width - LABEL_COLUMNS * LABEL_WIDTH) / 2
    top = height - (height - LABEL_ROWS * LABEL_HEIGHT) / 2
    per_page = LABEL_COLUMNS * LABEL_ROWS
    for index, letter in enumerate(letters):
        if index and index % per_page == 0:
            canvas.showPage()
        slot = index % per_page
        x = left + (slot % LABEL_COLUMNS) * LABEL_WIDTH + LABEL_PADDING
        y = top - (slot // LABEL_COLUMNS) * LABEL_HEIGHT - LABEL_PADDING - 4 * mm
        inner = LABEL_WIDTH - 2 * LABEL_PADDING
        canvas.setFont(font, 9)
        for line in _fit(letter.address, font, 9, inner)[:3]:
            canvas.drawString(x, y, line)
            y -= 4.5 * mm
        canvas.setFont(font, 12)
        canvas.drawString(x, y - 2 * mm, _("{name} (addressee)").format(name=letter.name))
    if not letters:
        canvas.setFont(font, 11)
        canvas.drawString(20 * mm, height - 30 * mm, _("Nobody to write to."))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()

"""The embedded font draws Chinese, including rare name characters of Extension A."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from csoffice.printing.fonts import FONT_FILE, missing_glyphs, register_pdf_font
from csoffice.printing.test_page import RARE_NAMES
from tests.conftest import needs_poppler, pdf_fonts, pdf_text


def test_font_is_truetype_and_bundled():
    assert FONT_FILE.exists()
    assert FONT_FILE.read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines, not CFF


def test_rare_characters_have_glyphs():
    assert missing_glyphs("".join(RARE_NAMES) + "客户投诉处理单张三曾单解区朴乐ABC123¥") == []
    assert missing_glyphs("𠮷") == ["𠮷"]  # Extension B is outside the font; the check says so


@needs_poppler
def test_pdf_text_extracts_and_font_is_embedded(tmp_path):
    path = tmp_path / "x.pdf"
    font = register_pdf_font()
    canvas = Canvas(str(path), initialFontName=font)
    canvas.setFont(font, 14)
    canvas.drawString(72, 720, "客户 刘䶮 投诉")
    canvas.save()
    assert "刘䶮" in pdf_text(path)
    assert "yes yes yes" in pdf_fonts(path)

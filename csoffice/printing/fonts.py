"""The embedded CJK font for every PDF.

WenQuanYi Zen Hei is a TrueType (glyf) font covering Latin, the CJK Unified Ideographs and
all of Extension A (rare name characters such as 䶮), under GPL-2 with a font-embedding
exception. reportlab embeds only the glyphs a document uses, so a PC without Chinese fonts
prints the form exactly, and pdftotext extracts its text.
"""

from __future__ import annotations

from functools import cache

from csoffice.paths import resource

FONT_NAME = "WenQuanYiZenHei"
FONT_FILE = resource("fonts", "WenQuanYiZenHei.ttf")


@cache
def register_pdf_font() -> str:
    """Register the font with reportlab once; returns the name to use in canvases and styles."""
    # reportlab is loaded on the first PDF, not when the app starts (the UI needs only the path).
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_FILE)))
    return FONT_NAME


@cache
def _charmap() -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    register_pdf_font()
    font = pdfmetrics.getFont(FONT_NAME)
    if not isinstance(font, TTFont):
        raise TypeError(f"{FONT_NAME} is registered as {type(font).__name__}, not a TrueType font")
    return frozenset(font.face.charToGlyph)


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` the font cannot draw (they would print as boxes)."""
    charmap = _charmap()
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in charmap})

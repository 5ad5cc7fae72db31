"""The bundled CJK font, registered with Qt so Chinese renders on a PC with no Chinese font."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from csoffice.printing.fonts import FONT_FILE


def register_app_font(app: QApplication) -> str:
    """Load the bundled font and make it the application's fallback for CJK; returns its family."""
    font_id = QFontDatabase.addApplicationFont(str(FONT_FILE))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return ""
    family = families[0]
    font = QFont(app.font())
    # The system's UI font first for Latin text, the bundled one for everything it lacks.
    font.setFamilies([family])
    app.setFont(font)
    return family

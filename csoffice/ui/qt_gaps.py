"""Qt's own strings its shipped catalogue (qtbase_zh_CN.qm) does not translate yet: newer Qt
added mnemonics to some labels ("&Look in:"), so the old entries no longer match. Our
catalogue carries them; this translator, installed after Qt's, answers only for those."""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from csoffice.i18n import N_, _

GAPS: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): N_("&Look in:"),
    ("QFileDialog", "Files of &type:"): N_("Files of &type:"),
}


class QtGapTranslator(QTranslator):
    """Answers Qt's untranslated strings from our catalogue; everything else falls through
    (no answer, a null string, sends Qt on to the next translator)."""

    def translate(self, context: str, source: str, disambiguation=None, n: int = -1) -> str | None:
        message = GAPS.get((context, source))
        if message is None:
            return None
        translated = _(message)
        return translated if translated != message else None

    def isEmpty(self) -> bool:
        return False

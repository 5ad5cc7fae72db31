"""What a clerk does with a finished PDF: preview it, print it, save a copy elsewhere — all
through the app's own print preview (csoffice.ui.dialogs.print_preview); no PDF viewer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from csoffice.ui.dialogs.print_preview import open_preview
from csoffice.ui.file_dialogs import ask_save_pdf, copy_pdf


class PdfActions(QObject):
    """Preview, print and save-as for the PDF at ``path``; ``title`` names the document in the
    preview and the print queue."""

    saved = Signal(str)

    def __init__(self, parent: QWidget, title: str = ""):
        super().__init__(parent)
        self.parent_widget = parent
        self.title = title
        self.path: Path | None = None
        self.dialog: QWidget | None = None
        self.preview_dialog = None

    def preview(self, title: str | None = None):
        """The print preview of the PDF (Print…, Save as PDF…, Close); None without a PDF."""
        if self.path is None:
            return None
        dialog = open_preview(self.parent_widget, self.path, title or self.title or self.path.stem)
        dialog.saved.connect(self.saved)
        self.preview_dialog = dialog
        return dialog

    def print(self, title: str | None = None):
        """The preview with the system print dialog already open over it."""
        dialog = self.preview(title)
        if dialog is None:
            return None
        self.dialog = dialog.print_document()
        return self.dialog

    def save_as(self, title: str) -> QFileDialog | None:
        if self.path is None:
            return None
        self.dialog = ask_save_pdf(self.parent_widget, self.path, title, self.saved.emit)
        return self.dialog

    def copy_to(self, target: str) -> bool:
        if self.path is None or not copy_pdf(self.parent_widget, self.path, target):
            return False
        self.saved.emit(target)
        return True

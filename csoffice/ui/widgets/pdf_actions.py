"""What a clerk does with a finished PDF: preview it, print it, save a copy elsewhere.

PySide6-Essentials has no PDF renderer (QtPdf), so the PDF itself is handed on: to the system
viewer for a preview, to the file chosen for "print to file", to CUPS with ``lp`` where it
exists, and otherwise to the viewer to be printed from there.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from csoffice.i18n import _
from csoffice.ui.errors import show_message


class PdfActions(QObject):
    """Preview, print and save-as for the PDF at ``path``; ``opener`` opens a file for viewing
    (tests replace it, so no viewer starts). ``viewer_note`` (translated) tells the clerk to
    print from the viewer when no printer could take the PDF; by default it speaks of a report."""

    saved = Signal(str)

    def __init__(self, parent: QWidget, viewer_note: str | None = None):
        super().__init__(parent)
        self.parent_widget = parent
        self.viewer_note = viewer_note
        self.path: Path | None = None
        self.opener = lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        self.dialog: QWidget | None = None

    def preview(self) -> bool:
        if self.path is None:
            return False
        return bool(self.opener(self.path))

    def save_as(self, title: str) -> QFileDialog | None:
        if self.path is None:
            return None
        dialog = QFileDialog(self.parent_widget, title, str(Path.home() / self.path.name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(_("PDF (*.pdf)"))
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(self.copy_to)
        dialog.open()
        self.dialog = dialog
        return dialog

    def copy_to(self, target: str) -> bool:
        if self.path is None:
            return False
        try:
            shutil.copyfile(self.path, target)
        except OSError as exc:
            show_message(self.parent_widget, _("Not saved"), str(exc))
            return False
        self.saved.emit(target)
        return True

    def print(self):
        """The system print dialog; the PDF goes to the printer chosen there."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self.path is None:
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.path.name)
        dialog = QPrintDialog(printer, self.parent_widget)
        dialog.accepted.connect(lambda: self.send_to_printer(printer))
        dialog.open()
        self.dialog, self.printer = dialog, printer
        return dialog

    def send_to_printer(self, printer) -> None:
        from PySide6.QtPrintSupport import QPrinter

        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
            self.copy_to(printer.outputFileName())
            return
        lp = shutil.which("lp")
        if lp and sys.platform != "win32" and printer.printerName() and self.path is not None:
            command = [lp, "-d", printer.printerName(), "-n", str(max(1, printer.copyCount()))]
            result = subprocess.run(
                [*command, str(self.path)], capture_output=True, text=True, check=False
            )
            if result.returncode == 0:
                return
        if self.preview():
            show_message(
                self.parent_widget,
                _("Print from the viewer"),
                self.viewer_note or _("The report opened in the PDF viewer; print it from there."),
                QMessageBox.Icon.Information,
            )
        else:
            show_message(
                self.parent_widget,
                _("Not printed"),
                _("No PDF viewer or printer could be reached."),
            )

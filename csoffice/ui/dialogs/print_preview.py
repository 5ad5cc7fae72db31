"""The one print path of the app: every document it makes opens here — its pages rendered page
by page with zoom and the page count — with Print… (the system print dialog, then the same
rendered pages painted onto the printer), Save as PDF… and Close. No PDF viewer is needed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QPixmap, QShortcut
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from csoffice.i18n import _
from csoffice.printing import spool
from csoffice.ui.desk_keys import DeskDialog
from csoffice.ui.errors import show_message
from csoffice.ui.file_dialogs import ask_save_pdf, copy_pdf
from csoffice.ui.pdf_pages import PaperFit, PdfPages, paper_of, prepare_printer, print_pages
from csoffice.ui.tasks import Task, run_task

FIT_WIDTH, FIT_PAGE = "width", "page"
ZOOMS: list[tuple[str, float | None]] = [
    (FIT_WIDTH, None),
    (FIT_PAGE, None),
    ("50%", 0.5),
    ("75%", 0.75),
    ("100%", 1.0),
    ("150%", 1.5),
    ("200%", 2.0),
]


class PrintPreviewDialog(DeskDialog):
    """The pages of the PDF at ``path``; ``title`` names the document (window, print job,
    the file name offered by Save as PDF)."""

    printed = Signal(str)  # the printer the pages went to
    saved = Signal(str)  # the file the PDF was saved as

    def __init__(self, path: Path, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("printPreview")
        self.title = title
        self.pages = PdfPages(Path(path))
        self.page_index = 0
        self.task: Task | None = None
        self.print_dialog: QPrintDialog | None = None
        self.file_dialog: QFileDialog | None = None
        self.printer: QPrinter | None = None
        self.setWindowTitle(_("Print preview — {title}").format(title=title))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.previous_button = QToolButton()
        self.previous_button.setText("◀")
        self.previous_button.setToolTip(_("Previous page (Page Up)"))
        self.page_spin = QSpinBox()
        self.page_spin.setObjectName("previewPage")
        self.page_spin.setRange(1, max(1, self.pages.count))
        self.page_spin.setAccessibleName(_("Page"))
        self.count_label = QLabel(_("of {count}").format(count=self.pages.count))
        self.count_label.setObjectName("previewPageCount")
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip(_("Next page (Page Down)"))
        self.zoom = QComboBox()
        self.zoom.setObjectName("previewZoom")
        labels = {FIT_WIDTH: _("Fit width"), FIT_PAGE: _("Whole page")}
        for key, factor in ZOOMS:
            self.zoom.addItem(labels.get(key, key), factor if factor else key)
        self.zoom.setCurrentIndex(1)
        self.print_button = QPushButton(_("Print…"))
        self.print_button.setObjectName("previewPrint")
        self.save_button = QPushButton(_("Save as PDF…"))
        self.save_button.setObjectName("previewSave")
        self.close_button = QPushButton(_("Close"))
        for widget in (
            self.previous_button,
            QLabel(_("Page")),
            self.page_spin,
            self.count_label,
            self.next_button,
            QLabel(_("Zoom")),
            self.zoom,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        for button in (self.print_button, self.save_button, self.close_button):
            button.setAutoDefault(False)
            bar.addWidget(button)
        layout.addLayout(bar)

        self.note = QLabel()
        self.note.setObjectName("previewNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.scroll_area = QScrollArea()
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area.setStyleSheet("QScrollArea { background: #808080; }")
        self.page_label = QLabel()
        self.page_label.setObjectName("previewPageImage")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area.setWidget(self.page_label)
        self.scroll_area.setWidgetResizable(False)
        layout.addWidget(self.scroll_area, 1)

        self.previous_button.clicked.connect(lambda: self.show_page(self.page_index - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page_index + 1))
        self.page_spin.valueChanged.connect(lambda value: self.show_page(value - 1))
        self.zoom.currentIndexChanged.connect(lambda _index: self.render())
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        for keys, slot in (
            (
                QKeySequence.StandardKey.MoveToPreviousPage,
                lambda: self.show_page(self.page_index - 1),
            ),
            (QKeySequence.StandardKey.MoveToNextPage, lambda: self.show_page(self.page_index + 1)),
            (QKeySequence.StandardKey.Print, self.print_document),
            (QKeySequence.StandardKey.Save, self.save_as),
            (QKeySequence.StandardKey.ZoomIn, lambda: self.step_zoom(1)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.step_zoom(-1)),
        ):
            QShortcut(QKeySequence(keys), self, slot)
        self._describe_paper()
        screen = QGuiApplication.primaryScreen().availableGeometry()
        self.resize(min(900, screen.width() - 80), screen.height() - 80)
        self.finished.connect(self._release)
        self.show_page(0)

    # --- pages ------------------------------------------------------------------------------

    def _describe_paper(self) -> None:
        size = self.pages.sizes[0] if self.pages.count else None
        text = _("{count} pages, {paper}").format(
            count=self.pages.count, paper=size.describe() if size else ""
        )
        self.note.setText(text)
        self.note.setStyleSheet("")

    def show_page(self, index: int) -> None:
        if not self.pages.count:
            return
        index = max(0, min(index, self.pages.count - 1))
        self.page_index = index
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(index + 1)
        self.page_spin.blockSignals(False)
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < self.pages.count - 1)
        self.render()

    def step_zoom(self, step: int) -> None:
        self.zoom.setCurrentIndex(
            max(0, min(self.zoom.count() - 1, self.zoom.currentIndex() + step))
        )

    def zoom_factor(self) -> float:
        """Screen pixels per point of the current page."""
        size = self.pages.sizes[self.page_index]
        choice = self.zoom.currentData()
        viewport = self.scroll_area.viewport().size()
        if choice == FIT_WIDTH:
            return max(0.2, (viewport.width() - 24) / size.width)
        if choice == FIT_PAGE:
            return max(
                0.2,
                min((viewport.width() - 24) / size.width, (viewport.height() - 24) / size.height),
            )
        return float(choice) * self.logicalDpiX() / 72

    def render(self) -> None:
        if not self.pages.count:
            return
        ratio = self.devicePixelRatioF()
        factor = self.zoom_factor()
        image = self.pages.image(self.page_index, factor * 72 * ratio)
        image.setDevicePixelRatio(ratio)
        self.page_label.setPixmap(QPixmap.fromImage(image))
        self.page_label.resize(self.page_label.sizeHint())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.zoom.currentData() in (FIT_WIDTH, FIT_PAGE):
            # One render once the resize settles, not one per pixel of a drag.
            if not hasattr(self, "_rerender"):
                self._rerender = QTimer(self, singleShot=True, interval=80)
                self._rerender.timeout.connect(self.render)
            self._rerender.start()

    # --- print ------------------------------------------------------------------------------

    def print_document(self) -> QPrintDialog | None:
        """The system print dialog (printer, copies, page range, paper), then the pages."""
        if self.task is not None and self.task.is_running():
            return None
        if not QPrinterInfo.availablePrinters():
            self.say(
                _("No printer is installed on this computer. Save the document as PDF instead."),
                warning=True,
            )
            show_message(
                self,
                _("No printer"),
                _("No printer is installed on this computer. Save the document as PDF instead."),
            )
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_printer(printer, self.pages)
        dialog = QPrintDialog(printer, self)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setMinMax(1, max(1, self.pages.count))
        dialog.setWindowTitle(_("Print — {title}").format(title=self.title))
        dialog.accepted.connect(lambda: self.send(printer))
        self.print_dialog, self.printer = dialog, printer
        # QPrintDialog.open() in PySide6 is only the (receiver, member) overload; QDialog's own
        # open() shows it window-modal the same way and reports through accepted/rejected.
        QDialog.open(dialog)
        return dialog

    def send(self, printer: QPrinter) -> Task | None:
        """Paint the chosen pages onto ``printer`` off the UI thread; the outcome is said here."""
        name = printer.printerName()
        problem = spool.queue_problem(name) if name else None
        if problem and problem.kind == "refusing":
            text = problem.message + "\n" + _("Save the document as PDF instead.")
            self.say(text, warning=True)
            show_message(self, _("Not printed"), text)
            return None
        fit = PaperFit(self.pages.sizes[0], paper_of(printer))
        pages = self.pages
        task = run_task(
            self,
            _("Printing…"),
            lambda progress: print_pages(printer, pages, progress),
        )
        task.finished.connect(self._task_done)
        waiting = problem.message if problem else None
        task.succeeded.connect(lambda count: self._printed(name, count, fit, waiting))
        task.failed.connect(self._print_failed)
        self.task = task
        return task

    def _task_done(self) -> None:
        self.task = None

    def _printed(self, name: str, count: int, fit: PaperFit, problem: str | None) -> None:
        parts = [_("{count} pages sent to {printer}.").format(count=count, printer=name)]
        if fit.describe():
            parts.append(fit.describe())
        if problem:
            parts.append(problem)
        self.say(" ".join(parts), warning=bool(problem or not fit.same))
        self.printed.emit(name)

    def _print_failed(self, message: str) -> None:
        text = message + "\n" + _("The document can still be saved as PDF.")
        self.say(text, warning=True)
        show_message(self, _("Not printed"), text)

    def say(self, text: str, warning: bool = False) -> None:
        self.note.setText(text)
        self.note.setStyleSheet("color: #8a4b00; font-weight: bold;" if warning else "")

    # --- save -------------------------------------------------------------------------------

    def save_as(self) -> QFileDialog:
        self.file_dialog = ask_save_pdf(self, self.pages.path, _("Save as PDF"), self._saved)
        return self.file_dialog

    def save_to(self, target: str) -> bool:
        """Save the PDF as ``target`` (what the save dialog does once a name is chosen)."""
        if not copy_pdf(self, self.pages.path, target):
            return False
        self._saved(target)
        return True

    def _saved(self, target: str) -> None:
        self.say(_("Saved to {path}").format(path=target))
        self.saved.emit(target)

    def _release(self, _result: int) -> None:
        if self.task is not None and self.task.is_running():
            self.task.wait()
        self.pages.close()


def open_preview(parent: QWidget, path: Path, title: str) -> PrintPreviewDialog:
    """Show the preview of the PDF at ``path`` (window-modal, deleted when closed)."""
    dialog = PrintPreviewDialog(path, title, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog

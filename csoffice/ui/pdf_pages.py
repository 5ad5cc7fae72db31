"""A PDF's pages as images, for the screen and for the printer: one renderer (pypdfium2) for
both, so what the preview shows is what prints, on Windows and on Linux/CUPS alike."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from csoffice.errors import CsofficeError
from csoffice.i18n import _
from csoffice.printing.spool import PageSize

PRINT_DPI = 300  # enough for 9-pt Chinese and a Code 128 barcode; more only slows the spooler
# PDFium is not thread-safe: the preview renders on the UI thread while a print job renders
# on a worker, so every call into it holds this lock.
PDFIUM = threading.Lock()


class PrintFailed(CsofficeError):
    """The printer could not be opened or refused the pages (message already translated)."""


class PdfPages:
    """The pages of one PDF (read into memory, so the file may be replaced or removed)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        with PDFIUM:
            self._document = pypdfium2.PdfDocument(self.path.read_bytes())
            self.count = len(self._document)
            self.sizes = [PageSize(*self._document[i].get_size()) for i in range(self.count)]

    def close(self) -> None:
        with PDFIUM:
            self._document.close()

    def image(self, index: int, dpi: float) -> QImage:
        """Page ``index`` (0-based) rendered at ``dpi`` on white paper."""
        with PDFIUM:
            bitmap = self._document[index].render(
                scale=dpi / 72,  # pyright: ignore[reportArgumentType]  # pypdfium2 infers int from its default 1; a float scale is documented
                rev_byteorder=True,
                force_bitmap_format=pypdfium2.raw.FPDFBitmap_BGRA,
            )
            image = QImage(
                bitmap.buffer,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGBA8888,
            )
            return image.copy()  # the bitmap's memory goes when it does

    def page_size(self, index: int = 0) -> QPageSize:
        return qt_page_size(self.sizes[index])

    def page_layout(self, index: int = 0) -> QPageLayout:
        size = self.sizes[index]
        orientation = (
            QPageLayout.Orientation.Landscape
            if size.landscape
            else QPageLayout.Orientation.Portrait
        )
        return QPageLayout(self.page_size(index), orientation, QMarginsF(0, 0, 0, 0))


def qt_page_size(size: PageSize) -> QPageSize:
    """The sheet as Qt names it (QPageSize.A5 …), or a custom size for a card."""
    short, long = sorted((size.width, size.height))
    named = QPageSize.id(
        QSizeF(short, long), QPageSize.Unit.Point, QPageSize.SizeMatchPolicy.FuzzyMatch
    )
    if named != QPageSize.PageSizeId.Custom:
        return QPageSize(named)
    return QPageSize(
        QSizeF(short, long), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch
    )


@dataclass
class PaperFit:
    """How the document's sheet compares with the paper the printer was given."""

    document: PageSize
    paper: PageSize

    @property
    def same(self) -> bool:
        short_d, long_d = sorted((self.document.width, self.document.height))
        short_p, long_p = sorted((self.paper.width, self.paper.height))
        return abs(short_d - short_p) <= 2 and abs(long_d - long_p) <= 2

    @property
    def shrinks(self) -> bool:
        short_d, long_d = sorted((self.document.width, self.document.height))
        short_p, long_p = sorted((self.paper.width, self.paper.height))
        return short_d > short_p + 2 or long_d > long_p + 2

    def describe(self) -> str:
        """The sentence the preview shows when the paper is not the document's (else '')."""
        if self.same:
            return ""
        if self.shrinks:
            return _(
                "The document is {document} but the printer's paper is {paper}: "
                "the pages are printed smaller to fit."
            ).format(document=self.document.describe(), paper=self.paper.describe())
        return _(
            "The document is {document} but the printer's paper is {paper}: "
            "the pages are printed at their actual size, centred on the larger paper."
        ).format(document=self.document.describe(), paper=self.paper.describe())


def paper_of(printer: QPrinter) -> PageSize:
    size = printer.pageLayout().pageSize().size(QPageSize.Unit.Point)
    return PageSize(size.width(), size.height())


def prepare_printer(printer: QPrinter, pages: PdfPages) -> None:
    """The document's sheet, orientation and page range on ``printer`` before its dialog opens;
    the job is named after the PDF's file (plain ASCII: queues and cups-pdf show it as is)."""
    printer.setDocName(pages.path.stem)
    printer.setFullPage(True)  # the PDF carries its own margins
    printer.setPageLayout(pages.page_layout(0))
    printer.setFromTo(0, 0)


def print_pages(
    printer: QPrinter,
    pages: PdfPages,
    progress: Callable[[int, int, str], None] | None = None,
) -> int:
    """Paint the pages the dialog chose onto ``printer`` at their actual size (smaller only
    where the paper is smaller); returns how many pages were sent. Raises PrintFailed; when
    ``progress`` raises (the clerk cancelled), the job is aborted, not sent half-done."""
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0 or last <= 0:
        first, last = 1, pages.count
    last = min(last, pages.count)
    indices = list(range(first - 1, last))
    if not indices:
        return 0
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(
            _("The printer “{name}” could not be opened.").format(name=printer.printerName())
        )
    dpi = min(PRINT_DPI, max(printer.resolution(), 150))

    def render(index: int) -> QImage:
        # Without an alpha channel Qt's spooler writes the page once, not with a mask.
        return pages.image(index, dpi).convertToFormat(QImage.Format.Format_RGB888)

    # The next page renders while Qt compresses this one into the job (half the wait).
    ahead = ThreadPoolExecutor(max_workers=1)
    coming = ahead.submit(render, indices[0])
    try:
        for number, index in enumerate(indices):
            if progress:
                progress(
                    number,
                    len(indices),
                    _("Page {page} of {count}").format(page=number + 1, count=len(indices)),
                )
            size = pages.sizes[index]
            if number:
                # A landscape page in a portrait report turns the paper, not the page.
                orientation = (
                    QPageLayout.Orientation.Landscape
                    if size.landscape
                    else QPageLayout.Orientation.Portrait
                )
                printer.setPageOrientation(orientation)
                if not printer.newPage():
                    raise PrintFailed(_("The printer stopped taking pages."))
            image = coming.result()
            if number + 1 < len(indices):
                coming = ahead.submit(render, indices[number + 1])
            _paint_page(painter, printer, image, size)
    except BaseException:
        coming.cancel()
        ahead.shutdown(wait=True)
        printer.abort()
        painter.end()
        raise
    ahead.shutdown(wait=True)
    ended = painter.end()
    if not ended or printer.printerState() == QPrinter.PrinterState.Error:
        raise PrintFailed(
            _("The printer “{name}” did not take the job.").format(name=printer.printerName())
        )
    return len(indices)


def _paint_page(painter: QPainter, printer: QPrinter, image: QImage, size: PageSize) -> None:
    paper = printer.pageLayout().fullRectPixels(printer.resolution())
    target_w = size.width / 72 * printer.resolution()
    target_h = size.height / 72 * printer.resolution()
    scale = min(1.0, paper.width() / target_w, paper.height() / target_h)
    target_w, target_h = target_w * scale, target_h * scale
    target = QRectF(
        (paper.width() - target_w) / 2, (paper.height() - target_h) / 2, target_w, target_h
    )
    painter.drawImage(target, image)

"""Print a PDF to a named printer through Qt, without a window: the command line's
``--printer`` on Windows, where there is no ``lp`` (csoffice.printing.spool runs this in a
child process, so the command line itself imports no Qt).

    python -m csoffice.ui.print_job FILE.pdf --printer NAME [--copies N]
    python -m csoffice.ui.print_job --list | --default

The pages are the preview's own (csoffice.ui.pdf_pages), on paper of the PDF's size.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="csoffice-print-job")
    parser.add_argument("file", nargs="?")
    parser.add_argument("--printer")
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--default", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if sys.platform != "win32" else "windows")

    from PySide6.QtGui import QGuiApplication
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    from csoffice.ui.pdf_pages import PdfPages, PrintFailed, prepare_printer, print_pages

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    if args.list:
        print("\n".join(QPrinterInfo.availablePrinterNames()))
        return 0
    if args.default:
        print(QPrinterInfo.defaultPrinterName())
        return 0
    info = QPrinterInfo.printerInfo(args.printer or "")
    if info.isNull():
        print(f"no printer named {args.printer}", file=sys.stderr)
        return 1
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    pages = PdfPages(Path(args.file))
    try:
        prepare_printer(printer, pages)
        printer.setCopyCount(max(1, args.copies))
        print_pages(printer, pages)
    except PrintFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        pages.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

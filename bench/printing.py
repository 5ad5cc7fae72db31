"""Printing figures: the monthly report's first page on screen after 报表 ▸ 预览, and a complaint
slip from 打印处理单 to the printer queue (through the preview, Print… and Qt's print dialog).

Baselines, measured in the same run: reportlab writing the same PDF alone (what any print
path must pay), and ``lp`` handing the same slip PDF to CUPS. Targets from issue 16: ≤ 1 s
and ≤ 2 s. The queue figure needs a CUPS queue: CSOFFICE_TEST_PRINTER (default: the
system's default printer).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/printing.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CSOFFICE_HOME", tempfile.mkdtemp())

RUNS = 3


def wait_until(app, condition, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the bench waited too long")
        app.processEvents()
        time.sleep(0.002)


def jobs(queue: str) -> set[str]:
    out = subprocess.run(
        ["lpstat", "-W", "all", "-o", queue], capture_output=True, text=True
    ).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def main() -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QComboBox

    from csoffice import auth, reports
    from csoffice.app import create_application
    from csoffice.db.database import open_database
    from csoffice.demo import run_demo
    from csoffice.i18n import set_language
    from csoffice.reports.printed import print_monthly_report
    from csoffice.ui.main_window import AppContext, MainWindow

    set_language("zh_CN")
    app = create_application(["csoffice"], "zh_CN")
    target = open_database(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    manager = auth.default_manager()
    run_demo(manager, customers=300, months=3, seed=1)
    window = MainWindow(AppContext(staff=manager, target=target))
    window.show()

    # --- monthly report: click 预览 → first page on screen -----------------------------------
    tab = window.pages["reports"]
    window.tabs.setCurrentWidget(tab)
    tab.kind.setCurrentIndex(tab.kind.findData("monthly"))
    app.processEvents()
    code = tab.period_edit.text()
    period = reports.parse_period(code, "monthly")
    folder = Path(tempfile.mkdtemp())
    write_times, preview_times = [], []
    for run in range(RUNS):
        start = time.perf_counter()
        print_monthly_report(manager, period, folder / f"m{run}.pdf")
        write_times.append(time.perf_counter() - start)
        tab.pdf.preview_dialog = None
        start = time.perf_counter()
        QTest.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
        wait_until(
            app,
            lambda: (
                tab.pdf.preview_dialog is not None
                and tab.pdf.preview_dialog.isVisible()
                and tab.pdf.preview_dialog.page_label.pixmap() is not None
                and not tab.pdf.preview_dialog.page_label.pixmap().isNull()
            ),
        )
        app.processEvents()  # the page painted
        preview_times.append(time.perf_counter() - start)
        tab.pdf.preview_dialog.close()
        app.processEvents()
    write_s, preview_s = statistics.median(write_times), statistics.median(preview_times)
    print(
        f"monthly report {code}: click → first page on screen {preview_s * 1000:.0f} ms "
        f"(target 1000 ms, ratio {preview_s / 1.0:.2f}); baseline reportlab writing the PDF "
        f"alone {write_s * 1000:.0f} ms, ratio {preview_s / write_s:.2f}"
    )

    # --- complaint slip: click 打印处理单 → job in the printer queue ---------------------------
    queue = (
        os.environ.get("CSOFFICE_TEST_PRINTER")
        or subprocess.run(["lpstat", "-d"], capture_output=True, text=True)
        .stdout.rpartition(":")[2]
        .strip()
    )
    if not queue:
        print("slip → queue: skipped (no CUPS queue; set CSOFFICE_TEST_PRINTER)")
        return
    from csoffice.db.models import Complaint
    from csoffice.ui.dialogs.complaint_form import ComplaintForm

    complaint = Complaint.select().where(Complaint.status == "closed").first()
    form = ComplaintForm(AppContext(staff=manager, target=target), complaint_id=complaint.id)
    form.show()
    app.processEvents()
    slip_times, lp_times = [], []
    for _run in range(RUNS):
        before = jobs(queue)
        start = time.perf_counter()
        QTest.mouseClick(form.print_button, Qt.MouseButton.LeftButton)
        wait_until(
            app, lambda: getattr(form, "preview", None) is not None and form.preview.isVisible()
        )
        preview = form.preview
        QTest.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
        wait_until(app, lambda: isinstance(app.activeModalWidget(), QPrintDialog))
        dialog = app.activeModalWidget()
        printers = dialog.findChild(QComboBox, "printers")
        if printers is not None and printers.findText(queue) >= 0:
            printers.setCurrentIndex(printers.findText(queue))
        QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
        wait_until(
            app,
            lambda before=before, preview=preview: (
                bool(jobs(queue) - before) and preview.task is None
            ),
            60,
        )
        slip_times.append(time.perf_counter() - start)
        path = preview.pages.path
        preview.close()
        app.processEvents()
        start = time.perf_counter()
        subprocess.run(
            ["lp", "-d", queue, "-o", "media=A4", str(path)], check=True, capture_output=True
        )
        lp_times.append(time.perf_counter() - start)
    slip_s, lp_s = statistics.median(slip_times), statistics.median(lp_times)
    print(
        f"complaint slip: click → job in queue {queue} {slip_s * 1000:.0f} ms "
        f"(target 2000 ms, ratio {slip_s / 2.0:.2f}); baseline lp of the same PDF "
        f"{lp_s * 1000:.0f} ms, ratio {slip_s / lp_s:.2f}"
    )
    form.close()
    window.close()


if __name__ == "__main__":
    main()

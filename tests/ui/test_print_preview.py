"""The print preview as a clerk uses it: the daily sheet's pages, page by page and zoomed,
Print… through Qt's real print dialog to the real CUPS queue, Save as PDF…, and what is said
when there is no printer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QMessageBox

from csoffice import receptions
from csoffice.receptions import ReceptionInput
from tests.conftest import needs_poppler
from tests.printer_queue import page_count, page_size

pytestmark = needs_poppler


@pytest.fixture
def sheet_preview(window, qtbot, manager):
    """The reception tab's 打印日结表… clicked; the preview of a sheet of several pages."""
    for n in range(60):
        receptions.create(
            manager, ReceptionInput(caller_name=f"客户{n}", content="咨询保养套餐价格与预约时间")
        )
    window.tabs.setCurrentIndex(1)
    desk = window.pages["reception"]
    qtbot.waitUntil(desk.isVisible)
    qtbot.mouseClick(desk.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: getattr(desk, "sheet_preview", None) is not None and desk.sheet_preview.isVisible(),
        timeout=20_000,
    )
    preview = desk.sheet_preview
    qtbot.waitExposed(preview)
    return preview


def modal_of(kind):
    widget = QApplication.activeModalWidget()
    if isinstance(widget, kind):
        return widget
    return next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None
    )


def test_pages_page_by_page_and_zoom(sheet_preview, qtbot):
    preview = sheet_preview
    assert preview.pages.count >= 2
    assert preview.count_label.text() == f"共 {preview.pages.count} 页"
    assert preview.page_spin.value() == 1
    first = preview.page_label.pixmap().toImage()
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or preview, Qt.Key.Key_PageDown)
    assert preview.page_spin.value() == 2
    assert preview.page_label.pixmap().toImage() != first
    width = preview.page_label.pixmap().width()
    preview.zoom.setFocus()
    while preview.zoom.currentText() != "200%":
        qtbot.keyClick(preview.zoom, Qt.Key.Key_Down)
    assert preview.page_label.pixmap().width() > width
    preview.close()


def test_save_as_pdf(sheet_preview, qtbot, tmp_path):
    preview = sheet_preview
    saved: list[str] = []
    preview.saved.connect(saved.append)
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: modal_of(QFileDialog) is not None)
    dialog = modal_of(QFileDialog)
    target = tmp_path / "copy.pdf"
    dialog.selectFile(str(target))
    dialog.accept()
    qtbot.waitUntil(lambda: saved == [str(target)])
    assert target.read_bytes() == preview.pages.path.read_bytes()
    assert not dialog.isVisible()
    preview.close()


def test_no_printer_says_so_and_saving_still_works(sheet_preview, qtbot, monkeypatch):
    from csoffice.ui.dialogs import print_preview

    class NoPrinters:
        @staticmethod
        def availablePrinters():
            return []

    monkeypatch.setattr(print_preview, "QPrinterInfo", NoPrinters)
    preview = sheet_preview
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    assert "没有安装打印机" in preview.note.text()
    assert modal_of(QPrintDialog) is None
    assert preview.save_button.isEnabled()
    box = modal_of(QMessageBox)
    assert box is not None and "没有安装打印机" in box.text()
    box.close()
    preview.close()


def test_print_through_the_real_dialog_to_the_queue(sheet_preview, qtbot, printer_queue):
    preview = sheet_preview
    before = printer_queue.files()
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: modal_of(QPrintDialog) is not None)
    dialog = modal_of(QPrintDialog)
    qtbot.waitExposed(dialog)
    assert dialog.printer().printerName()  # the system's printers are listed
    # The clerk picks the test queue and presses Enter, as at the desk.
    printers = dialog.findChild(QComboBox, "printers")
    index = printers.findText(printer_queue.name)
    assert index >= 0, f"{printer_queue.name} not offered by the print dialog"
    printers.setCurrentIndex(index)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: preview.task is None, timeout=60_000)
    assert "已发送到" in preview.note.text(), preview.note.text()
    printed = printer_queue.wait_for(before, preview.pages.path.stem)
    assert page_count(printed) == preview.pages.count
    assert "(A4)" in page_size(printed)
    preview.close()


def test_every_document_opens_in_the_preview_test_page_from_the_help_menu(window, qtbot):
    window.test_page_action.trigger()
    preview = window.test_page_preview
    qtbot.waitUntil(preview.isVisible)
    assert preview.pages.count == 1
    assert preview.count_label.text() == "共 1 页"
    assert "A4" in preview.note.text()
    preview.close()

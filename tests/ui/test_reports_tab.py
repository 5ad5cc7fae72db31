"""The Reports tab driven as the manager and a clerk use it: period, notes, PDF, Excel, dashboard."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from csoffice import receptions, reports
from csoffice.complaints import ComplaintInput
from csoffice.db.models import ReportNote
from csoffice.receptions import ReceptionInput
from tests.conftest import needs_poppler, pdf_text
from tests.domain.test_reports import fill
from tests.ui.typing import type_text


def reports_tab(window):
    window.tabs.setCurrentIndex(6)
    tab = window.pages["reports"]
    assert window.tabs.currentWidget() is tab
    return tab


def choose_kind(qtbot, tab, code: str) -> None:
    tab.kind.setFocus()
    while tab.kind.currentData() != code:
        qtbot.keyClick(tab.kind, Qt.Key.Key_Down)


def type_period(qtbot, tab, text: str) -> None:
    tab.period_edit.selectAll()
    qtbot.keyClick(tab.period_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(tab.period_edit, text)
    qtbot.keyClick(tab.period_edit, Qt.Key.Key_Return)


def test_the_dashboard_shows_this_month_against_last_month(window, qtbot, manager, clerk):
    from csoffice import complaints

    for content in ("咨询保养套餐价格", "咨询延保"):
        receptions.create(clerk, ReceptionInput(caller_name="张三", content=content))
    complaints.create(
        clerk, ComplaintInput(contact_name="李四", category="billing", facts="多收费")
    )
    tab = reports_tab(window)
    table = tab.dashboard.table
    qtbot.waitUntil(lambda: table.item(0, 0) is not None and table.item(0, 0).text() == "2")
    assert table.verticalHeaderItem(0).text() == "来访来电"
    assert table.item(1, 0).text() == "1"  # complaints received this month so far
    assert table.horizontalHeaderItem(1).text() == "上月同期"
    assert tab.dashboard.reception_chart.renderer().isValid()
    assert tab.dashboard.complaint_chart.renderer().isValid()
    # The same figure as the one source of figures gives.
    assert tab.dashboard.figures == reports.dashboard(tab.dashboard.figures.today)
    # A new reception elsewhere refreshes the dashboard.
    from csoffice import changes
    from csoffice.changes import Change

    receptions.create(clerk, ReceptionInput(caller_name="王五", content="咨询"))
    changes.emit(Change.RECEPTION)  # as the reception write path says it
    qtbot.waitUntil(lambda: table.item(0, 0).text() == "3")


def test_choosing_the_period(window, qtbot, manager):
    tab = reports_tab(window)
    choose_kind(qtbot, tab, "monthly")
    type_period(qtbot, tab, "2025-W48")
    assert tab.period_error.isVisible()
    assert tab.period_error.text() == "月报按月份编制，格式如 2026-11。"
    type_period(qtbot, tab, "2025-11")
    assert not tab.period_error.isVisible()
    assert tab.period_label.text() == "2025年11月"
    qtbot.mouseClick(tab.previous_button, Qt.MouseButton.LeftButton)
    assert tab.period_edit.text() == "2025-10"
    qtbot.mouseClick(tab.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.next_button, Qt.MouseButton.LeftButton)
    assert tab.period_edit.text() == "2025-12"
    choose_kind(qtbot, tab, "weekly")
    assert tab.notes_box.isVisible()
    type_period(qtbot, tab, "2026-W53")
    assert tab.period_label.text().startswith("2026 年第 53 周")
    qtbot.mouseClick(tab.next_button, Qt.MouseButton.LeftButton)
    assert tab.period_edit.text() == "2027-W01"  # the week after a week that ends in 2027
    choose_kind(qtbot, tab, "daily")
    assert not tab.notes_box.isVisible()
    type_period(qtbot, tab, "2026-02-29")
    assert tab.period_error.text() == "“2026-02-29”不是有效日期。"


@needs_poppler
def test_the_manager_writes_notes_and_previews_the_report(window, qtbot, manager):
    fill(manager)
    tab = reports_tab(window)
    choose_kind(qtbot, tab, "monthly")
    type_period(qtbot, tab, "2025-11")
    type_text(qtbot, tab.problems, "回访接通率偏低")
    type_text(qtbot, tab.improvements, "增加晚间回访")
    qtbot.mouseClick(tab.save_notes_button, Qt.MouseButton.LeftButton)
    note = ReportNote.get(ReportNote.kind == "monthly", ReportNote.period == "2025-11")
    assert (note.problems, note.improvements) == ("回访接通率偏低", "增加晚间回访")
    assert tab.notes_status.text().startswith("管理员 保存于")
    # Typed but not saved: making the PDF saves it first, so the paper carries it.
    type_text(qtbot, tab.improvements, "时段")
    ready: list[str] = []
    tab.pdf_ready.connect(ready.append)
    qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
    # The PDF is written on a worker thread; its end arrives through the event loop.
    with qtbot.waitSignal(tab.task.finished, timeout=20_000):
        pass
    path = Path(ready[0])
    # The report opens in the app's own print preview, first page shown.
    qtbot.waitUntil(
        lambda: tab.pdf.preview_dialog is not None and tab.pdf.preview_dialog.isVisible()
    )
    preview = tab.pdf.preview_dialog
    assert preview.pages.path == path
    assert preview.page_label.pixmap() is not None and not preview.page_label.pixmap().isNull()
    assert preview.count_label.text() == f"共 {preview.pages.count} 页"
    preview.close()
    assert ReportNote.get_by_id(note.id).improvements == "增加晚间回访时段"
    text = "".join(pdf_text(path).split())
    assert "客服中心服务月报" in text and "增加晚间回访时段" in text
    assert "TS-202511-0001" in text


def test_export_to_excel(window, qtbot, manager, tmp_path):
    from openpyxl import load_workbook

    fill(manager)
    tab = reports_tab(window)
    choose_kind(qtbot, tab, "monthly")
    type_period(qtbot, tab, "2025-11")
    dialog = tab.export_excel()
    assert dialog.isVisible()
    out = tmp_path / "2025-11.xlsx"
    exported: list[str] = []
    tab.exported.connect(exported.append)
    dialog.fileSelected.emit(str(out))
    with qtbot.waitSignal(tab.task.finished, timeout=20_000):
        pass
    dialog.close()
    assert exported == [str(out)]
    book = load_workbook(out)
    assert "投诉明细" in book.sheetnames
    numbers = [row[0] for row in book["投诉明细"].iter_rows(min_row=2, values_only=True)]
    assert numbers == [line.number for line in reports.complaint_figures(tab.period).items]


def test_a_clerk_reads_the_notes_but_cannot_change_or_export(app, qtbot, clerk, database):
    from csoffice.ui.main_window import AppContext
    from csoffice.ui.tabs.reports_tab import ReportsTab

    tab = ReportsTab(AppContext(staff=clerk, target=database))
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    assert tab.problems.isReadOnly() and tab.improvements.isReadOnly()
    assert not tab.save_notes_button.isEnabled()
    assert not tab.excel_button.isEnabled()
    assert tab.preview_button.isEnabled()  # clerks print
    assert tab.notes_hint.text() == "由经理填写，按原文打印。"


def test_save_the_weekly_report_as(window, qtbot, manager, tmp_path):
    fill(manager)
    tab = reports_tab(window)
    choose_kind(qtbot, tab, "weekly")
    type_period(qtbot, tab, "2025-W48")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(tab.task.finished, timeout=20_000):
        pass
    dialog = tab.pdf.dialog
    assert dialog is not None and dialog.isVisible()
    target = tmp_path / "week48.pdf"
    with qtbot.waitSignal(tab.pdf.saved):
        dialog.fileSelected.emit(str(target))
    dialog.close()
    assert target.read_bytes() == tab.pdf_path.read_bytes()
    assert tab.pdf_path.name == "weekly-2025-W48.pdf"
    assert tab.notes_status.text() == f"已保存到 {target}"

"""Import ▸ Customers and Import ▸ Service records as a clerk uses them: pick the office's sheet,
see the header row, mapping, hidden columns and the counts before anything is written, change
the header row by typing, import with the keyboard."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from csoffice import customers
from csoffice.customers import CustomerInput
from csoffice.db.models import Customer, ReturnVisit, ServiceEvent
from tests.office_sheets import office_customer_sheet
from tests.ui.desk_flows import back_in


def _focus(qtbot, widget) -> None:
    # The clerk is working in the import dialog: it is the active window, whatever an
    # earlier test left open, so the field the clerk clicks into takes the keys.
    back_in(widget.window())
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def _open(window, qtbot, monkeypatch, path, action):
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    action.trigger()
    dialog = window.import_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=20_000)
    return dialog


def test_customer_sheet_preview_counts_then_imports(window, qtbot, monkeypatch, tmp_path):
    path = office_customer_sheet(tmp_path / "业主名单.xlsx")
    dialog = _open(window, qtbot, monkeypatch, path, window.import_customers_action)
    assert dialog.header_spin.value() == 4
    assert "隐藏" in dialog.preview.horizontalHeaderItem(1).text()
    assert "B" in dialog.hidden_note.text()
    assert dialog.preview.verticalHeaderItem(5).text().startswith("9")  # hidden row 9 marked
    assert dialog.mapping_boxes[3].currentData() == "mobile"
    assert dialog.mapping_boxes[1].currentData() == ""
    text = dialog.counts.text()
    assert "5" in text and "2" in text and "1" in text
    assert "第 7 行" in dialog.report.toPlainText()
    assert Customer.select().count() == 0  # nothing written by the preview

    # A clerk moves the header row down by typing: no name column any more, nothing to import.
    _focus(qtbot, dialog.header_spin)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(QApplication.focusWidget(), "5")
    qtbot.waitUntil(lambda: not dialog.import_button.isEnabled())
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(QApplication.focusWidget(), "4")
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled())

    # The address column is left out: the clerk picks “not imported” in its box.
    box = dialog.mapping_boxes[7]
    _focus(qtbot, box)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Home)
    assert box.currentData() == ""

    _focus(qtbot, dialog.skip_invalid)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert dialog.skip_invalid.isChecked()
    _focus(qtbot, dialog.import_button)
    with qtbot.waitSignal(dialog.finished_import, timeout=20_000):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert Customer.select().count() == 5
    assert Customer.get(Customer.name == "张三").address == ""
    assert "已导入：5" in dialog.report.toPlainText()


def test_service_records_from_the_import_menu(window, qtbot, monkeypatch, tmp_path, manager):
    customers.create(manager, CustomerInput(name="张三", mobile="13812345678"))
    path = tmp_path / "交车.csv"
    day = (dt.date.today() - dt.timedelta(days=8)).isoformat()
    path.write_bytes(
        f"交车登记表\n\n客户姓名,联系电话,业务类型,交车日期,车型,销售顾问,备注\n"
        f"张三,13812345678,交车,{day},卡罗拉,刘销售,送脚垫\n"
        f"李雷,13912345678,交车,{day},雷凌,,\n合计,2台\n".encode("gb18030")
    )
    dialog = _open(window, qtbot, monkeypatch, path, window.import_events_action)
    assert dialog.header_spin.value() == 3
    assert dialog.create_customers.isVisible()
    assert "第 5 行" in dialog.report.toPlainText()  # 李雷 is not in the archive
    _focus(qtbot, dialog.create_customers)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.report.toPlainText() == "")
    _focus(qtbot, dialog.import_button)
    with qtbot.waitSignal(dialog.finished_import, timeout=20_000):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert ServiceEvent.select().count() == 2
    assert Customer.select().where(Customer.name == "李雷").count() == 1
    assert ReturnVisit.select().where(ReturnVisit.kind == "7dc").count() == 2

    # The customer's file lists the event with the salesperson in a column of its own.
    from csoffice.ui.dialogs.customer_dialog import CustomerDialog

    zhang = Customer.get(Customer.name == "张三")
    file = CustomerDialog(window.context, zhang.id, window)
    qtbot.addWidget(file)
    header = file.services.headerItem()
    titles = [header.text(i) for i in range(header.columnCount())]
    (item,) = [file.services.topLevelItem(i) for i in range(file.services.topLevelItemCount())]
    shown = dict(zip(titles, (item.text(i) for i in range(len(titles))), strict=True))
    assert shown["销售顾问或技师"] == "刘销售" and shown["说明"] == "送脚垫"


def test_office_area_code_in_the_settings(window, qtbot):
    from PySide6.QtWidgets import QDialogButtonBox

    from csoffice import settings
    from tests.ui.typing import type_text

    window.settings_action.trigger()
    dialog = window.settings_dialog
    qtbot.waitExposed(dialog)
    if not dialog.office_name.text():
        type_text(qtbot, dialog.office_name, "幸福花园客服中心")
    _focus(qtbot, dialog.area_code)
    QTest.keyClicks(QApplication.focusWidget(), "755")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.isVisible()
    assert "区号" in dialog.errors.message("office.area_code")
    assert dialog.area_code.text() == "755"  # what was typed is kept
    _focus(qtbot, dialog.area_code)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Home)
    QTest.keyClicks(QApplication.focusWidget(), "0")
    with qtbot.waitSignal(dialog.saved):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert settings.area_code() == "0755"
    customer = customers.create(
        window.context.staff, CustomerInput(name="王五", mobile="6123 4567")
    )
    assert customer.mobile == "075561234567"

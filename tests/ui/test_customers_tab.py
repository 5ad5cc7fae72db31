"""The archive tab as a clerk uses it: type to search, open, create, correct, duplicates."""

from __future__ import annotations

from PySide6.QtCore import Qt

from csoffice import customers
from csoffice.customers import CustomerInput
from csoffice.db.models import Customer
from csoffice.ui.dialogs.customer_dialog import CustomerDialog
from csoffice.ui.main_window import AppContext
from csoffice.ui.tabs.customers_tab import CustomersTab
from tests.ui.typing import type_text


def make_tab(qtbot, staff, database):
    tab = CustomersTab(AppContext(staff=staff, target=database))
    qtbot.addWidget(tab)
    tab.show()
    return tab


def shown_names(tab) -> list[str]:
    return [tab.model.index(row, 0).data() for row in range(tab.model.rowCount())]


def test_typing_searches_and_enter_opens_the_file(app, qtbot, clerk, database):
    for name, mobile in [
        ("张三", "13812345678"),
        ("张三丰", "13912340000"),
        ("曾国藩", "13700005678"),
    ]:
        customers.create(clerk, CustomerInput(name=name, mobile=mobile))
    tab = make_tab(qtbot, clerk, database)
    assert tab.model.total() == 3
    tab.search.setFocus()
    qtbot.keyClicks(tab.search, "zgf")
    qtbot.waitUntil(lambda: shown_names(tab) == ["曾国藩"])
    assert "137****5678" in [tab.model.index(0, 1).data()]
    tab.search.clear()
    qtbot.keyClicks(tab.search, "5678")
    qtbot.waitUntil(lambda: set(shown_names(tab)) == {"张三", "曾国藩"})
    tab.search.clear()
    type_text(qtbot, tab.search, "张")
    qtbot.waitUntil(lambda: set(shown_names(tab)) == {"张三", "张三丰"})
    assert tab.count_label.text() == "共 2 位客户"
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(tab, "dialog", None) is not None and tab.dialog.isVisible())
    assert tab.dialog.form.name.text() in ("张三", "张三丰")
    tab.dialog.close()


def test_lazy_model_reveals_rows_in_pages(app, qtbot, manager, database):
    customers.bulk_create(manager, [(n, CustomerInput(name=f"客户{n:04d}")) for n in range(350)])
    tab = make_tab(qtbot, manager, database)
    assert tab.model.total() == 350
    assert tab.model.rowCount() == 100
    tab.model.fetchMore()
    assert tab.model.rowCount() == 200


def test_create_a_customer_correcting_an_invalid_field(app, qtbot, clerk, database):
    dialog = CustomerDialog(AppContext(staff=clerk, target=database))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    type_text(qtbot, dialog.form.name, "刘䶮")
    qtbot.keyClicks(dialog.form.mobile, "1381234567")  # one digit short
    qtbot.keyClicks(dialog.form.id_number, "11010519491231002X")
    type_text(qtbot, dialog.form.address, "北京市海淀区")
    qtbot.keyClick(dialog.form.address, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert Customer.select().count() == 0
    assert "不是有效的电话号码" in dialog.form.errors.message("mobile")
    assert (
        dialog.form.name.text() == "刘䶮" and dialog.form.address.text() == "北京市海淀区"
    )  # kept
    assert dialog.form.mobile.hasFocus()
    qtbot.keyClicks(dialog.form.mobile, "8")
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    stored = Customer.get()
    assert (stored.name, stored.mobile, stored.gender) == ("刘䶮", "13812345678", "F")
    assert stored.birthday.isoformat() == "1949-12-31"
    assert (
        dialog.form.errors.message("mobile") == ""
        or not dialog.form.errors.labels["mobile"].isVisible()
    )
    assert dialog.tabs.isTabEnabled(1)


def test_duplicate_phone_offers_the_existing_file(app, qtbot, clerk, database):
    existing = customers.create(clerk, CustomerInput(name="张三", mobile="13812345678"))
    dialog = CustomerDialog(AppContext(staff=clerk, target=database))
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.form.name, "张叁")
    qtbot.keyClicks(dialog.form.mobile, "138-1234-5678")
    dialog.save_button.click()
    assert "张三" in dialog.form.errors.message("mobile")
    assert dialog.open_duplicate_button.isVisible()
    dialog.open_duplicate_button.click()
    assert dialog.customer_id == existing.id and dialog.form.name.text() == "张三"
    assert Customer.select().count() == 1


def test_customer_picker_suggests_and_picks(app, qtbot, clerk, database):
    from csoffice.ui.widgets.customer_picker import CustomerPicker

    target = customers.create(clerk, CustomerInput(name="单田芳", mobile="13600001111"))
    picker = CustomerPicker()
    qtbot.addWidget(picker)
    picker.show()
    qtbot.keyClicks(picker.line_edit, "stf")
    qtbot.waitUntil(lambda: picker.model.rowCount() == 1)
    assert "136****1111" in picker.model.item(0).text()
    with qtbot.waitSignal(picker.picked) as picked:
        picker.completer.activated[type(picker.model.index(0, 0))].emit(picker.model.index(0, 0))
    assert picked.args == [target.id] and picker.customer_id() == target.id
    assert picker.line_edit.text() == "单田芳"

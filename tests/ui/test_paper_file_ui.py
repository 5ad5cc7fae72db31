"""The paper file in a customer's file, as a clerk uses it: the office's checklist, where the file
stands against its deadline, ticking a paper with the keyboard; the responsible staff member."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from csoffice import auth, customers, paper_file, service_events, settings
from csoffice.customers import CustomerInput
from csoffice.db.models import Customer
from csoffice.service_events import ServiceEventInput
from csoffice.ui.dialogs.customer_dialog import CustomerDialog
from csoffice.ui.main_window import AppContext


def _open(qtbot, staff, database, customer_id=None) -> CustomerDialog:
    dialog = CustomerDialog(AppContext(staff=staff, target=database), customer_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_checklist_follows_the_office_and_ticks_by_keyboard(app, qtbot, manager, clerk, database):
    settings.put(manager, {"papers.checklist": paper_file.preset("dealer")})
    cid = customers.create(clerk, CustomerInput(name="张伟", mobile="13812345678")).id
    today = dt.date.today()
    data = ServiceEventInput(kind="delivery", date=today, product="轿车 A6L")
    service_events.add(clerk, cid, data, today=today)
    dialog = _open(qtbot, clerk, database, cid)
    dialog.tabs.setCurrentIndex(2)
    assert len(dialog.checks) == 14
    assert dialog.checks["purchase_contract"].text() == "购车合同 *"
    assert dialog.checks["residence_permit"].text() == "暂住证"
    assert "缺：购车合同" in dialog.paper_state.text()
    box = dialog.checks["purchase_contract"]
    box.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert paper_file.file_state(cid).received.keys() == {"purchase_contract"}
    assert "购车合同、" not in dialog.paper_state.text()
    assert dialog.doc_type.itemText(0) == "购车合同"


def test_responsible_staff_is_chosen_on_the_form(app, qtbot, manager, clerk, database):
    seller = auth.create_staff(manager, "sales1", "李销售", auth.Role.VIEWER, password="secret123")
    dialog = _open(qtbot, clerk, database)
    dialog.form.name.setFocus()
    qtbot.keyClicks(QApplication.focusWidget(), "Zhang Wei")
    qtbot.keyClicks(dialog.form.mobile, "13812345678")
    combo = dialog.form.responsible
    combo.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is combo)
    for _step in range(combo.findData(seller.id)):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    assert Customer.get().responsible_id == seller.id
    dialog.reload()
    assert dialog.form.responsible.currentData() == seller.id

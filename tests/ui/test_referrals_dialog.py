"""The referrals dialog as a clerk uses it: a lead typed in (a wrong phone refused next to its
field, what was typed kept), followed up, printed for sales."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from csoffice import customers
from csoffice.db.models import Referral
from csoffice.ui.main_window import AppContext
from tests.conftest import pdf_text
from tests.ui.typing import type_text


def test_add_follow_and_print_a_lead(app, qtbot, clerk, database):
    from csoffice.ui.dialogs.referrals_dialog import ReferralsDialog

    cid = customers.create(clerk, customers.CustomerInput(name="单田芳", mobile="13600001111")).id
    dialog = ReferralsDialog(AppContext(staff=clerk, target=database))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.referrer.set_customer(cid)
    dialog.prospect_name.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.prospect_name)
    type_text(qtbot, QApplication.focusWidget(), "李娜")
    qtbot.keyClicks(dialog.prospect_phone, "139")
    type_text(qtbot, dialog.interest, "新能源车")
    assert not dialog.add()
    assert dialog.errors.message("prospect_phone")
    assert dialog.prospect_name.text() == "李娜" and Referral.select().count() == 0
    qtbot.keyClicks(dialog.prospect_phone, "12345678")
    assert dialog.add()
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 2).text() == "李娜"
    dialog.table.selectRow(0)
    dialog.new_status.setCurrentIndex(dialog.new_status.findData("passed"))
    type_text(qtbot, dialog.follow_note, "交给销售部陈洁")
    assert dialog.follow_up()
    assert dialog.table.item(0, 5).text() == "已转销售"
    path = dialog.print_list()
    assert dialog.pdf.preview_dialog is not None and "交给销售部陈洁" in pdf_text(path)
    dialog.pdf.preview_dialog.close()

"""The greetings dialog as a clerk uses it: the birthday worklist of every customer, a template
naming an unknown field refused next to the field, the SMS list written and logged, a second
run greeting nobody twice."""

from __future__ import annotations

import csv
import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from csoffice import customers
from csoffice.db.models import Greeting
from csoffice.ui.main_window import AppContext
from tests.ui.typing import type_text


def test_birthday_sms_list_from_the_dialog(app, qtbot, clerk, database, tmp_path):
    from csoffice.ui.dialogs.care_dialog import CareDialog

    today = dt.date.today()
    soon = today + dt.timedelta(days=3)
    for name, mobile in (("张伟", "13812345678"), ("李娜", "")):
        born = soon.replace(year=1980) if not (soon.month == 2 and soon.day == 29) else soon
        customers.create(clerk, customers.CustomerInput(name=name, mobile=mobile, birthday=born))
    dialog = CareDialog(AppContext(staff=clerk, target=database))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.table.rowCount() == 2 and dialog.summary.text() == "待问候 2 位，已问候 0 位"
    dialog.template.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.template)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, QApplication.focusWidget(), "{name}，{nickname}生日快乐！")
    assert dialog.ask_file("sms") is None
    assert "{nickname}" in dialog.errors.message("template")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, QApplication.focusWidget(), "{name}，祝您生日快乐！")
    chooser = dialog.ask_file("sms")
    out = tmp_path / "sms.csv"
    chooser.selectFile(str(out))
    chooser.accept()
    qtbot.waitUntil(lambda: dialog.result is not None)
    assert (dialog.result.sent, dialog.result.no_mobile) == (1, 1)
    assert "1 位没有有效手机号" in dialog.message.text()
    with out.open(encoding="gb18030", newline="") as handle:
        assert list(csv.reader(handle))[1] == ["13812345678", "张伟，祝您生日快乐！"]
    assert dialog.summary.text() == "待问候 1 位，已问候 1 位"
    batch = dialog.send_to("sms", tmp_path / "again.csv")
    assert batch.sent == 0 and batch.already == 1
    assert Greeting.select().count() == 1

"""The desk's seams: dialogs open with the cursor in a field, unsaved work is asked about,
lists keep their place, a refresh never writes, Qt's own dialogs speak Chinese and open in
the last folder, viewers see every field read-only with the birthday hidden with the ID."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from csoffice import auth, complaints, customers, members
from csoffice.complaints import ComplaintInput
from csoffice.db.models import Complaint, ComplaintStep
from tests.domain.test_complaints import form as complaint_input
from tests.ui import desk_flows as flows
from tests.ui.typing import type_text


def focused():
    return QApplication.focusWidget()


def make_complaint(manager, hours_ago: int = 0) -> Complaint:
    received = (dt.datetime.now() - dt.timedelta(hours=hours_ago)).replace(microsecond=0)
    return complaints.create(manager, complaint_input(received_at=received))


def test_qt_file_dialog_speaks_chinese_and_opens_in_the_last_folder(app, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from csoffice.ui.file_dialogs import file_dialog, last_folder, remember

    assert QCoreApplication.translate("QFileDialog", "File &name:") == "文件名称(&N)："  # Qt's
    (tmp_path / "scans").mkdir()
    remember(tmp_path / "scans" / "id-card.pdf")
    assert last_folder() == tmp_path / "scans"
    dialog = file_dialog(None, "导入客户", "customers.xlsx")
    assert dialog.directory().absolutePath() == str(tmp_path / "scans")
    # The two labels Qt's shipped catalogue misses, from ours.
    assert dialog.labelText(QFileDialog.DialogLabel.LookIn) == "查找范围(&L)："
    assert dialog.labelText(QFileDialog.DialogLabel.FileType) == "文件类型(&T)："
    assert dialog.labelText(QFileDialog.DialogLabel.Reject) == "取消"
    dialog.deleteLater()


def test_member_dialog_opens_in_its_first_field_and_enter_waits_for_a_valid_form(
    window, qtbot, manager
):
    zeng = customers.create(manager, customers.CustomerInput(name="曾秀芳", mobile="13912342943"))
    card = members.enrol(manager, zeng.id)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    keyboard = flows.Keyboard()
    page = flows.look_up_card(keyboard, window, card.card_no)
    keyboard.press(Qt.Key.Key_E, flows.ALT)
    qtbot.waitUntil(lambda: page.dialog is not None)
    dialog = page.dialog
    flows.arrive(dialog)
    assert focused() is dialog.amount  # not the OK button
    keyboard.press(Qt.Key.Key_Return)  # nothing typed: refused, the dialog stays
    assert dialog.isVisible() and dialog.errors.message("amount_spent")
    keyboard.type("200")
    keyboard.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert members.card_view(card.id).balance == members.points_for(members.Decimal("200"))


def test_esc_on_a_customer_file_asks_before_a_typed_note_is_lost(window, qtbot, manager):
    from csoffice.ui.dialogs.customer_dialog import CustomerDialog

    zeng = customers.create(manager, customers.CustomerInput(name="曾秀芳", mobile="13912342943"))
    dialog = CustomerDialog(window.context, zeng.id, window)
    dialog.open()
    flows.arrive(dialog)
    assert focused() is dialog.form.name
    dialog.form.notes.setFocus()
    type_text(qtbot, focused(), "喜欢周末来店")
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    box = dialog.guard.question
    flows.arrive(box)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # keep editing
    qtbot.waitUntil(lambda: focused() is dialog.form.notes)
    assert dialog.isVisible() and dialog.form.notes.toPlainText() == "喜欢周末来店"
    qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert customers.get(zeng.id).notes == "喜欢周末来店"
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # saved: closes without a question
    qtbot.waitUntil(lambda: not dialog.isVisible())
    rules = [label.text() for label in dialog.findChildren(type(dialog.message), "saveRule")]
    assert any("保存" in text for text in rules) and any("即时保存" in text for text in rules)


def test_closing_the_window_and_signing_out_ask_about_unsaved_work(window, qtbot):
    entry = window.pages["reception"].entry
    window.focus_reception()
    type_text(qtbot, entry.content, "客户说明天再来")
    window.close()
    assert window.isVisible()  # asked first
    box = entry.guard.question
    qtbot.waitUntil(box.isVisible)
    with qtbot.assertNotEmitted(window.restart_requested):
        box.escapeButton().click()  # keep editing
    assert window.isVisible() and entry.content.toPlainText() == "客户说明天再来"
    with qtbot.waitSignal(window.restart_requested):
        window.sign_out_action.trigger()
        box = entry.guard.question
        qtbot.waitUntil(box.isVisible)
        box.defaultButton().click()  # discard: signs out


def test_lists_keep_the_selected_record_and_the_scroll_after_a_refresh(window, qtbot, manager):
    for n in range(150):
        customers.create(
            manager, customers.CustomerInput(name=f"客户{n:03d}", mobile=f"139{n:08d}")
        )
    tab = window.pages["customers"]
    window.tabs.setCurrentWidget(tab)
    tab.refresh()
    table = tab.table
    while tab.model.canFetchMore():
        tab.model.fetchMore()
    table.selectRow(120)
    table.scrollTo(table.currentIndex())
    chosen = tab.model.row_id(120)
    scroll = table.verticalScrollBar().value()
    assert scroll > 0
    tab.refresh()  # after an edit somewhere: the same record, the same place
    assert tab.model.row_id(table.currentIndex().row()) == chosen
    assert table.verticalScrollBar().value() == scroll


def test_a_refresh_never_writes_and_escalation_runs_on_the_window_timer(window, qtbot, manager):
    late = make_complaint(manager, hours_ago=200)
    Complaint.update(escalated_at=None).where(Complaint.id == late.id).execute()
    tab = window.pages["complaints"]
    steps = ComplaintStep.select().count()
    tab.refresh()
    assert ComplaintStep.select().count() == steps  # the list only reads
    assert Complaint.get_by_id(late.id).escalated_at is None
    window.escalation_timer.timeout.emit()
    assert Complaint.get_by_id(late.id).escalated_at is not None


def test_a_viewer_sees_every_field_read_only_and_no_birthday_behind_a_masked_id(
    app, qtbot, database, manager, viewer
):
    from csoffice.ui.dialogs.customer_dialog import CustomerDialog
    from csoffice.ui.main_window import AppContext

    person = customers.create(
        manager,
        customers.CustomerInput(
            name="王五", mobile="13912345678", id_type="resident_id", id_number="110101199003071233"
        ),
    )
    shown = auth.personal_view(viewer, customers.to_input(customers.get(person.id)))
    assert shown.id_number == "110101********1233" and shown.birthday is None
    assert auth.personal_view(manager, customers.to_input(customers.get(person.id))).birthday
    dialog = CustomerDialog(AppContext(staff=viewer, target=database), person.id)
    qtbot.addWidget(dialog)
    assert dialog.form.birthday.text() == ""
    edits = [
        e for e in dialog.form.findChildren(QLineEdit) if not isinstance(e.parent(), QComboBox)
    ]
    assert edits and all(edit.isReadOnly() for edit in edits)
    assert not dialog.form.kind.isEnabled() and not dialog.save_button.isEnabled()


def test_double_click_on_the_history_opens_the_record(window, qtbot, manager):
    from csoffice.ui.dialogs.complaint_form import ComplaintForm
    from csoffice.ui.dialogs.customer_dialog import CustomerDialog

    zeng = customers.create(manager, customers.CustomerInput(name="曾秀芳", mobile="13912342943"))
    complaint = make_complaint(manager)
    complaints.update(
        manager,
        complaint.id,
        ComplaintInput(
            **{**complaints.view(complaint.id).as_input().__dict__, "customer_id": zeng.id}
        ),
        complaints.get(complaint.id).version,
    )
    dialog = CustomerDialog(window.context, zeng.id, window)
    dialog.open()
    flows.arrive(dialog)
    dialog.tabs.setCurrentWidget(dialog.history)
    item = next(
        dialog.history.topLevelItem(i)
        for i in range(dialog.history.topLevelItemCount())
        if dialog.history.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)[0] == "complaint"
    )
    assert item.toolTip(2) == item.text(2)  # long texts are elided, the whole in the tooltip
    rect = dialog.history.visualItemRect(item)
    viewport = dialog.history.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())  # as a hand does:
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())  # press, again
    opened = dialog.record_dialog
    assert isinstance(opened, ComplaintForm) and opened.view.id == complaint.id
    opened.done(0)
    dialog.done(0)


def test_a_dialog_naming_an_attribute_move_is_still_kept_on_the_screen(app, qtbot):
    from PySide6.QtWidgets import QDialog

    from csoffice.ui.screens import clamp_to_screen

    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.move = "lost"  # as the card's move dialogs name their move
    dialog.resize(5000, 5000)
    clamp_to_screen(dialog)
    area = dialog.screen().availableGeometry()
    assert dialog.width() <= area.width() and dialog.height() <= area.height()

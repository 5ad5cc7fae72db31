"""Signing in as the desk does it: the first-run set-up, the log-in, the waiting time, the idle
lock; the staff and audit dialogs; masked numbers for viewers; restore; the plain error
dialog."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QMessageBox
from shiboken6 import isValid

from csoffice import auth, backup, customers, settings
from csoffice.customers import CustomerInput
from csoffice.db.models import AuditLog, Staff
from csoffice.ui.main_window import AppContext, MainWindow
from csoffice.ui.session import Session
from tests.ui.typing import type_text


@pytest.fixture
def session(app, qtbot, database):
    made = Session(database, auto_backup=False)
    shown = []  # closed here: qtbot would close a window that a restart deleted already
    made.window_shown.connect(shown.append)
    yield made
    if made.idle is not None:
        made.idle.stop()
    for window in shown:
        if isValid(window):  # a restart deletes its window itself
            window.close()


def current_dialog(qtbot, session):
    dialog = session.dialog
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def sign_in(qtbot, dialog, username: str, password: str) -> None:
    if not dialog.username.isReadOnly():
        dialog.username.clear()
        qtbot.keyClicks(dialog.username, username)
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def test_first_start_sets_up_the_office_and_the_manager(session, qtbot, manager):
    session.start()
    dialog = current_dialog(qtbot, session)
    assert dialog.objectName() == "firstRunDialog"
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()  # empty: every field says what it needs, nothing is stored
    assert dialog.errors.message("office_name") == "请输入单位名称。"
    assert auth.needs_first_run()
    # The manager the command line made (no password) is the one being set up, not a second.
    assert dialog.username.text() == manager.username
    assert manager.username in dialog.findChildren(QLabel)[0].text()
    type_text(qtbot, dialog.office_name, "幸福汽车 4S 店客服部")
    dialog.display_name.clear()
    dialog.username.clear()
    type_text(qtbot, dialog.display_name, "李经理")
    qtbot.keyClicks(dialog.username, "lijingli")
    qtbot.keyClicks(dialog.password, "topsecret")
    qtbot.keyClicks(dialog.repeat, "topsecrex")
    ok.click()
    assert dialog.errors.message("repeat") == "两次输入的密码不一致。"
    assert dialog.focusWidget() is dialog.repeat
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, "topsecret")
    with qtbot.waitSignal(session.window_shown):
        ok.click()
    window = session.window
    assert window.isVisible() and not dialog.isVisible()
    assert window.windowTitle().startswith("幸福汽车 4S 店客服部")
    assert "李经理" in window.staff_label.text()
    assert settings.office().name == "幸福汽车 4S 店客服部"
    assert auth.authenticate("lijingli", "topsecret").id == manager.id
    assert Staff.select().where(Staff.role == "manager").count() == 1


def test_log_in_with_a_wrong_then_the_right_password(session, qtbot, clerk):
    auth.first_run("客服部", "李经理", "li", "topsecret", "topsecret")
    session.start()
    dialog = current_dialog(qtbot, session)
    assert dialog.objectName() == "loginDialog" and dialog.focusWidget() is dialog.username
    sign_in(qtbot, dialog, "clerk1", "wrong")
    assert dialog.isVisible() and dialog.message.isVisible()
    assert dialog.message.text().startswith("用户名或密码错误。")
    assert dialog.password.text() == "" and dialog.focusWidget() is dialog.password
    with qtbot.waitSignal(session.window_shown):
        sign_in(qtbot, dialog, "clerk1", "secret123")
    window = session.window
    assert "王芳" in window.staff_label.text()
    # A clerk's File menu has no manager's entries.
    assert not window.restore_action.isVisible() and not window.staff_action.isVisible()
    assert not window.audit_action.isVisible() and window.lock_action.isVisible()


def test_after_five_wrong_passwords_the_button_waits(session, qtbot, clerk):
    auth.first_run("客服部", "李经理", "li", "topsecret", "topsecret")
    session.start()
    dialog = current_dialog(qtbot, session)
    for _attempt in range(5):
        sign_in(qtbot, dialog, "clerk1", "wrong")
    assert not dialog.sign_in_button.isEnabled()
    assert "30 秒后再试" in dialog.message.text()
    assert dialog.wait_timer.isActive() and dialog.wait_timer.interval() == 30_000
    assert Staff.get_by_id(clerk.id).failed_logins == 5
    dialog.wait_timer.stop()
    dialog.close()


def test_cancel_at_the_log_in_quits(session, qtbot, clerk):
    auth.first_run("客服部", "李经理", "li", "topsecret", "topsecret")
    session.start()
    dialog = current_dialog(qtbot, session)
    with qtbot.waitSignal(session.quit_requested):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def signed_in_session(session, qtbot, username="clerk1", password="secret123"):
    session.start()
    dialog = current_dialog(qtbot, session)
    with qtbot.waitSignal(session.window_shown):
        sign_in(qtbot, dialog, username, password)
    return session.window


def test_idle_lock_hides_the_data_until_the_password(session, qtbot, clerk):
    auth.first_run("客服部", "李经理", "li", "topsecret", "topsecret")
    settings.put(auth.authenticate("li", "topsecret"), {"security.lock_minutes": 5})
    window = signed_in_session(session, qtbot)
    assert session.idle.timer.interval() == 5 * 60_000 and session.idle.timer.isActive()
    session.idle.timer.setInterval(50)  # five minutes pass
    session.idle.restart()
    qtbot.waitUntil(lambda: session.locked, timeout=3000)
    lock = current_dialog(qtbot, session)
    assert not window.isVisible()
    assert lock.username.text() == "clerk1" and lock.username.isReadOnly()
    qtbot.keyClick(lock, Qt.Key.Key_Escape)  # a lock is not dismissed
    assert lock.isVisible() and not window.isVisible()
    sign_in(qtbot, lock, "clerk1", "wrong")
    assert lock.isVisible() and lock.message.isVisible()
    sign_in(qtbot, lock, "clerk1", "secret123")
    qtbot.waitUntil(window.isVisible)
    assert not lock.isVisible() and not session.locked


def test_lock_by_hand_and_switch_user(session, qtbot, clerk):
    auth.first_run("客服部", "李经理", "li", "topsecret", "topsecret")
    window = signed_in_session(session, qtbot)
    window.lock_action.trigger()
    lock = current_dialog(qtbot, session)
    assert session.locked and not window.isVisible()
    lock.switch_button.click()
    login = current_dialog(qtbot, session)
    assert login.objectName() == "loginDialog" and not lock.isVisible()
    with qtbot.waitSignal(session.window_shown):
        sign_in(qtbot, login, "li", "topsecret")
    assert "李经理" in session.window.staff_label.text()


def test_daily_backup_at_sign_in(app, qtbot, database, clerk, tmp_path):
    auth.first_run("客服部", "李经理", "li", "topsecret", "topsecret")
    made = Session(database, auto_backup=True)
    made.window_shown.connect(qtbot.addWidget)
    made.start()
    dialog = current_dialog(qtbot, made)
    with qtbot.waitSignal(made.window_shown):
        sign_in(qtbot, dialog, "clerk1", "secret123")
    with qtbot.waitSignal(made.backup_task.finished, timeout=10_000):
        pass
    copies = backup.auto_backups(backup.backup_folder())
    assert len(copies) == 1
    made.idle.stop()
    made.window.close()


# --- staff accounts, the audit trail, privacy, restore ---------------------------------------


@pytest.fixture
def manager_window(app, qtbot, manager, database):
    window = MainWindow(AppContext(staff=manager, target=database))
    qtbot.addWidget(window)
    window.show()
    return window


def test_manager_adds_a_clerk_resets_and_deactivates(manager_window, qtbot, manager):
    manager_window.staff_action.trigger()
    dialog = manager_window.trust_dialog
    qtbot.waitExposed(dialog)
    assert dialog.model.total() == 1
    dialog.add_button.click()
    form = dialog.child
    qtbot.waitExposed(form)
    qtbot.keyClicks(form.username, "zhaoliu")
    type_text(qtbot, form.display_name, "赵六")
    form.role.setCurrentIndex(form.role.findData("clerk"))
    qtbot.keyClicks(form.password, "abc")
    qtbot.keyClicks(form.repeat, "abc")
    form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert form.errors.message("password") == "密码至少需要 6 个字符。"
    for field in (form.password, form.repeat):
        field.clear()
        qtbot.keyClicks(field, "zhao1234")
    form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not form.isVisible()
    added = Staff.get(Staff.username == "zhaoliu")
    assert (added.display_name, added.role) == ("赵六", "clerk")
    assert dialog.model.total() == 2 and dialog.selected().id == added.id
    assert auth.authenticate("zhaoliu", "zhao1234").id == added.id

    dialog.password_button.click()
    reset = dialog.child
    qtbot.keyClicks(reset.password, "newpass99")
    qtbot.keyClicks(reset.repeat, "newpass99")
    reset.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert auth.authenticate("zhaoliu", "newpass99").id == added.id

    dialog.active_button.click()
    box = dialog.child
    assert "赵六" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not Staff.get_by_id(added.id).active)
    assert dialog.active_button.text() == "重新启用"
    assert "已停用" in dialog.model.index(dialog.model.row_of_id(added.id), 3).data()
    dialog.close()


def test_audit_dialog_filters_and_shows_changes(manager_window, qtbot, manager, clerk):
    made = customers.create(clerk, CustomerInput(name="张三", mobile="13812345678"))
    data = customers.to_input(made)
    data.address = "人民路 88 号"
    customers.update(clerk, made.id, data, made.version)
    manager_window.audit_action.trigger()
    dialog = manager_window.trust_dialog
    qtbot.waitExposed(dialog)
    total = dialog.model.total()
    assert total == AuditLog.select().count()
    assert dialog.model.index(0, 2).data() == "修改"  # newest first
    dialog.action.setCurrentIndex(dialog.action.findData("update"))
    dialog.entity.setCurrentIndex(dialog.entity.findData("customer"))
    assert dialog.model.total() == 1 and dialog.count_label.text() == "共 1 条"
    dialog.view.selectRow(0)
    assert "address: — → 人民路 88 号" in dialog.details.toPlainText()
    dialog.staff.setCurrentIndex(dialog.staff.findData(manager.id))
    assert dialog.model.total() == 0
    dialog.close()


def test_clerk_cannot_open_the_audit_or_staff_dialog(app, clerk, database):
    from csoffice.errors import PermissionDenied
    from csoffice.ui.dialogs.audit_dialog import AuditDialog
    from csoffice.ui.dialogs.staff_dialog import StaffDialog

    for dialog in (AuditDialog, StaffDialog):
        with pytest.raises(PermissionDenied):
            dialog(AppContext(staff=clerk, target=database))


@pytest.mark.parametrize(("who", "expected"), [("clerk", "13812345678"), ("viewer", "138****5678")])
def test_phone_and_id_on_the_customer_file_by_role(app, qtbot, database, request, who, expected):
    from csoffice.ui.dialogs.customer_dialog import CustomerDialog

    staff = request.getfixturevalue(who)
    made = customers.create(
        auth.default_manager(),
        CustomerInput(name="张三", mobile="13812345678", id_number="110101199003071233"),
    )
    dialog = CustomerDialog(AppContext(staff=staff, target=database), made.id)
    qtbot.addWidget(dialog)
    assert dialog.form.mobile.text() == expected
    masked_id = dialog.form.id_number.text()
    assert masked_id == ("110101199003071233" if who == "clerk" else "110101********1233")


def test_restore_from_the_menu_goes_back_to_the_log_in(session, qtbot, manager, tmp_path):
    from csoffice.ui.dialogs.backup_dialog import start_restore

    auth.first_run("客服部", "李经理", "li", "topsecret", "topsecret")
    customers.create(manager, CustomerInput(name="张三"))
    saved = backup.backup_to(manager, tmp_path / "monday.sqlite3")
    customers.create(manager, CustomerInput(name="李四"))
    window = signed_in_session(session, qtbot, "li", "topsecret")
    task = start_restore(window, session.staff, session.target, saved, window.restored)
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: session.window is None and session.dialog is not None)
    login = current_dialog(qtbot, session)
    assert login.objectName() == "loginDialog"
    assert sorted(
        c.name for c in customers.rows(customers.search_ids(customers.SearchFilter()))
    ) == ["张三"]
    notice = session.notice
    assert notice.isVisible() and notice.parent() is login
    assert "monday.sqlite3" in notice.text() and "csoffice-before-restore-" in notice.text()
    notice.close()
    login.close()


def test_restore_of_a_damaged_file_is_refused_plainly(manager_window, qtbot, manager, tmp_path):
    from csoffice.ui.dialogs.backup_dialog import start_restore

    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database" * 300)
    task = start_restore(manager_window, manager, manager_window.context.target, bad)
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    boxes = [w for w in manager_window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and "bad.sqlite3 已损坏" in boxes[-1].text()
    assert "Traceback" not in boxes[-1].text()
    boxes[-1].close()


def test_an_unexpected_error_shows_a_plain_dialog_and_goes_to_the_log(
    manager_window, qtbot, private_home
):
    from csoffice.ui.errors import install_excepthook, log_path

    previous = sys.excepthook
    install_excepthook(lambda: manager_window)
    try:
        try:
            raise ZeroDivisionError("division by zero in a report")
        except ZeroDivisionError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    log = log_path().read_text(encoding="utf-8")
    assert "Traceback" in log and "ZeroDivisionError" in log
    assert log_path().parent == private_home / "data" / "logs"
    boxes = [w for w in manager_window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and boxes[-1].windowTitle() == "出现问题"
    assert "刚才的操作未能完成" in boxes[-1].text()
    assert "Traceback" not in boxes[-1].text() and str(log_path()) in boxes[-1].text()
    boxes[-1].close()


def locked_with_a_typed_note(session, qtbot, clerk):
    """Signed in, a customer's file open with a note typed and not saved, then locked: the
    window, the file and the lock dialog."""
    from csoffice.ui.dialogs.customer_dialog import CustomerDialog

    auth.first_run("客服部", "李经理", "li", "topsecret", "topsecret")
    window = signed_in_session(session, qtbot)
    person = customers.create(clerk, CustomerInput(name="曾秀芳", mobile="13912342943"))
    dialog = CustomerDialog(window.context, person.id, window)
    dialog.open()
    qtbot.waitExposed(dialog)
    type_text(qtbot, dialog.form.notes, "喜欢周末来店")
    window.lock_action.trigger()
    return window, dialog, current_dialog(qtbot, session)


def test_the_lock_keeps_an_open_form_as_it_was(session, qtbot, clerk):
    window, dialog, lock = locked_with_a_typed_note(session, qtbot, clerk)
    assert not dialog.isVisible() and not window.isVisible()
    sign_in(qtbot, lock, "clerk1", "secret123")
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.form.notes.toPlainText() == "喜欢周末来店" and dialog.guard.dirty()
    dialog.guard.mark_clean()
    dialog.done(0)


def test_switch_user_on_the_lock_asks_about_the_locked_clerks_unsaved_work(session, qtbot, clerk):
    from tests.ui.desk_flows import back_in

    window, dialog, lock = locked_with_a_typed_note(session, qtbot, clerk)
    lock.switch_button.click()
    question = session.notice
    assert question is not None and question.objectName() == "switchUserQuestion"
    qtbot.waitExposed(question)
    assert "没有保存" in question.text() or "尚未保存" in question.text()
    assert "喜欢周末来店" not in question.text()  # the form is not shown to whoever asks
    assert not dialog.isVisible()
    # Enter keeps the work: the lock stays, and the clerk unlocks to find the form as typed.
    back_in(question)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not question.isVisible())
    assert session.locked and lock.isVisible()
    sign_in(qtbot, lock, "clerk1", "secret123")
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.form.notes.toPlainText() == "喜欢周末来店"

    # Locked again, and this time the other clerk discards it and signs in.
    window.lock_action.trigger()
    lock = current_dialog(qtbot, session)
    lock.switch_button.click()
    question = session.notice
    assert question is not None
    qtbot.waitExposed(question)
    discard = next(b for b in question.buttons() if "换人登录" in b.text())
    discard.click()
    login = current_dialog(qtbot, session)
    assert login.objectName() == "loginDialog"
    unsaved_boxes = [
        w for w in QApplication.topLevelWidgets() if w.objectName() == "unsavedQuestion"
    ]
    assert not any(box.isVisible() for box in unsaved_boxes)  # nothing more is asked
    with qtbot.waitSignal(session.window_shown):
        sign_in(qtbot, login, "li", "topsecret")
    assert "李经理" in session.window.staff_label.text()
    assert not isValid(dialog) or not dialog.isVisible()


def test_switch_user_on_the_lock_with_nothing_typed_asks_nothing(session, qtbot, clerk):
    auth.first_run("客服部", "李经理", "li", "topsecret", "topsecret")
    window = signed_in_session(session, qtbot)
    window.lock_action.trigger()
    lock = current_dialog(qtbot, session)
    lock.switch_button.click()
    assert session.dialog is not lock and session.dialog.objectName() == "loginDialog"

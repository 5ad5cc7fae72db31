"""The trust flows at the desk: saving while another program holds the database, restoring a
shell database and another office's backup from the File menu, a clerk's backup."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from csoffice import backup, customers, settings
from csoffice.customers import CustomerInput
from csoffice.db.database import open_database
from csoffice.db.models import Customer, Reception
from csoffice.ui.main_window import AppContext, MainWindow
from tests.domain.test_restore_safety import make_shell
from tests.ui.typing import type_text


def focused():
    return QApplication.focusWidget()


def visible_boxes(widget) -> list[QMessageBox]:
    return [w for w in widget.findChildren(QMessageBox) if w.isVisible()]


def test_a_save_while_the_database_is_locked_says_busy_and_keeps_the_typing(
    window, qtbot, database, monkeypatch
):
    monkeypatch.setenv("CSOFFICE_WRITE_WAIT", "0.5")
    open_database(database.path)  # this desk's connection waits only half a second
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F2)
    desk = window.pages["reception"]
    entry = desk.entry
    qtbot.waitUntil(lambda: focused() is entry.phone)
    qtbot.keyClicks(focused(), "13800001234")
    type_text(qtbot, entry.caller_name, "钱女士")
    entry.content.setFocus()
    type_text(qtbot, focused(), "发票开错了抬头")
    holder = sqlite3.connect(database.path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # an import at another desk holds the write lock
    try:
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(visible_boxes(desk)), timeout=10_000)
        box = visible_boxes(desk)[-1]
        assert "数据库正忙" in box.text() and "Traceback" not in box.text()
        assert entry.phone.text() == "13800001234"
        assert entry.caller_name.text() == "钱女士"
        assert entry.content.toPlainText() == "发票开错了抬头"
        box.close()
    finally:
        holder.rollback()
        holder.close()
    assert Reception.select().count() == 0
    entry.content.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # the lock is gone: the same entry saves
    assert Reception.get().content == "发票开错了抬头"


def test_a_save_waits_its_turn_behind_a_short_write(window, qtbot, database):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F2)
    entry = window.pages["reception"].entry
    qtbot.waitUntil(lambda: focused() is entry.phone)
    qtbot.keyClicks(focused(), "13800001234")
    entry.content.setFocus()
    type_text(qtbot, focused(), "咨询保养")
    holder = sqlite3.connect(database.path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, holder.rollback)
    release.start()
    try:
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
    finally:
        release.join()
        holder.close()
    assert Reception.get().content == "咨询保养"
    assert not visible_boxes(window.pages["reception"])


def pick_file(monkeypatch, path) -> None:
    from csoffice.ui import main_window

    monkeypatch.setattr(main_window.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def click(box: QMessageBox, text: str) -> None:
    for button in box.findChildren(QPushButton):
        if button.text() == text:
            button.click()
            return
    raise AssertionError(f"no button {text!r} in {[b.text() for b in box.buttons()]}")


def restore_from_menu(window, qtbot, monkeypatch, path, answer_text: str) -> QMessageBox:
    """File ▸ Restore a backup…, the file chosen, “Restore” pressed; returns the message box
    that comes back with ``answer_text`` in it."""
    pick_file(monkeypatch, path)
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(visible_boxes(window)))
    click(visible_boxes(window)[-1], "恢复")
    qtbot.waitUntil(
        lambda: any(answer_text in b.text() for b in visible_boxes(window)), timeout=15_000
    )
    return next(b for b in visible_boxes(window) if answer_text in b.text())


def test_restoring_a_shell_database_from_the_menu_is_refused(window, qtbot, tmp_path, monkeypatch):
    customers.create(window.context.staff, CustomerInput(name="张三"))
    shell = make_shell(tmp_path / "shell.sqlite3")
    box = restore_from_menu(window, qtbot, monkeypatch, shell, "不是完整的")
    assert "shell.sqlite3" in box.text() and "Traceback" not in box.text()
    box.close()
    assert [c.name for c in Customer.select()] == ["张三"]
    assert window.isVisible()


def test_another_offices_backup_asks_before_it_is_restored(window, qtbot, tmp_path, monkeypatch):
    manager = window.context.staff
    settings.put(manager, {"office.name": "幸福汽车客服部"})
    customers.create(manager, CustomerInput(name="张三"))
    theirs = backup.backup_to(manager, tmp_path / "theirs.sqlite3")
    con = sqlite3.connect(theirs)
    con.execute("UPDATE setting SET value = '\"如意家电售后\"' WHERE key = 'office.name'")
    con.commit()
    con.close()
    customers.create(manager, CustomerInput(name="李四"))
    restarted = []
    window.restart_requested.connect(restarted.append)
    question = restore_from_menu(window, qtbot, monkeypatch, theirs, "如意家电售后")
    assert "幸福汽车客服部" in question.text()
    assert sorted(c.name for c in Customer.select()) == ["张三", "李四"]  # nothing yet
    click(question, "仍然恢复")
    qtbot.waitUntil(lambda: bool(restarted), timeout=15_000)
    assert [c.name for c in Customer.select()] == ["张三"]


@pytest.fixture
def clerk_window(app, qtbot, clerk, database):
    win = MainWindow(AppContext(staff=clerk, target=database))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_a_clerks_backup_goes_into_the_backup_folder_without_a_choice(
    clerk_window, qtbot, monkeypatch
):
    from csoffice.ui.dialogs import backup_dialog

    def no_dialog(*args, **kwargs):
        raise AssertionError("a clerk is not offered a folder")

    monkeypatch.setattr(backup_dialog.QFileDialog, "getSaveFileName", no_dialog)
    assert clerk_window.backup_action.isVisible()
    clerk_window.backup_action.trigger()
    qtbot.waitUntil(lambda: bool(visible_boxes(clerk_window)), timeout=15_000)
    box = visible_boxes(clerk_window)[-1]
    folder = backup.backup_folder()
    assert str(folder) in box.text()
    made = list(folder.glob("csoffice-*.sqlite3"))
    assert len(made) == 1
    box.close()


def test_a_background_task_hands_back_the_typed_error(window, qtbot):
    import peewee

    from csoffice.db import errors
    from csoffice.ui.tasks import run_task

    def locked(progress):
        raise peewee.OperationalError(sqlite3.OperationalError("database is locked"))

    task = run_task(window, "…", locked)
    handed, said = [], []
    task.error_raised.connect(handed.append)
    task.failed.connect(said.append)
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert isinstance(handed[0], errors.DatabaseBusy)
    assert said == [str(handed[0])] and "数据库正忙" in said[0]

    def broken(progress):
        raise ValueError("a bug")

    task = run_task(window, "…", broken)
    handed = []
    task.error_raised.connect(handed.append)
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert "意外错误" in str(handed[0]) and isinstance(handed[0].__cause__, ValueError)


def test_an_uncaught_database_fault_shows_its_own_words(window, qtbot, private_home):
    import sys

    import peewee

    from csoffice.ui.errors import install_excepthook

    previous = sys.excepthook
    install_excepthook(lambda: window)
    try:
        try:
            raise peewee.OperationalError(sqlite3.OperationalError("database or disk is full"))
        except peewee.OperationalError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    box = visible_boxes(window)[-1]
    assert box.windowTitle() == "未保存" and "磁盘已满" in box.text()
    box.close()


def test_the_manager_lifts_a_clerks_sign_in_wait(window, qtbot, clerk):
    import contextlib

    from csoffice import auth

    for _ in range(6):
        with contextlib.suppress(auth.LoginRefused):
            auth.authenticate("clerk1", "wrong")
    window.staff_action.trigger()
    dialog = window.trust_dialog
    qtbot.waitExposed(dialog)
    dialog.view.selectRow(dialog.model.row_of_id(clerk.id))
    assert dialog.unlock_button.isEnabled()
    dialog.unlock_button.click()
    assert auth.authenticate("clerk1", "secret123").id == clerk.id
    assert not dialog.unlock_button.isEnabled()
    dialog.close()

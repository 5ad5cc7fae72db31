"""The main window as a clerk meets it: tabs, shortcuts, status bar, settings, backup."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from csoffice import settings
from csoffice.ui.main_window import TABS, MainWindow, window_state
from tests.ui.typing import type_text

TAB_TITLES = ["今日", "接待登记", "投诉处理", "客户档案", "会员卡", "回访", "报表"]


def test_tabs_in_the_office_order(window):
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == TAB_TITLES
    assert window.windowTitle() == "客户服务部 — csoffice"


def test_every_tab_by_keyboard_lands_in_its_search_box(window, qtbot):
    from csoffice.ui.desk_keys import search_box

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for index in reversed(range(len(TABS))):
        qtbot.keyClick(
            QApplication.focusWidget() or window,
            Qt.Key(Qt.Key.Key_1 + index),
            Qt.KeyboardModifier.ControlModifier,
        )
        assert window.tabs.currentIndex() == index
        page = window.tabs.currentWidget()
        assert page.isVisible()
        box = search_box(page)
        assert box is not None, f"{TABS[index].key} has no search box"
        assert QApplication.focusWidget() is box, TABS[index].key
        assert page.isAncestorOf(box)


def test_ctrl_f_finds_the_search_box_and_f1_opens_help(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.tabs.setCurrentIndex(3)
    window.pages["customers"].table.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.pages["customers"].search
    type_text(qtbot, QApplication.focusWidget(), "张")
    assert window.pages["customers"].search.text() == "张"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F1)
    help_dialog = window.help_dialog
    qtbot.waitUntil(help_dialog.isVisible)
    text = help_dialog.browser.toPlainText()
    assert "客户档案" in text and "Ctrl+F" in text and "拼音" in text
    qtbot.waitUntil(lambda: QApplication.focusWidget() is help_dialog.browser)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not help_dialog.isVisible()


def test_status_bar_names_database_and_staff(window, database):
    assert str(database.path) in window.database_label.text()
    assert "客服部经理" in window.staff_label.text()


def test_bundled_font_is_registered(app):
    assert "WenQuanYi Zen Hei" in QFontDatabase.families()
    assert "WenQuanYi Zen Hei" in app.font().families()


def test_settings_dialog_validates_and_saves(window, qtbot):
    window.settings_action.trigger()
    dialog = window.settings_dialog
    qtbot.waitExposed(dialog)
    dialog.office_name.clear()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.isVisible()
    assert dialog.errors.message("office.name") == "请输入单位名称。"
    dialog.office_address.setText("")
    type_text(qtbot, dialog.office_address, "人民路 88 号")
    type_text(qtbot, dialog.office_name, "幸福汽车 4S 店客服部")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    with qtbot.waitSignal(dialog.saved):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert settings.office().name == "幸福汽车 4S 店客服部"
    assert settings.office().address == "人民路 88 号"
    assert window.windowTitle().startswith("幸福汽车 4S 店客服部")
    assert settings.LocalConfig.load().language == "en"


def test_clerk_cannot_change_office_details(app, qtbot, clerk, database):
    from csoffice.ui.dialogs.settings_dialog import SettingsDialog
    from csoffice.ui.main_window import AppContext

    dialog = SettingsDialog(AppContext(staff=clerk, target=database))
    qtbot.addWidget(dialog)
    assert not dialog.office_name.isEnabled()


def test_window_geometry_is_remembered(window, qtbot, manager, database):
    from csoffice.ui.main_window import AppContext

    window.resize(1100, 700)
    window.close()
    assert window_state().value("geometry") is not None
    again = MainWindow(AppContext(staff=manager, target=database))
    qtbot.addWidget(again)
    assert (again.size().width(), again.size().height()) == (1100, 700)


def test_backup_runs_off_the_ui_thread(window, qtbot, tmp_path, manager):
    from csoffice.ui.dialogs.backup_dialog import start_backup

    target = tmp_path / "copy.sqlite3"
    task = start_backup(window, manager, target)
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert target.exists()
    with sqlite3.connect(target) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and str(target) in boxes[-1].text()
    boxes[-1].close()


def test_about_shows_the_version(window):
    from csoffice import __version__

    box = window.show_about()
    assert __version__ in box.text()
    box.close()


def test_settings_test_connection(app, qtbot, manager, database, tmp_path):
    from csoffice.ui.dialogs.settings_dialog import SettingsDialog
    from csoffice.ui.main_window import AppContext

    dialog = SettingsDialog(AppContext(staff=manager, target=database))
    qtbot.addWidget(dialog)
    dialog.database.setText(str(tmp_path / "no-such-folder" / "x.sqlite3"))
    assert not dialog.test_connection()
    assert "不存在" in dialog.desk_errors.message("database_url")
    dialog.database.setText(str(database.path))
    assert dialog.test_connection()
    assert dialog.desk_errors.message("database_url") == "数据库可以连接。"


def test_the_window_shows_before_the_today_board_is_built(app, qtbot, manager, database):
    from PySide6.QtWidgets import QLabel

    from csoffice.ui.context import AppContext
    from csoffice.ui.tabs.today_tab import TodayTab

    win = MainWindow(AppContext(staff=manager, target=database))
    qtbot.addWidget(win)
    # Nothing of the board is made before the window is on screen: a line says it is coming.
    assert "today" not in win.pages
    assert win.tabs.widget(0).findChild(QLabel, "tabLoading").text() == "正在打开…"
    win.show()
    qtbot.waitUntil(lambda: isinstance(win.tabs.widget(0), TodayTab))
    assert win.tabs.currentIndex() == 0 and win.tabs.tabText(0) == "今日"
    qtbot.waitUntil(lambda: win.pages["today"].summary.text() != "")  # then it fills


def test_a_window_closed_before_its_first_paint_builds_no_board(app, qtbot, manager, database):
    from csoffice.ui.context import AppContext

    win = MainWindow(AppContext(staff=manager, target=database))
    qtbot.addWidget(win)
    win.show()
    win.close()
    qtbot.wait(100)
    assert "today" not in win.pages

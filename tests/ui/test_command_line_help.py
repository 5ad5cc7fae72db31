"""Help ▸ Command line: the window tells where the console program is and what to type."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from csoffice.console import command_text, console_command
from csoffice.paths import subfolder
from csoffice.ui.dialogs.command_line_dialog import CommandLineDialog


def help_action(window, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "帮助(&H)")
    return next(a for a in menu.actions() if a.text() == text)


def test_help_menu_opens_the_command_line_and_copies_a_command(window, qtbot, database):
    help_action(window, "命令行(&C)…").trigger()
    dialog = window.findChild(CommandLineDialog)
    qtbot.waitExposed(dialog)
    program = command_text(console_command())
    assert dialog.program.text() == program
    assert dialog.database.text() == database.display
    assert dialog.windowTitle() == "命令行"
    commands = [dialog.examples.item(row, 0).text() for row in range(dialog.examples.rowCount())]
    assert all(command.startswith(program) for command in commands)
    assert any(command.endswith(" check") for command in commands)
    # The clerk moves to the backup line with the arrow key and copies it with Ctrl+C.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.examples)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(f"{program} backup --out ")
    assert str(subfolder("backups")) in copied
    assert dialog.examples.item(1, 1).text() == "备份数据库（各工位可照常工作）"
    assert "已复制" in dialog.copied.text()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_about_names_the_console_program(window):
    help_action(window, "关于 csoffice(&A)").trigger()
    box = next(w for w in window.findChildren(QMessageBox) if w.isVisible())
    assert command_text(console_command()) in box.text()
    assert "帮助 ▸ 命令行" in box.text()
    box.close()

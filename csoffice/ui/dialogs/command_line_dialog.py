"""Help ▸ Command line: where the console program is on this PC, and the commands to type."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csoffice import console
from csoffice.i18n import _
from csoffice.paths import data_dir, subfolder
from csoffice.ui.desk_keys import DeskDialog


class CommandLineDialog(DeskDialog):
    def __init__(self, database: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Command line"))
        self.resize(860, 460)
        layout = QVBoxLayout(self)

        intro = QLabel(
            _(
                "The console program does an administrator's work without the window: it checks "
                "the database, makes and restores backups, exports records, prints reports to PDF "
                "and moves the data to PostgreSQL. It works on the same database as this window."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        monospace = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.program = QLineEdit(console.command_text(console.console_command()), self)
        self.program.setReadOnly(True)
        self.program.setFont(monospace)
        form.addRow(_("Console program:"), self.program)
        self.database = QLineEdit(database, self)
        self.database.setReadOnly(True)
        form.addRow(_("Database:"), self.database)
        self.data_folder = QLineEdit(str(data_dir()), self)
        self.data_folder.setReadOnly(True)
        form.addRow(_("Data folder:"), self.data_folder)
        layout.addLayout(form)

        if console.frozen() and sys.platform == "win32":
            where = QLabel(
                _("On the Start menu, csoffice ▸ {entry} opens a command prompt for it.").format(
                    entry=console.START_MENU_ENTRY
                ),
                self,
            )
            where.setWordWrap(True)
            layout.addWidget(where)

        self.examples = QTableWidget(0, 2, self)
        self.examples.setHorizontalHeaderLabels([_("Command to type"), _("What it does")])
        self.examples.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.examples.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.examples.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.examples.verticalHeader().hide()
        header = self.examples.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for example in console.examples(subfolder("backups")):
            row = self.examples.rowCount()
            self.examples.insertRow(row)
            command = QTableWidgetItem(example.command)
            command.setFont(monospace)
            command.setToolTip(example.command)
            self.examples.setItem(row, 0, command)
            self.examples.setItem(row, 1, QTableWidgetItem(example.what))
        self.examples.selectRow(0)
        self.examples.doubleClicked.connect(self.copy_command)
        layout.addWidget(self.examples, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(_("&Copy command"), self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_command)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.copied = QLabel("", self)
        self.copied.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.copied)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), self.examples, self.copy_command)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.examples.setFocus()  # the arrow keys pick a command, Ctrl+C copies it

    def selected_command(self) -> str:
        row = self.examples.currentRow()
        item = self.examples.item(max(row, 0), 0)
        return item.text() if item else ""

    def copy_command(self) -> None:
        """The selected command to the clipboard, to paste into a command prompt."""
        command = self.selected_command()
        QGuiApplication.clipboard().setText(command)
        self.copied.setText(_("Copied: {command}").format(command=command))

"""The settings page of the paper file: the checklist of papers (from a preset or the office's
own), which of them a complete file needs, the hand-in deadline in working days, and the
working days the after-sales desk has for a repair's papers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csoffice import paper_file, settings
from csoffice.customer_history import SERVICE_KINDS
from csoffice.errors import ValidationError
from csoffice.i18n import _
from csoffice.ui.context import AppContext
from csoffice.ui.dialogs.settings_page import SettingsPage
from csoffice.ui.widgets.form import FieldErrors


class PaperFilePage(SettingsPage):
    """The checklist every customer's paper file is held against (manager)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.stored = settings.get("papers.checklist")
        self.codes: list[str] = []
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "The papers of a complete customer file and when they must be handed in. A "
                "file missing a required paper after the deadline is listed on the Today board "
                "under its responsible staff member and counts in their appraisal."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        presets = QHBoxLayout()
        self.preset = QComboBox()
        for code in paper_file.PRESETS:
            self.preset.addItem(paper_file.preset_label(code), code)
        self.apply_button = QPushButton(_("Use this preset"))
        self.apply_button.clicked.connect(self.apply_preset)
        presets.addWidget(QLabel(_("Preset")))
        presets.addWidget(self.preset)
        presets.addWidget(self.apply_button)
        presets.addStretch(1)
        layout.addLayout(presets)

        form = QFormLayout()
        layout.addLayout(form, 1)
        self.errors = FieldErrors(form)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([_("Paper"), _("Required")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(260)
        self.errors.add_row("papers", _("Papers"), self.table)
        rows = QHBoxLayout()
        self.add_button = QPushButton(_("Add a paper"))
        self.add_button.clicked.connect(self.add_paper)
        self.remove_button = QPushButton(_("Remove the paper"))
        self.remove_button.clicked.connect(self.remove_paper)
        rows.addWidget(self.add_button)
        rows.addWidget(self.remove_button)
        rows.addStretch(1)
        form.addRow("", self._wrap(rows))
        self.after_event = QComboBox()
        for code, text in SERVICE_KINDS.items():
            self.after_event.addItem(_(text), code)
        self.errors.add_row("event", _("Hand in after"), self.after_event)
        self.days = QSpinBox()
        self.days.setRange(0, 99)
        self.days.setSuffix(_(" working days"))
        self.days.setMaximumWidth(160)
        self.errors.add_row("days", _("Within"), self.days)
        self.repair_days = QSpinBox()
        self.repair_days.setRange(0, 99)
        self.repair_days.setSuffix(_(" working days"))
        self.repair_days.setMaximumWidth(160)
        self.errors.add_row(
            "repair_days", _("A repair's papers within (0: not followed)"), self.repair_days
        )
        layout.addWidget(self.message)
        if not self.may_change:
            layout.addWidget(QLabel(_("Only the manager may change the checklist.")))
        for widget in (
            self.preset,
            self.apply_button,
            self.table,
            self.add_button,
            self.remove_button,
            self.after_event,
            self.days,
            self.repair_days,
        ):
            widget.setEnabled(self.may_change)
        self._load(self.stored)

    def _wrap(self, row: QHBoxLayout) -> QWidget:
        holder = QWidget()
        row.setContentsMargins(0, 0, 0, 0)
        holder.setLayout(row)
        return holder

    def _load(self, value: Any) -> None:
        try:
            value = paper_file.check(value)
        except ValidationError:
            value = paper_file.preset("service")
        self.preset.setCurrentIndex(max(0, self.preset.findData(value["preset"] or "service")))
        self.table.setRowCount(0)
        self.codes = []
        for paper in value["papers"]:
            label = paper_file.Paper(paper["code"], paper["name"], paper["required"]).label
            self._append(paper["code"], label, paper["required"])
        self.after_event.setCurrentIndex(max(0, self.after_event.findData(value["event"])))
        self.days.setValue(int(value["days"]))
        self.repair_days.setValue(int(value["repair_days"]))

    def _append(self, code: str, label: str, required: bool) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(label))
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        check.setCheckState(Qt.CheckState.Checked if required else Qt.CheckState.Unchecked)
        self.table.setItem(row, 1, check)
        self.codes.append(code)
        return row

    def apply_preset(self) -> None:
        """The preset's papers and deadline; a repair's hand-in days stay as they are."""
        repair_days = self.repair_days.value()
        self._load(paper_file.preset(self.preset.currentData()))
        self.repair_days.setValue(repair_days)

    def add_paper(self) -> None:
        row = self._append("", "", True)
        self.table.setCurrentCell(row, 0)
        item = self.table.item(row, 0)
        if item is not None:  # _append made the row's items
            self.table.editItem(item)

    def remove_paper(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            del self.codes[row]

    def typed(self) -> dict[str, Any]:
        """The checklist as typed: a paper keeps its code (and built-in label) while its name
        is the built-in one; a renamed or new paper carries its own name."""
        papers = []
        for row, code in enumerate(self.codes):
            name_item, required_item = self.table.item(row, 0), self.table.item(row, 1)
            text = (name_item.text() if name_item is not None else "").strip()
            builtin = paper_file.Paper(code, "", True).label if code else ""
            required = (
                required_item is not None and required_item.checkState() == Qt.CheckState.Checked
            )
            papers.append(
                {
                    "code": code,
                    "name": "" if text == builtin and code else text,
                    "required": required,
                }
            )
        preset = self.preset.currentData()
        if papers != paper_file.preset(preset)["papers"]:
            preset = ""
        return {
            "preset": preset,
            "papers": papers,
            "event": self.after_event.currentData(),
            "days": self.days.value(),
            "repair_days": self.repair_days.value(),
        }

    def show_refusal(self, error: ValidationError) -> None:
        shown: dict[str, str] = {}
        for key, text in error.errors.items():
            if key.startswith("papers."):
                row = int(key.split(".", 1)[1])
                shown.setdefault("papers", _("Line {n}: {problem}").format(n=row + 1, problem=text))
                self.table.setCurrentCell(row, 0)
            else:
                shown[key] = text
        self.errors.show(ValidationError(shown))

    def validate(self) -> bool:
        return self.attempt(lambda: paper_file.check(self.typed()))

    def save(self) -> bool:
        return self.attempt(self._store)

    def _store(self) -> None:
        value = paper_file.check(self.typed())
        try:
            stored = paper_file.check(self.stored)
        except ValidationError:
            stored = None
        if value != stored:
            settings.put(self.context.staff, {"papers.checklist": value})

"""The settings page of complaints: the hours to respond and to resolve per severity, the running
number's format (with the next number shown as it is typed) and the printed slip's paper."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from csoffice import complaints, office_rules, settings
from csoffice.complaints.codes import PAGE_SIZES, SEVERITIES
from csoffice.errors import ValidationError
from csoffice.i18n import _
from csoffice.ui.context import AppContext
from csoffice.ui.dialogs.settings_page import RulesPage, spin


class ComplaintRulesPage(RulesPage):
    """Complaint deadlines and numbering (manager)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        values = settings.get_many(office_rules.COMPLAINT_KEYS)
        form = self.begin(
            _(
                "How many hours a complaint may wait for its first response and for its "
                "resolution; past them it shows as overdue and goes to the manager. Whether "
                "the hours count only office hours is set on the Working days page."
            )
        )
        self.hours: dict[str, tuple[QSpinBox, QSpinBox]] = {}
        for severity in SEVERITIES:
            pair = complaints.deadline_hours(severity)
            response = spin(0, 99_999, _(" hours"))
            resolve = spin(0, 99_999, _(" hours"))
            response.setValue(pair[0])
            resolve.setValue(pair[1])
            name = complaints.severity_label(severity)
            key = f"complaints.deadlines.{severity}"
            self.errors.add_row(
                f"{key}.response", _("{severity}: respond within").format(severity=name), response
            )
            self.errors.add_row(
                f"{key}.resolve", _("{severity}: resolve within").format(severity=name), resolve
            )
            self.hours[severity] = (response, resolve)
        self.number_format = QLineEdit(str(values["complaints.number_format"] or ""))
        self.errors.add_row("complaints.number_format", _("Number format"), self.number_format)
        self.preview = QLabel()
        self.preview.setObjectName("numberPreview")
        form.addRow("", self.preview)
        self.number_format.textChanged.connect(self._show_preview)
        self.page_size = QComboBox()
        for size in PAGE_SIZES:
            self.page_size.addItem(size, size)
        self.page_size.setCurrentIndex(
            max(0, self.page_size.findData(values["complaints.slip_page_size"]))
        )
        self.errors.add_row("complaints.slip_page_size", _("Complaint slip paper"), self.page_size)
        fields: list[QWidget] = [w for pair in self.hours.values() for w in pair]
        self.finish(
            [*fields, self.number_format, self.page_size],
            _("Only the manager may change the complaint rules."),
        )
        self._show_preview()

    def _show_preview(self) -> None:
        """The number the next complaint of this month would get in the format typed (or why
        there is none), in place of an earlier refusal of the format."""
        refusal = self.errors.labels["complaints.number_format"]
        refusal.clear()
        refusal.hide()
        self.preview.show()
        today = dt.date.today()
        try:
            example = office_rules.number_preview(
                self.number_format.text().strip(), today.year, today.month, 1
            )
        except ValueError as exc:
            self.preview.setText(str(exc))
            return
        self.preview.setText(_("This month's first number: {number}").format(number=example))

    def show_refusal(self, error: ValidationError) -> None:
        super().show_refusal(error)
        if "complaints.number_format" in error.errors:
            self.preview.hide()  # the refusal under the field says it

    def typed(self) -> dict[str, Any]:
        return {
            "complaints.deadlines": {
                severity: [response.value(), resolve.value()]
                for severity, (response, resolve) in self.hours.items()
            },
            "complaints.number_format": self.number_format.text().strip(),
            "complaints.slip_page_size": self.page_size.currentData(),
        }

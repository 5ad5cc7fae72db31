"""The settings page of reminders: how many months after a maintenance, an annual inspection or
an insurance policy the next one falls due, and how far ahead and back the Today board lists
them."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QSpinBox, QWidget

from csoffice import office_rules, service_events, settings
from csoffice.i18n import _
from csoffice.ui.context import AppContext
from csoffice.ui.dialogs.settings_page import RulesPage, spin


class RemindersPage(RulesPage):
    """Reminder months and the Today board's reminder days (manager)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        values = settings.get_many(office_rules.REMINDER_KEYS)
        months = values["reminders.months"] or {}
        self.begin(
            _(
                "When a maintenance, an annual inspection or an insurance policy is entered on "
                "a customer's file, the next one is due this many months later (0: no "
                "reminder). The Today board lists the reminders due soon and those nobody has "
                "called about yet."
            )
        )
        self.months: dict[str, QSpinBox] = {}
        for kind in office_rules.REMINDER_KINDS:
            box = spin(-1, 9999, _(" months"))
            box.setValue(int(months.get(kind) or 0))
            label = _("Next {kind} after").format(kind=service_events.kind_label(kind))
            self.months[kind] = self.errors.add_row(f"reminders.months.{kind}", label, box)
        self.ahead = spin(-1, 9999, _(" days"))
        self.ahead.setValue(int(values["today.reminder_days"] or 0))
        self.errors.add_row("today.reminder_days", _("On the Today board from"), self.ahead)
        self.past = spin(-1, 9999, _(" days"))
        self.past.setValue(int(values["today.reminder_days_past"] or 0))
        self.errors.add_row("today.reminder_days_past", _("And still when past by"), self.past)
        self.finish(
            [*self.months.values(), self.ahead, self.past],
            _("Only the manager may change the reminders."),
        )

    def typed(self) -> dict[str, Any]:
        return {
            "reminders.months": {kind: box.value() for kind, box in self.months.items()},
            "today.reminder_days": self.ahead.value(),
            "today.reminder_days_past": self.past.value(),
        }

"""The settings page of the return-visit rules: the list of rules on the left, the chosen rule's
form on the right; saved together, checked by the domain, each message next to its field."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from csoffice import customers, members, settings, visit_rules, visits
from csoffice.customer_history import SERVICE_KINDS
from csoffice.errors import ValidationError
from csoffice.i18n import _
from csoffice.ui.context import AppContext
from csoffice.ui.dialogs.settings_page import SettingsPage
from csoffice.ui.widgets.form import FieldErrors


def rule_title(spec: dict[str, Any]) -> str:
    """How a rule is listed: its own name, else its kind and condition."""
    if spec.get("name"):
        title = spec["name"]
    else:
        title = visits.label(spec.get("kind", ""))
        condition = spec.get("condition") or {}
        if condition.get("field"):
            title = f"{title} · {condition_value_label(condition)}"
    if spec.get("off"):
        title = _("{rule} — switched off").format(rule=title)
    return title


def condition_value_label(condition: dict[str, Any]) -> str:
    value = str(condition.get("value") or "")
    if condition.get("field") == "amount":
        return f"≥ {value}"
    if condition.get("field") == "class":
        return customers.class_label(value)
    if condition.get("field") == "level":
        names = {level.code: level.name for level in members.levels(include_inactive=True)}
        return names.get(value, value)
    return value


def _comparable(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [spec | {"events": sorted(spec.get("events") or ())} for spec in specs]


class VisitRulesPage(SettingsPage):
    """Every return-visit rule of the office; only the manager may change them."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.specs: list[dict[str, Any]] = copy.deepcopy(visits.rule_specs())
        self.current = -1
        self.result: visits.Replanned | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Each rule says which call falls due when: the due day counted from the event, "
                "the last day it is on time (3DC: days 3 to 5), and for whom. Within one kind of "
                "call, a rule with a condition takes the customers it holds for. Saving plans "
                "again every call the rules made that nobody has tried yet."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        body = QHBoxLayout()
        layout.addLayout(body, 1)

        left = QVBoxLayout()
        self.rule_list = QListWidget()
        self.rule_list.setMinimumWidth(280)
        self.rule_list.currentRowChanged.connect(self._select)
        left.addWidget(self.rule_list, 1)
        self.add_button = QPushButton(_("Add a rule"))
        self.add_button.clicked.connect(self.add_rule)
        self.defaults_button = QPushButton(_("The rulebook's rules"))
        self.defaults_button.setToolTip(_("Put back the rules the office started with."))
        self.defaults_button.clicked.connect(self.restore_defaults)
        left.addWidget(self.add_button)
        left.addWidget(self.defaults_button)
        body.addLayout(left)

        form_holder = QWidget()
        form = QFormLayout(form_holder)
        self.errors = FieldErrors(form)
        self.name = QLineEdit()
        self.errors.add_row("name", _("Rule name"), self.name)
        self.name.setPlaceholderText(_("Optional: the kind of call and its condition"))
        self.kind = QComboBox()
        for code in visit_rules.RULE_VISIT_KINDS:
            self.kind.addItem(visits.label(code), code)
        self.errors.add_row("kind", _("Kind of call"), self.kind)
        self.start = QComboBox()
        for code in visit_rules.STARTS:
            self.start.addItem(visit_rules.start_label(code), code)
        self.errors.add_row("start", _("Counted from"), self.start)
        events_box = QWidget()
        grid = QGridLayout(events_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.event_boxes: dict[str, QCheckBox] = {}
        for index, (code, text) in enumerate(SERVICE_KINDS.items()):
            box = QCheckBox(_(text))
            self.event_boxes[code] = box
            grid.addWidget(box, index // 3, index % 3)
        self.errors.add_row("events", _("After these events"), events_box)
        self.errors.widgets["events"] = next(iter(self.event_boxes.values()))
        self.days = self._spin(0, 9999)
        self.errors.add_row("days", _("Due on day"), self.days)
        self.months = self._spin(0, 999)
        self.errors.add_row("months", _("Plus months"), self.months)
        self.window_end = self._spin(0, 9999)
        self.errors.add_row("window_end", _("On time until day"), self.window_end)
        condition_row = QWidget()
        row = QHBoxLayout(condition_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.condition_field = QComboBox()
        self.condition_field.addItem(_("Every customer"), "")
        for code in visit_rules.CONDITION_FIELDS:
            self.condition_field.addItem(visit_rules.condition_label(code), code)
        self.condition_value = QComboBox()
        self.condition_value.setEditable(True)
        self.condition_value.setMinimumWidth(140)
        row.addWidget(self.condition_field)
        row.addWidget(self.condition_value, 1)
        self.errors.add_row("condition", _("Only when"), condition_row)
        self.errors.widgets["condition"] = self.condition_value
        self.repeat = self._spin(0, 120)
        self.errors.add_row("repeat_months", _("Repeat every (months)"), self.repeat)
        self.off = QCheckBox(_("Switched off (makes no new calls)"))
        form.addRow("", self.off)
        body.addWidget(form_holder, 1)
        layout.addWidget(self.message)
        if not self.may_change:
            layout.addWidget(QLabel(_("Only the manager may change the return-visit rules.")))

        self.start.currentIndexChanged.connect(self._enable)
        self.condition_field.currentIndexChanged.connect(self._fill_values)
        self.days.valueChanged.connect(self._follow_days)
        for widget in self._inputs():
            widget.setEnabled(self.may_change)
        self.add_button.setEnabled(self.may_change)
        self.defaults_button.setEnabled(self.may_change)
        self._fill_list()

    # --- building ---------------------------------------------------------------------------

    def _spin(self, low: int, high: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setMaximumWidth(120)
        return spin

    def _inputs(self) -> list[QWidget]:
        return [
            self.name,
            self.kind,
            self.start,
            *self.event_boxes.values(),
            self.days,
            self.months,
            self.window_end,
            self.condition_field,
            self.condition_value,
            self.repeat,
            self.off,
        ]

    def _fill_list(self, select: int = 0) -> None:
        self.current = -1
        self.rule_list.blockSignals(True)
        self.rule_list.clear()
        for spec in self.specs:
            self.rule_list.addItem(QListWidgetItem(rule_title(spec)))
        self.rule_list.blockSignals(False)
        if self.specs:
            self.rule_list.setCurrentRow(min(select, len(self.specs) - 1))

    def _fill_values(self) -> None:
        """The condition's choices follow its field: classes, levels, or free text."""
        typed = self.condition_value.currentText()
        self.condition_value.clear()
        field = self.condition_field.currentData()
        if field == "class":
            for code, text in customers.CLASSES.items():
                self.condition_value.addItem(_(text), code)
        elif field == "level":
            for level in members.levels():
                self.condition_value.addItem(level.name, level.code)
        elif field == "source":
            self.condition_value.addItem("二级网点", "二级网点")
            self.condition_value.setEditText(typed)
        elif field == "amount":
            self.condition_value.setEditText(typed)
        self.condition_value.setEnabled(self.may_change and bool(field))

    def _enable(self) -> None:
        start = self.start.currentData()
        for box in self.event_boxes.values():
            box.setEnabled(self.may_change and start == "event")
        self.months.setEnabled(self.may_change and start != "calendar")
        self.repeat.setEnabled(self.may_change and start == "calendar")

    def _follow_days(self, value: int) -> None:
        """A window that ended on the old due day moves with it."""
        if self.window_end.value() < value:
            self.window_end.setValue(value)

    # --- the chosen rule ----------------------------------------------------------------------

    def _select(self, row: int) -> None:
        if 0 <= self.current < len(self.specs):
            self._store(self.current)
            self.rule_list.item(self.current).setText(rule_title(self.specs[self.current]))
        self.current = row
        if 0 <= row < len(self.specs):
            self._load(self.specs[row])
        self.errors.clear()

    def _load(self, spec: dict[str, Any]) -> None:
        self.name.setText(spec.get("name") or "")
        self.kind.setCurrentIndex(max(0, self.kind.findData(spec.get("kind"))))
        self.start.setCurrentIndex(max(0, self.start.findData(spec.get("start") or "event")))
        for code, box in self.event_boxes.items():
            box.setChecked(code in (spec.get("events") or ()))
        self.days.blockSignals(True)
        self.days.setValue(int(spec.get("days") or 0))
        self.days.blockSignals(False)
        self.months.setValue(int(spec.get("months") or 0))
        window = spec.get("window_end")
        self.window_end.setValue(int(window if window is not None else spec.get("days") or 0))
        condition = spec.get("condition") or {}
        self.condition_field.setCurrentIndex(
            max(0, self.condition_field.findData(condition.get("field") or ""))
        )
        self._fill_values()
        value = str(condition.get("value") or "")
        found = self.condition_value.findData(value)
        if found >= 0:
            self.condition_value.setCurrentIndex(found)
        else:
            self.condition_value.setEditText(value)
        self.repeat.setValue(int(spec.get("repeat_months") or 0))
        self.off.setChecked(bool(spec.get("off")))
        self._enable()

    def _condition(self) -> dict[str, str] | None:
        field = self.condition_field.currentData()
        if not field:
            return None
        text = self.condition_value.currentText().strip()
        index = self.condition_value.findText(text, Qt.MatchFlag.MatchExactly)
        value = self.condition_value.itemData(index) if index >= 0 else text
        return {"field": field, "value": str(value or "")}

    def _store(self, row: int) -> None:
        spec = self.specs[row]
        start = self.start.currentData()
        spec.update(
            name=self.name.text().strip(),
            kind=self.kind.currentData(),
            start=start,
            events=[code for code, box in self.event_boxes.items() if box.isChecked()]
            if start == "event"
            else [],
            days=self.days.value(),
            months=self.months.value() if start != "calendar" else 0,
            window_end=self.window_end.value(),
            condition=self._condition(),
            repeat_months=self.repeat.value() if start == "calendar" else 0,
            off=self.off.isChecked(),
        )

    def add_rule(self) -> None:
        """A new rule, a care call every quarter to start from; the form is then the clerk's."""
        if 0 <= self.current < len(self.specs):
            self._store(self.current)
        self.specs.append(
            {
                "kind": "care",
                "start": "calendar",
                "days": 1,
                "window_end": 30,
                "repeat_months": 3,
                "events": [],
                "condition": None,
            }
        )
        self._fill_list(len(self.specs) - 1)
        self.name.setFocus()

    def restore_defaults(self) -> None:
        self.specs = copy.deepcopy(settings.DEFAULTS["visits.rules"])
        self._fill_list()

    # --- saving -------------------------------------------------------------------------------

    def changed(self) -> bool:
        """Whether the rules as typed differ from the stored ones (the order in which a rule's
        events are ticked aside), so an untouched page stores and re-plans nothing."""
        if 0 <= self.current < len(self.specs):
            self._store(self.current)
        try:
            typed = visits.check_rules(self.specs)
        except ValidationError:
            return True  # refused by validate(), with its messages
        return _comparable(typed) != _comparable(visits.rule_specs())

    def validate(self) -> bool:
        """Check the rules as typed without storing them; False (messages shown) when refused."""
        return not self.changed() or self.attempt(lambda: visits.check_rules(self.specs))

    def save(self) -> bool:
        """Store the rules when they changed; False (and the messages shown) when refused."""
        return not self.changed() or self.attempt(self._save_rules)

    def _save_rules(self) -> None:
        self.result = visits.save_rules(self.context.staff, self.specs)

    def show_refusal(self, error: ValidationError) -> None:
        """Go to the first rule with a problem and show its messages next to their fields."""
        by_rule: dict[int, dict[str, str]] = {}
        for key, text in error.errors.items():
            index, _sep, field = key.partition(".")
            if index.isdigit():
                by_rule.setdefault(int(index), {})[field] = text
        if not by_rule:
            self.message.setText("\n".join(error.errors.values()))
            self.message.show()
            return
        first = min(by_rule)
        self.rule_list.setCurrentRow(first)
        unplaced = self.errors.show(ValidationError(by_rule[first]))
        others = sorted(set(by_rule) - {first})
        if others:
            unplaced.append(
                _("Rules {numbers} also need a look.").format(
                    numbers="、".join(str(n + 1) for n in others)
                )
            )
        if unplaced:
            self.message.setText("\n".join(unplaced))
            self.message.show()

    def summary(self) -> str:
        """What saving did to the open calls, for the status bar."""
        if self.result is None:
            return ""
        return _(
            "Return-visit rules saved: {moved} calls moved, {cancelled} cancelled, {created} new."
        ).format(
            moved=self.result.moved, cancelled=self.result.cancelled, created=self.result.created
        )

"""What every area page of the settings dialog shares: the manager alone changes it;
``validate()`` checks what was typed without storing, ``save()`` stores; both show the domain's
refusal next to its fields, or on the page's message line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from csoffice import auth, office_rules
from csoffice.errors import CsofficeError, ValidationError
from csoffice.ui.context import AppContext
from csoffice.ui.widgets.form import FieldErrors, message_label


class SettingsPage(QWidget):
    errors: FieldErrors

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.may_change = auth.can(context.staff, "change_settings")
        self.message = message_label()

    def validate(self) -> bool:
        """Check what was typed without storing it; False with the refusal shown."""
        raise NotImplementedError

    def save(self) -> bool:
        """Store what was typed; False with the refusal shown."""
        raise NotImplementedError

    def show_refusal(self, error: ValidationError) -> None:
        """Each message next to its field; those with no field here on the message line."""
        unplaced = self.errors.show(error)
        if unplaced:
            self.message.setText("\n".join(unplaced))
            self.message.show()

    def attempt(self, work: Callable[[], object]) -> bool:
        """Run ``work`` (a check or a write) for the manager; False with the refusal shown."""
        self.message.hide()
        self.errors.clear()
        if not self.may_change:
            return True
        try:
            work()
        except ValidationError as exc:
            self.show_refusal(exc)
            return False
        except CsofficeError as exc:
            self.message.setText(str(exc))
            self.message.show()
            return False
        return True


class RulesPage(SettingsPage):
    """A page of office rules checked and stored by csoffice.office_rules: ``typed()`` gives
    the settings as typed; nothing is stored while any is refused."""

    saved_keys: list[str]

    def begin(self, intro: str) -> QFormLayout:
        """The page's explanation on top, then its form (each field with its error line)."""
        layout = QVBoxLayout(self)
        label = QLabel(intro)
        label.setWordWrap(True)
        layout.addWidget(label)
        form = QFormLayout()
        layout.addLayout(form)
        self.errors = FieldErrors(form)
        return form

    def finish(self, widgets: list[QWidget], notice: str) -> None:
        """The message line under the form; the fields locked for all but the manager."""
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.addWidget(self.message)
            layout.addStretch(1)
        self.lock(widgets, notice)

    def typed(self) -> dict[str, Any]:
        raise NotImplementedError

    def validate(self) -> bool:
        return self.attempt(lambda: office_rules.check(self.typed()))

    def save(self) -> bool:
        return self.attempt(self._store)

    def _store(self) -> None:
        self.saved_keys = office_rules.save(self.context.staff, self.typed())

    def lock(self, widgets: list[QWidget], notice: str) -> None:
        """Only the manager changes the rules: the fields are shown, not editable."""
        for widget in widgets:
            widget.setEnabled(self.may_change)
        if not self.may_change:
            self.notice = QLabel(notice)
            self.notice.setWordWrap(True)
            layout = self.layout()
            if layout is not None:
                layout.addWidget(self.notice)


def spin(low: int, high: int, suffix: str = "") -> QSpinBox:
    """A number field that takes any number typed, so the page's check can say what is wrong."""
    box = QSpinBox()
    box.setRange(low, high)
    box.setMaximumWidth(160)
    if suffix:
        box.setSuffix(suffix)
    return box

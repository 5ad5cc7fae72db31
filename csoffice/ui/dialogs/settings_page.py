"""What every area page of the settings dialog shares: the manager alone changes it;
``validate()`` checks what was typed without storing, ``save()`` stores; both show the domain's
refusal next to its fields, or on the page's message line."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from csoffice import auth
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

    def show_refusal(self, error: ValidationError) -> None:
        self.errors.show(error)

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

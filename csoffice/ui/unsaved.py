"""One rule for unsaved work: a form that edits a record asks before typed changes are thrown
away (Esc, Close, the window's close button, closing the main window, signing out). The idle
lock only hides the windows, so it keeps them as they are."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from csoffice.i18n import _

_GUARDS: weakref.WeakSet[UnsavedGuard] = weakref.WeakSet()


def _value(widget: QWidget) -> object:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText() if widget.isEditable() else "")
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime().toString("yyyy-MM-dd HH:mm")
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return widget.isChecked()
    return None


_INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton)


class UnsavedGuard(QObject):
    """Watches the inputs inside ``containers`` (or those ``inputs`` returns): ``mark_clean``
    after loading or saving, ``dirty`` when anything differs since."""

    def __init__(
        self,
        owner: QWidget,
        containers: Iterable[QWidget] = (),
        inputs: Callable[[], Iterable[QWidget]] | None = None,
    ):
        super().__init__(owner)
        self.owner = owner
        self.containers = list(containers)
        self._inputs = inputs
        self._clean: tuple = ()
        self.question: QMessageBox | None = None
        self._shown = False
        _GUARDS.add(self)
        self.mark_clean()
        owner.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # What the form holds when it is first shown is the saved state (subclasses and
        # loaders fill their fields after the guard is made).
        if watched is self.owner and event.type() == QEvent.Type.Show and not self._shown:
            self._shown = True
            self.mark_clean()
        return False

    def _widgets(self) -> list[QWidget]:
        if self._inputs is not None:
            return list(self._inputs())
        found: list[QWidget] = []
        for container in self.containers:
            for widget in container.findChildren(QWidget):
                if isinstance(widget, _INPUTS) and not isinstance(widget.parent(), QComboBox):
                    if isinstance(widget, QAbstractButton) and not widget.isCheckable():
                        continue
                    if isinstance(widget, QLineEdit) and isinstance(
                        widget.parent(), (QComboBox, QAbstractSpinBox)
                    ):
                        continue
                    found.append(widget)
        return found

    def snapshot(self) -> tuple:
        return tuple(_value(widget) for widget in self._widgets())

    def mark_clean(self) -> None:
        self._clean = self.snapshot()

    def dirty(self) -> bool:
        return self.snapshot() != self._clean

    def watch_new_inputs(self) -> None:
        """Inputs made since in the last container (a panel built on first use) count as
        clean as they are; what was typed in the others stays a change."""
        now = self.snapshot()
        self._clean = self._clean + now[len(self._clean) :]

    def confirm(self, discard: Callable[[], None]) -> QMessageBox | None:
        """Call ``discard`` now when nothing was typed; otherwise ask first (shown, not exec'd:
        Enter discards, Esc keeps editing)."""
        if not self.dirty():
            discard()
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Unsaved changes"),
            _("What you typed here is not saved yet. Discard it?"),
            QMessageBox.StandardButton.NoButton,
            self.owner,
        )
        box.setObjectName("unsavedQuestion")
        drop = box.addButton(_("Discard the changes"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(drop)
        box.setEscapeButton(keep)

        was = QApplication.focusWidget()

        def answered(button) -> None:
            if button is drop:
                self.mark_clean()
                discard()
            elif was is not None:
                was.window().activateWindow()
                was.setFocus(Qt.FocusReason.OtherFocusReason)  # back where the clerk typed

        box.buttonClicked.connect(answered)
        box.open()
        self.question = box
        return box


def dirty_guards(within: QWidget | None = None) -> list[UnsavedGuard]:
    """The guards with unsaved changes in open forms (inside ``within``, when given)."""
    found = []
    for guard in list(_GUARDS):
        try:
            owner = guard.owner
            if within is not None and not _inside(owner, within):
                continue
            if owner.window().isVisible() and guard.dirty():
                found.append(guard)
        except RuntimeError:  # the widget is gone
            continue
    return found


def _inside(widget: QObject | None, ancestor: QObject) -> bool:
    """Parent chain across windows too (QWidget.isAncestorOf stops at a dialog)."""
    while widget is not None:
        if widget is ancestor:
            return True
        widget = widget.parent()
    return False


def confirm_all(within: QWidget, proceed: Callable[[], object]) -> bool:
    """Ask about the first form with unsaved changes; ``proceed`` runs once every one was
    discarded. Returns True when nothing had to be asked."""
    guards = dirty_guards(within)
    if not guards:
        return True
    guard = guards[0]
    guard.owner.window().raise_()

    def next_one() -> None:
        if confirm_all(within, proceed):
            proceed()

    guard.confirm(next_one)
    return False

"""The desk's keys: every dialog opens with the cursor in its first input, Ctrl+1…7 and Ctrl+F
land in a tab's search box, Ctrl+P prints what is shown, F1 opens the tab's help; and a busy
cursor while the UI thread works."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol, runtime_checkable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from csoffice.i18n import _

_TEXT_INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox)


_xcb_flush: Callable[[], object] | None = None


def _flush_window_system() -> None:
    """Send the cursor change to the X server now (about 0.1 ms): Qt would send it only when
    the event loop turns, after the work. Windows and macOS change the cursor at once."""
    global _xcb_flush
    app = QApplication.instance()
    if not isinstance(app, QGuiApplication) or app.platformName() != "xcb":
        return
    if _xcb_flush is None:
        try:
            import ctypes

            library = ctypes.CDLL("libxcb.so.1")
            library.xcb_flush.argtypes = [ctypes.c_void_p]
            connection = app.nativeInterface().connection()  # pyright: ignore[reportAttributeAccessIssue]  # the stubs type it object; on xcb it is QX11Application
            _xcb_flush = lambda: library.xcb_flush(connection)  # noqa: E731
        except (OSError, AttributeError):
            _xcb_flush = lambda: None  # noqa: E731
    _xcb_flush()


@contextmanager
def busy() -> Iterator[None]:
    """The wait cursor while the block runs (the window system is told at once, as the
    event loop that would pass it on is busy with the block): quick work ends before the
    screen shows it, slow work shows it."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    _flush_window_system()
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def first_input(container: QWidget) -> QWidget | None:
    """The first enabled, visible, editable input of ``container`` in its Tab order."""
    start = container
    widget = container.nextInFocusChain()
    seen = 0
    while widget is not None and widget is not start and seen < 500:
        seen += 1
        if (
            container.isAncestorOf(widget)
            and widget.isVisibleTo(container)
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and isinstance(widget, _TEXT_INPUTS)
            and not (isinstance(widget, QLineEdit) and widget.isReadOnly())
            and not (isinstance(widget, QLineEdit) and isinstance(widget.parent(), QComboBox))
        ):
            return widget
        widget = widget.nextInFocusChain()
    return None


def _focus_is_in_input(dialog: QWidget) -> bool:
    focus = QApplication.focusWidget()
    if focus is None or focus.window() is not dialog:
        focus = dialog.focusWidget()
    return focus is not None and isinstance(focus, (*_TEXT_INPUTS, QAbstractItemView))


class DeskDialog(QDialog):
    """The base of the desk's dialogs: shown whole on the screen, and when shown with the
    focus on a button (or nowhere) the cursor goes to the first input, so what the clerk
    types lands in the form and Enter does not press Cancel. A dialog that put the cursor
    somewhere itself keeps it. (A filter on the whole application did this once: every
    event of the desk then passed through Python, a tenth of the time a form took to build.)
    Qt's own dialogs (message boxes, the file and print dialogs) place their cursor
    themselves."""

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.isWindow():
            from csoffice.ui.screens import clamp_to_screen

            clamp_to_screen(self)  # a big form on a small or scaled screen stays on it
            QTimer.singleShot(0, self, self._settle)

    def _settle(self) -> None:
        try:
            if not self.isVisible() or _focus_is_in_input(self):
                return
        except RuntimeError:  # closed and deleted before the event loop came back
            return
        target = first_input(self)
        if target is not None:
            target.setFocus(Qt.FocusReason.PopupFocusReason)
            if isinstance(target, QLineEdit):
                target.selectAll()


# --- the tabs' search boxes and print actions --------------------------------------------------


@runtime_checkable
class SearchingPage(Protocol):
    """A tab that says where Ctrl+1…7 and Ctrl+F put the cursor (its search box)."""

    def search_box(self) -> QWidget | None: ...


@runtime_checkable
class PrintingPage(Protocol):
    """A tab with its own Ctrl+P: one thin call into the tab's print action."""

    def print_tab(self) -> object: ...


@runtime_checkable
class PrintingDialog(Protocol):
    """An open record's window that prints the record on Ctrl+P."""

    def print_current(self) -> object: ...


def search_box(page: QWidget) -> QWidget | None:
    return page.search_box() if isinstance(page, SearchingPage) else None


def focus_search(page: QWidget) -> None:
    """Put the cursor in the tab's search box (its first input when it has none)."""
    box = search_box(page) or first_input(page) or page
    box.setFocus(Qt.FocusReason.ShortcutFocusReason)
    if isinstance(box, QLineEdit):
        box.selectAll()


def print_current(page: QWidget) -> bool:
    """Ctrl+P: the open record's print (a dialog offering ``print_current``) or the tab's;
    False when the tab has nothing to print."""
    active = QApplication.activeWindow()
    if active is not None and active is not page.window() and isinstance(active, PrintingDialog):
        active.print_current()
        return True
    if not isinstance(page, PrintingPage):
        return False
    page.print_tab()
    return True


def shortcut(
    parent: QWidget,
    keys: QKeySequence | QKeySequence.StandardKey | str,
    slot: Callable[[], object],
) -> QShortcut:
    """An application-wide shortcut (it works in the tab's dialogs too)."""
    sequence = keys if isinstance(keys, QKeySequence) else QKeySequence(keys)
    made = QShortcut(sequence, parent)
    made.setContext(Qt.ShortcutContext.ApplicationShortcut)
    made.activated.connect(slot)
    return made


def nothing_to_print_message() -> str:
    return _("Nothing on this tab prints; open a record or go to Reports.")

"""Some window of the desk is always the active one while the desk is in front.

A window manager gives the focus back to the window below when a dialog closes, and to a window
that was just shown. Without one (a kiosk session, a bare X server, some remote desktops) X gives
it to nobody: the main window shown after the sign-in, or again after the lock screen, takes no
shortcut (Ctrl+Q, Ctrl+L, Ctrl+1…7 all need an active window) until it is clicked. So when the
window that had the focus goes away and no window has it, the one the clerk used before it is
activated, as a window manager would."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QWindow
from shiboken6 import isValid

# Windows that take no focus of their own.
_PASSING = {
    Qt.WindowType.Popup,
    Qt.WindowType.ToolTip,
    Qt.WindowType.SplashScreen,
}


class FocusKeeper(QObject):
    """Remembers the order the desk's windows had the focus in; when the focused window hides
    and no other window takes the focus, activates the last one still on screen."""

    def __init__(self, app: QGuiApplication):
        super().__init__(app)
        self.app = app
        self.order: list[QWindow] = []  # the last one had the focus last
        self.watched: set[int] = set()
        app.focusWindowChanged.connect(self._focus_changed)

    def _focus_changed(self, window: QWindow | None) -> None:
        self.order = [known for known in self.order if isValid(known) and known is not window]
        if window is None:
            return
        self.order.append(window)
        del self.order[:-20]
        if id(window) not in self.watched:
            self.watched.add(id(window))
            window.visibleChanged.connect(
                lambda visible, window=window: self._shown(window, visible)
            )
            window.destroyed.connect(lambda: self.watched.discard(id(window)))

    def _shown(self, window: QWindow, visible: bool) -> None:
        # Only the window that has the focus hiding leaves the desk without one; when the
        # desk is behind another program (no focus window), a window closing changes nothing.
        focus = self.app.focusWindow()
        if not visible and (focus is None or focus is window):
            # A window manager, if there is one, answers within this turn.
            QTimer.singleShot(0, self.mend)

    def mend(self) -> QWindow | None:
        """Activate the window that should have the focus when none on screen has it; returns
        it."""
        focus = self.app.focusWindow()
        if focus is not None and _usable(focus):
            return None
        target = self._next_window()
        if target is not None:
            target.requestActivate()
        return target

    def _next_window(self) -> QWindow | None:
        modal = self.app.modalWindow()
        if modal is not None and _usable(modal):
            return modal
        for known in reversed(self.order):
            if _usable(known):
                return known
        # Never focused yet (the main window shown as the sign-in closed): the one on screen.
        shown = [window for window in self.app.topLevelWindows() if _usable(window)]
        return shown[-1] if shown else None


def _usable(window: QWindow) -> bool:
    return (
        isValid(window)
        and window.isVisible()
        and window.type() not in _PASSING
        and not window.flags() & Qt.WindowType.WindowDoesNotAcceptFocus
    )


_keeper: FocusKeeper | None = None


def keep_a_window_active(app: QGuiApplication) -> FocusKeeper:
    """Once per application (see the module's docstring)."""
    global _keeper
    if _keeper is None or not isValid(_keeper):
        _keeper = FocusKeeper(app)
    return _keeper

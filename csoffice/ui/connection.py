"""The database server's reachability on screen: a line in the status bar, and a banner across
the window while the server is gone (what was typed stays in the open forms; the desk keeps
trying in the background). A form whose save failed for a lost connection is told when the
server is back, so the clerk saves again knowing it will reach the database.

Fed by ``csoffice.db.link`` (the live-updates listener and the desk's own statements report to
it) through a Qt signal, so its listeners run on the UI thread.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar, QWidget

from csoffice.i18n import _, format_time
from csoffice.live_updates import LinkState, link, lost_connection

_LOST_STYLE = "background: #b3261e; color: white; padding: 6px 10px; font-weight: bold;"
_BACK_STYLE = "background: #1b5e20; color: white; padding: 6px 10px;"
BACK_SHOWN_MS = 6000  # how long "the connection is back" stays on the banner


class LinkBridge(QObject):
    """``changed(up)`` on the UI thread whenever the server is lost or back."""

    changed = Signal(bool)

    def __init__(self, state: LinkState = link, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._unsubscribe = state.subscribe(self.changed.emit)
        self.destroyed.connect(lambda *_: self._unsubscribe())


_SHOWN: weakref.WeakSet[ConnectionStatus] = weakref.WeakSet()


class ConnectionStatus(QObject):
    """The status-bar line and the banner of one main window (PostgreSQL only)."""

    def __init__(self, window: QMainWindow, server: str, state: LinkState = link) -> None:
        super().__init__(window)
        _SHOWN.add(self)
        self.server = server
        self.state = state
        self.line = QLabel()
        self.line.setObjectName("connectionStatus")
        window.statusBar().addPermanentWidget(self.line)
        self.banner = QLabel()
        self.banner.setObjectName("connectionBanner")
        # One line across the window: in a toolbar a wrapping label stays narrow and tall.
        self.banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.bar = QToolBar(_("Connection"))
        self.bar.setObjectName("connectionBar")
        self.bar.setMovable(False)
        self.bar.setFloatable(False)
        self.bar.toggleViewAction().setVisible(False)  # not a toolbar the clerk hides
        self.bar.addWidget(self.banner)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self._hide_later = QTimer(self)
        self._hide_later.setSingleShot(True)
        self._hide_later.timeout.connect(self.bar.hide)
        self.bridge = LinkBridge(state, self)
        self.bridge.changed.connect(self.show_state)
        self.show_state(state.up, first=True)

    def show_state(self, up: bool, first: bool = False) -> None:
        if up:
            self.line.setText(_("Server connected"))
            self.line.setStyleSheet("color: #5f6368;")
            if first:
                self.bar.hide()
                return
            self.banner.setText(
                _("The connection to the server is back. Anything not saved yet can be saved now.")
            )
            self.banner.setStyleSheet(_BACK_STYLE)
            self.bar.show()
            self._hide_later.start(BACK_SHOWN_MS)
            return
        self._hide_later.stop()
        since = format_time(self.state.since) if self.state.since else ""
        self.line.setText(_("Server unreachable since {time}: retrying…").format(time=since))
        self.line.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.banner.setText(
            _(
                "The database server {server} cannot be reached: nothing can be saved until it "
                "is back. What you typed stays in the open forms; retrying…"
            ).format(server=self.server)
        )
        self.banner.setStyleSheet(_LOST_STYLE)
        self.bar.show()


def said_on_screen(error: BaseException) -> bool:
    """Whether ``error`` is a lost server that an open window's banner already shows (a list
    that could not load meanwhile needs no message box of its own)."""
    if not lost_connection(error) or link.up:
        return False
    for status in list(_SHOWN):
        try:
            if status.bar.isVisible():
                return True
        except RuntimeError:  # its window is gone
            continue
    return False


def install(window: QMainWindow, kind: str, server: str) -> ConnectionStatus | None:
    """The main window's connection line and banner; a SQLite file has no server to lose."""
    if kind != "postgresql":
        return None
    return ConnectionStatus(window, server)


def tell_when_back(owner: QWidget, show: Callable[[str], None], state: LinkState = link) -> None:
    """After a save failed for a lost connection: when the server is back, ``show`` a line
    saying so (once), so the clerk saves again. Nothing is saved by itself: a save whose
    answer was lost may have been kept, and only the clerk can tell a second one is wanted."""
    bridge = LinkBridge(state, owner)

    def back(up: bool) -> None:
        if up:
            show(
                _(
                    "The connection to the server is back. Nothing of this form was saved yet: "
                    "press Save again."
                )
            )
            bridge.deleteLater()

    bridge.changed.connect(back)
    if state.up:  # a blip: the failed save's own reconnect worked; its message says enough
        bridge.deleteLater()

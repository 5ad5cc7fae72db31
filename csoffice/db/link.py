"""Whether this desk reaches its database server right now, for the screen to say so.

Two witnesses report: the live-updates listener (csoffice.db.notify), which holds a connection
of its own and reconnects with back-off, and the desk's own statements (csoffice.db.database),
which notice a lost connection the moment a save fails. ``up`` turns False on either's loss and
True again when either reaches the server. Subscribers are called on the reporting thread, so a
screen bridges them to its own thread. A SQLite file has no server: nothing reports, ``up``
stays True.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

Listener = Callable[[bool], None]


class LinkState:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._up = True
        self.since: dt.datetime | None = None  # when the server was lost (None while up)
        self.reason = ""
        self._listeners: list[Listener] = []

    @property
    def up(self) -> bool:
        return self._up

    def report(self, up: bool, reason: str = "") -> None:
        """A witness reached the server (``up``) or lost it; listeners hear only a change."""
        with self._lock:
            if up == self._up:
                return
            self._up = up
            self.since = None if up else dt.datetime.now()
            self.reason = "" if up else reason
            listeners = list(self._listeners)
        log.warning(
            "database server %s%s",
            "reachable again" if up else "lost",
            f": {reason}" if reason else "",
        )
        for listener in listeners:
            try:
                listener(up)
            except Exception:  # a screen's fault must not stop the reporting
                log.exception("a link listener failed")

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(up)`` on every change; returns the unsubscribe function."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe


link = LinkState()

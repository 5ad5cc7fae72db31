"""What changed in the records, said once by the write that changed it.

Domain write paths call :func:`emit` after their transaction commits; the desk's lists, the
Today board and (on PostgreSQL) the other desks listen through :func:`subscribe`. The hub
knows no Qt: ``csoffice.ui.events`` bridges it to a Qt signal.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable


class Change(enum.StrEnum):
    """The kinds of record a change can concern; the value is what travels between desks."""

    CUSTOMER = "customer"
    RECEPTION = "reception"
    COMPLAINT = "complaint"
    CARD = "card"
    GIFT = "gift"
    GREETING = "greeting"
    VISIT = "visit"
    SERVICE_EVENT = "service_event"
    APPRAISAL = "appraisal"
    REFERRAL = "referral"
    REPORT_NOTE = "report_note"
    ANSWER = "answer"
    STAFF = "staff"
    SETTINGS = "settings"


Listener = Callable[[Change], None]

_listeners: list[Listener] = []
_lock = threading.Lock()


def subscribe(listener: Listener) -> Callable[[], None]:
    """Call ``listener`` on every change from now on; returns the function that stops it."""
    with _lock:
        _listeners.append(listener)

    def unsubscribe() -> None:
        with _lock:
            if listener in _listeners:
                _listeners.remove(listener)

    return unsubscribe


def emit(*kinds: Change) -> None:
    """Tell every listener that records of ``kinds`` changed (once each, in order)."""
    with _lock:
        listeners = list(_listeners)
    for kind in dict.fromkeys(kinds):
        for listener in listeners:
            listener(Change(kind))

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
# Where the change being told came from, for the listener that tells other desks
# (csoffice.db.notify): it sends this desk's changes on, not another desk's, and not twice.
_origin = threading.local()


def subscribe(listener: Listener) -> Callable[[], None]:
    """Call ``listener`` on every change from now on; returns the function that stops it."""
    with _lock:
        _listeners.append(listener)

    def unsubscribe() -> None:
        with _lock:
            if listener in _listeners:
                _listeners.remove(listener)

    return unsubscribe


def emit(*kinds: Change, remote: bool = False, announced: bool = False) -> None:
    """Tell every listener that records of ``kinds`` changed (once each, in order).

    ``remote``: the change was made at another desk (received, not to be sent on);
    ``announced``: this desk's change, already sent to the other desks with its transaction.
    """
    with _lock:
        listeners = list(_listeners)
    previous = (is_remote(), is_announced())
    _origin.remote, _origin.announced = remote, announced or remote
    try:
        for kind in dict.fromkeys(kinds):
            for listener in listeners:
                listener(Change(kind))
    finally:
        _origin.remote, _origin.announced = previous


def is_remote() -> bool:
    """True while listeners are told of a change made at another desk."""
    return getattr(_origin, "remote", False)


def is_announced() -> bool:
    """True while listeners are told of a change the other desks know of already."""
    return getattr(_origin, "announced", False)

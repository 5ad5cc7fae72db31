"""One application-wide signal for 'records changed', so lists and the Today board refresh."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Events(QObject):
    """``changed`` carries the kind of record: customer, reception, complaint, card, visit…"""

    changed = Signal(str)


events = Events()

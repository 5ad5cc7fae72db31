"""The desk's one signal for 'records changed', fed by the domain's change hub.

Domain writes call ``csoffice.changes.emit``; this bridge turns each into ``events.changed``
on the UI thread (a queued signal when the write ran in a worker thread), so lists and the
Today board refresh without the UI saying what it just did.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from csoffice import changes
from csoffice.changes import Change


class Events(QObject):
    """``changed`` carries a :class:`~csoffice.changes.Change` (a str enum)."""

    changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        changes.subscribe(self._forward)

    def _forward(self, kind: Change) -> None:
        self.changed.emit(kind)


events = Events()

"""The desk's one way for a view to follow what changed in the records.

Domain writes say what they changed through ``csoffice.changes.emit``; ``events.changed``
carries it to the UI thread. A view attaches :class:`RefreshOnChange` with the kinds it shows
and its refresh function; the helper then

- ignores the kinds the view does not show;
- coalesces a burst (an import, the demo, a save that touches three kinds) into one refresh,
  called with every kind of the burst;
- defers the refresh of a view that is not on screen (another tab) until it is next shown;
- keeps the clerk's place: the scroll of every list and scroll area in the view, and the
  focus (a :class:`~csoffice.ui.widgets.lazy_table_view.LazyTableView` keeps its own
  selected record by id across the model reset).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QComboBox, QWidget

from csoffice.changes import Change
from csoffice.errors import CsofficeError
from csoffice.live_updates import lost_connection
from csoffice.ui.events import events

Refresh = Callable[[frozenset[Change]], object]  # what it returns is not used

# Long enough to gather the emits of one save or one import batch, short enough to look instant.
COALESCE_MS = 120


class RefreshOnChange(QObject):
    """Refresh ``view`` (through ``refresh(kinds)``) when records of ``kinds`` change.

    ``refresh`` gets the kinds that changed since the last refresh, so a view that does extra
    work for some kinds (reloading a clerk filter on ``Change.STAFF``) knows when to do it.
    The helper is a child of ``view``: it stops listening when the view is deleted.
    """

    def __init__(
        self,
        view: QWidget,
        kinds: Iterable[Change],
        refresh: Refresh,
        delay_ms: int = COALESCE_MS,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.kinds = frozenset(Change(kind) for kind in kinds)
        self._refresh = refresh
        self._pending: set[Change] = set()
        self._stale = False
        self._refreshing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._due)
        view.installEventFilter(self)
        # A bound method of a QObject: Qt disconnects it when the view (our parent) goes.
        events.changed.connect(self._changed)

    @property
    def stale(self) -> bool:
        """True when a change waits for the view to be shown."""
        return self._stale

    @property
    def pending(self) -> frozenset[Change]:
        """The kinds changed and not refreshed yet."""
        return frozenset(self._pending)

    def _changed(self, kind: object) -> None:
        try:
            change = Change(kind)
        except ValueError:
            return  # a kind another (newer) desk knows and this one does not
        if change not in self.kinds or self._refreshing:
            # During its own refresh, a change is the refresh's own write (the Today board
            # scheduling the day's calls): what it reads next already shows it.
            return
        self._pending.add(change)
        if self.view.isVisible():
            self._timer.start()
        else:
            self._stale = True

    def mark_stale(self) -> None:
        """Refresh when next shown (at once, coalesced, when on screen): a view whose first
        reading waits until the clerk looks at it."""
        self._stale = True
        if self.view.isVisible():
            self._timer.start()

    def _due(self) -> None:
        if not self.view.isVisible():
            self._stale = True
            return
        self.flush()

    def flush(self) -> None:
        """Refresh now if a change is pending (a test, or a caller that cannot wait)."""
        if self._pending or self._stale:
            self.refresh_now()

    def refresh_now(self) -> None:
        """Refresh at once, with the kinds pending (maybe none): the view that made a change
        shows it before the next key, and the emit of that write does not refresh it twice."""
        self._timer.stop()
        self._stale = False
        kinds = frozenset(self._pending)
        self._pending.clear()
        self._refreshing = True
        try:
            with kept_place(self.view):
                self._refresh(kinds)
        except CsofficeError as exc:
            if not lost_connection(exc):
                raise
            # The server is gone (the window's banner says so): the view keeps what it shows
            # and reads again once it is back (the desk refreshes everything on reconnecting).
            self._pending |= kinds
            self._stale = True
        finally:
            self._refreshing = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Show and self._stale:
            # Visible already when the show event arrives: the clerk sees the page filled,
            # never its old rows first.
            self.refresh_now()
        return False


@contextmanager
def kept_place(view: QWidget) -> Iterator[None]:
    """Around a refresh: every scroll area in ``view`` back where it was, the focus kept."""
    areas = [view] if isinstance(view, QAbstractScrollArea) else []
    areas += view.findChildren(QAbstractScrollArea)
    scrolls = [
        (area, area.verticalScrollBar().value(), area.horizontalScrollBar().value())
        for area in areas
    ]
    focus = QApplication.focusWidget()
    kept_focus = focus if focus is not None and view.isAncestorOf(focus) else None
    yield
    for area, vertical, horizontal in scrolls:
        if not shiboken6.isValid(area):
            continue  # rebuilt by the refresh
        # A list that lost rows keeps the nearest place it still has.
        area.verticalScrollBar().setValue(vertical)
        area.horizontalScrollBar().setValue(horizontal)
    if (
        kept_focus is not None
        and shiboken6.isValid(kept_focus)
        and QApplication.focusWidget() is not kept_focus
    ):
        kept_focus.setFocus()


def refill(
    combo: QComboBox,
    choices: Iterable[tuple[object, str]],
    leading: Iterable[tuple[object, str]] = (),
) -> None:
    """Fill a filter's ``combo`` afresh with ``leading`` then ``choices`` (each ``(data,
    label)``), keeping what the clerk had chosen when it is still offered; the change of items
    signals nothing (the list refreshes once, after)."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for data, label in (*leading, *choices):
        combo.addItem(label, data)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)

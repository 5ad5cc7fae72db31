"""Other desks' changes, heard in the background and told to this desk's change hub.

:func:`start` picks the listener for the open database (PostgreSQL: LISTEN/NOTIFY; SQLite:
the data version polled once a second) and hands every kind another desk changed to
``csoffice.changes.emit(..., remote=True)``, so the lists and the Today board refresh as for
the desk's own writes. The hub's listeners are then called on the listener's thread: the Qt
bridge (csoffice.ui.events) queues them to the UI thread. On PostgreSQL the listener also tells
``csoffice.db.link`` when the server is lost and when it is back (the screen shows it).
"""

from __future__ import annotations

from csoffice import changes
from csoffice.changes import Change
from csoffice.db.errors import ConnectionLost
from csoffice.db.link import LinkState, link
from csoffice.db.notify import PostgresListener, SqlitePoller
from csoffice.db.target import DatabaseTarget


def tell_hub(kinds: frozenset[Change]) -> None:
    """Another desk changed ``kinds``: tell this desk (in a stable order)."""
    changes.emit(*sorted(kinds), remote=True)


def start(target: DatabaseTarget) -> PostgresListener | SqlitePoller:
    """Start hearing the other desks on ``target``; ``stop()`` the result when closing."""
    if target.kind == "postgresql":
        listener: PostgresListener | SqlitePoller = PostgresListener(target.url, tell_hub, link)
    else:
        assert target.path is not None  # a SQLite target is a file
        listener = SqlitePoller(target.path, tell_hub)
    listener.start()
    return listener


def lost_connection(error: BaseException) -> bool:
    """Whether a save failed because the database server could not be reached."""
    return isinstance(error, ConnectionLost)


__all__ = ["LinkState", "link", "lost_connection", "start", "tell_hub"]

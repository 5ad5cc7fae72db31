"""What the desk needs of the database layer, so the UI never imports ``csoffice.db``:
whether a database location is valid and answers, a driver's error in the app's own words,
and releasing a worker thread's connection when its work ends."""

from __future__ import annotations

from csoffice.db.database import connect, db
from csoffice.db.errors import translate
from csoffice.db.target import parse_target
from csoffice.errors import CsofficeError


def check_location(url: str) -> None:
    """Raise DatabaseError if ``url`` (a file path, ``sqlite:///…`` or ``postgresql://…``) is
    not a database location csoffice can use; empty means the data folder's file."""
    parse_target(url or None)


def try_location(url: str) -> None:
    """Open the database at ``url`` and close it again; a DatabaseError (or StorageError)
    says in the user's language why it does not answer. Nothing is bound or migrated."""
    connect(parse_target(url or None)).close()


def known_error(exc: BaseException) -> CsofficeError | None:
    """``exc`` as the app's typed error (busy, disk full, connection lost…), if it is a
    database fault or already a CsofficeError; None for any other failure."""
    typed = translate(exc)
    if typed is not None:
        return typed
    return exc if isinstance(exc, CsofficeError) else None


def release_thread_connection() -> None:
    """Close the calling thread's own connection, if it opened one (a worker thread's)."""
    if not db.is_closed():
        db.close()

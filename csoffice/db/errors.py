"""The one place where driver errors (sqlite3, psycopg2, as peewee wraps them) become the
app's own typed errors, each with a message in the user's language.

The typed errors are also the peewee error they replace (a ``DuplicateRecord`` is still a
``peewee.IntegrityError``), so code that catches peewee's classes keeps working.
"""

from __future__ import annotations

import errno
import sqlite3

import peewee

from csoffice.errors import DatabaseError
from csoffice.i18n import N_, _


class StorageError(DatabaseError):
    """The database refused or failed a read or a write; nothing of that write was kept.

    ``exit_status`` is what the command line exits with: 1 (try again / free space) or
    2 (the database itself is unusable)."""

    exit_status = 1
    default_text = N_("The database could not complete the action; nothing was saved.")

    def __init__(self, message: str = "", detail: str = ""):
        super().__init__(message or _(self.default_text))
        self.detail = detail  # the driver's own words, for the log


class DatabaseBusy(StorageError, peewee.OperationalError):
    """Another desk or process held the write lock longer than we wait."""

    default_text = N_(
        "The database is busy: another desk or an import is saving. Nothing was saved; "
        "try again in a moment."
    )


class DiskFull(StorageError, peewee.OperationalError):
    default_text = N_(
        "The disk that holds the database is full. Nothing was saved; free some space "
        "and try again."
    )


class DiskIOError(StorageError, peewee.OperationalError):
    default_text = N_(
        "The database file could not be read or written (a disk or network fault). "
        "Nothing was saved; check the disk and try again."
    )


class ReadOnlyDatabase(StorageError, peewee.OperationalError):
    exit_status = 2

    default_text = N_(
        "The database cannot be written (a write-protected disk, or no permission on "
        "the file or its folder). Nothing was saved."
    )


class CorruptDatabase(StorageError, peewee.DatabaseError):
    exit_status = 2

    default_text = N_(
        "The database file is damaged. Nothing was saved; restore the latest backup "
        "(File ▸ Restore) or run “csoffice check”."
    )


class DuplicateRecord(StorageError, peewee.IntegrityError):
    """A unique key taken by another desk between our check and our write."""

    default_text = N_(
        "Someone else saved the same record at the same moment. Nothing was saved; "
        "check the entry and save again."
    )


class ConnectionLost(StorageError, peewee.OperationalError):
    default_text = N_(
        "The connection to the database server was lost. Nothing was saved; check the "
        "network and try again."
    )


class NetworkShareRefused(DatabaseError):
    """A SQLite file on SMB/NFS: WAL's shared memory does not work across PCs."""


# SQLite's primary result codes, by name (Python 3.11 names them on the exception).
_SQLITE_KINDS: dict[str, type[StorageError]] = {
    "SQLITE_BUSY": DatabaseBusy,
    "SQLITE_LOCKED": DatabaseBusy,
    "SQLITE_FULL": DiskFull,
    "SQLITE_IOERR": DiskIOError,
    "SQLITE_READONLY": ReadOnlyDatabase,
    "SQLITE_CORRUPT": CorruptDatabase,
    "SQLITE_NOTADB": CorruptDatabase,
}
# The same, for drivers that give only a message.
_SQLITE_TEXTS: tuple[tuple[str, type[StorageError]], ...] = (
    ("database is locked", DatabaseBusy),
    ("database table is locked", DatabaseBusy),
    ("database or disk is full", DiskFull),
    ("disk i/o error", DiskIOError),
    ("readonly database", ReadOnlyDatabase),
    ("database disk image is malformed", CorruptDatabase),
    ("file is not a database", CorruptDatabase),
    ("unique constraint failed", DuplicateRecord),
)
# PostgreSQL SQLSTATE codes (class or full code).
_PG_CODES: dict[str, type[StorageError]] = {
    "23505": DuplicateRecord,  # unique_violation
    "40001": DatabaseBusy,  # serialization_failure
    "40P01": DatabaseBusy,  # deadlock_detected
    "55P03": DatabaseBusy,  # lock_not_available
    "57014": DatabaseBusy,  # query_canceled (statement_timeout)
    "53100": DiskFull,  # disk_full
    "58030": DiskIOError,  # io_error
    "25006": ReadOnlyDatabase,  # read_only_sql_transaction
    "XX001": CorruptDatabase,  # data_corrupted
    "XX002": CorruptDatabase,  # index_corrupted
    "57P01": ConnectionLost,  # admin_shutdown
    "57P02": ConnectionLost,  # crash_shutdown
    "57P03": ConnectionLost,  # cannot_connect_now
    "08000": ConnectionLost,
    "08003": ConnectionLost,
    "08006": ConnectionLost,
}


def _driver_error(exc: BaseException) -> BaseException:
    """The driver's exception behind a peewee one (peewee keeps it as ``orig``; a failed
    reconnect inside a statement is wrapped twice, so the chain is followed to its end)."""
    seen = 0
    while isinstance(original := getattr(exc, "orig", None), BaseException) and seen < 5:
        exc, seen = original, seen + 1
    return exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def translate(exc: BaseException) -> StorageError | None:
    """The typed error for a driver (or OS) error, or None if it is none of the known kinds."""
    if isinstance(exc, StorageError):
        return exc
    original = _driver_error(exc)
    detail = _first_line(original)
    if isinstance(original, OSError) and not isinstance(original, sqlite3.Error):
        if original.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return DiskFull(detail=detail)
        if original.errno == errno.EROFS:
            return ReadOnlyDatabase(detail=detail)
        if original.errno == errno.EIO:
            return DiskIOError(detail=detail)
        return None
    if isinstance(original, sqlite3.Error):
        name = getattr(original, "sqlite_errorname", "") or ""
        if name.startswith("SQLITE_CONSTRAINT_UNIQUE") or name == "SQLITE_CONSTRAINT_PRIMARYKEY":
            return DuplicateRecord(detail=detail)
        primary = "_".join(name.split("_")[:2])
        if primary in _SQLITE_KINDS:
            return _SQLITE_KINDS[primary](detail=detail)
        lowered = detail.lower()
        for text, kind in _SQLITE_TEXTS:
            if text in lowered:
                return kind(detail=detail)
        return None
    return _translate_postgres(original, detail)


def _translate_postgres(original: BaseException, detail: str) -> StorageError | None:
    try:
        import psycopg2
    except ImportError:  # pragma: no cover - the driver is pinned
        return None
    if not isinstance(original, psycopg2.Error):
        return None
    code = getattr(original, "pgcode", None) or ""
    if code in _PG_CODES:
        return _PG_CODES[code](detail=detail)
    if isinstance(original, psycopg2.InterfaceError):
        return ConnectionLost(detail=detail)  # "connection already closed"
    if isinstance(original, psycopg2.OperationalError) and not code:
        # No SQLSTATE: the socket went away ("server closed the connection unexpectedly").
        return ConnectionLost(detail=detail)
    return None

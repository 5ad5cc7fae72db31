"""One database handle for the whole process, opened from a URL.

``db`` (from ``csoffice.db.target``, re-exported here) is a peewee DatabaseProxy: models bind
to it at import time and ``open_database`` points it at SQLite (a file path or
``sqlite:///path``) or PostgreSQL (``postgresql://…``) and brings the schema up to date.
"""

from __future__ import annotations

import os
import random
import time
from typing import Any
from urllib.parse import urlparse

import peewee

from csoffice import changes
from csoffice.changes import Change
from csoffice.db import migrations, notify
from csoffice.db.errors import (
    ConnectionLost,
    DatabaseBusy,
    NetworkShareRefused,
    StorageError,
    translate,
)
from csoffice.db.filesystems import network_filesystem
from csoffice.db.link import link
from csoffice.db.target import DatabaseTarget, db, parse_target
from csoffice.errors import DatabaseError
from csoffice.i18n import _

# WAL lets the UI read while a backup or import writes; NORMAL is durable in WAL mode
# except for the last transactions before a power cut, which WAL rolls back cleanly.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
    "cache_size": -131_072,  # 128 MB: a 100,000-customer import keeps its indexes in memory
    "temp_store": "memory",
}


# How long a write waits for its turn in all (BEGIN IMMEDIATE retried within this), before the
# clerk is told the database is busy. SQLite's own busy handler waits inside each attempt.
# A desk's save runs on the UI thread, so the wait stays short: writes (an import's too)
# are short transactions, and the clerk is better told "busy" than left frozen.
WRITE_WAIT_SECONDS = 5.0


def write_wait_seconds() -> float:
    """The bound on a write's wait; CSOFFICE_WRITE_WAIT (seconds) shortens it for tests."""
    try:
        return max(0.0, float(os.environ.get("CSOFFICE_WRITE_WAIT") or WRITE_WAIT_SECONDS))
    except ValueError:
        return WRITE_WAIT_SECONDS


def _typed(exc: Exception) -> Exception:
    """The app's own error for a driver error (or the error itself if it is no known kind)."""
    typed = translate(exc)
    return typed if typed is not None else exc


class _TypedErrorsMixin(peewee.Database):
    """Every statement and COMMIT raises the app's typed errors (BEGIN and ROLLBACK are
    handled by each engine's class)."""

    _state: Any  # peewee's per-thread connection state, which its type stubs leave out

    def execute_sql(self, sql, params=None):
        try:
            return super().execute_sql(sql, params)
        except (peewee.PeeweeException, OSError) as exc:
            typed = _typed(exc)
            if typed is exc:
                raise
            raise typed from exc

    def commit(self):
        try:
            return super().commit()
        except (peewee.PeeweeException, OSError) as exc:
            typed = _typed(exc)
            if typed is exc:
                raise
            raise typed from exc


class OfficeSqliteDatabase(_TypedErrorsMixin, peewee.SqliteDatabase):
    """SQLite where every transaction begins IMMEDIATE: it takes the write lock at its start, so
    a second desk waits its turn (busy_timeout) instead of failing halfway; a bounded retry
    covers the busy cases SQLite's own handler does not wait for."""

    def begin(self, lock_type=None):
        statement = f"BEGIN {lock_type or 'IMMEDIATE'}"
        deadline = time.monotonic() + write_wait_seconds()
        pause = 0.02
        while True:
            try:
                with peewee.__exception_wrapper__:  # pyright: ignore[reportAttributeAccessIssue]
                    self.cursor().execute(statement)
                return
            except peewee.PeeweeException as exc:
                typed = _typed(exc)
                if not isinstance(typed, DatabaseBusy) or time.monotonic() >= deadline:
                    if typed is exc:
                        raise
                    raise typed from exc
            time.sleep(pause * (1 + random.random()))
            pause = min(pause * 2, 0.5)

    def rollback(self):
        conn = self._state.conn
        if conn is not None and not conn.in_transaction:
            return  # SQLite already rolled back (disk full, I/O error): nothing left to undo
        return super().rollback()

    def execute_sql(self, sql, params=None):
        if sql.startswith("ROLLBACK TO SAVEPOINT"):
            conn = self._state.conn
            if conn is not None and not conn.in_transaction:
                return None  # the whole transaction is gone already; its error is on its way
        return super().execute_sql(sql, params)


class OfficePostgresqlDatabase(_TypedErrorsMixin, peewee.PostgresqlDatabase):
    """PostgreSQL with typed errors; a connection the server dropped is reopened for the next
    action (a statement outside a transaction is tried once more on the new connection).
    Whether that worked is told to ``csoffice.db.link`` (the screen shows a lost server)."""

    def begin(self, isolation_level=None):
        try:
            result = super().begin(isolation_level)
        except Exception as exc:
            typed = _typed(exc)
            if typed is exc:
                raise
            if not isinstance(typed, ConnectionLost):
                raise typed from exc
            self._forget_connection()
            return self._once_more(
                lambda: super(OfficePostgresqlDatabase, self).begin(isolation_level)
            )
        if not link.up:
            link.report(True)
        return result

    def _once_more(self, action):
        """``action`` again on a new connection: the server is back, or it is gone."""
        try:
            result = action()
        except Exception as exc:
            typed = _typed(exc)
            if isinstance(typed, ConnectionLost):
                link.report(False, typed.detail)
            raise
        if not link.up:
            link.report(True)
        return result

    def execute_sql(self, sql, params=None):
        if self._state.closed and sql.startswith(("ROLLBACK TO SAVEPOINT", "RELEASE SAVEPOINT")):
            return None  # the connection, and the transaction with it, is gone already
        try:
            return super().execute_sql(sql, params)
        except ConnectionLost as exc:
            self._forget_connection()
            if self.transaction_depth():
                link.report(False, exc.detail)  # the next action's reconnect says if it is back
                raise
        return self._once_more(
            lambda: super(OfficePostgresqlDatabase, self).execute_sql(sql, params)
        )

    def _forget_connection(self) -> None:
        conn = self._state.conn
        depth = self._state.transactions
        try:
            if conn is not None:
                conn.close()
        except Exception:  # already broken: closing is only tidying up
            pass
        self._state.reset()
        self._state.transactions = depth  # the open blocks pop themselves on their way out

    def rollback(self):
        conn = self._state.conn
        if conn is None or getattr(conn, "closed", 0):
            self._forget_connection()
            return None
        try:
            return super().rollback()
        except (peewee.PeeweeException, StorageError):
            self._forget_connection()
            return None


def connect(target: DatabaseTarget) -> peewee.Database:
    """Open a connection to ``target`` without binding it to the proxy."""
    if target.kind == "postgresql":
        parsed = urlparse(target.url)
        try:
            database = OfficePostgresqlDatabase(
                parsed.path.lstrip("/"),
                user=parsed.username,
                password=parsed.password,
                host=parsed.hostname,
                port=parsed.port,
                # A server gone silently is noticed in about 10 s, and a reconnect to an
                # unreachable one gives up after 5 s, instead of freezing the desk for minutes.
                connect_timeout=5,
                keepalives=1,
                keepalives_idle=5,
                keepalives_interval=2,
                keepalives_count=3,
            )
            database.connect()
        except Exception as exc:  # driver missing or server unreachable
            raise DatabaseError(
                _("Cannot connect to the database {name}: {reason}").format(
                    name=target.display, reason=str(exc).strip().splitlines()[0]
                )
            ) from exc
        return database
    assert target.path is not None
    path = target.path
    if path.exists() and path.is_dir():
        raise DatabaseError(_("The database path is a folder: {path}").format(path=path))
    if not path.parent.exists():
        raise DatabaseError(
            _("The database folder does not exist: {path}").format(path=path.parent)
        )
    share = network_filesystem(path.parent)
    if share:
        raise NetworkShareRefused(
            _(
                "The database {path} is on a network share ({kind}). A database file cannot be "
                "shared safely between PCs there, and records could be lost. For several desks "
                "use a PostgreSQL database (Settings ▸ Database); for one desk keep the file on "
                "this PC's own disk."
            ).format(path=path, kind=share)
        )
    pragmas = dict(SQLITE_PRAGMAS)
    pragmas["busy_timeout"] = int(min(SQLITE_PRAGMAS["busy_timeout"], write_wait_seconds() * 1000))
    database = OfficeSqliteDatabase(str(path), pragmas=pragmas, check_same_thread=False)
    try:
        database.connect()
        database.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()  # pyright: ignore[reportOptionalMemberAccess]
    except (peewee.DatabaseError, StorageError) as exc:
        if not database.is_closed():
            database.close()
        typed = translate(exc)
        if isinstance(typed, DatabaseBusy):
            raise typed from exc
        raise DatabaseError(
            _("Cannot open the database {path}: {reason}").format(
                path=path, reason=typed if typed is not None else exc
            )
        ) from exc
    return database


def open_database(
    url: str | os.PathLike[str] | None = None, *, migrate: bool = True
) -> DatabaseTarget:
    """Open the database at ``url``, bind the models to it and bring its schema up to date."""
    target = parse_target(url)
    database = connect(target)
    close_database()
    db.initialize(database)
    if migrate:
        migrations.upgrade(database, target)
        notify.prepare(database)
    return target


def close_database() -> None:
    if db.obj is not None and not db.obj.is_closed():
        db.obj.close()


def is_sqlite() -> bool:
    return isinstance(db.obj, peewee.SqliteDatabase)


def emit_after_commit(*kinds: Change) -> None:
    """Tell the change hub that records of ``kinds`` changed once the enclosing transaction
    commits (at once outside one): a write nested in a caller's transaction is not announced
    before it is kept, and never if that transaction rolls back. Inside a transaction the
    other desks are told in it too (csoffice.db.notify), so they hear of it on commit only."""
    if db.obj is not None and db.transaction_depth() and notify.send(db.obj, kinds):
        db.after_commit(lambda: changes.emit(*kinds, announced=True))
    else:
        db.after_commit(lambda: changes.emit(*kinds))

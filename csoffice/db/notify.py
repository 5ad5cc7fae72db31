"""Telling the other desks what changed, and hearing what they changed.

A write says what it changed through the change hub (``csoffice.changes``); this module carries
that to every other process on the same database, as ``{"desk": id, "kinds": [...]}``:

- PostgreSQL: ``pg_notify('csoffice_changes', payload)``. Sent inside the write's transaction
  when :func:`csoffice.db.database.emit_after_commit` is called inside one, otherwise right
  after the commit by the hub listener installed here; the server delivers it only on commit.
  :class:`PostgresListener` LISTENs on its own connection in a background thread.
- SQLite: a row in a small change log table, written the same way. :class:`SqlitePoller` reads
  ``PRAGMA data_version`` on its own connection once a second (a change there means another
  connection committed) and only then reads the log rows it has not seen. A log rather than a
  generic 'everything changed' because the desk's own writes move ``data_version`` for the
  poller's connection too: only the log says which commits were another desk's, and of what.

A desk ignores its own echo by the desk id. Hearing is best effort: a desk that was cut off
from the server refreshes everything when it is back, since what was said meanwhile is lost.
"""

from __future__ import annotations

import contextlib
import json
import logging
import select
import sqlite3
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path

import peewee

from csoffice import changes
from csoffice.changes import Change
from csoffice.db.link import LinkState
from csoffice.db.target import db

log = logging.getLogger(__name__)

CHANNEL = "csoffice_changes"
LOG_TABLE = "csoffice_change_log"
LOG_KEEP = 1000  # rows kept: a poller a second behind needs a handful
# This process's desk id, to skip its own echo (a CLI run is a desk of its own).
DESK = uuid.uuid4().hex[:12]

Deliver = Callable[[frozenset[Change]], None]

EVERYTHING: frozenset[Change] = frozenset(Change)
POLL_SECONDS = 1.0  # SQLite: how often data_version is read
WAKE_SECONDS = 0.5  # PostgreSQL: the longest select() wait, so stop() is quick
IDLE_CHECK_SECONDS = 20.0  # PostgreSQL: a SELECT 1 after this long without a notification
BACKOFF_FIRST = 0.5
BACKOFF_MAX = 5.0  # a desk waiting for its server hears it is back within seconds

_logged: weakref.WeakSet[peewee.Database] = weakref.WeakSet()


def encode(kinds: Iterable[Change], desk: str = DESK) -> str:
    return json.dumps(
        {"desk": desk, "kinds": [str(kind) for kind in dict.fromkeys(kinds)]},
        separators=(",", ":"),
    )


def decode(payload: str) -> tuple[str, frozenset[Change]] | None:
    """The sender and the kinds of a payload; kinds this desk does not know (a newer desk's)
    are left out; ``None`` for a payload that is not ours."""
    try:
        data = json.loads(payload)
        desk, names = str(data["desk"]), data["kinds"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(names, list):
        return None
    return desk, frozenset(Change(name) for name in names if name in Change._value2member_map_)


def prepare(database: peewee.Database) -> None:
    """Make ``database`` ready to carry changes (SQLite: its change log table)."""
    if isinstance(database, peewee.SqliteDatabase):
        database.execute_sql(
            f"CREATE TABLE IF NOT EXISTS {LOG_TABLE} "
            "(id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL)"
        )
        _logged.add(database)


def send(database: peewee.Database, kinds: Iterable[Change]) -> bool:
    """Tell the other desks that ``kinds`` changed, in the current transaction if one is open
    (then it is delivered only if it commits). False when ``database`` carries no changes."""
    payload = encode(kinds)
    if isinstance(database, peewee.PostgresqlDatabase):
        database.execute_sql("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
        return True
    if database not in _logged:
        return False
    with database.atomic():
        cursor = database.execute_sql(f"INSERT INTO {LOG_TABLE} (payload) VALUES (?)", (payload,))
        database.execute_sql(
            f"DELETE FROM {LOG_TABLE} WHERE id <= ?", (cursor.lastrowid - LOG_KEEP,)
        )
    return True


def _send_committed(kind: Change) -> None:
    """The hub listener: this desk's change, committed and not sent yet, goes out now."""
    if changes.is_announced() or db.obj is None or db.obj.is_closed():
        return  # no connection on this thread: no write of this desk just committed here
    try:
        send(db.obj, [kind])
    except Exception:  # the write is kept; the other desks catch up at their next change
        log.warning("could not tell the other desks of a %s change", kind, exc_info=True)


changes.subscribe(_send_committed)


class _Listener(threading.Thread):
    """A daemon thread calling ``deliver(kinds)`` with the kinds other desks changed."""

    def __init__(self, deliver: Deliver, name: str) -> None:
        super().__init__(name=name, daemon=True)
        self.deliver = deliver
        self.connected = threading.Event()
        self._stopping = threading.Event()

    def stop(self, timeout: float = 2.0) -> None:
        self._stopping.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)

    def _hand_over(self, kinds: frozenset[Change]) -> None:
        if not kinds:
            return
        try:
            self.deliver(kinds)
        except Exception:  # a listener's fault must not stop the hearing
            log.exception("a listener failed on %s", sorted(kinds))

    def _backoff(self, pause: float) -> float:
        self._stopping.wait(pause)
        return min(pause * 2, BACKOFF_MAX)


class PostgresListener(_Listener):
    """LISTEN on a connection of its own; reconnects with back-off when the server goes."""

    def __init__(self, url: str, deliver: Deliver, link: LinkState | None = None) -> None:
        super().__init__(deliver, "csoffice-listen")
        self.url = url
        self.link = link  # told when the server is lost and when it is back (the desk's own)

    def _report(self, up: bool, reason: object = "") -> None:
        if self.link is not None and not self._stopping.is_set():
            self.link.report(up, str(reason).strip().splitlines()[0] if reason else "")

    def _connect(self):
        import psycopg2

        conn = psycopg2.connect(
            self.url,
            connect_timeout=5,
            application_name="csoffice-listen",
            # A server or network gone silently is noticed in about 10 s.
            keepalives=1,
            keepalives_idle=5,
            keepalives_interval=2,
            keepalives_count=3,
        )
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANNEL}")
        return conn

    def run(self) -> None:
        import psycopg2

        pause, was_lost = BACKOFF_FIRST, False
        while not self._stopping.is_set():
            try:
                conn = self._connect()
            except (psycopg2.Error, OSError) as exc:
                if not was_lost:
                    log.warning("live updates: cannot reach the server: %s", exc)
                self._report(False, exc)
                was_lost = True
                pause = self._backoff(pause)
                continue
            self.connected.set()
            self._report(True)
            pause = BACKOFF_FIRST
            if was_lost:
                self._hand_over(EVERYTHING)  # what was said while away is lost
            try:
                self._listen(conn)
            except (psycopg2.Error, OSError, ValueError) as exc:
                log.warning("live updates: connection lost: %s", exc)
                self._report(False, exc)
                was_lost = True
            finally:
                self.connected.clear()
                with contextlib.suppress(psycopg2.Error):
                    conn.close()
            if was_lost:
                pause = self._backoff(pause)

    def _listen(self, conn) -> None:
        quiet_since = time.monotonic()
        while not self._stopping.is_set():
            readable, _, _ = select.select([conn], [], [], WAKE_SECONDS)
            if not readable:
                if time.monotonic() - quiet_since > IDLE_CHECK_SECONDS:
                    with conn.cursor() as cursor:
                        cursor.execute("SELECT 1")
                    quiet_since = time.monotonic()
                continue
            conn.poll()
            quiet_since = time.monotonic()
            heard: set[Change] = set()
            while conn.notifies:
                message = conn.notifies.pop(0)
                decoded = decode(message.payload) if message.channel == CHANNEL else None
                if decoded is not None and decoded[0] != DESK:
                    heard |= decoded[1]
            self._hand_over(frozenset(heard))


class SqlitePoller(_Listener):
    """Reads ``PRAGMA data_version`` every ``interval`` seconds on a connection of its own and,
    when another connection committed, the change log rows it has not seen.

    A restore changes everything at once and brings the backup's own change log with it (its
    row numbers may be below the ones already seen), and a damaged file replaced by a checked
    copy is a new file at the same path: either is noticed (the last row seen is gone or
    different; the path names another file), told as EVERYTHING, and the poller goes on with
    the database now at the path."""

    def __init__(self, path: Path, deliver: Deliver, interval: float = POLL_SECONDS) -> None:
        super().__init__(deliver, "csoffice-poll")
        self.path = path
        self.interval = interval

    def run(self) -> None:
        pause, replaced = BACKOFF_FIRST, False
        while not self._stopping.is_set():
            try:
                identity = _file_identity(self.path)
                conn = sqlite3.connect(self.path, timeout=1.0, check_same_thread=False)
            except (sqlite3.Error, OSError):
                pause = self._backoff(pause)
                continue
            try:
                if replaced:
                    self._hand_over(EVERYTHING)
                replaced = self._poll(conn, identity)
                pause = BACKOFF_FIRST
            except sqlite3.Error as exc:
                log.warning("live updates: cannot read %s: %s", self.path, exc)
                pause = self._backoff(pause)
            finally:
                self.connected.clear()
                conn.close()

    def _poll(self, conn: sqlite3.Connection, identity: tuple[int, int] | None) -> bool:
        """Hear the other desks until stopped (False) or the path names another file (True)."""
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        seen, seen_payload = self._last(conn)
        self.connected.set()
        while not self._stopping.wait(self.interval):
            try:
                if _file_identity(self.path) != identity:
                    log.info("live updates: %s is another file now; reading that", self.path)
                    return True
            except OSError:  # gone for a moment while it is being replaced
                continue
            now = conn.execute("PRAGMA data_version").fetchone()[0]
            if now == version:
                continue
            version = now
            if seen and self._payload(conn, seen) != seen_payload:
                # Restored (or so far behind the log was cut): what changed is unknown.
                seen, seen_payload = self._last(conn)
                self._hand_over(EVERYTHING)
                continue
            rows = conn.execute(
                f"SELECT id, payload FROM {LOG_TABLE} WHERE id > ? ORDER BY id", (seen,)
            ).fetchall()
            heard: set[Change] = set()
            for row_id, payload in rows:
                seen, seen_payload = row_id, payload
                decoded = decode(payload)
                if decoded is not None and decoded[0] != DESK:
                    heard |= decoded[1]
            self._hand_over(frozenset(heard))
        return False

    @staticmethod
    def _last(conn: sqlite3.Connection) -> tuple[int, str | None]:
        try:
            row = conn.execute(
                f"SELECT id, payload FROM {LOG_TABLE} ORDER BY id DESC LIMIT 1"
            ).fetchone()
        except sqlite3.OperationalError:  # no log yet: the desk that writes first creates it
            return 0, None
        return (row[0], row[1]) if row else (0, None)

    @staticmethod
    def _payload(conn: sqlite3.Connection, row_id: int) -> str | None:
        try:
            row = conn.execute(
                f"SELECT payload FROM {LOG_TABLE} WHERE id = ?", (row_id,)
            ).fetchone()
        except sqlite3.OperationalError:  # a restored file older than the log
            return None
        return row[0] if row else None


def _file_identity(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` names (device, inode): a file moved into its place is another one.
    None where the file system gives no inode numbers (they are then all 0)."""
    info = path.stat()
    return (info.st_dev, info.st_ino) if info.st_ino else None

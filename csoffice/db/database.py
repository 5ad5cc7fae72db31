"""One database handle for the whole process, opened from a URL.

``db`` is a peewee DatabaseProxy: models bind to it at import time and ``open_database``
points it at SQLite (a file path or ``sqlite:///path``) or PostgreSQL (``postgresql://…``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import peewee

from csoffice.errors import DatabaseError
from csoffice.i18n import _
from csoffice.paths import default_database_path

db = peewee.DatabaseProxy()

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


@dataclass(frozen=True)
class DatabaseTarget:
    """Where a database lives: a SQLite file or a PostgreSQL URL."""

    kind: str  # "sqlite" or "postgresql"
    path: Path | None = None
    url: str = ""

    @property
    def argument(self) -> str:
        """What to pass as --db to reach this database again."""
        return str(self.path) if self.kind == "sqlite" else self.url

    @property
    def display(self) -> str:
        if self.kind == "sqlite":
            return str(self.path)
        parsed = urlparse(self.url)
        host = parsed.hostname or "localhost"
        return f"postgresql://{host}{parsed.path}"


def parse_target(url: str | os.PathLike[str] | None) -> DatabaseTarget:
    """Read a --db value: empty means the data folder's file."""
    if url is None or str(url) == "":
        return DatabaseTarget("sqlite", default_database_path())
    text = str(url)
    if text.startswith(("postgresql://", "postgres://")):
        return DatabaseTarget("postgresql", url=text)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
        text = "/" + text if not text.startswith("/") and ":" not in text[:3] else text
    elif "://" in text:
        raise DatabaseError(_("Unsupported database URL: {url}").format(url=text))
    return DatabaseTarget("sqlite", Path(text).expanduser())


def connect(target: DatabaseTarget) -> peewee.Database:
    """Open a connection to ``target`` without binding it to the proxy."""
    if target.kind == "postgresql":
        parsed = urlparse(target.url)
        try:
            database = peewee.PostgresqlDatabase(
                parsed.path.lstrip("/"),
                user=parsed.username,
                password=parsed.password,
                host=parsed.hostname,
                port=parsed.port,
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
    database = peewee.SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, check_same_thread=False)
    try:
        database.connect()
        database.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except peewee.DatabaseError as exc:
        database.close()
        raise DatabaseError(
            _("Cannot open the database {path}: {reason}").format(path=path, reason=exc)
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
        from csoffice.db.migrations import upgrade

        upgrade(database, target)
    return target


def close_database() -> None:
    if db.obj is not None and not db.obj.is_closed():
        db.obj.close()


def is_sqlite() -> bool:
    return isinstance(db.obj, peewee.SqliteDatabase)

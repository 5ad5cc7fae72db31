"""Where the models point: the proxy they bind to, and which database a URL names.

Kept apart from ``database`` (which opens connections and runs the migrations) so that the
models and the migrations can import it without importing what opens the database.
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

"""Backups of the SQLite database: a consistent copy while the app runs (online backup API)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from csoffice import audit
from csoffice.db.database import db, is_sqlite
from csoffice.db.models import Staff
from csoffice.errors import CsofficeError
from csoffice.i18n import _

ProgressCallback = Callable[[int, int], None]


def backup_to(actor: Staff | None, target: Path, progress: ProgressCallback | None = None) -> Path:
    """Copy the open database to ``target`` page by page; other desks keep writing meanwhile.

    The copy is written beside the target and renamed into place when complete, so an
    interrupted backup never leaves a file that looks whole.
    """
    if not is_sqlite():
        raise CsofficeError(
            _("Backups of a PostgreSQL database are made with pg_dump on the server.")
        )
    target = Path(target)
    if target.is_dir():
        raise CsofficeError(_("Choose a file name for the backup, not a folder."))
    if not target.parent.exists():
        raise CsofficeError(_("The folder {path} does not exist.").format(path=target.parent))
    partial = target.with_name(target.name + ".partial")
    source = db.connection()

    def report(status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    try:
        with sqlite3.connect(partial) as copy:
            source.backup(copy, pages=256, progress=report)
        copy.close()
        check = sqlite3.connect(partial)
        try:
            result = check.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            check.close()
        if result != "ok":
            raise CsofficeError(
                _("The backup copy failed its integrity check: {result}").format(result=result)
            )
        partial.replace(target)
    except OSError as exc:
        raise CsofficeError(
            _("Cannot write the backup: {reason}").format(reason=exc.strerror or exc)
        ) from exc
    finally:
        if partial.exists():
            partial.unlink()
    with db.atomic():
        audit.record(actor, "backup", "database", None, summary=str(target))
    return target

"""Backups of the SQLite database: a consistent copy while the app runs (online backup API),
the automatic copy at the first start of each day with its rotation, and restoring a copy."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from csoffice import audit, auth, settings
from csoffice.db.database import DatabaseTarget, db, is_sqlite
from csoffice.db.models import Staff
from csoffice.errors import CsofficeError
from csoffice.i18n import _
from csoffice.paths import subfolder

ProgressCallback = Callable[[int, int], None]

AUTO_PREFIX = "csoffice-auto-"
_AUTO_NAME = re.compile(rf"^{AUTO_PREFIX}(\d{{8}})-(\d{{6}})\.sqlite3$")


def _require_sqlite() -> None:
    if not is_sqlite():
        raise CsofficeError(
            _("Backups of a PostgreSQL database are made with pg_dump on the server.")
        )


def _copy(
    source: sqlite3.Connection,
    target: Path,
    progress: ProgressCallback | None,
    verify: bool = True,
) -> None:
    """Copy ``source`` into a new file at ``target`` through a .partial file renamed into
    place when complete (and checked, if ``verify``), so an interrupted backup never leaves
    a file that looks whole."""
    partial = target.with_name(target.name + ".partial")

    def report(status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    try:
        if partial.exists():
            partial.unlink()
        with sqlite3.connect(partial) as copy:
            # One step: a single read transaction on the source, so the copy is one consistent
            # moment. In WAL mode that reader never blocks the desks' writes, whereas a copy in
            # several steps would start over after every write and might never finish.
            source.backup(copy, pages=-1, progress=report)
        copy.close()
        check = sqlite3.connect(partial)
        try:
            result = check.execute("PRAGMA quick_check").fetchone()[0] if verify else "ok"
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


def backup_to(actor: Staff | None, target: Path, progress: ProgressCallback | None = None) -> Path:
    """Copy the open database to ``target`` while other desks keep writing (clerks and the
    manager: a copy holds every customer's personal data, so viewers may not make one)."""
    auth.require(actor, "backup")
    return _backup(actor, target, progress)


def _backup(actor: Staff | None, target: Path, progress: ProgressCallback | None) -> Path:
    target = Path(target)
    if target.is_dir():
        raise CsofficeError(_("Choose a file name for the backup, not a folder."))
    if not target.parent.exists():
        raise CsofficeError(_("The folder {path} does not exist.").format(path=target.parent))
    if is_sqlite():
        _copy(db.connection(), target, progress)
    else:
        _pg_dump(target)
    with db.atomic():
        audit.record(actor, "backup", "database", None, summary=str(target))
    return target


def _pg_dump(target: Path) -> None:
    """A PostgreSQL database is copied with the server's own tool, pg_dump (custom format,
    restored with pg_restore), written beside the target and renamed into place when done."""
    program = shutil.which("pg_dump")
    if program is None:
        raise CsofficeError(
            _(
                "pg_dump is not installed on this PC, so csoffice cannot copy the PostgreSQL "
                "database. Install the PostgreSQL client tools, or back up on the server."
            )
        )
    params = db.obj.connect_params
    partial = target.with_name(target.name + ".partial")
    command = [
        program,
        "--format=custom",
        "--no-owner",
        f"--file={partial}",
        f"--dbname={db.obj.database}",
    ]
    for option, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            command.append(f"{option}={params[key]}")
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    try:
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=3600)
        if result.returncode != 0:
            reason = (result.stderr.strip().splitlines() or [""])[-1]
            raise CsofficeError(_("pg_dump failed: {reason}").format(reason=reason))
        partial.replace(target)
    finally:
        if partial.exists():
            partial.unlink()


# --- The daily automatic backup and its rotation --------------------------------------------


def backup_folder() -> Path:
    """Where the automatic backups go: the manager's choice, or the data folder's backups."""
    chosen = (settings.get("backup.folder") or "").strip()
    return Path(chosen).expanduser() if chosen else subfolder("backups")


def auto_backups(folder: Path) -> list[tuple[dt.datetime, Path]]:
    """The automatic backups in ``folder`` with their times, newest first (others ignored)."""
    found = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _AUTO_NAME.match(path.name)
        if not match:
            continue
        try:
            stamp = dt.datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S")
        except ValueError:
            continue
        found.append((stamp, path))
    return sorted(found, reverse=True)


def to_keep(stamps: list[dt.datetime], daily: int, weekly: int, monthly: int) -> set[dt.datetime]:
    """Grandfather-father-son: the newest copy of each of the last ``daily`` days, ``weekly``
    ISO weeks and ``monthly`` months that have a copy."""
    keep: set[dt.datetime] = set()
    for count, period in (
        (daily, lambda t: t.date()),
        (weekly, lambda t: t.isocalendar()[:2]),
        (monthly, lambda t: (t.year, t.month)),
    ):
        seen: list = []
        for stamp in sorted(stamps, reverse=True):
            key = period(stamp)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(key)
            keep.add(stamp)
    return keep


def rotate(folder: Path) -> list[Path]:
    """Delete the automatic backups the rotation no longer keeps; returns what was deleted."""
    keys = ["backup.keep_daily", "backup.keep_weekly", "backup.keep_monthly"]
    values = settings.get_many(keys)
    daily, weekly, monthly = (max(0, int(values[key] or 0)) for key in keys)
    found = auto_backups(folder)
    # At least today's copy stays, whatever the settings say.
    keep = to_keep([t for t, _p in found], max(daily, 1), weekly, monthly)
    removed = []
    for stamp, path in found:
        if stamp not in keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


@dataclass(frozen=True)
class DailyResult:
    """What the daily backup did: the new copy (None when today's exists) and what rotated out."""

    path: Path | None
    removed: list[Path]


def daily_backup(
    actor: Staff | None,
    at: dt.datetime | None = None,
    progress: ProgressCallback | None = None,
) -> DailyResult:
    """At the first start of a day, copy the database into the backup folder and rotate."""
    _require_sqlite()
    at = (at or dt.datetime.now()).replace(microsecond=0)
    folder = backup_folder()
    if not folder.is_dir():
        raise CsofficeError(
            _("The backup folder {path} is not there (is the USB disk plugged in?).").format(
                path=folder
            )
        )
    if any(stamp.date() == at.date() for stamp, _p in auto_backups(folder)):
        return DailyResult(None, [])
    target = folder / f"{AUTO_PREFIX}{at:%Y%m%d-%H%M%S}.sqlite3"
    _backup(actor, target, progress)  # the office's own copy, whoever signed in first
    return DailyResult(target, rotate(folder))


# --- Restore ----------------------------------------------------------------------------------


def check_backup_file(path: Path) -> int:
    """Refuse, with a clear message, a file that is not a whole csoffice database this version
    can open; return its schema version."""
    from csoffice.db.migrations import LATEST

    path = Path(path)
    if not path.is_file():
        raise CsofficeError(_("The file {path} does not exist.").format(path=path))
    damaged = _("{path} is damaged or not a csoffice backup; nothing was restored.").format(
        path=path.name
    )
    try:
        # immutable: read the file as it is, creating no -wal/-shm beside it (USB disks, CDs).
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise CsofficeError(damaged) from exc
    try:
        result = [row[0] for row in con.execute("PRAGMA integrity_check").fetchall()]
        if result != ["ok"]:
            raise CsofficeError(damaged)
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
        if not {"schema_version", "staff", "customer", "audit_log"} <= tables:
            raise CsofficeError(
                _("{path} is not a csoffice database; nothing was restored.").format(path=path.name)
            )
        version = int(con.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0)
    except sqlite3.Error as exc:
        raise CsofficeError(damaged) from exc
    finally:
        con.close()
    if version > LATEST:
        raise CsofficeError(
            _(
                "{path} was made by a newer csoffice (schema {found}, this one knows {known}); "
                "nothing was restored."
            ).format(path=path.name, found=version, known=LATEST)
        )
    return version


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    safety_copy: Path


def restore_from(
    actor: Staff | None,
    source: Path,
    target: DatabaseTarget,
    progress: ProgressCallback | None = None,
) -> RestoreResult:
    """Replace the open database's content with the backup ``source`` (manager only).

    The file is checked first and the current database is copied to the backup folder, so a
    wrong restore can itself be undone. The copy goes through the backup API into the live
    file, which keeps the file's identity (other desks' connections see the restored data).
    The restored database is then brought up to this version's schema. Every screen must be
    reloaded afterwards: the staff who signs in again may not even exist in the copy.
    """
    from csoffice.db.migrations import upgrade

    auth.require(actor, "restore_backup")
    _require_sqlite()
    source = Path(source)
    check_backup_file(source)
    if target.path is not None and source.resolve() == target.path.resolve():
        raise CsofficeError(_("That is the database in use; choose a backup file."))
    folder = backup_folder() if backup_folder().is_dir() else subfolder("backups")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    safety = folder / f"csoffice-before-restore-{stamp}.sqlite3"
    # Not verified: a damaged database is exactly what one restores over, and its copy is
    # kept as it is.
    _copy(db.connection(), safety, None, verify=False)
    name = actor.username if actor is not None else ""
    live = db.connection()
    copy = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:  # one step, one write transaction: a crash meanwhile leaves the old data or the new
        copy.backup(
            live, pages=-1, progress=lambda s, r, t: progress(t - r, t) if progress else None
        )
    except sqlite3.Error as exc:
        raise CsofficeError(
            _("The restore failed ({reason}); the database is unchanged.").format(reason=exc)
        ) from exc
    finally:
        copy.close()
    upgrade(db.obj, target)
    with db.atomic():
        audit.record(
            None,
            "restore_backup",
            "database",
            None,
            summary=_("{path} restored by {name}; the previous data is in {safety}").format(
                path=source, name=name, safety=safety
            ),
        )
    return RestoreResult(source, safety)


def replace_damaged(source: Path, path: Path) -> Path:
    """When the database file itself cannot be opened, move it (and its -wal/-shm) aside and
    put a checked copy of ``source`` in its place; returns where the damaged file went."""
    source, path = Path(source), Path(path)
    check_backup_file(source)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            part.replace(aside.with_name(aside.name + suffix))
    copy = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        _copy(copy, path, None)
    finally:
        copy.close()
    return aside

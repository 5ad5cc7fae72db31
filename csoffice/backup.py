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

from csoffice import audit, auth, backup_file, settings
from csoffice.db import notify
from csoffice.db.database import DatabaseTarget, db, is_sqlite
from csoffice.db.errors import DiskFull, translate
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Staff
from csoffice.errors import CsofficeError, PermissionDenied
from csoffice.files import partial_file
from csoffice.i18n import _
from csoffice.paths import data_dir, subfolder

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
    scans: list[tuple[str, Path]] | None = None,
) -> None:
    """Copy ``source`` into a new file at ``target`` through a .partial file renamed into
    place when complete (and checked, if ``verify``), so an interrupted backup never leaves
    a file that looks whole. ``scans`` (hash, file) go into the copy's attachment_blob, so
    one file holds the database and its scanned documents."""

    def report(status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    try:
        with partial_file(target) as partial:
            with sqlite3.connect(partial) as copy:
                # One step: a single read transaction on the source, so the copy is one
                # consistent moment. In WAL mode that reader never blocks the desks' writes,
                # whereas a copy in several steps would start over after every write and might
                # never finish.
                source.backup(copy, pages=-1, progress=report)
                if scans:
                    backup_file.pack_blobs(copy, scans)
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
    except (OSError, sqlite3.Error) as exc:
        # About the copy's disk (a USB stick, say), not the database's own.
        if isinstance(translate(exc), DiskFull):
            raise CsofficeError(
                _("The disk of {path} is full; no backup was written.").format(path=target.parent)
            ) from exc
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise CsofficeError(_("Cannot write the backup: {reason}").format(reason=reason)) from exc


def backup_to(actor: Staff | None, target: Path, progress: ProgressCallback | None = None) -> Path:
    """Copy the open database to ``target`` while other desks keep writing (clerks and the
    manager: a copy holds every customer's personal data, so viewers may not make one, and a
    clerk may write it only into the backup folder the manager set)."""
    auth.require(actor, "backup")
    target = Path(target)
    if not auth.can(actor, "choose_backup_folder"):
        folder = backup_folder()
        if target.parent.resolve() != folder.resolve():
            raise PermissionDenied(
                _("A clerk's backup goes into the office's backup folder ({path}).").format(
                    path=folder
                )
            )
    return _backup(actor, target, progress)


def clerk_backup_path(at: dt.datetime | None = None) -> Path:
    """Where a backup from the File menu goes when the user may not choose: the backup
    folder, under a name with the date and time."""
    at = at or dt.datetime.now()
    folder = backup_folder()
    name = f"csoffice-{at:%Y%m%d-%H%M%S}.sqlite3"
    return folder / name


def _scans() -> list[tuple[str, Path]]:
    """Every stored file the database refers to, with where it is on this PC."""
    from csoffice.attachments import local_path
    from csoffice.db.models import Attachment

    seen: dict[str, Path] = {}
    for sha, filename in tuples_of(Attachment.select(Attachment.sha256, Attachment.filename)):
        if sha not in seen:
            seen[sha] = local_path(sha, filename)
    return list(seen.items())


def _backup(actor: Staff | None, target: Path, progress: ProgressCallback | None) -> Path:
    target = Path(target)
    if target.is_dir():
        raise CsofficeError(_("Choose a file name for the backup, not a folder."))
    if not target.parent.exists():
        raise CsofficeError(_("The folder {path} does not exist.").format(path=target.parent))
    backup_file.clean_partials(target.parent)
    if is_sqlite():
        _copy(db.connection(), target, progress, scans=_scans())
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
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    with partial_file(target) as partial:
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
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=3600)
        if result.returncode != 0:
            reason = (result.stderr.strip().splitlines() or [""])[-1]
            raise CsofficeError(_("pg_dump failed: {reason}").format(reason=reason))


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

SAFETY_PREFIX = "csoffice-before-restore-"
SAFETY_KEEP = 5  # the newest safety copies kept; older ones rotate out


def check_backup_file(path: Path) -> int:
    """Refuse, with a clear message, a file that is no csoffice database this version can open
    (a quick read-only look; ``restore_from`` checks the whole file); return its version."""
    return backup_file.quick_check(Path(path))


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    safety_copy: Path
    scans: int = 0  # stored files the backup put back


def _safety_folder() -> Path:
    return backup_folder() if backup_folder().is_dir() else subfolder("backups")


def _unique_safety_path(folder: Path) -> Path:
    """A name no earlier safety copy has (two restores in one second get two copies)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        name = f"{SAFETY_PREFIX}{stamp}{'' if n == 0 else f'-{n}'}.sqlite3"
        candidate = folder / name
        try:
            candidate.touch(exist_ok=False)  # claims the name
        except FileExistsError:
            continue
        candidate.unlink()
        return candidate
    raise CsofficeError(
        _("Cannot find a free name for the safety copy in {path}.").format(path=folder)
    )


def rotate_safety_copies(folder: Path, keep: int = SAFETY_KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` safety copies made before restores."""
    copies = sorted(
        (p for p in folder.glob(f"{SAFETY_PREFIX}*.sqlite3") if p.is_file()),
        key=lambda p: (p.stat().st_mtime, p.name),
        reverse=True,
    )
    removed = []
    for path in copies[keep:]:
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _copy_into_live(source_path: Path, progress: ProgressCallback | None) -> None:
    """Copy a database file over the live one in one step: one write transaction, so a crash
    or kill meanwhile leaves the old data or the new, never a mixture."""
    live = db.connection()
    copy = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        copy.backup(
            live, pages=-1, progress=lambda s, r, t: progress(t - r, t) if progress else None
        )
    finally:
        copy.close()


def _verify_live() -> None:
    from csoffice.db.migrations import LATEST, current_version

    result = db.obj.execute_sql("PRAGMA quick_check").fetchone()[0]
    missing = backup_file.schema_problems(db.obj)
    if result != "ok" or missing or current_version(db.obj) != LATEST:
        raise CsofficeError(
            _("the restored database failed its check ({what})").format(
                what=result if result != "ok" else ", ".join(missing[:3]) or "schema"
            )
        )


def restore_from(
    actor: Staff | None,
    source: Path,
    target: DatabaseTarget,
    progress: ProgressCallback | None = None,
    allow_other_office: bool = False,
) -> RestoreResult:
    """Replace the open database's content with the backup ``source`` (manager only).

    Nothing touches the live database until a work copy of ``source`` has been upgraded to
    this version and checked whole (backup_file.prepare). A backup of another office is
    refused (ForeignOffice) unless ``allow_other_office``. The current database is then
    copied to a uniquely named safety copy, the checked copy goes into the live file (which
    keeps its identity, so other desks' connections see the restored data), the scans it
    carries go back into the data folder, and the result is checked again: if anything
    fails after the swap, the safety copy is put back at once. Every screen must be reloaded
    afterwards: the staff who signs in again may not even exist in the copy.
    """
    auth.require(actor, "restore_backup")
    _require_sqlite()
    source = Path(source)
    backup_file.quick_check(source)
    if target.path is not None and source.resolve() == target.path.resolve():
        raise CsofficeError(_("That is the database in use; choose a backup file."))
    live_folder = target.path.parent if target.path is not None else data_dir()
    folder = _safety_folder()
    backup_file.clean_partials(live_folder, folder)
    work = backup_file.work_copy_path(live_folder)
    try:
        info = backup_file.prepare(source, work)
        ours = (settings.get("office.name") or "").strip()
        if info.office_name and ours and info.office_name != ours and not allow_other_office:
            raise backup_file.foreign_office_error(source, info.office_name, ours)
        scans = _unpack_scans(work)
        safety = _unique_safety_path(folder)
        # Not verified: a damaged database is exactly what one restores over, and its copy
        # is kept as it is.
        _copy(db.connection(), safety, None, verify=False)
        try:
            _copy_into_live(work, progress)
            _verify_live()
        except Exception as exc:
            reason = translate(exc) or exc
            try:
                _copy_into_live(safety, None)
            except Exception as again:  # pragma: no cover - both copies failing
                raise CsofficeError(
                    _(
                        "The restore failed ({reason}) and the database could not be put back; "
                        "restore {safety} by hand."
                    ).format(reason=reason, safety=safety)
                ) from again
            raise CsofficeError(
                _("The restore failed ({reason}); the database was put back as it was.").format(
                    reason=reason
                )
            ) from exc
    finally:
        backup_file.remove_database_file(work)
    rotate_safety_copies(folder)
    name = actor.username if actor is not None else ""
    with db.atomic():
        audit.record(
            None,  # the signed-in staff may not exist in the restored data
            "restore_backup",
            "database",
            None,
            summary=_("{path} restored by {name}; the previous data is in {safety}").format(
                path=source, name=name, safety=safety
            ),
        )
        # A backup older than the change log has none: writes announce themselves in it.
        notify.prepare(db.obj)
        notify.send(db.obj, notify.EVERYTHING)  # every other desk reloads what it shows
    return RestoreResult(source, safety, scans)


def _unpack_scans(work: Path) -> int:
    """The scans a checked work copy carries go into this PC's data folder."""
    from csoffice.attachments import storage_path

    return backup_file.unpack_blobs(work, storage_path)


def replace_damaged(source: Path, path: Path) -> Path:
    """When the database file itself cannot be opened, move it (and its -wal/-shm) aside and
    put a checked copy of ``source`` in its place; returns where the damaged file went."""
    from csoffice.attachments import storage_path

    source, path = Path(source), Path(path)
    work = backup_file.work_copy_path(path.parent)
    try:
        backup_file.prepare(source, work)
        backup_file.unpack_blobs(work, storage_path)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = path.with_name(f"{path.name}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            part = path.with_name(path.name + suffix)
            if part.exists():
                part.replace(aside.with_name(aside.name + suffix))
        work.replace(path)
    finally:
        backup_file.remove_database_file(work)
    return aside

"""What a backup file must be before it may replace the live database, and the scans it
carries.

A file offered for restore is copied to a work file beside the live database, brought up to
this version's schema there, and checked whole: integrity, every table and column the
models have, foreign keys, a readable audit log, a manager who can sign in. Only that
checked work file is ever copied into the live database. The scans a backup carries
(attachment_blob) are written back to the data folder, each verified by its hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import peewee

from csoffice.errors import CsofficeError
from csoffice.files import write_atomically
from csoffice.i18n import _

PARTIAL = ".partial"
# A .partial file untouched this long belongs to a copy that was interrupted (a copy in
# progress rewrites its file all the time).
STALE_PARTIAL_SECONDS = 5 * 60


class ForeignOffice(CsofficeError):
    """The backup was made by another office; restoring it needs a second yes."""

    def __init__(self, message: str, theirs: str, ours: str):
        super().__init__(message)
        self.theirs, self.ours = theirs, ours


@dataclass(frozen=True)
class BackupInfo:
    """What the checks found in a backup file."""

    version: int
    office_name: str
    staff: int
    customers: int
    blobs: int


def _sqlite_readonly(path: Path) -> sqlite3.Connection:
    # immutable: read the file as it is, creating no -wal/-shm beside it (USB disks, CDs).
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def remove_database_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def clean_partials(*folders: Path, older_than: float = STALE_PARTIAL_SECONDS) -> list[Path]:
    """Delete interrupted copies (``*.partial`` and their -wal/-shm) left in ``folders``."""
    removed = []
    cutoff = time.time() - older_than
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if not path.name.endswith(PARTIAL) or not path.is_file():
                continue
            try:
                if path.stat().st_mtime > cutoff:
                    continue
                remove_database_file(path)
                removed.append(path)
            except OSError:
                continue
    return removed


def work_copy_path(folder: Path) -> Path:
    return folder / f".csoffice-restore-{uuid.uuid4().hex[:12]}.sqlite3{PARTIAL}"


def _damaged(path: Path) -> CsofficeError:
    return CsofficeError(
        _("{path} is damaged or not a csoffice backup; nothing was restored.").format(
            path=path.name
        )
    )


def _not_whole(path: Path, what: str) -> CsofficeError:
    return CsofficeError(
        _("{path} is not a whole csoffice database ({what}); nothing was restored.").format(
            path=path.name, what=what
        )
    )


def quick_check(path: Path) -> int:
    """Refuse at once a file that is no csoffice database this version can open (read-only, no
    copy); returns its schema version."""
    from csoffice.db.migrations import LATEST

    path = Path(path)
    if not path.is_file():
        raise CsofficeError(_("The file {path} does not exist.").format(path=path))
    if path.name.endswith(PARTIAL):
        raise CsofficeError(
            _("{path} is an interrupted copy, not a backup; nothing was restored.").format(
                path=path.name
            )
        )
    try:
        con = _sqlite_readonly(path)
    except sqlite3.Error as exc:
        raise _damaged(path) from exc
    try:
        result = [row[0] for row in con.execute("PRAGMA integrity_check").fetchall()]
        if result != ["ok"]:
            raise _damaged(path)
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
        if "schema_version" not in tables:
            raise CsofficeError(
                _("{path} is not a csoffice database; nothing was restored.").format(path=path.name)
            )
        version = int(con.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0)
    except sqlite3.Error as exc:
        raise _damaged(path) from exc
    finally:
        con.close()
    if version < 1:
        raise CsofficeError(
            _("{path} is not a csoffice database; nothing was restored.").format(path=path.name)
        )
    if version > LATEST:
        raise CsofficeError(
            _(
                "{path} was made by a newer csoffice (schema {found}, this one knows {known}); "
                "nothing was restored."
            ).format(path=path.name, found=version, known=LATEST)
        )
    return version


def schema_problems(database: peewee.Database) -> list[str]:
    """Every table and column the models have that ``database`` lacks ("table.column")."""
    from csoffice.db.models import ALL_MODELS

    tables = set(database.get_tables())
    problems = []
    for model in ALL_MODELS:
        table = model._meta.table_name
        if table not in tables:
            problems.append(table)
            continue
        columns = {column.name for column in database.get_columns(table)}
        problems.extend(
            f"{table}.{field.column_name}"
            for field in model._meta.sorted_fields
            if field.column_name not in columns
        )
    return problems


def _check_whole(database: peewee.Database, source: Path) -> BackupInfo:
    """The checks on an upgraded work copy; raises with what is wrong."""
    from csoffice.db.migrations import LATEST, current_version
    from csoffice.db.models import AttachmentBlob, AuditLog, Customer, Staff

    missing = schema_problems(database)
    if missing:
        tables = [name for name in missing if "." not in name]
        shown = ", ".join((tables or missing)[:4]) + ("…" if len(tables or missing) > 4 else "")
        raise _not_whole(
            source,
            _("{tables} tables and {columns} columns missing: {names}").format(
                tables=len(tables), columns=len(missing) - len(tables), names=shown
            ),
        )
    if current_version(database) != LATEST:
        raise _not_whole(source, _("schema version"))
    broken = database.execute_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise _not_whole(
            source, _("{n} records point to records that do not exist").format(n=len(broken))
        )
    with database.bind_ctx([AuditLog, Staff, Customer, AttachmentBlob]):
        try:
            for row in AuditLog.select().iterator():
                if not isinstance(row.at, dt.datetime):
                    raise _not_whole(source, _("the audit trail cannot be read"))
                if row.changes:
                    json.loads(row.changes)
        except (peewee.PeeweeException, ValueError, TypeError) as exc:
            raise _not_whole(source, _("the audit trail cannot be read")) from exc
        managers = Staff.select().where(Staff.role == "manager", Staff.active == True).count()
        if not managers:
            raise _not_whole(source, _("no manager account"))
        info = BackupInfo(
            version=LATEST,
            office_name=_office_name(database),
            staff=Staff.select().count(),
            customers=Customer.select().count(),
            blobs=AttachmentBlob.select().count(),
        )
    return info


def _office_name(database: peewee.Database) -> str:
    row = database.execute_sql("SELECT value FROM setting WHERE key = 'office.name'").fetchone()
    if row is None:
        return ""
    try:
        value = json.loads(row[0])
    except ValueError:
        return ""
    return value.strip() if isinstance(value, str) else ""


def prepare(source: Path, work: Path) -> BackupInfo:
    """Copy ``source`` to ``work``, upgrade the copy to this version and check it whole.
    On any refusal ``work`` is deleted; on success it is left for the caller to copy in."""
    from csoffice.db.database import DatabaseTarget, connect
    from csoffice.db.migrations import upgrade

    source = Path(source)
    quick_check(source)
    remove_database_file(work)
    try:
        original = _sqlite_readonly(source)
        try:
            with sqlite3.connect(work) as copy:
                original.backup(copy, pages=-1)
            copy.close()
        finally:
            original.close()
        database = connect(DatabaseTarget("sqlite", work))
        try:
            try:
                upgrade(database, DatabaseTarget("sqlite", None))  # no upgrade backup of a copy
            except (sqlite3.Error, peewee.PeeweeException):
                # A step fails on a file that lacks the tables it changes: say what is missing
                # rather than "damaged" (the failed step was rolled back).
                _check_whole(database, source)
                raise
            info = _check_whole(database, source)
            verify_blobs(database, source)
            database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            database.close()
    except CsofficeError:
        remove_database_file(work)
        raise
    except (sqlite3.Error, peewee.PeeweeException) as exc:
        remove_database_file(work)
        raise _damaged(source) from exc
    except OSError as exc:
        remove_database_file(work)
        raise CsofficeError(
            _("Cannot prepare the restore: {reason}").format(reason=exc.strerror or exc)
        ) from exc
    return info


def check_file(source: Path, folder: Path) -> BackupInfo:
    """The whole check of ``source`` through a work copy in ``folder`` that is then deleted."""
    work = work_copy_path(folder)
    try:
        return prepare(source, work)
    finally:
        remove_database_file(work)


def foreign_office_error(source: Path, theirs: str, ours: str) -> ForeignOffice:
    return ForeignOffice(
        _(
            "{path} is a backup of “{theirs}”, not of this office (“{ours}”); nothing was restored."
        ).format(path=Path(source).name, theirs=theirs, ours=ours),
        theirs,
        ours,
    )


# --- The scans a backup carries ---------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify_blobs(database: peewee.Database, source: Path) -> int:
    """Every stored file in the copy must match its hash; returns how many there are."""
    count = 0
    cursor = database.execute_sql("SELECT sha256, data FROM attachment_blob")
    for sha, data in cursor:
        if _sha256(bytes(data)) != sha:
            raise CsofficeError(
                _(
                    "A scanned document in {path} is damaged (its content does not match); "
                    "nothing was restored."
                ).format(path=Path(source).name)
            )
        count += 1
    return count


def pack_blobs(copy: sqlite3.Connection, files: list[tuple[str, Path]]) -> int:
    """Put the files (sha256, where it is on disk) into a backup copy's attachment_blob,
    each read whole and checked against its hash; returns how many went in."""
    packed = 0
    for sha, path in files:
        try:
            data = path.read_bytes()
        except OSError:
            continue  # a scan missing on this PC: the check reports it, the backup goes on
        if _sha256(data) != sha:
            continue
        copy.execute(
            "INSERT OR REPLACE INTO attachment_blob (sha256, data) VALUES (?, ?)", (sha, data)
        )
        packed += 1
    copy.commit()
    return packed


def unpack_blobs(work: Path, storage: Callable[[str, str], Path]) -> int:
    """Write the files a checked work copy carries into the data folder (verified by hash,
    through .partial files), then take them out of the copy, which becomes the live database
    (on SQLite the scans live in the data folder). Returns how many were written."""
    written = 0
    con = sqlite3.connect(work)
    try:
        names = dict(con.execute("SELECT sha256, filename FROM attachment"))
        for sha, data in con.execute("SELECT sha256, data FROM attachment_blob"):
            data = bytes(data)
            if _sha256(data) != sha:
                raise CsofficeError(_("A scanned document in the backup is damaged."))
            if sha not in names:
                continue
            target = storage(sha, names[sha])
            if target.exists() and _sha256(target.read_bytes()) == sha:
                continue
            write_atomically(target, data)
            if _sha256(target.read_bytes()) != sha:  # what reached the disk, read back
                raise CsofficeError(
                    _("A scanned document could not be written to {path}.").format(path=target)
                )
            written += 1
        has_blobs = con.execute("SELECT count(*) FROM attachment_blob").fetchone()[0]
        if has_blobs:
            con.execute("DELETE FROM attachment_blob")
            con.commit()
            con.execute("VACUUM")
    finally:
        con.close()
    return written

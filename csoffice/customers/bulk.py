"""Creating many files in one transaction (imports, demo data): all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from csoffice import audit, auth, settings
from csoffice.changes import Change
from csoffice.customers.form import AUDITED_FIELDS, CustomerInput, _derived, clean
from csoffice.db import search
from csoffice.db.bulk import deferred_indexes, indexes_deferred, insert_returning_ids, insert_rows
from csoffice.db.database import db, emit_after_commit, is_sqlite
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Customer, CustomerTag, Staff, now
from csoffice.errors import ValidationError
from csoffice.i18n import _


@dataclass
class BulkResult:
    """What a bulk load did: rows created, duplicates skipped, and rejected rows with reasons."""

    created: int = 0
    duplicates: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    # Rows imported with something left out, and why (a responsible person not on staff here).
    notes: list[tuple[int, str]] = field(default_factory=list)


def bulk_create(
    actor: Staff,
    inputs: Iterable[tuple[int, CustomerInput]],
    skip_invalid: bool = False,
    progress=None,
    created_at: list[dt.datetime] | None = None,
    rejected: list[tuple[int, str]] | None = None,
) -> BulkResult:
    """Create many files in one transaction (imports, demo data): all or nothing.

    ``inputs`` pairs a row number (for messages) with its data. A row whose phone or ID is
    already on file, or earlier in the same batch, is skipped and counted as a duplicate.
    An invalid row aborts the whole batch with ValidationError unless ``skip_invalid``;
    ``rejected`` are rows the caller already found invalid, reported with the rest.
    """
    auth.require(actor, "edit")
    # The caller's list itself: an importer may still be adding rows it refused while
    # ``inputs`` is read (rows are read one by one, not held in memory all together).
    result = BulkResult(rejected=rejected if rejected is not None else [])
    area_code, staff = settings.area_code(), active_staff()
    # Everything that takes time (checks, pinyin, search keys) is done before the transaction,
    # so the write itself is short and a desk saving meanwhile hardly waits. Each row is kept
    # compact (its column values, its search keys as one string) so 100,000 rows fit in little
    # memory.
    seen: set[str] = set()  # the duplicate marks of the rows kept so far (see _marks)
    prepared: list[_Prepared] = []
    stamp = now()
    for position, (number, data) in enumerate(inputs):
        try:
            values = clean(data, area_code=area_code, active_staff=staff)
        except ValidationError as exc:
            result.rejected.append((number, "; ".join(exc.errors.values())))
            continue
        if result.rejected and not skip_invalid:
            continue  # the batch is refused anyway: only the other rejects still matter
        archived = is_archived(data)
        marks = duplicate_marks(values, archived)
        if not marks.isdisjoint(seen):
            result.duplicates += 1
            continue
        seen |= marks
        created = created_at[position] if created_at is not None else stamp
        prepared.append(_prepare(actor, values, created, archived))
    result.rejected.sort()
    if result.rejected and not skip_invalid:
        raise BulkRejected(result)
    name_column, status_column = _COLUMNS.index("name"), _COLUMNS.index("status")
    key_columns = [_COLUMNS.index(k) for k in _KEYS]

    def row_marks(values: tuple[Any, ...]) -> set[str]:
        archived = values[status_column] == "archived"
        return _marks(values[name_column], archived, (values[i] for i in key_columns))

    with _import_cache(), db.atomic():
        existing = existing_marks(seen)
        seen.clear()  # its memory goes back before the write's page cache fills
        if existing:
            kept = [p for p in prepared if row_marks(p[0]).isdisjoint(existing)]
            result.duplicates += len(prepared) - len(kept)
            prepared = kept
        result.created = len(_write(actor, prepared, progress, result.duplicates))
    return result


def create_many(actor: Staff, inputs: Sequence[CustomerInput]) -> list[int]:
    """Open a file for each of ``inputs``, which the caller found are not on file (an event
    import's new customers), in its transaction: the new ids in order. Checked as the form
    checks; audited and announced once."""
    auth.require(actor, "edit")
    area_code, staff, stamp = settings.area_code(), active_staff(), now()
    prepared = [
        _prepare(actor, clean(data, area_code=area_code, active_staff=staff), stamp, False)
        for data in inputs
    ]
    if not prepared:
        return []
    with db.atomic():
        return _write(actor, prepared, None)


# A row waiting to be written: its column values (_COLUMNS), its tags as one string, its
# search keys as one string (_SEP between them).
_Prepared = tuple[tuple[Any, ...], str, str]


def _prepare(actor: Staff, values: dict[str, Any], created: Any, archived: bool) -> _Prepared:
    """A cleaned row as it is written: its columns, tags and search keys worked out."""
    row = _derived(values)
    row["birthday"] = _db_value(row["birthday"])
    search_keys = search.keys_from(
        row["name"],
        row["company"],
        (row["mobile"], row["phone2"]),
        row["id_number"],
        row["name_pinyin"].split(),
        row["name_initials"].split(),
    )
    return (
        (
            *_pick(row),
            actor.id,
            actor.id,
            created,
            created,
            "archived" if archived else "active",
            created if archived else None,
        ),
        row["tags"],
        _SEP.join(search_keys),
    )


def _write(actor: Staff, prepared: list[_Prepared], progress, duplicates: int = 0) -> list[int]:
    """Insert the rows, their tags and search keys inside the caller's transaction, with the
    audit row of the load (``duplicates``: the rows it skipped); the new ids in order. The
    change is announced once the caller's transaction commits."""
    pinyin_column = _COLUMNS.index("name_pinyin")  # the customer list's order
    written: list[int] = []
    # A large load into a small archive builds the customer table's indexes once, after
    # the rows (the search keys' index is kept: its build would sort a million rows in
    # memory, past an import's memory budget).
    with deferred_indexes((Customer, CustomerTag), len(prepared)):
        for start in range(0, len(prepared), 2000):
            chunk = prepared[start : start + 2000]
            ids = insert_returning_ids(Customer, _COLUMNS, [values for values, _t, _k in chunk])
            tag_rows, key_rows = [], []
            for customer_id, (values, tags, found) in zip(ids, chunk, strict=True):
                tag_rows += [(customer_id, tag) for tag in tags.split(",") if tag]
                sort_key = values[pinyin_column]
                key_rows += [(key, customer_id, sort_key) for key in found.split(_SEP) if key]
            insert_rows(CustomerTag, ["customer", "tag"], tag_rows)
            search.add_keys(key_rows)
            written += ids
            if progress is not None:
                progress(start + len(chunk), len(prepared))
    if not is_sqlite() and len(written) > 1000 and not indexes_deferred(Customer):
        # PostgreSQL plans the archive's searches from table statistics; refresh them now
        # rather than wait for the server's autovacuum (a load that set the tables aside
        # refreshes them as it makes their indexes again).
        db.execute_sql("ANALYZE customer")
        db.execute_sql("ANALYZE customer_search_key")
    audit.record(
        actor,
        "import",
        "customer",
        None,
        summary=_("{created} created, {duplicates} duplicates skipped").format(
            created=len(written), duplicates=duplicates
        ),
    )
    if written:
        emit_after_commit(Change.CUSTOMER)
    return written


# An imported row holds every field of the form and the keys derived from the name.
_BULK_COLUMNS = [*AUDITED_FIELDS, "name_pinyin", "name_initials"]
_SEP = "\x1f"  # between a row's search keys while it waits to be written
_COLUMNS = [
    *_BULK_COLUMNS,
    *("created_by", "updated_by", "created_at", "updated_at", "status", "archived_at"),
]
_pick = itemgetter(*_BULK_COLUMNS)
_KEYS = ("mobile", "phone2", "id_number")  # the values that make a row a duplicate
_ARCHIVED = "\x1e"  # starts an archived row's marks (name, then a key)


@dataclass
class SheetCustomer(CustomerInput):
    """A file as a sheet holds it (our own export among them): the form's fields and whether
    the file is archived, so an archived customer comes back archived."""

    status: str = "active"  # active | archived
    # The responsible person the sheet names when nobody on this office's staff has that name
    # (a sheet from another office): the file is imported without one, and the row says so.
    responsible_unknown: str = ""


def is_archived(data: CustomerInput) -> bool:
    return isinstance(data, SheetCustomer) and data.status == "archived"


def duplicate_marks(values: dict[str, Any], archived: bool) -> set[str]:
    """The duplicate marks of a cleaned row (see _marks)."""
    return _marks(values["name"], archived, (values[k] for k in _KEYS))


def _marks(name: str, archived: bool, keys: Iterable[str]) -> set[str]:
    """What makes a row a duplicate. An active row: any of its phones and ID number (the
    form's own rule: one active file per number). An archived row: its name with each of
    them, on a file of any status — an archived file may share a number with an active one
    (the number passed to someone else), and the same sheet imported twice adds nothing."""
    if archived:
        return {f"{_ARCHIVED}{name}{_SEP}{key}" for key in keys if key}
    return {key for key in keys if key}


@contextmanager
def _import_cache() -> Iterator[None]:
    """A smaller SQLite page cache while a bulk load writes: the rows being written already
    take the memory, and the cache's 128 MB on top would double an import's peak."""
    if not is_sqlite():
        yield
        return
    before = db.execute_sql("PRAGMA cache_size").fetchone()[0]
    db.execute_sql("PRAGMA cache_size = -32768")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA cache_size = {int(before)}")


def _db_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


class BulkRejected(ValidationError):
    """Rows of a bulk load were invalid; nothing was written. ``result.rejected`` lists them."""

    def __init__(self, result: BulkResult):
        super().__init__(
            {
                "rows": _("{n} rows are invalid; nothing was imported.").format(
                    n=len(result.rejected)
                )
            }
        )
        self.result = result


def active_staff() -> set[int]:
    """The ids of the staff a file may name as responsible, read once for a whole load."""
    return {row[0] for row in tuples_of(Staff.select(Staff.id).where(Staff.active == True))}


def existing_keys(values: set[str]) -> set[str]:
    """Which of these phones and ID numbers are already on active files."""
    return {value for _name, value in _on_file(values, ("active",))}


def existing_marks(marks: set[str]) -> set[str]:
    """Which of these duplicate marks (see _marks) files on record already carry."""
    keys = {mark for mark in marks if not mark.startswith(_ARCHIVED)}
    found = existing_keys(keys) if keys else set()
    named = {mark.rsplit(_SEP, 1)[1] for mark in marks if mark.startswith(_ARCHIVED)}
    if named:
        on_file = _on_file(named, ("active", "archived"))
        found |= {
            mark for name, key in on_file if (mark := f"{_ARCHIVED}{name}{_SEP}{key}") in marks
        }
    return found


def _on_file(values: set[str], statuses: tuple[str, ...]) -> set[tuple[str, str]]:
    """(name, value) of the files of ``statuses`` whose phone or ID number is one of ``values``."""
    found: set[tuple[str, str]] = set()
    mark = db.obj.param
    status_marks = ", ".join([mark] * len(statuses))
    if Customer.select().count() < 2 * len(values):
        # A load larger than the archive (moving in): one pass over the archive's numbers
        # costs less than looking each of the load's numbers up.
        columns = ", ".join(f'"{column}"' for column in _KEYS)
        sql = f'SELECT "name", {columns} FROM "customer" WHERE "status" IN ({status_marks})'
        for name, *numbers in db.execute_sql(sql, list(statuses)):
            found |= {(name, number) for number in numbers if number in values}
        return found
    ordered = sorted(values)
    for column in _KEYS:
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            # Plain SQL: building a 500-value IN list through the query builder costs more
            # than the lookup itself on a 100,000-row import.
            sql = (
                f'SELECT "name", "{column}" FROM "customer" WHERE "status" IN ({status_marks}) '
                f'AND "{column}" IN ({", ".join([mark] * len(chunk))})'
            )
            found |= set(db.execute_sql(sql, [*statuses, *chunk]).fetchall())
    return found

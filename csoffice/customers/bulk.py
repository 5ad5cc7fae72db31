"""Creating many files in one transaction (imports, demo data): all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from csoffice import audit, auth, settings
from csoffice.changes import Change
from csoffice.customers.form import AUDITED_FIELDS, CustomerInput, _derived, clean
from csoffice.db import search
from csoffice.db.bulk import deferred_indexes, insert_returning_ids, insert_rows
from csoffice.db.database import db, emit_after_commit, is_sqlite
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
    area_code = settings.area_code()
    # Everything that takes time (checks, pinyin, search keys) is done before the transaction,
    # so the write itself is short and a desk saving meanwhile hardly waits. Each row is kept
    # compact (its column values, its search keys as one string) so 100,000 rows fit in little
    # memory.
    seen: set[str] = set()
    prepared: list[tuple[tuple[Any, ...], str, str]] = []
    pick = itemgetter(*_BULK_COLUMNS)
    stamp = now()
    for position, (number, data) in enumerate(inputs):
        try:
            values = clean(data, area_code=area_code)
        except ValidationError as exc:
            result.rejected.append((number, "; ".join(exc.errors.values())))
            continue
        if result.rejected and not skip_invalid:
            continue  # the batch is refused anyway: only the other rejects still matter
        keys = {values[k] for k in ("mobile", "phone2", "id_number") if values[k]}
        if not keys.isdisjoint(seen):
            result.duplicates += 1
            continue
        seen |= keys
        row = _derived(values)
        row["birthday"] = _db_value(row["birthday"])
        created = created_at[position] if created_at is not None else stamp
        search_keys = search.keys_from(
            row["name"],
            row["company"],
            (row["mobile"], row["phone2"]),
            row["id_number"],
            row["name_pinyin"].split(),
            row["name_initials"].split(),
        )
        prepared.append(
            (
                (*pick(row), actor.id, actor.id, created, created),
                row["tags"],
                _SEP.join(search_keys),
            )
        )
    result.rejected.sort()
    if result.rejected and not skip_invalid:
        raise BulkRejected(result)
    columns = [*_BULK_COLUMNS, "created_by", "updated_by", "created_at", "updated_at"]
    key_columns = [columns.index(k) for k in ("mobile", "phone2", "id_number")]
    pinyin_column = columns.index("name_pinyin")  # the customer list's order
    with _import_cache(), db.atomic():
        existing = existing_keys(seen)
        if existing:
            kept = [p for p in prepared if not any(p[0][i] in existing for i in key_columns)]
            result.duplicates += len(prepared) - len(kept)
            prepared = kept
        # A large load into a small archive builds the customer table's indexes once, after
        # the rows (the search keys' index is kept: its build would sort a million rows in
        # memory, past an import's memory budget).
        with deferred_indexes((Customer, CustomerTag), len(prepared)):
            for start in range(0, len(prepared), 2000):
                chunk = prepared[start : start + 2000]
                ids = insert_returning_ids(Customer, columns, [values for values, _t, _k in chunk])
                tag_rows, key_rows = [], []
                for customer_id, (values, tags, found) in zip(ids, chunk, strict=True):
                    tag_rows += [(customer_id, tag) for tag in tags.split(",") if tag]
                    sort_key = values[pinyin_column]
                    key_rows += [(key, customer_id, sort_key) for key in found.split(_SEP) if key]
                insert_rows(CustomerTag, ["customer", "tag"], tag_rows)
                search.add_keys(key_rows)
                result.created += len(ids)
                if progress is not None:
                    progress(start + len(chunk), len(prepared))
        if not is_sqlite() and result.created > 1000:
            # PostgreSQL plans the archive's searches from table statistics; refresh them now
            # rather than wait for the server's autovacuum.
            db.execute_sql("ANALYZE customer")
            db.execute_sql("ANALYZE customer_search_key")
        audit.record(
            actor,
            "import",
            "customer",
            None,
            summary=_("{created} created, {duplicates} duplicates skipped").format(
                created=result.created, duplicates=result.duplicates
            ),
        )
    if result.created:
        emit_after_commit(Change.CUSTOMER)
    return result


# An imported row holds every field of the form and the keys derived from the name.
_BULK_COLUMNS = [*AUDITED_FIELDS, "name_pinyin", "name_initials"]
_SEP = "\x1f"  # between a row's search keys while it waits to be written


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


def existing_keys(values: set[str]) -> set[str]:
    """Which of these phones and ID numbers are already on active files."""
    found: set[str] = set()
    ordered = sorted(values)
    mark = db.obj.param
    for column in ("mobile", "phone2", "id_number"):
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            # Plain SQL: building a 500-value IN list through the query builder costs more
            # than the lookup itself on a 100,000-row import.
            sql = (
                f'SELECT "{column}" FROM "customer" WHERE "status" = {mark} '
                f'AND "{column}" IN ({", ".join([mark] * len(chunk))})'
            )
            found |= {row[0] for row in db.execute_sql(sql, ["active", *chunk]).fetchall()}
    return found

"""Schema versions and the numbered steps between them.

The version lives in the ``schema_version`` table. A new database is created straight from
the models at the latest version. An older one is first copied beside itself (SQLite) and
then taken through each step in order, each step in its own transaction. A new step is a
module ``mNNNN_<what>.py`` holding ``def apply(database)``, listed in STEPS, written so that
its result equals what the models create.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import peewee

from csoffice.db import contacts
from csoffice.db.migrations import (
    m0003_service_event_handler,
    m0005_trust,
    m0006_customer_list_order,
    m0007_answer_library,
    m0008_visit_rules,
    m0009_search_key_one_index,
    m0010_complaint_rounds_and_groups,
    m0011_customer_contact,
)
from csoffice.db.models import ALL_MODELS
from csoffice.db.target import DatabaseTarget
from csoffice.errors import DatabaseError
from csoffice.i18n import _

Step = Callable[[peewee.Database], None]

# (version, description, step). Version 1 is the initial schema, created from the models.
STEPS: list[tuple[int, str, Step | None]] = [
    (1, "initial schema", None),
    (3, "service events name who handled them", m0003_service_event_handler.apply),
    (5, "attachment bytes in the database; audit rows' origin", m0005_trust.apply),
    (6, "customer list order in the search keys", m0006_customer_list_order.apply),
    (7, "answer library and its uses", m0007_answer_library.apply),
    (8, "return visits: rule, window end, period", m0008_visit_rules.apply),
    (9, "search keys: one index", m0009_search_key_one_index.apply),
    (
        10,
        "complaints: results per round, group complainants, duplicates",
        m0010_complaint_rounds_and_groups.apply,
    ),
    (11, "each customer's last contact, kept by triggers", m0011_customer_contact.apply),
]
LATEST = STEPS[-1][0]

_VERSION_DDL = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"


def current_version(database: peewee.Database) -> int:
    """The schema version stored in ``database``; 0 for an empty database."""
    if not database.table_exists("schema_version"):
        if database.get_tables():
            raise DatabaseError(_("This file is not a csoffice database."))
        return 0
    row = database.execute_sql("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def _set_version(database: peewee.Database, version: int) -> None:
    database.execute_sql(_VERSION_DDL)
    database.execute_sql("DELETE FROM schema_version")
    database.execute_sql(f"INSERT INTO schema_version (version) VALUES ({int(version)})")


def _postgres_collations(database: peewee.Database) -> None:
    """Byte-order ("C") collation for the columns searched by prefix, so a key range means
    "starts with" exactly as on SQLite, whatever the server's own locale."""
    database.execute_sql(
        'ALTER TABLE "customer_search_key" ALTER COLUMN "key" TYPE VARCHAR(80) COLLATE "C"'
    )
    database.execute_sql(
        'ALTER TABLE "member_card" ALTER COLUMN "card_no" TYPE VARCHAR(32) COLLATE "C"'
    )
    # The list's order read from the search keys is the byte order, as on SQLite.
    database.execute_sql(
        'ALTER TABLE "customer_search_key" ALTER COLUMN "sort_key" TYPE VARCHAR(400) COLLATE "C"'
    )


def backup_before_upgrade(database: peewee.Database, path: Path, version: int) -> Path:
    """Copy the SQLite file with the online backup API before a migration touches it."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.v{version}-{stamp}.bak{path.suffix}")
    source = database.connection()
    with sqlite3.connect(target) as copy:
        source.backup(copy)
    copy.close()
    return target


def upgrade(database: peewee.Database, target: DatabaseTarget) -> int:
    """Create or upgrade the schema of ``database``; returns the version it is now at."""
    version = current_version(database)
    if version > LATEST:
        raise DatabaseError(
            _(
                "The database was made by a newer csoffice (schema {found}, this one knows {known})."
            ).format(found=version, known=LATEST)
        )
    if version == LATEST:
        return version
    if version == 0:
        # Bound explicitly: ``database`` need not be the one the models' proxy points to.
        with database.bind_ctx(ALL_MODELS), database.atomic():
            database.create_tables(ALL_MODELS)
            if isinstance(database, peewee.PostgresqlDatabase):
                _postgres_collations(database)
            contacts.install(database)
            _set_version(database, LATEST)
        return LATEST
    if target.kind == "sqlite" and target.path is not None:
        backup_before_upgrade(database, target.path, version)
    for number, _description, step in STEPS:
        if number <= version or step is None:
            continue
        with database.atomic():
            step(database)
            _set_version(database, number)
    return LATEST

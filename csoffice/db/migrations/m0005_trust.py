"""Version 5: the bytes of stored files in the database (attachment_blob) and who acted on
an audit row when it was no staff member (audit_log.origin)."""

from __future__ import annotations

import peewee

from csoffice.db.models import AttachmentBlob


def apply(database: peewee.Database) -> None:
    with database.bind_ctx([AttachmentBlob]):
        database.create_tables([AttachmentBlob])
    # One ALTER on both engines (no table rebuild on SQLite): NOT NULL with the models' default.
    database.execute_sql(
        'ALTER TABLE "audit_log" ADD COLUMN "origin" VARCHAR(120) NOT NULL DEFAULT \'\''
    )

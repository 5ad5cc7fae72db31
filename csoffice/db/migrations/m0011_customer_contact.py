"""Version 11: each customer's last contact (``customer_contact``), kept by triggers
(csoffice/db/contacts.py), filled once here from the records already there."""

from __future__ import annotations

import peewee

from csoffice.db import contacts
from csoffice.db.models import CustomerContact


def apply(database: peewee.Database) -> None:
    with database.bind_ctx([CustomerContact]):
        database.create_tables([CustomerContact])
    if "reception" not in database.get_tables():
        return  # not a whole csoffice database; the restore's own check names what is missing
    contacts.install(database)
    contacts.rebuild(database)

"""Version 7: the answer library (常用答复) and which answer was read to which caller."""

from __future__ import annotations

import peewee

from csoffice.db.models import AnswerEntry, AnswerUse


def apply(database: peewee.Database) -> None:
    with database.bind_ctx([AnswerEntry, AnswerUse]):
        database.create_tables([AnswerEntry, AnswerUse])

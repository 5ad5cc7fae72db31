"""Saving a printed document: the PDF written whole and the audit row of who printed it, in one
transaction, so there is never a print in the trail without its file nor a file without its row.
Every print wrapper checks its permission and renders first, then hands the bytes here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from csoffice import audit
from csoffice.db.database import db
from csoffice.db.models import Staff
from csoffice.files import write_atomically


def save_printed(
    actor: Staff,
    path: Path | str,
    pdf: bytes,
    entity: str,
    entity_id: int | None = None,
    summary: str = "",
) -> Path:
    """``pdf`` at ``path`` and one "print" audit row for ``entity`` ``entity_id``."""
    return save_printed_many(actor, path, pdf, entity, [(entity_id, summary)])


def save_printed_many(
    actor: Staff,
    path: Path | str,
    pdf: bytes,
    entity: str,
    printed: Sequence[tuple[int | None, str]],
) -> Path:
    """``pdf`` at ``path`` and a "print" audit row for each (entity id, summary) it carries,
    e.g. every card on a sheet of member cards."""
    with db.atomic():
        written = write_atomically(Path(path), pdf)
        for entity_id, summary in printed:
            audit.record(actor, "print", entity, entity_id, summary=summary)
    return written

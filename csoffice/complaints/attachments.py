"""Photos and documents attached to a complaint, stored by csoffice.attachments."""

from __future__ import annotations

from pathlib import Path

from csoffice import attachments as archive_files
from csoffice import audit, auth
from csoffice.changes import Change
from csoffice.complaints.records import _write, get
from csoffice.db.database import emit_after_commit
from csoffice.db.models import Attachment, Staff, now
from csoffice.errors import NotFound, ValidationError
from csoffice.i18n import _


def _attachment_row(actor: Staff, complaint_id: int, info: archive_files.StoredFile) -> Attachment:
    kind = "photo" if info.mime_type.startswith("image/") else "document"
    return archive_files.add_row(actor, info, kind, complaint_id=complaint_id)


def attach(actor: Staff, complaint_id: int, path: Path) -> int:
    """Attach a photo or document to a complaint; returns the attachment's id."""
    auth.require(actor, "edit")
    info = archive_files.store_file(Path(path), field="attachments")
    with _write():
        complaint = get(complaint_id)
        row = _attachment_row(actor, complaint.id, info)
        audit.record(
            actor, "attach", "complaint", complaint.id, f"{complaint.number}: {info.filename}"
        )
    emit_after_commit(Change.COMPLAINT)
    return row.id


def void_attachment(actor: Staff, attachment_id: int, reason: str) -> None:
    """Take an attachment off a complaint (kept on record, with the reason)."""
    auth.require(actor, "edit")
    if not reason.strip():
        raise ValidationError.single("reason", _("Give the reason."))
    with _write():
        row = Attachment.get_or_none(Attachment.id == attachment_id)
        if row is None or row.complaint_id is None:
            raise NotFound(_("No such attachment."))
        Attachment.update(status="voided", updated_at=now(), updated_by=actor).where(
            Attachment.id == attachment_id
        ).execute()
        audit.record(
            actor, "void", "attachment", attachment_id, f"{row.filename}: {reason.strip()}"
        )
    emit_after_commit(Change.COMPLAINT)

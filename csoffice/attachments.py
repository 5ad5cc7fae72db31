"""The customer's paper file: scanned documents stored once by content hash, and the checklist
of documents received."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import shutil
from dataclasses import dataclass
from pathlib import Path

from csoffice import audit, auth, paper_file
from csoffice.db.database import db
from csoffice.db.models import Attachment, CustomerDocument, Staff
from csoffice.errors import CsofficeError, NotFound, ValidationError
from csoffice.i18n import N_, _
from csoffice.paths import subfolder

DOC_TYPES = {
    "contract": N_("Contract"),
    "id_copy": N_("ID copy"),
    "invoice": N_("Invoice"),
    "insurance": N_("Insurance slip"),
    "delivery": N_("Delivery note"),
    "other": N_("Other document"),
}
MAX_BYTES = 100 * 1024 * 1024


def storage_path(sha256: str) -> Path:
    """Where the content with this hash is kept (two-level folders keep listings short)."""
    return subfolder("attachments") / sha256[:2] / sha256


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def attach(actor: Staff, customer_id: int, source: Path, doc_type: str = "other") -> Attachment:
    """Store a scan for a customer; the same content is stored only once on disk."""
    auth.require(actor, "edit")
    source = Path(source)
    if doc_type not in DOC_TYPES and doc_type not in paper_file.doc_types():
        raise ValidationError.single("doc_type", _("Choose a document type from the list."))
    if not source.is_file():
        raise CsofficeError(_("No such file: {path}").format(path=source))
    size = source.stat().st_size
    if size > MAX_BYTES:
        raise CsofficeError(_("The file is larger than 100 MB."))
    sha = _hash_file(source)
    target = storage_path(sha)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        shutil.copyfile(source, partial)
        partial.replace(target)
    with db.atomic():
        existing = Attachment.get_or_none(
            Attachment.customer == customer_id,
            Attachment.sha256 == sha,
            Attachment.status == "active",
        )
        if existing is not None:
            return existing
        row = Attachment.create(
            sha256=sha,
            filename=source.name[:255],
            size=size,
            mime_type=mimetypes.guess_type(source.name)[0] or "",
            doc_type=doc_type,
            customer=customer_id,
            created_by=actor,
            updated_by=actor,
        )
        _mark_received(actor, customer_id, doc_type, dt.date.today())
        audit.record(actor, "attach", "customer", customer_id, summary=f"{doc_type}: {source.name}")
    return row


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    filename: str
    doc_type: str
    size: int
    added_at: dt.datetime
    path: Path


def list_for(customer_id: int) -> list[AttachmentRow]:
    query = Attachment.select().where(
        Attachment.customer == customer_id, Attachment.status == "active"
    )
    return [
        AttachmentRow(a.id, a.filename, a.doc_type, a.size, a.created_at, storage_path(a.sha256))
        for a in query.order_by(Attachment.created_at.desc())
    ]


def void(actor: Staff, attachment_id: int, reason: str = "") -> None:
    """Take a scan off the file (kept on disk and in the audit trail)."""
    auth.require(actor, "edit")
    with db.atomic():
        row = Attachment.get_or_none(Attachment.id == attachment_id)
        if row is None:
            raise NotFound(_("No such attachment."))
        Attachment.update(status="voided", updated_by=actor).where(
            Attachment.id == attachment_id
        ).execute()
        audit.record(actor, "void", "attachment", attachment_id, summary=reason or row.filename)


def _mark_received(actor: Staff, customer_id: int, doc_type: str, on: dt.date | None) -> None:
    row = CustomerDocument.get_or_none(
        CustomerDocument.customer == customer_id, CustomerDocument.doc_type == doc_type
    )
    if row is None:
        CustomerDocument.create(
            customer=customer_id,
            doc_type=doc_type,
            received=True,
            received_on=on,
            created_by=actor,
            updated_by=actor,
        )
    elif not row.received:
        row.received, row.received_on, row.updated_by = True, on, actor
        row.save()


def set_received(
    actor: Staff, customer_id: int, doc_type: str, received: bool, on: dt.date | None = None
) -> None:
    """Tick or untick a line of the checklist; ticked, it was received ``on`` (today)."""
    auth.require(actor, "edit")
    with db.atomic():
        if received:
            _mark_received(actor, customer_id, doc_type, on or dt.date.today())
        else:
            CustomerDocument.update(received=False, received_on=None, updated_by=actor).where(
                CustomerDocument.customer == customer_id, CustomerDocument.doc_type == doc_type
            ).execute()
        audit.record(
            actor, "update", "customer", customer_id, summary=f"checklist {doc_type}={received}"
        )


def checklist(customer_id: int) -> dict[str, dt.date | None]:
    """Each paper of the office's checklist and the date it was received (None: not yet)."""
    got = {
        row.doc_type: row.received_on
        for row in CustomerDocument.select().where(
            CustomerDocument.customer == customer_id, CustomerDocument.received == True
        )
    }
    papers = [p.code for p in paper_file.checklist().papers]
    return {code: got.get(code) for code in papers} | (
        {"other": got["other"]} if "other" in got else {}
    )


def is_received(customer_id: int, doc_type: str) -> bool:
    return (
        CustomerDocument.select()
        .where(
            CustomerDocument.customer == customer_id,
            CustomerDocument.doc_type == doc_type,
            CustomerDocument.received == True,
        )
        .exists()
    )

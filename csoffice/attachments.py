"""The customer's paper file: scanned documents stored once by content hash, and the checklist
of documents received."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import peewee

from csoffice import audit, auth, paper_file
from csoffice.db.database import db, is_sqlite
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Attachment, AttachmentBlob, CustomerDocument, Staff
from csoffice.errors import NotFound, ValidationError
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
# What a stored file whose name says nothing of its content is recorded as.
DEFAULT_MIME_TYPE = "application/octet-stream"


_SUFFIX = re.compile(r"^\.[a-z0-9]{1,10}$")


def _suffix(filename: str) -> str:
    suffix = Path(filename or "").suffix.lower()
    return suffix if _SUFFIX.match(suffix) else ""


def storage_path(sha256: str, filename: str = "") -> Path:
    """Where the content with this hash is kept (two-level folders keep listings short), with
    the original file's extension so the system viewer knows how to open it."""
    return subfolder("attachments") / sha256[:2] / (sha256 + _suffix(filename))


def local_path(sha256: str, filename: str = "") -> Path:
    """The stored file on this PC. Files stored before schema 5 have no extension; on
    PostgreSQL a file stored at another desk is fetched from the database (checked by hash)."""
    path = storage_path(sha256, filename)
    if path.exists():
        return path
    legacy = storage_path(sha256)
    if legacy.exists():
        return legacy
    blob = AttachmentBlob.get_or_none(AttachmentBlob.sha256 == sha256)
    if blob is not None and hashlib.sha256(bytes(blob.data)).hexdigest() == sha256:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{uuid.uuid4().hex[:8]}.partial")
        partial.write_bytes(bytes(blob.data))
        partial.replace(path)
    return path


def copy_scans_into(database: peewee.Database) -> tuple[int, int]:
    """Put this PC's stored files into ``database``'s attachment_blob (migrate-to a
    PostgreSQL server, where every desk opens them from the database). Returns (files the
    target refers to, files it now holds)."""
    models = [Attachment, AttachmentBlob]
    with database.bind_ctx(models):
        wanted: dict[str, str] = dict(
            tuples_of(Attachment.select(Attachment.sha256, Attachment.filename))
        )
        held = {sha for (sha,) in tuples_of(AttachmentBlob.select(AttachmentBlob.sha256))}
    for sha, filename in wanted.items():
        if sha in held:
            continue
        path = local_path(sha, filename)
        try:
            data = path.read_bytes()
        except OSError:
            continue  # not on this PC: counted as missing
        if hashlib.sha256(data).hexdigest() != sha:
            continue
        with database.bind_ctx(models), database.atomic():
            AttachmentBlob.insert(sha256=sha, data=data).on_conflict_ignore().execute()
        held.add(sha)
    return len(wanted), len(held & set(wanted))


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class StoredFile:
    """A file copied into the content store: its hash is that of the bytes copied."""

    sha256: str
    filename: str
    size: int
    mime_type: str
    path: Path


def store_file(source: Path, field: str = "file") -> StoredFile:
    """Copy ``source`` into the content store, hashing the bytes as they are copied: the one
    way a customer's scan or a complaint's photo is stored. A file that changes or shrinks
    while it is read (a scanner still writing, a sync client) is refused, so what is stored is
    exactly one whole version of it. Every refusal (no such file, too large, changed, cannot be
    copied) is a ValidationError naming ``field``. Runs before the transaction: a failed save
    leaves at most an unreferenced copy, never a row without file."""
    source = Path(source)
    if not source.is_file():
        raise ValidationError.single(field, _("No such file: {path}").format(path=source))
    before = source.stat()
    if before.st_size > MAX_BYTES:
        raise ValidationError.single(field, _("The file is larger than 100 MB."))
    folder = subfolder("attachments")
    partial = folder / f".incoming-{uuid.uuid4().hex}.partial"
    digest, copied = hashlib.sha256(), 0
    changed = ValidationError.single(
        field,
        _(
            "{name} changed while it was being read (is it still being saved or scanned?); "
            "nothing was attached. Try again when it is complete."
        ).format(name=source.name),
    )
    try:
        with source.open("rb") as reader, partial.open("wb") as writer:
            for block in iter(lambda: reader.read(1 << 20), b""):
                digest.update(block)
                writer.write(block)
                copied += len(block)
                if copied > MAX_BYTES:
                    raise ValidationError.single(field, _("The file is larger than 100 MB."))
            writer.flush()
            os.fsync(writer.fileno())
        after = source.stat()
        if (
            copied != before.st_size
            or after.st_size != before.st_size
            or after.st_mtime_ns != before.st_mtime_ns
        ):
            raise changed
        sha = digest.hexdigest()
        target = storage_path(sha, source.name)
        if target.exists() and target.stat().st_size == copied:
            partial.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial.replace(target)
    except OSError as exc:
        raise ValidationError.single(
            field,
            _("Cannot store {name}: {reason}").format(name=source.name, reason=exc.strerror or exc),
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
    mime = mimetypes.guess_type(source.name)[0] or DEFAULT_MIME_TYPE
    return StoredFile(sha, source.name[:255], copied, mime, target)


def keep_in_database(stored: StoredFile) -> None:
    """On PostgreSQL the bytes go into the database too (inside the caller's transaction), so
    every desk can open the file and pg_dump holds it."""
    if is_sqlite():
        return
    if AttachmentBlob.select().where(AttachmentBlob.sha256 == stored.sha256).exists():
        return
    AttachmentBlob.insert(
        sha256=stored.sha256, data=stored.path.read_bytes()
    ).on_conflict_ignore().execute()


def add_row(
    actor: Staff,
    stored: StoredFile,
    doc_type: str,
    customer_id: int | None = None,
    complaint_id: int | None = None,
) -> Attachment:
    """The attachment row of a stored file, for a customer or a complaint (inside the
    caller's transaction; on PostgreSQL the bytes go into the database with it)."""
    keep_in_database(stored)
    return Attachment.create(
        sha256=stored.sha256,
        filename=stored.filename,
        size=stored.size,
        mime_type=stored.mime_type,
        doc_type=doc_type,
        customer=customer_id,
        complaint_id=complaint_id,
        created_by=actor,
        updated_by=actor,
    )


def attach(actor: Staff, customer_id: int, source: Path, doc_type: str = "other") -> Attachment:
    """Store a scan for a customer; the same content is stored only once."""
    auth.require(actor, "edit")
    source = Path(source)
    if doc_type not in DOC_TYPES and doc_type not in paper_file.doc_types():
        raise ValidationError.single("doc_type", _("Choose a document type from the list."))
    stored = store_file(source)
    with db.atomic():
        existing = Attachment.get_or_none(
            Attachment.customer == customer_id,
            Attachment.sha256 == stored.sha256,
            Attachment.status == "active",
        )
        if existing is not None:
            return existing
        row = add_row(actor, stored, doc_type, customer_id=customer_id)
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
        AttachmentRow(
            a.id, a.filename, a.doc_type, a.size, a.created_at, local_path(a.sha256, a.filename)
        )
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

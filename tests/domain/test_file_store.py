"""One way to store a file, for a customer's scans and a complaint's photos alike: one MIME
type for a file whose name says nothing, one error (ValidationError naming the field) for
every refusal, and nothing recorded when the file cannot be stored."""

from __future__ import annotations

import pytest

from csoffice import attachments, complaints, customers
from csoffice.complaints import ComplaintInput
from csoffice.customers import CustomerInput
from csoffice.db.models import Attachment
from csoffice.errors import ValidationError


def test_store_file_copies_hashes_and_names_the_type(tmp_path):
    photo = tmp_path / "现场照片.JPG"
    photo.write_bytes(b"\xff\xd8\xff jpeg")
    stored = attachments.store_file(photo)
    assert stored.mime_type == "image/jpeg"
    assert stored.path.read_bytes() == b"\xff\xd8\xff jpeg"
    unknown = tmp_path / "记录.zzq"
    unknown.write_bytes(b"??")
    assert attachments.store_file(unknown).mime_type == attachments.DEFAULT_MIME_TYPE
    assert attachments.DEFAULT_MIME_TYPE == "application/octet-stream"


def test_customer_and_complaint_files_share_the_mime_default(clerk, tmp_path):
    odd = tmp_path / "录音.amrx"
    odd.write_bytes(b"voice memo")
    customer = customers.create(clerk, CustomerInput(name="张三"))
    scan = attachments.attach(clerk, customer.id, odd, "other")
    complaint = complaints.create(
        clerk,
        ComplaintInput(contact_name="张三", category="quality", facts="异响", attachments=[odd]),
    )
    photo = Attachment.get(Attachment.complaint_id == complaint.id)
    assert scan.mime_type == photo.mime_type == "application/octet-stream"
    assert photo.doc_type == "document" and photo.sha256 == scan.sha256


def test_every_refusal_is_a_validation_error_on_the_field(clerk, tmp_path, monkeypatch):
    missing = tmp_path / "没有这个文件.pdf"
    with pytest.raises(ValidationError) as error:
        attachments.store_file(missing, field="attachments")
    assert list(error.value.errors) == ["attachments"]
    customer = customers.create(clerk, CustomerInput(name="张三"))
    with pytest.raises(ValidationError) as error:
        attachments.attach(clerk, customer.id, missing, "contract")
    assert list(error.value.errors) == ["file"]
    complaint = complaints.create(
        clerk, ComplaintInput(contact_name="张三", category="quality", facts="异响")
    )
    with pytest.raises(ValidationError) as error:
        complaints.attach(clerk, complaint.id, missing)
    assert list(error.value.errors) == ["attachments"]

    # A disk that refuses the copy (full, read-only) is the same kind of error, not a crash.
    scan = tmp_path / "合同.pdf"
    scan.write_bytes(b"%PDF-1.4")

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(attachments.os, "fsync", disk_full)
    with pytest.raises(ValidationError, match="No space left on device") as error:
        complaints.attach(clerk, complaint.id, scan)
    assert list(error.value.errors) == ["attachments"]
    assert Attachment.select().count() == 0

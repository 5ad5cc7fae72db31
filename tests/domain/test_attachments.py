"""Scans are stored once by content hash and listed; the checklist follows."""

from __future__ import annotations

from csoffice import attachments, customers
from csoffice.customers import CustomerInput


def test_same_scan_is_stored_once(clerk, tmp_path):
    one = customers.create(clerk, CustomerInput(name="张三"))
    two = customers.create(clerk, CustomerInput(name="李四"))
    scan = tmp_path / "合同.pdf"
    scan.write_bytes(b"%PDF-1.4 contract")
    a = attachments.attach(clerk, one.id, scan, "contract")
    b = attachments.attach(clerk, two.id, scan, "contract")
    assert a.sha256 == b.sha256
    stored = attachments.local_path(a.sha256, a.filename)
    assert stored.suffix == ".pdf"  # the system viewer knows what to open it with
    assert stored.read_bytes() == b"%PDF-1.4 contract"
    assert attachments.attach(clerk, one.id, scan, "contract").id == a.id
    assert [row.filename for row in attachments.list_for(one.id)] == ["合同.pdf"]
    assert attachments.checklist(one.id)["contract"] is not None
    assert attachments.checklist(one.id)["invoice"] is None
    attachments.set_received(clerk, one.id, "invoice", True)
    assert attachments.is_received(one.id, "invoice")
    attachments.void(clerk, a.id, "扫错了")
    assert attachments.list_for(one.id) == []

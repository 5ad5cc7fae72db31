"""The printer test page and the one saving step every print wrapper shares
(csoffice.documents): the page renders to bytes from plain data, the wrapper writes it under the
office's letterhead with its audit row, it reaches the real queue, and a churn call list's audit
row is now written with its file, not before it."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import settings
from csoffice.call_list import print_call_list
from csoffice.db.models import AuditLog
from csoffice.documents import save_printed, save_printed_many
from csoffice.errors import PermissionDenied
from csoffice.printer_check import write_test_page
from csoffice.printing import test_page
from csoffice.printing.office import Office
from tests.conftest import needs_poppler, pdf_text, run_cli
from tests.printer_queue import page_size

pytestmark = needs_poppler


def _prints(entity: str) -> list[AuditLog]:
    return list(AuditLog.select().where(AuditLog.entity == entity, AuditLog.action == "print"))


def test_the_test_page_renders_the_letterhead_and_rare_names_to_bytes(tmp_path):
    office = Office("幸福汽车 4S 店客服部", "人民路 1 号", "0571-88886666")
    pdf = test_page.test_page_pdf(office, dt.datetime(2026, 11, 24, 9, 30))
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    text = "".join(pdf_text(path).split())
    assert "幸福汽车4S店客服部" in text and "0571-88886666" in text
    assert all(name in text for name in test_page.RARE_NAMES)
    assert "1,234,567.89" in text


def test_the_test_page_is_written_under_the_settings_letterhead_and_audited(
    viewer, manager, tmp_path
):
    settings.put(manager, {"office.name": "幸福汽车 4S 店客服部"})
    # No customer data on it: anyone signed in, a viewer too, may check the printer.
    path = write_test_page(viewer, tmp_path / "prints" / "test-page.pdf")
    assert path.read_bytes().startswith(b"%PDF-")
    assert "幸福汽车4S店客服部" in "".join(pdf_text(path).split())
    [row] = _prints("test_page")
    assert row.staff_id == viewer.id and row.summary == "test-page.pdf"


def test_the_test_page_reaches_the_printer_queue(printer_queue, database, private_home):
    before = printer_queue.files()
    result = run_cli(
        "--db",
        str(database.path),
        "print",
        "test-page",
        "--printer",
        printer_queue.name,
        home=private_home,
    )
    assert result.returncode == 0, result.stderr
    printed = printer_queue.wait_for(before, "print-test-page")
    assert "(A4)" in page_size(printed)


def test_save_printed_writes_the_file_and_one_row_per_printed_thing(manager, tmp_path):
    one = save_printed(manager, tmp_path / "a.pdf", b"%PDF-1.4 a", "member_card", 7, "M001")
    assert one.read_bytes() == b"%PDF-1.4 a"
    save_printed_many(manager, tmp_path / "b.pdf", b"%PDF-1.4 b", "member_card", [(8, "M2")])
    rows = _prints("member_card")
    assert [(r.entity_id, r.summary) for r in rows] == [(7, "M001"), (8, "M2")]


def test_a_file_that_cannot_be_written_leaves_no_audit_row(manager, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(OSError):
        save_printed(manager, blocker / "a.pdf", b"%PDF-1.4", "test_page", None, "a.pdf")
    assert _prints("test_page") == []


def test_the_call_list_is_audited_with_its_file_and_refused_to_a_viewer(viewer, manager, tmp_path):
    with pytest.raises(PermissionDenied):
        print_call_list(viewer, "cards", tmp_path / "v.pdf", dt.date(2026, 6, 30))
    assert not (tmp_path / "v.pdf").exists() and _prints("churn_list") == []
    path = print_call_list(manager, "cards", tmp_path / "l.pdf", dt.date(2026, 6, 30))
    assert path.read_bytes().startswith(b"%PDF-")
    [row] = _prints("churn_list")
    assert row.summary == "cards 2026-06-30 (0)"

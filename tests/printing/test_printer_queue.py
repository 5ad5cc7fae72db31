"""Printing to a real printer queue from the command line: `print …` and `report …` with
--printer land in CUPS (cups-pdf) on paper of the document's own size."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import complaints, customers, members, receptions, settings
from csoffice.complaints import ComplaintInput
from csoffice.receptions import ReceptionInput
from tests.conftest import needs_poppler, pdf_text, run_cli
from tests.printer_queue import page_count, page_size

pytestmark = needs_poppler


@pytest.fixture
def complaint(clerk, manager):
    settings.put(manager, {"office.name": "幸福汽车 4S 店客服部"})
    customer = customers.create(clerk, customers.CustomerInput(name="刘䶮", mobile="13812345678"))
    return complaints.create(
        clerk,
        ComplaintInput(
            channel="visit",
            customer_id=customer.id,
            category="quality",
            severity="ordinary",
            facts="空调运行时有异响。",
            desired_outcome="维修",
        ),
    )


def cli(database, home, *args: str):
    return run_cli("--db", str(database.path), *args, home=home)


def test_complaint_slip_on_a5_reaches_the_queue_on_a5(
    printer_queue, complaint, manager, database, private_home
):
    settings.put(manager, {"complaints.slip_page_size": "A5"})
    before = printer_queue.files()
    result = cli(
        database,
        private_home,
        "print",
        "complaint",
        complaint.number,
        "--printer",
        printer_queue.name,
    )
    assert result.returncode == 0, result.stderr
    assert printer_queue.name in result.stdout
    printed = printer_queue.wait_for(before, f"print-complaint-{complaint.number}")
    assert "(A5)" in page_size(printed)
    assert complaint.number in pdf_text(printed)


def test_daily_report_to_the_default_printer(printer_queue, manager, database, private_home):
    receptions.create(manager, ReceptionInput(caller_name="李四", content="咨询保养"))
    day = dt.date.today().isoformat()
    before = printer_queue.files()
    result = cli(database, private_home, "report", "daily", day, "--printer", "default")
    assert result.returncode == 0, result.stderr
    printed = printer_queue.wait_for(before, f"report-daily-{day}")
    assert "(A4)" in page_size(printed)
    # cups-pdf re-encodes the fonts, so only the Latin text is still extractable.
    assert day in pdf_text(printed)


def test_member_card_reaches_the_queue_on_card_stock(
    printer_queue, manager, database, private_home
):
    customer = customers.create(manager, customers.CustomerInput(name="王芳", mobile="13800138000"))
    card = members.enrol(manager, customer.id)
    before = printer_queue.files()
    result = cli(
        database, private_home, "print", "card", card.card_no, "--printer", printer_queue.name
    )
    assert result.returncode == 0, result.stderr
    printed = printer_queue.wait_for(before, f"print-card-{card.card_no}")
    width, _x, height = page_size(printed).split()[:3]
    # CR80: 85.6 × 54 mm is 243 × 153 points.
    assert abs(float(width) - 242.6) <= 2 and abs(float(height) - 153.0) <= 2
    assert page_count(printed) == 1


def test_unknown_printer_is_one_line_and_status_1(manager, database, private_home):
    result = cli(
        database, private_home, "report", "daily", "2026-11-24", "--printer", "no-such-printer"
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no-such-printer" in result.stderr or "打印" in result.stderr


def test_exactly_one_of_out_and_printer(manager, database, private_home, tmp_path):
    both = cli(
        database,
        private_home,
        "report",
        "daily",
        "2026-11-24",
        "--out",
        str(tmp_path / "a.pdf"),
        "--printer",
        "default",
    )
    neither = cli(database, private_home, "report", "daily", "2026-11-24")
    assert both.returncode == 2 and neither.returncode == 2
    assert not (tmp_path / "a.pdf").exists()


def test_the_command_line_imports_no_qt():
    result = run_cli("--help")
    assert result.returncode == 0
    import subprocess
    import sys

    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, csoffice.cli, csoffice.printing.spool; print(any(m.startswith('PySide6') for m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert check.stdout.strip() == "False"

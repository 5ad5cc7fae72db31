"""The complaint slip as a form the office files and signs: the department's copy with the
full phone (audited) beside the masked filed copy, a long timeline continued under a 续
heading with the signatures kept on the form's page, the boxes of a slip printed at receipt,
the A5 layout, and a re-opened complaint's superseded round."""

from __future__ import annotations

import subprocess

import pytest

from csoffice import complaints, customers, receptions, settings
from csoffice.complaints import ComplaintInput, StepInput
from csoffice.complaints.slip import print_slip
from csoffice.db.models import AuditLog
from csoffice.receptions import ReceptionInput
from tests.conftest import needs_poppler, pdf_text, run_cli

pytestmark = needs_poppler


def page_texts(path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.fixture
def received(clerk, manager):
    settings.put(manager, {"office.name": "幸福汽车 4S 店客服部"})
    customer = customers.create(
        clerk,
        customers.CustomerInput(
            name="刘䶮", mobile="13812345678", address="杭州市西湖区文三路 1 号"
        ),
    )
    reception = receptions.create(
        clerk, ReceptionInput(customer_id=customer.id, category="complaint", content="空调异响")
    )
    made = complaints.create(
        clerk,
        ComplaintInput(
            channel="visit",
            customer_id=customer.id,
            category="quality",
            severity="ordinary",
            facts="新买的空调运行时有异响。",
            desired_outcome="维修",
        ),
        reception_id=reception.id,
    )
    return complaints.view(made.id), customer, reception


def test_filed_copy_masks_the_phone_and_department_copy_prints_it_audited(
    received, clerk, tmp_path
):
    view, customer, _reception = received
    filed = pdf_text(print_slip(clerk, view.id, tmp_path / "filed.pdf"))
    assert "138****5678" in filed and "13812345678" not in filed
    assert "存档联" in filed
    department = pdf_text(print_slip(clerk, view.id, tmp_path / "dept.pdf", copy="department"))
    assert "13812345678" in department and "部门联" in department
    # What a 投诉处理单 carries: file number, address, the reception it came from.
    assert "杭州市西湖区文三路 1 号" in department
    assert str(customer.id) in department and "来源接待登记号" in department
    row = (
        AuditLog.select()
        .where(AuditLog.action == "print", AuditLog.entity == "complaint")
        .order_by(AuditLog.id.desc())
        .get()
    )
    assert "部门联" in row.summary and "完整电话" in row.summary


def test_slip_printed_at_receipt_has_boxes_to_complete_by_hand(received, clerk, tmp_path):
    view, _customer, _reception = received
    first = page_texts(print_slip(clerk, view.id, tmp_path / "slip.pdf"))[0]
    for label in ("处理结果", "原因分析", "纠正措施", "客户意见", "审核意见", "部门意见"):
        assert label in first, label
    for signed in ("客户确认签字", "部门负责人签名", "客服部经理", "受理人（首问负责人）"):
        assert signed in first, signed


def test_long_timeline_continues_with_a_continued_heading(received, clerk, tmp_path):
    view, _customer, _reception = received
    for n in range(45):
        complaints.add_note(clerk, view.id, f"第 {n + 1} 次电话联系客户，约定上门时间。")
    out = print_slip(clerk, view.id, tmp_path / "long.pdf")
    pages = page_texts(out)
    assert len(pages) >= 2
    assert "客服部经理" in pages[0] and "客户确认签字" in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"{view.number}（续）" in page
        assert f"第{number}页/共{len(pages)}页" in "".join(page.split())
        assert "客服部经理" not in page  # signatures once, where they are signed


def test_a5_slip_keeps_dates_and_footer_whole(received, clerk, manager, tmp_path):
    settings.put(manager, {"complaints.slip_page_size": "A5"})
    view, _customer, _reception = received
    out = print_slip(clerk, view.id, tmp_path / "a5.pdf")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "419.528 x 595.276" in info
    text = pdf_text(out)
    received_at = view.received_at.strftime("%Y-%m-%d %H:%M")
    assert received_at in text  # a date and its time on one line
    pages = page_texts(out)
    assert all(f"共{len(pages)}页" in "".join(page.split()) for page in pages)


def test_reopened_complaint_prints_the_earlier_round_as_superseded(
    received, clerk, manager, tmp_path
):
    view, _customer, _reception = received
    complaints.move(clerk, view.id, "submit")
    complaints.move(
        manager, view.id, "confirm", StepInput(department="aftersales", handler_name="李师傅")
    )
    complaints.move(
        clerk, view.id, "handle", StepInput(result="已清洁风机", company_at_fault=False)
    )
    complaints.move(
        clerk,
        view.id,
        "inform",
        StepInput(customer_opinion="暂时可以", satisfaction=3, satisfaction_reason="还需观察"),
    )
    complaints.move(clerk, view.id, "close")
    complaints.move(manager, view.id, "reopen", StepInput(note="异响再次出现"))
    text = pdf_text(print_slip(clerk, view.id, tmp_path / "reopened.pdf"))
    assert "已被取代" in text and "已清洁风机" in text and "异响再次出现" in text
    # This round is handled again: the new result is current, the old one still superseded.
    complaints.move(
        clerk,
        view.id,
        "handle",
        StepInput(
            result="更换风机轴承",
            company_at_fault=True,
            root_cause="轴承批次缺陷",
            corrective_action="同批次排查",
        ),
    )
    text = "".join(pdf_text(print_slip(clerk, view.id, tmp_path / "again.pdf")).split())
    assert "更换风机轴承" in text
    assert text.index("已清洁风机") > text.index("已被取代") or "已被取代" in text


def test_cli_prints_the_department_copy(received, database, private_home, tmp_path):
    view, _customer, _reception = received
    out = tmp_path / "dept.pdf"
    result = run_cli(
        "--db",
        str(database.path),
        "print",
        "complaint",
        view.number,
        "department",
        "--out",
        str(out),
        home=private_home,
    )
    assert result.returncode == 0, result.stderr
    assert "13812345678" in pdf_text(out)
    wrong = run_cli(
        "--db",
        str(database.path),
        "print",
        "complaint",
        view.number,
        "copy3",
        "--out",
        str(out),
        home=private_home,
    )
    assert wrong.returncode == 1 and len(wrong.stderr.strip().splitlines()) == 1


def test_english_labels_wrap_at_spaces_not_mid_word(received, clerk, tmp_path):
    from csoffice.i18n import set_language

    view, _customer, _reception = received
    set_language("en")
    text = pdf_text(print_slip(clerk, view.id, tmp_path / "en.pdf"))
    words = text.split()
    assert "outcome" in words and "Desired" in words  # "Desired outcom-e" broke mid-word
    assert "Page 1 of" in text

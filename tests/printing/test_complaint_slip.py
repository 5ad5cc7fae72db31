"""The printed complaint slip: its text, its fonts, A4 / A5, the command line."""

from __future__ import annotations

import subprocess

import pytest

from csoffice import complaints, customers, settings
from csoffice.complaint_slip_data import slip_data
from csoffice.complaints import ComplaintInput, StepInput
from csoffice.complaints.slip import print_command, print_slip
from csoffice.db.models import AuditLog
from csoffice.errors import NotFound, PermissionDenied
from csoffice.printing.complaint_slip import render_slip
from tests.conftest import needs_poppler, pdf_fonts, pdf_text, run_cli

pytestmark = needs_poppler


@pytest.fixture
def complaint(clerk, manager):
    settings.put(manager, {"office.name": "幸福汽车 4S 店客服部", "office.phone": "0571-88886666"})
    customer = customers.create(clerk, customers.CustomerInput(name="刘䶮", mobile="13812345678"))
    made = complaints.create(
        clerk,
        ComplaintInput(
            channel="visit",
            customer_id=customer.id,
            category="quality",
            severity="major",
            facts="新买的空调运行时有异响，售后两次上门未解决。",
            desired_outcome="更换整机",
        ),
    )
    complaints.move(clerk, made.id, "submit")
    complaints.move(
        manager, made.id, "confirm", StepInput(department="aftersales", handler_name="李师傅")
    )
    complaints.move(
        clerk,
        made.id,
        "handle",
        StepInput(
            result="已更换压缩机",
            company_at_fault=True,
            root_cause="安装不当",
            corrective_action="安装工培训",
        ),
    )
    return complaints.get(made.id)


def test_slip_text_and_fonts(complaint, manager, tmp_path):
    out = print_slip(manager, complaint.id, tmp_path / "slip.pdf")
    text = pdf_text(out)
    for expected in [
        "幸福汽车 4S 店客服部",
        "客户投诉处理单",
        complaint.number,
        "刘䶮",
        "138****5678",  # masked on paper
        "受理时间",
        "产品质量",
        "重大",
        "首问负责人",
        "王芳",
        "新买的空调运行时有异响",
        "售后服务部",
        "李师傅",
        "公司是否有责任",
        "原因分析",
        "安装工培训",
        "处理过程",
        "提交经理确认",
        "经理确认并分派",
        "登记处理结果",
        "受理人（首问负责人）",
        "客服部经理",
        "日期",
    ]:
        assert expected in text, expected
    assert "13812345678" not in text
    fonts = pdf_fonts(out)
    assert "WenQuanYiZenHei" in fonts
    font_rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert font_rows and all(row[-5] == "yes" for row in font_rows)  # every font embedded
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "595.276 x 841.89" in info  # A4
    # The whole form with every signature on its first page; only the timeline may go on.
    first_page = subprocess.run(
        ["pdftotext", "-l", "1", "-layout", str(out), "-"], capture_output=True, text=True
    ).stdout
    for signed in (
        "受理人（首问负责人）",
        "处理人",
        "部门负责人签名",
        "客户确认签字",
        "客服部经理",
    ):
        assert signed in first_page, signed
    assert (
        AuditLog.select().where(AuditLog.action == "print", AuditLog.entity == "complaint").count()
        == 1
    )


def test_a5_setting(complaint, manager, tmp_path):
    settings.put(manager, {"complaints.slip_page_size": "A5"})
    out = print_slip(manager, complaint.id, tmp_path / "slip.pdf")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "419.528 x 595.276" in info
    assert complaint.number in pdf_text(out)


def test_print_command_by_number(complaint, manager, tmp_path):
    out = tmp_path / "by-number.pdf"
    print_command(manager, [complaint.number], out)
    assert "刘䶮" in pdf_text(out)
    with pytest.raises(NotFound) as error:
        print_command(manager, ["TS-209912-9999"], out)
    assert str(error.value) == "没有编号为 TS-209912-9999 的投诉。"


def test_viewer_may_not_print(complaint, viewer, tmp_path):
    with pytest.raises(PermissionDenied):
        print_slip(viewer, complaint.id, tmp_path / "prints" / "x.pdf")
    assert not (tmp_path / "prints").exists()  # no file, not even a partial one
    assert not AuditLog.select().where(AuditLog.action == "print").exists()


def test_render_gives_the_pdf_bytes_of_the_gathered_data(complaint, manager, tmp_path):
    """The renderer takes the domain's plain data (the letterhead in it) and returns bytes;
    printing the department copy is audited as such, the file written whole."""
    data = slip_data(complaint.id, "department")
    assert data.office.name == "幸福汽车 4S 店客服部"
    pdf = render_slip(data, "A4", printed_by="王芳")
    assert pdf.startswith(b"%PDF")
    (tmp_path / "rendered.pdf").write_bytes(pdf)
    text = pdf_text(tmp_path / "rendered.pdf")
    for expected in (complaint.number, "13812345678", "部门联", "幸福汽车 4S 店客服部", "王芳"):
        assert expected in text, expected
    out = print_slip(manager, complaint.id, tmp_path / "department.pdf", copy="department")
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".partial"] == []
    row = AuditLog.get(AuditLog.action == "print", AuditLog.entity == "complaint")
    assert row.entity_id == complaint.id and row.staff_id == manager.id
    assert complaint.number in row.summary and "department.pdf" in row.summary


def test_cli(complaint, database, tmp_path, private_home):
    out = tmp_path / "cli.pdf"
    result = run_cli(
        "--db",
        str(database.path),
        "print",
        "complaint",
        complaint.number,
        "--out",
        str(out),
        home=private_home,
    )
    assert result.returncode == 0, result.stderr
    assert complaint.number in pdf_text(out)

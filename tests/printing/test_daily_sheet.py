"""The daily sheet (日结) as the manager signs it: text, fonts, a rendered page, the command."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from csoffice import auth, complaints, receptions, settings
from csoffice.db.models import AuditLog
from csoffice.errors import PermissionDenied
from csoffice.printing.daily_sheet import daily_sheet_pdf
from csoffice.reception_day import print_daily_sheet, sheet
from csoffice.receptions import ReceptionInput
from tests.conftest import needs_poppler, pdf_fonts, pdf_text, run_cli


def log(actor, day: dt.date, minute: int, **values):
    data = dict(
        channel="phone",
        category="consult",
        caller_name="张三",
        caller_phone="13812345678",
        content="咨询保养套餐价格",
        received_at=dt.datetime.combine(day, dt.time(0, minute)),
    )
    data.update(values)
    return receptions.create(actor, ReceptionInput(**data))


def fill_day(manager, clerk, day: dt.date):
    settings.put(manager, {"office.name": "幸福汽车 4S 店客服部", "office.phone": "0571-88886666"})
    log(clerk, day, 1, outcome="已报价")
    log(clerk, day, 2, category="repair", content="空调不制冷，预约上门检修", outcome="已派单")
    log(
        clerk,
        day,
        3,
        category="repair",
        channel="visit",
        caller_name="刘䶮",
        content="车辆异响，到店检测",
        followup_needed=True,
        followup_due=day + dt.timedelta(days=2),
    )
    turned = log(
        manager,
        day,
        4,
        category="complaint",
        channel="wechat",
        caller_name="孙经理",
        caller_company="顺丰速运",
        caller_kind="supplier",
        content="投诉送货延误三天无人联系",
    )
    draft = complaints.draft_from_reception(turned.id)
    draft.category, draft.severity = "delivery", "major"
    return complaints.create(manager, draft, reception_id=turned.id)


@needs_poppler
def test_daily_sheet_lists_the_day(tmp_path, manager, clerk):
    day = dt.date.today()
    complaint = fill_day(manager, clerk, day)
    path = tmp_path / "daily.pdf"
    path.write_bytes(daily_sheet_pdf(sheet(day)))
    text = pdf_text(path)
    flat = "".join(text.split())
    assert "幸福汽车4S店客服部" in flat
    assert "接待日结表" in flat
    assert "咨询（1）" in flat and "售后维修（2）" in flat and "投诉（1）" in flat
    assert "空调不制冷" in flat and "刘䶮" in flat
    assert "孙经理（顺丰速运" in flat and "供应商" in flat
    assert "待跟进事项（1）" in flat
    assert "当日受理投诉（1）" in flat and complaint.number in flat
    assert "已转投诉" in flat and flat.count(complaint.number[:9]) >= 2
    assert "送货" in flat and "重大" in flat
    assert "送货延误三天无人联系" in flat
    assert "接待人：" in flat and "经理：" in flat
    assert "138****5678" in flat and "13812345678" not in flat  # phones masked on paper
    font_lines = pdf_fonts(path).splitlines()[2:]
    assert font_lines and all("WenQuanYiZenHei" in line for line in font_lines)
    assert all("yes yes yes" in line for line in font_lines)  # embedded, subset, unicode map
    image = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(image)], check=True
    )
    assert (tmp_path / "page-1.png").stat().st_size > 5000


@needs_poppler
def test_an_empty_day_says_so(tmp_path, manager):
    path = tmp_path / "empty.pdf"
    path.write_bytes(daily_sheet_pdf(sheet(dt.date(2026, 1, 1))))
    flat = "".join(pdf_text(path).split())
    assert "当日没有来电来访登记。" in flat
    assert "没有待跟进事项。" in flat
    assert "当日未受理投诉。" in flat


def test_printing_is_audited_and_needs_a_desk_role(tmp_path, clerk, viewer):
    written = print_daily_sheet(clerk, dt.date.today(), tmp_path / "d.pdf")
    assert written.read_bytes().startswith(b"%PDF")
    assert AuditLog.get(AuditLog.entity == "daily_sheet").staff_id == clerk.id
    with pytest.raises(PermissionDenied):
        print_daily_sheet(viewer, dt.date.today(), tmp_path / "v.pdf")
    assert not (tmp_path / "v.pdf").exists()
    assert AuditLog.select().where(AuditLog.entity == "daily_sheet").count() == 1
    assert list(tmp_path.glob("*.pdf*")) == [written]  # no partial file left behind


@needs_poppler
def test_report_daily_command(tmp_path, database, private_home):
    from csoffice.db.database import close_database

    day = dt.date.today()
    manager = auth.default_manager()
    clerk = auth.create_staff(manager, "clerk1", "王芳", auth.Role.CLERK)
    fill_day(manager, clerk, day)
    close_database()
    out = tmp_path / "day.pdf"
    result = run_cli(
        "--db",
        str(database.path),
        "report",
        "daily",
        day.isoformat(),
        "--out",
        str(out),
        home=private_home,
    )
    assert result.returncode == 0, result.stderr
    assert "售后维修" in pdf_text(out)
    bad = run_cli(
        "--db",
        str(database.path),
        "report",
        "daily",
        "2026-13-40",
        "--out",
        str(out),
        home=private_home,
    )
    assert bad.returncode == 1 and "2026-13-40" in bad.stderr

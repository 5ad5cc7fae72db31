"""Referrals: a member recommends a prospect, the lead is followed up, listed for sales (printed,
exported and read back by LibreOffice's reader calamine), and counted for the member and the
month's club figures."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import customers, referrals, reports
from csoffice.db.models import AuditLog
from csoffice.errors import PermissionDenied, ValidationError
from csoffice.referrals import ReferralInput
from tests.conftest import needs_poppler, pdf_text


def member(actor) -> int:
    return customers.create(actor, customers.CustomerInput(name="张伟", mobile="13812345678")).id


def test_a_lead_is_checked_followed_and_counted(clerk):
    cid = member(clerk)
    with pytest.raises(ValidationError) as bad:
        referrals.add(clerk, ReferralInput(cid, "", "12345"))
    assert set(bad.value.errors) == {"prospect_name", "prospect_phone"}
    lead = referrals.add(
        clerk,
        ReferralInput(cid, "李娜", "139 1234 5678", "新能源车"),
        at=dt.datetime(2026, 3, 5, 10),
    )
    assert lead.prospect_phone == "13912345678"
    referrals.follow_up(clerk, lead.id, "passed", "交给销售部陈洁", at=dt.datetime(2026, 3, 6, 9))
    referrals.follow_up(clerk, lead.id, "won", "已签购车合同", at=dt.datetime(2026, 3, 20, 9))
    (row,) = referrals.rows()
    assert (
        row.status_label == "已成交" and "交给销售部陈洁" in row.note and "已签购车合同" in row.note
    )
    assert referrals.counts_for(cid) == referrals.Counts(1, 1)
    figures = reports.member_figures(reports.Period.month(2026, 3))
    assert (figures.referrals, figures.referrals_won) == (1, 1)


@needs_poppler
def test_list_for_sales_printed_and_exported(clerk, manager, viewer, tmp_path):
    from python_calamine import CalamineWorkbook

    cid = member(clerk)
    referrals.add(clerk, ReferralInput(cid, "李娜", "13912345678", "新能源车"))
    with pytest.raises(PermissionDenied):
        referrals.print_list(viewer, tmp_path / "refused.pdf")
    assert not list(tmp_path.glob("refused.pdf*"))
    printed = referrals.print_list(clerk, tmp_path / "leads.pdf")
    assert printed.read_bytes().startswith(b"%PDF")
    text = pdf_text(printed)
    assert "会员推荐客户名单" in text and "李娜" in text and "新能源车" in text
    (row,) = AuditLog.select().where(AuditLog.entity == "referral", AuditLog.action == "print")
    assert (row.staff_id, row.summary) == (clerk.id, "all")
    with pytest.raises(PermissionDenied):
        referrals.export(clerk, tmp_path / "leads.xlsx")
    assert referrals.export(manager, tmp_path / "leads.xlsx") == 1
    sheet = CalamineWorkbook.from_path(str(tmp_path / "leads.xlsx")).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert rows[1][1:5] == ["张伟", "李娜", "13912345678", "新能源车"]

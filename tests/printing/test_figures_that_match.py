"""Printed figures that match each other: a daily sheet reprinted later prints the same
follow-ups it printed on the day."""

from __future__ import annotations

import datetime as dt

from csoffice import receptions
from csoffice.reception_day import print_daily_sheet
from csoffice.receptions import ReceptionInput
from tests.conftest import needs_poppler, pdf_text

pytestmark = needs_poppler


def test_daily_sheet_reprinted_later_lists_the_same_open_followups(manager, tmp_path):
    day = dt.date.today() - dt.timedelta(days=3)
    at = dt.datetime.combine(day, dt.time(10, 0))
    owed = receptions.create(
        manager,
        ReceptionInput(
            caller_name="周某",
            content="回电告知配件到货",
            followup_needed=True,
            followup_due=day + dt.timedelta(days=1),
            received_at=at,
        ),
    )
    on_the_day = receptions.daily_figures(day).followups_owed
    assert [r.id for r in on_the_day] == [owed.id]
    # Done today, voided or not: the sheet of that day still shows it was owed that evening.
    receptions.mark_followup_done(manager, owed.id, "已回电")
    assert [r.id for r in receptions.daily_figures(day).followups_owed] == [owed.id]
    assert receptions.daily_figures(dt.date.today()).followups_owed == []
    text = pdf_text(print_daily_sheet(manager, day, tmp_path / "again.pdf"))
    assert "周某" in text and "回电告知配件到货" in text


def test_overdue_is_one_definition_printed_under_the_figures(manager, tmp_path):
    from csoffice import appraisal, complaints, reports
    from csoffice.complaints import ComplaintInput
    from csoffice.reports.printed import print_monthly_report

    made = complaints.create(
        manager, ComplaintInput(contact_name="李四", category="billing", facts="多收费")
    )
    month = reports.parse_period(dt.date.today().strftime("%Y-%m"), "monthly")
    later = dt.datetime.combine(month.last, dt.time(23, 0))
    figures = reports.complaint_figures(month, at=later)
    facts = appraisal.facts(manager.id, month.first.strftime("%Y-%m"), at=later)
    assert figures.overdue == facts.overdue  # the monthly report and the appraisal form agree
    assert complaints.get(made.id).resolve_due is not None
    text = "".join(pdf_text(print_monthly_report(manager, month, tmp_path / "m.pdf")).split())
    assert "超时：处理期限落在本期内" in text
    assert "结案率：本期受理且截至打印时已结案或不予受理的投诉数÷本期受理的投诉数" in text

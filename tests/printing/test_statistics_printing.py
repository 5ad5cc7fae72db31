"""The department report, the clerk's daily work report, the churn call list and the monthly
report's appendix as printed: their text (pdftotext) carries the figures of the domain."""

from __future__ import annotations

import datetime as dt

from csoffice.call_list import print_call_list
from csoffice.reports.printed import (
    print_clerk_daily,
    print_department_report,
    print_monthly_report,
)
from tests.conftest import needs_poppler, pdf_text
from tests.domain.test_statistics import AS_OF, JUNE, office  # noqa: F401
from tests.printing.test_monthly_report import flat, page_sizes


@needs_poppler
def test_department_report_is_one_page(office, tmp_path):  # noqa: F811
    path = print_department_report(office["manager"], "service", JUNE, tmp_path / "d.pdf")
    text = flat(pdf_text(path))
    assert len(page_sizes(path)) == 1
    assert "责任部门投诉报告" in text or "Department complaint report" in text
    assert "TS-202606-0001" in text and "TS-202606-0002" in text
    assert "100.0%" in text  # the company at fault in the one complaint where it was recorded


@needs_poppler
def test_clerk_daily_and_call_list(office, tmp_path):  # noqa: F811
    manager = office["manager"]
    day = print_clerk_daily(manager, manager.id, dt.date(2026, 6, 10), tmp_path / "c.pdf")
    assert manager.display_name in flat(pdf_text(day))
    calls = print_call_list(manager, "cards", tmp_path / "l.pdf", AS_OF)
    text = flat(pdf_text(calls))
    assert " B " in f" {text} " and " C " in f" {text} "


@needs_poppler
def test_monthly_report_has_the_trend_and_answer_appendices(office, tmp_path):  # noqa: F811
    path = print_monthly_report(office["manager"], JUNE, tmp_path / "m.pdf")
    text = flat(pdf_text(path))
    assert "2025年7月" in text and "168" in text  # January's hours to resolve
    assert "常用答复" in text


def test_a_trend_with_gaps_or_one_value_still_draws(tmp_path):
    from reportlab.graphics import renderPDF

    from csoffice.printing.trend_charts import line_chart

    for series in (
        [("a", [None, 3.0, None])],
        [("a", [1.0, None, 2.0]), ("b", [None, None, None])],
        [],
    ):
        drawing = line_chart("t", ["1", "2", "3"], series, 300, 150)
        renderPDF.drawToFile(drawing, str(tmp_path / "chart.pdf"))
        assert (tmp_path / "chart.pdf").stat().st_size > 0

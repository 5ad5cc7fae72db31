"""Groups, duplicates and rounds on paper: the slip lists a group's complainants and says what a
duplicate repeats; a re-opened complaint prints each earlier round with its own result, cause,
correction, opinion and satisfaction, and this round's boxes empty until it records them; the
monthly report prints the people complaining, the duplicates left out and the note saying so;
the 12-month trends and the department report count as the monthly report does."""

from __future__ import annotations

import datetime as dt

from csoffice import complaints, desk_reports, reports, trends
from csoffice.complaints import StepInput
from csoffice.complaints.slip import print_slip
from csoffice.reports.printed import print_monthly_report
from tests.conftest import needs_poppler, pdf_text
from tests.domain.test_complaint_groups import complaint, person

pytestmark = needs_poppler


def _flat(path) -> str:
    return "".join(pdf_text(path).split())


def test_the_slip_lists_the_complainants_and_the_duplicate(clerk, tmp_path):
    lead = person(clerk, "王建国", "13800000001")
    group = complaint(clerk, customer_id=lead)
    complaints.add_complainant(clerk, group.id, person(clerk, "李梅", "13800000002"))
    repeat = complaint(clerk, severity="ordinary")
    complaints.link_duplicate(clerk, repeat.id, group.number)
    text = _flat(print_slip(clerk, group.id, tmp_path / "group.pdf"))
    assert "投诉人（2人）" in text and "王建国" in text and "李梅" in text
    assert "138****0002" in text and "13800000002" not in text  # the filed copy is masked
    assert f"被重复投诉{repeat.number}" in text
    text = _flat(print_slip(clerk, repeat.id, tmp_path / "repeat.pdf"))
    assert f"与投诉{group.number}重复，计入该投诉，本单不计。" in text


def test_each_earlier_round_prints_its_own_results(clerk, manager, tmp_path):
    made = complaint(clerk, severity="ordinary")
    complaints.move(clerk, made.id, "assign", StepInput(department="property", handler_name="张工"))
    complaints.move(
        clerk,
        made.id,
        "handle",
        StepInput(
            result="调整门机",
            company_at_fault=True,
            root_cause="门机老化",
            corrective_action="全面排查",
        ),
    )
    complaints.move(
        clerk,
        made.id,
        "inform",
        StepInput(customer_opinion="暂时接受", satisfaction=2, satisfaction_reason="还会坏"),
    )
    complaints.move(clerk, made.id, "close")
    complaints.move(manager, made.id, "reopen", StepInput(note="又困人了"))
    complaints.move(
        clerk,
        made.id,
        "handle",
        StepInput(
            result="整梯更换",
            company_at_fault=True,
            root_cause="超期服役",
            corrective_action="更换计划",
        ),
    )
    text = _flat(print_slip(clerk, made.id, tmp_path / "rounds.pdf"))
    superseded = text[text.index("第1轮处理结果（已被取代）") :]
    for words in ("调整门机", "门机老化", "全面排查", "暂时接受", "2分（满分5分）", "又困人了"):
        assert words in superseded, words
    assert "整梯更换" in text[: text.index("第1轮处理结果")]  # this round's result, in its box
    feedback = text[text.index("回访意见") : text.index("处理过程")]
    assert "暂时接受" not in feedback  # this round's customer has not been asked yet


def test_the_monthly_report_says_how_it_counts(clerk, manager, tmp_path):
    group = complaint(clerk)
    for i in range(3):
        complaints.add_complainant(clerk, group.id, person(clerk, f"业主{i}", f"1390000000{i}"))
    single = complaint(clerk, severity="ordinary")
    repeat = complaint(clerk, severity="ordinary")
    complaints.link_duplicate(clerk, repeat.id, single.number)
    month = reports.parse_period(dt.date.today().strftime("%Y-%m"), "monthly")
    text = _flat(print_monthly_report(manager, month, tmp_path / "month.pdf"))
    assert "本期受理投诉2" in text and "投诉人数5" in text and "重复投诉（不计入）1" in text
    assert "群诉按一件计，另列投诉人数；标记为重复的投诉不计入。" in text
    assert "群诉（4人）" in text and "重复投诉" in text  # the list holds every complaint

    figures = reports.complaint_figures(month)
    months = trends.trends(month)
    assert months.complaints[-1] == figures.received == 2
    department = desk_reports.department_figures(month, "")
    assert department.received == 2  # neither is handed to a department yet

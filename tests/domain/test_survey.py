"""Surveys: scored answer options and free text per kind of call, an answer outside the options
refused, results per question and kind by day, week and month, and in the weekly report."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import customers, reports, service_events, settings, survey, visits
from csoffice.db.models import ReturnVisit, VisitAnswer
from csoffice.errors import ValidationError
from csoffice.service_events import ServiceEventInput
from csoffice.visits import ResultInput
from tests.conftest import needs_poppler, pdf_text

D = dt.date


def repair_call(actor, name: str, mobile: str, repaired: dt.date) -> int:
    cid = customers.create(actor, customers.CustomerInput(name=name, mobile=mobile)).id
    data = ServiceEventInput(kind="repair", date=repaired, product="空调")
    service_events.add(actor, cid, data, today=repaired)
    visits.schedule_due_visits(actor, repaired + dt.timedelta(days=3))
    return ReturnVisit.get(ReturnVisit.customer == cid, ReturnVisit.kind == "3dc").id


def answer(actor, visit_id: int, at: dt.datetime, fixed: str, on_time: str, score: int) -> None:
    data = ResultInput(
        True,
        {"问题是否已解决？": "师傅说下周再来看看"},
        score,
        choices={"问题是否已解决？": fixed, "维修是否及时？": on_time},
    )
    visits.record_result(actor, visit_id, data, at=at)


def test_built_in_survey_has_scored_options(database):
    three = survey.questions("3dc")
    assert [q.text for q in three] == visits.questions("3dc")
    assert [(o.label, o.score) for o in three[0].options] == [("是", 5), ("部分", 3), ("否", 1)]
    assert not survey.questions("manual")[0].scored  # free text


def test_office_questions_with_options_and_free_text(manager):
    value = survey.check_questions(
        {
            "7dc": [
                {
                    "text": "车辆交付时是否讲解了使用方法？",
                    "options": [
                        {"label": "详细讲解", "score": 5},
                        {"label": "没有讲解", "score": 1},
                    ],
                },
                "您对我们还有什么建议？",
            ]
        }
    )
    settings.put(manager, {"visits.questions": value})
    asked = survey.questions("7dc")
    assert asked[0].score_of("没有讲解") == 1 and not asked[1].scored
    with pytest.raises(ValidationError) as bad:
        survey.check_questions(
            {"7dc": [{"text": "好吗", "options": [{"label": "好", "score": 9}]}]}
        )
    assert "7dc.0.options" in bad.value.errors


def test_answers_are_kept_with_their_scores(clerk):
    visit_id = repair_call(clerk, "张伟", "13812345678", D(2026, 3, 2))
    with pytest.raises(ValidationError) as refused:
        answer(clerk, visit_id, dt.datetime(2026, 3, 5, 10), "大概吧", "准时", 4)
    assert refused.value.errors == {"answer0": "请从所列答案中选择。"}
    assert ReturnVisit.get_by_id(visit_id).status == "due"  # nothing half-written
    answer(clerk, visit_id, dt.datetime(2026, 3, 5, 10), "部分", "准时", 3)
    rows = VisitAnswer.select().where(VisitAnswer.visit == visit_id).order_by(VisitAnswer.id)
    assert [(r.question, r.option, r.score, r.note) for r in rows] == [
        ("问题是否已解决？", "部分", 3, "师傅说下周再来看看"),
        ("维修是否及时？", "准时", 5, ""),
    ]
    assert visits.answers_of(ReturnVisit.get_by_id(visit_id))["问题是否已解决？"] == (
        "部分；师傅说下周再来看看"
    )


def test_results_by_day_week_and_month(clerk):
    calls = [
        (repair_call(clerk, "张伟", "13812345678", D(2026, 3, 2)), D(2026, 3, 5), "是", 5),
        (repair_call(clerk, "李娜", "13912345678", D(2026, 3, 3)), D(2026, 3, 6), "否", 2),
        (repair_call(clerk, "王强", "13612345678", D(2026, 3, 9)), D(2026, 3, 12), "是", 4),
    ]
    for visit_id, day, fixed, score in calls:
        answer(clerk, visit_id, dt.datetime.combine(day, dt.time(10)), fixed, "准时", score)
    whole = survey.results(D(2026, 3, 1), D(2026, 3, 31))
    assert [(r.kind, r.question, r.answered) for r in whole] == [
        ("3dc", "问题是否已解决？", 3),
        ("3dc", "维修是否及时？", 3),
    ]
    fixed = whole[0]
    assert fixed.average == pytest.approx(3.67, abs=0.01)
    assert fixed.counts == (("是", 2), ("否", 1)) and fixed.notes == 3
    by_day = survey.results(D(2026, 3, 1), D(2026, 3, 31), "day")
    assert [(r.start, r.answered) for r in by_day if r.question == "问题是否已解决？"] == [
        (D(2026, 3, 5), 1),
        (D(2026, 3, 6), 1),
        (D(2026, 3, 12), 1),
    ]
    by_week = survey.results(D(2026, 3, 1), D(2026, 3, 31), "week")
    assert [(r.start, r.answered, r.average) for r in by_week if r.question.startswith("问题")] == [
        (D(2026, 3, 2), 2, 3.0),
        (D(2026, 3, 9), 1, 5.0),
    ]
    assert survey.bucket_label(D(2026, 3, 9), "week") == "2026 年第 11 周"
    by_month = survey.results(D(2026, 3, 1), D(2026, 3, 31), "month", kind="7dc")
    assert by_month == []
    figures = reports.visit_figures(reports.Period.week(2026, 10))
    assert [line.answered for line in figures.survey] == [2, 2]


@needs_poppler
def test_weekly_report_prints_the_survey(clerk, manager, tmp_path):
    from csoffice.reports.printed import print_weekly_report

    visit_id = repair_call(clerk, "张伟", "13812345678", D(2026, 3, 2))
    answer(clerk, visit_id, dt.datetime(2026, 3, 5, 10), "是", "稍有延误", 4)
    path = print_weekly_report(manager, reports.Period.week(2026, 10), tmp_path / "w.pdf")
    text = pdf_text(path)
    assert "问题是否已解决？" in text and "稍有延误 1" in text


def test_excel_report_carries_the_survey(clerk, manager, tmp_path):
    """The report's Excel export has the survey per kind and question, as the printed report,
    and per week (monthly) or per day (weekly); LibreOffice's reading is in test_reports."""
    from openpyxl import load_workbook

    from csoffice.report_export import export_xlsx

    for name, mobile, repaired, fixed, score in [
        ("张伟", "13812345678", D(2026, 3, 2), "是", 5),
        ("李娜", "13912345678", D(2026, 3, 9), "否", 2),
    ]:
        visit_id = repair_call(clerk, name, mobile, repaired)
        answer(
            clerk,
            visit_id,
            dt.datetime.combine(repaired + dt.timedelta(days=3), dt.time(10)),
            fixed,
            "准时",
            score,
        )
    march = reports.monthly_report(reports.Period.month(2026, 3))
    export_xlsx(manager, march, tmp_path / "march.xlsx")
    book = load_workbook(tmp_path / "march.xlsx")
    rows = list(book["调查结果"].iter_rows(values_only=True))
    assert rows[0] == ("回访类型", "问题", "回答数", "平均分", "问卷回答", "附说明")
    assert rows[1] == ("维修后 3–5 天回访", "问题是否已解决？", 2, 3, "是 1 · 否 1", 2)
    weekly = list(book["调查（按周）"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[3]) for r in weekly if r[2] == "问题是否已解决？"] == [
        ("2026 年第 10 周", "问题是否已解决？", 1),
        ("2026 年第 11 周", "问题是否已解决？", 1),
    ]
    # LibreOffice reads the same sheets (saved again as ODS and read back).
    from python_calamine import CalamineWorkbook

    from tests.office_sheets import convert

    ods = CalamineWorkbook.from_path(str(convert(tmp_path / "march.xlsx", "ods", tmp_path / "lo")))
    assert "调查（按周）" in ods.sheet_names
    read = ods.get_sheet_by_name("调查结果").to_python()
    assert read[1][:3] == ["维修后 3–5 天回访", "问题是否已解决？", 2]
    week = reports.weekly_report(reports.Period.week(2026, 10))
    export_xlsx(manager, week, tmp_path / "week.xlsx")
    daily = list(load_workbook(tmp_path / "week.xlsx")["调查（按日）"].iter_rows(values_only=True))
    assert len(daily) == 3 and daily[1][1] == "维修后 3–5 天回访"

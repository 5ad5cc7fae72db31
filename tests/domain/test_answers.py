"""The answer library: checks next to the field, the manager's right, suggestions by keyword
and by reason, uses counted with the reception in one transaction, "no answer found", the
monthly usage, and the XLSX export and import (header row found below a title, rejections
with the sheet's row numbers, all or nothing)."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from csoffice import answers, reports
from csoffice.answer_transfer import export_library, import_library
from csoffice.answers import AnswerInput
from csoffice.db.models import AnswerEntry, AnswerUse, AuditLog, Reception
from csoffice.errors import PermissionDenied, ValidationError
from csoffice.receptions import ReceptionInput


@pytest.fixture
def library(manager):
    make = lambda **kw: answers.create(manager, AnswerInput(**kw)).id  # noqa: E731
    return {
        "price": make(
            topic="保养",
            question="保养套餐多少钱？",
            text="基础保养套餐 398 元，含机油机滤。",
            keywords="价格，套餐",
            categories=["consult"],
        ),
        "hours": make(
            topic="门店",
            question="周末营业时间？",
            text="周六日 9:00–18:00 营业。",
            keywords="营业时间",
        ),
        "repair": make(
            topic="维修",
            question="维修要等多久？",
            text="一般维修当天完成，大修 3–5 个工作日。",
            categories=["repair"],
        ),
        "phrase": make(kind="phrase", topic="开场", text="您好，客服中心，请问有什么可以帮您？"),
        "taboo": make(kind="taboo", text="这不归我管"),
    }


def test_an_empty_question_or_text_is_refused_next_to_the_field(manager):
    with pytest.raises(ValidationError) as caught:
        answers.create(manager, AnswerInput(question=" ", text=""))
    assert set(caught.value.errors) == {"question", "text"}
    with pytest.raises(ValidationError) as caught:
        answers.create(manager, AnswerInput(kind="phrase", text=""))
    assert set(caught.value.errors) == {"text"}  # a phrase needs no question
    with pytest.raises(ValidationError) as caught:
        answers.create(manager, AnswerInput(question="q", text="t", categories=["nosuch"]))
    assert set(caught.value.errors) == {"categories"}
    assert AnswerEntry.select().count() == 0


def test_only_the_manager_maintains_the_library(clerk, library):
    with pytest.raises(PermissionDenied):
        answers.create(clerk, AnswerInput(question="q", text="t"))
    with pytest.raises(PermissionDenied):
        answers.set_archived(clerk, library["price"], True)


def test_suggestions_by_keyword_and_by_reason(library):
    found = answers.suggest("客户问保养套餐的价格", "consult")
    assert found[0].id == library["price"]
    assert answers.suggest("你们周末营业时间是几点", "consult")[0].id == library["hours"]
    # Nothing typed yet: the answers meant for the reason of the call.
    assert [s.id for s in answers.suggest("", "repair")] == [library["repair"]]
    assert answers.suggest("完全无关的话", "other") == []
    # Phrases and taboo phrases are lists of their own, never suggested as answers.
    assert all(s.id not in (library["phrase"], library["taboo"]) for s in answers.suggest("您好"))
    assert answers.taboo_found("对不起，这不归我管") == ["这不归我管"]


def test_archived_answers_are_not_suggested(manager, library):
    answers.set_archived(manager, library["hours"], True)
    assert all(s.id != library["hours"] for s in answers.suggest("营业时间"))
    assert (
        AuditLog.select().where(AuditLog.entity == "answer", AuditLog.action == "archive").count()
        == 1
    )


def reception(**kw) -> ReceptionInput:
    return ReceptionInput(caller_name="李四", content=kw.pop("content", "问保养价格"), **kw)


def test_a_chosen_answer_is_counted_with_the_reception(manager, library):
    saved = answers.save_reception(manager, reception(), answer_ids=[library["price"]])
    assert answers.marks(saved.id) == ([library["price"]], False)
    rows = {r.id: r for r in answers.entries()}
    assert rows[library["price"]].uses == 1
    # Correcting the reception does not count the same answer twice.
    answers.save_reception(manager, reception(), saved.id, [library["price"]], no_answer=False)
    assert AnswerUse.select().count() == 1


def test_no_answer_found_is_marked_and_cleared(manager, library):
    saved = answers.save_reception(manager, reception(content="问能否开专票"), no_answer=True)
    assert answers.marks(saved.id) == ([], True)
    answers.save_reception(manager, reception(content="问能否开专票"), saved.id, [], False)
    assert answers.marks(saved.id) == ([], False)


def test_a_refused_reception_counts_no_use(manager, library):
    # Neither a phone nor a name: the desk cannot log it, so no answer is counted either.
    with pytest.raises(ValidationError):
        answers.save_reception(
            manager, ReceptionInput(caller_name="", content=""), answer_ids=[library["price"]]
        )
    assert AnswerUse.select().count() == 0 and Reception.select().count() == 0


def test_monthly_usage(manager, library):
    month = reports.current_period("monthly")
    for ids in ([library["price"]], [library["price"], library["hours"]], [library["hours"]]):
        answers.save_reception(manager, reception(), answer_ids=ids)
    answers.save_reception(manager, reception(), answer_ids=[library["price"]])
    missing = answers.save_reception(manager, reception(content="问二手车置换政策"), no_answer=True)
    answers.save_reception(manager, reception(content="问二手车置换政策"), no_answer=True)
    answers.save_reception(manager, reception(content="问能否上门取车"), no_answer=True)
    voided = answers.save_reception(manager, reception(content="作废的"), no_answer=True)
    from csoffice import receptions

    receptions.void(manager, voided.id, "录错")
    usage = answers.usage(month)
    # price read 3 times, hours twice, in 4 receptions; the voided one does not count.
    assert usage.uses == 5 and usage.receptions_answered == 4
    assert [(u.id, u.uses) for u in usage.most_used] == [
        (library["price"], 3),
        (library["hours"], 2),
    ]
    # Three calls found no answer, two of them the same question (asked most, listed first).
    assert (usage.unanswered_count, usage.unanswered_questions) == (3, 2)
    assert [(u.content, u.times) for u in usage.unanswered] == [
        ("问二手车置换政策", 2),
        ("问能否上门取车", 1),
    ]
    assert missing.id
    before = answers.usage(month.previous())
    assert before.uses == 0 and before.unanswered_count == 0


def test_export_then_import_round_trip(manager, library, tmp_path):
    path = tmp_path / "library.xlsx"
    assert export_library(manager, path) == 5
    # Importing the export unchanged updates every entry (matched by number), creates none.
    result = import_library(manager, path)
    assert (result.created, result.updated, result.rejected) == (0, 5, [])
    assert AnswerEntry.select().count() == 5


def sheet(path, rows):
    book = Workbook()
    ws = book.active
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_import_finds_the_header_below_a_title_and_is_all_or_nothing(manager, tmp_path):
    bad = sheet(
        tmp_path / "bad.xlsx",
        [
            ["XX公司客服部常用答复（2026版）"],
            [],
            ["主题", "问题", "标准答复", "关键词", "类型"],
            ["发票", "能开专票吗？", "可以，请提供开票信息。", "专票", "常用答复"],
            ["发票", "", "没有问题的答复", "", ""],
            ["开场", "", "您好", "", "服务用语"],
            ["发票", "发票多久寄出？", "", "", ""],
        ],
    )
    result = import_library(manager, bad)
    # Row 5: no question; row 7: no answer. Rows are the sheet's own (title on row 1).
    assert [number for number, _reason in result.rejected] == [5, 7]
    assert "问题" in result.rejected[0][1] or "Question" in result.rejected[0][1]
    assert AnswerEntry.select().count() == 0  # nothing half-imported
    good = sheet(
        tmp_path / "good.xlsx",
        [
            ["XX公司客服部常用答复（2026版）"],
            ["主题", "问题", "答复", "接待类别"],
            ["发票", "能开专票吗？", "可以，请提供开票信息。", "咨询"],
            ["发票", "能开专票吗？", "可以，请提供开票信息。", "咨询"],
        ],
    )
    result = import_library(manager, good)
    assert (result.created, result.duplicates, result.rejected) == (1, 1, [])
    entry = AnswerEntry.get()
    assert entry.categories == "consult" and entry.kind == "answer"


def test_import_needs_an_answer_column(manager, tmp_path):
    from csoffice.errors import CsofficeError

    path = sheet(tmp_path / "x.xlsx", [["姓名", "电话"], ["张三", "138"]])
    with pytest.raises(CsofficeError):
        import_library(manager, path)


def test_clerk_may_not_import(clerk, tmp_path):
    path = sheet(tmp_path / "x.xlsx", [["问题", "答复"], ["q", "a"]])
    with pytest.raises(PermissionDenied):
        import_library(clerk, path)


def test_usage_is_dated_by_the_time_the_answer_was_read(manager, library):
    saved = answers.save_reception(manager, reception(), answer_ids=[library["price"]])
    use = AnswerUse.get(AnswerUse.reception == saved.id)
    assert abs((use.at - dt.datetime.now()).total_seconds()) < 5

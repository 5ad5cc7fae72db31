"""The checks behind the settings pages of complaints, member cards and points, reminders and
survey questions: every impossible value refused by its key, nothing stored when one is."""

from __future__ import annotations

import pytest

from csoffice import complaints, office_rules, settings
from csoffice.errors import PermissionDenied, ValidationError


def _refused(values: dict) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        office_rules.check(values)
    return caught.value.errors


def test_deadlines_need_whole_hours_and_resolution_after_response():
    errors = _refused(
        {
            "complaints.deadlines": {
                "ordinary": [24, 12],
                "major": [0, 24],
                "group": ["一小时", 24],
            }
        }
    )
    assert errors == {
        "complaints.deadlines.ordinary.resolve": "处理时限不能早于首次响应时限（24 小时）。",
        "complaints.deadlines.major.response": "请输入 1 到 2160 之间的整数。",
        "complaints.deadlines.group.response": "请输入 1 到 2160 之间的整数。",
    }
    good = {"ordinary": ["8", 48], "major": [2, 12], "group": [1, 6]}
    assert office_rules.check({"complaints.deadlines": good}) == {
        "complaints.deadlines": {"ordinary": [8, 48], "major": [2, 12], "group": [1, 6]}
    }


@pytest.mark.parametrize(
    "fmt, problem",
    [
        ("TS-{seq:04d}", "需要"),  # numbers restart every month: it would repeat
        ("TS-{year}{month:02d}-{seq:04d}{", "无法套用"),
        ("TS-{year}{month:02d}-{sequence}", "无法套用"),
        ("投诉受理登记编号-{year:04d}年{month:02d}月第{seq:08d}号-总部客服部", "最多 32"),
        ("", "请输入"),
    ],
)
def test_number_formats_that_would_repeat_or_break_are_refused(fmt, problem):
    assert problem in _refused({"complaints.number_format": fmt})["complaints.number_format"]


def test_number_preview():
    assert (
        office_rules.number_preview("KS{year}{month:02d}{seq:05d}", 2026, 6, 2) == "KS20260600002"
    )


def test_member_rules():
    errors = _refused(
        {
            "members.card_prefix": "88A",
            "members.card_digits": 6,
            "members.yuan_per_point": "0",
            "members.birthday_first_day": 7,
            "members.birthday_last_day": 2,
            "members.enrol_fee": "-5",
            "members.cancel_policy": "keep",
        }
    )
    assert set(errors) == {
        "members.card_prefix",
        "members.yuan_per_point",
        "members.birthday_last_day",
        "members.enrol_fee",
        "members.cancel_policy",
    }
    assert errors["members.birthday_last_day"] == "最后一天不能早于第一天（提前 7 天）。"
    too_long = _refused({"members.card_prefix": "8" * 12, "members.card_digits": 20})
    assert "members.card_digits" in too_long
    clean = office_rules.check(
        {
            "members.yuan_per_point": "2.5",
            "members.refund_yuan_per_point": "0",
            "members.card_digits": "7",
        }
    )
    assert clean == {
        "members.yuan_per_point": "2.5",
        "members.refund_yuan_per_point": "0",
        "members.card_digits": 7,
    }


def test_reminder_months_and_days():
    errors = _refused(
        {
            "reminders.months": {"maintenance": -1, "inspection": 12, "insurance": "一年"},
            "today.reminder_days": 400,
        }
    )
    assert set(errors) == {
        "reminders.months.maintenance",
        "reminders.months.insurance",
        "today.reminder_days",
    }


def test_survey_questions_keyed_by_kind_and_line():
    errors = _refused(
        {
            "visits.questions": {
                "3dc": [
                    "修好了吗？",
                    {"text": "满意吗？", "options": [{"label": "好", "score": 9}]},
                ]
            }
        }
    )
    assert list(errors) == ["visits.questions.3dc.1.options"]


def test_save_stores_only_what_changed_and_nothing_on_error(manager, clerk):
    with pytest.raises(ValidationError):
        office_rules.save(
            manager,
            {"complaints.number_format": "X{year}{month}{seq}", "complaints.deadlines": {}},
        )
    assert settings.get("complaints.number_format") == "TS-{year:04d}{month:02d}-{seq:04d}"
    with pytest.raises(PermissionDenied):
        office_rules.save(clerk, {"complaints.number_format": "X{year}{month}{seq}"})
    stored = office_rules.save(
        manager,
        {
            "complaints.number_format": "KS{year}{month:02d}{seq:05d}",
            "complaints.slip_page_size": "A4",
        },
    )
    assert stored == ["complaints.number_format"]
    assert complaints.format_number("202606", 2) == "KS20260600002"
    assert office_rules.save(manager, {"complaints.slip_page_size": "A4"}) == []


def test_survey_questions_asked_once_with_answers_listed_once():
    errors = _refused(
        {
            "visits.questions": {
                "7dc": [
                    "车辆是否完好？",
                    "车辆是否完好？",
                    {"text": "", "options": [{"label": "是", "score": 5}]},
                    {
                        "text": "满意吗？",
                        "options": [{"label": "满意", "score": 5}, {"label": "满意", "score": 4}],
                    },
                    {"text": "说明", "options": [{"label": "很" * 61, "score": 5}]},
                ]
            }
        }
    )
    assert errors == {
        "visits.questions.7dc.1": "此问卷中这个问题出现了两次。",
        "visits.questions.7dc.2": "请填写这些答案所属的问题。",
        "visits.questions.7dc.3.options": "答案中“满意”出现了两次。",
        "visits.questions.7dc.4.options": "答案选项最多 60 个字符。",
    }

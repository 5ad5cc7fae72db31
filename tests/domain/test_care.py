"""Care for every customer: birthdays 2–7 days ahead for everyone with a birthday, festivals from
the holiday calendar, mail merge (unknown field refused by name; letters and labels checked with
pdftotext), the SMS list (no valid mobile: left out and counted), greetings on the history, and a
batch run twice greets nobody twice."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from csoffice import care, customer_history, customers
from csoffice.db.models import Greeting
from csoffice.errors import ValidationError
from tests.conftest import needs_poppler, pdf_text

D = dt.date
TODAY = D(2026, 2, 10)


def person(actor, name, mobile="", birthday=None, address="", gender="") -> int:
    data = customers.CustomerInput(
        name=name, mobile=mobile, birthday=birthday, address=address, gender=gender
    )
    return customers.create(actor, data).id


def test_birthdays_of_every_customer_two_to_seven_days_ahead(clerk):
    soon = person(clerk, "张伟", "13812345678", D(1980, 2, 12))  # in 2 days, no card
    person(clerk, "李娜", "13912345678", D(1990, 2, 11))  # tomorrow: too soon
    last = person(clerk, "王强", "13612345678", D(1975, 2, 17))  # in 7 days
    person(clerk, "赵敏", "13512345678", D(1975, 2, 18))  # in 8 days
    found = care.birthdays(TODAY)
    assert [(r.customer_id, r.occasion_on) for r in found] == [
        (soon, D(2026, 2, 12)),
        (last, D(2026, 2, 17)),
    ]


def test_29_february_birthdays_in_a_common_year(clerk):
    leap = person(clerk, "刘䶮", "13812345678", D(1988, 2, 29))
    assert [r.customer_id for r in care.birthdays(D(2026, 2, 22))] == [leap]
    assert care.birthdays(D(2026, 2, 22))[0].occasion_on == D(2026, 2, 28)


def test_festivals_from_the_holiday_calendar():
    found = {f.code: f.day for f in care.festivals(2026)}
    assert found["spring_festival"] == D(2026, 2, 15)  # the holiday's first day
    assert found["mid_autumn_festival"] == D(2026, 9, 25)
    assert found["national_day"] == D(2026, 10, 1)
    assert [f.code for f in care.festivals(2099)] == ["new_years_day", "national_day"]
    assert care.upcoming_festival(D(2026, 2, 1)).code == "spring_festival"


def test_unknown_template_field_is_refused_by_name():
    with pytest.raises(ValidationError) as refused:
        care.template_fields("{name}您好，{nickname}祝您春节快乐")
    assert "{nickname}" in refused.value.errors["template"]
    with pytest.raises(ValidationError):
        care.template_fields("{name 您好")
    assert care.template_fields("{salutation}{name}：{occasion}快乐！") == [
        "salutation",
        "name",
        "occasion",
    ]


TEMPLATE = "尊敬的{name}{salutation}：\n\n值此{occasion}来临之际，{office}祝您阖家幸福！"


@needs_poppler
def test_letters_and_labels_by_mail_merge(clerk, tmp_path):
    person(clerk, "张伟", "13812345678", address="北京市海淀区中关村大街 1 号", gender="M")
    person(clerk, "李娜", "13912345678", address="上海市浦东新区世纪大道 100 号", gender="F")
    person(clerk, "王强", "13612345678")  # no address: no letter
    festival = care.Festival("spring_festival", D(2026, 2, 15))
    recipients = care.festival_recipients(festival)
    batch = care.send(
        clerk,
        recipients,
        "festival",
        festival.label,
        TEMPLATE,
        "letter",
        tmp_path / "letters.pdf",
        tmp_path / "labels.pdf",
    )
    assert (batch.sent, batch.no_address, batch.already) == (2, 1, 0)
    letters = pdf_text(tmp_path / "letters.pdf")
    assert "尊敬的张伟先生：" in letters and "值此春节来临之际" in letters
    assert "尊敬的李娜女士：" in letters
    labels = pdf_text(tmp_path / "labels.pdf")
    assert "北京市海淀区中关村大街 1 号" in labels and "张伟 收" in labels
    # A second run greets nobody twice.
    again = care.send(
        clerk,
        care.festival_recipients(festival),
        "festival",
        festival.label,
        TEMPLATE,
        "letter",
        tmp_path / "again.pdf",
    )
    assert (again.sent, again.already) == (0, 2)
    assert Greeting.select().count() == 2


def test_sms_list_leaves_out_customers_without_a_valid_mobile(clerk, tmp_path):
    zhang = person(clerk, "张伟", "13812345678", D(1980, 2, 12))
    person(clerk, "李娜", "", D(1990, 2, 13))  # no mobile
    person(clerk, "王强", "010-62345678", D(1990, 2, 14))  # a landline
    recipients = care.birthdays(TODAY)
    assert len(recipients) == 3
    out = tmp_path / "sms.csv"
    batch = care.send(clerk, recipients, "birthday", "生日", "{name}，祝您生日快乐！", "sms", out)
    assert (batch.sent, batch.no_mobile) == (1, 2)
    with out.open(encoding="gb18030", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["电话", "内容"], ["13812345678", "张伟，祝您生日快乐！"]]
    history = customer_history.history(zhang)
    assert any(entry.kind == "greeting" for entry in history)
    assert care.birthdays(TODAY)[0].greeted


def test_history_titles_a_greeting_in_words_not_its_code(clerk, tmp_path):
    zhang = person(clerk, "张伟", "13812345678", D(1980, 2, 12))
    care.send(
        clerk,
        care.birthdays(TODAY),
        "birthday",
        "生日",
        "{name}，生日快乐！",
        "sms",
        tmp_path / "s.csv",
    )
    (entry,) = [e for e in customer_history.history(zhang) if e.kind == "greeting"]
    assert (entry.title, entry.detail) == ("生日 · 短信", "张伟，生日快乐！")
    assert customer_history.greeting_label("festival", "card") == "节日 · 贺卡"
    assert customer_history.greeting_label("anniversary", "fax") == "anniversary"


def test_today_board_lists_birthdays_of_customers_without_a_card(clerk):
    from csoffice import today as board

    cid = person(clerk, "张伟", "13812345678", D(1980, 2, 13))
    section = {s.key: s for s in board.sections(clerk, TODAY)}["birthdays"]
    (item,) = section.items(list(section.ids))
    assert (item.id, item.title) == (cid, "张伟")

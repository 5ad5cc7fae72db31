"""Every write of the member club tells the change hub, after its transaction, what it changed:
the desk's lists refresh from these, not from the UI saying what it just did."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import changes, customers, members, settings
from csoffice.changes import Change
from csoffice.db.database import db
from csoffice.errors import ValidationError

TODAY = dt.date.today()


@pytest.fixture
def heard():
    """The kinds emitted while the test runs, each with whether a transaction was still open."""
    kinds: list[tuple[Change, bool]] = []
    stop = changes.subscribe(lambda kind: kinds.append((kind, db.in_transaction())))
    yield kinds
    stop()


@pytest.fixture
def customer(manager):
    data = customers.CustomerInput(name="张三", mobile="13800138000", birthday=TODAY)
    return customers.create(manager, data)


def kinds_of(heard: list[tuple[Change, bool]]) -> list[Change]:
    assert not any(open_ for _kind, open_ in heard), "emitted inside a transaction"
    found = [kind for kind, _open in heard]
    heard.clear()
    return found


def test_the_card_life_and_points_emit_card(manager, customer, heard):
    members.ensure_levels(manager)
    heard.clear()
    card = members.enrol(manager, customer.id)
    assert kinds_of(heard) == [Change.CARD]
    members.earn(manager, card.card_no, "1000")
    members.adjust(manager, card.card_no, 5, "补录")
    members.report_lost(manager, card.card_no)
    members.mark_found(manager, card.card_no)
    new = members.reissue(manager, card.card_no, "卡片损坏")
    members.review_levels(manager)
    members.expire_points(manager)
    members.cancel(manager, new.card_no, "客户退会")
    assert kinds_of(heard) == [Change.CARD] * 8


def test_a_refused_write_emits_nothing(manager, customer, heard):
    card = members.enrol(manager, customer.id)
    heard.clear()
    with pytest.raises(ValidationError):
        members.earn(manager, card.card_no, "0")
    with pytest.raises(ValidationError):
        members.create_gift(manager, "", 100)
    assert heard == []


def test_gifts_emit_gift_and_redeeming_the_card_too(manager, customer, heard):
    card = members.enrol(manager, customer.id)
    members.earn(manager, card.card_no, "5000")
    heard.clear()
    gift = members.create_gift(manager, "保温杯", 100, stock=3)
    members.update_gift(manager, gift.id, "品牌保温杯", 120)
    members.restock(manager, gift.id, 2)
    assert kinds_of(heard) == [Change.GIFT] * 3
    redemption = members.redeem(manager, card.card_no, gift.id)
    members.void_redemption(manager, redemption.id, "退回")
    assert kinds_of(heard) == [Change.GIFT, Change.CARD] * 2


def test_greetings_emit_greeting_and_a_bonus_the_card(manager, customer, heard):
    settings.put(manager, {"members.birthday_bonus": 50})
    members.enrol(manager, customer.id)
    heard.clear()
    members.log_greeting(manager, customer.id, kind="festival", content="中秋快乐")
    assert kinds_of(heard) == [Change.GREETING]
    members.log_greeting(manager, customer.id, content="生日快乐", give_bonus=True)
    assert kinds_of(heard) == [Change.GREETING, Change.CARD]


def test_member_events_emit_card(manager, customer, heard):
    members.enrol(manager, customer.id)
    heard.clear()
    event = members.create_event(manager, "车主答谢会", TODAY + dt.timedelta(days=7))
    members.invite(manager, event.id, [customer.id])
    members.set_attendance(manager, event.id, customer.id, True)
    members.set_event_status(manager, event.id, "held")
    assert kinds_of(heard) == [Change.CARD] * 4

"""Report figures against a small fixed data set whose answers were worked out by hand (the
comments beside each assertion say how), period parsing and its edges, the manager's notes."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import auth, complaints, receptions, reports
from csoffice.complaints import ComplaintInput, StepInput
from csoffice.db.models import (
    AuditLog,
    CardEvent,
    Complaint,
    Customer,
    Gift,
    MemberCard,
    MemberLevel,
    PointsEntry,
    Redemption,
    ReturnVisit,
)
from csoffice.errors import PermissionDenied, ValidationError
from csoffice.receptions import ReceptionInput

T = dt.datetime
NOVEMBER = reports.Period.month(2025, 11)

CHINESE = {
    "customer": "张三",
    "facts": ["空调异响", "送货延误三天", "新车漆面划伤，要求更换", "发票金额开错"],
    "suggestion": "建议周末延长营业时间",
    "consult": "咨询保养套餐价格",
    "levels": ("普通", "金卡"),
    "gifts": ("定制雨伞", "免费洗车券"),
}
ENGLISH = {
    "customer": "Zhang San",
    "facts": [
        "Air conditioner rattles",
        "Delivery three days late",
        "Scratched paint on a new car",
        "Wrong invoice amount",
    ],
    "suggestion": "Open longer on weekends",
    "consult": "Asked about service plans",
    "levels": ("Standard", "Gold"),
    "gifts": ("Umbrella", "Car wash voucher"),
}


def log(actor, at: dt.datetime, channel: str, category: str, content: str) -> int:
    data = ReceptionInput(
        channel=channel,
        category=category,
        caller_name="Caller",
        caller_phone="13812345678",
        content=content,
        received_at=at,
    )
    return receptions.create(actor, data).id


def complaint(actor, at: dt.datetime, category: str, facts: str, customer_id: int, **kw) -> int:
    data = ComplaintInput(
        received_at=at,
        channel="phone",
        customer_id=customer_id,
        category=category,
        severity=kw.get("severity", "ordinary"),
        facts=facts,
    )
    return complaints.create(actor, data).id


def move(actor, complaint_id: int, action: str, at: dt.datetime, **step) -> None:
    complaints.move(actor, complaint_id, action, StepInput(**step), at=at)


def fill(actor, text: dict = CHINESE) -> dict:
    """The fixed data set of November 2025 with neighbours just outside it."""
    customer = Customer.create(name=text["customer"], mobile="13812345678")
    # Receptions. November: phone/consult on the 1st 00:00, the 24th and the 30th 23:59;
    # a walk-in repair on the 12th; a WeChat suggestion on the 25th; one voided phone call.
    # October: two phone consultations. November 2024: one walk-in repair. 1 December 00:00
    # is outside.
    log(actor, T(2025, 11, 1, 0, 0), "phone", "consult", text["consult"])
    log(actor, T(2025, 11, 24, 10, 0), "phone", "consult", text["consult"])
    log(actor, T(2025, 11, 30, 23, 59), "phone", "consult", text["consult"])
    log(actor, T(2025, 11, 12, 9, 0), "visit", "repair", text["consult"])
    log(actor, T(2025, 11, 25, 15, 0), "wechat", "suggestion", text["suggestion"])
    voided = log(actor, T(2025, 11, 5, 9, 0), "phone", "consult", text["consult"])
    receptions.void(actor, voided, "Logged twice")
    log(actor, T(2025, 10, 3, 9, 0), "phone", "consult", text["consult"])
    log(actor, T(2025, 10, 31, 23, 59), "phone", "consult", text["consult"])
    log(actor, T(2024, 11, 8, 9, 0), "visit", "repair", text["consult"])
    log(actor, T(2025, 12, 1, 0, 0), "phone", "consult", text["consult"])

    # Complaints received in November: A closed in 60 h (first response after 2 h, company at
    # fault, satisfaction 4); B closed in 24 h (response after 10 h, not at fault, satisfaction
    # 2); C major, sent to the manager after 1 h and still waiting (overdue: due in 24 h);
    # D rejected after 2 h. One on 31 October and one on 1 December lie outside.
    facts = text["facts"]
    a = complaint(actor, T(2025, 11, 2, 9, 0), "quality", facts[0], customer.id)
    move(actor, a, "assign", T(2025, 11, 2, 11, 0), department="aftersales", handler_name="Li")
    move(actor, a, "handle", T(2025, 11, 3, 9, 0), result="Fixed", company_at_fault=True,
         root_cause="Loose part", corrective_action="Check at delivery")  # fmt: skip
    move(actor, a, "inform", T(2025, 11, 4, 9, 0), customer_opinion="OK", satisfaction=4,
         satisfaction_reason="Quick")  # fmt: skip
    move(actor, a, "close", T(2025, 11, 4, 21, 0))
    b = complaint(actor, T(2025, 11, 10, 8, 0), "delivery", facts[1], customer.id)
    move(actor, b, "assign", T(2025, 11, 10, 18, 0), department="logistics", handler_name="Wu")
    move(actor, b, "handle", T(2025, 11, 10, 20, 0), result="Delivered", company_at_fault=False)
    move(actor, b, "inform", T(2025, 11, 11, 7, 0), customer_opinion="Late", satisfaction=2,
         satisfaction_reason="Slow")  # fmt: skip
    move(actor, b, "close", T(2025, 11, 11, 8, 0))
    c = complaint(actor, T(2025, 11, 20, 10, 0), "quality", facts[2], customer.id, severity="major")
    move(actor, c, "submit", T(2025, 11, 20, 11, 0))
    d = complaint(actor, T(2025, 11, 30, 23, 0), "billing", facts[3], customer.id)
    move(actor, d, "reject", T(2025, 12, 1, 1, 0), note="Invoice was right")
    complaint(actor, T(2025, 10, 31, 23, 59), "billing", facts[3], customer.id)
    complaint(actor, T(2025, 12, 1, 0, 0), "billing", facts[3], customer.id)

    # Return visits: V1–V3 due and done in November (V3 not reached); V4 due, not done; V5
    # cancelled; V6 due in October, done on 1 November; V7 due 30 November, done in December.
    def visit(kind, due, status="due", done_at=None, reached=None, satisfaction=None):
        ReturnVisit.create(
            customer=customer,
            kind=kind,
            due_on=due,
            status=status,
            done_at=done_at,
            reached=reached,
            satisfaction=satisfaction,
        )

    visit("7dc", dt.date(2025, 11, 5), "done", T(2025, 11, 5, 10, 0), True, 5)
    visit("7dc", dt.date(2025, 11, 10), "done", T(2025, 11, 12, 10, 0), True, 3)
    visit("3dc", dt.date(2025, 11, 15), "done", T(2025, 11, 15, 10, 0), False, None)
    visit("1m", dt.date(2025, 11, 28))
    visit("1m", dt.date(2025, 11, 20), "cancelled")
    visit("3dc", dt.date(2025, 10, 30), "done", T(2025, 11, 1, 9, 0), True, 4)
    visit("7dc", dt.date(2025, 11, 30), "done", T(2025, 12, 1, 9, 0), True, 5)

    # Member cards: K1 (Oct), K2 and K3 issued in November; K3 lost and reissued as K4; K5
    # cancelled on 20 November; K6 issued in December; K7 cancelled in December (so still held
    # at the end of November). Held at the end: K1, K4 (standard), K2, K7 (gold).
    standard = MemberLevel.create(code="std", name=text["levels"][0], rank=0)
    gold = MemberLevel.create(code="gold", name=text["levels"][1], threshold=1000, rank=1)

    def card(no, level, issued, status="active", closed_at=None, replaces=None):
        return MemberCard.create(
            card_no=no,
            customer=customer,
            level=level,
            issued_on=issued,
            status=status,
            closed_at=closed_at,
            replaces=replaces,
        )

    k1 = card("K1", standard, dt.date(2025, 10, 15))
    k2 = card("K2", gold, dt.date(2025, 11, 3))
    k3 = card("K3", standard, dt.date(2025, 11, 5), "replaced", T(2025, 11, 12, 10, 0))
    k4 = card("K4", standard, dt.date(2025, 11, 12), replaces=k3)
    k5 = card("K5", standard, dt.date(2025, 9, 1), "cancelled", T(2025, 11, 20, 10, 0))
    k6 = card("K6", standard, dt.date(2025, 12, 2))
    k7 = card("K7", gold, dt.date(2025, 8, 1), "cancelled", T(2025, 12, 5, 10, 0))
    for c_, kind, at in [
        (k1, "issued", T(2025, 10, 15, 10, 0)),
        (k2, "issued", T(2025, 11, 3, 10, 0)),
        (k3, "issued", T(2025, 11, 5, 10, 0)),
        (k3, "lost", T(2025, 11, 10, 10, 0)),
        (k3, "replaced", T(2025, 11, 12, 10, 0)),
        (k4, "reissued", T(2025, 11, 12, 10, 0)),
        (k5, "cancelled", T(2025, 11, 20, 10, 0)),
        (k6, "issued", T(2025, 12, 2, 10, 0)),
        (k7, "cancelled", T(2025, 12, 5, 10, 0)),
    ]:
        CardEvent.create(card=c_, kind=kind, at=at)
    # Points in November: earned 100 + bonus 50 = 150; redeemed 60, one voided back 20 → 40;
    # expired 10; transfers on reissue and October's 30 do not count.
    for c_, kind, points, at in [
        (k2, "earn", 100, T(2025, 11, 4, 10, 0)),
        (k1, "bonus", 50, T(2025, 11, 6, 10, 0)),
        (k1, "earn", 30, T(2025, 10, 20, 10, 0)),
        (k2, "redeem", -60, T(2025, 11, 15, 10, 0)),
        (k2, "redeem_void", 20, T(2025, 11, 16, 10, 0)),
        (k1, "expire", -10, T(2025, 11, 30, 23, 0)),
        (k3, "transfer", -5, T(2025, 11, 12, 10, 0)),
        (k4, "transfer", 5, T(2025, 11, 12, 10, 0)),
    ]:
        PointsEntry.create(card=c_, kind=kind, points=points, at=at)
    umbrella = Gift.create(name=text["gifts"][0], points_price=60, stock=10)
    wash = Gift.create(name=text["gifts"][1], points_price=30, stock=10)
    for gift, quantity, points, status, at in [
        (umbrella, 1, 60, "done", T(2025, 11, 15, 10, 0)),
        (umbrella, 2, 40, "voided", T(2025, 11, 16, 10, 0)),
        (wash, 1, 30, "done", T(2025, 11, 18, 10, 0)),
        (wash, 1, 30, "done", T(2025, 12, 18, 10, 0)),
    ]:
        Redemption.create(
            card=k2, gift=gift, quantity=quantity, points=points, status=status, created_at=at
        )
    return {"a": a, "b": b, "c": c, "d": d}


# --- periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "first", "last", "code"),
    [
        ("2026-11", "monthly", dt.date(2026, 11, 1), dt.date(2026, 11, 30), "2026-11"),
        ("2024-02", "monthly", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "2024-02"),  # leap
        ("2026-12", "monthly", dt.date(2026, 12, 1), dt.date(2026, 12, 31), "2026-12"),
        ("2026-W48", "weekly", dt.date(2026, 11, 23), dt.date(2026, 11, 29), "2026-W48"),
        # 1 Jan 2026 is a Thursday, so 2026 has 53 ISO weeks and week 53 ends in 2027.
        ("2026-W53", "weekly", dt.date(2026, 12, 28), dt.date(2027, 1, 3), "2026-W53"),
        # ISO week 1 of 2025 starts on Monday 30 December 2024.
        ("2025-W01", "weekly", dt.date(2024, 12, 30), dt.date(2025, 1, 5), "2025-W01"),
        ("2026-w1", "weekly", dt.date(2025, 12, 29), dt.date(2026, 1, 4), "2026-W01"),
        ("2026-11-24", "daily", dt.date(2026, 11, 24), dt.date(2026, 11, 24), "2026-11-24"),
    ],
)
def test_periods_are_parsed(text, kind, first, last, code):
    period = reports.parse_period(text)
    assert (period.kind, period.first, period.last, period.code) == (kind, first, last, code)
    assert reports.parse_period(text, kind) == period
    assert period.end == dt.datetime.combine(last + dt.timedelta(days=1), dt.time())


def test_which_years_have_week_53():
    # A year has 53 ISO weeks when it starts on a Thursday, or is a leap year starting on a
    # Wednesday: 2015, 2020, 2026 and 2032 do; 2024, 2025 and 2027 do not.
    assert [y for y in range(2014, 2034) if reports.weeks_in_year(y) == 53] == [
        2015,
        2020,
        2026,
        2032,
    ]


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("2025-W53", None, "2025 has 52 ISO weeks; there is no week 53."),
        ("2026-W00", None, "2026 has 53 ISO weeks; there is no week 0."),
        ("2026-13", None, "There is no month 13; months run from 01 to 12."),
        ("2026-02-30", None, "“2026-02-30” is not a real date."),
        ("November", None, "“November” is not a period"),
        ("2026-11", "weekly", "The weekly report is for an ISO week, written like 2026-W48."),
        ("2026-W48", "monthly", "The monthly report is for a month, written like 2026-11."),
        ("2026-11", "daily", "The daily report is for one day, written like 2026-11-24."),
    ],
)
def test_bad_periods_say_what_is_wrong(text, kind, message):
    from csoffice.i18n import set_language

    set_language("en")
    with pytest.raises(ValidationError) as caught:
        reports.parse_period(text, kind)
    assert message in caught.value.errors["period"]


def test_previous_and_year_before():
    assert reports.parse_period("2026-01").previous().code == "2025-12"
    assert reports.parse_period("2026-03").year_before().code == "2025-03"
    assert reports.parse_period("2026-W01").previous().code == "2025-W52"
    assert reports.parse_period("2027-W01").previous().code == "2026-W53"
    # Week 53 has no twin in a 52-week year: it is compared with that year's last week.
    assert reports.parse_period("2026-W53").year_before().code == "2025-W52"
    assert reports.parse_period("2024-02-29").year_before().code == "2023-02-28"
    assert reports.parse_period("2026-03-01").previous().code == "2026-02-28"


def test_a_week_spanning_two_years_counts_both_years_days(manager):
    customer = Customer.create(name="张三", mobile="13812345678")
    for at in [T(2025, 12, 28, 23, 59), T(2025, 12, 29, 0, 0), T(2026, 1, 4, 23, 59)]:
        complaint(manager, at, "quality", "噪音", customer.id)
    complaint(manager, T(2026, 1, 5, 0, 0), "quality", "噪音", customer.id)
    week = reports.parse_period("2026-W01")  # Monday 29 Dec 2025 – Sunday 4 Jan 2026
    figures = reports.complaint_figures(week)
    assert figures.received == 2
    assert [line.received_at for line in figures.items] == [
        T(2025, 12, 29, 0, 0),
        T(2026, 1, 4, 23, 59),
    ]
    # The month holds its own days only: 28 and 29 December.
    assert reports.complaint_figures(NOVEMBER.month(2025, 12)).received == 2


# --- figures ----------------------------------------------------------------------------------


def test_receptions_beside_previous_month_and_last_year(manager):
    fill(manager)
    figures = reports.reception_figures(NOVEMBER)
    channels = {c.code: (c.current, c.previous, c.year_before) for c in figures.by_channel}
    # November: phone 3 (1st 00:00, 24th, 30th 23:59; the voided call and 1 Dec excluded),
    # walk-in 1, WeChat 1. October: phone 2. November 2024: walk-in 1.
    assert channels == {"phone": (3, 2, 0), "visit": (1, 0, 1), "wechat": (1, 0, 0)}
    categories = {c.code: (c.current, c.previous, c.year_before) for c in figures.by_category}
    assert categories == {"consult": (3, 2, 0), "repair": (1, 0, 1), "suggestion": (1, 0, 0)}
    assert (figures.total.current, figures.total.previous, figures.total.year_before) == (5, 2, 1)
    assert [c.code for c in figures.by_channel] == ["phone", "visit", "wechat"]  # office order


def test_complaint_figures(manager):
    ids = fill(manager)
    figures = reports.complaint_figures(NOVEMBER)
    # A, B, C, D received in November; A and B closed, D rejected, C waiting for the manager.
    assert figures.received == 4
    assert (figures.closed, figures.rejected, figures.open, figures.awaiting_feedback) == (
        2,
        1,
        1,
        0,
    )
    # One meaning of 超时 (complaints.OVERDUE_DEFINITION), shared with the appraisal form: the
    # resolution limit fell in November and nothing was handled by it — C (major, due within
    # 24 h) and 31 October's complaint, due early in November.
    assert figures.overdue == 2
    assert figures.closure_rate == pytest.approx(3 / 4)
    assert dict(figures.by_category) == {"quality": 2, "delivery": 1, "billing": 1}
    assert dict(figures.by_severity) == {"ordinary": 3, "major": 1}
    assert dict(figures.by_department) == {"aftersales": 1, "logistics": 1, "": 2}
    assert dict(figures.by_status) == {"awaiting_manager": 1, "closed": 2, "rejected": 1}
    # Time to resolve, the closed ones: A 60 h, B 24 h → average 42 h; nearest-rank p90 of two
    # values is the 2nd smallest (ceil(0.9 × 2) = 2): 60 h.
    assert figures.to_resolve.count == 2
    assert figures.to_resolve.average_hours == pytest.approx(42)
    assert figures.to_resolve.p90_hours == pytest.approx(60)
    # First responses: A 2 h, B 10 h, C 1 h, D 2 h → average 3.75 h; p90 is the 4th of 4: 10 h.
    assert figures.to_respond.count == 4
    assert figures.to_respond.average_hours == pytest.approx(3.75)
    assert figures.to_respond.p90_hours == pytest.approx(10)
    # Fault recorded for A (yes) and B (no): half.
    assert (figures.fault_known, figures.at_fault, figures.at_fault_share) == (2, 1, 0.5)
    # Satisfaction 4 and 2: average 3.
    assert figures.satisfaction_count == 2
    assert figures.satisfaction_average == pytest.approx(3)
    assert figures.satisfaction == [(1, 0), (2, 1), (3, 0), (4, 1), (5, 0)]
    numbers = [Complaint.get_by_id(i).number for i in (ids["a"], ids["b"], ids["c"], ids["d"])]
    assert [line.number for line in figures.items] == numbers
    a = figures.items[0]
    assert a.hours_to_close == pytest.approx(60) and a.company_at_fault is True
    assert a.satisfaction == 4 and a.department == "aftersales" and a.customer == "张三"
    assert figures.items[2].hours_to_close is None  # C is not closed


def test_the_list_holds_every_complaint_and_matches_the_ledger(manager):
    fill(manager)
    customer = Customer.get()
    # A month of many complaints, straight into the table, in every status.
    statuses = list(complaints.STATUSES)
    for i in range(150):
        Complaint.create(
            number=f"X-{i:04d}",
            number_period="202511",
            number_seq=100 + i,
            received_at=T(2025, 11, 1) + dt.timedelta(hours=i * 4.7),
            channel="phone",
            customer=customer,
            category="other",
            severity="ordinary",
            facts="…",
            receiver=manager,
            status=statuses[i % len(statuses)],
        )
    figures = reports.complaint_figures(NOVEMBER)
    ledger = complaints.LedgerFilter(date_from=NOVEMBER.first, date_to=NOVEMBER.last)
    in_ledger = {row.number for row in complaints.rows(complaints.search_ids(ledger))}
    listed = [line.number for line in figures.items]
    assert len(listed) == len(set(listed)) == figures.received == 154
    assert set(listed) == in_ledger
    totals = complaints.totals(ledger)
    assert (figures.received, figures.open) == (totals.count, totals.open)
    # 超时 is the period's figure (complaints.OVERDUE_DEFINITION, as on the appraisal form),
    # not the ledger's "overdue right now" filter.
    start = dt.datetime.combine(NOVEMBER.first, dt.time())
    end = dt.datetime.combine(NOVEMBER.last, dt.time()) + dt.timedelta(days=1)
    assert figures.overdue == complaints.overdue_in(start, end)


def test_return_visit_figures(manager):
    fill(manager)
    v = reports.visit_figures(NOVEMBER)
    # Due in November and not cancelled: V1, V2, V3, V4, V7. Done in November: V1, V2, V3, V6;
    # reached: V1, V2, V6. Still due: V4.
    assert (v.due, v.done, v.reached, v.outstanding) == (5, 4, 3, 1)
    assert v.reach_rate == pytest.approx(0.75)
    assert v.by_kind == [("7dc", 3, 2), ("3dc", 1, 2), ("1m", 1, 0)]
    # Satisfaction of the calls done: 5, 3, 4 (V3 gave none): average 4.
    assert v.satisfaction == [(1, 0), (2, 0), (3, 1), (4, 1), (5, 1)]
    assert v.satisfaction_average == pytest.approx(4)


def test_member_figures(manager):
    fill(manager)
    m = reports.member_figures(NOVEMBER)
    assert m.new_members == 2  # K2, K3 issued (K4 is a reissue)
    assert (m.lost, m.reissued, m.cancelled) == (1, 1, 1)
    assert m.by_level == [("普通", 2), ("金卡", 2)]  # K1, K4 / K2, K7
    assert m.members == 4
    assert (m.points_earned, m.points_redeemed, m.points_expired) == (150, 40, 10)
    assert {(g.name, g.redemptions, g.quantity, g.points) for g in m.gifts} == {
        ("定制雨伞", 1, 1, 60),
        ("免费洗车券", 1, 1, 30),
    }


def test_weekly_market_feedback(manager):
    fill(manager)
    week = reports.parse_period("2025-W48")  # 24–30 November 2025
    feedback = reports.feedback_figures(week)
    # Consultations on the 24th and the 30th (23:59); the WeChat suggestion on the 25th.
    assert [(c.code, c.current, c.previous) for c in feedback.by_category] == [
        ("suggestion", 1, 0),
        ("consult", 2, 0),
    ]
    assert feedback.by_channel == [("phone", 2), ("wechat", 1)]
    assert [s.content for s in feedback.suggestions] == ["建议周末延长营业时间"]
    weekly = reports.weekly_report(week)
    assert weekly.complaints.received == 1  # D, 30 November 23:00


def test_dashboard_compares_month_to_date(manager):
    fill(manager)
    board = reports.dashboard(dt.date(2025, 12, 1))
    assert board.this_month == reports.Period.span(dt.date(2025, 12, 1), dt.date(2025, 12, 1))
    assert board.last_month_to_date.first == dt.date(2025, 11, 1)
    assert board.last_month_to_date.last == dt.date(2025, 11, 1)
    # 1 Dec 00:00: one phone call; 1 Nov 00:00: one phone call. All of November: 5.
    assert (board.receptions.total.current, board.receptions.total.previous) == (1, 1)
    assert board.receptions_last_month == 5
    assert board.complaints_now.received == 1
    assert board.complaints_last_month.received == 4
    # 31 March compares with the last day of February.
    assert reports.dashboard(dt.date(2026, 3, 31)).last_month_to_date.last == dt.date(2026, 2, 28)


# --- notes ------------------------------------------------------------------------------------


def test_the_manager_writes_the_notes_and_they_travel_with_the_report(manager, clerk):
    assert reports.load_note("monthly", NOVEMBER).empty
    note = reports.save_note(manager, "monthly", NOVEMBER, " 回访接通率偏低 ", "增加晚间回访时段")
    assert (note.problems, note.improvements) == ("回访接通率偏低", "增加晚间回访时段")
    assert reports.monthly_report(NOVEMBER).note.problems == "回访接通率偏低"
    reports.save_note(manager, "monthly", "2025-11", "回访接通率偏低", "增加周末回访")
    assert reports.load_note("monthly", "2025-11").improvements == "增加周末回访"
    assert reports.load_note("weekly", "2025-W48").empty  # another report, its own notes
    rows = AuditLog.select().where(AuditLog.entity == "report_note").order_by(AuditLog.id)
    assert [r.action for r in rows] == ["create", "update"]
    assert "增加周末回访" in rows[-1].changes
    with pytest.raises(PermissionDenied):
        reports.save_note(clerk, "monthly", NOVEMBER, "x", "y")
    with pytest.raises(ValidationError):
        reports.save_note(manager, "monthly", "2025-W48", "x", "y")  # not a month
    with pytest.raises(ValidationError):
        reports.save_note(manager, "daily", "2025-11-24", "x", "y")
    assert reports.load_note("monthly", NOVEMBER).improvements == "增加周末回访"


def test_a_viewer_cannot_print_or_export(manager, viewer, tmp_path):
    from csoffice.report_export import export_xlsx
    from csoffice.reports.printed import print_monthly_report

    with pytest.raises(PermissionDenied):
        print_monthly_report(viewer, NOVEMBER, tmp_path / "m.pdf")
    with pytest.raises(PermissionDenied):
        export_xlsx(viewer, reports.monthly_report(NOVEMBER), tmp_path / "m.xlsx")
    assert auth.can(manager, "export")


def test_excel_export_carries_the_same_figures(manager, tmp_path):
    from openpyxl import load_workbook

    from csoffice.i18n import set_language
    from csoffice.report_export import export_xlsx

    set_language("en")
    fill(manager)
    figures = reports.monthly_report(NOVEMBER)
    sheets = export_xlsx(manager, figures, tmp_path / "november.xlsx")
    book = load_workbook(tmp_path / "november.xlsx")
    assert len(book.sheetnames) == sheets
    channel = {row[0]: row[1:] for row in book["Receptions by channel"].iter_rows(values_only=True)}
    assert channel["Phone"] == (3, 2, 1, 0)  # this month, previous, change, a year before
    summary = dict(row[:2] for row in book["Complaints"].iter_rows(values_only=True))
    assert summary["Complaints received in the period"] == 4
    assert summary["Closure rate"] == 0.75
    listed = [row[0] for row in book["Every complaint"].iter_rows(min_row=2, values_only=True)]
    assert listed == [line.number for line in figures.complaints.items]
    assert AuditLog.select().where(AuditLog.action == "export").count() == 1
    with pytest.raises(ValidationError):
        export_xlsx(manager, figures, tmp_path / "november.csv")


def test_check_finds_notes_of_no_real_report(manager):
    from csoffice.db.models import ReportNote

    reports.save_note(manager, "weekly", "2026-W53", "x", "y")
    assert reports.notes_name_real_periods() == []
    ReportNote.create(kind="weekly", period="2025-W53", problems="x")  # 2025 has 52 weeks
    ReportNote.create(kind="daily", period="2025-11-24", problems="x")
    assert len(reports.notes_name_real_periods()) == 2


def test_return_visit_counts_add_up_or_say_why(manager):
    from csoffice.printing.report_parts import visit_reconciliation

    fill(manager)
    v = reports.visit_figures(NOVEMBER)
    # Due V1, V2, V3, V4, V7: V1–V3 done in November, V7 on 1 December, V4 still due.
    assert (v.due_done_in, v.due_done_after, v.outstanding, v.due_other) == (3, 1, 1, 0)
    assert v.due == v.due_done_in + v.due_done_after + v.outstanding + v.due_other
    # Done V1, V2, V3 and V6, which was due in October.
    assert v.done_due_before == 1 and v.done == v.due_done_in + v.done_due_before
    text = visit_reconciliation(v)
    assert "5" in text and "3" in text and "10 月" not in text
    assert text.startswith("应回访 5 通")


def test_saving_a_note_tells_the_desk_after_it_commits(manager, clerk):
    from csoffice import changes
    from csoffice.db.database import db

    heard: list[tuple[changes.Change, bool]] = []
    stop = changes.subscribe(lambda kind: heard.append((kind, db.in_transaction())))
    try:
        reports.save_note(manager, "monthly", NOVEMBER, "回访接通率偏低", "")
        reports.save_note(manager, "monthly", NOVEMBER, "回访接通率偏低", "增加晚间回访时段")
        with pytest.raises(PermissionDenied):
            reports.save_note(clerk, "monthly", NOVEMBER, "x", "y")
    finally:
        stop()
    assert heard == [(changes.Change.REPORT_NOTE, False)] * 2


def test_a_note_is_cleaned_as_every_text_is(manager):
    note = reports.save_note(manager, "weekly", "2025-W47", " 接通率\x00偏低\n第二行 ", "\x00")
    assert note.problems == "接通率偏低\n第二行" and note.improvements == ""

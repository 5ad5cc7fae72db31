"""Customer statistics, churn lists and their trend, the twelve-month trends and the department
and clerk reports, against a small data set whose answers were worked out by hand (the
comments say how). The figures are as at 2026-06-30 with churn after 3 months."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import churn, desk_reports, reports, statistics, trends
from csoffice.db.models import (
    Complaint,
    Customer,
    MemberCard,
    PointsEntry,
    Reception,
    ReturnVisit,
    ServiceEvent,
)

T = dt.datetime
D = dt.date
JUNE = reports.Period.month(2026, 6)
AS_OF = D(2026, 6, 30)


def customer(name, created, address="", klass="ordinary", source="", status="active"):
    return Customer.create(
        name=name,
        name_pinyin=name,
        created_at=created,
        address=address,
        customer_class=klass,
        source=source,
        status=status,
    )


def complaint(seq, who, receiver, received, category, department, **others):
    return Complaint.create(
        number=f"TS-{received:%Y%m}-{seq:04d}",
        number_period=f"{received:%Y%m}",
        number_seq=seq,
        received_at=received,
        channel="phone",
        customer=who,
        category=category,
        department=department,
        receiver=receiver,
        **others,
    )


@pytest.fixture
def office(manager):
    return build_office(manager)


def build_office(manager):
    """A: VIP in 深圳南山, called Dec 2025 and June 2026, complained in June (closed in 12 h,
    company at fault, satisfied 4), holds a valid card.
    B: in 深圳南山 too, last contact a purchase on 15 Jan 2026; card lapsed 31 May 2026.
    C: dissatisfied class in 北京朝阳; points on 1 May, a return visit on 10 April scored 2,
    card cancelled 2 June, an open complaint since 15 June (overdue).
    D: new in June 2026, no address, never contacted.
    E: archived (never counted).
    F: in 长沙; complaint 25 Jan 2026 closed after 168 h scored 1, won back by a visit on
    1 March scored 5."""
    a = customer("A", T(2025, 1, 5), "广东省深圳市南山区科技园1号", "vip", "转介绍")
    b = customer("B", T(2025, 2, 1), "深圳市南山区后海大道")
    c = customer("C", T(2025, 3, 1), "北京市朝阳区建国路88号", "dissatisfied")
    d = customer("D", T(2026, 6, 20), "", "new")
    customer("E", T(2025, 6, 1), "上海市浦东新区", status="archived")
    f = customer("F", T(2025, 1, 1), "湖南省长沙市岳麓区")
    for who, at, channel, category in [
        (a, T(2025, 12, 15, 10), "phone", "consult"),
        (a, T(2026, 6, 10, 9), "visit", "complaint"),
    ]:
        Reception.create(
            received_at=at,
            channel=channel,
            category=category,
            customer=who,
            caller_name=who.name,
            content="…",
            handler=manager,
        )
    ServiceEvent.create(customer=b, kind="purchase", date=D(2026, 1, 15))
    MemberCard.create(card_no="1", customer=a, issued_on=D(2025, 1, 5), expires_on=D(2026, 12, 31))
    MemberCard.create(card_no="2", customer=b, issued_on=D(2025, 2, 1), expires_on=D(2026, 5, 31))
    card_c = MemberCard.create(
        card_no="3",
        customer=c,
        issued_on=D(2025, 3, 1),
        status="cancelled",
        closed_at=T(2026, 6, 2, 11),
    )
    PointsEntry.create(card=card_c, at=T(2026, 5, 1, 10), kind="earn", points=100)
    ReturnVisit.create(
        customer=c,
        kind="manual",
        due_on=D(2026, 4, 10),
        status="done",
        reached=True,
        done_at=T(2026, 4, 10, 15),
        satisfaction=2,
    )
    ReturnVisit.create(
        customer=f,
        kind="manual",
        due_on=D(2026, 3, 1),
        status="done",
        reached=True,
        done_at=T(2026, 3, 1, 15),
        satisfaction=5,
    )
    complaint(
        1,
        f,
        manager,
        T(2026, 1, 25, 10),
        "quality",
        "aftersales",
        status="closed",
        closed_at=T(2026, 2, 1, 10),
        satisfaction=1,
    )
    complaint(
        1,
        a,
        manager,
        T(2026, 6, 12, 9),
        "attitude",
        "service",
        status="closed",
        closed_at=T(2026, 6, 12, 21),
        satisfaction=4,
        company_at_fault=True,
    )
    complaint(
        2,
        c,
        manager,
        T(2026, 6, 15, 9),
        "quality",
        "service",
        status="in_progress",
        resolve_due=T(2026, 6, 16, 9),
    )
    return {"a": a, "b": b, "c": c, "d": d, "f": f, "manager": manager}


def test_districts_are_read_from_chinese_addresses():
    assert statistics.district_of("广东省深圳市南山区科技园1号") == "深圳市南山区"
    assert statistics.district_of("深圳市南山区后海大道") == "深圳市南山区"
    assert statistics.district_of("北京市朝阳区建国路88号") == "北京市朝阳区"
    assert statistics.district_of("湖南省长沙市岳麓区") == "长沙市岳麓区"
    assert statistics.district_of("湖南省辛集市清河翟街R座") == "辛集市"
    assert statistics.district_of("广西壮族自治区桂林市阳朔县西街") == "桂林市阳朔县"
    assert statistics.district_of("") == ""


def test_customer_statistics(office):
    s = statistics.customer_statistics(JUNE)
    # A, B, C, D, F are in use (E archived).
    assert s.total == 5
    assert s.by_class == [("vip", 1), ("new", 1), ("dissatisfied", 1), ("ordinary", 2)]
    assert s.by_district == [
        ("深圳市南山区", 2),
        ("北京市朝阳区", 1),
        ("长沙市岳麓区", 1),
        ("", 1),
    ]
    assert s.by_source == [("", 4), ("转介绍", 1)]  # most first
    # Only A's reception of 10 June falls in June; the manager took it.
    assert s.by_clerk == [(office["manager"].display_name, 1)]
    assert s.new == 1  # D
    # In touch in June: A (reception, complaint) and C (complaint of 15 June).
    assert s.active == 2
    assert s.active_share == pytest.approx(2 / 5)
    assert s.new_by_month[-1] == ("2026-06", 1)
    assert sum(n for _m, n in s.new_by_month) == 1  # A, B, C, F opened before July 2025


def test_statistics_by_responsible_staff(office, clerk):
    """A and B are the clerk's files, C the manager's; D and F name no one (E is archived)."""
    manager = office["manager"]
    Customer.update(responsible=clerk).where(
        Customer.id.in_([office["a"].id, office["b"].id])
    ).execute()
    Customer.update(responsible=manager).where(Customer.id == office["c"].id).execute()
    Customer.update(responsible=clerk).where(
        Customer.name == "E"
    ).execute()  # archived: not counted
    s = statistics.customer_statistics(JUNE)
    # In touch in June: A (the clerk's) and C (the manager's); D, opened in June, is nobody's.
    assert s.by_responsible == [
        statistics.StaffCount(clerk.display_name, 2, 1, 0),
        statistics.StaffCount(manager.display_name, 1, 1, 0),
        statistics.StaffCount("", 2, 0, 1),
    ]
    assert s.by_responsible[0].active_share == pytest.approx(0.5)
    assert sum(r.customers for r in s.by_responsible) == s.total
    # The clerk table still counts who served at the desk: the manager took A's call.
    assert s.by_clerk == [(manager.display_name, 1)]


def test_churn_lists(office):
    ids = {k: set(churn.churn_ids(k, AS_OF, months=3)) for k in churn.KINDS}
    # No contact since 30 March: B (15 Jan) and F (1 March); D opened too recently.
    assert ids["inactive"] == {office["b"].id, office["f"].id}
    # C's card cancelled, B's lapsed on 31 May; A's is valid until December.
    assert ids["cards"] == {office["b"].id, office["c"].id}
    # C scored 2 on 10 April and nothing better since; F was won back on 1 March.
    assert ids["dissatisfied"] == {office["c"].id}
    assert churn.churn_count("inactive", AS_OF, months=3) == 2
    rows = {r.name: r for r in churn.churn_rows("inactive", sorted(ids["inactive"]), AS_OF)}
    assert rows["B"].last_contact == T(2026, 1, 15)
    assert rows["F"].last_contact == T(2026, 3, 1, 15)
    cards = {r.name: r.detail for r in churn.churn_rows("cards", sorted(ids["cards"]), AS_OF)}
    assert "3" in cards["C"] and "2026" in cards["C"]
    assert "2" in cards["B"]


def test_churn_trend(office):
    months = statistics.last_months(JUNE)
    trend = {m.month: m for m in churn.churn_trend(months, 3)}
    # Feb end (Dec–Feb): A (Dec call), B (Jan purchase), F (Jan complaint) in touch → C only.
    assert trend["2026-02"].inactive == 1
    # Mar end (Jan–Mar): B, F in touch → A and C.
    assert trend["2026-03"].inactive == 2
    # Jun end (Apr–Jun): A, C in touch → B and F, as the list says.
    assert trend["2026-06"].inactive == 2
    assert [trend[m].dissatisfied for m in ("2026-01", "2026-02", "2026-03", "2026-04")] == [
        0,
        1,
        0,
        1,
    ]
    assert trend["2026-06"].dissatisfied == 1
    assert trend["2026-06"].cards_cancelled == 1
    assert trend["2026-05"].cards_lapsed == 1


def test_trends_match_the_monthly_reports(office):
    t = trends.trends(JUNE)
    assert t.months[0] == "2025-07" and t.months[-1] == "2026-06"
    june, january = -1, t.months.index("2026-01")
    assert t.complaints[june] == 2 and t.complaints[january] == 1
    assert dict(t.complaints_by_category)["quality"][january] == 1
    assert dict(t.complaints_by_department)["service"][june] == 2
    assert t.hours_to_resolve[january] == pytest.approx(168)
    assert t.hours_to_resolve[june] == pytest.approx(12)
    assert t.complaint_satisfaction[january] == 1 and t.complaint_satisfaction[june] == 4
    assert t.visit_satisfaction[t.months.index("2026-04")] == 2
    assert t.receptions[t.months.index("2025-12")] == 1
    assert dict(t.receptions_by_channel)["visit"][june] == 1
    # The month's own report says the same.
    report = reports.monthly_report(JUNE)
    assert report.complaints.received == t.complaints[june]
    assert report.complaints.to_resolve.average_hours == pytest.approx(t.hours_to_resolve[june])
    assert report.receptions.total.current == t.receptions[june]
    assert t.active_customers[june] == 2


def test_department_report(office):
    f = desk_reports.department_figures(JUNE, "service", at=T(2026, 6, 30, 12))
    assert (f.received, f.closed, f.open, f.overdue) == (2, 1, 1, 1)
    assert (f.fault_known, f.at_fault, f.at_fault_share) == (1, 1, 1.0)
    assert f.to_resolve.average_hours == pytest.approx(12)
    assert sorted(f.by_category) == [("attitude", 1), ("quality", 1)]
    assert [line.number for line in f.items] == ["TS-202606-0001", "TS-202606-0002"]
    empty = desk_reports.department_figures(JUNE, "finance")
    assert empty.received == 0 and empty.to_resolve.average_hours is None


def test_clerk_day(office):
    day = desk_reports.clerk_day(office["manager"].id, D(2026, 6, 10))
    assert day.reception_count == 1
    assert day.by_category == [("complaint", 1)]
    assert day.visits_done == [] and day.complaints_received == 0

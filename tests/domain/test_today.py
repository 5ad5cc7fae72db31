"""The Today board: every section's count equals its list, each item opens its record, and
each section holds exactly what the desk owes today."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import (
    care,
    complaints,
    customers,
    members,
    paper_file,
    receptions,
    service_events,
    settings,
    today,
    visits,
)
from csoffice.complaints import ComplaintInput, StepInput
from csoffice.db.models import now
from csoffice.errors import PermissionDenied, ValidationError
from csoffice.receptions import ReceptionInput
from csoffice.service_events import ServiceEventInput

TODAY = dt.date.today()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def customer(actor, name: str, mobile: str, birthday: dt.date | None = None) -> int:
    data = customers.CustomerInput(name=name, mobile=mobile, birthday=birthday)
    return customers.create(actor, data).id


def complaint(actor, customer_id: int, severity="ordinary", hours_ago: int = 1) -> int:
    data = ComplaintInput(
        customer_id=customer_id,
        category="quality",
        severity=severity,
        facts="冰箱冷藏室结冰",
        received_at=now() - dt.timedelta(hours=hours_ago),
    )
    return complaints.create(actor, data).id


@pytest.fixture
def desk(manager, clerk):
    """A desk with something owed in every section, and things that are not owed."""
    zhang = customer(clerk, "张伟", "13812345678", dt.date(1990, 1, 1))
    birthday = days(3)
    if (birthday.month, birthday.day) == (2, 29):
        birthday = days(4)
    li = customer(clerk, "李娜", "13912345678", dt.date(1985, birthday.month, birthday.day))
    wang = customer(clerk, "王芳芳", "13712345678", dt.date(1985, birthday.month, birthday.day))
    members.enrol(manager, li)
    members.enrol(manager, wang)
    members.log_greeting(clerk, wang, content="生日快乐")  # greeted: no longer owed

    def event(customer_id, kind, date, remind_on=None):
        data = ServiceEventInput(kind=kind, date=date, product="途观L", remind_on=remind_on)
        return service_events.add(clerk, customer_id, data).id

    event(zhang, "repair", days(-3))  # 3DC due today
    event(li, "repair", days(-6))  # 3DC overdue by 3 days
    event(li, "repair", days(-1))  # 3DC due in 2 days: not yet
    visits.schedule_due_visits(clerk, TODAY)
    visits.schedule(clerk, zhang, days(5), None, "邀请参加车主活动")  # later

    soon = event(zhang, "insurance", days(-300), remind_on=days(2))
    late = event(li, "maintenance", days(-200), remind_on=days(-3))
    event(li, "inspection", days(-100), remind_on=days(30))  # too far ahead
    greeted = event(wang, "maintenance", days(-100), remind_on=days(1))
    members.log_greeting(
        clerk, wang, kind="reminder", content="提醒保养", occasion_on=days(1)
    )  # reminded: no longer owed

    owed = receptions.create(
        clerk,
        ReceptionInput(
            caller_name="赵先生",
            caller_phone="13612345678",
            content="咨询保养套餐价格",
            followup_needed=True,
            followup_due=TODAY,
            handler_id=clerk.id,
        ),
    ).id
    receptions.create(
        clerk,
        ReceptionInput(
            caller_name="钱女士", content="咨询", followup_needed=True, followup_due=days(3)
        ),
    )
    done = receptions.create(
        clerk, ReceptionInput(caller_name="孙先生", content="预约", followup_needed=True)
    ).id
    receptions.mark_followup_done(clerk, done, "已回电")

    fresh = complaint(clerk, zhang)
    overdue = complaint(clerk, li, hours_ago=80)  # past the 72 hours of an ordinary complaint
    major = complaint(clerk, zhang, severity="major")
    complaints.move(clerk, major, "submit", StepInput())
    closed = complaint(manager, li)
    complaints.move(
        manager, closed, "assign", StepInput(department="aftersales", handler_name="李师傅")
    )
    return dict(
        zhang=zhang,
        li=li,
        reminders=[late, soon],
        not_reminders=[greeted],
        followup=owed,
        fresh=fresh,
        overdue=overdue,
        major=major,
        managers=closed,
    )


def test_counts_equal_lists_and_items_open_their_records(clerk, desk):
    board = today.sections(clerk, TODAY)
    assert [s.key for s in board] == list(today.SECTION_TITLES)
    for section in board:
        items = section.items(list(section.ids))
        assert section.count == len(section.ids) == len(items), section.key
        assert len(set(section.ids)) == section.count
        for item in items:
            assert item.kind in (
                "visit",
                "reception",
                "complaint",
                "customer",
                "festival",
                "repair",
            )
            assert item.title
    counts = today.counts(clerk, TODAY)
    assert counts == {s.key: len(s.items(list(s.ids))) for s in board}
    assert counts == {
        "visits": 2,
        "followups": 1,
        "my_complaints": 3,
        "overdue_complaints": 1,
        "awaiting_manager": 1,
        "birthdays": 1,
        # Nobody is greeted yet for a festival of the next two weeks (below: fixed dates).
        "festivals": len(care.festivals_ahead(TODAY, today.FESTIVAL_DAYS)),
        "reminders": 2,
        "papers": 0,  # no delivery: no paper file is owed (tests/domain/test_paper_file.py)
        "repair_papers": 3,  # the clerk entered three repairs; nobody handed in their papers
        "my_customers": 0,  # nobody answers for these customers (below)
    }


def test_each_section_holds_what_is_owed(clerk, manager, desk):
    board = {s.key: s for s in today.sections(clerk, TODAY)}

    def items(key):
        section = board[key]
        return section.items(list(section.ids))

    visit_items = items("visits")
    assert [i.kind for i in visit_items] == ["visit", "visit"]
    assert [i.title for i in visit_items] == [
        "李娜 · 维修后回访（3DC）",
        "张伟 · 维修后回访（3DC）",
    ]
    assert visit_items[0].when == "逾期 1 天" and visit_items[0].style == "overdue"
    assert visit_items[1].when.endswith("前") and visit_items[1].style is None

    assert [(i.kind, i.id) for i in items("followups")] == [("reception", desk["followup"])]

    mine = items("my_complaints")
    assert {i.id for i in mine} == {desk["fresh"], desk["overdue"], desk["major"]}
    assert mine[0].id == desk["overdue"] and mine[0].style == "overdue"
    assert [(i.kind, i.id) for i in items("overdue_complaints")] == [("complaint", desk["overdue"])]
    assert [i.id for i in items("awaiting_manager")] == [desk["major"]]

    birthdays = items("birthdays")
    assert [(i.kind, i.id) for i in birthdays] == [("customer", desk["li"])]
    assert birthdays[0].title.startswith("李娜 · ")

    reminders = items("reminders")
    assert list(board["reminders"].ids) == desk["reminders"]
    assert [(i.kind, i.id) for i in reminders] == [
        ("customer", desk["li"]),
        ("customer", desk["zhang"]),
    ]
    assert reminders[0].style == "overdue" and "保养" in reminders[0].title
    assert "3 天" in reminders[0].when

    # The manager owns none of these complaints, and the lists follow the data.
    managers = {s.key: s for s in today.sections(manager, TODAY)}
    assert managers["my_complaints"].count == 1  # the one the manager received
    visits.record_result(clerk, visit_items[0].id, visits.ResultInput(True, {}, 4), at=now())
    assert today.counts(clerk, TODAY)["visits"] == 1
    receptions.mark_followup_done(clerk, desk["followup"], "已回电")
    assert today.counts(clerk, TODAY)["followups"] == 0


def test_an_empty_desk(clerk):
    board = today.sections(clerk, TODAY)
    assert all(s.count == 0 and s.items([]) == [] for s in board)


def test_festivals_of_the_next_two_weeks_until_everyone_is_greeted(clerk, manager, tmp_path):
    zhang = customer(clerk, "张伟", "13812345678")
    customer(clerk, "李娜", "13912345678")
    # 2026: Mid-Autumn Festival on 25 September, National Day on 1 October.
    board = {s.key: s for s in today.sections(clerk, dt.date(2026, 9, 20))}
    festivals = board["festivals"]
    items = festivals.items(list(festivals.ids))
    assert [i.title for i in items] == ["中秋节 · 2026年9月25日", "国庆节 · 2026年10月1日"]
    assert [i.kind for i in items] == ["festival", "festival"]
    assert dt.date.fromordinal(items[0].id) == dt.date(2026, 9, 25)
    assert items[0].detail == "2 位客户尚未祝福" and items[0].when == "5 天后"
    assert items[0].style is None
    assert today.counts(clerk, dt.date(2026, 9, 1))["festivals"] == 0  # weeks away
    assert today.counts(clerk, dt.date(2026, 9, 23))["festivals"] == 2
    mid_autumn = care.Festival("mid_autumn_festival", dt.date(2026, 9, 25))
    first = [r for r in care.festival_recipients(mid_autumn) if r.customer_id == zhang]
    care.send(clerk, first, "festival", "中秋节", "中秋快乐", "sms", tmp_path / "sms.csv")
    items = festivals_on(clerk, dt.date(2026, 9, 23))
    assert items[0].detail == "1 位客户尚未祝福" and items[0].style == "warning"
    everyone = care.festival_recipients(mid_autumn)
    care.send(clerk, everyone, "festival", "中秋节", "中秋快乐", "sms", tmp_path / "sms2.csv")
    assert [i.title for i in festivals_on(clerk, dt.date(2026, 9, 23))] == [
        "国庆节 · 2026年10月1日"
    ]


def festivals_on(staff, day: dt.date):
    section = {s.key: s for s in today.sections(staff, day)}["festivals"]
    return section.items(list(section.ids))


def test_repair_papers_are_due_one_working_day_after_the_repair(clerk, manager):
    zhang = customer(clerk, "张伟", "13812345678")
    li = customer(clerk, "李娜", "13912345678")

    def repair(customer_id: int, date: dt.date) -> int:
        data = ServiceEventInput(kind="repair", date=date, product="空调")
        return service_events.add(clerk, customer_id, data, today=date).id

    # Friday 13 February 2026: due on the 调休 Saturday; then the Spring Festival week.
    friday = repair(zhang, dt.date(2026, 2, 13))
    later = repair(li, dt.date(2026, 2, 26))
    owed = paper_file.repairs_owed(dt.date(2026, 2, 14))
    assert [(r.event_id, r.deadline, r.overdue_days) for r in owed] == [
        (friday, dt.date(2026, 2, 14), 0)
    ]
    owed = paper_file.repairs_owed(dt.date(2026, 2, 27))
    assert [(r.event_id, r.overdue_days) for r in owed] == [(friday, 4), (later, 0)]
    assert owed[0].product == "空调" and owed[0].responsible_name == "王芳"
    section = {s.key: s for s in today.sections(clerk, dt.date(2026, 2, 27))}["repair_papers"]
    (first, second) = section.items(list(section.ids))
    assert (first.kind, first.id, first.style) == ("repair", friday, "overdue")
    assert first.when == "逾期 4 个工作日" and first.detail == "2026-02-13 维修 · 空调"
    assert second.when == "2026-02-27前"
    with pytest.raises(ValidationError):
        paper_file.receive_repair_papers(clerk, later, on=dt.date(2026, 2, 25))
    with pytest.raises(PermissionDenied):
        paper_file.receive_repair_papers(viewer(manager), friday)
    paper_file.receive_repair_papers(clerk, friday, on=dt.date(2026, 2, 27))
    assert [r.event_id for r in paper_file.repairs_owed(dt.date(2026, 2, 27))] == [later]
    # Another repair of the same customer has papers of its own.
    again = repair(zhang, dt.date(2026, 2, 27))
    assert {r.event_id for r in paper_file.repairs_owed(dt.date(2026, 2, 27))} == {later, again}
    # Someone else's customers are not on the clerk's board; the office may stop following.
    settings.put(manager, {"papers.checklist": paper_file.preset("service") | {"repair_days": 0}})
    assert paper_file.repairs_owed(dt.date(2026, 2, 27)) == []


def viewer(manager):
    from csoffice import auth

    return auth.create_staff(manager, "viewer1", "赵敏", auth.Role.VIEWER, password="secret123")

"""The paper file: presets, checking the checklist the manager types, the hand-in deadline in
working days (over a 调休 weekend and the Spring Festival), incomplete files by responsible
staff, and late files in the appraisal facts."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import (
    appraisal,
    attachments,
    auth,
    changes,
    customers,
    paper_file,
    service_events,
    settings,
)
from csoffice import today as today_board
from csoffice.changes import Change
from csoffice.errors import ValidationError
from csoffice.service_events import ServiceEventInput

D = dt.date


def customer(actor, name="张伟", mobile="13812345678", responsible=None) -> int:
    data = customers.CustomerInput(name=name, mobile=mobile, responsible_id=responsible)
    return customers.create(actor, data).id


def delivery(actor, customer_id: int, date: dt.date) -> None:
    data = ServiceEventInput(kind="delivery", date=date, product="轿车 A6L")
    service_events.add(actor, customer_id, data, today=date)


@pytest.fixture
def dealer(manager):
    settings.put(manager, {"papers.checklist": paper_file.preset("dealer")})
    return paper_file.checklist()


def test_dealer_preset_has_the_rulebooks_14_papers(dealer):
    assert len(dealer.papers) == 14
    labels = [p.label for p in dealer.papers]
    assert labels[0] == "购车合同" and "客户入会资料表" in labels and "保单发票" in labels
    assert not next(p for p in dealer.papers if p.code == "residence_permit").required
    assert (dealer.event, dealer.days) == ("delivery", 2)
    assert len(paper_file.checklist().required_codes) == 12


def test_each_preset_checks_out():
    for code in paper_file.PRESETS:
        assert paper_file.check(paper_file.preset(code))["papers"]


def test_checklist_with_no_papers_is_refused(manager):
    before = settings.get("papers.checklist")
    with pytest.raises(ValidationError) as empty:
        paper_file.check({"papers": [{"name": "  "}], "event": "delivery", "days": 2})
    assert empty.value.errors["papers"] == "资料清单至少要有一项资料。"
    with pytest.raises(ValidationError) as bad:
        paper_file.check(
            {"papers": [{"name": "合同"}, {"name": "合同"}], "event": "washing", "days": 99}
        )
    assert set(bad.value.errors) == {"papers.1", "event", "days"}
    assert settings.get("papers.checklist") == before


def test_deadline_over_a_tiaoxiu_weekend(clerk, dealer):
    cid = customer(clerk)
    delivery(clerk, cid, D(2026, 2, 12))  # Thursday; Saturday 14 February is a working day
    state = paper_file.file_state(cid)
    assert state.deadline == D(2026, 2, 14)
    assert len(state.missing) == 12 and not state.complete
    assert state.overdue_days(D(2026, 2, 14)) == 0
    assert state.overdue_days(D(2026, 2, 24)) == 1  # the Spring Festival holiday is not counted


def test_a_complete_file_and_late_papers(clerk, manager, dealer):
    cid = customer(clerk, responsible=clerk.id)
    delivery(clerk, cid, D(2026, 3, 12))  # Thursday: due Monday 16 March
    for code in dealer.required_codes[:-1]:
        attachments.set_received(clerk, cid, code, True, on=D(2026, 3, 13))
    attachments.set_received(clerk, cid, dealer.required_codes[-1], True, on=D(2026, 3, 18))
    state = paper_file.file_state(cid)
    assert state.complete and state.late == [dealer.required_codes[-1]]
    assert paper_file.incomplete_files(D(2026, 3, 20)) == []


def test_incomplete_files_by_responsible_staff(clerk, manager, dealer):
    seller = auth.create_staff(manager, "sales1", "李销售", auth.Role.VIEWER, password="secret123")
    mine = customer(clerk, responsible=seller.id)
    theirs = customer(clerk, "李娜", "13912345678")  # nobody named: whoever entered the delivery
    delivery(clerk, mine, D(2026, 3, 12))
    delivery(manager, theirs, D(2026, 3, 16))
    for code in dealer.required_codes[:-1]:
        attachments.set_received(clerk, mine, code, True, on=D(2026, 3, 13))
    files = paper_file.incomplete_files(D(2026, 3, 18))
    assert sorted((f.customer_name, f.responsible_name) for f in files) == [
        ("张伟", "李销售"),
        ("李娜", manager.display_name),
    ]
    late = next(f for f in files if f.customer_id == mine)
    assert late.deadline == D(2026, 3, 16) and late.overdue_days == 2
    assert late.missing == ["客户入会资料表"]
    assert [f.customer_id for f in paper_file.incomplete_files(D(2026, 3, 18), seller.id)] == [mine]
    # On the Today board: the manager sees every file, the salesperson their own.
    board = {s.key: s for s in today_board.sections(manager, D(2026, 3, 18))}
    items = {i.id: i for i in board["papers"].items(list(board["papers"].ids))}
    assert set(items) == {mine, theirs}
    assert items[mine].when == "逾期 2 个工作日" and items[mine].style == "overdue"
    assert items[mine].detail == "缺：客户入会资料表"
    assert items[theirs].when == "2026-03-18前" and items[theirs].style is None
    board = {s.key: s for s in today_board.sections(seller, D(2026, 3, 18))}
    assert board["papers"].ids == (mine,)


def test_late_files_cost_the_salesperson_in_the_appraisal(clerk, manager, dealer):
    on_time = customer(clerk, responsible=clerk.id)
    late = customer(clerk, "李娜", "13912345678", responsible=clerk.id)
    delivery(clerk, on_time, D(2026, 3, 12))
    delivery(clerk, late, D(2026, 3, 12))
    for code in dealer.required_codes:
        attachments.set_received(clerk, on_time, code, True, on=D(2026, 3, 16))
    assert paper_file.late_files(clerk.id, D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 16)) == 0
    assert paper_file.late_files(clerk.id, D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 17)) == 1
    facts = appraisal.facts(clerk.id, "2026-03", at=dt.datetime(2026, 4, 2, 9))
    assert facts.papers_late == 1
    assert ("逾期未交齐的客户资料", "1") in appraisal.fact_lines(facts)


def test_scans_file_under_the_checklist_papers(clerk, dealer, tmp_path):
    cid = customer(clerk)
    scan = tmp_path / "合格证.pdf"
    scan.write_bytes(b"%PDF-1.4 certificate")
    attachments.attach(clerk, cid, scan, "vehicle_certificate")
    assert attachments.checklist(cid)["vehicle_certificate"] is not None
    assert list(attachments.checklist(cid))[:2] == ["purchase_contract", "accessory_contract"]
    with pytest.raises(ValidationError):
        attachments.attach(clerk, cid, scan, "no_such_paper")


def test_responsible_staff_sees_their_customers_on_today(clerk, manager):
    from csoffice import complaints, receptions, visits
    from csoffice.complaints import ComplaintInput
    from csoffice.receptions import ReceptionInput

    seller = auth.create_staff(manager, "sales1", "李销售", auth.Role.CLERK, password="secret123")
    today = dt.date.today()
    mine = customer(clerk, responsible=seller.id)
    other = customer(clerk, "李娜", "13912345678")
    for cid in (mine, other):
        receptions.create(
            clerk,
            ReceptionInput(
                channel="phone",
                category="consult",
                caller_name="张伟",
                caller_phone="13812345678",
                customer_id=cid,
                content="问保养时间",
            ),
        )
        complaints.create(
            clerk,
            ComplaintInput(
                channel="phone",
                customer_id=cid,
                contact_name="张伟",
                contact_phone="13812345678",
                category="quality",
                facts="空调漏水",
            ),
        )
        data = ServiceEventInput(kind="repair", date=today - dt.timedelta(days=3), product="空调")
        service_events.add(clerk, cid, data, today=today)
    visits.schedule_due_visits(clerk, today)
    board = {s.key: s for s in today_board.sections(seller, today)}
    section = board["my_customers"]
    items = section.items(list(section.ids))
    assert [i.kind for i in items] == ["reception", "complaint", "visit"]
    assert all(i.title.startswith("张伟") for i in items)
    assert "问保养时间" in items[0].detail
    clerk_board = {s.key: s for s in today_board.sections(clerk, today)}
    assert clerk_board["my_customers"].count == 0  # the clerk answers for nobody


def test_repair_papers_on_both_backends(any_database):
    """The hand-in of each repair's papers (one working day) on SQLite and PostgreSQL alike: the
    check that finds a repair's own line is SQL both must understand."""
    manager = auth.default_manager()
    zhang = customer(manager, "张伟", "13812345678")
    first = service_events.add(
        manager, zhang, ServiceEventInput(kind="repair", date=D(2026, 3, 2)), today=D(2026, 3, 2)
    ).id
    second = service_events.add(
        manager, zhang, ServiceEventInput(kind="repair", date=D(2026, 3, 4)), today=D(2026, 3, 4)
    ).id
    owed = paper_file.repairs_owed(D(2026, 3, 5))
    assert [(r.event_id, r.deadline, r.overdue_days) for r in owed] == [
        (first, D(2026, 3, 3), 2),
        (second, D(2026, 3, 5), 0),
    ]
    heard: list = []
    stop = changes.subscribe(heard.append)
    try:
        paper_file.receive_repair_papers(manager, first, on=D(2026, 3, 5))
    finally:
        stop()
    assert heard == [Change.SERVICE_EVENT]  # the Today board follows
    assert [r.event_id for r in paper_file.repairs_owed(D(2026, 3, 5))] == [second]
    assert paper_file.file_state(zhang).missing  # a repair's papers are not the delivery file's

"""Group complaints (群诉) list their complainants, a complaint can be linked to the one it
repeats (and unlinked, with a reason), and the ledger, the reports and the export count a group
once with its number of people and a duplicate not at all. Each handling round keeps its own
result, cause, correction, opinion and satisfaction."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from csoffice import changes, complaints, customers, reports
from csoffice.changes import Change
from csoffice.complaints import ComplaintInput, StepInput
from csoffice.db.models import AuditLog, ComplaintParty, ComplaintStep
from csoffice.errors import Conflict, NotFound, PermissionDenied, ValidationError
from csoffice.i18n import _


def person(clerk, name: str, mobile: str) -> int:
    return customers.create(clerk, customers.CustomerInput(name=name, mobile=mobile)).id


def complaint(clerk, severity: str = "group", customer_id: int | None = None, **more):
    values = dict(
        channel="visit",
        customer_id=customer_id,
        contact_name="" if customer_id else "业主代表",
        category="property",
        severity=severity,
        facts="小区电梯一周内三次困人",
    )
    values.update(more)
    return complaints.create(clerk, ComplaintInput(**values))


def test_a_group_lists_its_complainants_own_customer_first(clerk, heard):
    lead = person(clerk, "王建国", "13800000001")
    made = complaint(clerk, customer_id=lead)
    assert complaints.view(made.id).people == 1
    heard.clear()
    for name, mobile in (("李梅", "13800000002"), ("赵强", "13800000003")):
        complaints.add_complainant(clerk, made.id, person(clerk, name, mobile))
    assert heard.count(Change.COMPLAINT) == 2
    view = complaints.view(made.id)
    assert [p.name for p in view.complainants] == ["王建国", "李梅", "赵强"]
    assert view.people == 3 == complaints.people(made.id)
    assert all("****" in p.phone for p in view.complainants)  # masked
    added = [s for s in view.steps if s.action == "group_add"]
    assert [s.note for s in added] == ["李梅", "赵强"]
    assert AuditLog.select().where(AuditLog.action == "group_add").count() == 2


def test_adding_a_complainant_is_refused_with_a_reason(clerk, viewer):
    lead = person(clerk, "王建国", "13800000001")
    other = person(clerk, "李梅", "13800000002")
    made = complaint(clerk, customer_id=lead)
    ordinary = complaint(clerk, severity="ordinary", customer_id=lead)
    cases = [
        (ordinary.id, other, _("Only a group complaint lists several complainants.")),
        (made.id, lead, "王建国"),  # the complaint's own customer already
        (made.id, None, _("Pick the complainant from the customer archive.")),
        (made.id, 999999, "999999"),
    ]
    for complaint_id, customer_id, words in cases:
        with pytest.raises(ValidationError) as refused:
            complaints.add_complainant(clerk, complaint_id, customer_id)
        assert words in refused.value.errors["complainants"]
    complaints.add_complainant(clerk, made.id, other)
    with pytest.raises(ValidationError, match="李梅"):
        complaints.add_complainant(clerk, made.id, other)
    with pytest.raises(PermissionDenied):
        complaints.add_complainant(viewer, made.id, person(clerk, "赵强", "13800000003"))
    assert complaints.people(made.id) == 2


def test_removing_keeps_the_row_and_adding_again_brings_it_back(clerk):
    made = complaint(clerk)
    other = person(clerk, "李梅", "13800000002")
    complaints.add_complainant(clerk, made.id, other)
    complaints.remove_complainant(clerk, made.id, other)
    assert complaints.people(made.id) == 1
    row = ComplaintParty.get()
    assert row.removed_at is not None and row.removed_by_id == clerk.id  # not hard-deleted
    with pytest.raises(NotFound):
        complaints.remove_complainant(clerk, made.id, other)
    complaints.add_complainant(clerk, made.id, other)
    assert ComplaintParty.select().count() == 1 and complaints.people(made.id) == 2
    actions = [s.action for s in complaints.view(made.id).steps]
    assert actions == ["receive", "group_add", "group_remove", "group_add"]


def test_a_group_with_complainants_keeps_its_severity(clerk):
    made = complaint(clerk)
    complaints.add_complainant(clerk, made.id, person(clerk, "李梅", "13800000002"))
    data = complaints.to_input(complaints.get(made.id))
    data.severity = "ordinary"
    with pytest.raises(ValidationError) as refused:
        complaints.update(clerk, made.id, data, complaints.get(made.id).version)
    assert "1" in refused.value.errors["severity"]
    # Nor may one of the other complainants become the complaint's own customer.
    data = complaints.to_input(complaints.get(made.id))
    data.customer_id = ComplaintParty.get().customer_id
    with pytest.raises(ValidationError) as refused:
        complaints.update(clerk, made.id, data, complaints.get(made.id).version)
    assert list(refused.value.errors) == ["customer"]


def test_a_closed_complaint_takes_no_new_complainant(clerk, manager):
    made = complaint(clerk)
    complaints.move(clerk, made.id, "submit")
    complaints.move(manager, made.id, "reject", StepInput(note="重复反映"))
    with pytest.raises(Conflict):
        complaints.add_complainant(clerk, made.id, person(clerk, "李梅", "13800000002"))


def test_link_and_unlink_a_duplicate(clerk, heard):
    first = complaint(clerk, severity="ordinary")
    again = complaint(clerk, severity="ordinary")
    heard.clear()
    linked = complaints.link_duplicate(clerk, again.id, f" {first.number} ", "同一业主再次来电")
    assert linked.duplicate_of_id == first.id and heard == [Change.COMPLAINT]
    view = complaints.view(again.id)
    assert view.duplicate_of == first.number
    assert complaints.view(first.id).duplicates == [again.number]
    assert [s.action for s in view.steps][-1] == "duplicate"
    assert first.number in view.steps[-1].note and "再次来电" in view.steps[-1].note
    assert complaints.view(first.id).steps[-1].action == "duplicate_found"
    with pytest.raises(ValidationError) as refused:
        complaints.unlink_duplicate(clerk, again.id, "  ")
    assert refused.value.errors == {"note": _("Give the reason.")}
    complaints.unlink_duplicate(clerk, again.id, "其实是另一部电梯")
    assert complaints.get(again.id).duplicate_of_id is None
    audit = [row.action for row in AuditLog.select().where(AuditLog.entity_id == again.id)]
    assert "duplicate" in audit and "unduplicate" in audit
    with pytest.raises(Conflict):
        complaints.unlink_duplicate(clerk, again.id, "再试一次")


def test_duplicate_links_that_make_no_sense_are_refused(clerk):
    first = complaint(clerk, severity="ordinary")
    second = complaint(clerk, severity="ordinary")
    third = complaint(clerk, severity="ordinary")
    complaints.link_duplicate(clerk, second.id, first.number)
    cases = [
        (first.id, first.number, _("A complaint cannot repeat itself.")),
        (third.id, second.number, first.number),  # a duplicate of a duplicate: link to first
        (second.id, third.number, first.number),  # a duplicate already: unlink first
        (first.id, third.number, second.number),  # first has duplicates of its own
        (third.id, "TS-190001-0001", "TS-190001-0001"),
        (third.id, "", _("Type the number of the complaint it repeats.")),
    ]
    for complaint_id, number, words in cases:
        with pytest.raises(ValidationError) as refused:
            complaints.link_duplicate(clerk, complaint_id, number)
        assert words in refused.value.errors["duplicate_of"], words


@pytest.fixture
def heard():
    kinds: list[Change] = []
    stop = changes.subscribe(kinds.append)
    yield kinds
    stop()


def _month() -> reports.Period:
    return reports.parse_period(dt.date.today().strftime("%Y-%m"), "monthly")


def test_ledger_and_reports_count_a_group_once_and_a_duplicate_not_at_all(any_database):
    from csoffice import auth

    clerk = auth.default_manager()  # on SQLite and on PostgreSQL
    group = complaint(clerk)
    for i in range(4):
        complaints.add_complainant(clerk, group.id, person(clerk, f"业主{i}", f"1380000001{i}"))
    single = complaint(clerk, severity="ordinary", category="billing")
    repeat = complaint(clerk, severity="ordinary", category="billing")
    complaints.link_duplicate(clerk, repeat.id, single.number)

    totals = complaints.totals(complaints.LedgerFilter())
    assert totals.count == 2  # the group and the single one
    assert totals.people == 6  # five in the group, one
    assert totals.duplicates == 1
    assert sum(totals.by_status.values()) == 2 and totals.major_or_group == 1

    ids = complaints.search_ids(complaints.LedgerFilter())
    assert len(ids) == 3  # the duplicate stays in the list
    lines = {row.number: row for row in complaints.rows(ids)}
    assert lines[group.number].people == 5
    assert lines[repeat.number].duplicate_of == single.number
    assert lines[single.number].people == 1 and lines[single.number].duplicate_of == ""

    figures = reports.complaint_figures(_month())
    assert figures.received == 2 and figures.people == 6 and figures.duplicates == 1
    assert dict(figures.by_category) == {"property": 1, "billing": 1}
    assert dict(figures.by_severity) == {"group": 1, "ordinary": 1}
    assert len(figures.items) == 3  # every complaint is listed, none left out
    listed = {line.number: line for line in figures.items}
    assert listed[group.number].people == 5 and listed[repeat.number].duplicate_of


def test_a_duplicate_is_not_overdue_in_the_figures(clerk):
    single = complaint(clerk, severity="ordinary")
    repeat = complaint(clerk, severity="ordinary")
    month = _month()
    later = dt.datetime.combine(month.last, dt.time(23, 0))
    start = dt.datetime.combine(month.first, dt.time())
    end = dt.datetime.combine(month.last + dt.timedelta(days=1), dt.time())
    if complaints.get(single.id).resolve_due >= end:
        pytest.skip("the resolution limit falls after this month")
    assert complaints.overdue_in(start, end, later) == 2
    complaints.link_duplicate(clerk, repeat.id, single.number)
    assert complaints.overdue_in(start, end, later) == 1


def test_export_says_how_each_row_is_counted(clerk, manager, tmp_path):
    group = complaint(clerk)
    complaints.add_complainant(clerk, group.id, person(clerk, "李梅", "13800000002"))
    complaints.add_complainant(clerk, group.id, person(clerk, "赵强", "13800000003"))
    single = complaint(clerk, severity="ordinary")
    repeat = complaint(clerk, severity="ordinary")
    complaints.link_duplicate(clerk, repeat.id, single.number)
    out = tmp_path / "ledger.csv"
    assert complaints.export(manager, out) == 3
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    by_number = {row[_("Number")]: row for row in rows}
    assert by_number[group.number][_("People")] == "3"
    assert by_number[group.number][_("Other complainants")] == "李梅、赵强"
    assert by_number[repeat.number][_("Duplicate of")] == single.number
    assert by_number[single.number][_("Duplicate of")] == ""


def _through_one_round(clerk, manager, made_id: int, result: str, opinion: str, score: int):
    complaints.move(
        clerk,
        made_id,
        "handle",
        StepInput(
            result=result,
            company_at_fault=True,
            root_cause=f"{result}的原因",
            corrective_action=f"{result}的纠正",
        ),
    )
    complaints.move(
        clerk,
        made_id,
        "inform",
        StepInput(customer_opinion=opinion, satisfaction=score, satisfaction_reason=f"{opinion}。"),
    )
    complaints.move(clerk, made_id, "close")


def test_every_round_keeps_its_own_results(clerk, manager):
    made = complaint(clerk, severity="ordinary")
    complaints.move(clerk, made.id, "assign", StepInput(department="property", handler_name="张工"))
    _through_one_round(clerk, manager, made.id, "更换电梯门机", "暂时接受", 3)
    complaints.move(manager, made.id, "reopen", StepInput(note="又困人了"))
    complaints.move(
        clerk, made.id, "handle", StepInput(result="只调了门缝", company_at_fault=False)
    )
    complaints.move(clerk, made.id, "rework", StepInput(note="没有找到原因"))
    _through_one_round(clerk, manager, made.id, "更换控制板", "满意", 5)

    view = complaints.view(made.id)
    first, second = view.rounds
    assert first.superseded and not second.superseded
    assert first.reopened is not None and first.reopened.note == "又困人了"
    assert first.handled is not None and first.handled.result == "更换电梯门机"
    assert first.handled.root_cause == "更换电梯门机的原因" and first.handled.company_at_fault
    assert first.informed is not None and first.informed.satisfaction == 3
    assert first.informed.customer_opinion == "暂时接受"
    # The reworked result stays on its own step; the round's result is the last one.
    assert second.handled is not None and second.handled.result == "更换控制板"
    assert second.informed is not None and second.informed.satisfaction == 5
    handled = [s.result for s in view.steps if s.action == "handle"]
    assert handled == ["更换电梯门机", "只调了门缝", "更换控制板"]
    assert "根" not in view.steps[0].results_text()  # the receive step recorded nothing
    remarks = [s.remarks() for s in view.steps if s.action == "inform"]
    assert "暂时接受" in remarks[0] and "3" in remarks[0] and "满意" in remarks[1]
    stored = (
        ComplaintStep.select().where(ComplaintStep.action == "inform").order_by(ComplaintStep.id)
    )
    assert [s.satisfaction for s in stored] == [3, 5]


def test_merging_customers_keeps_each_complainant_once(clerk, manager):
    lead = person(clerk, "王建国", "13800000001")
    li = person(clerk, "李梅", "13800000002")
    li_again = person(clerk, "李梅", "13900000002")  # the same person filed twice
    zhao = person(clerk, "赵强", "13800000003")
    group = complaint(clerk, customer_id=lead)
    complaints.add_complainant(clerk, group.id, li_again)
    complaints.add_complainant(clerk, group.id, zhao)
    other = complaint(clerk, customer_id=lead)
    complaints.add_complainant(clerk, other.id, li)
    complaints.add_complainant(clerk, other.id, li_again)
    customers.merge(manager, li, li_again)
    assert [p.customer_id for p in complaints.view(group.id).complainants] == [lead, li, zhao]
    assert [p.customer_id for p in complaints.view(other.id).complainants] == [lead, li]
    customers.merge(manager, lead, zhao)  # the group's own customer was also listed
    assert complaints.people(group.id) == 2

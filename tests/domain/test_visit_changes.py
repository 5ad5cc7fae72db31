"""The writes of return visits, service events, referrals, care greetings and customer classes
tell the change hub what changed, once each, after their transaction committed."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import (
    care,
    changes,
    complaints,
    customer_classes,
    customers,
    referrals,
    service_events,
    visits,
)
from csoffice.changes import Change
from csoffice.db.database import db
from csoffice.db.models import Customer
from csoffice.errors import PermissionDenied
from csoffice.referrals import ReferralInput
from csoffice.service_events import ServiceEventInput
from csoffice.visits import ResultInput

D = dt.date


@pytest.fixture
def told():
    """The kinds told to the hub, each with whether a transaction was still open then."""
    heard: list[tuple[Change, bool]] = []
    stop = changes.subscribe(lambda kind: heard.append((kind, db.in_transaction())))
    yield heard
    stop()


def kinds(heard) -> list[Change]:
    assert not any(open_ for _kind, open_ in heard), "told before the transaction committed"
    kinds_ = [kind for kind, _open in heard]
    heard.clear()
    return kinds_


def person(actor, name="张伟", mobile="13812345678", birthday=None) -> int:
    data = customers.CustomerInput(name=name, mobile=mobile, birthday=birthday)
    return customers.create(actor, data).id


def test_a_call_scheduled_cancelled_reassigned_and_recorded_tells_visit(clerk, manager, told):
    cid = person(clerk)
    told.clear()
    visit = visits.schedule(clerk, cid, dt.date.today(), note="问问使用情况")
    assert kinds(told) == [Change.VISIT]
    visits.reassign(clerk, visit.id, manager.id)
    assert kinds(told) == [Change.VISIT]
    visits.record_result(clerk, visit.id, ResultInput(False, remarks="无人接听"))
    assert kinds(told) == [Change.VISIT]
    visits.record_result(clerk, visit.id, ResultInput(True, {}, 5, "满意"))
    assert kinds(told) == [Change.VISIT, Change.CUSTOMER]  # the customer's class may follow
    other = visits.schedule(clerk, cid, dt.date.today())
    kinds(told)
    visits.cancel(clerk, other.id, "客户已搬走")
    assert kinds(told) == [Change.VISIT]


def test_a_refused_write_tells_nothing(clerk, viewer, told):
    cid = person(clerk)
    told.clear()
    with pytest.raises(PermissionDenied):
        visits.schedule(viewer, cid, dt.date.today())
    with pytest.raises(PermissionDenied):
        service_events.add(viewer, cid, ServiceEventInput(kind="repair", date=D(2026, 3, 1)))
    assert kinds(told) == []


def test_service_events_and_the_calls_the_rules_plan_tell_their_kinds(clerk, manager, told):
    cid = person(clerk)
    told.clear()
    data = ServiceEventInput(kind="repair", date=D(2026, 3, 1), product="格力空调")
    event = service_events.add(clerk, cid, data, today=D(2026, 3, 1))
    assert kinds(told) == [Change.SERVICE_EVENT]
    assert visits.schedule_due_visits(clerk, D(2026, 3, 4)) == 1
    assert kinds(told) == [Change.VISIT]
    assert visits.schedule_due_visits(clerk, D(2026, 3, 4)) == 0
    assert kinds(told) == []  # nothing new, nothing to refresh
    service_events.void(clerk, event.id, "录错了")
    assert kinds(told) == [Change.SERVICE_EVENT]
    specs = visits.rule_specs()
    visits.save_rules(manager, specs, today=D(2026, 3, 4))
    assert kinds(told).count(Change.VISIT) == 1  # once, after the one transaction


def test_a_complaint_raised_from_a_call_tells_complaint_and_visit(clerk, told):
    cid = person(clerk)
    visit = visits.schedule(clerk, cid, dt.date.today())
    visits.record_result(clerk, visit.id, ResultInput(True, {}, 1, "很不满意"))
    draft = visits.complaint_draft_from_visit(visit.id)
    draft.category = "service"
    told.clear()
    complaint = visits.raise_complaint(clerk, visit.id, draft)
    heard = kinds(told)
    assert Change.VISIT in heard and Change.COMPLAINT in heard
    assert complaints.get(complaint.id).customer_id == cid


def test_referrals_and_care_greetings_tell_their_kinds(clerk, told, tmp_path):
    cid = person(clerk, birthday=D(1980, 2, 12))
    told.clear()
    lead = referrals.add(clerk, ReferralInput(cid, "李娜", "13912345678", "新能源车"))
    assert kinds(told) == [Change.REFERRAL]
    referrals.follow_up(clerk, lead.id, "passed", "交给销售部")
    assert kinds(told) == [Change.REFERRAL]
    recipients = care.birthdays(D(2026, 2, 10))
    care.send(
        clerk, recipients, "birthday", "生日", "{name}，生日快乐！", "sms", tmp_path / "s.csv"
    )
    assert kinds(told) == [Change.GREETING]
    again = care.send(clerk, recipients, "birthday", "生日", "{name}", "sms", tmp_path / "t.csv")
    assert again.sent == 0 and kinds(told) == []  # greeted before: nothing written


def test_new_customers_aged_to_ordinary_tell_customer(clerk, told):
    data = customers.CustomerInput(name="李娜", mobile="13912345678", customer_class="new")
    cid = customers.create(clerk, data).id
    Customer.update(created_at=dt.datetime(2020, 1, 1)).where(Customer.id == cid).execute()
    told.clear()
    assert customer_classes.age_new_customers(clerk, D(2026, 3, 1)) == 1
    assert kinds(told) == [Change.CUSTOMER]

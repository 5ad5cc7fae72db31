"""Turning a reception into a complaint: the form is filled from it and the two are linked."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import complaints, customers, receptions
from csoffice.db.models import Complaint, Reception
from csoffice.errors import Conflict
from csoffice.receptions import ReceptionInput


def test_reception_becomes_a_linked_complaint(clerk):
    customer = customers.create(clerk, customers.CustomerInput(name="李四", mobile="13900001111"))
    received = dt.datetime.now().replace(microsecond=0) - dt.timedelta(minutes=5)
    reception = receptions.create(
        clerk,
        ReceptionInput(
            channel="visit",
            category="complaint",
            customer_id=customer.id,
            caller_phone="13900001111",
            content="新车交付一周出现异响，要求退换",
            received_at=received,
        ),
    )
    draft = complaints.draft_from_reception(reception.id)
    assert draft.customer_id == customer.id
    assert draft.channel == "visit"
    assert draft.facts == "新车交付一周出现异响，要求退换"
    assert draft.received_at == received
    assert draft.receiver_id == clerk.id
    draft.category = "quality"
    complaint = complaints.create(clerk, draft, reception_id=reception.id)
    assert Reception.get_by_id(reception.id).complaint_id == complaint.id
    assert Complaint.get_by_id(complaint.id).reception_id == reception.id
    row = receptions.row(reception.id)
    assert row.complaint_number == complaint.number
    # The same call cannot become a second complaint, nor be voided behind the complaint's back.
    with pytest.raises(Conflict):
        complaints.create(clerk, draft, reception_id=reception.id)
    with pytest.raises(Conflict):
        receptions.void(clerk, reception.id, "误登")
    assert receptions.check_links() == []

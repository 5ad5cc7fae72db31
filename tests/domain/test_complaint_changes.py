"""Every complaint write tells the change hub, after it commits, that complaints changed (so
the desk's lists and the Today board refresh); a refused write tells nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import changes, complaints
from csoffice.changes import Change
from csoffice.complaints import ComplaintInput, StepInput
from csoffice.db.database import db
from csoffice.errors import ValidationError


@pytest.fixture
def heard():
    kinds: list[Change] = []

    def listener(kind: Change) -> None:
        # Emitted after the commit: no transaction is open when a listener runs.
        assert db.transaction_depth() == 0
        kinds.append(kind)

    stop = changes.subscribe(listener)
    yield kinds
    stop()


def form(**changed) -> ComplaintInput:
    values = dict(
        channel="phone",
        contact_name="刘䶮",
        contact_phone="13812345678",
        category="quality",
        facts="空调异响",
    )
    values.update(changed)
    return ComplaintInput(**values)


def test_each_write_emits_complaint_once(clerk, heard, tmp_path):
    made = complaints.create(clerk, form())
    assert heard == [Change.COMPLAINT]
    complaints.update(clerk, made.id, form(facts="空调异响，已两次上门"), made.version)
    complaints.move(
        clerk, made.id, "assign", StepInput(department="aftersales", handler_name="李师傅")
    )
    complaints.add_note(clerk, made.id, "已致电客户")
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff photo")
    attachment_id = complaints.attach(clerk, made.id, photo)
    complaints.void_attachment(clerk, attachment_id, "拍错了")
    assert heard == [Change.COMPLAINT] * 6


def test_escalation_emits_only_when_something_was_escalated(clerk, heard):
    made = complaints.create(clerk, form())
    heard.clear()
    assert complaints.escalate_overdue(made.received_at) == []
    assert heard == []
    late = made.resolve_due + dt.timedelta(hours=1)
    assert complaints.escalate_overdue(late) == [made.number]
    assert heard == [Change.COMPLAINT]


def test_refused_or_empty_writes_emit_nothing(clerk, heard):
    with pytest.raises(ValidationError):
        complaints.create(clerk, form(facts=""))
    assert heard == []
    made = complaints.create(clerk, form())
    heard.clear()
    complaints.update(clerk, made.id, form(), made.version)  # nothing changed
    with pytest.raises(ValidationError):
        complaints.add_note(clerk, made.id, "  ")
    assert heard == []


def test_a_write_inside_a_callers_transaction_waits_for_its_commit(clerk, heard):
    with db.atomic():
        complaints.create(clerk, form())
        assert heard == []  # not announced before it is kept
    assert heard == [Change.COMPLAINT]
    heard.clear()
    with db.atomic() as outer:
        complaints.create(clerk, form())
        outer.rollback()
    assert heard == []  # never, when the caller's transaction rolls back

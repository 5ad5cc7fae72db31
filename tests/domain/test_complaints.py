"""Complaint forms: validation, the state machine (every legal and illegal move), roles,
the timeline, running numbers (also under concurrent saves) and deadlines."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from csoffice import audit, auth, complaints, settings
from csoffice.complaints import TRANSITIONS, ComplaintInput, StepInput
from csoffice.db.database import db
from csoffice.db.models import AuditLog, Complaint, ComplaintStep, Counter, Reception
from csoffice.errors import Conflict, NotFound, PermissionDenied, ValidationError

STATUSES = list(complaints.STATUSES)


def form(**changes) -> ComplaintInput:
    values = dict(
        channel="phone",
        contact_name="刘䶮",
        contact_phone="138 1234 5678",
        category="quality",
        severity="ordinary",
        facts="新买的空调运行时有异响，售后两次上门未解决。",
        desired_outcome="更换整机",
    )
    values.update(changes)
    return ComplaintInput(**values)


# What each move needs to be accepted.
STEP = {
    "submit": StepInput(),
    "confirm": StepInput(department="aftersales", handler_name="李师傅"),
    "assign": StepInput(department="aftersales", handler_name="李师傅"),
    "handle": StepInput(result="更换压缩机", company_at_fault=False),
    "rework": StepInput(note="客户仍不满意"),
    "inform": StepInput(customer_opinion="满意", satisfaction=4, satisfaction_reason="处理及时"),
    "close": StepInput(),
    "reject": StepInput(note="不属于本公司产品"),
    "reopen": StepInput(note="客户再次来电反映"),
}

# A path of moves from "received" to each status, for an ordinary and for a major complaint.
PATH_ORDINARY = {
    "received": [],
    "in_progress": ["assign"],
    "handled": ["assign", "handle"],
    "informed": ["assign", "handle", "inform"],
    "closed": ["assign", "handle", "inform", "close"],
    "rejected": ["reject"],
    "awaiting_manager": ["submit"],
}


def complaint_in(actor, status: str, severity: str = "ordinary") -> Complaint:
    complaint = complaints.create(actor, form(severity=severity))
    for action in PATH_ORDINARY[status]:
        complaints.move(actor, complaint.id, action, STEP[action])
    return complaints.get(complaint.id)


def test_create_numbers_and_first_step(clerk):
    complaint = complaints.create(clerk, form())
    assert complaint.status == "received"
    assert complaint.receiver_id == clerk.id
    assert complaint.contact_phone == "13812345678"
    period = complaint.received_at.strftime("%Y%m")
    assert complaint.number == f"TS-{period}-0001"
    second = complaints.create(clerk, form())
    assert second.number == f"TS-{period}-0002"
    steps = list(ComplaintStep.select().where(ComplaintStep.complaint == complaint.id))
    assert [(s.action, s.to_status, s.staff_id) for s in steps] == [
        ("receive", "received", clerk.id)
    ]
    assert (
        AuditLog.select().where(AuditLog.entity == "complaint", AuditLog.action == "create").count()
        == 2
    )


def test_validation_names_every_field(clerk):
    with pytest.raises(ValidationError) as error:
        complaints.create(
            clerk,
            ComplaintInput(
                channel="fax",
                contact_phone="12",
                severity="huge",
                received_at=dt.datetime.now() + dt.timedelta(days=1),
            ),
        )
    assert set(error.value.errors) >= {
        "channel",
        "contact_name",
        "contact_phone",
        "category",
        "severity",
        "facts",
        "received_at",
    }
    assert error.value.errors["facts"] == "请写明投诉事实。"
    assert Complaint.select().count() == 0
    assert not Counter.select().exists()


def test_viewer_may_not_create(viewer):
    with pytest.raises(PermissionDenied):
        complaints.create(viewer, form())


def test_customer_from_archive_fills_contact(clerk):
    from csoffice import customers

    customer = customers.create(clerk, customers.CustomerInput(name="王㛃", mobile="13900001111"))
    complaint = complaints.create(
        clerk, form(customer_id=customer.id, contact_name="", contact_phone="")
    )
    assert complaint.contact_name == "王㛃"
    assert complaint.contact_phone == "13900001111"
    assert complaints.view(complaint.id).customer_name == "王㛃"


@pytest.mark.parametrize(("action", "source"), sorted(TRANSITIONS))
def test_every_legal_move(manager, action, source):
    severity = "major" if source == "awaiting_manager" else "ordinary"
    complaint = complaint_in(manager, source, severity)
    moved = complaints.move(manager, complaint.id, action, STEP[action])
    assert moved.status == TRANSITIONS[(action, source)]
    last = (
        ComplaintStep.select()
        .where(ComplaintStep.complaint == complaint.id)
        .order_by(ComplaintStep.id.desc())
        .get()
    )
    assert (last.action, last.from_status, last.to_status) == (action, source, moved.status)
    assert last.staff_id == manager.id
    assert moved.version == complaint.version + 1


ILLEGAL = [
    (action, status)
    for action in complaints.MOVES
    for status in STATUSES
    if (action, status) not in TRANSITIONS
]


@pytest.mark.parametrize(("action", "status"), ILLEGAL)
def test_every_illegal_move_is_refused(manager, action, status):
    complaint = complaint_in(manager, status)
    steps = ComplaintStep.select().count()
    with pytest.raises(Conflict) as error:
        complaints.move(manager, complaint.id, action, STEP[action])
    label = complaints.status_label(status)
    assert f"“{label}”" in str(error.value)
    assert complaints.get(complaint.id).status == status
    assert ComplaintStep.select().count() == steps


def test_illegal_move_message_is_clear(clerk):
    complaint = complaint_in(clerk, "received")
    with pytest.raises(Conflict) as error:
        complaints.move(clerk, complaint.id, "close")
    assert str(error.value) == "投诉处于“已受理”状态，不能“结案归档”。"


@pytest.mark.parametrize("severity", ["major", "group"])
def test_major_and_group_complaints_go_to_the_manager(clerk, manager, severity):
    complaint = complaints.create(clerk, form(severity=severity))
    assert complaints.allowed_actions(clerk, complaint) == ["submit"]
    with pytest.raises(Conflict, match="经理"):
        complaints.move(clerk, complaint.id, "assign", STEP["assign"])
    with pytest.raises(PermissionDenied):
        complaints.move(clerk, complaint.id, "reject", STEP["reject"])
    complaints.move(clerk, complaint.id, "submit")
    with pytest.raises(PermissionDenied, match="只有经理"):
        complaints.move(clerk, complaint.id, "confirm", STEP["confirm"])
    moved = complaints.move(manager, complaint.id, "confirm", STEP["confirm"])
    assert moved.status == "in_progress"
    assert moved.department == "aftersales" and moved.handler_name == "李师傅"
    assert moved.receiver_id == clerk.id  # the first responder stays the owner


def test_ordinary_complaint_goes_straight_to_a_department(clerk):
    complaint = complaints.create(clerk, form())
    assert complaints.allowed_actions(clerk, complaint) == ["submit", "assign", "reject"]
    moved = complaints.move(
        clerk, complaint.id, "assign", StepInput(department="sales", handler_id=clerk.id)
    )
    assert moved.handler_id == clerk.id and moved.handler_name == "王芳"
    assert moved.first_response_at is not None


def test_only_the_manager_reopens_with_a_reason_and_both_stay_on_record(clerk, manager):
    complaint = complaint_in(clerk, "closed")
    assert "reopen" not in complaints.allowed_actions(clerk, complaint)
    with pytest.raises(PermissionDenied, match="只有经理"):
        complaints.move(clerk, complaint.id, "reopen", STEP["reopen"])
    with pytest.raises(ValidationError) as error:
        complaints.move(manager, complaint.id, "reopen", StepInput())
    assert "note" in error.value.errors
    reopened = complaints.move(manager, complaint.id, "reopen", STEP["reopen"])
    assert reopened.status == "in_progress" and reopened.closed_at is None
    actions = [step.action for step in complaints.view(complaint.id).steps]
    assert actions == ["receive", "assign", "handle", "inform", "close", "reopen"]
    assert complaints.view(complaint.id).steps[-1].note == "客户再次来电反映"


def test_rejected_needs_a_reason(clerk):
    complaint = complaint_in(clerk, "received")
    with pytest.raises(ValidationError) as error:
        complaints.move(clerk, complaint.id, "reject", StepInput(note="  "))
    assert error.value.errors["note"] == "请说明理由。"
    rejected = complaints.move(clerk, complaint.id, "reject", STEP["reject"])
    assert rejected.status == "rejected"
    assert complaints.status_label("rejected") == "已驳回"


def test_handling_records_fault_cause_and_correction(clerk):
    complaint = complaint_in(clerk, "in_progress")
    with pytest.raises(ValidationError) as error:
        complaints.move(clerk, complaint.id, "handle", StepInput(result="已更换"))
    assert set(error.value.errors) == {"company_at_fault"}
    with pytest.raises(ValidationError) as error:
        complaints.move(
            clerk, complaint.id, "handle", StepInput(result="已更换", company_at_fault=True)
        )
    assert set(error.value.errors) == {"root_cause", "corrective_action"}
    handled = complaints.move(
        clerk,
        complaint.id,
        "handle",
        StepInput(
            result="已更换",
            company_at_fault=True,
            root_cause="安装不当",
            corrective_action="安装工培训",
        ),
    )
    assert handled.company_at_fault is True and handled.handled_at is not None
    assert handled.root_cause == "安装不当"


@pytest.mark.parametrize("satisfaction", [None, 0, 6])
def test_satisfaction_is_one_to_five_with_a_reason(clerk, satisfaction):
    complaint = complaint_in(clerk, "handled")
    with pytest.raises(ValidationError) as error:
        complaints.move(
            clerk,
            complaint.id,
            "inform",
            StepInput(customer_opinion="还行", satisfaction=satisfaction),
        )
    assert set(error.value.errors) == {"satisfaction", "satisfaction_reason"}


def test_stale_version_is_refused(clerk):
    complaint = complaint_in(clerk, "received")
    complaints.add_note(clerk, complaint.id, "已电话联系客户")
    complaints.move(clerk, complaint.id, "assign", STEP["assign"], version=complaint.version)
    with pytest.raises(Conflict, match="重新"):
        complaints.move(clerk, complaint.id, "handle", STEP["handle"], version=complaint.version)


def test_note_counts_as_first_response_and_is_signed(clerk):
    complaint = complaint_in(clerk, "received")
    noted = complaints.add_note(clerk, complaint.id, "已电话联系客户，约定明天上门")
    assert noted.first_response_at is not None and noted.status == "received"
    step = complaints.view(complaint.id).steps[-1]
    assert (step.action_label, step.staff_name, step.note) == (
        "备注",
        "王芳",
        "已电话联系客户，约定明天上门",
    )


def test_update_corrects_the_form_but_not_number_or_owner(clerk, manager):
    complaint = complaint_in(clerk, "received")
    changed = complaints.update(
        manager, complaint.id, form(facts="空调噪音大", severity="major"), complaint.version
    )
    assert changed.facts == "空调噪音大" and changed.severity == "major"
    assert changed.number == complaint.number and changed.receiver_id == clerk.id
    assert changed.resolve_due == changed.received_at + dt.timedelta(hours=24)
    assert complaints.view(complaint.id).steps[-1].note == "严重程度, 投诉事实"
    complaints.move(manager, complaint.id, "submit")
    with pytest.raises(ValidationError) as error:
        complaints.update(manager, complaint.id, form(severity="ordinary"), changed.version + 1)
    assert "severity" in error.value.errors
    with pytest.raises(Conflict):
        complaints.update(manager, complaint.id, form(), complaint.version)


def test_unknown_number(database):
    with pytest.raises(NotFound, match="TS-209901-0001"):
        complaints.get_by_number(" TS-209901-0001 ")


def test_attachments_are_stored_by_content(clerk, tmp_path):
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8fake jpeg")
    complaint = complaints.create(clerk, form(attachments=[photo]))
    files = complaints.view(complaint.id).attachments
    assert [(f.filename, f.mime_type) for f in files] == [("现场照片.jpg", "image/jpeg")]
    assert files[0].path.read_bytes() == b"\xff\xd8fake jpeg"
    complaints.void_attachment(clerk, files[0].id, "拍错了")
    assert complaints.view(complaint.id).attachments == []


# --- Numbering -------------------------------------------------------------------------------


def test_numbers_follow_the_month_received_and_the_format(clerk, manager):
    may = complaints.create(clerk, form(received_at=dt.datetime(2026, 5, 31, 23, 50)))
    june = complaints.create(clerk, form(received_at=dt.datetime(2026, 6, 1, 0, 5)))
    assert (may.number, june.number) == ("TS-202605-0001", "TS-202606-0001")
    settings.put(manager, {"complaints.number_format": "KS{year}{month:02d}{seq:05d}"})
    third = complaints.create(clerk, form(received_at=dt.datetime(2026, 6, 2, 9)))
    assert third.number == "KS20260600002"
    # A format without the sequence would repeat numbers: the default is used instead.
    assert complaints.format_number("202606", 3, "TS-{year}") == "TS-202606-0003"
    assert complaints.format_number("202606", 3, "{bad}{seq}") == "TS-202606-0003"


def test_failed_save_leaves_no_gap(clerk, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        complaints.create(clerk, form())
    monkeypatch.undo()
    assert complaints.create(clerk, form()).number.endswith("-0001")
    assert complaints.numbers_gap_free() == []


@pytest.mark.parametrize("from_reception", [False, True])
def test_two_desks_saving_at_once_never_share_a_number(clerk, database, from_reception):
    """Two threads, each with its own SQLite connection, save at the same moment (turning a
    reception into a complaint reads before it writes: the harder case for SQLite)."""
    receptions = [
        Reception.create(channel="phone", category="complaint", content="投诉", handler=clerk).id
        for _ in range(30)
    ]
    barrier = threading.Barrier(2)
    numbers: list[str] = []
    failures: list[BaseException] = []

    def desk(mine: list[int]) -> None:
        try:
            barrier.wait()
            for reception_id in mine:
                created = complaints.create(
                    clerk, form(), reception_id=reception_id if from_reception else None
                )
                numbers.append(created.number)
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=desk, args=(receptions[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    assert len(numbers) == 30 and len(set(numbers)) == 30
    assert sorted(int(n[-4:]) for n in numbers) == list(range(1, 31))
    assert complaints.numbers_gap_free() == []


def test_numbering_with_two_raw_connections_interleaved(clerk, database, tmp_path):
    """A second connection that holds a write transaction makes the first wait, not collide."""
    import sqlite3

    other = sqlite3.connect(database.path, timeout=5, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    period = dt.datetime.now().strftime("%Y%m")
    other.execute("INSERT INTO counter (name, value) VALUES (?, 41)", (f"complaint:{period}",))
    result: list[str] = []
    waiter = threading.Thread(
        target=lambda: (result.append(complaints.create(clerk, form()).number), db.close())
    )
    waiter.start()
    waiter.join(0.3)
    assert waiter.is_alive()  # blocked behind the other desk's transaction
    other.execute("COMMIT")
    waiter.join(10)
    assert result == [f"TS-{period}-0042"]
    other.close()


# --- Deadlines ------------------------------------------------------------------------------

RECEIVED = dt.datetime(2026, 11, 24, 9, 0)


@pytest.mark.parametrize(
    ("severity", "response", "resolve"),
    [("ordinary", 24, 72), ("major", 4, 24), ("group", 1, 24)],
)
def test_default_deadlines(database, severity, response, resolve):
    assert complaints.deadlines(severity, RECEIVED) == (
        RECEIVED + dt.timedelta(hours=response),
        RECEIVED + dt.timedelta(hours=resolve),
    )


def test_deadlines_come_from_settings(manager):
    settings.put(
        manager, {"complaints.deadlines": {"ordinary": [8, 48], "major": [2, 12], "group": [1, 6]}}
    )
    assert complaints.deadlines("major", RECEIVED) == (
        dt.datetime(2026, 11, 24, 11, 0),
        dt.datetime(2026, 11, 24, 21, 0),
    )
    settings.put(manager, {"complaints.deadlines": {"ordinary": "nonsense"}})
    assert complaints.deadline_hours("ordinary") == (24, 72)


def test_overdue_arithmetic():
    response, resolve = RECEIVED + dt.timedelta(hours=4), RECEIVED + dt.timedelta(hours=24)
    kind = complaints.overdue_kind
    assert kind("received", response, resolve, None, RECEIVED + dt.timedelta(hours=4)) is None
    assert (
        kind("received", response, resolve, None, RECEIVED + dt.timedelta(hours=4, seconds=1))
        == "response"
    )
    answered = RECEIVED + dt.timedelta(hours=1)
    assert (
        kind("in_progress", response, resolve, answered, RECEIVED + dt.timedelta(hours=5)) is None
    )
    assert (
        kind("in_progress", response, resolve, answered, RECEIVED + dt.timedelta(hours=25))
        == "resolution"
    )
    assert (
        kind("awaiting_manager", response, resolve, None, RECEIVED + dt.timedelta(hours=25))
        == "resolution"
    )
    for done in ("handled", "informed", "closed", "rejected"):
        assert kind(done, response, resolve, None, RECEIVED + dt.timedelta(days=30)) is None


def test_passing_the_resolution_limit_escalates_once(clerk, manager):
    received = dt.datetime.now().replace(microsecond=0) - dt.timedelta(hours=30)
    late = complaints.create(clerk, form(received_at=received, severity="group"))
    on_time = complaints.create(clerk, form())
    assert complaints.view(late.id).overdue == "resolution"
    assert complaints.view(on_time.id).overdue is None
    assert complaints.escalate_overdue() == [late.number]
    assert complaints.escalate_overdue() == []
    view = complaints.view(late.id)
    assert view.escalated_at is not None
    assert view.steps[-1].action_label == "已上报经理" and view.steps[-1].staff_name == "系统"
    assert complaints.overdue_ids() == [late.id]
    # Re-opening gives a new resolution limit and a new escalation.
    complaints.move(manager, late.id, "submit")
    complaints.move(manager, late.id, "reject", STEP["reject"])
    reopened = complaints.move(manager, late.id, "reopen", STEP["reopen"])
    assert reopened.status == "received" and reopened.escalated_at is None
    assert reopened.resolve_due > dt.datetime.now()


def test_owner_sees_open_complaints_overdue_first(clerk, manager):
    late = complaints.create(clerk, form(received_at=dt.datetime.now() - dt.timedelta(hours=80)))
    fresh = complaints.create(clerk, form())
    done = complaint_in(clerk, "closed")
    mine = complaints.owned_by(clerk.id)
    assert [row.id for row in mine] == [late.id, fresh.id]
    assert mine[0].overdue == "resolution" and mine[0].overdue_label == "处理超时"
    assert done.id not in [row.id for row in complaints.owned_by(clerk.id)]
    assert complaints.owned_by(manager.id) == []


def test_receiver_must_be_a_desk_clerk(manager, viewer):
    with pytest.raises(ValidationError) as error:
        complaints.create(manager, form(receiver_id=viewer.id))
    assert "receiver" in error.value.errors
    clerk2 = auth.create_staff(manager, "c2", "李静", auth.Role.CLERK)
    assert complaints.create(manager, form(receiver_id=clerk2.id)).receiver_id == clerk2.id

"""Staff appraisal: the arithmetic against worked examples, who may mark, sign and close, a
closed month that no longer changes, and the desk's facts against a fixed data set."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from csoffice import appraisal, auth, settings
from csoffice.appraisal import Group, Item, Scheme
from csoffice.db.models import (
    AppraisalMonth,
    AuditLog,
    Complaint,
    Customer,
    Reception,
    ReturnVisit,
)
from csoffice.errors import Conflict, NotFound, PermissionDenied, ValidationError

PERIOD = "2026-03"
D = Decimal


def all_items(grade: str) -> dict[str, str]:
    return {item.code: grade for item in appraisal.current_scheme().items}


# A mixed form, worked out by hand (points × weight / 100):
#   attendance      A 100 × 10 = 10
#   knowledge       B  80 × 10 =  8
#   communication   C  60 ×  5 =  3
#   cooperation     A 100 ×  5 =  5
#   service         B  80 × 10 =  8
#   initiative      D  50 ×  5 =  2.5
#   learning        E  30 ×  5 =  1.5   → knowledge and skills 28
#   execution       B  80 ×  5 =  4
#   pressure        C  60 ×  5 =  3
#   workload        A 100 × 10 = 10
#   experience      D  50 × 10 =  5     → work done 22
#   honesty         A 100 ×  5 =  5
#   responsibility  B  80 ×  5 =  4
#   ethics          C  60 ×  5 =  3
#   enthusiasm      E  30 ×  5 =  1.5   → attitude 13.5
#   total 10 + 28 + 22 + 13.5 = 73.5 → band B (70 ≤ 73.5 < 90)
MIXED = {
    "attendance": "A",
    "knowledge": "B",
    "communication": "C",
    "cooperation": "A",
    "service": "B",
    "initiative": "D",
    "learning": "E",
    "execution": "B",
    "pressure": "C",
    "workload": "A",
    "experience": "D",
    "honesty": "A",
    "responsibility": "B",
    "ethics": "C",
    "enthusiasm": "E",
}


# --- The arithmetic ----------------------------------------------------------------------------


def test_default_scheme_has_the_offices_groups_and_weights(database):
    scheme = appraisal.current_scheme()
    assert [(g.code, g.weight) for g in scheme.groups] == [
        ("attendance", 10),
        ("skills", 40),
        ("work", 30),
        ("attitude", 20),
    ]
    assert [(i.code, i.weight) for i in scheme.groups[1].items] == [
        ("knowledge", 10),
        ("communication", 5),
        ("cooperation", 5),
        ("service", 10),
        ("initiative", 5),
        ("learning", 5),
    ]
    assert len(scheme.items) == 15 and scheme.weight == 100
    assert scheme.groups[1].label == "知识技能"


def test_mixed_form_scores_as_worked_out(database):
    result = appraisal.score(appraisal.current_scheme(), MIXED)
    assert result.by_group == {
        "attendance": D("10.00"),
        "skills": D("28.00"),
        "work": D("22.00"),
        "attitude": D("13.50"),
    }
    assert result.total == D("73.50") and result.complete and result.graded == 15
    assert appraisal.band(result.total) == "B"


@pytest.mark.parametrize(
    ("grade", "total"),
    # every item the same grade: the grade's points × (sum of weights = 100) / 100
    [("A", "100.00"), ("B", "80.00"), ("C", "60.00"), ("D", "50.00"), ("E", "30.00")],
)
def test_a_uniform_form_lands_in_its_own_band(database, grade, total):
    result = appraisal.score(appraisal.current_scheme(), all_items(grade))
    assert result.total == D(total)
    assert appraisal.band(result.total) == grade


def test_incomplete_form_adds_only_graded_items_and_does_not_count(database):
    # attendance A (10) + knowledge B (8) = 18 so far, 2 of 15 graded
    result = appraisal.score(appraisal.current_scheme(), {"attendance": "A", "knowledge": "B"})
    assert result.total == D("18.00") and result.graded == 2 and not result.complete


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("100", "A"),
        ("90", "A"),  # the lowest score of A
        ("89.99", "B"),
        ("70", "B"),
        ("69.99", "C"),
        ("55", "C"),
        ("54.99", "D"),
        ("40", "D"),
        ("39.99", "E"),
        ("0", "E"),
    ],
)
def test_band_edges(database, value, grade):
    assert appraisal.band(D(value)) == grade


def test_band_thresholds_are_a_setting(manager):
    settings.put(manager, {"appraisal.bands": {"A": 95, "B": 85, "C": 75, "D": 60}})
    assert appraisal.band(D("90")) == "B"
    assert appraisal.band(D("59.99")) == "E"


def test_combination_of_markers(database):
    shares = {"self": 20, "supervisor": 30, "manager": 50}
    # (20 × 90 + 30 × 80 + 50 × 70) / 100 = (1800 + 2400 + 3500) / 100 = 77
    assert appraisal.combine({"self": D(90), "supervisor": D(80), "manager": D(70)}, shares) == D(
        "77.00"
    )
    # no self mark: (30 × 80 + 50 × 70) / (30 + 50) = 5900 / 80 = 73.75
    assert appraisal.combine({"self": None, "supervisor": D(80), "manager": D(70)}, shares) == D(
        "73.75"
    )
    # the manager alone: 54.5, just below C's 55 → D
    alone = appraisal.combine({"manager": D("54.5")}, shares)
    assert alone == D("54.50") and appraisal.band(alone) == "D"
    # equal shares: (80 + 70 + 70) / 3 = 73.333… → 73.33
    assert appraisal.combine(
        {"self": D(80), "supervisor": D(70), "manager": D(70)},
        {"self": 1, "supervisor": 1, "manager": 1},
    ) == D("73.33")
    assert appraisal.combine({"self": None, "supervisor": None, "manager": None}, shares) is None


def test_shares_are_a_setting(manager, clerk):
    settings.put(manager, {"appraisal.shares": {"self": 0, "supervisor": 50, "manager": 50}})
    appraisal.save_marks(clerk, clerk.id, PERIOD, "self", all_items("A"))  # 100, share 0
    appraisal.save_marks(manager, clerk.id, PERIOD, "supervisor", all_items("B"))  # 80
    view = appraisal.save_marks(manager, clerk.id, PERIOD, "manager", all_items("C"))  # 60
    # (0 × 100 + 50 × 80 + 50 × 60) / (50 + 50) = 70
    assert view.combined == D("70.00") and view.grade == "B"


def test_weights_not_adding_to_100_still_give_a_total_of_100(database):
    scheme = Scheme((Group("g", (Item("x", 10), Item("y", 30))),))
    # x A: 100 × 10 / 100 = 10; y C: 60 × 30 / 100 = 18; 28 of 40 → scaled: 28 × 100 / 40 = 70
    assert appraisal.score(scheme, {"x": "A", "y": "C"}).total == D("70.00")
    assert appraisal.scheme_problems(
        [{"code": "g", "items": [{"code": "x", "weight": 10}, {"code": "y", "weight": 30}]}]
    ) == ["考核项目的权重合计为 40，而不是 100。"]


def test_a_month_keeps_the_items_it_started_with(manager, clerk):
    appraisal.save_marks(manager, clerk.id, PERIOD, "manager", {"attendance": "A"})
    own = [
        {"code": "duty", "name": "值班", "items": [{"code": "duty", "weight": 100, "name": "值班"}]}
    ]
    settings.put(manager, {"appraisal.items": own})
    assert [i.code for i in appraisal.month(clerk.id, PERIOD).scheme.items][:2] == [
        "attendance",
        "knowledge",
    ]
    later = appraisal.month(clerk.id, "2026-04")
    assert [(i.code, i.label) for i in later.scheme.items] == [("duty", "值班")]
    view = appraisal.save_marks(manager, clerk.id, "2026-04", "manager", {"duty": "B"})
    assert view.marks["manager"].total == D("80.00")


def test_settings_check_reports_bad_settings(manager):
    assert appraisal.settings_problems() == []
    settings.put(
        manager,
        {
            "appraisal.items": [{"code": "g", "items": [{"code": "x", "weight": 50}]}],
            "appraisal.bands": {"A": 50, "B": 60, "C": 40, "D": 30},
        },
    )
    problems = appraisal.settings_problems()
    assert len(problems) == 2
    # an unusable items setting falls back to the defaults rather than breaking the form
    assert appraisal.current_scheme().weight == 100


# --- Marking, signing, closing -------------------------------------------------------------------


@pytest.fixture
def other(manager):
    return auth.create_staff(manager, "clerk2", "李静", auth.Role.CLERK)


def test_manager_marks_signs_and_closes(manager, clerk):
    appraisal.save_marks(clerk, clerk.id, PERIOD, "self", all_items("A"))
    appraisal.sign(clerk, clerk.id, PERIOD, "self")
    appraisal.save_marks(manager, clerk.id, PERIOD, "supervisor", all_items("B"))
    appraisal.sign(manager, clerk.id, PERIOD, "supervisor")
    view = appraisal.save_marks(manager, clerk.id, PERIOD, "manager", MIXED)
    # (20 × 100 + 30 × 80 + 50 × 73.5) / 100 = (2000 + 2400 + 3675) / 100 = 80.75
    assert view.combined == D("80.75") and view.grade == "B"
    appraisal.sign(manager, clerk.id, PERIOD, "manager")
    view = appraisal.close_month(manager, clerk.id, PERIOD)
    assert view.closed and view.closed_by == manager.display_name
    assert view.marks["self"].signed_by == "王芳"
    assert view.marks["manager"].signed_at is not None
    stored = AppraisalMonth.get(AppraisalMonth.staff == clerk, AppraisalMonth.period == PERIOD)
    assert stored.closed and D(stored.combined_score) == D("80.75") and stored.grade == "B"
    actions = [row.action for row in AuditLog.select().where(AuditLog.entity == "appraisal")]
    assert actions.count("update") == 3 and actions.count("sign") == 3 and "close" in actions


def test_only_the_manager_may_close_a_month(manager, clerk):
    appraisal.save_marks(manager, clerk.id, PERIOD, "manager", all_items("B"))
    appraisal.sign(manager, clerk.id, PERIOD, "manager")
    with pytest.raises(PermissionDenied, match="只有经理"):
        appraisal.close_month(clerk, clerk.id, PERIOD)
    assert not appraisal.month(clerk.id, PERIOD).closed
    assert appraisal.close_month(manager, clerk.id, PERIOD).closed


def test_closing_needs_the_managers_signed_mark_and_no_unsigned_marks(manager, clerk):
    with pytest.raises(ValidationError) as refused:
        appraisal.close_month(manager, clerk.id, PERIOD)
    assert "manager" in refused.value.errors
    appraisal.save_marks(manager, clerk.id, PERIOD, "manager", all_items("B"))
    appraisal.sign(manager, clerk.id, PERIOD, "manager")
    appraisal.save_marks(clerk, clerk.id, PERIOD, "self", {"attendance": "A"})
    with pytest.raises(ValidationError) as refused:
        appraisal.close_month(manager, clerk.id, PERIOD)
    assert "marks" in refused.value.errors
    appraisal.save_marks(manager, clerk.id, PERIOD, "self", {})  # the manager clears it
    view = appraisal.close_month(manager, clerk.id, PERIOD)
    assert view.combined == D("80.00") and view.grade == "B"


def test_a_closed_month_refuses_every_change(manager, clerk, other):
    appraisal.save_marks(manager, clerk.id, PERIOD, "manager", all_items("B"))
    appraisal.sign(manager, clerk.id, PERIOD, "manager")
    appraisal.close_month(manager, clerk.id, PERIOD)
    for attempt in (
        lambda: appraisal.save_marks(clerk, clerk.id, PERIOD, "self", all_items("A")),
        lambda: appraisal.save_marks(manager, clerk.id, PERIOD, "supervisor", all_items("A")),
        lambda: appraisal.sign(manager, clerk.id, PERIOD, "supervisor"),
        lambda: appraisal.choose_supervisor(manager, clerk.id, PERIOD, other.id),
        lambda: appraisal.close_month(manager, clerk.id, PERIOD),
    ):
        with pytest.raises(Conflict, match="已结束"):
            attempt()
    view = appraisal.month(clerk.id, PERIOD)
    assert view.marks["self"].grades == {} and view.supervisor_id is None
    assert view.combined == D("80.00")


def test_a_closed_months_score_stays_when_the_shares_change(manager, clerk):
    appraisal.save_marks(clerk, clerk.id, PERIOD, "self", all_items("A"))
    appraisal.sign(clerk, clerk.id, PERIOD, "self")
    appraisal.save_marks(manager, clerk.id, PERIOD, "manager", all_items("C"))
    appraisal.sign(manager, clerk.id, PERIOD, "manager")
    # (20 × 100 + 50 × 60) / 70 = 5000 / 70 = 71.428… → 71.43
    assert appraisal.close_month(manager, clerk.id, PERIOD).combined == D("71.43")
    settings.put(manager, {"appraisal.shares": {"self": 50, "supervisor": 0, "manager": 50}})
    view = appraisal.month(clerk.id, PERIOD)
    assert view.combined == D("71.43")
    assert view.shares == {"self": 20, "supervisor": 30, "manager": 50}  # as at closing


def test_who_may_enter_each_mark(manager, clerk, other):
    grades = all_items("B")
    # the self mark: the person, or the manager — not a colleague
    appraisal.save_marks(clerk, clerk.id, PERIOD, "self", grades)
    with pytest.raises(PermissionDenied):
        appraisal.save_marks(other, clerk.id, PERIOD, "self", grades)
    appraisal.save_marks(manager, other.id, PERIOD, "self", grades)
    # the manager's mark: the manager only
    with pytest.raises(PermissionDenied):
        appraisal.save_marks(clerk, clerk.id, PERIOD, "manager", grades)
    # the supervisor's mark: nobody but the manager until one is chosen
    with pytest.raises(PermissionDenied):
        appraisal.save_marks(other, clerk.id, PERIOD, "supervisor", grades)
    with pytest.raises(PermissionDenied):
        appraisal.choose_supervisor(clerk, clerk.id, PERIOD, other.id)
    view = appraisal.choose_supervisor(manager, clerk.id, PERIOD, other.id)
    assert view.supervisor_name == "李静"
    appraisal.save_marks(other, clerk.id, PERIOD, "supervisor", grades)
    appraisal.sign(other, clerk.id, PERIOD, "supervisor")
    assert appraisal.month(clerk.id, PERIOD).marks["supervisor"].signed_by == "李静"
    # nobody supervises themself, and the supervisor cannot grade themself as supervisor
    with pytest.raises(ValidationError):
        appraisal.choose_supervisor(manager, clerk.id, PERIOD, clerk.id)
    with pytest.raises(PermissionDenied):
        appraisal.save_marks(clerk, clerk.id, "2026-04", "supervisor", grades)
    # nor does a chosen supervisor get to mark other people's months
    with pytest.raises(PermissionDenied):
        appraisal.save_marks(other, manager.id, PERIOD, "supervisor", grades)


def test_the_next_month_keeps_the_supervisor(manager, clerk, other):
    appraisal.choose_supervisor(manager, clerk.id, PERIOD, other.id)
    assert appraisal.month(clerk.id, "2026-04").supervisor_id == other.id
    appraisal.save_marks(other, clerk.id, "2026-04", "supervisor", {"attendance": "A"})
    assert AppraisalMonth.get(period="2026-04").supervisor_id == other.id


def test_a_signed_mark_no_longer_changes(manager, clerk):
    appraisal.save_marks(clerk, clerk.id, PERIOD, "self", {"attendance": "A"})
    with pytest.raises(ValidationError, match="请为每个项目评级"):  # every item graded first
        appraisal.sign(clerk, clerk.id, PERIOD, "self")
    appraisal.save_marks(clerk, clerk.id, PERIOD, "self", all_items("A"))
    appraisal.sign(clerk, clerk.id, PERIOD, "self")
    with pytest.raises(Conflict):
        appraisal.save_marks(manager, clerk.id, PERIOD, "self", all_items("E"))
    with pytest.raises(Conflict):
        appraisal.sign(manager, clerk.id, PERIOD, "self")
    assert appraisal.month(clerk.id, PERIOD).marks["self"].total == D("100.00")


def test_bad_grades_months_and_people_are_refused(manager, clerk):
    with pytest.raises(ValidationError) as refused:
        appraisal.save_marks(manager, clerk.id, PERIOD, "manager", {"attendance": "F", "nope": "A"})
    assert set(refused.value.errors) == {"attendance", "nope"}
    assert not AppraisalMonth.select().exists()  # nothing half-written
    for period in ("2026-13", "2026-3", "march", ""):
        with pytest.raises(ValidationError):
            appraisal.month(clerk.id, period)
    future = dt.date.today() + dt.timedelta(days=40)
    with pytest.raises(ValidationError, match="尚未开始"):
        appraisal.save_marks(manager, clerk.id, appraisal.period_of(future), "manager", {})
    with pytest.raises(NotFound):
        appraisal.staff_by_username("nobody")
    with pytest.raises(ValidationError):
        appraisal.save_marks(manager, clerk.id, PERIOD, "boss", {})


def test_staff_and_month_lists(manager, clerk, other, viewer):
    appraisal.save_marks(manager, clerk.id, "2026-02", "manager", all_items("A"))
    appraisal.sign(manager, clerk.id, "2026-02", "manager")
    appraisal.close_month(manager, clerk.id, "2026-02")
    appraisal.save_marks(clerk, clerk.id, PERIOD, "self", all_items("B"))
    rows = appraisal.staff_rows()
    assert [r.username for r in rows] == ["clerk2", "clerk1"]  # clerks only, by name: 李 < 王
    mine = rows[1]
    assert (mine.last_closed_period, mine.last_closed_grade, mine.open_months) == (
        "2026-02",
        "A",
        1,
    )
    months = appraisal.month_rows(clerk.id)
    assert [m.period for m in months] == [PERIOD, "2026-02"]
    assert months[0].totals["self"] == D("80.00") and not months[0].signed["self"]
    assert months[1].closed and months[1].grade == "A" and months[1].signed["manager"]


def test_who_may_see_an_appraisal(manager, clerk, other, viewer):
    view = appraisal.month(clerk.id, PERIOD)
    assert appraisal.may_view(manager, view) and appraisal.may_view(clerk, view)
    assert not appraisal.may_view(other, view) and not appraisal.may_view(viewer, view)
    view = appraisal.choose_supervisor(manager, clerk.id, PERIOD, other.id)
    assert appraisal.may_view(other, view)


# --- Facts ---------------------------------------------------------------------------------------


def _at(day: int, hour: int = 9, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour)


@pytest.fixture
def desk_records(clerk, other):
    """A fixed month of the desk's records for ``clerk`` (and some that must not count)."""
    customer = Customer.create(name="张三")
    for at, handler, status in [
        (_at(1, 0), clerk, "active"),
        (_at(15), clerk, "active"),
        (dt.datetime(2026, 3, 31, 23, 59), clerk, "active"),
        (_at(16), clerk, "voided"),  # voided: not counted
        (dt.datetime(2026, 2, 28, 23, 59), clerk, "active"),  # February
        (_at(1, 0, month=4), clerk, "active"),  # April
        (_at(10), other, "active"),  # someone else's
    ]:
        Reception.create(
            received_at=at, channel="phone", category="consult", handler=handler, status=status
        )
    complaints = [
        # receiver, received, status, resolve due, handled, closed, satisfaction
        (clerk, _at(2, 10), "closed", _at(5, 10), _at(3, 9), _at(3, 10), 4),  # 24 h
        (clerk, _at(10, 8), "closed", _at(13), _at(12), _at(12, 20), 2),  # 60 h
        # received in February, closed in March (96 h); due and late in February
        (clerk, _at(25, 9, 2), "closed", _at(28, 9, 2), _at(28, 10, 2), _at(1, 9), None),
        (clerk, _at(28), "in_progress", _at(31), None, None, None),  # overdue: not handled
        (clerk, _at(20), "handled", _at(23), _at(25), None, None),  # overdue: handled late
        (clerk, _at(29), "rejected", _at(1, 9, 4), None, None, None),
        (clerk, _at(30), "received", _at(2, 9, 4), None, None, None),  # due in April
        (clerk, _at(5), "closed", _at(8), _at(7), _at(2, 9, 4), 5),  # closed in April
        (other, _at(6), "closed", _at(9), _at(7), _at(8), 1),  # someone else's
    ]
    for seq, (receiver, received, status, due, handled, closed, score) in enumerate(complaints):
        Complaint.create(
            number=f"TS-T-{seq}",
            number_period="202603",
            number_seq=seq + 1,
            received_at=received,
            channel="phone",
            category="quality",
            receiver=receiver,
            status=status,
            resolve_due=due,
            handled_at=handled,
            closed_at=closed,
            satisfaction=score,
        )
    for done_by, status, done_at, reached, score in [
        (clerk, "done", _at(3), True, 5),
        (clerk, "done", _at(20), False, None),
        (clerk, "done", _at(25), True, 3),
        (clerk, "due", None, None, None),
        (clerk, "done", _at(1, 9, 4), True, 1),  # April
        (other, "done", _at(10), True, 2),  # someone else's
    ]:
        ReturnVisit.create(
            customer=customer,
            kind="manual",
            due_on=dt.date(2026, 3, 1),
            status=status,
            done_at=done_at,
            done_by=done_by,
            reached=reached,
            satisfaction=score,
        )
    return clerk


def test_facts_from_the_desks_records(desk_records):
    facts = appraisal.facts(desk_records.id, PERIOD, at=dt.datetime(2026, 4, 15))
    assert facts == appraisal.Facts(
        receptions=3,  # 1 Mar 00:00, 15 Mar, 31 Mar 23:59
        complaints_owned=7,  # received in March with them as first responder
        complaints_closed=3,  # 24 h, 60 h and the February one (96 h)
        median_hours_to_close=60.0,
        overdue=2,  # due in March: one never handled, one handled two days late
        visits_done=3,
        visits_reached=2,
        complaint_satisfaction=3.0,  # (4 + 2) / 2
        visit_satisfaction=4.0,  # (5 + 3) / 2
    )


def test_overdue_counts_only_limits_already_passed(desk_records):
    # On 30 March the complaint due on the 31st is not late yet; the one handled late is.
    facts = appraisal.facts(desk_records.id, PERIOD, at=dt.datetime(2026, 3, 30, 12))
    assert facts.overdue == 1


def test_facts_of_a_quiet_month(desk_records):
    facts = appraisal.facts(desk_records.id, "2026-01", at=dt.datetime(2026, 4, 15))
    assert facts == appraisal.Facts()
    lines = dict(appraisal.fact_lines(facts))
    assert lines["受理投诉数（首问负责）"] == "0" and lines["投诉结案时长中位数"] == "—"


def test_facts_do_not_change_the_score(desk_records, manager):
    view = appraisal.save_marks(manager, desk_records.id, PERIOD, "manager", all_items("B"))
    assert view.facts.complaints_owned == 7
    assert view.combined == D("80.00")


def test_each_write_tells_the_desk_after_it_commits(manager, clerk, other):
    from csoffice import changes
    from csoffice.db.database import db

    heard: list[tuple[changes.Change, bool]] = []
    stop = changes.subscribe(lambda kind: heard.append((kind, db.in_transaction())))
    try:
        appraisal.choose_supervisor(manager, clerk.id, PERIOD, other.id)
        appraisal.save_marks(manager, clerk.id, PERIOD, "manager", all_items("A"))
        appraisal.sign(manager, clerk.id, PERIOD, "manager")
        appraisal.close_month(manager, clerk.id, PERIOD)
        with pytest.raises(Conflict):  # a refused write says nothing
            appraisal.save_marks(manager, clerk.id, PERIOD, "self", all_items("B"))
    finally:
        stop()
    assert heard == [(changes.Change.APPRAISAL, False)] * 4

"""The figures of each report section, one SQL aggregate each: receptions, complaints,
return visits, membership and market feedback."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from peewee import JOIN, fn

from csoffice import complaints, receptions, survey
from csoffice.db.database import db, is_sqlite
from csoffice.db.lookup import tuple_of, tuples_of
from csoffice.db.models import (
    CardEvent,
    Complaint,
    Customer,
    Gift,
    MemberCard,
    MemberLevel,
    PointsEntry,
    Reception,
    Redemption,
    ReturnVisit,
    now,
)
from csoffice.i18n import N_, _
from csoffice.referrals import month_counts
from csoffice.reports.periods import VISIT_KINDS, Period

# --- Shared query pieces ----------------------------------------------------------------------


def _hours_between(later, earlier):
    """An SQL expression for ``later - earlier`` in hours (SQLite or PostgreSQL)."""
    if is_sqlite():
        return (fn.julianday(later) - fn.julianday(earlier)) * 24.0
    return fn.date_part("epoch", later - earlier) / 3600.0


def _in(column, period: Period):
    return (column >= period.start) & (column < period.end)


def _grouped(query) -> dict:
    return {key: int(count) for key, count in query.tuples()}


def _count_by(column, *where) -> dict:
    """For each value of ``column``, how many rows of its table match every ``where``."""
    model = column.model
    return _grouped(model.select(column, fn.COUNT(model.id)).where(*where).group_by(column))


def _score_counts(score, *where) -> list[tuple[int, int]]:
    """(score, count) for every score 1–5 of the ``score`` column among the rows matching
    ``where``; a score nobody gave counts 0."""
    counts = _count_by(score, *where, score.is_null(False))
    return [(value, counts.get(value, 0)) for value in range(1, 6)]


def _ordered(counts: dict[str, int], preferred: list[str]) -> list[tuple[str, int]]:
    """(code, count) in the office's order, then codes it no longer offers, by count."""
    order = [code for code in dict.fromkeys(preferred) if code in counts]
    order += sorted((c for c in counts if c not in order), key=lambda c: (-counts[c], c))
    return [(code, counts[code]) for code in order]


@dataclass(frozen=True)
class DurationStats:
    """How long something took, over ``count`` complaints."""

    count: int
    average_hours: float | None
    p90_hours: float | None  # nearest rank: 90 % took at most this long


def _duration(later, earlier, where) -> DurationStats:
    hours = _hours_between(later, earlier)
    where = where & later.is_null(False)
    count, average = tuple_of(Complaint.select(fn.COUNT(Complaint.id), fn.AVG(hours)).where(where))
    count = int(count or 0)
    if not count:
        return DurationStats(0, None, None)
    rank = math.ceil(0.9 * count)  # nearest-rank percentile: the ceil(0.9·n)-th smallest
    p90 = (
        Complaint.select(hours.alias("h"))
        .where(where)
        .order_by(hours.asc())
        .limit(1)
        .offset(rank - 1)
        .scalar()
    )
    return DurationStats(count, float(average), float(p90))


# --- Receptions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compared:
    """A count in the period beside the previous period and the same period a year before."""

    code: str
    current: int
    previous: int
    year_before: int

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass(frozen=True)
class ReceptionFigures:
    total: Compared
    by_channel: list[Compared]
    by_category: list[Compared]


def _reception_counts(column, period: Period) -> dict[str, int]:
    return _count_by(column, _in(Reception.received_at, period), Reception.status == "active")


def _compare(column, period: Period, preferred: list[str]) -> list[Compared]:
    now_counts = _reception_counts(column, period)
    before = _reception_counts(column, period.previous())
    year_ago = _reception_counts(column, period.year_before())
    codes = {**dict.fromkeys(now_counts), **dict.fromkeys(before), **dict.fromkeys(year_ago)}
    merged = {code: now_counts.get(code, 0) for code in codes}
    return [
        Compared(code, count, before.get(code, 0), year_ago.get(code, 0))
        for code, count in _ordered(merged, preferred)
    ]


def reception_figures(period: Period) -> ReceptionFigures:
    by_channel = _compare(
        Reception.channel,
        period,
        [c for c, _l in receptions.channels()] + list(receptions.CHANNELS),
    )
    by_category = _compare(
        Reception.category,
        period,
        [c for c, _l in receptions.categories()] + list(receptions.CATEGORIES),
    )
    total = Compared(
        "",
        sum(c.current for c in by_channel),
        sum(c.previous for c in by_channel),
        sum(c.year_before for c in by_channel),
    )
    return ReceptionFigures(total, by_channel, by_category)


# --- Complaints -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintLine:
    """One complaint in the report's list (none may be left out)."""

    number: str
    received_at: dt.datetime
    customer: str
    category: str
    severity: str
    status: str
    department: str
    facts: str  # the first words
    closed_at: dt.datetime | None
    hours_to_close: float | None
    company_at_fault: bool | None
    satisfaction: int | None
    people: int = 1  # the contact and a group's other complainants
    duplicate_of: str = ""  # listed, not counted: the number it repeats


# What 结案率 divides, printed under the figure.
CLOSURE_DEFINITION = N_(
    "Closure rate: complaints received in the period and closed or rejected by the time "
    "printed, divided by the complaints received in the period."
)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


@dataclass(frozen=True)
class ComplaintFigures:
    received: int
    closed: int
    rejected: int
    open: int  # received, awaiting the manager or in progress (the ledger's "open")
    awaiting_feedback: int  # handled or customer informed, not yet closed
    overdue: int
    by_status: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    by_severity: list[tuple[str, int]]
    by_department: list[tuple[str, int]]  # "" for not yet handed to a department
    to_resolve: DurationStats  # received → closed, closed complaints
    to_respond: DurationStats  # received → first response
    fault_known: int  # the company's fault recorded (yes or no)
    at_fault: int
    satisfaction_count: int
    satisfaction_average: float | None
    satisfaction: list[tuple[int, int]]  # (score 1–5, count), every score
    items: list[ComplaintLine] = field(default_factory=list)
    # complaints.COUNTING_NOTE: every figure above counts a group once and no duplicate;
    # ``people`` adds a group's complainants, ``duplicates`` says how many were left out.
    people: int = 0
    duplicates: int = 0

    @property
    def closure_rate(self) -> float | None:
        """Closed or rejected, of those received (CLOSURE_DEFINITION)."""
        return (self.closed + self.rejected) / self.received if self.received else None

    @property
    def at_fault_share(self) -> float | None:
        """Of the complaints whose fault was recorded, the share where the company was at fault."""
        return self.at_fault / self.fault_known if self.fault_known else None


Original = Complaint.alias()


def _complaint_lines(period: Period, department: str | None = None) -> list[ComplaintLine]:
    where = _in(Complaint.received_at, period)
    if department is not None:
        where &= Complaint.department == department
    query = (
        Complaint.select(
            Complaint.number,
            Complaint.received_at,
            fn.COALESCE(Customer.name, Complaint.contact_name),
            Complaint.category,
            Complaint.severity,
            Complaint.status,
            Complaint.department,
            fn.SUBSTR(Complaint.facts, 1, 80),
            Complaint.closed_at,
            _hours_between(Complaint.closed_at, Complaint.received_at),
            Complaint.company_at_fault,
            Complaint.satisfaction,
            Complaint.id,
            Original.number,
        )
        .join(Customer, JOIN.LEFT_OUTER, on=(Complaint.customer == Customer.id))
        .switch(Complaint)
        .join(Original, JOIN.LEFT_OUTER, on=(Complaint.duplicate_of == Original.id))
        .where(where)
        .order_by(Complaint.number_period, Complaint.number_seq, Complaint.id)
    )
    # Straight from the cursor: the list is long and peewee's row objects cost more than the query.
    out = []
    fetched = db.execute(query).fetchall()
    others = complaints.other_complainants([row[12] for row in fetched])
    for row in fetched:
        received = Complaint.received_at.python_value(row[1])
        closed = Complaint.closed_at.python_value(row[8])
        at_fault = row[10]
        out.append(
            ComplaintLine(
                number=row[0],
                received_at=received,
                customer=row[2] or "",
                category=row[3],
                severity=row[4],
                status=row[5],
                department=row[6] or "",
                facts=" ".join((row[7] or "").split()),
                closed_at=closed if row[5] == "closed" else None,
                hours_to_close=float(row[9]) if row[9] is not None and row[5] == "closed" else None,
                company_at_fault=None if at_fault is None else bool(at_fault),
                satisfaction=row[11],
                people=1 + others.get(row[12], 0),
                duplicate_of=row[13] or "",
            )
        )
    return out


def complaint_figures(
    period: Period, at: dt.datetime | None = None, with_items: bool = True
) -> ComplaintFigures:
    """The complaints received in ``period`` as they stand at ``at`` (default: now)."""
    at = at or now()
    ledger = complaints.totals(
        complaints.LedgerFilter(date_from=period.first, date_to=period.last), at
    )
    received = _in(Complaint.received_at, period) & complaints.COUNTED

    def by(column) -> dict:
        return _count_by(column, received)

    statuses = by(Complaint.status)
    fault_known, at_fault, sat_count, sat_avg = tuple_of(
        Complaint.select(
            fn.COUNT(Complaint.company_at_fault),
            fn.SUM((Complaint.company_at_fault == True).cast("integer")),
            fn.COUNT(Complaint.satisfaction),
            fn.AVG(Complaint.satisfaction),
        ).where(received)
    )
    closed = received & (Complaint.status == "closed")
    return ComplaintFigures(
        received=ledger.count,
        closed=ledger.by_status.get("closed", 0),
        rejected=ledger.by_status.get("rejected", 0),
        open=ledger.open,
        awaiting_feedback=ledger.by_status.get("handled", 0) + ledger.by_status.get("informed", 0),
        overdue=complaints.overdue_in(
            _start_of(period.first), _start_of(period.last) + dt.timedelta(days=1), at
        ),
        by_status=_ordered(statuses, list(complaints.STATUSES)),
        by_category=_ordered(by(Complaint.category), [c for c, _l in complaints.categories()]),
        by_severity=_ordered(by(Complaint.severity), list(complaints.SEVERITIES)),
        by_department=_ordered(
            by(Complaint.department), [c for c, _l in complaints.departments()] + [""]
        ),
        to_resolve=_duration(Complaint.closed_at, Complaint.received_at, closed),
        to_respond=_duration(
            Complaint.first_response_at,
            Complaint.received_at,
            received & Complaint.first_response_at.is_null(False),
        ),
        fault_known=int(fault_known or 0),
        at_fault=int(at_fault or 0),
        satisfaction_count=int(sat_count or 0),
        satisfaction_average=float(sat_avg) if sat_avg is not None else None,
        satisfaction=_score_counts(Complaint.satisfaction, received),
        items=_complaint_lines(period) if with_items else [],
        people=ledger.people,
        duplicates=ledger.duplicates,
    )


def department_text(code: str) -> str:
    return complaints.department_label(code) if code else _("Not yet assigned")


# --- Return visits ----------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitFigures:
    due: int  # due in the period (not cancelled)
    done: int  # done in the period, whenever due
    reached: int  # of those done, the customer was reached
    outstanding: int  # due in the period and still not done
    by_kind: list[tuple[str, int, int]]  # (kind, due, done)
    satisfaction: list[tuple[int, int]]  # (score 1–5, count) of the calls done
    satisfaction_average: float | None
    survey: tuple = ()  # survey.ResultLine per kind and question of the calls done
    # Why due and done need not match: of the calls due in the period, those done in it and
    # those done after it; of the calls done in it, those that were due before it.
    due_done_in: int = 0
    due_done_after: int = 0
    done_due_before: int = 0

    @property
    def done_due_later(self) -> int:
        """Done in the period ahead of a due date after it."""
        return self.done - self.due_done_in - self.done_due_before

    @property
    def due_other(self) -> int:
        """Due in the period and neither done nor still due (e.g. the customer declined)."""
        return self.due - self.due_done_in - self.due_done_after - self.outstanding

    @property
    def reach_rate(self) -> float | None:
        return self.reached / self.done if self.done else None


def visit_figures(period: Period) -> VisitFigures:
    due_in = (
        (ReturnVisit.due_on >= period.first)
        & (ReturnVisit.due_on <= period.last)
        & (ReturnVisit.status != "cancelled")
    )
    done_in = (ReturnVisit.status == "done") & _in(ReturnVisit.done_at, period)
    due_by_kind = _count_by(ReturnVisit.kind, due_in)
    done_by_kind = _count_by(ReturnVisit.kind, done_in)
    outstanding = ReturnVisit.select().where(due_in, ReturnVisit.status == "due").count()
    reached, average = tuple_of(
        ReturnVisit.select(
            fn.SUM((ReturnVisit.reached == True).cast("integer")),
            fn.AVG(ReturnVisit.satisfaction),
        ).where(done_in)
    )
    kinds = [k for k in dict.fromkeys([*VISIT_KINDS, *due_by_kind, *done_by_kind])]
    return VisitFigures(
        due=sum(due_by_kind.values()),
        done=sum(done_by_kind.values()),
        reached=int(reached or 0),
        outstanding=outstanding,
        by_kind=[
            (k, due_by_kind.get(k, 0), done_by_kind.get(k, 0))
            for k in kinds
            if due_by_kind.get(k) or done_by_kind.get(k)
        ],
        satisfaction=_score_counts(ReturnVisit.satisfaction, done_in),
        satisfaction_average=float(average) if average is not None else None,
        survey=tuple(survey.results(period.first, period.last)),
        due_done_in=ReturnVisit.select().where(due_in, done_in).count(),
        due_done_after=ReturnVisit.select()
        .where(
            due_in,
            ReturnVisit.status == "done",
            ReturnVisit.done_at
            >= dt.datetime.combine(period.last + dt.timedelta(days=1), dt.time()),
        )
        .count(),
        done_due_before=ReturnVisit.select()
        .where(done_in, ReturnVisit.due_on < period.first)
        .count(),
    )


# --- Membership -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GiftLine:
    name: str
    redemptions: int
    quantity: int
    points: int


@dataclass(frozen=True)
class MemberFigures:
    new_members: int  # cards issued (not reissues)
    members: int  # cards held at the end of the period
    by_level: list[tuple[str, int]]  # (level name, cards held at the end), by rank
    lost: int
    reissued: int
    cancelled: int
    points_earned: int  # earned and bonus points
    points_redeemed: int  # spent on gifts, net of voided redemptions
    points_expired: int
    gifts: list[GiftLine]
    referrals: int = 0  # prospects members recommended in the period
    referrals_won: int = 0  # of those, became customers


def member_figures(period: Period) -> MemberFigures:
    referred = month_counts(period.first, period.last)
    events = _count_by(CardEvent.kind, _in(CardEvent.at, period))
    # The cards held when the period ended: issued by then and not closed before its end.
    held = (MemberCard.issued_on <= period.last) & (
        MemberCard.closed_at.is_null() | (MemberCard.closed_at >= period.end)
    )
    level_name = fn.COALESCE(MemberLevel.name, "")
    levels = [
        (name, int(count))
        for name, count in tuples_of(
            MemberCard.select(level_name, fn.COUNT(MemberCard.id))
            .join(MemberLevel, JOIN.LEFT_OUTER, on=(MemberCard.level == MemberLevel.id))
            .where(held)
            .group_by(level_name, MemberLevel.rank)
            .order_by(MemberLevel.rank.asc(), level_name)
        )
    ]
    points = _grouped(
        PointsEntry.select(PointsEntry.kind, fn.SUM(PointsEntry.points))
        .where(_in(PointsEntry.at, period))
        .group_by(PointsEntry.kind)
    )
    gifts = [
        GiftLine(name, int(n), int(quantity or 0), int(spent or 0))
        for name, n, quantity, spent in tuples_of(
            Redemption.select(
                Gift.name,
                fn.COUNT(Redemption.id),
                fn.SUM(Redemption.quantity),
                fn.SUM(Redemption.points),
            )
            .join(Gift, on=(Redemption.gift == Gift.id))
            .where(_in(Redemption.created_at, period), Redemption.status == "done")
            .group_by(Gift.id, Gift.name)
            .order_by(fn.SUM(Redemption.quantity).desc(), Gift.name)
        )
    ]
    return MemberFigures(
        new_members=events.get("issued", 0),
        members=sum(count for _name, count in levels),
        by_level=levels,
        lost=events.get("lost", 0),
        reissued=events.get("reissued", 0),
        cancelled=events.get("cancelled", 0),
        points_earned=points.get("earn", 0) + points.get("bonus", 0),
        points_redeemed=-(points.get("redeem", 0) + points.get("redeem_void", 0)),
        points_expired=-points.get("expire", 0),
        gifts=gifts,
        referrals=referred.total,
        referrals_won=referred.won,
    )


def level_text(name: str) -> str:
    return name or _("No level")


# --- Market feedback (weekly) ---------------------------------------------------------------

FEEDBACK_CATEGORIES = ("suggestion", "consult")


@dataclass(frozen=True)
class FeedbackLine:
    received_at: dt.datetime
    channel: str
    caller: str
    content: str


@dataclass(frozen=True)
class FeedbackFigures:
    """Market feedback: the suggestions and consultations the desk took."""

    by_category: list[Compared]  # suggestion, consult
    by_channel: list[tuple[str, int]]  # both categories together
    suggestions: list[FeedbackLine]  # every suggestion, in order


def feedback_figures(period: Period) -> FeedbackFigures:
    feedback = Reception.category.in_(FEEDBACK_CATEGORIES)
    categories = [
        c
        for c in _compare(Reception.category, period, list(FEEDBACK_CATEGORIES))
        if c.code in FEEDBACK_CATEGORIES
    ]
    known = {c.code for c in categories}
    categories += [Compared(code, 0, 0, 0) for code in FEEDBACK_CATEGORIES if code not in known]
    channels = _count_by(
        Reception.channel,
        _in(Reception.received_at, period),
        Reception.status == "active",
        feedback,
    )
    query = (
        Reception.select(
            Reception.received_at,
            Reception.channel,
            fn.COALESCE(Customer.name, Reception.caller_name),
            Reception.content,
        )
        .join(Customer, JOIN.LEFT_OUTER, on=(Reception.customer == Customer.id))
        .where(
            _in(Reception.received_at, period),
            Reception.status == "active",
            Reception.category == "suggestion",
        )
        .order_by(Reception.received_at, Reception.id)
    )
    suggestions = [
        FeedbackLine(Reception.received_at.python_value(at), channel, caller or "", content or "")
        for at, channel, caller, content in db.execute(query).fetchall()
    ]
    return FeedbackFigures(
        by_category=sorted(categories, key=lambda c: FEEDBACK_CATEGORIES.index(c.code)),
        by_channel=_ordered(channels, [c for c, _l in receptions.channels()]),
        suggestions=suggestions,
    )

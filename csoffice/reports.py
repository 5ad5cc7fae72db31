"""The figures of the daily, weekly and monthly reports (日报 / 周报 / 服务月报), as plain data.

This module is the one source of every number the reports show: the printed PDFs, the
dashboard and the Excel export all read the dataclasses built here, so a figure is the same
everywhere. Each figure is one SQL aggregate (GROUP BY, COUNT, SUM, AVG); only the list of
complaints is read row by row, because the report must name every one of them.

Complaint figures are about the complaints *received* in the period, as they stand when the
report is made ("as at"); the counts, open and overdue follow the complaint ledger's own
definitions (complaints.totals), so the report matches the ledger exactly.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from babel import dates as babel_dates
from peewee import JOIN, fn

from csoffice import audit, auth, complaints, receptions
from csoffice.db.database import db, is_sqlite
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
    ReportNote,
    ReturnVisit,
    Staff,
    now,
)
from csoffice.errors import PermissionDenied, ValidationError
from csoffice.i18n import N_, _, format_date, format_number, format_percent, locale

# --- Periods ----------------------------------------------------------------------------------

KINDS = {
    "daily": N_("Daily report"),
    "weekly": N_("Weekly report"),
    "monthly": N_("Monthly service report"),
}
NOTE_KINDS = ("monthly", "weekly")

_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WEEK = re.compile(r"^(\d{4})-?[Ww](\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def weeks_in_year(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the year's last."""
    return dt.date(year, 12, 28).isocalendar().week


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """A day, an ISO week, a calendar month or any span of days (first and last included)."""

    kind: str  # daily | weekly | monthly | span
    first: dt.date
    last: dt.date
    # What "previous" means when it is not the period just before (the dashboard compares
    # this month so far with the same days of last month).
    before: Period | None = field(default=None, compare=False, repr=False)

    @classmethod
    def day(cls, day: dt.date) -> Period:
        return cls("daily", day, day)

    @classmethod
    def week(cls, year: int, week: int) -> Period:
        first = dt.date.fromisocalendar(year, week, 1)
        return cls("weekly", first, first + dt.timedelta(days=6))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls("monthly", dt.date(year, month, 1), _month_end(year, month))

    @classmethod
    def span(cls, first: dt.date, last: dt.date) -> Period:
        return cls("span", first, last)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time())

    @property
    def end(self) -> dt.datetime:
        """The first moment after the period."""
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time())

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def code(self) -> str:
        """How the period is written on the command line: 2026-11-24, 2026-W48, 2026-11."""
        if self.kind == "daily":
            return self.first.isoformat()
        if self.kind == "weekly":
            year, week, _day = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "monthly":
            return f"{self.first.year}-{self.first.month:02d}"
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    def previous(self) -> Period:
        """The period just before: yesterday, last week, last month, the span before."""
        if self.before is not None:
            return self.before
        if self.kind == "monthly":
            last = self.first - dt.timedelta(days=1)
            return Period.month(last.year, last.month)
        if self.kind in ("weekly", "daily"):
            step = dt.timedelta(days=self.days)
            return Period(self.kind, self.first - step, self.last - step)
        step = dt.timedelta(days=self.days)
        return Period.span(self.first - step, self.last - step)

    def year_before(self) -> Period:
        """The same period a year earlier (a week 53 compares with the year's last week)."""
        if self.kind == "monthly":
            return Period.month(self.first.year - 1, self.first.month)
        if self.kind == "weekly":
            year, week, _day = self.first.isocalendar()
            return Period.week(year - 1, min(week, weeks_in_year(year - 1)))
        return Period(self.kind, _shift_year(self.first), _shift_year(self.last))

    def label(self) -> str:
        """The period as a person reads it, in the active language."""
        if self.kind == "monthly":
            return babel_dates.format_skeleton("yMMMM", self.first, locale=locale())
        if self.kind == "weekly":
            year, week, _day = self.first.isocalendar()
            return _("Week {week} of {year} ({first} – {last})").format(
                week=week, year=year, first=format_date(self.first), last=format_date(self.last)
            )
        if self.kind == "daily":
            return format_date(self.first, "full")
        return _("{first} – {last}").format(
            first=format_date(self.first), last=format_date(self.last)
        )


def _shift_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


_EXAMPLES = {
    "daily": N_("The daily report is for one day, written like 2026-11-24."),
    "weekly": N_("The weekly report is for an ISO week, written like 2026-W48."),
    "monthly": N_("The monthly report is for a month, written like 2026-11."),
}


def parse_period(text: str, kind: str | None = None) -> Period:
    """Read ``2026-11-24``, ``2026-W48`` or ``2026-11``; with ``kind`` the form must match it.
    Raises ValidationError (field "period") saying what is wrong."""
    value = (text or "").strip()
    period: Period | None = None
    try:
        if match := _DAY.match(value):
            year, month, day = (int(g) for g in match.groups())
            period = Period.day(dt.date(year, month, day))
        elif match := _WEEK.match(value):
            year, week = int(match[1]), int(match[2])
            if year < 1 or not 1 <= week <= weeks_in_year(year):
                raise ValidationError.single(
                    "period",
                    _("{year} has {weeks} ISO weeks; there is no week {week}.").format(
                        year=year, weeks=weeks_in_year(max(year, 1)), week=week
                    ),
                )
            period = Period.week(year, week)
        elif match := _MONTH.match(value):
            year, month = int(match[1]), int(match[2])
            if not 1 <= month <= 12:
                raise ValidationError.single(
                    "period",
                    _("There is no month {month}; months run from 01 to 12.").format(month=month),
                )
            period = Period.month(year, month)
    except ValueError:
        raise ValidationError.single(
            "period", _("“{value}” is not a real date.").format(value=value)
        ) from None
    if period is None:
        raise ValidationError.single(
            "period",
            _(
                "“{value}” is not a period: write a day like 2026-11-24, an ISO week like 2026-W48 or a month like 2026-11."
            ).format(value=value),
        )
    if kind is not None and kind in _EXAMPLES and period.kind != kind:
        raise ValidationError.single("period", _(_EXAMPLES[kind]))
    return period


def current_period(kind: str, today: dt.date | None = None) -> Period:
    """The period of ``kind`` that holds ``today``."""
    today = today or dt.date.today()
    if kind == "monthly":
        return Period.month(today.year, today.month)
    if kind == "weekly":
        year, week, _day = today.isocalendar()
        return Period.week(year, week)
    return Period.day(today)


# --- Labels for codes (the renderers translate when they draw) --------------------------------

VISIT_KINDS = {
    "7dc": N_("7 days after delivery"),
    "3dc": N_("3–5 days after a repair"),
    "complaint": N_("After a complaint"),
    "1m": N_("One month after purchase"),
    "1y": N_("One year after purchase"),
    "manual": N_("Scheduled by hand"),
    "sample": N_("Manager's sample check"),
    "recheck": N_("Follow-up of a dissatisfied answer"),
}
SATISFACTION = {
    1: N_("1 – very dissatisfied"),
    2: N_("2 – dissatisfied"),
    3: N_("3 – neither"),
    4: N_("4 – satisfied"),
    5: N_("5 – very satisfied"),
}


def visit_kind_label(code: str) -> str:
    return _(VISIT_KINDS[code]) if code in VISIT_KINDS else code


def satisfaction_label(score: int | None) -> str:
    if score is None:
        return _("Not given")
    return _(SATISFACTION[score]) if score in SATISFACTION else str(score)


def hours_text(hours: float | None) -> str:
    """A duration in hours for people: '5.3 h' / '5.3 小时'; a dash when there is none."""
    if hours is None:
        return "—"
    if hours >= 48:
        return _("{days} days").format(days=format_number(round(hours / 24, 1)))
    return _("{hours} h").format(hours=format_number(round(hours, 1)))


def share_text(value: float | None) -> str:
    return "—" if value is None else format_percent(value)


def average_text(value: float | None) -> str:
    return "—" if value is None else format_number(round(value, 2))


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
    count, average = (
        Complaint.select(fn.COUNT(Complaint.id), fn.AVG(hours)).where(where).tuples().get()
    )
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

    @property
    def closure_rate(self) -> float | None:
        """Closed or rejected, of those received (CLOSURE_DEFINITION)."""
        return (self.closed + self.rejected) / self.received if self.received else None

    @property
    def at_fault_share(self) -> float | None:
        """Of the complaints whose fault was recorded, the share where the company was at fault."""
        return self.at_fault / self.fault_known if self.fault_known else None


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
        )
        .join(Customer, JOIN.LEFT_OUTER, on=(Complaint.customer == Customer.id))
        .where(where)
        .order_by(Complaint.number_period, Complaint.number_seq, Complaint.id)
    )
    # Straight from the cursor: the list is long and peewee's row objects cost more than the query.
    out = []
    for row in db.execute(query).fetchall():
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
    received = _in(Complaint.received_at, period)

    def by(column) -> dict:
        return _count_by(column, received)

    statuses = by(Complaint.status)
    fault_known, at_fault, sat_count, sat_avg = (
        Complaint.select(
            fn.COUNT(Complaint.company_at_fault),
            fn.SUM((Complaint.company_at_fault == True).cast("integer")),
            fn.COUNT(Complaint.satisfaction),
            fn.AVG(Complaint.satisfaction),
        )
        .where(received)
        .tuples()
        .get()
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
    reached, average = (
        ReturnVisit.select(
            fn.SUM((ReturnVisit.reached == True).cast("integer")),
            fn.AVG(ReturnVisit.satisfaction),
        )
        .where(done_in)
        .tuples()
        .get()
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


def member_figures(period: Period) -> MemberFigures:
    events = _count_by(CardEvent.kind, _in(CardEvent.at, period))
    # The cards held when the period ended: issued by then and not closed before its end.
    held = (MemberCard.issued_on <= period.last) & (
        MemberCard.closed_at.is_null() | (MemberCard.closed_at >= period.end)
    )
    level_name = fn.COALESCE(MemberLevel.name, "")
    levels = [
        (name, int(count))
        for name, count in MemberCard.select(level_name, fn.COUNT(MemberCard.id))
        .join(MemberLevel, JOIN.LEFT_OUTER, on=(MemberCard.level == MemberLevel.id))
        .where(held)
        .group_by(level_name, MemberLevel.rank)
        .order_by(MemberLevel.rank.asc(), level_name)
        .tuples()
    ]
    points = _grouped(
        PointsEntry.select(PointsEntry.kind, fn.SUM(PointsEntry.points))
        .where(_in(PointsEntry.at, period))
        .group_by(PointsEntry.kind)
    )
    gifts = [
        GiftLine(name, int(n), int(quantity or 0), int(spent or 0))
        for name, n, quantity, spent in Redemption.select(
            Gift.name,
            fn.COUNT(Redemption.id),
            fn.SUM(Redemption.quantity),
            fn.SUM(Redemption.points),
        )
        .join(Gift, on=(Redemption.gift == Gift.id))
        .where(_in(Redemption.created_at, period), Redemption.status == "done")
        .group_by(Gift.id, Gift.name)
        .order_by(fn.SUM(Redemption.quantity).desc(), Gift.name)
        .tuples()
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


# --- The manager's notes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """Open problems and proposed improvements the manager wrote for one report."""

    problems: str = ""
    improvements: str = ""
    updated_at: dt.datetime | None = None
    updated_by: str = ""

    @property
    def empty(self) -> bool:
        return not (self.problems.strip() or self.improvements.strip())


_NOTE_MAX = 8000


def load_note(kind: str, period: Period | str) -> Note:
    code = period.code if isinstance(period, Period) else period
    row = (
        ReportNote.select(ReportNote, Staff.display_name)
        .join(Staff, JOIN.LEFT_OUTER, on=(ReportNote.updated_by == Staff.id))
        .where(ReportNote.kind == kind, ReportNote.period == code)
        .first()
    )
    if row is None:
        return Note()
    return Note(row.problems, row.improvements, row.updated_at, row.updated_by.display_name or "")


def save_note(
    actor: Staff, kind: str, period: Period | str, problems: str, improvements: str
) -> Note:
    """Store the manager's problems and improvements with the report of ``period``."""
    if actor is None or not actor.active or actor.role != auth.Role.MANAGER:
        raise PermissionDenied(
            _("Only the manager may write the report's open problems and improvements.")
        )
    code = period.code if isinstance(period, Period) else period
    if kind not in NOTE_KINDS:
        raise ValidationError.single("kind", _("Only weekly and monthly reports carry notes."))
    parse_period(code, kind)
    problems, improvements = (problems or "").strip(), (improvements or "").strip()
    errors = {
        name: _("At most {n} characters.").format(n=_NOTE_MAX)
        for name, text in (("problems", problems), ("improvements", improvements))
        if len(text) > _NOTE_MAX
    }
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        row = ReportNote.get_or_none(ReportNote.kind == kind, ReportNote.period == code)
        if row is None:
            row = ReportNote.create(
                kind=kind,
                period=code,
                problems=problems,
                improvements=improvements,
                created_by=actor,
                updated_by=actor,
            )
            changes = {"problems": [None, problems], "improvements": [None, improvements]}
            action = "create"
        else:
            before = audit.snapshot(row, ["problems", "improvements"])
            row.problems, row.improvements, row.updated_by = problems, improvements, actor
            row.save()
            changes = audit.diff(before, {"problems": problems, "improvements": improvements})
            action = "update"
        audit.record(
            actor, action, "report_note", row.id, summary=f"{kind} {code}", changes=changes
        )
    return load_note(kind, code)


def notes_name_real_periods() -> list[str]:
    """Each stored note belongs to a weekly or monthly report of a period that exists."""
    problems = []
    for note_id, kind, code in ReportNote.select(
        ReportNote.id, ReportNote.kind, ReportNote.period
    ).tuples():
        try:
            if kind not in NOTE_KINDS:
                raise ValidationError.single("kind", "")
            parse_period(code, kind)
        except ValidationError:
            problems.append(
                _("Report note {id} is for “{kind} {period}”, which is no such report.").format(
                    id=note_id, kind=kind, period=code
                )
            )
    return problems


# --- The reports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFigures:
    """What every report holds: receptions, complaints and return visits of its period."""

    period: Period
    at: dt.datetime  # figures as they stood then
    receptions: ReceptionFigures
    complaints: ComplaintFigures
    visits: VisitFigures


@dataclass(frozen=True)
class MonthlyReport(ReportFigures):
    members: MemberFigures
    note: Note


@dataclass(frozen=True)
class WeeklyReport(ReportFigures):
    feedback: FeedbackFigures
    note: Note


@dataclass(frozen=True)
class DailyReport(ReportFigures):
    """The day's receptions and return visits (the printed sheet is printing/daily_sheet.py)."""


def _report_figures(period: Period, at: dt.datetime) -> dict:
    """The fields of ReportFigures for ``period`` as at ``at``, to build any report from."""
    return {
        "period": period,
        "at": at,
        "receptions": reception_figures(period),
        "complaints": complaint_figures(period, at),
        "visits": visit_figures(period),
    }


def monthly_report(period: Period, at: dt.datetime | None = None) -> MonthlyReport:
    return MonthlyReport(
        **_report_figures(period, at or now()),
        members=member_figures(period),
        note=load_note("monthly", period),
    )


def weekly_report(period: Period, at: dt.datetime | None = None) -> WeeklyReport:
    return WeeklyReport(
        **_report_figures(period, at or now()),
        feedback=feedback_figures(period),
        note=load_note("weekly", period),
    )


def daily_report(period: Period, at: dt.datetime | None = None) -> DailyReport:
    return DailyReport(**_report_figures(period, at or now()))


def report(kind: str, period: Period, at: dt.datetime | None = None):
    """The figures of a report of ``kind`` for ``period``."""
    builders = {"daily": daily_report, "weekly": weekly_report, "monthly": monthly_report}
    return builders[kind](period, at)


# --- The dashboard ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    """This month so far beside the same days of last month, and all of last month."""

    today: dt.date
    this_month: Period  # the 1st to today
    last_month_to_date: Period  # the 1st of last month to the same day (or its last day)
    last_month: Period
    receptions: ReceptionFigures  # this month so far; previous = last month to date
    receptions_last_month: int
    complaints_now: ComplaintFigures
    complaints_before: ComplaintFigures
    complaints_last_month: ComplaintFigures
    visits_now: VisitFigures
    visits_before: VisitFigures
    visits_last_month: VisitFigures


def dashboard(today: dt.date | None = None, at: dt.datetime | None = None) -> Dashboard:
    today = today or dt.date.today()
    at = at or now()
    this_month = Period.span(today.replace(day=1), today)
    last_month = Period.month(today.year, today.month).previous()
    last_day = min(today.day, last_month.last.day)
    before = Period.span(last_month.first, last_month.first.replace(day=last_day))
    compared = Period("span", this_month.first, this_month.last, before=before)
    return Dashboard(
        today=today,
        this_month=this_month,
        last_month_to_date=before,
        last_month=last_month,
        receptions=reception_figures(compared),
        receptions_last_month=sum(_reception_counts(Reception.channel, last_month).values()),
        complaints_now=complaint_figures(this_month, at, with_items=False),
        complaints_before=complaint_figures(before, at, with_items=False),
        complaints_last_month=complaint_figures(last_month, at, with_items=False),
        visits_now=visit_figures(this_month),
        visits_before=visit_figures(before),
        visits_last_month=visit_figures(last_month),
    )

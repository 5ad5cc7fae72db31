"""Customer information statistics (客户信息统计分析): the archive by class, source, district and
handling clerk, new customers per month and the customers active in a period.

"Active" means any contact the desk records: a reception, a complaint, a service event (purchase, delivery,
repair …), a return visit that reached the customer, a points movement on one of their cards
or a club event they attended. The same definition decides churn (csoffice.churn), so the two
never disagree about who is still in touch.

Per staff member two ways: the customers each clerk served at the desk in the period (a
customer served by two clerks counts for both), and the files each staff member answers for
(the file's 管家 / 业务员), with how many of those were in touch and how many are new.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from peewee import Cast, Expression, Value, fn

from csoffice import customers
from csoffice.dates import add_months
from csoffice.db.database import db, is_sqlite
from csoffice.db.lookup import tuples_of
from csoffice.db.models import (
    Complaint,
    Customer,
    EventAttendance,
    MemberCard,
    MemberEvent,
    PointsEntry,
    Reception,
    ReturnVisit,
    ServiceEvent,
    Staff,
)
from csoffice.i18n import _
from csoffice.reports import Period

# --- Months -------------------------------------------------------------------------------------


def month_key(column):
    """An SQL expression for the 'YYYY-MM' of a date or timestamp column."""
    if is_sqlite():
        return fn.substr(column, 1, 7)  # stored as ISO text; cheaper than strftime
    return fn.to_char(column, "YYYY-MM")


def last_months(period: Period, count: int = 12) -> list[Period]:
    """The ``count`` calendar months ending with the month ``period`` ends in, oldest first."""
    last = period.last.replace(day=1)
    out = []
    for back in range(count - 1, -1, -1):
        first = add_months(last, -back)
        out.append(Period.month(first.year, first.month))
    return out


def month_code(period: Period) -> str:
    return f"{period.first.year}-{period.first.month:02d}"


# --- Activity -----------------------------------------------------------------------------------


def _stamp(value: dt.date | dt.datetime):
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def _activity_parts(
    since: dt.date | None = None,
    until: dt.date | None = None,
    customer_ids: list[int] | None = None,
) -> list[tuple]:
    """(query, customer column, time column) for each kind of contact, filtered."""

    def window(query, customer, column, is_date: bool = False):
        if customer_ids is not None:
            query = query.where(customer.in_(customer_ids))
        if since is not None:
            query = query.where(column >= (since if is_date else _stamp(since)))
        if until is not None:
            query = query.where(column < (until if is_date else _stamp(until)))
        return query, customer, column

    return [
        window(
            Reception.select(
                Reception.customer.alias("customer_id"), Reception.received_at.alias("at")
            ).where(Reception.customer.is_null(False), Reception.status == "active"),
            Reception.customer,
            Reception.received_at,
        ),
        window(
            Complaint.select(Complaint.customer, Complaint.received_at).where(
                Complaint.customer.is_null(False)
            ),
            Complaint.customer,
            Complaint.received_at,
        ),
        window(
            ServiceEvent.select(ServiceEvent.customer, ServiceEvent.date).where(
                ServiceEvent.status == "active"
            ),
            ServiceEvent.customer,
            ServiceEvent.date,
            True,
        ),
        window(
            ReturnVisit.select(ReturnVisit.customer, ReturnVisit.done_at).where(
                ReturnVisit.status == "done",
                ReturnVisit.reached == True,
            ),
            ReturnVisit.customer,
            ReturnVisit.done_at,
        ),
        window(
            PointsEntry.select(MemberCard.customer, PointsEntry.at).join(
                MemberCard, on=(PointsEntry.card == MemberCard.id)
            ),
            MemberCard.customer,
            PointsEntry.at,
        ),
        window(
            EventAttendance.select(EventAttendance.customer, MemberEvent.date)
            .join(MemberEvent, on=(EventAttendance.event == MemberEvent.id))
            .where(
                EventAttendance.attended == True,
                MemberEvent.status != "cancelled",
            ),
            EventAttendance.customer,
            MemberEvent.date,
            True,
        ),
    ]


def activity(
    since: dt.date | None = None,
    until: dt.date | None = None,
    customer_ids: list[int] | None = None,
):
    """Every contact with a customer as (customer_id, at) rows, from ``since`` to before
    ``until`` (either may be open), of ``customer_ids`` only if given: a UNION ALL query."""
    parts = [query for query, _customer, _at in _activity_parts(since, until, customer_ids)]
    union = parts[0]
    for part in parts[1:]:
        union = union.union_all(part)
    return union


def month_index(column):
    """An SQL expression for year × 12 + month − 1 of a date or timestamp column."""
    if is_sqlite():
        year = Cast(fn.substr(column, 1, 4), "INTEGER")
        month = Cast(fn.substr(column, 6, 2), "INTEGER")
    else:
        year = Cast(fn.date_part("year", column), "INTEGER")
        month = Cast(fn.date_part("month", column), "INTEGER")
    return year * 12 + month - 1


def index_of(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


@dataclass(frozen=True)
class ContactMonths:
    """In which months each customer file in use had contact, folded for counting:
    customers per (month index the file was opened, bit mask of months with contact)."""

    base: int  # the month index of bit 0
    groups: dict[tuple[int, int], int]

    def in_touch(self, month: Period) -> int:
        bit = 1 << (index_of(month.first) - self.base)
        return sum(n for (_opened, mask), n in self.groups.items() if mask & bit)


def contact_months(first: dt.date, until: dt.date) -> ContactMonths:
    """Contacts from the month of ``first`` to before ``until``: one grouped query per kind of
    contact (each served by its own index) folds them into a bit mask of months per customer."""
    base = index_of(first)
    since = first.replace(day=1)
    one = Value(1) if is_sqlite() else Cast(Value(1), "BIGINT")
    masks: dict[int, int] = {}
    for query, customer, at in _activity_parts(since, until):
        bit = Expression(one, "<<", month_index(at) - base)
        grouped = query.select(customer, fn.SUM(fn.DISTINCT(bit))).group_by(customer)
        for customer_id, mask in db.execute(grouped).fetchall():
            masks[customer_id] = masks.get(customer_id, 0) | int(mask)
    opened = Customer.select(Customer.id, month_index(Customer.created_at)).where(
        Customer.status == "active", Customer.created_at < _stamp(until)
    )
    groups: dict[tuple[int, int], int] = {}
    for customer_id, opened_index in db.execute(opened).fetchall():
        key = (int(opened_index), masks.get(customer_id, 0))
        groups[key] = groups.get(key, 0) + 1
    return ContactMonths(base, groups)


def no_contact(since: dt.date, until: dt.date):
    """A condition on Customer: no contact of any kind from ``since`` to before ``until``.

    One NOT EXISTS per kind of contact, each answered by the customer's own index, which is
    far cheaper than gathering everyone's contacts when most customers are in touch."""
    condition = None
    for query, customer, _at in _activity_parts(since, until):
        missing = ~fn.EXISTS(query.where(customer == Customer.id))
        condition = missing if condition is None else condition & missing
    return condition


def active_ids(period: Period) -> set[int]:
    """Customers (files in use or not) with any contact in ``period``.

    Each kind of contact hands over its customers from its own time index and the sets are
    joined here: cheaper than one DISTINCT over the union of every contact."""
    seen: set[int] = set()
    for query, customer, _at in _activity_parts(period.first, period.last + dt.timedelta(days=1)):
        seen.update(row[0] for row in db.execute(query.select(customer).distinct()).fetchall())
    return seen


# --- Districts ----------------------------------------------------------------------------------

_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
_ADDRESS = re.compile(
    r"^(?P<province>[^省市区县]{2,7}?(?:省|自治区|特别行政区))?"
    r"(?P<city>[^省市区县州盟]{1,7}?(?:市|自治州|地区|盟))?"
    r"(?P<district>[^省市区县旗]{1,7}?(?:区|县|旗|市))?"
)


@lru_cache(maxsize=262_144)
def district_of(address: str) -> str:
    """The district of a Chinese address, with its city ('深圳市南山区'); the city alone when the
    address names no district below it; '' when it names neither."""
    text = re.sub(r"\s+", "", address or "")
    for city in _MUNICIPALITIES:
        if text.startswith(city):
            rest = text[len(city) :]
            match = re.match(r"[^省市区县]{1,7}?(?:区|县)", rest)
            return city + (match.group(0) if match else "")
    match = _ADDRESS.match(text)
    if match is None:
        return ""
    city, district = match.group("city") or "", match.group("district") or ""
    if city or district:
        return city + district
    return match.group("province") or ""


# --- The statistics -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffCount:
    """The customers one staff member answers for (管家 / 业务员) and how they moved."""

    name: str  # the staff member's name; "" = files that name no one
    customers: int  # files in use at the end of the period
    active: int  # of them, with any contact in the period
    new: int  # of them, opened in the period

    @property
    def active_share(self) -> float | None:
        return self.active / self.customers if self.customers else None


@dataclass(frozen=True)
class CustomerStatistics:
    """The archive at the end of ``period`` and its movement in it."""

    period: Period
    total: int  # customer files in use (not archived or merged), opened before the period ended
    by_class: list[tuple[str, int]]  # (class code, count), the archive's order
    by_source: list[tuple[str, int]]  # (source as stored, count), most first; "" = not given
    by_district: list[tuple[str, int]]  # (district, count), most first; "" = no address
    by_clerk: list[tuple[str, int]]  # (clerk's name, customers served in the period), most first
    by_responsible: list[StaffCount]  # per 管家 / 业务员, most customers first; no one named last
    new: int  # files opened in the period
    active: int  # customers with any contact in the period
    new_by_month: list[tuple[str, int]]  # ('YYYY-MM', files opened), 12 months to the period's

    @property
    def active_share(self) -> float | None:
        return self.active / self.total if self.total else None


def _most_first(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0] == "", item[0]))


def new_by_month(months: list[Period]) -> list[tuple[str, int]]:
    """Customer files opened (and not merged away) in each of ``months``."""
    key = month_key(Customer.created_at)
    counts = dict(
        tuples_of(
            Customer.select(key, fn.COUNT(Customer.id))
            .where(
                Customer.created_at >= months[0].start,
                Customer.created_at < months[-1].end,
                Customer.status != "merged",
            )
            .group_by(key)
        )
    )
    return [(month_code(m), int(counts.get(month_code(m), 0))) for m in months]


def _by_clerk(period: Period) -> list[tuple[str, int]]:
    served = fn.COUNT(fn.DISTINCT(Reception.customer))
    return [
        (name, int(n))
        for name, n in tuples_of(
            Reception.select(Staff.display_name, served)
            .join(Staff, on=(Reception.handler == Staff.id))
            .where(
                Reception.received_at >= period.start,
                Reception.received_at < period.end,
                Reception.status == "active",
                Reception.customer.is_null(False),
            )
            .group_by(Staff.id, Staff.display_name)
            .order_by(served.desc(), Staff.display_name)
        )
    ]


def _by_responsible(
    ids: list[int], responsible: list[int | None], opened_in_period: list[object], active: set[int]
) -> list[StaffCount]:
    """Per staff member answering for files (``responsible``, one per file of ``ids``)."""
    customers_of = Counter(responsible)
    active_of = Counter(r for i, r in zip(ids, responsible, strict=True) if i in active)
    new_of = Counter(r for r, new in zip(responsible, opened_in_period, strict=True) if new)
    names = dict(tuples_of(Staff.select(Staff.id, Staff.display_name)))
    rows = [
        StaffCount(
            names.get(staff, "") if staff is not None else "",
            count,
            active_of.get(staff, 0),
            new_of.get(staff, 0),
        )
        for staff, count in customers_of.items()
    ]
    return sorted(rows, key=lambda row: (row.name == "", -row.customers, row.name))


def customer_statistics(period: Period) -> CustomerStatistics:
    # One pass over the archive, straight from the cursor and counted here: cheaper than the
    # database grouping 100,000 files by class, source and address together.
    query = Customer.select(
        Customer.id,
        Customer.customer_class,
        Customer.source,
        Customer.address,
        Customer.responsible,
        Customer.created_at >= period.start,
    ).where(Customer.status == "active", Customer.created_at < period.end)
    rows = db.execute(query).fetchall()
    ids, responsible, opened = (list(map(itemgetter(i), rows)) for i in (0, 4, 5))
    classes: Counter[str] = Counter()
    for code, count in Counter(map(itemgetter(1), rows)).items():
        classes[code or ""] += count
    sources: Counter[str] = Counter()
    for text, count in Counter(map(itemgetter(2), rows)).items():
        sources[text or ""] += count
    districts: Counter[str] = Counter()
    for text, count in Counter(map(itemgetter(3), rows)).items():
        districts[district_of(text or "")] += count
    order = list(customers.CLASSES)
    by_class = [(code, classes[code]) for code in order if code in classes]
    by_class += [(code, n) for code, n in _most_first(dict(classes)) if code not in order]
    new = (
        Customer.select()
        .where(
            Customer.created_at >= period.start,
            Customer.created_at < period.end,
            Customer.status != "merged",
        )
        .count()
    )
    active = active_ids(period)
    in_use_active = active.intersection(ids)
    return CustomerStatistics(
        period=period,
        total=len(ids),
        by_class=by_class,
        by_source=_most_first(dict(sources)),
        by_district=_most_first(dict(districts)),
        by_clerk=_by_clerk(period),
        by_responsible=_by_responsible(ids, responsible, opened, in_use_active),
        new=new,
        active=len(in_use_active),
        new_by_month=new_by_month(last_months(period)),
    )


def source_text(source: str) -> str:
    """A stored source for people: the built-in ones translated, an office's own as written."""
    if not source:
        return _("Not given")
    return _(source) if source in customers.SOURCES else source


def district_text(district: str) -> str:
    return district or _("No address")


def active_by_month(
    months: list[Period], contacts: ContactMonths | None = None
) -> list[tuple[str, int]]:
    """Customers with any contact in each of ``months``."""
    contacts = contacts or contact_months(months[0].first, months[-1].end.date())
    return [(month_code(m), contacts.in_touch(m)) for m in months]

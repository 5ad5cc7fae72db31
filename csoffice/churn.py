"""Customer churn (客户流失分析): who the desk is losing, as lists a clerk can call through and as
a trend over 12 months.

Three kinds of churn:
- ``inactive``: no contact of any kind (csoffice.statistics.activity) for N months
  (setting ``statistics.churn_months``), among files opened before those N months began;
- ``cards``: members whose card was cancelled or has lapsed (expired, not renewed) and who
  hold no other valid card;
- ``dissatisfied``: customers whose last dissatisfied answer (satisfaction 1–2, on a
  complaint or a return visit) has had no satisfied answer (4–5) since.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from peewee import JOIN, Case, Select, fn

from csoffice import audit, auth, customers, settings
from csoffice.dates import add_months
from csoffice.db import contacts
from csoffice.db.database import db
from csoffice.db.lookup import in_id_order, tuples_of
from csoffice.db.models import (
    Complaint,
    Customer,
    CustomerContact,
    MemberCard,
    ReturnVisit,
    Staff,
)
from csoffice.i18n import N_, _, format_date
from csoffice.reports import Period
from csoffice.statistics import (
    ContactMonths,
    contact_months,
    index_of,
    month_code,
    month_index,
    no_contact,
)
from csoffice.transfer import write_table
from csoffice.validation import mask_phone

KINDS = {
    "inactive": N_("No contact for {months} months"),
    "cards": N_("Member cards cancelled or lapsed"),
    "dissatisfied": N_("Dissatisfied, not yet won back"),
}
DISSATISFIED_MAX = 2  # satisfaction 1–2 is a dissatisfied answer
SATISFIED_MIN = 4  # 4–5 wins the customer back


def churn_months() -> int:
    """N of "no contact for N months" (the office's setting, at least 1)."""
    try:
        return max(1, int(settings.get("statistics.churn_months")))
    except (TypeError, ValueError):
        return 6


def kind_label(kind: str, months: int | None = None) -> str:
    return _(KINDS[kind]).format(months=months or churn_months())


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _as_datetime(value) -> dt.datetime | None:
    """A timestamp or date read back from a UNION (SQLite hands over text)."""
    if value is None or isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return _day_start(value)
    text = str(value)
    try:
        return dt.datetime.fromisoformat(text[:19])
    except ValueError:
        return None


def _day_text(value) -> str:
    """The day of a timestamp read back from a UNION, or a dash when it cannot be read."""
    when = _as_datetime(value)
    return format_date(when.date()) if when else "—"


# --- Which customers ----------------------------------------------------------------------------


def _inactive_query(as_of: dt.date, months: int):
    """Files in use opened before the N months with no contact in them. The last contact kept
    per customer (csoffice/db/contacts.py) answers for nearly everyone; only a customer whose
    last contact lies after ``as_of`` (a list as of an earlier day) is looked up contact by
    contact."""
    cutoff = add_months(as_of, -months)
    until = as_of + dt.timedelta(days=1)
    last = CustomerContact.last_at
    return (
        Customer.select(Customer.id)
        .join(CustomerContact, JOIN.LEFT_OUTER, on=(CustomerContact.customer == Customer.id))
        .where(
            Customer.status == "active",
            Customer.created_at < _day_start(cutoff),
            last.is_null()
            | (last < _day_start(cutoff))
            | ((last >= _day_start(until)) & no_contact(cutoff, until)),
        )
    )


def _valid_card(as_of: dt.date):
    return (MemberCard.status.in_(["active", "lost"])) & (
        MemberCard.expires_on.is_null() | (MemberCard.expires_on >= as_of)
    )


def _ended_card(as_of: dt.date):
    """A card cancelled by ``as_of``, or still open but expired before it."""
    cancelled = (MemberCard.status == "cancelled") & (
        MemberCard.closed_at < _day_start(as_of + dt.timedelta(days=1))
    )
    lapsed = (MemberCard.status == "active") & (MemberCard.expires_on < as_of)
    return cancelled | lapsed


def _cards_query(as_of: dt.date):
    holders = MemberCard.select(MemberCard.customer).where(_valid_card(as_of))
    ended = MemberCard.select(MemberCard.customer).where(_ended_card(as_of))
    return Customer.select(Customer.id).where(
        Customer.status == "active", Customer.id.in_(ended), Customer.id.not_in(holders)
    )


def _scored(until: dt.datetime | None = None, customer_ids: list[int] | None = None):
    """Every satisfaction answer as (customer_id, at, score): complaints when closed, return
    visits when done."""
    parts = [
        Complaint.select(
            Complaint.customer.alias("customer_id"),
            Complaint.closed_at.alias("at"),
            Complaint.satisfaction.alias("score"),
        ).where(
            Complaint.customer.is_null(False),
            Complaint.satisfaction.is_null(False),
            Complaint.closed_at.is_null(False),
        ),
        ReturnVisit.select(
            ReturnVisit.customer, ReturnVisit.done_at, ReturnVisit.satisfaction
        ).where(
            ReturnVisit.status == "done",
            ReturnVisit.satisfaction.is_null(False),
            ReturnVisit.done_at.is_null(False),
        ),
    ]
    for index, (customer, at) in enumerate(
        [
            (Complaint.customer, Complaint.closed_at),
            (ReturnVisit.customer, ReturnVisit.done_at),
        ]
    ):
        if until is not None:
            parts[index] = parts[index].where(at < until)
        if customer_ids is not None:
            parts[index] = parts[index].where(customer.in_(customer_ids))
    return parts[0].union_all(parts[1])


def _unrecovered(until: dt.datetime, customer_ids: list[int] | None = None):
    """(customer_id, last dissatisfied at) of customers not won back by ``until``."""
    scored = _scored(until, customer_ids).alias("scored")
    bad = fn.MAX(Case(None, [(scored.c.score <= DISSATISFIED_MAX, scored.c.at)], None))
    good = fn.MAX(Case(None, [(scored.c.score >= SATISFIED_MIN, scored.c.at)], None))
    return (
        Select(from_list=[scored], columns=[scored.c.customer_id, bad.alias("bad")])
        .group_by(scored.c.customer_id)
        .having(bad.is_null(False) & (good.is_null() | (good < bad)))
    )


def _dissatisfied_query(as_of: dt.date):
    unrecovered = _unrecovered(_day_start(as_of + dt.timedelta(days=1))).alias("u")
    return (
        Customer.select(Customer.id)
        .join(unrecovered, on=(unrecovered.c.customer_id == Customer.id))
        .where(Customer.status == "active")
    )


def _query(kind: str, as_of: dt.date, months: int):
    if kind == "inactive":
        return _inactive_query(as_of, months)
    if kind == "cards":
        return _cards_query(as_of)
    if kind == "dissatisfied":
        return _dissatisfied_query(as_of)
    raise KeyError(kind)


SORT_KEYS = {"name": Customer.name_pinyin, "class": Customer.customer_class}


def churn_ids(
    kind: str,
    as_of: dt.date | None = None,
    months: int | None = None,
    sort_key: str | None = None,
    descending: bool = False,
) -> list[int]:
    """The customers of one kind of churn on ``as_of`` (default today), in order."""
    as_of = as_of or dt.date.today()
    query = _query(kind, as_of, months or churn_months())
    column = SORT_KEYS.get(sort_key or "name", Customer.name_pinyin)
    order = column.desc() if descending else column.asc()
    return [row[0] for row in tuples_of(query.order_by(order, Customer.id))]


def churn_count(kind: str, as_of: dt.date | None = None, months: int | None = None) -> int:
    return _query(kind, as_of or dt.date.today(), months or churn_months()).count()


def last_contacts_match() -> list[str]:
    """The last contact the database keeps per customer (csoffice/db/contacts.py) equals what
    the records say (for ``python -m csoffice check``)."""
    found = sorted(contacts.differences(db.obj).items())
    return [
        _("Customer file {id}: last contact kept as {kept}, the records say {found}").format(
            id=customer, kept=kept or "—", found=actual or "—"
        )
        for customer, (kept, actual) in found
    ]


# --- The rows a clerk works through -------------------------------------------------------------


@dataclass(frozen=True)
class ChurnRow:
    customer_id: int
    name: str
    mobile: str
    phone2: str
    customer_class: str
    last_contact: dt.datetime | None  # the last contact of any kind
    detail: str  # why the customer is on the list, for people

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)


def _last_contacts(ids: list[int]) -> dict[int, dt.datetime | None]:
    query = CustomerContact.select(CustomerContact.customer, CustomerContact.last_at).where(
        CustomerContact.customer.in_(ids)
    )
    return {cid: _as_datetime(at) for cid, at in tuples_of(query)}


def _card_details(ids: list[int], as_of: dt.date) -> dict[int, str]:
    out: dict[int, str] = {}
    for customer_id, card_no, status, closed_at, expires_on in tuples_of(
        MemberCard.select(
            MemberCard.customer,
            MemberCard.card_no,
            MemberCard.status,
            MemberCard.closed_at,
            MemberCard.expires_on,
        )
        .where(MemberCard.customer.in_(ids), _ended_card(as_of))
        .order_by(MemberCard.customer, MemberCard.id)
    ):
        if status == "cancelled":
            text = _("Card {card} cancelled on {date}").format(
                card=card_no, date=format_date(closed_at.date()) if closed_at else "—"
            )
        else:
            text = _("Card {card} expired on {date}").format(
                card=card_no, date=format_date(expires_on)
            )
        out[customer_id] = text
    return out


def _dissatisfied_details(ids: list[int], as_of: dt.date) -> dict[int, str]:

    until = _day_start(as_of + dt.timedelta(days=1))
    return {
        customer_id: _("Dissatisfied on {date}").format(date=_day_text(at))
        for customer_id, at in tuples_of(_unrecovered(until, ids).bind(db))
    }


def churn_rows(kind: str, ids: list[int], as_of: dt.date | None = None) -> list[ChurnRow]:
    """The rows of ``ids`` (one page of a list), in the same order."""
    if not ids:
        return []
    as_of = as_of or dt.date.today()
    last = _last_contacts(ids)
    if kind == "cards":
        details = _card_details(ids, as_of)
    elif kind == "dissatisfied":
        details = _dissatisfied_details(ids, as_of)
    else:
        details = {}
    found = {
        row[0]: row
        for row in tuples_of(
            Customer.select(
                Customer.id,
                Customer.name,
                Customer.mobile,
                Customer.phone2,
                Customer.customer_class,
            ).where(Customer.id.in_(ids))
        )
    }
    out = []
    for customer_id, name, mobile, phone2, klass in in_id_order(ids, found):
        when = last.get(customer_id)
        detail = details.get(customer_id, "")
        if kind == "inactive":
            detail = _("No contact on record") if when is None else ""
        out.append(ChurnRow(customer_id, name, mobile or "", phone2 or "", klass, when, detail))
    return out


@dataclass(frozen=True)
class CallList:
    """A churn list to print and call through."""

    kind: str
    title: str
    as_of: dt.date
    rows: list[ChurnRow]


CALL_LIST_MAX = 2000


def call_list(actor: Staff, kind: str, as_of: dt.date | None = None) -> CallList:
    """The list to print (at most CALL_LIST_MAX customers); a clerk may print it
    (csoffice.call_list prints it and notes the print)."""
    auth.require(actor, "print")
    as_of = as_of or dt.date.today()
    ids = churn_ids(kind, as_of)[:CALL_LIST_MAX]
    rows = []
    for start in range(0, len(ids), 500):
        rows += churn_rows(kind, ids[start : start + 500], as_of)
    return CallList(kind, kind_label(kind), as_of, rows)


def list_headers() -> list[str]:
    """The columns of a churn list, exported or printed as a call list."""
    return [
        _("Name"),
        _("Mobile"),
        _("Other phone"),
        _("Class"),
        _("Last contact"),
        _("Why on the list"),
        _("Call result"),
    ]


def export(actor: Staff, kind: str, path: Path, as_of: dt.date | None = None) -> int:
    """Write one churn list to CSV or XLSX (the manager's right: it carries phone numbers)."""
    auth.require(actor, "export")
    as_of = as_of or dt.date.today()
    ids = churn_ids(kind, as_of)

    def rows():
        for start in range(0, len(ids), 1000):
            for row in churn_rows(kind, ids[start : start + 1000], as_of):
                yield [
                    row.name,
                    row.mobile,
                    row.phone2,
                    customers.class_label(row.customer_class),
                    row.last_contact,
                    row.detail,
                    "",
                ]

    count = write_table(Path(path), list_headers(), rows(), sheet_title=kind_label(kind))
    with db.atomic():
        audit.record(actor, "export", "churn_list", None, summary=f"{kind} {as_of} → {path}")
    return count


# --- The trend ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChurnMonth:
    """Churn at the end of one month (lists) and in it (cards)."""

    month: str  # YYYY-MM
    inactive: int  # no contact for N months when the month ended
    cards_cancelled: int  # cards cancelled in the month
    cards_lapsed: int  # cards that expired in the month and were not renewed
    dissatisfied: int  # not yet won back when the month ended


def _inactive_trend(
    months: list[Period], n: int, contacts: ContactMonths | None = None
) -> list[int]:
    """For each month end: files in use opened before the N-month window with no contact in it."""
    first_window = add_months(months[0].first, -n + 1)
    if contacts is None or contacts.base > index_of(first_window):
        contacts = contact_months(first_window, months[-1].end.date())
    out = []
    for month in months:
        end = index_of(month.first)  # the window is the N months up to and including this one
        first = end - n + 1
        window = ((1 << n) - 1) << (first - contacts.base)
        out.append(
            sum(
                count
                for (opened, mask), count in contacts.groups.items()
                if opened < first and not mask & window
            )
        )
    return out


def _dissatisfied_trend(months: list[Period]) -> list[int]:
    """For each month end, customers not won back; one pass over every satisfaction answer."""
    scored = _scored(months[-1].end).alias("s")
    query = (
        Select(from_list=[scored], columns=[scored.c.customer_id, scored.c.at, scored.c.score])
        .join(Customer, on=(Customer.id == scored.c.customer_id))
        .where(Customer.status == "active")
        .order_by(scored.c.at)
    )
    state: dict[int, bool] = {}  # customer → currently not won back
    unrecovered = 0
    out = []
    ends = iter(m.end for m in months)
    end = next(ends)
    for customer_id, at, score in tuples_of(query.bind(db)):
        when = _as_datetime(at)
        if when is None:
            continue  # a timestamp SQLite cannot read back belongs to no month
        while end is not None and when >= end:
            out.append(unrecovered)
            end = next(ends, None)
        before = state.get(customer_id, False)
        if score <= DISSATISFIED_MAX:
            after = True
        elif score >= SATISFIED_MIN:
            after = False
        else:
            after = before
        state[customer_id] = after
        unrecovered += int(after) - int(before)
    while end is not None:
        out.append(unrecovered)
        end = next(ends, None)
    return out


def _cards_by_month(column, *where) -> dict[int, int]:
    """{month index: cards} of the cards matching ``where``, by the month of ``column``."""
    key = month_index(column)
    query = MemberCard.select(key, fn.COUNT(MemberCard.id)).where(*where).group_by(key)
    return {int(k): int(n) for k, n in tuples_of(query)}


def churn_trend(
    months: list[Period], n: int | None = None, contacts: ContactMonths | None = None
) -> list[ChurnMonth]:
    n = n or churn_months()
    inactive = _inactive_trend(months, n, contacts)
    cancelled = _cards_by_month(
        MemberCard.closed_at,
        MemberCard.status == "cancelled",
        MemberCard.closed_at >= months[0].start,
        MemberCard.closed_at < months[-1].end,
    )
    lapsed = _cards_by_month(
        MemberCard.expires_on,
        MemberCard.status == "active",
        MemberCard.expires_on >= months[0].first,
        MemberCard.expires_on <= months[-1].last,
        MemberCard.expires_on < dt.date.today(),
    )
    dissatisfied = _dissatisfied_trend(months)
    return [
        ChurnMonth(
            month_code(month),
            inactive[i],
            int(cancelled.get(index_of(month.first), 0)),
            int(lapsed.get(index_of(month.first), 0)),
            dissatisfied[i],
        )
        for i, month in enumerate(months)
    ]

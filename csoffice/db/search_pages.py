"""The customer list a page at a time, in order, without sorting every hit.

A broad search (one character, initials, a company with thousands of customers) used to
fetch and sort every matching id before the first page. Here the list is a lazy sequence:
its length is the true count, and its pages are read as they are shown.

In the list's usual order (by name) a search reads each of its key ranges from the search
key index (key, sort_key, customer), which is already in that order: the first page takes
the first rows of each range, merged, with the few customers not shown (archived) left out.
The count is the keys' own count less the hidden customers among them. The whole archive is
read from the (name_pinyin, id) index. Other orders and filters fetch the matching ids sorted
by the database, as before.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

import peewee

from csoffice.db.database import db, is_sqlite
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Customer, CustomerSearchKey
from csoffice.db.search import _TOP, KeyRange, range_condition

PAGE = 100
STATUSES = ("active", "archived", "merged")  # a customer file's statuses
_CHUNK = 500  # ids per IN (…): under SQLite's variable limit
# Above this many hidden (archived) customers the count joins the customer table instead.
_HIDDEN_LIMIT = 2_000
# A phone or ID prefix finding more customers than this is read by walking the list's order
# (see _walk_range) rather than sorting its hits.
_BROAD = 10_000


def plain_if(plain: bool, column: peewee.Field) -> peewee.Node:
    """``+column`` on SQLite when ``plain``: the same value, but SQLite picks no index for the
    term, so a query stays on the index that gives its order."""
    if plain and is_sqlite():
        return peewee.NodeList((peewee.SQL("+"), column), glue="")
    return column


class Source(ABC):
    """Where a listing's ids come from: ``count()`` and ``first(n)`` (at least the first ``n``
    ids in order, or all of them)."""

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def first(self, wanted: int) -> list[int]: ...


class SortedSource(Source):
    """Every matching id, sorted by the database (other orders, filters, long queries)."""

    def __init__(self, where: Callable[[bool], list], order: list):
        self._where, self._order = where, order
        self._ids: list[int] | None = None

    def count(self) -> int:
        return len(self.first(0))

    def first(self, wanted: int) -> list[int]:
        if self._ids is None:
            query = Customer.select(Customer.id).where(*self._where(False))
            self._ids = [row for (row,) in tuples_of(query.order_by(*self._order))]
        return self._ids


class WalkSource(Source):
    """The whole archive in an index's order: a page is read straight from the index.
    ``statuses``: when the list filters on nothing else, the statuses it shows, so the count
    is every file less the few hidden ones (a table's row count is quicker than a filtered
    count)."""

    def __init__(
        self, where: Callable[[bool], list], order: list, statuses: tuple[str, ...] | None = None
    ):
        self._where, self._order = where, order
        self._statuses = statuses

    def count(self) -> int:
        if self._statuses is None:
            return Customer.select().where(*self._where(False)).count()
        hidden = [s for s in STATUSES if s not in self._statuses]
        every = Customer.select().count()
        return every - Customer.select().where(Customer.status.in_(hidden)).count()

    def first(self, wanted: int) -> list[int]:
        query = Customer.select(Customer.id).where(*self._where(True)).order_by(*self._order)
        return [row for (row,) in tuples_of(query.limit(wanted))]


class KeySource(Source):
    """A search's key ranges read in the list's order from the search key index."""

    def __init__(
        self,
        ranges: list[KeyRange],
        others: list,
        statuses: tuple[str, ...],
        descending: bool,
    ):
        self._ranges, self._others = ranges, others
        self._statuses = statuses
        self._descending = descending
        self._hidden: list[int] | None = None

    def _hidden_ids(self) -> list[int]:
        """Customers the list leaves out (archived, merged): few in any office."""
        if self._hidden is None:
            # An IN list of the other statuses, not NOT IN: that would read every customer.
            others = [s for s in STATUSES if s not in self._statuses]
            query = Customer.select(Customer.id).where(Customer.status.in_(others))
            self._hidden = [row for (row,) in tuples_of(query.limit(_HIDDEN_LIMIT + 1))]
        return self._hidden

    def _union(self, ranges: list[KeyRange] | None = None, others: list | None = None):
        parts = [
            CustomerSearchKey.select(CustomerSearchKey.customer.alias("id")).where(
                range_condition(*r)
            )
            for r in (self._ranges if ranges is None else ranges)
        ] + list(self._others if others is None else others)
        query = parts[0]
        for part in parts[1:]:
            query = query | part
        return query

    def count(self) -> int:
        hidden = self._hidden_ids()
        if len(hidden) > _HIDDEN_LIMIT:
            return (
                Customer.select()
                .where(Customer.id.in_(self._union()), Customer.status.in_(self._statuses))
                .count()
            )
        total = self._keys_count()
        for start in range(0, len(hidden), _CHUNK):
            chunk = hidden[start : start + _CHUNK]
            total -= (
                Customer.select()
                .where(Customer.id.in_(chunk), Customer.id.in_(self._union()))
                .count()
            )
        return total

    def _keys_count(self) -> int:
        """How many customers the ranges and other parts find together. Parts that find
        nobody are left out; one range is counted in its index; exact keys by a UNION of
        their index scans alone; anything else by a UNION of the parts."""
        ranges = [
            r
            for r in self._ranges
            if CustomerSearchKey.select().where(range_condition(*r)).exists()
        ]
        others = [other for other in self._others if other.exists()]
        if not ranges and not others:
            return 0
        if len(ranges) == 1 and not others:
            return CustomerSearchKey.select().where(range_condition(*ranges[0])).count()
        if not others and all(high is None for _low, high in ranges):
            marks = " UNION ".join(
                ['SELECT "customer_id" FROM "customer_search_key" WHERE "key" = {0}'] * len(ranges)
            ).format(db.obj.param)
            sql = f"SELECT COUNT(*) FROM ({marks} ORDER BY 1) AS found"
            return int(db.execute_sql(sql, [low for low, _h in ranges]).fetchone()[0])
        return self._union(ranges, others).count()

    def first(self, wanted: int) -> list[int]:
        take = wanted + 20
        while True:
            rows: set[tuple[str, int]] = set()
            complete = True
            key, customer = CustomerSearchKey.sort_key, CustomerSearchKey.customer
            order = [key.desc(), customer.desc()] if self._descending else [key, customer]
            for r in self._ranges:
                walked = self._walk_range(r, take)
                query = (
                    CustomerSearchKey.select(key, customer)
                    .where(range_condition(*r))
                    .order_by(*order)
                    .limit(take)
                )
                found = list(tuples_of(query)) if walked is None else walked
                complete = complete and len(found) < take
                rows.update(found)
            for other in self._others:
                query = Customer.select(Customer.name_pinyin, Customer.id).where(
                    Customer.id.in_(other)
                )
                rows.update(tuples_of(query))
            ordered = [cid for _key, cid in sorted(rows, reverse=self._descending)]
            shown = self._shown(ordered)
            if len(shown) >= wanted or complete:
                return shown
            take *= 4

    def _walk_range(self, r: KeyRange, take: int) -> list[tuple[str, int]] | None:
        """The first ``take`` (sort key, id) of a broad phone or ID number prefix (``1``, ``13``:
        tens of thousands of hits in as many keys, which the key index holds in key order, not
        the list's), read by walking the customers in the list's order, each tested on its own
        columns (the ones db/search.keys_from makes these keys from), up to the page: a broad
        prefix finds one customer in a few, so no hit is sorted. None when the range is
        narrow (its hits are few to sort) or of another kind.

        Reading prefixes (a letter) are left to the key index: their hits are one stretch of
        the list's order, but those found by a name's second reading are not, and picking
        them out reads the whole range again (measured: no faster than the sort)."""
        low, high = r
        kind, text = low[:2], low[2:]
        if kind not in ("m:", "d:") or high != low + _TOP or not text:
            return None
        some = CustomerSearchKey.select(CustomerSearchKey.customer).where(range_condition(*r))
        counted = peewee.Select([some.limit(_BROAD + 1)], [peewee.fn.COUNT(peewee.SQL("*"))])
        if counted.scalar(db) <= _BROAD:
            return None
        name, number = Customer.name_pinyin, Customer.id
        order = [name.desc(), number.desc()] if self._descending else [name, number]
        shown = peewee.Expression(plain_if(True, Customer.status), peewee.OP.IN, self._statuses)
        columns = (Customer.mobile, Customer.phone2) if kind == "m:" else (Customer.id_number,)
        tests = [_starts(plain_if(True, column), text) for column in columns]
        found = tests[0] if len(tests) == 1 else tests[0] | tests[1]
        query = Customer.select(name, number).where(shown, found).order_by(*order)
        return list(tuples_of(query.limit(take)))

    def _shown(self, ids: list[int]) -> list[int]:
        hidden = set(self._hidden_ids())
        if len(hidden) > _HIDDEN_LIMIT:
            hidden = set()
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                query = Customer.select(Customer.id).where(
                    Customer.id.in_(chunk), Customer.status.not_in(self._statuses)
                )
                hidden.update(row for (row,) in tuples_of(query))
        return [cid for cid in dict.fromkeys(ids) if cid not in hidden]


def _starts(column: peewee.Node, text: str) -> peewee.Expression:
    """``column`` starts with ``text`` (a range its index serves, unless it is plain)."""
    at_least = peewee.Expression(column, peewee.OP.GTE, text)
    return at_least & peewee.Expression(column, peewee.OP.LT, text + _TOP)


class CustomerPages(Sequence[int]):
    """Customer ids matching a search, in the list's order, read a page at a time."""

    def __init__(self, source: Source, page: int = PAGE):
        self._source = source
        self._page = page
        self._ids: list[int] = []
        self._complete = False
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = len(self._ids) if self._complete else self._source.count()
        return self._count

    def _need(self, position: int) -> None:
        """Have the ids up to ``position`` (whole pages, doubling as the list is scrolled)."""
        if self._complete or position < len(self._ids):
            return
        wanted = max((position // self._page + 1) * self._page, 2 * len(self._ids))
        self._ids = self._source.first(wanted)
        self._complete = len(self._ids) < wanted

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            if index.stop is not None and index.stop >= 0 and (index.start or 0) >= 0:
                self._need(max(0, index.stop - 1))
                return self._ids[index]
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        self._need(index)
        if not 0 <= index < len(self._ids):
            raise IndexError(index)
        return self._ids[index]

    def __iter__(self) -> Iterator[int]:
        position = 0
        while True:
            self._need(position)
            if position >= len(self._ids):
                return
            yield self._ids[position]
            position += 1

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        for position, item in enumerate(self):
            if position >= start and item == value and (stop is None or position < stop):
                return position
        raise ValueError(value)

    def __contains__(self, value: object) -> bool:
        return any(item == value for item in self)

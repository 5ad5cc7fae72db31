"""The archive's search and its lazy list pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from csoffice.db import search
from csoffice.db.lookup import in_id_order, tuples_of
from csoffice.db.models import Customer, CustomerTag, MemberCard
from csoffice.db.search_pages import CustomerPages, KeySource, SortedSource, WalkSource, plain_if

SORTS = {
    "name": Customer.name_pinyin,
    "mobile": Customer.mobile,
    "company": Customer.company,
    "class": Customer.customer_class,
    "created": Customer.created_at,
    "id": Customer.id,
}


@dataclass(frozen=True)
class SearchFilter:
    """What the archive's search box and filters ask for."""

    text: str = ""
    customer_class: str = ""
    tag: str = ""
    include_archived: bool = False
    sort: str = "name"
    descending: bool = False


def _conditions(criteria: SearchFilter) -> Callable[[bool], list[Any]] | None:
    """The search's conditions as ``where(plain)`` for CustomerPages; None when the text
    can match nothing."""
    matching = None
    extra = None
    if criteria.text.strip():
        matching = search.matching_ids_query(criteria.text)
        if matching is None:
            return None
        extra = search.long_text_filter(criteria.text)
    tagged = None
    if criteria.tag:
        tagged = CustomerTag.select(CustomerTag.customer).where(CustomerTag.tag == criteria.tag)

    def where(plain: bool) -> list[Any]:
        def column(field: Any) -> Any:
            return plain_if(plain, field)

        out = []
        if matching is not None:
            out.append(column(Customer.id).in_(matching))
        if extra is not None:
            out.append(extra)
        if criteria.include_archived:
            out.append(column(Customer.status) != "merged")
        else:
            out.append(column(Customer.status) == "active")
        if criteria.customer_class:
            out.append(column(Customer.customer_class) == criteria.customer_class)
        if tagged is not None:
            out.append(column(Customer.id).in_(tagged))
        return out

    return where


def search_list(criteria: SearchFilter) -> Sequence[int]:
    """Ids of the customers matching ``criteria`` in the list's order: a lazy sequence whose
    length is the true count and whose pages are read as they are shown."""
    where = _conditions(criteria)
    if where is None:
        return []
    column = SORTS.get(criteria.sort, Customer.name_pinyin)
    if criteria.descending:
        order = [column.desc(), Customer.id.desc()]
    else:
        order = [column.asc(), Customer.id.asc()]
    text = criteria.text.strip()
    filtered = bool(criteria.customer_class or criteria.tag)
    shown = ("active", "archived") if criteria.include_archived else ("active",)
    if not text:
        source = WalkSource(where, order, None if filtered else shown)
    elif column is Customer.name_pinyin and not filtered and search.long_text_filter(text) is None:
        ranges, others = search.key_parts(text)
        source = KeySource(ranges, others, shown, criteria.descending)
    else:
        source = SortedSource(where, order)
    return CustomerPages(source)


def search_ids(criteria: SearchFilter, limit: int = 20_000) -> list[int]:
    """The first ``limit`` ids of ``search_list`` as a list."""
    return list(search_list(criteria)[:limit])


@dataclass(frozen=True)
class CustomerRow:
    """One line of the archive's list (phones and IDs masked by the UI where needed)."""

    id: int
    name: str
    kind: str
    mobile: str
    company: str
    customer_class: str
    id_number: str
    tags: str
    status: str
    card_no: str


def rows(ids: list[int]) -> list[CustomerRow]:
    """The list rows of ``ids``, in that order."""
    if not ids:
        return []
    card = MemberCard.alias()
    query = (
        Customer.select(
            Customer.id,
            Customer.name,
            Customer.kind,
            Customer.mobile,
            Customer.company,
            Customer.customer_class,
            Customer.id_number,
            Customer.tags,
            Customer.status,
            card.card_no,
        )
        .join(
            card,
            JOIN.LEFT_OUTER,
            on=((card.customer == Customer.id) & (card.status.in_(["active", "lost"]))),
        )
        .where(Customer.id.in_(ids))
    )
    by_id = {}
    for row in tuples_of(query):
        by_id.setdefault(row[0], CustomerRow(*row[:9], card_no=row[9] or ""))
    return in_id_order(ids, by_id)


def all_tags() -> list[str]:
    return [
        row[0]
        for row in tuples_of(
            CustomerTag.select(CustomerTag.tag).distinct().order_by(CustomerTag.tag)
        )
    ]

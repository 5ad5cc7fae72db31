"""Fetching the one row a caller names, or saying plainly that it does not exist."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from peewee import Expression, Model

from csoffice.errors import NotFound

M = TypeVar("M", bound=Model)


def get_or_not_found(model: type[M], message: str, *where: Expression) -> M:
    """The row of ``model`` that matches ``where``; NotFound with ``message`` when none does."""
    row = model.get_or_none(*where)
    if row is None:
        raise NotFound(message)
    return row


K = TypeVar("K")
V = TypeVar("V")


def in_id_order(ids: Iterable[K], by_id: Mapping[K, V]) -> list[V]:
    """The values of ``by_id`` in the order of ``ids`` (a page of a lazy list), skipping ids
    that no longer have a row."""
    return [by_id[i] for i in ids if i in by_id]


def tuples_of(query: Any) -> Iterable[tuple[Any, ...]]:
    """``query.tuples()``, typed as the tuples it yields (the peewee stubs give it the model's
    type, so a type checker would refuse unpacking its rows)."""
    return query.tuples()


def raw_rows(query: Any) -> Iterable[tuple[Any, ...]]:
    """The rows of ``query`` as the driver gives them, without peewee's conversion: SQLite's
    dates and times stay ISO text (PostgreSQL's come as dates). For reads of hundreds of
    thousands of rows, where converting each value in Python costs more than the query."""
    from csoffice.db.target import db

    return db.execute_sql(*query.sql())


def dicts_of(query: Any) -> Iterable[dict[str, Any]]:
    """``query.dicts()``, typed as the dicts it yields (the peewee stubs give it the model's
    type, so a type checker would refuse indexing its rows)."""
    return query.dicts()


def tuple_of(query: Any) -> tuple[Any, ...]:
    """``query.tuples().get()``: the one row (of an aggregate) as a tuple."""
    return query.tuples().get()

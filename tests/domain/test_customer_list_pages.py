"""The customer list is read a page at a time in its order: the same ids, in the same order,
as sorting every hit, and its length is the true count (archived files left out), on SQLite
and PostgreSQL."""

from __future__ import annotations

import random

import pytest

from csoffice import customers
from csoffice.customers import CustomerInput, SearchFilter
from csoffice.db.models import Customer
from csoffice.db.search_pages import PAGE

SURNAMES = "李王张刘陈杨赵黄周吴"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"


@pytest.fixture
def database(any_database):
    return any_database


@pytest.fixture
def archive(clerk):
    rng = random.Random(3)
    inputs = []
    for number in range(700):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
        company = rng.choice(["幸福科技有限公司", "华东科技", "", "", "蓝天商贸"])
        inputs.append(
            (number, CustomerInput(name=name, mobile=f"139{number:08d}", company=company))
        )
    customers.bulk_create(clerk, inputs)
    # A few files archived: the list leaves them out unless asked.
    archived = [row for (row,) in Customer.select(Customer.id).order_by(Customer.id).tuples()][::50]
    Customer.update(status="archived").where(Customer.id.in_(archived)).execute()
    return archived


def every_hit_sorted(criteria: SearchFilter) -> list[int]:
    """What the list used to do: every matching id, sorted by the database."""
    statuses = ("active", "archived") if criteria.include_archived else ("active",)
    query = Customer.select(Customer.id, Customer.name_pinyin, Customer.status)
    matching = customers.search.matching_ids_query(criteria.text)
    if criteria.text and matching is None:
        return []
    if criteria.text:
        query = query.where(Customer.id.in_(matching))
    rows = [(pinyin, cid) for cid, pinyin, status in query.tuples() if status in statuses]
    return [cid for _p, cid in sorted(rows, reverse=criteria.descending)]


@pytest.mark.parametrize(
    "criteria",
    [
        SearchFilter(text="李"),
        SearchFilter(text="科技"),
        SearchFilter(text="l"),
        SearchFilter(text="zhang"),
        SearchFilter(text="139000"),
        SearchFilter(text="李", descending=True),
        SearchFilter(text="王", include_archived=True),
        SearchFilter(text=""),
    ],
    ids=lambda c: (
        f"{c.text or 'all'}{'-desc' if c.descending else ''}{'-arch' if c.include_archived else ''}"
    ),
)
def test_pages_are_the_sorted_hits_and_the_count_is_true(archive, criteria):
    listed = customers.search_list(criteria)
    expected = every_hit_sorted(criteria)
    assert len(expected) > 0
    assert len(listed) == len(expected)
    assert list(listed[:PAGE]) == expected[:PAGE]
    assert list(listed) == expected
    assert listed[len(expected) - 1] == expected[-1]
    assert listed.index(expected[-1]) == len(expected) - 1


def test_the_list_counts_past_twenty_thousand(clerk):
    inputs = [(n, CustomerInput(name=f"客户{n}", mobile=f"137{n:08d}")) for n in range(20_050)]
    customers.bulk_create(clerk, inputs)
    assert len(customers.search_list(SearchFilter())) == 20_050
    assert len(customers.search_list(SearchFilter(text="客户"))) == 20_050

"""Broad phone and ID number prefixes read their first page by walking the list's order instead
of sorting every hit (db/search_pages._walk_range): the same ids in the same order as sorting
every hit, the count true, a second phone found too, archived files left out, on SQLite and
PostgreSQL. Letters (names with several readings: 曾 zeng/ceng, 区 ou/qu, 单 shan/dan) beside
them, read from the key index as before."""

from __future__ import annotations

import random

import pytest

from csoffice import customers
from csoffice.customers import CustomerInput, SearchFilter
from csoffice.db import search_pages
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Customer
from csoffice.db.search_pages import PAGE
from tests.domain.test_customer_list_pages import every_hit_sorted

SURNAMES = "李王张赵周曾区单仇朱"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"


@pytest.fixture
def database(any_database):
    return any_database


def id_number(first17: str) -> str:
    """A valid resident ID number from its first 17 digits (GB 11643 check digit)."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


@pytest.fixture
def archive(clerk, monkeypatch):
    rng = random.Random(5)
    inputs = []
    for number in range(600):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
        phone2 = f"07552{number:07d}" if number % 7 == 0 else ""
        ident = id_number(
            f"110101{1960 + number % 40}0{1 + number % 9}1{number % 10}{number:03d}"[:17]
        )
        inputs.append(
            (
                number,
                CustomerInput(
                    name=name,
                    mobile=f"1{rng.choice(['39', '58', '86'])}{number:08d}",
                    phone2=phone2,
                    id_number=ident if number % 3 == 0 else "",
                ),
            )
        )
    customers.bulk_create(clerk, inputs)
    archived = [row for (row,) in tuples_of(Customer.select(Customer.id).order_by(Customer.id))][
        ::40
    ]
    Customer.update(status="archived").where(Customer.id.in_(archived)).execute()
    # Every prefix range here counts as broad, so each is walked.
    monkeypatch.setattr(search_pages, "_BROAD", 5)
    return archived


@pytest.mark.parametrize(
    "criteria",
    [
        SearchFilter(text="z"),  # 张 赵 周 曾 朱, and 曾's second reading under c
        SearchFilter(text="c"),  # 曾 as ceng, 仇 as chou, 单 as chan: others than the first
        SearchFilter(text="q"),  # 区 as qu, 仇 as qiu
        SearchFilter(text="zh"),
        SearchFilter(text="shan"),
        SearchFilter(text="l", descending=True),
        SearchFilter(text="w", include_archived=True),
        SearchFilter(text="13"),
        SearchFilter(text="0755"),
        SearchFilter(text="1", descending=True),
        SearchFilter(text="1", include_archived=True),
        SearchFilter(text="110101", include_archived=True),  # ID numbers
    ],
    ids=lambda c: (
        f"{c.text}{'-desc' if c.descending else ''}{'-arch' if c.include_archived else ''}"
    ),
)
def test_a_walked_prefix_gives_the_sorted_hits_and_the_true_count(archive, criteria):
    listed = customers.search_list(criteria)
    expected = every_hit_sorted(criteria)
    assert len(expected) > 10
    assert len(listed) == len(expected)
    assert list(listed[:PAGE]) == expected[:PAGE]
    assert list(listed) == expected


def test_several_readings_are_each_found(archive):
    # 曾 is zeng first: its customers sort under z, yet c finds them too.
    zeng = {c.id for c in Customer.select().where(Customer.name.startswith("曾"))}
    by_c = set(customers.search_list(SearchFilter(text="c")))
    by_z = set(customers.search_list(SearchFilter(text="z")))
    shown = {c.id for c in Customer.select().where(Customer.status == "active")}
    assert zeng & shown and zeng & shown <= by_c and zeng & shown <= by_z

"""The customer search index: one row per (key, customer), searched by exact key or prefix.

Keys are typed by a one-letter kind: ``n`` name characters and pairs, ``c`` company
characters and pairs, ``p`` full pinyin, ``i`` initials, ``m`` phone digits, ``t`` a phone's
last four digits, ``d`` ID numbers. Single characters and pairs make one- and two-character
name queries (most Chinese names are two or three characters) an index lookup, which a
trigram full-text index cannot do; longer queries need all their pairs and are then
checked against the name. Plain B-tree indexes work the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from peewee import fn

from csoffice.db.bulk import indexes_deferred, insert_rows
from csoffice.db.database import db
from csoffice.db.models import Customer, CustomerSearchKey, MemberCard

# Sorts after every character, so [prefix, prefix + _TOP) is "starts with prefix".
_TOP = "\U0010ffff"


def grams(text: str) -> set[str]:
    """Every character and every pair of neighbouring characters of ``text`` (spaces removed)."""
    text = "".join(text.lower().split())
    return set(text) | {text[i : i + 2] for i in range(len(text) - 1)}


def keys_from(
    name: str,
    company: str,
    phones: Iterable[str],
    id_number: str,
    fulls: Iterable[str],
    initials: Iterable[str],
) -> set[str]:
    """The search keys of one customer's values (pinyin readings already worked out)."""
    keys = set(_name_keys(name, tuple(fulls), tuple(initials)))
    if company:
        keys |= _company_keys(company)
    for phone in phones:
        if phone:
            keys.add(f"m:{phone}"[:80])
            keys.add(f"t:{phone[-4:]}")
    if id_number:
        keys.add(f"d:{id_number}"[:80])
    return keys


# Names and companies repeat across a sheet: their keys are worked out once each.
@lru_cache(maxsize=65_536)
def _name_keys(name: str, fulls: tuple[str, ...], initials: tuple[str, ...]) -> frozenset[str]:
    keys = {f"n:{g}" for g in grams(name)}
    keys |= {f"p:{value}" for value in fulls} | {f"i:{value}" for value in initials}
    return frozenset(key[:80] for key in keys)


@lru_cache(maxsize=65_536)
def _company_keys(company: str) -> frozenset[str]:
    # Companies by pairs only: nobody looks a company up by one character, and company names
    # are long, so single characters would add a quarter of all keys.
    single = len(company.strip()) == 1
    return frozenset(f"c:{g}"[:80] for g in grams(company) if len(g) == 2 or single)


def keys_for(customer: Customer) -> set[str]:
    return keys_from(
        customer.name,
        customer.company,
        (customer.mobile, customer.phone2),
        customer.id_number,
        customer.name_pinyin.split(),
        customer.name_initials.split(),
    )


def index_customer(customer: Customer, previous: set[str] | None = None) -> None:
    """Write ``customer``'s keys, replacing ``previous`` (its keys before the change).

    Call inside the transaction that saved the customer.
    """
    if previous:
        remove_keys(customer.id, previous)
    add_keys([(key, customer.id, customer.name_pinyin) for key in keys_for(customer)])


def remove_keys(customer_id: int, keys: set[str]) -> None:
    listed = sorted(keys)
    for start in range(0, len(listed), 400):
        CustomerSearchKey.delete().where(
            CustomerSearchKey.key.in_(listed[start : start + 400]),
            CustomerSearchKey.customer == customer_id,
        ).execute()


def add_keys(rows: list[tuple[str, int, str]]) -> None:
    """Insert (key, customer id, the customer's name_pinyin) rows for customers that have
    none yet. The name's pinyin is the list's order, so a key's customers are read from the
    index already sorted (db/search_pages.py)."""
    # In key order: the index leads with the key, so each insert lands next to the last
    # instead of at a random place (a 100,000-customer import writes a million keys) —
    # unless the index is built after the load.
    if not indexes_deferred(CustomerSearchKey):
        rows = sorted(rows)
    insert_rows(CustomerSearchKey, ["key", "customer", "sort_key"], rows)


def _exact(key: str):
    return CustomerSearchKey.select(CustomerSearchKey.customer).where(CustomerSearchKey.key == key)


def _prefix(key: str):
    return CustomerSearchKey.select(CustomerSearchKey.customer).where(
        (CustomerSearchKey.key >= key) & (CustomerSearchKey.key < key + _TOP)
    )


def _all_pairs(kind: str, text: str):
    """Customers having every pair of ``text`` under ``kind`` (candidates for a long query)."""
    pairs = sorted({f"{kind}:{text[i : i + 2]}" for i in range(len(text) - 1)})
    return (
        CustomerSearchKey.select(CustomerSearchKey.customer)
        .where(CustomerSearchKey.key.in_(pairs))
        .group_by(CustomerSearchKey.customer)
        .having(fn.COUNT(CustomerSearchKey.key) == len(pairs))
    )


KeyRange = tuple[str, str | None]  # (key, None): that key; (low, high): low <= key < high


def key_parts(text: str) -> tuple[list[KeyRange], list]:
    """Where the search box text is looked for: ranges of search keys, and other queries of
    customer ids (long name or company queries, card numbers); both empty when the text
    matches nothing.

    What the text looks like decides where it is looked for: digits in phones (whole, prefix
    or last four), ID numbers and card numbers; letters in pinyin and initials (and card
    numbers); anything else in names and companies.
    """
    from csoffice.validation import to_halfwidth

    text = "".join(to_halfwidth(text).split()).lower()
    ranges: list[KeyRange] = []
    others: list = []
    if not text:
        return ranges, others

    def prefix(key: str) -> None:
        ranges.append((key, key + _TOP))

    if text.isdigit() or (text[:-1].isdigit() and text[-1] == "x" and len(text) >= 15):
        digits = text.upper()
        if text.isdigit():
            prefix(f"m:{text}")
            if len(text) == 4:
                ranges.append((f"t:{text}", None))
        if len(text) >= 6:
            prefix(f"d:{digits}")
    if text.isascii() and text.isalnum() and len(text) >= 3:
        upper = text.upper()
        others.append(
            MemberCard.select(MemberCard.customer).where(
                (MemberCard.card_no >= upper) & (MemberCard.card_no < upper + _TOP)
            )
        )
    if text.isascii() and text.isalpha():
        # One letter starts a full reading exactly when it starts the initials of the same
        # reading: the initials alone find the same customers, from one range.
        if len(text) > 1:
            prefix(f"p:{text}")
        prefix(f"i:{text}")
    if not text.isascii() or (not ranges and not others and text):
        for kind in ("n", "c") if len(text) > 1 else ("n",):
            if len(text) <= 2:
                ranges.append((f"{kind}:{text}", None))
            else:
                others.append(_all_pairs(kind, text))
    return ranges, others


def range_condition(low: str, high: str | None):
    """The search keys of one range."""
    if high is None:
        return CustomerSearchKey.key == low
    return (CustomerSearchKey.key >= low) & (CustomerSearchKey.key < high)


def matching_ids_query(text: str):
    """A query of customer ids matching the search box text, or None when it matches nothing
    (see key_parts for where it is looked for)."""
    ranges, others = key_parts(text)
    parts = [
        CustomerSearchKey.select(CustomerSearchKey.customer).where(range_condition(*r))
        for r in ranges
    ] + others
    if not parts:
        return None
    query = parts[0]
    for part in parts[1:]:
        query = query | part  # UNION
    return query


def long_text_filter(text: str):
    """The extra check for a name or company query longer than two characters."""
    from csoffice.validation import to_halfwidth

    text = "".join(to_halfwidth(text).split())
    if len(text) <= 2 or text.isascii():
        return None
    return Customer.name.contains(text) | Customer.company.contains(text)


def rebuild_all(batch: int = 2000) -> int:
    """Rebuild every customer's keys (after a migration or an import); returns the count."""
    count = 0
    with db.atomic():
        CustomerSearchKey.delete().execute()
        last = 0
        while True:
            chunk = list(
                Customer.select().where(Customer.id > last).order_by(Customer.id).limit(batch)
            )
            if not chunk:
                break
            add_keys(
                [
                    (key, customer.id, customer.name_pinyin)
                    for customer in chunk
                    for key in keys_for(customer)
                ]
            )
            last = chunk[-1].id
            count += len(chunk)
    return count

"""Gap-free running numbers shared by every desk (complaint numbers, member card numbers)."""

from __future__ import annotations

from csoffice.db.models import Counter


def next_value(name: str) -> int:
    """Take the next value of the series ``name``.

    Call inside the transaction that uses the number: the increment is a row update, so a
    second desk waits for this transaction to finish (no duplicate), and a failed save rolls
    the counter back with it (no gap).
    """
    Counter.insert(name=name, value=0).on_conflict_ignore().execute()
    Counter.update(value=Counter.value + 1).where(Counter.name == name).execute()
    return Counter.get(Counter.name == name).value

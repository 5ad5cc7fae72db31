"""A large import into a small archive builds the indexes after the rows (db/bulk.py): the
result is the schema the models create, and a load that fails or is interrupted half way
leaves nothing behind — rows nor dropped indexes."""

from __future__ import annotations

import pytest

from csoffice import customers
from csoffice.customer_import import ImportPlan, run_import
from csoffice.db import bulk, search
from csoffice.db.database import db
from csoffice.db.models import Customer

ROWS = 60


def _indexes() -> list[tuple[str, str]]:
    return db.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        " AND tbl_name IN ('customer', 'customer_search_key', 'customer_tag') ORDER BY name"
    ).fetchall()


def _watch_key_writes(monkeypatch) -> list[bool]:
    """For each batch of search keys written: whether the customer table's indexes were being
    built after the load."""
    seen: list[bool] = []
    real = search.add_keys

    def watched(rows):
        seen.append(bulk.indexes_deferred(Customer))
        real(rows)

    monkeypatch.setattr(search, "add_keys", watched)
    return seen


@pytest.fixture
def sheet(tmp_path):
    path = tmp_path / "客户.csv"
    lines = ["姓名,手机号码,单位,标签"]
    lines += [f"张{'三四五六'[n % 4]}{n},1380000{n:04d},幸福公司,老客户" for n in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_a_large_load_rebuilds_the_indexes_it_dropped(manager, sheet, monkeypatch):
    monkeypatch.setattr(bulk, "DEFER_FROM", 10)
    before = _indexes()
    pragmas = [db.execute_sql(f"PRAGMA {p}").fetchone() for p in ("cache_size", "temp_store")]
    seen = _watch_key_writes(monkeypatch)
    result = run_import(manager, ImportPlan.read(sheet))
    assert result.created == ROWS and seen == [True]
    assert _indexes() == before
    assert not bulk.indexes_deferred(Customer)
    # The build's own cache and temporary storage were the session's again afterwards.
    assert [db.execute_sql(f"PRAGMA {p}").fetchone() for p in ("cache_size", "temp_store")] == (
        pragmas
    )
    found = customers.search_list(customers.SearchFilter(text="张三"))
    assert len(found) == ROWS // 4 == len(list(found))
    assert len(customers.search_list(customers.SearchFilter(text="幸福"))) == ROWS


@pytest.mark.parametrize("failure", [RuntimeError, KeyboardInterrupt])
def test_a_load_stopped_half_way_leaves_nothing_written(manager, sheet, monkeypatch, failure):
    monkeypatch.setattr(bulk, "DEFER_FROM", 10)
    before = _indexes()

    def broken(rows):
        raise failure()

    monkeypatch.setattr(search, "add_keys", broken)
    with pytest.raises(failure):
        run_import(manager, ImportPlan.read(sheet))
    assert Customer.select().count() == 0
    assert _indexes() == before
    assert not bulk.indexes_deferred(Customer)


def test_a_small_load_into_a_large_archive_keeps_the_indexes(manager, sheet, tmp_path, monkeypatch):
    archive = tmp_path / "档案.csv"
    lines = ["姓名,手机号码"] + [f"李{n},1390000{n:04d}" for n in range(2 * ROWS)]
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    assert run_import(manager, ImportPlan.read(archive)).created == 2 * ROWS
    monkeypatch.setattr(bulk, "DEFER_FROM", 10)
    seen = _watch_key_writes(monkeypatch)
    assert run_import(manager, ImportPlan.read(sheet)).created == ROWS
    assert seen == [False]

"""The customer import fed what offices really send: random bytes, the wrong encoding, huge
fields, control characters, emoji. It imports or refuses with a plain message; the database
stays whole."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csoffice.checks import sqlite_integrity
from csoffice.customer_import import ImportPlan, run_import
from csoffice.customers import BulkRejected
from csoffice.db.models import Customer
from csoffice.errors import CsofficeError
from tests.conftest import run_cli

FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_names = itertools.count()


def sheet_path(folder: Path, suffix: str) -> Path:
    return folder / f"sheet{next(_names)}{suffix}"


def try_import(actor, path: Path, skip_invalid: bool) -> None:
    """Import as the clerk would; only CsofficeError (a message for a person) may come back."""
    before = Customer.select().count()
    try:
        plan = ImportPlan.read(path)
        result = run_import(actor, plan, skip_invalid=skip_invalid)
    except BulkRejected as exc:
        assert exc.result.rejected and all(reason for _n, reason in exc.result.rejected)
        assert Customer.select().count() == before  # all or nothing
        return
    except CsofficeError as exc:
        assert str(exc).strip()
        assert Customer.select().count() == before
        return
    assert Customer.select().count() == before + result.created
    counted = result.created + result.duplicates + len(result.rejected) + len(result.skipped)
    assert counted == plan.data_count


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_random_bytes_as_a_file(database, clerk, tmp_path, data, suffix):
    path = sheet_path(tmp_path, suffix)
    path.write_bytes(data)
    try_import(clerk, path, skip_invalid=True)


cell = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.sampled_from(["张三", "13812345678", "1990-05-01", "男", "😀🎉", "\x07\x1b[31m", "=1+1"]),
    # A huge field, made cheaply (generating 20 000 random characters would be slow).
    st.builds(
        lambda c, n: c * n, st.sampled_from(["a", "张", "😀", "\x00"]), st.integers(300, 60_000)
    ),
)


@FUZZ
@given(
    rows=st.lists(st.lists(cell, min_size=1, max_size=7), min_size=1, max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "big5", "latin-1"]),
    separator=st.sampled_from([",", "\t", ";", "，"]),
    skip_invalid=st.booleans(),
)
def test_sheets_in_any_encoding_with_any_cells(
    database, clerk, tmp_path, rows, encoding, separator, skip_invalid
):
    header = separator.join(["姓名", "手机", "生日", "性别", "地址", "备注", "身份证号"])
    lines = [header] + [separator.join(row) for row in rows]
    path = sheet_path(tmp_path, ".csv")
    path.write_bytes("\n".join(lines).encode(encoding, errors="replace"))
    try_import(clerk, path, skip_invalid)
    assert sqlite_integrity() == []


def test_the_command_line_answers_a_bad_file_in_one_line(tmp_path):
    garbage = tmp_path / "customers.xlsx"
    garbage.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    text = tmp_path / "customers.csv"
    text.write_bytes(b"\xff\xfe\x00\x00" + bytes(range(1, 256)) * 4)
    for path in (garbage, text, tmp_path / "missing.csv"):
        result = run_cli(
            "--db", str(tmp_path / "x.sqlite3"), "import", "customers", str(path), home=tmp_path
        )
        assert result.returncode == 1, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr

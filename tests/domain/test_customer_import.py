"""Importing office sheets: encodings, header names, all-or-nothing, --skip-invalid, twice."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from csoffice import customers
from csoffice.customer_import import ImportPlan, guess_mapping, run_import
from csoffice.customers import BulkRejected, CustomerInput
from csoffice.db.models import Customer
from csoffice.errors import CsofficeError
from csoffice.transfer import read_table
from tests.conftest import run_cli

SHEET = (
    "姓名,手机号码,身份证号,生日,地址,单位,备注\n"
    "张三,138 1234 5678,11010519491231002X,,北京市朝阳区,幸福公司,老客户\n"
    "李四,12345,,,上海,,\n"
    "曾国藩,+86 139-0000-1111,,1980/05/01,湖南,,\n"
    ",13700000000,,,,,没有姓名\n"
    "刘䶮,13100006666,,,,,\n"
)


@pytest.fixture
def gb_csv(tmp_path):
    path = tmp_path / "客户.csv"
    path.write_bytes(SHEET.encode("gb18030"))
    return path


def test_encodings_are_detected(tmp_path):
    for encoding in ("utf-8", "utf-8-sig", "gb18030"):
        path = tmp_path / f"x-{encoding}.csv"
        path.write_bytes(SHEET.encode(encoding))
        table = read_table(path)
        assert table.headers[0] == "姓名" and table.rows[0][0] == "张三"


def test_header_names_map_by_themselves():
    assert guess_mapping(
        ["客户名称", "联系电话", "证件号码", "出生日期", "公司", "说明", "无关列"]
    ) == [
        "name",
        "mobile",
        "id_number",
        "birthday",
        "company",
        "notes",
        "",
    ]
    assert guess_mapping(["name", "mobile", "id_number"]) == ["name", "mobile", "id_number"]


def test_all_or_nothing_by_default(manager, gb_csv):
    with pytest.raises(BulkRejected) as info:
        run_import(manager, ImportPlan.read(gb_csv))
    assert [number for number, _reason in info.value.result.rejected] == [3, 5]
    assert Customer.select().count() == 0


def test_skip_invalid_imports_the_rest_and_twice_changes_nothing(manager, gb_csv):
    result = run_import(manager, ImportPlan.read(gb_csv), skip_invalid=True)
    assert (result.created, result.duplicates, len(result.rejected)) == (3, 0, 2)
    assert customers.search_ids(customers.SearchFilter(text="zgf"))
    again = run_import(manager, ImportPlan.read(gb_csv), skip_invalid=True)
    assert (again.created, again.duplicates) == (0, 3)
    assert Customer.select().count() == 3


def test_xlsx(manager, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["客户姓名", "手机", "生日"])
    sheet.append(["王芳", 15000007777, "1990-01-02"])
    path = tmp_path / "c.xlsx"
    book.save(path)
    result = run_import(manager, ImportPlan.read(path))
    assert result.created == 1
    assert Customer.get().mobile == "15000007777"


def test_garbage_files_are_refused_plainly(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(CsofficeError):
        read_table(path)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(CsofficeError):
        read_table(empty)


def test_command_line_import_and_export(tmp_path, gb_csv):
    db_path = str(tmp_path / "x.sqlite3")
    result = run_cli("--db", db_path, "import", "customers", str(gb_csv), home=tmp_path)
    assert result.returncode == 1
    assert "第 3 行" in result.stdout and len(result.stderr.strip().splitlines()) == 1
    result = run_cli(
        "--db", db_path, "import", "customers", str(gb_csv), "--skip-invalid", home=tmp_path
    )
    assert result.returncode == 0 and "已导入：3" in result.stdout
    out = tmp_path / "out.csv"
    result = run_cli("--db", db_path, "export", "customers", "--out", str(out), home=tmp_path)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "13812345678" in text and "11010519491231002X" in text and "刘䶮" in text
    result = run_cli(
        "--db", db_path, "export", "customers", "--out", str(tmp_path / "out.xlsx"), home=tmp_path
    )
    assert result.returncode == 0
    assert read_table(tmp_path / "out.xlsx").rows[0][1] == "张三"


@pytest.mark.parametrize("archive_size", [1, 40])
def test_numbers_on_file_are_found_in_a_small_or_a_large_archive(
    any_database, tmp_path, archive_size
):
    """Duplicates are found whether the archive's numbers are read in one pass (a load larger
    than the archive) or looked up one by one (a small load into a large archive): active
    files by phone (either column) or ID, archived files by name and number; both backends."""
    from csoffice import auth

    manager = auth.default_manager()
    for n in range(archive_size):
        customers.create(manager, CustomerInput(name=f"老客户{n}", mobile=f"1390000{n:04d}"))
    customers.create(manager, CustomerInput(name="座机客户", phone2="010-61234567"))
    gone = customers.create(manager, CustomerInput(name="归档客户", mobile="13700001111"))
    customers.archive(manager, gone.id)
    sheet = tmp_path / "客户.csv"
    sheet.write_text(
        "姓名,手机,其他电话,状态\n"
        "新人,13900000000,,\n"  # the first old customer's phone: a duplicate
        "张三,01061234567,,\n"  # the landline on file, now in the mobile column: duplicate
        "归档客户,13700001111,,已归档\n"  # the same archived file: duplicate
        "别人,13700001111,,已归档\n"  # another name with that number: a file of its own
        "李四,13800001111,,\n",
        encoding="utf-8",
    )
    before = Customer.select().count()
    result = run_import(manager, ImportPlan.read(sheet))
    assert (result.created, result.duplicates) == (2, 3)
    assert Customer.select().count() == before + 2


def test_an_import_announces_the_customers_once_it_is_kept(manager, tmp_path):
    """The importer itself tells the change hub, once, after its transaction; an import
    refused as a whole tells nothing."""
    from csoffice import changes
    from csoffice.changes import Change

    good, bad = tmp_path / "好.csv", tmp_path / "坏.csv"
    good.write_text("姓名,手机\n张三,13812345678\n李四,13812345679\n", encoding="utf-8")
    bad.write_text("姓名,手机\n王五,13812345670\n赵六,12345\n", encoding="utf-8")
    heard: list[Change] = []
    stop = changes.subscribe(heard.append)
    try:
        with pytest.raises(BulkRejected):
            run_import(manager, ImportPlan.read(bad))
        assert heard == []
        run_import(manager, ImportPlan.read(good))
        assert heard == [Change.CUSTOMER]
    finally:
        stop()

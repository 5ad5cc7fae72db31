"""Sheets in and out as offices keep them: an office's own customer sheet (title rows, notes in
headers, a hidden column, totals and signature rows, IDs stored as numbers), the same sheet
saved by LibreOffice as .xls and .ods, our exports as Excel and LibreOffice read them, and a
round trip of every customer field through CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile

import pytest
from openpyxl import load_workbook

from csoffice import customers, settings
from csoffice.customer_import import ImportPlan, describe_result, preview, run_import
from csoffice.customers import CustomerInput
from csoffice.db.database import close_database, open_database
from csoffice.db.models import Customer
from csoffice.errors import CsofficeError
from csoffice.sheet_reader import read_sheet
from csoffice.transfer import write_table
from tests.office_sheets import (
    CODE_DONGFANG,
    ID_LI,
    ID_ZHANG,
    convert,
    office_customer_sheet,
)

FIELDS = customers.AUDITED_FIELDS


def _files() -> dict[str, dict]:
    found = {}
    for c in Customer.select().order_by(Customer.id):
        found[c.name] = {name: getattr(c, name) for name in FIELDS}
    return found


def test_office_sheet_imports_with_the_sheets_own_row_numbers(manager, tmp_path):
    plan = ImportPlan.read(office_customer_sheet(tmp_path / "业主.xlsx"))
    assert plan.header_number == 4  # below the title, the date note and a blank row
    assert plan.mapping[1] == "" and plan.mapping[3] == "mobile"  # hidden B gives way to D
    assert plan.sheet.hidden_columns == {1}
    assert [row.number for row in plan.sheet.rows if row.hidden] == [9]
    counted = preview(plan)
    assert (counted.to_import, len(counted.skipped)) == (5, 2)
    assert [number for number, _reason in counted.rejected] == [7]
    assert Customer.select().count() == 0  # the preview writes nothing
    result = run_import(manager, plan, skip_invalid=True)
    assert result.created == 5
    assert [number for number, _r in result.skipped] == [12, 13]
    ((number, reason),) = result.rejected
    assert number == 7 and "Excel" in reason and "15" in reason
    files = _files()
    assert files["张三"]["mobile"] == "13812345678"  # a phone stored as a number is fine
    assert files["张三"]["id_number"] == ID_ZHANG
    assert files["张三"]["birthday"] == dt.date(1990, 5, 3)
    assert files["李四"]["id_number"] == ID_LI and files["李四"]["mobile"] == "13912345678"
    company = files['上海"东方"贸易, 有限公司']
    assert company["kind"] == "company" and company["id_type"] == "credit_code"
    assert company["id_number"] == CODE_DONGFANG and company["mobile"] == "02161234567"
    assert files["赵六"]["birthday"] == dt.date(1990, 5, 3)  # an Excel serial number
    assert files["钱七"]["birthday"] == dt.date(1990, 5, 3)  # 19900503
    assert "合计" not in files and not any("填表" in name for name in files)


def test_all_or_nothing_names_the_damaged_id_row(manager, tmp_path):
    from csoffice.customers import BulkRejected

    with pytest.raises(BulkRejected) as info:
        run_import(manager, ImportPlan.read(office_customer_sheet(tmp_path / "x.xlsx")))
    assert [n for n, _r in info.value.result.rejected] == [7]
    assert "Excel" in info.value.result.rejected[0][1]
    assert Customer.select().count() == 0


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_sheet_saved_by_libreoffice_imports_like_the_xlsx(manager, tmp_path, kind):
    source = office_customer_sheet(tmp_path / "业主名单.xlsx")
    converted = convert(source, kind, tmp_path / kind)
    plan = ImportPlan.read(converted)
    assert plan.header_number == 4
    assert plan.mapping == ImportPlan.read(source).mapping
    if kind == "ods":
        assert plan.sheet.hidden_columns == {1}
    result = run_import(manager, plan, skip_invalid=True)
    assert result.created == 5 and [n for n, _r in result.rejected] == [7]
    assert [n for n, _r in result.skipped] == [12, 13]
    files = _files()
    assert files["张三"]["id_number"] == ID_ZHANG and files["赵六"]["birthday"] == dt.date(
        1990, 5, 3
    )
    assert files['上海"东方"贸易, 有限公司']["id_number"] == CODE_DONGFANG


def test_headers_with_notes_and_full_width_forms_map():
    from csoffice.customer_import import guess_mapping

    assert guess_mapping(
        ["客户姓名", "联系方式（手机）", "身份证号 ", "证件号码", "出生年月日", "信用代码", "税号"]
    ) == ["name", "mobile", "id_number", "", "birthday", "credit_code", ""]
    assert guess_mapping(["业主姓名", "手机号码（必填）", "ＩＤ", "生 日【选填】"]) == [
        "name",
        "mobile",
        "id_number",
        "birthday",
    ]


def test_csv_quotes_and_gb18030(manager, tmp_path):
    path = tmp_path / "gb.csv"
    path.write_bytes(
        ('姓名,手机,备注\n"上海""东方""贸易, 有限公司",13812345678,"说 ""好"""\n').encode("gb18030")
    )
    result = run_import(manager, ImportPlan.read(path))
    assert result.created == 1
    customer = Customer.get()
    assert customer.name == '上海"东方"贸易, 有限公司' and customer.notes == '说 "好"'


def test_mixed_id_column_is_read_by_form(manager, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        f"名称,证件号码\n张三,{ID_ZHANG}\n东方贸易,{CODE_DONGFANG}\n约翰,E12345678\n",
        encoding="utf-8",
    )
    run_import(manager, ImportPlan.read(path))
    kinds = {c.name: (c.kind, c.id_type) for c in Customer.select()}
    assert kinds == {
        "张三": ("individual", "resident_id"),
        "东方贸易": ("company", "credit_code"),
        "约翰": ("individual", "passport"),
    }


def test_landline_needs_an_area_code_unless_the_office_has_one(manager, tmp_path):
    path = tmp_path / "local.csv"
    path.write_text("姓名,电话\n张三,61234567\n李四,0755-61234567\n", encoding="utf-8")
    result = run_import(manager, ImportPlan.read(path), skip_invalid=True)
    assert result.created == 1 and result.rejected[0][0] == 2
    assert "区号" in result.rejected[0][1]
    settings.put(manager, {"office.area_code": "0755"})
    path.write_text("姓名,电话\n王五,62345678\n", encoding="utf-8")
    run_import(manager, ImportPlan.read(path))
    assert Customer.get(Customer.name == "王五").mobile == "075562345678"
    with pytest.raises(CsofficeError):
        settings.put(manager, {"office.area_code": "755"})


def test_long_field_gets_a_row_numbered_message(manager, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("标题\n\n姓名,备注,手机\n张三," + "长" * 5000 + ",13812345678\n", "utf-8")
    plan = ImportPlan.read(path)
    assert plan.header_number == 3
    counted = preview(plan)
    assert counted.rejected[0][0] == 4 and "5000" in counted.rejected[0][1]


def test_row_limit_and_zip_bomb_are_refused_plainly(manager, tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("姓名,手机\n" + "张三,13812345678\n" * 30, encoding="utf-8")
    settings.put(manager, {"import.row_limit": 10})
    with pytest.raises(CsofficeError, match="10"):
        ImportPlan.read(path)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "xl/workbook.xml", "<workbook><sheets><sheet r:id='rId1'/></sheets></workbook>"
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"<row>" + b" " * (1 << 20) + b"</row>"
            for _n in range(40):
                member.write(block)
    assert bomb.stat().st_size < 2_000_000
    with pytest.raises(CsofficeError) as info:
        read_sheet(bomb, unpacked_limit=16 << 20)
    assert "MB" in str(info.value)


# --- Exports ---------------------------------------------------------------------------------


def _every_kind_of_customer(manager) -> None:
    customers.create(
        manager,
        CustomerInput(
            name="张三",
            mobile="13812345678",
            phone2="010-61234567",
            id_number=ID_ZHANG,
            email="zs@example.cn",
            address='北京市朝阳区"望京"1号, 3栋',
            company='=HYPERLINK("http://x")',
            customer_class="vip",
            source="Referral",
            tags=["老客户", "车主"],
            interests="@SUM(A1)",
            notes="第一行\n第二行",
        ),
    )
    customers.create(
        manager,
        CustomerInput(
            name="东方贸易有限公司",
            kind="company",
            mobile="15012345678",
            id_number=CODE_DONGFANG,
            customer_class="new",
            notes="-5 折扣",
        ),
    )
    customers.create(
        manager,
        CustomerInput(
            name="约翰",
            mobile="13712345678",
            id_type="passport",
            id_number="E12345678",
            gender="M",
            birthday=dt.date(1970, 1, 31),
            customer_class="dissatisfied",
        ),
    )
    customers.create(manager, CustomerInput(name="空白", mobile="+86 139 1234 5678"))


def _with_archived_and_responsible(manager, clerk) -> None:
    """Every kind of customer, one answered for by a clerk, and two archived files: one on
    its own, one sharing its phone with an active file (the number passed on)."""
    _every_kind_of_customer(manager)
    first = Customer.get(Customer.name == "张三")
    data = customers.to_input(first)
    data.responsible_id = clerk.id
    customers.update(manager, first.id, data, first.version)
    moved = customers.create(manager, CustomerInput(name="搬走的", mobile="13612345678"))
    customers.archive(manager, moved.id, "搬走了")
    old = customers.create(manager, CustomerInput(name="老机主", mobile="13512345678"))
    customers.archive(manager, old.id, "号码转给了别人")
    customers.create(manager, CustomerInput(name="新机主", mobile="13512345678"))


def _fresh_office(tmp_path):
    """A fresh database whose staff has the clerk the first office had (by name)."""
    from csoffice import auth

    close_database()
    open_database(tmp_path / "fresh.sqlite3")
    manager = auth.default_manager()
    auth.create_staff(manager, "clerk1", "王芳", auth.Role.CLERK, password="secret123")
    return manager


def _statuses() -> dict[str, str]:
    return {c.name: c.status for c in Customer.select()}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_customer_export_round_trips_into_a_fresh_database(manager, clerk, tmp_path, suffix):
    _with_archived_and_responsible(manager, clerk)
    before, statuses = _files(), _statuses()
    assert statuses["老机主"] == "archived" and before["张三"]["responsible"] is not None
    out = tmp_path / f"客户{suffix}"
    customers.export(manager, out)
    fresh_manager = _fresh_office(tmp_path)

    plan = ImportPlan.read(out)
    assert {"status", "responsible"} <= set(plan.mapping)
    counted = preview(plan)
    assert counted.to_import == 7 and counted.duplicates == 0 and not counted.rejected
    result = run_import(fresh_manager, ImportPlan.read(out))
    assert result.created == 7 and not result.rejected
    after = _files()
    # The responsible clerk is the fresh office's clerk of the same name.
    assert Customer.get(Customer.name == "张三").responsible.display_name == "王芳"
    for files in (before, after):
        files["张三"]["responsible"] = None
    assert after == before
    assert _statuses() == statuses
    archived = Customer.get(Customer.name == "搬走的")
    assert archived.archived_at is not None

    # The same sheet again adds nothing: active and archived rows alike are on file.
    again = run_import(fresh_manager, ImportPlan.read(out))
    assert again.created == 0 and again.duplicates == 7


def test_a_status_that_means_nothing_is_rejected_and_an_unknown_responsible_noted(
    manager, clerk, tmp_path
):
    sheet = tmp_path / "客户.csv"
    sheet.write_text(
        "姓名,手机,状态,负责人\n"
        "甲,13812345678,已归档,王芳\n"
        "乙,13812345679,作废,\n"
        "丙,13812345670,,李四\n"
        "丁,13812345671,有效,clerk1\n",
        encoding="utf-8",
    )
    counted = preview(ImportPlan.read(sheet))
    assert [number for number, _reason in counted.rejected] == [3]
    assert "作废" in counted.rejected[0][1]
    # A person nobody on this office's staff is called (a sheet from another office): the
    # file comes in without a responsible person, and the row says so.
    assert [number for number, _reason in counted.notes] == [4]
    assert "李四" in counted.notes[0][1]
    result = run_import(manager, ImportPlan.read(sheet), skip_invalid=True)
    assert result.created == 3
    assert [number for number, _reason in result.notes] == [4]
    assert any("李四" in line for line in describe_result(result))
    assert Customer.get(Customer.name == "甲").status == "archived"
    assert Customer.get(Customer.name == "丙").responsible_id is None
    assert Customer.get(Customer.name == "丁").responsible_id == clerk.id


def test_xlsx_export_is_a_sheet_excel_users_expect(manager, tmp_path):
    _every_kind_of_customer(manager)
    out = tmp_path / "客户.xlsx"
    customers.export(manager, out)
    book = load_workbook(out)
    sheet = book.active
    assert sheet.title == "客户"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:T{1 + 4}"  # 20 columns
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    assert all(cell.font.bold for cell in sheet[1])
    headers = [cell.value for cell in sheet[1]]
    row = {h: sheet.cell(row=2, column=i + 1) for i, h in enumerate(headers)}
    assert row["手机"].data_type == "s" and row["手机"].value == "13812345678"
    assert row["证件号码"].data_type == "s" and row["证件号码"].value == ID_ZHANG
    assert isinstance(row["生日"].value, dt.datetime) and row["生日"].number_format == "yyyy-mm-dd"
    assert row["建档时间"].is_date
    assert row["单位"].value == '=HYPERLINK("http://x")' and row["单位"].data_type == "s"
    assert row["单位"].quotePrefix
    assert row["兴趣爱好"].quotePrefix and row["兴趣爱好"].value == "@SUM(A1)"
    empty = {h: sheet.cell(row=5, column=i + 1).value for i, h in enumerate(headers)}
    assert empty["证件号码"] is None and empty["地址"] is None  # empty cells are empty
    assert sheet.column_dimensions["K"].width > sheet.column_dimensions["H"].width
    assert not any(
        isinstance(c.value, str) and c.data_type == "f" for r in sheet.iter_rows() for c in r
    )


def test_csv_export_is_exact_with_a_bom_and_formulas_guarded(manager, tmp_path):
    _every_kind_of_customer(manager)
    out = tmp_path / "客户.csv"
    customers.export(manager, out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\t" not in data
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines(keepends=True)))
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["手机"] == "13812345678" and first["证件号码"] == ID_ZHANG
    assert first["单位"] == '\'=HYPERLINK("http://x")' and first["兴趣爱好"] == "'@SUM(A1)"
    assert first["生日"] == "1990-05-03"
    assert dict(zip(header, rows[2], strict=True))["备注"] == "'-5 折扣"


def test_our_xlsx_read_by_libreoffice_gives_our_csv(manager, tmp_path):
    _every_kind_of_customer(manager)
    customers.export(manager, tmp_path / "ours.csv")
    customers.export(manager, tmp_path / "ours.xlsx")
    converted = convert(
        tmp_path / "ours.xlsx", "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path / "lo"
    )
    ours = [row.cells for row in read_sheet(tmp_path / "ours.csv").rows]
    theirs = [row.cells for row in read_sheet(converted).rows]
    assert theirs == ours


def test_write_table_keeps_values_exact(tmp_path):
    from decimal import Decimal

    rows = [["A-1", Decimal("1280.50"), dt.datetime(2026, 11, 24, 9, 5), None, True, "\tx"]]
    write_table(tmp_path / "t.csv", ["a", "b", "c", "d", "e", "f"], rows)
    text = (tmp_path / "t.csv").read_text("utf-8-sig")
    assert text.splitlines()[1] == "A-1,1280.50,2026-11-24 09:05,,是,'\tx"
    write_table(tmp_path / "t.xlsx", ["a", "b", "c", "d", "e", "f"], rows)
    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert [c.value for c in sheet[2]][:4] == ["A-1", 1280.5, dt.datetime(2026, 11, 24, 9, 5), None]
    assert sheet["F2"].quotePrefix and sheet["F2"].value == "\tx"


def test_report_export_neutralises_formulas(manager, tmp_path):
    from csoffice import report_export, reports
    from csoffice.complaints import ComplaintInput, create

    create(
        manager,
        ComplaintInput(
            contact_name="=cmd|' /C calc'!A0",
            contact_phone="13812345678",
            category="quality",
            facts="@SUM(1)",
        ),
    )
    period = reports.parse_period(dt.date.today().strftime("%Y-%m"))
    figures = reports.monthly_report(period)
    out = tmp_path / "r.xlsx"
    report_export.export_xlsx(manager, figures, out)
    book = load_workbook(out)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.quotePrefix


def test_office_sheet_and_events_on_every_backend(any_database, tmp_path):
    from csoffice import auth, event_import
    from tests.domain.test_event_import import dealer_sheet

    manager = auth.default_manager()
    result = run_import(
        manager, ImportPlan.read(office_customer_sheet(tmp_path / "o.xlsx")), skip_invalid=True
    )
    assert result.created == 5 and [n for n, _r in result.rejected] == [7]
    assert _files()["张三"]["birthday"] == dt.date(1990, 5, 3)
    plan = event_import.EventPlan.read(dealer_sheet(tmp_path / "d.xlsx"))
    done = event_import.run_import(manager, plan, create_customers=True)
    assert done.created == 5 and done.customers_created == 1  # 王五 was refused above
    again = event_import.run_import(
        manager, event_import.EventPlan.read(tmp_path / "d.xlsx"), create_customers=True
    )
    assert again.created == 0 and again.duplicates == 5

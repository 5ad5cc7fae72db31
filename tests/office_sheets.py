"""Sheets as offices really keep them (title row, date note, blank rows, notes in the headers,
IDs that Excel stored as numbers, a totals and a signature row, a hidden column), and
LibreOffice headless to save them as .xls/.ods or to read what we write."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from openpyxl import Workbook

_RIC_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def resident_id(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _RIC_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def credit_code(first17: str) -> str:
    total = sum(_USCC.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return first17 + _USCC[(31 - total % 31) % 31]


ID_ZHANG = resident_id("11010519900503123")  # born 1990-05-03
ID_LI = resident_id("44030519851120234")  # born 1985-11-20
ID_DAMAGED = resident_id("32010219780101345")
CODE_DONGFANG = credit_code("91310000MA1FL0000")


def office_customer_sheet(path: Path) -> Path:
    """A customer sheet from a property office, the way it is kept in Excel.

    Sheet rows: 1 title, 2 date note, 3 blank, 4 header, 5–10 customers, 11 blank,
    12 totals, 13 signature. Column B is hidden and holds old phone numbers under 手机号码;
    the visible 手机号码（必填） in column D is the one to import. Row 9 is hidden."""
    book = Workbook()
    sheet = book.active
    sheet.title = "业主名单"
    sheet["A1"] = "某某花园业主登记表"
    sheet.merge_cells("A1:I1")
    sheet["A2"] = "填报日期：2026年11月24日"
    headers = [
        "序号",
        "手机号码",  # hidden, stale numbers
        "业主姓名",
        "手机号码（必填）",
        "身份证号 ",
        "出生年月日",
        "统一社会信用代码",
        "联系地址",
        "备注",
    ]
    for column, title in enumerate(headers, start=1):
        sheet.cell(row=4, column=column, value=title)
    rows = [
        [1, "13000000001", "张三", 13812345678, ID_ZHANG, "1990年5月3日", None, "3栋201", None],
        [2, "13000000002", "李四", "139-1234-5678", ID_LI, dt.date(1985, 11, 20), None, "", ""],
        [
            3,
            "13000000003",
            "王五",
            "13712345678",
            int(ID_DAMAGED[:17] + "0"),
            "1978.1.1",
            None,
            "",
            "",
        ],
        [
            4,
            "13000000004",
            '上海"东方"贸易, 有限公司',
            "021-61234567",
            None,
            None,
            CODE_DONGFANG,
            "",
            "-老业主",
        ],
        [5, "13000000005", "赵六", "15012345678", None, 32996, None, "", "隐藏行"],
        [6, "13000000006", "钱七", "18612345678", None, "19900503", None, "", ""],
    ]
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row=5 + offset, column=column, value=value)
    sheet["C12"] = "合计"
    sheet["D12"] = "6户"
    sheet["A13"] = "填表人：王芳"
    sheet["F13"] = "审核：李经理"
    sheet.column_dimensions["B"].hidden = True
    sheet.row_dimensions[9].hidden = True
    book.save(path)
    return path


def soffice() -> str:
    """The LibreOffice program; skips the test without it unless CSOFFICE_REQUIRE_OFFICE=1."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        if os.environ.get("CSOFFICE_REQUIRE_OFFICE") == "1":
            pytest.fail("CSOFFICE_REQUIRE_OFFICE=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice is not installed")
    return found


def convert(source: Path, to: str, folder: Path) -> Path:
    """``source`` saved by LibreOffice headless as ``to`` (xls, ods, csv:…, pdf) in ``folder``."""
    program = soffice()
    profile = f"file:///tmp/lo-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            program,
            "--headless",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            to,
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    extension = to.split(":")[0]
    result = folder / f"{source.stem}.{extension}"
    assert result.exists(), f"LibreOffice made no {result.name}"
    return result

"""An exported sheet's blank cells stay blank and its text never becomes a formula (found
exporting customers from the installed app and importing them back)."""

from __future__ import annotations

from openpyxl import load_workbook

from csoffice.transfer import read_table, write_table


def test_blank_cells_stay_blank_and_formulas_stay_text(tmp_path):
    path = tmp_path / "out.xlsx"
    write_table(path, ["姓名", "备注", "电话"], [["张三", "", "=1+1"], ["李四", None, "-5"]])
    sheet = load_workbook(path).active
    assert [sheet.cell(row, 2).value for row in (2, 3)] == [None, None]
    assert sheet.cell(2, 3).data_type == "s"  # text, not a live formula
    assert read_table(path).rows[0][:2] == ["张三", ""]

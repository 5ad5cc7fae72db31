"""An exported sheet's blank cells stay blank: the guard against formulas only marks text that
starts like one (found exporting customers from the installed app and importing them back)."""

from __future__ import annotations

from openpyxl import load_workbook

from csoffice.transfer import read_table, write_table


def test_blank_cells_stay_blank_and_formulas_stay_text(tmp_path):
    path = tmp_path / "out.xlsx"
    write_table(path, ["姓名", "备注", "电话"], [["张三", "", "=1+1"], ["李四", None, "-5"]])
    rows = list(load_workbook(path).active.iter_rows(min_row=2, values_only=True))
    assert rows == [("张三", None, "'=1+1"), ("李四", None, "'-5")]
    assert read_table(path).rows[0][:2] == ["张三", ""]

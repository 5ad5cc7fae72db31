"""Standard answers at the reception desk as a clerk meets them: typing the question suggests
answers, Alt+1 puts one into the note without moving the cursor, Enter still saves and the use
is counted; Alt+0 marks "no answer found"; the manager's library dialog refuses an empty
answer next to the field and keeps what was typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from csoffice import answers
from csoffice.answers import AnswerInput
from csoffice.db.models import AnswerEntry, AnswerUse, Reception
from tests.ui.typing import type_text


def focused():
    return QApplication.focusWidget()


@pytest.fixture
def library(manager):
    return answers.create(
        manager,
        AnswerInput(
            topic="保养",
            question="保养套餐多少钱？",
            text="基础保养套餐 398 元。",
            keywords="保养，价格",
            categories=["consult"],
        ),
    )


@pytest.fixture
def desk(window, qtbot, library):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    tab = window.pages["reception"]
    qtbot.waitUntil(lambda: focused() is tab.entry.phone)
    return tab


def to_content(qtbot, entry) -> None:
    qtbot.keyClicks(focused(), "13800001111")
    for _n in range(6):  # name, company, channel, direction, category, what was said
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is entry.content


def test_typing_suggests_alt1_fills_the_note_and_enter_saves(desk, qtbot, library):
    entry = desk.entry
    to_content(qtbot, entry)
    type_text(qtbot, focused(), "问保养价格")
    first = entry.suggestions.buttons[0]
    assert first.isVisible() and "保养套餐多少钱" in first.text()
    qtbot.keyClick(focused(), Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert focused() is entry.content  # the cursor stayed in the note
    assert "基础保养套餐 398 元。" in entry.content.toPlainText()
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    stored = Reception.get()
    assert stored.content.startswith("问保养价格")
    assert "398" in stored.content
    use = AnswerUse.get()
    assert (use.reception_id, use.answer_id) == (stored.id, library.id)
    assert focused() is entry.phone  # ready for the next call
    assert not entry.suggestions.no_answer.isChecked()


def test_alt0_marks_no_answer_found(desk, qtbot):
    entry = desk.entry
    to_content(qtbot, entry)
    type_text(qtbot, focused(), "问二手车置换")
    assert entry.suggestions.empty.isVisible()
    qtbot.keyClick(focused(), Qt.Key.Key_0, Qt.KeyboardModifier.AltModifier)
    assert entry.suggestions.no_answer.isChecked()
    assert focused() is entry.content
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    use = AnswerUse.get()
    assert use.answer_id is None and use.reception_id == Reception.get().id


def test_library_dialog_refuses_an_empty_answer_next_to_the_field(window, qtbot, manager):
    from csoffice.ui.dialogs.answer_library_dialog import AnswerLibraryDialog

    dialog = AnswerLibraryDialog(window.context, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isVisible)
    dialog.question.setFocus()
    qtbot.waitUntil(lambda: focused() is dialog.question)
    type_text(qtbot, focused(), "发票多久寄出？")
    dialog.save_button.click()
    assert dialog.errors.message("text")  # next to the answer field
    assert dialog.question.text() == "发票多久寄出？"  # kept
    assert AnswerEntry.select().count() == 0
    dialog.text.setFocus()
    type_text(qtbot, focused(), "开票后三个工作日内寄出。")
    dialog.save_button.click()
    assert AnswerEntry.get().text == "开票后三个工作日内寄出。"
    assert dialog.table.rowCount() == 1


def test_a_phrase_never_to_use_is_pointed_out_as_it_is_typed(desk, qtbot, manager):
    answers.create(manager, AnswerInput(kind="taboo", text="这不归我管"))
    entry = desk.entry
    to_content(qtbot, entry)
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is entry.outcome
    type_text(qtbot, focused(), "告知客户这不归我管")
    assert entry.suggestions.taboo.isVisible()
    assert "这不归我管" in entry.suggestions.taboo.text()
    assert focused() is entry.outcome


def test_library_imported_from_a_sheet_libreoffice_wrote(window, qtbot, manager, tmp_path):
    """The office's own sheet, saved by LibreOffice as XLSX with a title row above the header,
    imported through the dialog; a second sheet with a bad row imports nothing."""
    import os
    import shutil
    import subprocess

    from csoffice.ui.dialogs.answer_library_dialog import AnswerLibraryDialog

    office_bin = shutil.which("soffice") or shutil.which("libreoffice")
    if office_bin is None:
        if os.environ.get("CSOFFICE_REQUIRE_OFFICE"):
            pytest.fail("LibreOffice is required here")
        pytest.skip("LibreOffice is not installed")

    def libreoffice_xlsx(name: str, lines: list[str]):
        source = tmp_path / f"{name}.csv"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        subprocess.run(
            [
                office_bin,
                f"-env:UserInstallation=file:///tmp/lo-{os.getpid()}-answers",
                "--headless",
                "--infilter=CSV:44,34,76",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return tmp_path / f"{name}.xlsx"

    good = libreoffice_xlsx(
        "good",
        [
            "本公司常用答复,,,",
            "主题,问题,标准答复,关键词",
            "发票,能开专票吗？,可以，请提供开票信息。,专票",
            "门店,周末营业吗？,周六日照常营业。,周末",
        ],
    )
    bad = libreoffice_xlsx(
        "bad",
        ["主题,问题,标准答复", "发票,发票多久寄出？,三天内寄出。", "门店,,没有问题的一行"],
    )
    dialog = AnswerLibraryDialog(window.context, window)
    qtbot.addWidget(dialog)
    dialog.show()
    file_dialog = dialog.ask_import()
    file_dialog.fileSelected.emit(str(bad))
    with qtbot.waitSignal(dialog.task.finished, timeout=30_000):
        pass
    assert AnswerEntry.select().count() == 0  # all or nothing
    file_dialog.close()
    file_dialog = dialog.ask_import()
    file_dialog.fileSelected.emit(str(good))
    with qtbot.waitSignal(dialog.task.finished, timeout=30_000):
        pass
    assert sorted(e.question for e in AnswerEntry.select()) == ["周末营业吗？", "能开专票吗？"]
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    file_dialog.close()

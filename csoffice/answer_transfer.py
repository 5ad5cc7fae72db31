"""The answer library to and from an XLSX sheet, the way the office keeps it in Excel/WPS.

Import finds the header row by its names (also below a title row), checks every row and
imports all of them or none; each rejection carries the sheet's own row number. A row with
the number of an entry (the export's first column) updates that entry; a row equal to an
entry already in the library is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from csoffice import answers, audit, receptions
from csoffice.answers import AnswerInput
from csoffice.changes import Change
from csoffice.db.database import db, emit_after_commit
from csoffice.db.models import AnswerEntry, Staff
from csoffice.errors import CsofficeError, ValidationError
from csoffice.i18n import _
from csoffice.sheet_import import find_header, map_headers, text_of
from csoffice.sheet_reader import read_sheet
from csoffice.transfer import write_table

HEADER_ALIASES: dict[str, list[str]] = {
    "id": ["编号", "序号id", "id", "no."],
    "kind": ["类型", "清单", "kind", "list", "type"],
    "topic": ["主题", "分类", "话题", "业务分类", "topic"],
    "question": ["问题", "常见问题", "客户问题", "客户提问", "question"],
    "text": ["答复", "标准答复", "标准答案", "答案", "回答", "用语", "内容", "answer", "text"],
    "keywords": ["关键词", "关键字", "keywords", "keyword"],
    "categories": ["接待类别", "适用类别", "来访原因", "来电原因", "categories", "reasons"],
}
_KIND_WORDS = {
    "": "answer",
    "answer": "answer",
    "常用答复": "answer",
    "标准答复": "answer",
    "答复": "answer",
    "答客问": "answer",
    "phrase": "phrase",
    "服务用语": "phrase",
    "常用服务用语": "phrase",
    "用语": "phrase",
    "taboo": "taboo",
    "禁语": "taboo",
    "服务禁语": "taboo",
}


def _key(text: str) -> str:
    return re.sub(r"\s+", "", (text or "").strip().lower())


def _sheet_rows(path: Path) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """The sheet's rows below its header as (row number as the sheet shows it, cells as text),
    and the field each column feeds; the header is found below any title rows."""
    sheet = read_sheet(Path(path))
    if not sheet.rows:
        raise CsofficeError(_("The file is empty."))
    at = find_header(sheet, HEADER_ALIASES)
    mapping = map_headers(sheet.rows[at].cells, HEADER_ALIASES, sheet.hidden_columns)
    rows = [(row.number, [text_of(c) for c in row.cells]) for row in sheet.rows[at + 1 :]]
    return rows, mapping


def _categories(text: str) -> list[str]:
    by_label = {label: code for code, label in receptions.categories()}
    by_label.update({receptions.category_label(code): code for code in receptions.CATEGORIES})
    out = []
    for word in re.split(r"[,，、;；\s]+", text or ""):
        if word:
            out.append(by_label.get(word, word))
    return out


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


def _reason(error: ValidationError) -> str:
    labels = {
        "kind": _("List"),
        "topic": _("Topic"),
        "question": _("Question"),
        "text": _("Answer or phrase"),
        "keywords": _("Keywords"),
        "categories": _("Reception categories"),
    }
    return "; ".join(f"{labels.get(k, k)}: {v}" for k, v in error.errors.items())


def import_library(actor: Staff, path: Path) -> ImportResult:
    """Import the sheet at ``path``: every row or, if any is refused, none."""
    answers._require_manager(actor)
    rows, mapping = _sheet_rows(path)
    if "text" not in mapping:
        raise CsofficeError(
            _("No column of the sheet is headed “答复” (answer) or “用语” (phrase).")
        )
    result = ImportResult()
    plan: list[tuple[int | None, dict]] = []
    existing = {
        (e.kind, e.question, e.text): e.id
        for e in AnswerEntry.select(
            AnswerEntry.id, AnswerEntry.kind, AnswerEntry.question, AnswerEntry.text
        )
    }
    ids = {e.id for e in AnswerEntry.select(AnswerEntry.id)}
    seen: set[tuple[str, str, str]] = set()
    for number, cells in rows:
        values = {
            name: cells[i] if i < len(cells) else "" for i, name in enumerate(mapping) if name
        }
        kind_word = _key(values.get("kind", ""))
        kind = _KIND_WORDS.get(kind_word, kind_word)
        data = AnswerInput(
            kind=kind,
            topic=values.get("topic", ""),
            question=values.get("question", ""),
            text=values.get("text", ""),
            keywords=values.get("keywords", ""),
            categories=_categories(values.get("categories", "")),
        )
        try:
            clean = answers.clean(data)
        except ValidationError as exc:
            result.rejected.append((number, _reason(exc)))
            continue
        entry_id = None
        raw_id = values.get("id", "").strip()
        if raw_id:
            if not raw_id.isdigit() or int(raw_id) not in ids:
                result.rejected.append(
                    (
                        number,
                        _(
                            "Number {id} is not in the library; leave it empty for a new answer."
                        ).format(id=raw_id),
                    )
                )
                continue
            entry_id = int(raw_id)
        key = (clean["kind"], clean["question"], clean["text"])
        if entry_id is None and (key in existing or key in seen):
            result.duplicates += 1
            continue
        seen.add(key)
        plan.append((entry_id, clean))
    if result.rejected:
        return result
    with db.atomic():
        for entry_id, values in plan:
            if entry_id is None:
                entry = AnswerEntry.create(**values, created_by=actor, updated_by=actor)
                result.created += 1
            else:
                entry = AnswerEntry.get_by_id(entry_id)
                for name, value in values.items():
                    setattr(entry, name, value)
                entry.updated_by = actor
                entry.save()
                result.updated += 1
        audit.record(
            actor,
            "import",
            "answer",
            None,
            summary=f"{Path(path).name}: +{result.created} ~{result.updated}",
        )
    answers.invalidate()
    emit_after_commit(Change.ANSWER)
    return result


def describe(result: ImportResult) -> list[str]:
    if result.rejected:
        lines = [_("Nothing was imported: {n} rows are refused.").format(n=len(result.rejected))]
    else:
        lines = [
            _(
                "Imported: {created} new, {updated} updated; duplicates skipped: {duplicates}"
            ).format(created=result.created, updated=result.updated, duplicates=result.duplicates)
        ]
    lines += [
        _("Row {number}: {reason}").format(number=number, reason=reason)
        for number, reason in result.rejected
    ]
    return lines


EXPORT_HEADERS = ["编号", "类型", "主题", "问题", "答复", "关键词", "接待类别", "使用次数"]


def export_library(actor: Staff, path: Path) -> int:
    """The whole active library as a sheet the import reads back (headers in Chinese, the
    office's working language, whatever the desk's language)."""
    answers._require_manager(actor)
    kinds = {"answer": "常用答复", "phrase": "服务用语", "taboo": "服务禁语"}
    rows = [
        [
            row.id,
            kinds[row.kind],
            row.topic,
            row.question,
            row.text,
            row.keywords,
            "、".join(receptions.category_label(c) for c in row.categories),
            row.uses,
        ]
        for row in answers.entries()
    ]
    count = write_table(Path(path), EXPORT_HEADERS, rows, sheet_title="常用答复")
    with db.atomic():
        audit.record(actor, "export", "answer", None, summary=f"{count} → {path}")
    return count


def export_command(actor: Staff, path: Path, _date_from=None, _date_to=None) -> int:
    """``python -m csoffice export answers --out FILE.xlsx`` (the whole library; no dates)."""
    return export_library(actor, path)

"""Importing customers from an office's own sheet (CSV or XLSX): header mapping, row checks,
all-or-nothing by default."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from csoffice import customers
from csoffice.customers import BulkResult, CustomerInput
from csoffice.db.models import Staff
from csoffice.errors import ValidationError
from csoffice.i18n import N_, _
from csoffice.transfer import Table, read_table

# The fields a column can feed, with the header names office sheets use for them.
FIELDS: dict[str, str] = {
    "name": N_("Name"),
    "mobile": N_("Mobile"),
    "phone2": N_("Other phone"),
    "id_number": N_("ID number"),
    "birthday": N_("Birthday"),
    "gender": N_("Gender"),
    "address": N_("Address"),
    "company": N_("Company"),
    "email": N_("E-mail"),
    "customer_class": N_("Class"),
    "source": N_("Source"),
    "tags": N_("Tags"),
    "interests": N_("Interests"),
    "notes": N_("Notes"),
}
HEADER_ALIASES: dict[str, list[str]] = {
    "name": ["姓名", "客户名称", "客户姓名", "名称", "name", "customer", "customer name"],
    "mobile": [
        "手机",
        "手机号",
        "手机号码",
        "电话",
        "联系电话",
        "联系方式",
        "mobile",
        "phone",
        "tel",
    ],
    "phone2": ["其他电话", "固定电话", "座机", "备用电话", "phone2", "other phone"],
    "id_number": [
        "身份证号",
        "身份证",
        "身份证号码",
        "证件号码",
        "证件号",
        "信用代码",
        "统一社会信用代码",
        "id_number",
        "id number",
        "id",
    ],
    "birthday": ["生日", "出生日期", "birthday", "date of birth"],
    "gender": ["性别", "gender", "sex"],
    "address": ["地址", "住址", "联系地址", "address"],
    "company": ["单位", "公司", "工作单位", "所在单位", "company", "employer"],
    "email": ["邮箱", "电子邮件", "email", "e-mail"],
    "customer_class": ["客户类别", "类别", "客户等级", "class", "customer_class"],
    "source": ["来源", "客户来源", "source"],
    "tags": ["标签", "tags"],
    "interests": ["兴趣", "爱好", "兴趣爱好", "interests"],
    "notes": ["备注", "说明", "notes", "remarks"],
}
_CLASS_WORDS = {
    "重要": "vip",
    "重要客户": "vip",
    "vip": "vip",
    "新客户": "new",
    "新": "new",
    "不满意": "dissatisfied",
    "不满意客户": "dissatisfied",
    "普通": "ordinary",
    "普通客户": "ordinary",
    "": "ordinary",
}
_GENDER_WORDS = {"男": "M", "m": "M", "male": "M", "女": "F", "f": "F", "female": "F"}


def guess_mapping(headers: list[str]) -> list[str]:
    """For each column, the field it feeds ('' for none), from its header name."""
    mapping = []
    used: set[str] = set()
    for header in headers:
        key = re.sub(r"\s+", " ", header.strip().lower())
        found = ""
        for name, aliases in HEADER_ALIASES.items():
            if name not in used and key in aliases:
                found = name
                break
        if found:
            used.add(found)
        mapping.append(found)
    return mapping


@dataclass
class ImportPlan:
    """A file read and its columns mapped; the clerk may change ``mapping`` before running."""

    path: Path
    table: Table
    mapping: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> ImportPlan:
        table = read_table(path)
        return cls(Path(path), table, guess_mapping(table.headers))

    def check(self) -> None:
        if "name" not in self.mapping:
            raise ValidationError.single(
                "mapping", _("No column is mapped to the customer's name.")
            )


def _date(text: str) -> dt.date:
    text = (
        text.strip()
        .replace("/", "-")
        .replace(".", "-")
        .replace("年", "-")
        .replace("月", "-")
        .rstrip("日")
    )
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        year, month, day = (int(part) for part in text.split("-")[:3])
        return dt.date(year, month, day)
    except (ValueError, TypeError):
        raise ValidationError.single(
            "birthday", _("“{value}” is not a date like 1990-05-01.").format(value=text)
        ) from None


def row_input(values: dict[str, str]) -> CustomerInput:
    """The CustomerInput a sheet row stands for (text interpreted; checks come later)."""
    data = CustomerInput(
        name=values.get("name", ""),
        mobile=values.get("mobile", ""),
        phone2=values.get("phone2", ""),
        id_number=values.get("id_number", ""),
        address=values.get("address", ""),
        company=values.get("company", ""),
        email=values.get("email", ""),
        source=values.get("source", ""),
        interests=values.get("interests", ""),
        notes=values.get("notes", ""),
        tags=[t for t in re.split(r"[,，、;；\s]+", values.get("tags", "")) if t],
    )
    word = values.get("customer_class", "").strip().lower()
    data.customer_class = _CLASS_WORDS.get(word, word if word in customers.CLASSES else "ordinary")
    data.gender = _GENDER_WORDS.get(values.get("gender", "").strip().lower(), "")
    if len(data.id_number.strip()) == 18 and not data.id_number.strip()[:17].isdigit():
        data.kind = "company"
    if values.get("birthday", "").strip():
        data.birthday = _date(values["birthday"])
    return data


def run_import(
    actor: Staff,
    plan: ImportPlan,
    skip_invalid: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> BulkResult:
    """Import the plan's rows: all or nothing unless ``skip_invalid``; duplicates are skipped.

    Row numbers in messages are the sheet's (the header is row 1).
    """
    plan.check()
    inputs: list[tuple[int, CustomerInput]] = []
    early_rejects: list[tuple[int, str]] = []
    total = len(plan.table.rows)
    for offset, cells in enumerate(plan.table.rows):
        number = offset + 2
        values = {
            name: cells[i] if i < len(cells) else "" for i, name in enumerate(plan.mapping) if name
        }
        try:
            inputs.append((number, row_input(values)))
        except ValidationError as exc:
            early_rejects.append((number, "; ".join(exc.errors.values())))
        if progress and offset % 2000 == 0:
            progress(offset, total * 2)
    step = (lambda done, _all: progress(total + done, total * 2)) if progress else None
    return customers.bulk_create(
        actor, inputs, skip_invalid=skip_invalid, progress=step, rejected=early_rejects
    )


def describe_result(result: BulkResult) -> list[str]:
    """Lines for a person: counts, then each rejected row with its reason."""
    lines = [
        _("Imported: {created}; duplicates skipped: {duplicates}; rejected: {rejected}").format(
            created=result.created, duplicates=result.duplicates, rejected=len(result.rejected)
        )
    ]
    lines += [
        _("Row {number}: {reason}").format(number=number, reason=reason)
        for number, reason in result.rejected
    ]
    return lines

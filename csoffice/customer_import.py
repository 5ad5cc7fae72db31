"""Importing customers from an office's own sheet (CSV, XLSX, XLS or ODS): header row and
column mapping found by themselves (the clerk may change both), rows checked by the archive's
own rules, all-or-nothing by default. Row numbers in messages are the sheet's own."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csoffice import customers
from csoffice.customers import BulkResult, CustomerInput, SheetCustomer
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Staff
from csoffice.errors import ValidationError
from csoffice.i18n import N_, _
from csoffice.sheet_import import (
    Preview,
    SheetPlan,
    check_length,
    damaged_message,
    damaged_number,
    map_headers,
    parse_date,
    phone_text,
    row_lines,
    text_of,
)
from csoffice.validation import (
    check_credit_code,
    parse_resident_id,
    resident_check_digit_ok,
    to_halfwidth,
)

# The fields a column can feed, with the header names office sheets use for them.
FIELDS: dict[str, str] = {
    "name": N_("Name"),
    "kind": N_("Type"),
    "mobile": N_("Mobile"),
    "phone2": N_("Other phone"),
    "id_type": N_("ID type"),
    "id_number": N_("ID number"),
    "credit_code": N_("Unified social credit code"),
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
    "responsible": N_("Responsible (管家 / 业务员)"),
    "status": N_("Status"),
}
HEADER_ALIASES: dict[str, list[str]] = {
    "name": [
        "姓名",
        "客户名称",
        "客户姓名",
        "客户",
        "业主姓名",
        "业主",
        "车主姓名",
        "车主",
        "会员姓名",
        "联系人",
        "名称",
        "name",
        "customer",
        "customer name",
    ],
    "kind": ["类型", "客户类型", "type", "kind"],
    "mobile": [
        "手机",
        "手机号",
        "手机号码",
        "移动电话",
        "电话",
        "电话号码",
        "联系电话",
        "联系方式",
        "mobile",
        "phone",
        "tel",
    ],
    "phone2": [
        "其他电话",
        "固定电话",
        "固话",
        "座机",
        "办公电话",
        "家庭电话",
        "备用电话",
        "phone2",
        "other phone",
    ],
    "id_type": ["证件类型", "id type", "id_type"],
    "id_number": [
        "身份证号",
        "身份证",
        "身份证号码",
        "证件号码",
        "证件号",
        "id_number",
        "id number",
        "id",
    ],
    "credit_code": [
        "统一社会信用代码",
        "社会信用代码",
        "信用代码",
        "税号",
        "纳税人识别号",
        "unified social credit code",
        "credit code",
    ],
    "birthday": ["生日", "出生日期", "出生年月日", "出生年月", "birthday", "date of birth"],
    "gender": ["性别", "gender", "sex"],
    "address": ["地址", "住址", "联系地址", "家庭住址", "房号", "address"],
    "company": ["单位", "公司", "工作单位", "所在单位", "公司名称", "company", "employer"],
    "email": ["邮箱", "电子邮件", "电子邮箱", "email", "e-mail"],
    "customer_class": ["客户类别", "类别", "客户等级", "客户级别", "class", "customer_class"],
    "source": ["来源", "客户来源", "source"],
    "tags": ["标签", "tags"],
    "interests": ["兴趣", "爱好", "兴趣爱好", "interests"],
    "notes": ["备注", "说明", "notes", "remarks"],
    "responsible": [
        "负责人",
        "管家",
        "专属管家",
        "一对一管家",
        "业务员",
        "客户经理",
        "专属顾问",
        "responsible",
        "housekeeper",
        "salesperson",
    ],
    "status": ["状态", "档案状态", "客户状态", "status"],
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
_KIND_WORDS = {"个人": "individual", "公司": "company", "企业": "company", "单位": "company"}
_ID_TYPE_WORDS = {"身份证": "resident_id", "居民身份证": "resident_id", "护照": "passport"}
_STATUS_WORDS = {
    "": "active",
    "正常": "active",
    "在用": "active",
    "归档": "archived",
    "已归档": "archived",
    "存档": "archived",
}
_PASSPORT = re.compile(r"[A-Z]{1,2}\d{7,8}")
_RESIDENT = re.compile(r"\d{17}[\dX]")
_ROUNDED = re.compile(r"\d{15}000")
_TAG_SPLIT = re.compile(r"[,，、;；\s]+")


def _compact(text: str) -> str:
    """An ID or code as stored: half-width, no spaces, capitals."""
    if not text:
        return ""
    if text.isascii():
        return "".join(text.split()).upper()
    return "".join(to_halfwidth(text).split()).upper()


def _label_words(labels: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    """Label → code for ``labels`` in English and in the language shown (our own exports)."""
    words = {key.lower(): code for key, code in extra.items()}
    for code, label in labels.items():
        words.setdefault(label.lower(), code)
        words.setdefault(_(label).lower(), code)
    return words


def aliases() -> dict[str, list[str]]:
    """Header names per field: the office words above and our own export's headers."""
    found = {name: list(words) for name, words in HEADER_ALIASES.items()}
    for name, title in customers.EXPORT_COLUMNS:
        if name in found:
            found[name] += [title, _(title)]
    return found


def guess_mapping(headers: list[str]) -> list[str]:
    """For each column, the field it feeds ('' for none), from its header name."""
    return map_headers(headers, aliases())


@dataclass
class ImportPlan(SheetPlan):
    """A customer sheet read, header found, columns mapped; see SheetPlan."""

    @classmethod
    def read(cls, path: Path, aliases_: dict[str, list[str]] | None = None) -> ImportPlan:
        return super().read(path, aliases_ or aliases())

    def check(self) -> None:
        if "name" not in self.mapping:
            raise ValidationError.single(
                "mapping", _("No column is mapped to the customer's name.")
            )


def _id_kind(number: str) -> str:
    """What an ID-number cell holds, told by its form: resident_id, credit_code, passport."""
    if _RESIDENT.fullmatch(number):
        if resident_check_digit_ok(number):
            return "resident_id"
        try:
            check_credit_code(number)
            return "credit_code"
        except ValidationError:
            return "resident_id"  # checked (and refused) as what it most likely is
    if len(number) == 18 and re.search(r"[A-Z]", number[:17]):
        return "credit_code"
    if _PASSPORT.fullmatch(number):
        return "passport"
    return "other" if number else ""


class _Words:
    """The label words of a run, built once (they depend on the language shown)."""

    def __init__(self) -> None:
        self.kind = _label_words(customers.KINDS, _KIND_WORDS)
        self.id_type = _label_words(customers.ID_TYPES, _ID_TYPE_WORDS)
        self.gender = _label_words(customers.GENDERS, _GENDER_WORDS)
        self.classes = _label_words(customers.CLASSES, _CLASS_WORDS)
        # A merged file is never exported, so a sheet cannot bring one back.
        statuses = {c: label for c, label in customers.STATUSES.items() if c != "merged"}
        self.status = _label_words(statuses, _STATUS_WORDS)
        self.staff = _staff_names()


def _staff_names() -> dict[str, int | None]:
    """Active staff by the display name the export writes and by user name; None for a name
    two of them share."""
    found: dict[str, int | None] = {}
    query = Staff.select(Staff.id, Staff.display_name, Staff.username)
    for staff_id, *names in tuples_of(query.where(Staff.active == True)):
        for name in {" ".join(str(n).split()).lower() for n in names if n}:
            found[name] = None if found.get(name, staff_id) != staff_id else staff_id
    return found


def row_input(values: dict[str, Any], words: _Words | None = None) -> SheetCustomer:
    """The customer a sheet row stands for (cells interpreted; checks come later)."""
    # Run once per row of a 100,000-row sheet: only the fields the sheet maps are looked at.
    words = words or _Words()
    text = {name: text_of(value) for name, value in values.items()}
    check_length(text)
    data = SheetCustomer(name=text.get("name", ""))
    errors: dict[str, str] = {}
    for name in _TEXT_FIELDS.intersection(text):
        setattr(data, name, text[name])
    for name in _PHONE_FIELDS.intersection(values):
        setattr(data, name, phone_text(values[name]))
    if text.get("tags"):
        data.tags = [t for t in _TAG_SPLIT.split(text["tags"]) if t]
    if "customer_class" in text:
        word = text["customer_class"].lower()
        data.customer_class = words.classes.get(
            word, word if word in customers.CLASSES else "ordinary"
        )
    if "gender" in text:
        data.gender = words.gender.get(text["gender"].lower(), "")
    if "status" in text:
        status = words.status.get(text["status"].lower())
        if status is None:
            shown = {code: _(label) for code, label in customers.STATUSES.items()}
            errors["status"] = _("“{value}” is not a status; write {active} or {archived}.").format(
                value=text["status"], active=shown["active"], archived=shown["archived"]
            )
        data.status = status or "active"
    if text.get("responsible"):
        _responsible(data, text["responsible"], words, errors)
    if text.get("id_number") or text.get("credit_code") or "kind" in text:
        _identity(data, values, text, words, errors)
    if "birthday" in values:
        try:
            data.birthday = parse_date(values["birthday"], "birthday")
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    return data


_TEXT_FIELDS = frozenset(("address", "company", "email", "source", "interests", "notes"))
_PHONE_FIELDS = frozenset(("mobile", "phone2"))


def _responsible(data: SheetCustomer, shown: str, words: _Words, errors: dict[str, str]) -> None:
    """The staff member a row's responsible column names, by name."""
    name = " ".join(shown.split()).lower()
    data.responsible_id = words.staff.get(name)
    if name not in words.staff:
        data.responsible_unknown = shown
    elif data.responsible_id is None:
        errors["responsible_id"] = _(
            "Several staff members are called “{name}”; choose one in the file."
        ).format(name=shown)


def _identity(
    data: SheetCustomer,
    values: dict[str, Any],
    text: dict[str, str],
    words: _Words,
    errors: dict[str, str],
) -> None:
    """Kind, ID type and number of a row: a credit code column makes a company; an ID number
    is read by its form unless the sheet says its type; numbers Excel damaged are refused."""
    for name in ("id_number", "credit_code"):
        if values.get(name) and damaged_number(values[name]):
            errors[name] = damaged_message()
    number = _compact(text.get("id_number", ""))
    credit = _compact(text.get("credit_code", ""))
    kind = words.kind.get(text.get("kind", "").lower(), "")
    id_type = words.id_type.get(text.get("id_type", "").lower(), "")
    if credit:
        # A company's code in its own column is never checked as a resident ID.
        kind, id_type, number = "company", "credit_code", credit
    elif number and not id_type:
        id_type = _id_kind(number)
        if id_type == "credit_code":
            kind = kind or "company"
    if (
        id_type == "resident_id"
        and number.endswith("000")
        and _ROUNDED.fullmatch(number)
        and "id_number" not in errors
    ):
        try:
            parse_resident_id(number)
        except ValidationError:
            errors["id_number"] = damaged_message()
    data.kind = kind or ("company" if id_type == "credit_code" else "individual")
    data.id_type, data.id_number = (id_type if number else ""), number


def read_rows(
    plan: ImportPlan, result: BulkResult, consume: bool = False
) -> Iterator[tuple[int, CustomerInput]]:
    """The plan's rows as inputs, one at a time; rows skipped (totals, signatures, notes) and
    rejected so far are added to ``result`` with their sheet row numbers."""
    plan.check()
    words = _Words()
    for number, values in plan.rows(consume):
        if values is None:
            result.skipped.append((number, _("not a customer (totals, signature or note row)")))
            continue
        try:
            data = row_input(values, words)
        except ValidationError as exc:
            result.rejected.append((number, "; ".join(exc.errors.values())))
            continue
        if data.responsible_unknown:
            result.notes.append((number, unknown_responsible(data.responsible_unknown)))
        yield number, data


def unknown_responsible(name: str) -> str:
    return _(
        "no active staff member is called “{name}”: the file is imported without a "
        "responsible person (add them as staff and set it in the file)"
    ).format(name=name)


def prepare(plan: ImportPlan) -> tuple[list[tuple[int, CustomerInput]], BulkResult]:
    """Every row of the plan read: the inputs to create, and the rows skipped and rejected."""
    result = BulkResult()
    return list(read_rows(plan, result)), result


def run_import(
    actor: Staff,
    plan: ImportPlan,
    skip_invalid: bool = False,
    progress: Callable[[int, int], None] | None = None,
    consume: bool = False,
) -> BulkResult:
    """Import the plan's rows: all or nothing unless ``skip_invalid``; duplicates are skipped.
    The whole sheet is read and checked first; then one short transaction writes it.
    ``consume``: let the sheet's rows go as they are read (see SheetPlan.rows)."""
    plan.check()
    early = BulkResult()
    total = max(1, plan.data_count)
    if progress:
        progress(0, total)
    result = customers.bulk_create(
        actor,
        read_rows(plan, early, consume),
        skip_invalid=skip_invalid,
        progress=(lambda done, _all: progress(done, total)) if progress else None,
        rejected=early.rejected,
    )
    result.skipped = early.skipped
    refused = {number for number, _reason in result.rejected}
    result.notes = [(n, why) for n, why in early.notes if n not in refused]
    return result


def preview(plan: ImportPlan) -> Preview:
    """Count what ``plan`` would import, skip and reject, writing nothing."""
    inputs, early = prepare(plan)
    rejected = list(early.rejected)
    seen: set[str] = set()
    duplicates = 0
    candidates: list[set[str]] = []
    area_code, staff = customers.settings.area_code(), customers.active_staff()
    for number, data in inputs:
        try:
            values = customers.clean(data, area_code=area_code, active_staff=staff)
        except ValidationError as exc:
            rejected.append((number, "; ".join(exc.errors.values())))
            continue
        marks = customers.duplicate_marks(values, customers.is_archived(data))
        if not marks.isdisjoint(seen):
            duplicates += 1
            continue
        seen |= marks
        candidates.append(marks)
    existing = customers.existing_marks(seen)
    on_file = sum(1 for marks in candidates if not marks.isdisjoint(existing))
    fresh, duplicates = len(candidates) - on_file, duplicates + on_file
    rejected.sort()
    refused = {number for number, _reason in rejected}
    notes = [(n, why) for n, why in early.notes if n not in refused]
    return Preview(fresh, duplicates, early.skipped, rejected, notes)


def describe_result(result: BulkResult) -> list[str]:
    """Lines for a person: counts, then each rejected and skipped row with its reason."""
    lines = [
        _(
            "Imported: {created}; duplicates skipped: {duplicates}; rejected: {rejected}; other rows skipped: {skipped}"
        ).format(
            created=result.created,
            duplicates=result.duplicates,
            rejected=len(result.rejected),
            skipped=len(result.skipped),
        )
    ]
    return lines + row_lines(result.rejected, result.skipped) + row_lines(result.notes)

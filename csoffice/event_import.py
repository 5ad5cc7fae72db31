"""Service events in bulk (`import events FILE`, Import ▸ Service records): the lists of
deliveries, repairs and handovers other departments hand over, read with the same header rules
as the customer import. Each row is matched to a customer by phone, then ID number, then exact
name; imported events schedule their return visits by the office's rules. Importing the same
file twice adds nothing; all or nothing unless ``skip_invalid``."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csoffice import audit, auth, customers, service_events, settings, visits
from csoffice.changes import Change
from csoffice.customer_history import SERVICE_KINDS
from csoffice.db.database import db, emit_after_commit
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Customer, ServiceEvent, Staff, now
from csoffice.errors import ValidationError
from csoffice.i18n import N_, _
from csoffice.sheet_import import (
    Preview,
    SheetPlan,
    check_length,
    damaged_message,
    damaged_number,
    parse_date,
    phone_text,
    row_lines,
    text_of,
)
from csoffice.validation import normalize_phone, phone_number, to_halfwidth

FIELDS: dict[str, str] = {
    "name": N_("Customer"),
    "mobile": N_("Mobile"),
    "id_number": N_("ID number"),
    "kind": N_("Kind"),
    "date": N_("Date"),
    "product": N_("Product or model"),
    "plate": N_("Plate number"),
    "vin": N_("VIN"),
    "amount": N_("Amount"),
    "handled_by": N_("Salesperson or technician"),
    "note": N_("Note"),
    "remind_on": N_("Next reminder"),
}
HEADER_ALIASES: dict[str, list[str]] = {
    "name": [
        "客户姓名",
        "姓名",
        "客户",
        "客户名称",
        "车主",
        "车主姓名",
        "业主",
        "业主姓名",
        "购买人",
        "送修人",
        "customer",
        "name",
    ],
    "mobile": ["手机", "手机号", "手机号码", "电话", "联系电话", "联系方式", "mobile", "phone"],
    "id_number": ["身份证号", "身份证", "身份证号码", "证件号码", "证件号", "id number"],
    "kind": [
        "类型",
        "业务类型",
        "服务类型",
        "事项",
        "业务",
        "项目类型",
        "类别",
        "服务项目",
        "kind",
        "type",
    ],
    "date": [
        "日期",
        "交车日期",
        "交付日期",
        "提车日期",
        "购买日期",
        "购车日期",
        "维修日期",
        "进厂日期",
        "保养日期",
        "服务日期",
        "办理日期",
        "交房日期",
        "开票日期",
        "发生日期",
        "date",
    ],
    "product": ["车型", "产品", "产品型号", "型号", "商品", "商品名称", "房号", "product", "model"],
    "plate": ["车牌", "车牌号", "车牌号码", "plate"],
    "vin": ["vin", "vin码", "车架号", "底盘号", "车辆识别代号"],
    "amount": ["金额", "费用", "价格", "维修金额", "成交价", "amount"],
    "handled_by": [
        "销售顾问",
        "销售员",
        "业务员",
        "技师",
        "维修技师",
        "服务顾问",
        "经办人",
        "salesperson",
        "technician",
    ],
    "note": ["备注", "说明", "内容", "维修内容", "note", "notes"],
    "remind_on": ["下次保养", "下次保养日期", "提醒日期", "到期日", "到期日期", "保险到期"],
}
# The sheet's words for an event, most specific first (a 事故维修 is a repair, 首保 maintenance).
_KIND_WORDS: list[tuple[str, str]] = [
    ("交房", "handover"),
    ("收房", "handover"),
    ("交车", "delivery"),
    ("交付", "delivery"),
    ("提车", "delivery"),
    ("年审", "inspection"),
    ("年检", "inspection"),
    ("续保", "insurance"),
    ("保险", "insurance"),
    ("保养", "maintenance"),
    ("首保", "maintenance"),
    ("定保", "maintenance"),
    ("维护", "maintenance"),
    ("维修", "repair"),
    ("修理", "repair"),
    ("返修", "repair"),
    ("报修", "repair"),
    ("钣喷", "repair"),
    ("购买", "purchase"),
    ("购车", "purchase"),
    ("购房", "purchase"),
    ("销售", "purchase"),
    ("签约", "purchase"),
    ("成交", "purchase"),
]


def kind_of(text: str) -> str:
    """The event kind a sheet's word stands for ('' when none): codes, English and Chinese
    labels, and the words offices use (交车, 首保, 事故维修, 交房…)."""
    word = unicodedata.normalize("NFKC", text).strip().lower()
    if not word:
        return ""
    for code, label in SERVICE_KINDS.items():
        if word in (code, label.lower(), _(label).lower()):
            return code
    for key, code in _KIND_WORDS:
        if key in word:
            return code
    return ""


@dataclass
class EventPlan(SheetPlan):
    """A list of service events read and mapped; see SheetPlan."""

    @classmethod
    def read(cls, path: Path, aliases: dict[str, list[str]] | None = None) -> EventPlan:
        return super().read(path, aliases or HEADER_ALIASES)

    def check(self) -> None:
        missing = [_(FIELDS[name]) for name in ("kind", "date") if name not in self.mapping]
        if not any(name in self.mapping for name in ("name", "mobile", "id_number")):
            missing.insert(0, _("Customer"))
        if missing:
            raise ValidationError.single(
                "mapping",
                _("No column is mapped to: {fields}.").format(fields=", ".join(missing)),
            )


@dataclass
class EventResult:
    """What an event import did (or, when rejected, would have done)."""

    created: int = 0
    duplicates: int = 0
    customers_created: int = 0
    visits_scheduled: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


class EventsRejected(ValidationError):
    """Rows were invalid; nothing was written. ``result.rejected`` lists them."""

    def __init__(self, result: EventResult):
        super().__init__(
            {
                "rows": _("{n} rows are invalid; nothing was imported.").format(
                    n=len(result.rejected)
                )
            }
        )
        self.result = result


@dataclass
class _Row:
    number: int
    who: dict[str, str]  # name, mobile, id_number as found in the sheet
    values: dict[str, Any]  # ServiceEvent columns
    customer_id: int | None = None
    new_key: str = ""


def _who(values: dict[str, Any], area_code: str) -> dict[str, str]:
    if damaged_number(values.get("id_number", "")):
        raise ValidationError.single("id_number", damaged_message())
    raw_phone = phone_text(values.get("mobile", ""))
    phone = ""
    if raw_phone:
        phone = phone_number(normalize_phone(raw_phone), area_code) or ""
        if not phone:
            raise ValidationError.single(
                "mobile", _("“{value}” is not a valid phone number.").format(value=raw_phone)
            )
    return {
        "name": " ".join(text_of(values.get("name", "")).split()),
        "mobile": phone,
        "id_number": "".join(to_halfwidth(text_of(values.get("id_number", ""))).split()).upper(),
    }


def _event_values(values: dict[str, Any], today: dt.date) -> dict[str, Any]:
    text = {name: text_of(value) for name, value in values.items()}
    check_length(text)
    errors: dict[str, str] = {}
    kind = kind_of(text.get("kind", ""))
    if not kind:
        errors["kind"] = _("“{value}” is not a kind of service event ({kinds}).").format(
            value=text.get("kind", ""),
            kinds="、".join(_(label) for label in SERVICE_KINDS.values()),
        )
    dates: dict[str, dt.date | None] = {}
    for name in ("date", "remind_on"):
        try:
            dates[name] = parse_date(values.get(name, ""), name)
        except ValidationError as exc:
            errors.update(exc.errors)
    if not errors.get("date") and dates.get("date") is None:
        errors["date"] = _("Enter the date.")
    product = " ".join(
        part
        for part in (text.get("product", ""), text.get("plate", ""), text.get("vin", ""))
        if part
    )
    amount = values.get("amount", "")
    if isinstance(amount, float):
        amount = f"{amount:.2f}"
    data = service_events.ServiceEventInput(
        kind=kind or "purchase",
        date=dates.get("date"),
        product=product,
        amount=text_of(amount).replace("元", ""),
        note=text.get("note", ""),
        remind_on=dates.get("remind_on"),
    )
    try:
        cleaned = service_events.clean(data, today)
    except ValidationError as exc:
        errors.update(exc.errors)
        cleaned = {}
    if errors:
        raise ValidationError(errors)
    cleaned["handled_by"] = " ".join(text.get("handled_by", "").split())[:60]
    return cleaned


def _lookup(column: Any, keys: set[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), 500):
        query = Customer.select(Customer.id, column).where(
            Customer.status == "active", column.in_(ordered[start : start + 500])
        )
        for customer_id, key in tuples_of(query):
            found.setdefault(key, []).append(customer_id)
    return found


def _match(rows: list[_Row]) -> None:
    """Set each row's customer: by phone, then ID number, then exact name (when only one
    active customer has it)."""
    phones = {r.who["mobile"] for r in rows if r.who["mobile"]}
    by_phone = _lookup(Customer.mobile, phones)
    for key, ids in _lookup(Customer.phone2, phones).items():
        by_phone.setdefault(key, []).extend(ids)
    by_id = _lookup(Customer.id_number, {r.who["id_number"] for r in rows if r.who["id_number"]})
    by_name = _lookup(Customer.name, {r.who["name"] for r in rows if r.who["name"]})
    for row in rows:
        for table, key in (
            (by_phone, row.who["mobile"]),
            (by_id, row.who["id_number"]),
            (by_name, row.who["name"]),
        ):
            ids = sorted(set(table.get(key, []))) if key else []
            if len(ids) == 1:
                row.customer_id = ids[0]
                break
            if len(ids) > 1 and table is by_name:
                row.new_key = "ambiguous"


def prepare(plan: EventPlan, today: dt.date | None = None) -> tuple[list[_Row], EventResult]:
    """Read and check every row and match its customer, writing nothing."""
    plan.check()
    today = today or dt.date.today()
    area_code = settings.area_code()
    result = EventResult()
    rows: list[_Row] = []
    for number, values in plan.rows():
        if values is None:
            result.skipped.append((number, _("not an event (totals, signature or note row)")))
            continue
        try:
            errors: dict[str, str] = {}
            who: dict[str, str] = {}
            try:
                who = _who(values, area_code)
            except ValidationError as exc:
                errors.update(exc.errors)
            try:
                event = _event_values(values, today)
            except ValidationError as exc:
                errors.update(exc.errors)
            if errors:
                raise ValidationError(errors)
            if not any(who.values()):
                raise ValidationError.single("name", _("The row names no customer."))
            rows.append(_Row(number, who, event))
        except ValidationError as exc:
            result.rejected.append((number, "; ".join(exc.errors.values())))
    _match(rows)
    return rows, result


def _unmatched_reason(row: _Row) -> str:
    if row.new_key == "ambiguous":
        return _(
            "several customers are named “{name}”; add the phone or ID number to tell them apart"
        ).format(name=row.who["name"])
    who = row.who["name"] or row.who["mobile"] or row.who["id_number"]
    return _(
        "no customer “{who}” in the archive (let the import open files for new customers: --create-customers)"
    ).format(who=who)


def _resolve(
    rows: list[_Row], result: EventResult, create_customers: bool
) -> dict[str, customers.CustomerInput]:
    """Reject the rows whose customer is not on file, or (``create_customers``) plan a new
    file for each such customer once; returns those by their key."""
    new_customers: dict[str, customers.CustomerInput] = {}
    area_code = settings.area_code()
    for row in rows:
        if row.customer_id is not None:
            continue
        if create_customers and row.new_key != "ambiguous" and row.who["name"]:
            row.new_key = row.who["mobile"] or row.who["id_number"] or "name:" + row.who["name"]
            if row.new_key not in new_customers:
                data = customers.CustomerInput(
                    name=row.who["name"], mobile=row.who["mobile"], id_number=row.who["id_number"]
                )
                try:
                    customers.clean(data, area_code=area_code)
                except ValidationError as exc:
                    result.rejected.append((row.number, "; ".join(exc.errors.values())))
                    row.new_key = "invalid"
                    continue
                new_customers[row.new_key] = data
        else:
            result.rejected.append((row.number, _unmatched_reason(row)))
            row.new_key = "invalid"
    result.rejected.sort()
    return new_customers


def preview(plan: EventPlan, create_customers: bool = False) -> Preview:
    """Count what ``plan`` would import, skip and reject, writing nothing."""
    rows, result = prepare(plan)
    _resolve(rows, result, create_customers)
    rows = [row for row in rows if row.new_key != "invalid"]
    existing = _existing_events({r.customer_id for r in rows if r.customer_id is not None})
    fresh = duplicates = 0
    for row in rows:
        key = _event_key(row.customer_id, row.values) if row.customer_id else None
        if key is not None and key in existing:
            duplicates += 1
        else:
            fresh += 1
            if key is not None:
                existing.add(key)
    return Preview(fresh, duplicates, result.skipped, result.rejected)


def run_import(
    actor: Staff,
    plan: EventPlan,
    skip_invalid: bool = False,
    create_customers: bool = False,
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | None = None,
) -> EventResult:
    """Import the plan's events. Everything is read, checked and matched first; then one
    short transaction writes the new customers and events; then the rules schedule calls."""
    auth.require(actor, "edit")
    today = today or dt.date.today()
    rows, result = prepare(plan, today)
    new_customers = _resolve(rows, result, create_customers)
    if result.rejected and not skip_invalid:
        raise EventsRejected(result)
    rows = [row for row in rows if row.new_key != "invalid"]
    total = max(1, len(rows))
    if progress:
        progress(0, total)
    with db.atomic():
        wanted = {row.new_key for row in rows}
        opening = [(key, data) for key, data in new_customers.items() if key in wanted]
        new_ids = customers.create_many(actor, [data for _key, data in opening])
        created_ids = {key: new_id for (key, _data), new_id in zip(opening, new_ids, strict=True)}
        result.customers_created = len(created_ids)
        placed: list[tuple[int, _Row]] = []  # every row with its customer, found or created
        for row in rows:
            if row.customer_id is None:
                row.customer_id = created_ids[row.new_key]
            placed.append((row.customer_id, row))
        existing = _existing_events({customer_id for customer_id, _row in placed})
        stamp = now()
        batch = []
        for customer_id, row in placed:
            key = _event_key(customer_id, row.values)
            if key in existing:
                result.duplicates += 1
                continue
            existing.add(key)
            batch.append(
                dict(
                    row.values,
                    customer=customer_id,
                    created_by=actor.id,
                    updated_by=actor.id,
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
        for start in range(0, len(batch), 500):
            ServiceEvent.insert_many(batch[start : start + 500]).execute()
            if progress:
                progress(min(total, start + 500), total)
        result.created = len(batch)
        if batch:
            emit_after_commit(Change.SERVICE_EVENT)
        audit.record(
            actor,
            "import",
            "service_event",
            None,
            summary=_("{created} service events imported from {file}").format(
                created=result.created, file=plan.path.name
            ),
        )
    if result.created:
        result.visits_scheduled = visits.schedule_due_visits(actor, today)
    return result


def _event_key(customer_id: int, values: dict[str, Any]) -> tuple:
    return (customer_id, values["kind"], values["date"], values["product"])


def _existing_events(customer_ids: set[int]) -> set[tuple]:
    found: set[tuple] = set()
    ordered = sorted(customer_ids)
    for start in range(0, len(ordered), 500):
        query = ServiceEvent.select(
            ServiceEvent.customer, ServiceEvent.kind, ServiceEvent.date, ServiceEvent.product
        ).where(
            ServiceEvent.status == "active", ServiceEvent.customer.in_(ordered[start : start + 500])
        )
        for customer_id, kind, date, product in tuples_of(query):
            if isinstance(date, str):
                date = dt.date.fromisoformat(date)
            found.add((customer_id, kind, date, product))
    return found


def describe_result(result: EventResult) -> list[str]:
    """Lines for a person: counts, then each rejected and skipped row with its reason."""
    lines = [
        _(
            "Events imported: {created}; already on file: {duplicates}; new customers: {customers}; return visits scheduled: {visits}; rejected: {rejected}; other rows skipped: {skipped}"
        ).format(
            created=result.created,
            duplicates=result.duplicates,
            customers=result.customers_created,
            visits=result.visits_scheduled,
            rejected=len(result.rejected),
            skipped=len(result.skipped),
        )
    ]
    return lines + row_lines(result.rejected, result.skipped)

"""The customer archive (客户档案): create, update, search, archive, merge, and a file's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from operator import itemgetter
from typing import Any

from peewee import JOIN, Field, Model

from csoffice import audit, auth, settings
from csoffice.changes import Change
from csoffice.db import models as m
from csoffice.db import search
from csoffice.db.bulk import deferred_indexes, insert_returning_ids, insert_rows
from csoffice.db.database import db, emit_after_commit, is_sqlite
from csoffice.db.lookup import get_or_not_found, in_id_order, tuples_of
from csoffice.db.models import (
    Customer,
    CustomerDocument,
    CustomerTag,
    EventAttendance,
    MemberCard,
    Staff,
    now,
)
from csoffice.db.search_pages import (
    CustomerPages,
    KeySource,
    SortedSource,
    WalkSource,
    plain_if,
)
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import N_, _
from csoffice.pinyin import full_and_initials
from csoffice.validation import (
    check_credit_code,
    check_email,
    check_phone,
    clean_text,
    parse_resident_id,
    to_halfwidth,
)

KINDS = {"individual": N_("Individual"), "company": N_("Company")}
CLASSES = {
    "vip": N_("Key / VIP"),
    "new": N_("New customer"),
    "dissatisfied": N_("Dissatisfied"),
    "ordinary": N_("Ordinary"),
}
ID_TYPES = {
    "": N_("None"),
    "resident_id": N_("Resident ID"),
    "credit_code": N_("Unified social credit code"),
    "passport": N_("Passport"),
    "other": N_("Other"),
}
GENDERS = {"": N_("Not given"), "M": N_("Male"), "F": N_("Female")}
SOURCES = [
    N_("Walk-in"),
    N_("Referral"),
    N_("Phone"),
    N_("Online"),
    N_("Event"),
    N_("Secondary outlet"),
    N_("Other"),
]


def responsible_choices() -> list[tuple[int, str]]:
    """Who may answer for a customer (管家 / 业务员): every active staff member, as (id, name)."""
    query = Staff.select(Staff.id, Staff.display_name).where(Staff.active == True)
    return [(row.id, row.display_name) for row in query.order_by(Staff.display_name)]


_MAX = {
    "name": 100,
    "address": 200,
    "company": 120,
    "source": 40,
    "interests": 200,
    "notes": 4000,
    "email": 120,
}


@dataclass
class CustomerInput:
    """What the form or an importer hands in; everything is text as typed except the birthday."""

    name: str = ""
    kind: str = "individual"
    mobile: str = ""
    phone2: str = ""
    id_type: str = ""
    id_number: str = ""
    gender: str = ""
    birthday: dt.date | None = None
    email: str = ""
    address: str = ""
    company: str = ""
    customer_class: str = "ordinary"
    source: str = ""
    tags: list[str] = field(default_factory=list)
    interests: str = ""
    notes: str = ""
    responsible_id: int | None = None  # the housekeeper / salesperson (管家 / 业务员)


class DuplicateCustomer(ValidationError):
    """The phone or ID number already belongs to a customer; ``existing_id`` is that file."""

    def __init__(self, errors: dict[str, str], existing_id: int):
        super().__init__(errors)
        self.existing_id = existing_id


def clean(
    data: CustomerInput, today: dt.date | None = None, area_code: str | None = None
) -> dict[str, Any]:
    """Validate and normalise ``data``; raises ValidationError with every field's problem.
    ``area_code``: the office's own (read from the settings when None)."""
    if area_code is None:
        area_code = settings.area_code()
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in ("name", "address", "company", "source", "interests", "notes"):
        value = clean_text(getattr(data, name), multiline=name == "notes")
        if len(value) > _MAX[name]:
            errors[name] = _("At most {n} characters.").format(n=_MAX[name])
        out[name] = value
    if not out["name"]:
        errors["name"] = _("Enter the customer's name.")
    out["kind"] = data.kind if data.kind in KINDS else "individual"
    if data.customer_class not in CLASSES:
        errors["customer_class"] = _("Choose a class from the list.")
    out["customer_class"] = data.customer_class
    for name in ("mobile", "phone2"):
        try:
            out[name] = check_phone(getattr(data, name), field=name, area_code=area_code)
        except ValidationError as exc:
            errors.update(exc.errors)
    try:
        out["email"] = check_email(data.email)
    except ValidationError as exc:
        errors.update(exc.errors)
    out["gender"] = data.gender if data.gender in GENDERS else ""
    out["birthday"] = data.birthday
    if data.birthday is not None and data.birthday > (today or dt.date.today()):
        errors["birthday"] = _("The birthday cannot be in the future.")
    id_type = data.id_type if data.id_type in ID_TYPES else "other"
    number = "".join(to_halfwidth(data.id_number or "").split()).upper()
    if number and not data.id_type:
        id_type = "credit_code" if out["kind"] == "company" else "resident_id"
    out["id_type"], out["id_number"] = (id_type if number else ""), number
    try:
        if number and id_type == "resident_id":
            parsed = parse_resident_id(number, today=today)
            out["birthday"] = out["birthday"] or parsed.birthday
            out["gender"] = out["gender"] or parsed.gender
            if data.birthday and data.birthday != parsed.birthday:
                errors["birthday"] = _(
                    "The birthday differs from the one in the resident ID ({date})."
                ).format(date=parsed.birthday.isoformat())
        elif number and id_type == "credit_code":
            out["id_number"] = check_credit_code(number)
        elif number and len(number) > 40:
            errors["id_number"] = _("At most {n} characters.").format(n=40)
    except ValidationError as exc:
        errors.update(exc.errors)
    tags = []
    for tag in data.tags:
        tag = clean_text(tag)[:40]
        if tag and tag not in tags:
            tags.append(tag)
    out["tags"] = tags
    out["responsible"] = data.responsible_id
    if (
        data.responsible_id is not None
        and not Staff.select().where(Staff.id == data.responsible_id, Staff.active == True).exists()
    ):
        errors["responsible_id"] = _("Choose a staff member from the list.")
    if errors:
        raise ValidationError(errors)
    return out


def _derived(values: dict[str, Any]) -> dict[str, Any]:
    """Columns computed from what was typed: pinyin for search, the tag list as text."""
    fulls, initials = full_and_initials(values["name"])
    row = dict(values)
    row["name_pinyin"] = " ".join(fulls)[:400]
    row["name_initials"] = " ".join(initials)[:100]
    row["tags"] = ",".join(values["tags"])
    return row


def find_duplicate(
    values: dict[str, Any], exclude_id: int | None = None
) -> tuple[str, Customer] | None:
    """An active customer with the same phone or ID number, and the field that matched."""
    checks = []
    for name in ("mobile", "phone2"):
        if values.get(name):
            phone = values[name]
            checks.append((name, (Customer.mobile == phone) | (Customer.phone2 == phone)))
    if values.get("id_number"):
        checks.append(("id_number", Customer.id_number == values["id_number"]))
    for name, condition in checks:
        query = Customer.select().where(condition, Customer.status == "active")
        if exclude_id is not None:
            query = query.where(Customer.id != exclude_id)
        existing = query.first()
        if existing is not None:
            return name, existing
    return None


def _raise_duplicate(found: tuple[str, Customer]) -> None:
    name, existing = found
    what = _("phone number") if name != "id_number" else _("ID number")
    raise DuplicateCustomer(
        {
            name: _("This {what} belongs to {customer} already.").format(
                what=what, customer=existing.name
            )
        },
        existing.id,
    )


def _write_tags(customer: Customer, tags: list[str]) -> None:
    CustomerTag.delete().where(CustomerTag.customer == customer).execute()
    if tags:
        CustomerTag.insert_many(
            [(customer.id, tag) for tag in tags], fields=[CustomerTag.customer, CustomerTag.tag]
        ).execute()


AUDITED_FIELDS = [
    "kind",
    "name",
    "mobile",
    "phone2",
    "id_type",
    "id_number",
    "gender",
    "birthday",
    "email",
    "address",
    "company",
    "customer_class",
    "source",
    "tags",
    "interests",
    "notes",
    "responsible",
]


def create(actor: Staff, data: CustomerInput, allow_duplicate: bool = False) -> Customer:
    """Open a new customer file. A phone or ID number already on file raises DuplicateCustomer."""
    auth.require(actor, "edit")
    values = clean(data)
    with db.atomic():
        if not allow_duplicate and (found := find_duplicate(values)):
            _raise_duplicate(found)
        row = _derived(values)
        customer = Customer.create(**row, created_by=actor, updated_by=actor)
        _write_tags(customer, values["tags"])
        search.index_customer(customer)
        audit.record(actor, "create", "customer", customer.id, summary=customer.name)
    emit_after_commit(Change.CUSTOMER)
    return customer


def update(actor: Staff, customer_id: int, data: CustomerInput, version: int) -> Customer:
    """Save changes to a file read at ``version``; refused if someone saved it since."""
    auth.require(actor, "edit")
    values = clean(data)
    with db.atomic():
        customer = get(customer_id)
        if customer.version != version:
            who = customer.updated_by.display_name if customer.updated_by else "?"
            raise Conflict(
                _(
                    "This file was changed by {name} at {time}; reload it and make your change again."
                ).format(name=who, time=customer.updated_at.strftime("%H:%M"))
            )
        if found := find_duplicate(values, exclude_id=customer_id):
            _raise_duplicate(found)
        before = audit.snapshot(customer, AUDITED_FIELDS)
        previous_keys = search.keys_for(customer)
        row = _derived(values)
        for name, value in row.items():
            setattr(customer, name, value)
        customer.updated_by = actor
        customer.version = version + 1
        changed = (
            Customer.update(**row, updated_by=actor, version=version + 1, updated_at=now())
            .where(Customer.id == customer_id, Customer.version == version)
            .execute()
        )
        if changed != 1:
            raise Conflict(
                _("This file was changed by someone else; reload it and make your change again.")
            )
        _write_tags(customer, values["tags"])
        search.index_customer(customer, previous_keys)
        changes = audit.diff(before, audit.snapshot(customer, AUDITED_FIELDS))
        audit.record(
            actor, "update", "customer", customer.id, summary=customer.name, changes=changes
        )
    emit_after_commit(Change.CUSTOMER)
    return customer


def get(customer_id: int) -> Customer:
    return get_or_not_found(
        Customer,
        _("No customer with number {id}.").format(id=customer_id),
        Customer.id == customer_id,
    )


def to_input(customer: Customer) -> CustomerInput:
    """The form's view of a stored file."""
    values = {f.name: getattr(customer, f.name) for f in fields(CustomerInput) if f.name != "tags"}
    return CustomerInput(**values, tags=[t for t in customer.tags.split(",") if t])


def archive(actor: Staff, customer_id: int, reason: str = "") -> Customer:
    """Hide a file from search without deleting anything (manager only)."""
    auth.require(actor, "archive_customer")
    with db.atomic():
        customer = get(customer_id)
        if customer.status != "active":
            raise Conflict(_("This file is not active."))
        Customer.update(
            status="archived",
            archived_at=now(),
            updated_by=actor,
            updated_at=now(),
            version=Customer.version + 1,
        ).where(Customer.id == customer_id).execute()
        audit.record(actor, "archive", "customer", customer_id, summary=reason or customer.name)
    emit_after_commit(Change.CUSTOMER)
    return get(customer_id)


def restore(actor: Staff, customer_id: int) -> Customer:
    auth.require(actor, "archive_customer")
    with db.atomic():
        customer = get(customer_id)
        if customer.status != "archived":
            raise Conflict(_("Only an archived file can be restored."))
        Customer.update(
            status="active",
            archived_at=None,
            updated_by=actor,
            updated_at=now(),
            version=Customer.version + 1,
        ).where(Customer.id == customer_id).execute()
        audit.record(actor, "restore", "customer", customer_id, summary=customer.name)
    emit_after_commit(Change.CUSTOMER)
    return get(customer_id)


# What a merge moves to the kept file, as the lists that show it hear of it.
_MOVED_BY_MERGE = (
    Change.SERVICE_EVENT,
    Change.RECEPTION,
    Change.COMPLAINT,
    Change.CARD,
    Change.VISIT,
    Change.GREETING,
    Change.REFERRAL,
)


# Every table whose rows hang on a customer; merging moves them to the file kept.
def _customer_links() -> list[tuple[type[Model], Field]]:
    return [
        (m.ServiceEvent, m.ServiceEvent.customer),
        (m.Reception, m.Reception.customer),
        (m.Complaint, m.Complaint.customer),
        (m.MemberCard, m.MemberCard.customer),
        (m.ReturnVisit, m.ReturnVisit.customer),
        (m.Attachment, m.Attachment.customer),
        (m.Greeting, m.Greeting.customer),
        (m.Referral, m.Referral.referrer),
    ]


def merge(actor: Staff, keep_id: int, other_id: int) -> Customer:
    """Move all of ``other``'s history to ``keep`` and mark ``other`` as merged (manager only)."""
    auth.require(actor, "merge_customers")
    if keep_id == other_id:
        raise ValidationError.single("other", _("Choose two different files to merge."))
    with db.atomic():
        keep, other = get(keep_id), get(other_id)
        if keep.status != "active" or other.status != "active":
            raise Conflict(_("Only active files can be merged."))
        if (
            MemberCard.select()
            .where(MemberCard.customer == keep, MemberCard.status.in_(["active", "lost"]))
            .exists()
            and MemberCard.select()
            .where(MemberCard.customer == other, MemberCard.status.in_(["active", "lost"]))
            .exists()
        ):
            raise Conflict(_("Both customers hold a member card; cancel one card before merging."))
        moved = {}
        for model, column in _customer_links():
            moved[model.__name__] = (
                model.update({column: keep.id}).where(column == other.id).execute()
            )
        # A paper or an event the kept file already has stays with the merged one.
        one_each: dict[Any, Callable[[Any], Any]] = {
            CustomerDocument: lambda row: CustomerDocument.doc_type == row.doc_type,
            EventAttendance: lambda row: EventAttendance.event == row.event,
        }
        for model, same in one_each.items():
            for row in model.select().where(model.customer == other):
                clash = model.select().where(model.customer == keep, same(row)).exists()
                if not clash:
                    model.update(customer=keep).where(model.id == row.id).execute()
        tags = sorted((set(keep.tags.split(",")) | set(other.tags.split(","))) - {""})
        Customer.update(
            tags=",".join(tags), updated_at=now(), updated_by=actor, version=Customer.version + 1
        ).where(Customer.id == keep.id).execute()
        keep = get(keep.id)
        _write_tags(keep, tags)
        Customer.update(
            status="merged",
            merged_into=keep.id,
            archived_at=now(),
            updated_by=actor,
            updated_at=now(),
            version=Customer.version + 1,
        ).where(Customer.id == other.id).execute()
        search.remove_keys(other.id, search.keys_for(other))
        audit.record(
            actor,
            "merge",
            "customer",
            keep.id,
            summary=f"{other.id} → {keep.id}",
            changes={"moved": moved, "merged": other.id},
        )
    emit_after_commit(Change.CUSTOMER, *_MOVED_BY_MERGE)
    return keep


@dataclass
class BulkResult:
    """What a bulk load did: rows created, duplicates skipped, and rejected rows with reasons."""

    created: int = 0
    duplicates: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def bulk_create(
    actor: Staff,
    inputs: Iterable[tuple[int, CustomerInput]],
    skip_invalid: bool = False,
    progress=None,
    created_at: list[dt.datetime] | None = None,
    rejected: list[tuple[int, str]] | None = None,
) -> BulkResult:
    """Create many files in one transaction (imports, demo data): all or nothing.

    ``inputs`` pairs a row number (for messages) with its data. A row whose phone or ID is
    already on file, or earlier in the same batch, is skipped and counted as a duplicate.
    An invalid row aborts the whole batch with ValidationError unless ``skip_invalid``;
    ``rejected`` are rows the caller already found invalid, reported with the rest.
    """
    auth.require(actor, "edit")
    # The caller's list itself: an importer may still be adding rows it refused while
    # ``inputs`` is read (rows are read one by one, not held in memory all together).
    result = BulkResult(rejected=rejected if rejected is not None else [])
    area_code = settings.area_code()
    # Everything that takes time (checks, pinyin, search keys) is done before the transaction,
    # so the write itself is short and a desk saving meanwhile hardly waits. Each row is kept
    # compact (its column values, its search keys as one string) so 100,000 rows fit in little
    # memory.
    seen: set[str] = set()
    prepared: list[tuple[tuple[Any, ...], str, str]] = []
    pick = itemgetter(*_BULK_COLUMNS)
    stamp = now()
    for position, (number, data) in enumerate(inputs):
        try:
            values = clean(data, area_code=area_code)
        except ValidationError as exc:
            result.rejected.append((number, "; ".join(exc.errors.values())))
            continue
        if result.rejected and not skip_invalid:
            continue  # the batch is refused anyway: only the other rejects still matter
        keys = {values[k] for k in ("mobile", "phone2", "id_number") if values[k]}
        if not keys.isdisjoint(seen):
            result.duplicates += 1
            continue
        seen |= keys
        row = _derived(values)
        row["birthday"] = _db_value(row["birthday"])
        created = created_at[position] if created_at is not None else stamp
        search_keys = search.keys_from(
            row["name"],
            row["company"],
            (row["mobile"], row["phone2"]),
            row["id_number"],
            row["name_pinyin"].split(),
            row["name_initials"].split(),
        )
        prepared.append(
            (
                (*pick(row), actor.id, actor.id, created, created),
                row["tags"],
                _SEP.join(search_keys),
            )
        )
    result.rejected.sort()
    if result.rejected and not skip_invalid:
        raise BulkRejected(result)
    columns = [*_BULK_COLUMNS, "created_by", "updated_by", "created_at", "updated_at"]
    key_columns = [columns.index(k) for k in ("mobile", "phone2", "id_number")]
    pinyin_column = columns.index("name_pinyin")  # the customer list's order
    with _import_cache(), db.atomic():
        existing = existing_keys(seen)
        if existing:
            kept = [p for p in prepared if not any(p[0][i] in existing for i in key_columns)]
            result.duplicates += len(prepared) - len(kept)
            prepared = kept
        # A large load into a small archive builds the customer table's indexes once, after
        # the rows (the search keys' index is kept: its build would sort a million rows in
        # memory, past an import's memory budget).
        with deferred_indexes((Customer, CustomerTag), len(prepared)):
            for start in range(0, len(prepared), 2000):
                chunk = prepared[start : start + 2000]
                ids = insert_returning_ids(Customer, columns, [values for values, _t, _k in chunk])
                tag_rows, key_rows = [], []
                for customer_id, (values, tags, found) in zip(ids, chunk, strict=True):
                    tag_rows += [(customer_id, tag) for tag in tags.split(",") if tag]
                    sort_key = values[pinyin_column]
                    key_rows += [(key, customer_id, sort_key) for key in found.split(_SEP) if key]
                insert_rows(CustomerTag, ["customer", "tag"], tag_rows)
                search.add_keys(key_rows)
                result.created += len(ids)
                if progress is not None:
                    progress(start + len(chunk), len(prepared))
        if not is_sqlite() and result.created > 1000:
            # PostgreSQL plans the archive's searches from table statistics; refresh them now
            # rather than wait for the server's autovacuum.
            db.execute_sql("ANALYZE customer")
            db.execute_sql("ANALYZE customer_search_key")
        audit.record(
            actor,
            "import",
            "customer",
            None,
            summary=_("{created} created, {duplicates} duplicates skipped").format(
                created=result.created, duplicates=result.duplicates
            ),
        )
    if result.created:
        emit_after_commit(Change.CUSTOMER)
    return result


# An imported row holds every field of the form and the keys derived from the name.
_BULK_COLUMNS = [*AUDITED_FIELDS, "name_pinyin", "name_initials"]
_SEP = "\x1f"  # between a row's search keys while it waits to be written


@contextmanager
def _import_cache() -> Iterator[None]:
    """A smaller SQLite page cache while a bulk load writes: the rows being written already
    take the memory, and the cache's 128 MB on top would double an import's peak."""
    if not is_sqlite():
        yield
        return
    before = db.execute_sql("PRAGMA cache_size").fetchone()[0]
    db.execute_sql("PRAGMA cache_size = -32768")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA cache_size = {int(before)}")


def _db_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


class BulkRejected(ValidationError):
    """Rows of a bulk load were invalid; nothing was written. ``result.rejected`` lists them."""

    def __init__(self, result: BulkResult):
        super().__init__(
            {
                "rows": _("{n} rows are invalid; nothing was imported.").format(
                    n=len(result.rejected)
                )
            }
        )
        self.result = result


def existing_keys(values: set[str]) -> set[str]:
    """Which of these phones and ID numbers are already on active files."""
    found: set[str] = set()
    ordered = sorted(values)
    mark = db.obj.param
    for column in ("mobile", "phone2", "id_number"):
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            # Plain SQL: building a 500-value IN list through the query builder costs more
            # than the lookup itself on a 100,000-row import.
            sql = (
                f'SELECT "{column}" FROM "customer" WHERE "status" = {mark} '
                f'AND "{column}" IN ({", ".join([mark] * len(chunk))})'
            )
            found |= {row[0] for row in db.execute_sql(sql, ["active", *chunk]).fetchall()}
    return found


# --- search ---------------------------------------------------------------------------------

SORTS = {
    "name": Customer.name_pinyin,
    "mobile": Customer.mobile,
    "company": Customer.company,
    "class": Customer.customer_class,
    "created": Customer.created_at,
    "id": Customer.id,
}


@dataclass(frozen=True)
class SearchFilter:
    """What the archive's search box and filters ask for."""

    text: str = ""
    customer_class: str = ""
    tag: str = ""
    include_archived: bool = False
    sort: str = "name"
    descending: bool = False


def _conditions(criteria: SearchFilter) -> Callable[[bool], list[Any]] | None:
    """The search's conditions as ``where(plain)`` for CustomerPages; None when the text
    can match nothing."""
    matching = None
    extra = None
    if criteria.text.strip():
        matching = search.matching_ids_query(criteria.text)
        if matching is None:
            return None
        extra = search.long_text_filter(criteria.text)
    tagged = None
    if criteria.tag:
        tagged = CustomerTag.select(CustomerTag.customer).where(CustomerTag.tag == criteria.tag)

    def where(plain: bool) -> list[Any]:
        def column(field: Any) -> Any:
            return plain_if(plain, field)

        out = []
        if matching is not None:
            out.append(column(Customer.id).in_(matching))
        if extra is not None:
            out.append(extra)
        if criteria.include_archived:
            out.append(column(Customer.status) != "merged")
        else:
            out.append(column(Customer.status) == "active")
        if criteria.customer_class:
            out.append(column(Customer.customer_class) == criteria.customer_class)
        if tagged is not None:
            out.append(column(Customer.id).in_(tagged))
        return out

    return where


def search_list(criteria: SearchFilter) -> Sequence[int]:
    """Ids of the customers matching ``criteria`` in the list's order: a lazy sequence whose
    length is the true count and whose pages are read as they are shown."""
    where = _conditions(criteria)
    if where is None:
        return []
    column = SORTS.get(criteria.sort, Customer.name_pinyin)
    if criteria.descending:
        order = [column.desc(), Customer.id.desc()]
    else:
        order = [column.asc(), Customer.id.asc()]
    text = criteria.text.strip()
    filtered = bool(criteria.customer_class or criteria.tag)
    shown = ("active", "archived") if criteria.include_archived else ("active",)
    if not text:
        source = WalkSource(where, order, None if filtered else shown)
    elif column is Customer.name_pinyin and not filtered and search.long_text_filter(text) is None:
        ranges, others = search.key_parts(text)
        source = KeySource(ranges, others, shown, criteria.descending)
    else:
        source = SortedSource(where, order)
    return CustomerPages(source)


def search_ids(criteria: SearchFilter, limit: int = 20_000) -> list[int]:
    """The first ``limit`` ids of ``search_list`` as a list."""
    return list(search_list(criteria)[:limit])


@dataclass(frozen=True)
class CustomerRow:
    """One line of the archive's list (phones and IDs masked by the UI where needed)."""

    id: int
    name: str
    kind: str
    mobile: str
    company: str
    customer_class: str
    id_number: str
    tags: str
    status: str
    card_no: str


def rows(ids: list[int]) -> list[CustomerRow]:
    """The list rows of ``ids``, in that order."""
    if not ids:
        return []
    card = MemberCard.alias()
    query = (
        Customer.select(
            Customer.id,
            Customer.name,
            Customer.kind,
            Customer.mobile,
            Customer.company,
            Customer.customer_class,
            Customer.id_number,
            Customer.tags,
            Customer.status,
            card.card_no,
        )
        .join(
            card,
            JOIN.LEFT_OUTER,
            on=((card.customer == Customer.id) & (card.status.in_(["active", "lost"]))),
        )
        .where(Customer.id.in_(ids))
    )
    by_id = {}
    for row in tuples_of(query):
        by_id.setdefault(row[0], CustomerRow(*row[:9], card_no=row[9] or ""))
    return in_id_order(ids, by_id)


def all_tags() -> list[str]:
    return [
        row[0]
        for row in tuples_of(
            CustomerTag.select(CustomerTag.tag).distinct().order_by(CustomerTag.tag)
        )
    ]


def class_label(code: str) -> str:
    return _(CLASSES.get(code, code))


# --- export -----------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    ("id", N_("File no.")),
    ("name", N_("Name")),
    ("kind", N_("Type")),
    ("mobile", N_("Mobile")),
    ("phone2", N_("Other phone")),
    ("id_type", N_("ID type")),
    ("id_number", N_("ID number")),
    ("gender", N_("Gender")),
    ("birthday", N_("Birthday")),
    ("email", N_("E-mail")),
    ("address", N_("Address")),
    ("company", N_("Company")),
    ("customer_class", N_("Class")),
    ("source", N_("Source")),
    ("tags", N_("Tags")),
    ("interests", N_("Interests")),
    ("notes", N_("Notes")),
    ("status", N_("Status")),
    ("created_at", N_("Created")),
]
STATUSES = {"active": N_("Active"), "archived": N_("Archived"), "merged": N_("Merged")}


def export(
    actor: Staff,
    path,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    progress=None,
) -> int:
    """Write the archive (phones and IDs in full) to CSV or XLSX; manager only, audited."""
    from pathlib import Path

    from csoffice.transfer import write_table

    auth.require(actor, "export")
    names = [name for name, _title in EXPORT_COLUMNS]
    query = (
        Customer.select(*[getattr(Customer, name) for name in names])
        .where(Customer.status != "merged")
        .order_by(Customer.id)
    )
    if date_from:
        query = query.where(Customer.created_at >= dt.datetime.combine(date_from, dt.time()))
    if date_to:
        query = query.where(
            Customer.created_at < dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
        )
    labels = {
        "kind": KINDS,
        "id_type": ID_TYPES,
        "gender": GENDERS,
        "customer_class": CLASSES,
        "status": STATUSES,
    }

    # Each label column's words once, not per cell (100,000 rows).
    words = {
        index: {code: _(label) for code, label in labels[name].items()}
        for index, name in enumerate(names)
        if name in labels
    }

    def row(values: tuple) -> list:
        out = list(values)
        for index, table in words.items():
            value = out[index]
            out[index] = table.get(value, value) if value else ""
        return out

    rows = (row(values) for values in query.tuples().iterator())
    count = write_table(
        Path(path), [_(title) for _name, title in EXPORT_COLUMNS], rows, progress, _("Customers")
    )
    with db.atomic():
        audit.record(actor, "export", "customer", None, summary=f"{count} → {path}")
    return count

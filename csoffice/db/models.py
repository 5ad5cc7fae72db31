"""The whole data model of the desk, as peewee models bound to ``target.db``.

Every table the desk needs is here from the start, even where its screens come later, so
features grow by migration rather than redesign. Codes (channel, status, kind…) are stored
as short English identifiers; their labels for people live in the domain modules.

Nothing is hard-deleted by a clerk: records carry a status (voided, archived, cancelled)
and every change writes an AuditLog row in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    SQL,
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from csoffice.db.target import db


def now() -> dt.datetime:
    """The current local time, to the second (what every timestamp column stores)."""
    return dt.datetime.now().replace(microsecond=0)


class BaseModel(Model):
    id = AutoField()
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        database = db
        legacy_table_names = False

    def save(self, *args, **kwargs):
        if self.get_id() is not None:
            self.updated_at = now()
        return super().save(*args, **kwargs)


class Staff(BaseModel):
    """A person who works at the desk and signs in: the manager, clerks, viewers."""

    username = CharField(max_length=40, unique=True)
    display_name = CharField(max_length=40)
    role = CharField(max_length=16, default="clerk")  # manager | clerk | viewer
    department = CharField(max_length=40, default="")
    phone = CharField(max_length=32, default="")
    password_hash = CharField(max_length=255, default="")
    active = BooleanField(default=True)
    failed_logins = IntegerField(default=0)
    last_failed_at = DateTimeField(null=True)
    last_login_at = DateTimeField(null=True)
    created_by = ForeignKeyField("self", null=True, backref="+", on_delete="SET NULL")
    # Not a column: the audit origin of an actor with no staff record (the command line).
    audit_origin: str = ""


class AuditedModel(BaseModel):
    """A record that remembers who created and last changed it."""

    created_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    created_by_id: int | None  # peewee's id accessor, declared for the type checker
    updated_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    updated_by_id: int | None


class Setting(Model):
    """An office-wide setting (JSON value) shared by every desk on this database."""

    key = CharField(max_length=80, primary_key=True)
    value = TextField()
    updated_at = DateTimeField(default=now)

    class Meta:
        database = db
        legacy_table_names = False


class AuditLog(Model):
    """Who did what, when: one row for each create, change, state move, export or print."""

    id = AutoField()
    at = DateTimeField(default=now, index=True)
    staff = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    action = CharField(max_length=32)  # create | update | void | archive | move | export | print …
    entity = CharField(max_length=32, index=True)
    entity_id = IntegerField(null=True)
    summary = TextField(default="")
    changes = TextField(default="")  # JSON {field: [before, after]}
    # Who acted when no staff member did: "command line: user@host" (schema 5).
    origin = CharField(max_length=120, default="", constraints=[SQL("DEFAULT ''")])

    class Meta:
        database = db
        legacy_table_names = False
        indexes = ((("entity", "entity_id"), False),)


class Counter(Model):
    """Gap-free running numbers (complaints per month, member cards): one row per series."""

    name = CharField(max_length=40, primary_key=True)
    value = IntegerField(default=0)

    class Meta:
        database = db
        legacy_table_names = False


# --- Customer archive --------------------------------------------------------------------


class Customer(AuditedModel):
    """A customer file: an individual or a company."""

    kind = CharField(max_length=12, default="individual")  # individual | company
    name = CharField(max_length=100, index=True)
    name_pinyin = CharField(max_length=400, default="")  # "zhang san" readings, for search
    name_initials = CharField(max_length=100, default="")  # "zs"
    gender = CharField(max_length=1, default="")  # M | F | ""
    birthday = DateField(null=True)
    id_type = CharField(max_length=16, default="")  # resident_id | credit_code | passport | other
    id_number = CharField(max_length=40, default="", index=True)
    mobile = CharField(max_length=32, default="", index=True)  # normalised, digits only
    phone2 = CharField(max_length=32, default="", index=True)
    email = CharField(max_length=120, default="")
    address = CharField(max_length=200, default="")
    company = CharField(max_length=120, default="", index=True)
    customer_class = CharField(max_length=20, default="ordinary", index=True)
    source = CharField(max_length=40, default="")
    tags = CharField(max_length=200, default="")  # comma-separated; CustomerTag indexes them
    interests = CharField(max_length=200, default="")
    notes = TextField(default="")
    status = CharField(max_length=12, default="active", index=True)  # active | archived | merged
    archived_at = DateTimeField(null=True)
    merged_into = ForeignKeyField("self", null=True, backref="merged_from", on_delete="SET NULL")
    version = IntegerField(default=1)  # optimistic locking between desks
    # The one-to-one housekeeper or salesperson (一对一管家 / 业务员) who answers for the customer.
    responsible = ForeignKeyField(
        Staff, null=True, backref="customers_answered_for", on_delete="SET NULL"
    )

    class Meta:
        # The list's order: the whole archive's first page is read from it, not sorted.
        indexes = ((("name_pinyin", "id"), False),)


class CustomerContact(Model):
    """Each customer's last contact of any kind (schema 11), for churn: kept by the database's
    own triggers (db/contacts.py) on every write to the tables a contact lives in, so no
    write path can forget it. No row: the desk has had no contact with the customer."""

    customer = ForeignKeyField(Customer, primary_key=True, backref="+", on_delete="CASCADE")
    customer_id: int  # peewee's id accessor, declared for the type checker
    last_at = DateTimeField()

    class Meta:
        database = db
        legacy_table_names = False


class CustomerTag(Model):
    customer = ForeignKeyField(Customer, backref="tag_rows", on_delete="CASCADE")
    tag = CharField(max_length=40, index=True)

    class Meta:
        database = db
        legacy_table_names = False
        indexes = ((("customer", "tag"), True),)


class CustomerSearchKey(Model):
    """Search keys of a customer, kept by db/search.py: name and company characters and pairs,
    pinyin readings and initials, phone digits and their last four, ID numbers."""

    key = CharField(max_length=80)
    # No index of its own: keys are removed by (key, customer), which the (key, sort_key,
    # customer) index serves; each index fewer makes a 100,000-row import markedly faster.
    customer = ForeignKeyField(Customer, backref="+", on_delete="CASCADE", index=False)
    # The customer's name_pinyin (the list's order): a key's customers are read from the
    # (key, sort_key, customer) index already in order, so a broad search's first page needs
    # no sort of every hit. Kept by db/search.py with the keys.
    sort_key = CharField(max_length=400, default="")

    class Meta:
        database = db
        legacy_table_names = False
        indexes = ((("key", "sort_key", "customer"), False),)


class Attachment(AuditedModel):
    """A scanned document, stored once by content hash in the data folder."""

    sha256 = CharField(max_length=64, index=True)
    filename = CharField(max_length=255)
    size = IntegerField(default=0)
    mime_type = CharField(max_length=100, default="")
    doc_type = CharField(max_length=30, default="other")  # contract | id_copy | invoice | …
    customer = ForeignKeyField(Customer, null=True, backref="attachments", on_delete="SET NULL")
    complaint_id = IntegerField(null=True, index=True)  # complaint attachments (photos…)
    status = CharField(max_length=12, default="active")  # active | voided


class AttachmentBlob(Model):
    """The bytes of a stored file, by content hash (schema 5). On PostgreSQL every scan lives
    here, so each desk opens it and pg_dump holds it; on SQLite the scans stay in the data
    folder and only a backup file carries them here."""

    sha256 = CharField(max_length=64, primary_key=True)
    data = BlobField()

    class Meta:
        database = db
        legacy_table_names = False


class CustomerDocument(AuditedModel):
    """One line of a customer's paper-file checklist: which documents were received."""

    customer = ForeignKeyField(Customer, backref="documents", on_delete="CASCADE")
    doc_type = CharField(max_length=30)
    received = BooleanField(default=False)
    received_on = DateField(null=True)
    note = CharField(max_length=200, default="")

    class Meta:
        indexes = ((("customer", "doc_type"), True),)


class ServiceEvent(AuditedModel):
    """Something done for a customer that rules hang on: purchase, delivery, repair, renewals."""

    customer = ForeignKeyField(Customer, backref="service_events", on_delete="CASCADE")
    customer_id: int  # peewee's id accessor, declared for the type checker
    kind = CharField(
        max_length=24
    )  # purchase | delivery | repair | maintenance | inspection | insurance | handover
    date = DateField(index=True)
    product = CharField(max_length=120, default="")
    handled_by = CharField(max_length=60, default="")  # the salesperson or technician named
    amount = DecimalField(max_digits=12, decimal_places=2, null=True)
    note = TextField(default="")
    remind_on = DateField(null=True, index=True)  # next maintenance / inspection / renewal
    status = CharField(max_length=12, default="active")


# --- Reception log -------------------------------------------------------------------------


class Reception(AuditedModel):
    """One call or visit at the desk."""

    received_at = DateTimeField(default=now, index=True)
    channel = CharField(max_length=16)  # phone | visit | wechat | qq | email | letter | other
    direction = CharField(max_length=4, default="in")  # in | out (calls)
    caller_name = CharField(max_length=100, default="")
    caller_phone = CharField(max_length=32, default="", index=True)
    caller_company = CharField(max_length=120, default="")
    caller_kind = CharField(
        max_length=12, default="customer"
    )  # customer | partner | supplier | other
    customer = ForeignKeyField(Customer, null=True, backref="receptions", on_delete="SET NULL")
    customer_id: int | None  # peewee's id accessors, declared for the type checker
    category = CharField(max_length=16)  # consult | complaint | suggestion | repair | order | other
    content = TextField(default="")
    handler = ForeignKeyField(Staff, null=True, backref="receptions", on_delete="SET NULL")
    handler_id: int | None
    outcome = TextField(default="")
    followup_needed = BooleanField(default=False)
    followup_due = DateField(null=True)
    followup_done_at = DateTimeField(null=True)
    complaint_id = IntegerField(null=True, index=True)  # the complaint it became
    status = CharField(max_length=12, default="active")  # active | voided
    void_reason = CharField(max_length=200, default="")

    class Meta:
        # The day view filters a period by channel, category or handler, newest first; the
        # follow-ups owed are the few open ones among a million. Without statistics SQLite
        # prefers an equality index, so each filter leads its own (filter, time) index.
        indexes = (
            (("channel", "received_at"), False),
            (("category", "received_at"), False),
            (("handler", "received_at"), False),
            (("followup_needed", "followup_done_at", "followup_due"), False),
            # A customer's contacts by time: churn and the statistics ask who called since when.
            (("customer", "received_at"), False),
        )


# --- Complaints ---------------------------------------------------------------------------


class Complaint(AuditedModel):
    """A complaint form (投诉处理单) and where it stands in its workflow."""

    number = CharField(max_length=32, unique=True)
    received_at = DateTimeField(default=now, index=True)
    channel = CharField(max_length=16)
    customer = ForeignKeyField(Customer, null=True, backref="complaints", on_delete="SET NULL")
    customer_id: int | None  # peewee's id accessor, declared for the type checker
    contact_name = CharField(max_length=100, default="")
    contact_phone = CharField(max_length=32, default="")
    category = CharField(max_length=24, index=True)
    severity = CharField(max_length=12, default="ordinary", index=True)  # ordinary | major | group
    facts = TextField(default="")
    desired_outcome = TextField(default="")
    receiver = ForeignKeyField(
        Staff, backref="complaints_owned", on_delete="RESTRICT"
    )  # 首问负责人
    receiver_id: int
    status = CharField(max_length=16, default="received", index=True)
    department = CharField(max_length=40, default="", index=True)
    handler = ForeignKeyField(Staff, null=True, backref="complaints_handled", on_delete="SET NULL")
    handler_id: int | None
    handler_name = CharField(max_length=60, default="")  # a person outside the desk
    result = TextField(default="")
    company_at_fault = BooleanField(null=True)
    root_cause = TextField(default="")
    corrective_action = TextField(default="")
    customer_opinion = TextField(default="")
    satisfaction = IntegerField(null=True)  # 1–5
    satisfaction_reason = TextField(default="")
    response_due = DateTimeField(null=True)
    resolve_due = DateTimeField(null=True, index=True)
    first_response_at = DateTimeField(null=True)
    handled_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True, index=True)
    escalated_at = DateTimeField(null=True)
    reception = ForeignKeyField(Reception, null=True, backref="+", on_delete="SET NULL")
    reception_id: int | None
    version = IntegerField(default=1)
    # The running number's month (YYYYMM) and place in it; unique together, so even a
    # number format without the month can never hand out the same place twice.
    number_period = CharField(max_length=6, default="")
    number_seq = IntegerField(default=0)
    # The complaint this one repeats (the same case reported again): counted there, not here.
    duplicate_of = ForeignKeyField(
        "self", null=True, backref="duplicates", on_delete="SET NULL", index=True
    )
    duplicate_of_id: int | None

    class Meta:
        indexes = ((("number_period", "number_seq"), True),)


class ComplaintStep(Model):
    """One dated, signed step of a complaint's timeline."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, backref="steps", on_delete="CASCADE")
    complaint_id: int  # peewee's id accessor, declared for the type checker
    at = DateTimeField(default=now)
    staff = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    staff_id: int | None
    action = CharField(max_length=16, default="")  # receive | assign | handle | reopen | note …
    from_status = CharField(max_length=16, default="")
    to_status = CharField(max_length=16)
    note = TextField(default="")
    department = CharField(max_length=40, default="")
    assignee = CharField(max_length=60, default="")
    # What a handle step recorded (result, fault, cause, correction) and what an inform step
    # recorded (the customer's opinion and satisfaction): each round's results stay with the
    # step that recorded them, whatever later rounds write on the complaint.
    result = TextField(default="")
    company_at_fault = BooleanField(null=True)
    root_cause = TextField(default="")
    corrective_action = TextField(default="")
    customer_opinion = TextField(default="")
    satisfaction = IntegerField(null=True)
    satisfaction_reason = TextField(default="")

    class Meta:
        database = db
        legacy_table_names = False


class ComplaintParty(Model):
    """One more complainant of a group complaint (群诉), besides the complaint's own customer.
    Removing one keeps the row (removed_at, removed_by); adding them again brings it back."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, backref="parties", on_delete="CASCADE")
    complaint_id: int  # peewee's id accessor, declared for the type checker
    customer = ForeignKeyField(Customer, backref="+", on_delete="RESTRICT")
    customer_id: int
    added_at = DateTimeField(default=now)
    added_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    added_by_id: int | None
    removed_at = DateTimeField(null=True)
    removed_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    removed_by_id: int | None

    class Meta:
        database = db
        legacy_table_names = False
        indexes = ((("complaint", "customer"), True),)


# --- Members -------------------------------------------------------------------------------


class MemberLevel(BaseModel):
    """A member level with the points (earned over 12 months) that reach it."""

    code = CharField(max_length=16, unique=True)
    name = CharField(max_length=40)
    threshold = IntegerField(default=0)
    rank = IntegerField(default=0)
    care_plan = TextField(default="")
    active = BooleanField(default=True)


class MemberCard(AuditedModel):
    """A member card; a reissue creates a new card that ``replaces`` the old one."""

    card_no = CharField(max_length=32, unique=True)
    customer = ForeignKeyField(Customer, backref="cards", on_delete="RESTRICT")
    customer_id: int  # peewee's id accessor, declared for the type checker
    level = ForeignKeyField(MemberLevel, null=True, backref="cards", on_delete="SET NULL")
    level_id: int | None
    status = CharField(
        max_length=12, default="active", index=True
    )  # active | lost | replaced | cancelled
    issued_on = DateField(default=dt.date.today)
    expires_on = DateField(null=True)
    fee = DecimalField(max_digits=10, decimal_places=2, default=0)
    balance = IntegerField(default=0)  # cache of the ledger's sum; `check` verifies it
    replaces = ForeignKeyField("self", null=True, backref="replaced_by", on_delete="SET NULL")
    replaces_id: int | None
    closed_at = DateTimeField(null=True)
    close_reason = CharField(max_length=200, default="")
    version = IntegerField(default=1)


class CardEvent(Model):
    """A step in a card's life: issued, lost, found, reissued, cancelled, level changed."""

    id = AutoField()
    card = ForeignKeyField(MemberCard, backref="events", on_delete="CASCADE")
    card_id: int  # peewee's id accessor, declared for the type checker
    kind = CharField(max_length=16)
    at = DateTimeField(default=now)
    staff = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    staff_id: int | None
    reason = CharField(max_length=200, default="")
    fee = DecimalField(max_digits=10, decimal_places=2, null=True)
    detail = TextField(default="")

    class Meta:
        database = db
        legacy_table_names = False


class Gift(BaseModel):
    name = CharField(max_length=100)
    points_price = IntegerField()
    stock = IntegerField(default=0)
    active = BooleanField(default=True)
    description = TextField(default="")


class PointsEntry(Model):
    """One row of a card's points ledger; the balance is the sum of ``points``."""

    id = AutoField()
    card = ForeignKeyField(MemberCard, backref="points", on_delete="CASCADE")
    card_id: int  # peewee's id accessor, declared for the type checker
    at = DateTimeField(default=now, index=True)
    kind = CharField(max_length=16)  # earn | adjust | redeem | expire | transfer | bonus
    points = IntegerField()
    amount_spent = DecimalField(max_digits=12, decimal_places=2, null=True)
    source = CharField(max_length=100, default="")
    reason = CharField(max_length=200, default="")
    gift = ForeignKeyField(Gift, null=True, backref="+", on_delete="SET NULL")
    gift_id: int | None
    expires_on = DateField(null=True)
    staff = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    staff_id: int | None

    class Meta:
        database = db
        legacy_table_names = False
        indexes = ((("card", "at"), False),)


class Redemption(AuditedModel):
    card = ForeignKeyField(MemberCard, backref="redemptions", on_delete="RESTRICT")
    card_id: int  # peewee's id accessor, declared for the type checker
    gift = ForeignKeyField(Gift, backref="redemptions", on_delete="RESTRICT")
    gift_id: int
    quantity = IntegerField(default=1)
    points = IntegerField()
    entry = ForeignKeyField(PointsEntry, null=True, backref="+", on_delete="SET NULL")
    entry_id: int | None
    status = CharField(max_length=12, default="done")  # done | voided


class MemberEvent(AuditedModel):
    """A club event (tea party, maintenance day…) with invitations and attendance."""

    title = CharField(max_length=120)
    date = DateField()
    place = CharField(max_length=120, default="")
    description = TextField(default="")
    status = CharField(max_length=12, default="planned")  # planned | held | cancelled


class EventAttendance(Model):
    id = AutoField()  # the key peewee adds by itself, declared for the type checker
    event = ForeignKeyField(MemberEvent, backref="attendance", on_delete="CASCADE")
    event_id: int  # peewee's id accessor, declared for the type checker
    customer = ForeignKeyField(Customer, backref="event_attendance", on_delete="CASCADE")
    customer_id: int
    invited_at = DateTimeField(default=now)
    attended = BooleanField(default=False)

    class Meta:
        database = db
        legacy_table_names = False
        indexes = ((("event", "customer"), True),)


class Greeting(AuditedModel):
    """A birthday or festival greeting, or a reminder call, and what was sent."""

    customer = ForeignKeyField(Customer, backref="greetings", on_delete="CASCADE")
    customer_id: int  # peewee's id accessor, declared for the type checker
    kind = CharField(max_length=16)  # birthday | festival | reminder
    occasion_on = DateField(null=True)
    channel = CharField(max_length=16, default="phone")
    content = TextField(default="")
    bonus_points = IntegerField(default=0)


class Referral(AuditedModel):
    """A prospect recommended by a member, passed on to sales and followed."""

    referrer = ForeignKeyField(Customer, backref="referrals", on_delete="CASCADE")
    prospect_name = CharField(max_length=100)
    prospect_phone = CharField(max_length=32, default="")
    interest = CharField(max_length=100, default="")  # what the prospect is after
    note = TextField(default="")
    status = CharField(max_length=16, default="new")  # new | passed | following | won | lost
    passed_at = DateTimeField(null=True)


# --- Return visits -------------------------------------------------------------------------


class ReturnVisit(AuditedModel):
    """A follow-up call, due on a date, and its result."""

    customer = ForeignKeyField(Customer, backref="visits", on_delete="CASCADE")
    customer_id: int  # peewee's id accessor, declared for the type checker
    kind = CharField(
        max_length=16, index=True
    )  # 7dc | 3dc | complaint | 1m | 1y | manual | sample | recheck
    due_on = DateField(index=True)
    service_event = ForeignKeyField(ServiceEvent, null=True, backref="visits", on_delete="SET NULL")
    service_event_id: int | None
    complaint = ForeignKeyField(Complaint, null=True, backref="visits", on_delete="SET NULL")
    complaint_id: int | None
    sample_of = ForeignKeyField("self", null=True, backref="+", on_delete="SET NULL")
    sample_of_id: int | None
    assigned_to = ForeignKeyField(Staff, null=True, backref="visits", on_delete="SET NULL")
    assigned_to_id: int | None
    status = CharField(max_length=12, default="due", index=True)  # due | done | cancelled
    attempts = IntegerField(default=0)
    reached = BooleanField(null=True)
    done_at = DateTimeField(null=True, index=True)
    done_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    done_by_id: int | None
    answers = TextField(default="")  # JSON {question: answer}
    satisfaction = IntegerField(null=True)
    remarks = TextField(default="")
    note = TextField(default="")  # why it was scheduled by hand; why it was cancelled
    recheck_of = ForeignKeyField("self", null=True, backref="+", on_delete="SET NULL")
    recheck_of_id: int | None
    raised_complaint = ForeignKeyField(Complaint, null=True, backref="+", on_delete="SET NULL")
    raised_complaint_id: int | None
    # Which rule planned the call (re-planned when the rule changes; null: by hand), the last
    # day of its window (overdue after it) and, for a repeating rule, the period it is for.
    rule = CharField(max_length=24, null=True)
    window_end = DateField(null=True)
    period_start = DateField(null=True)

    class Meta:
        # The rules schedule each kind of call once per event or complaint, and a repeating
        # rule once per customer and period; the unique indexes make that hold even when two
        # desks schedule at the same moment.
        indexes = (
            (("service_event", "kind"), True),
            (("complaint", "kind"), True),
            (("customer", "rule", "period_start"), True),
            (("status", "due_on"), False),
        )


class VisitAnswer(Model):
    """One answer of a return visit's survey: the option chosen (and its score) and a note; the
    call's kind and day are kept beside it so results sum by question without a join."""

    visit = ForeignKeyField(ReturnVisit, backref="answer_rows", on_delete="CASCADE")
    kind = CharField(max_length=16)
    done_on = DateField()
    question = CharField(max_length=200)
    option = CharField(max_length=60, default="")
    score = IntegerField(null=True)
    note = TextField(default="")

    class Meta:
        database = db
        legacy_table_names = False
        indexes = ((("done_on", "kind"), False),)


# --- Reports and appraisal -----------------------------------------------------------------


class ReportNote(AuditedModel):
    """The manager's open problems and proposed improvements for one report period."""

    kind = CharField(max_length=8)  # monthly | weekly
    period = CharField(max_length=10)  # 2026-11 | 2026-W48
    problems = TextField(default="")
    improvements = TextField(default="")

    class Meta:
        indexes = ((("kind", "period"), True),)


class Appraisal(AuditedModel):
    """One marker's appraisal form for a staff member and month."""

    staff = ForeignKeyField(Staff, backref="appraisals", on_delete="CASCADE")
    staff_id: int  # peewee's id accessor, declared for the type checker
    period = CharField(max_length=7)  # 2026-11
    marker = CharField(max_length=12)  # self | supervisor | manager
    marks = TextField(default="")  # JSON {item_code: grade}
    score = DecimalField(max_digits=6, decimal_places=2, null=True)
    signed_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    signed_by_id: int | None
    signed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("staff", "period", "marker"), True),)


class AppraisalMonth(AuditedModel):
    """The combined result of a staff member's month, closed by the manager."""

    staff = ForeignKeyField(Staff, backref="appraisal_months", on_delete="CASCADE")
    staff_id: int  # peewee's id accessor, declared for the type checker
    period = CharField(max_length=7)
    combined_score = DecimalField(max_digits=6, decimal_places=2, null=True)
    grade = CharField(max_length=1, default="")
    closed = BooleanField(default=False)
    closed_at = DateTimeField(null=True)
    # Who may enter the supervisor's mark this month (besides the manager), set by the manager.
    supervisor = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    supervisor_id: int | None
    # The groups, items and weights the month was started with (JSON), so a later change of
    # the settings never re-scores a month already under way.
    scheme = TextField(default="")
    shares = TextField(default="")  # the markers' shares at closing (JSON), kept with the score

    class Meta:
        indexes = ((("staff", "period"), True),)


# --- Answer library (常用答复) ---------------------------------------------------------------


class AnswerEntry(AuditedModel):
    """A standard answer to a common question, or a service phrase to use or never to use."""

    kind = CharField(max_length=8, default="answer", index=True)  # answer | phrase | taboo
    topic = CharField(max_length=60, default="")
    question = TextField(default="")
    text = TextField(default="")
    keywords = CharField(max_length=200, default="")  # comma-separated
    categories = CharField(max_length=200, default="")  # reception categories; "" = any
    status = CharField(max_length=12, default="active")  # active | archived


class AnswerUse(Model):
    """An answer read to a caller of a reception, or (``answer`` empty) none was found."""

    id = AutoField()
    at = DateTimeField(default=now, index=True)
    reception = ForeignKeyField(Reception, backref="+", on_delete="CASCADE")
    answer = ForeignKeyField(AnswerEntry, null=True, backref="uses", on_delete="SET NULL")
    answer_id: int | None  # peewee's id accessor, declared for the type checker
    staff = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        database = db
        legacy_table_names = False
        indexes = ((("reception", "answer"), True),)


ALL_MODELS: list[type[Model]] = [
    Staff,
    Setting,
    AuditLog,
    Counter,
    Customer,
    CustomerContact,
    CustomerTag,
    CustomerSearchKey,
    Attachment,
    AttachmentBlob,
    CustomerDocument,
    ServiceEvent,
    Reception,
    Complaint,
    ComplaintStep,
    ComplaintParty,
    MemberLevel,
    MemberCard,
    CardEvent,
    Gift,
    PointsEntry,
    Redemption,
    MemberEvent,
    EventAttendance,
    Greeting,
    Referral,
    ReturnVisit,
    VisitAnswer,
    ReportNote,
    Appraisal,
    AppraisalMonth,
    AnswerEntry,
    AnswerUse,
]

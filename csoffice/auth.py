"""Staff accounts, sign-in and password hashing; roles and ``require`` re-exported from
``csoffice.permissions``.

The domain layer checks permissions itself (``require``); the UI only hides what a role
cannot use. Passwords are stored as scrypt hashes, never in clear.
"""

from __future__ import annotations

import base64
import datetime as dt
import getpass
import hashlib
import hmac
import os
import socket
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, TypeVar

from csoffice import audit, settings
from csoffice.changes import Change
from csoffice.db.database import db, emit_after_commit
from csoffice.db.lookup import get_or_not_found, in_id_order
from csoffice.db.models import Staff, now
from csoffice.errors import Conflict, NotFound, PermissionDenied, ValidationError
from csoffice.i18n import _
from csoffice.permissions import (
    ROLE_LABELS,
    Role,
    can,
    require,
)
from csoffice.validation import clean_text, mask_id, mask_phone

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


# --- The command line ------------------------------------------------------------------------

COMMAND_LINE_ORIGIN = "cli:"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        return "?"


def command_line_origin() -> str:
    """ "cli:user@host": the command line, with the operating-system user and host."""
    return f"{COMMAND_LINE_ORIGIN}{_os_user()}@{socket.gethostname()}"[:120]


def command_line_actor() -> Staff:
    """Who acts for a command-line action: the manager's rights, but no staff member. Its
    audit rows name the command line with the operating-system user and host, never a
    staff account nobody signed in to."""
    origin = command_line_origin()
    actor = Staff(
        username=origin[len(COMMAND_LINE_ORIGIN) :][:40],
        display_name=_("command line")[:40],
        role=Role.MANAGER,
        active=True,
    )
    actor.audit_origin = origin
    return actor


def origin_label(origin: str) -> str:
    """How an audit row's origin reads in the audit viewer."""
    if origin.startswith(COMMAND_LINE_ORIGIN):
        return _("command line ({who})").format(who=origin[len(COMMAND_LINE_ORIGIN) :])
    return origin


# --- Privacy: who sees phone and ID numbers in full ------------------------------------------
# Lists and printed forms always mask them (138****5678, 110101********1234). On a customer's
# file and a complaint form the manager and clerks see them in full: they call the customer
# back and check the ID at the counter. Viewers (read-only roles: an auditor, a trainee)
# see them masked everywhere.
_PHONE_FIELDS = ("mobile", "phone2", "contact_phone", "caller_phone")
_ID_FIELDS = ("id_number",)


def shown_phone(actor: Staff | None, phone: str) -> str:
    return phone if can(actor, "view_personal") else mask_phone(phone or "")


def shown_id(actor: Staff | None, number: str) -> str:
    return number if can(actor, "view_personal") else mask_id(number or "")


def personal_view(actor: Staff | None, data: T) -> T:
    """A copy of the dataclass ``data`` with its phone and ID fields masked unless ``actor``
    may see them in full (for showing only: never save what this returns)."""
    if can(actor, "view_personal"):
        return data
    names = {f.name for f in fields(data)}
    masked: dict[str, str | None] = {}
    for name in names.intersection(_PHONE_FIELDS):
        masked[name] = mask_phone(getattr(data, name) or "")
    for name in names.intersection(_ID_FIELDS):
        masked[name] = mask_id(getattr(data, name) or "")
        if "birthday" in names and masked[name] != (getattr(data, name) or ""):
            masked["birthday"] = None  # a resident ID's hidden digits are the birth date
    return replace(data, **masked)


# scrypt parameters: about 50 ms on an office PC, 16 MiB of memory.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    encode = base64.b64encode
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    expected = base64.b64decode(digest)
    actual = hashlib.scrypt(
        password.encode(),
        salt=base64.b64decode(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(expected),
    )
    return hmac.compare_digest(actual, expected)


def create_staff(
    actor: Staff | None,
    username: str,
    display_name: str,
    role: Role | str = Role.CLERK,
    password: str = "",
) -> Staff:
    """Add a staff account. While no manager exists (set-up), no actor is needed."""
    if _has_manager():
        require(actor, "manage_staff")
    username, display_name = clean_text(username), clean_text(display_name)
    errors = {}
    if not username:
        errors["username"] = _("Enter a user name.")
    elif Staff.select().where(Staff.username == username).exists():
        errors["username"] = _("This user name is taken.")
    if not display_name:
        errors["display_name"] = _("Enter the name shown on forms.")
    if role not in set(Role):
        errors["role"] = _("Choose a role.")
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        staff = Staff.create(
            username=username,
            display_name=display_name,
            role=str(role),
            password_hash=hash_password(password) if password else "",
            created_by=actor,
        )
        audit.record(actor, "create", "staff", staff.id, summary=f"{username} ({role})")
    emit_after_commit(Change.STAFF)
    return staff


def _has_manager() -> bool:
    return Staff.select().where(Staff.role == Role.MANAGER, Staff.active == True).exists()


def default_manager() -> Staff:
    """The acting staff member for scripted use: the first active manager, created if none."""
    manager = (
        Staff.select()
        .where(Staff.role == Role.MANAGER, Staff.active == True)
        .order_by(Staff.id)
        .first()
    )
    if manager is not None:
        return manager
    return create_staff(None, "admin", _("Administrator"), Role.MANAGER)


# --- Passwords and log-in ------------------------------------------------------------------

MIN_PASSWORD_LENGTH = 6
FREE_ATTEMPTS = 5  # wrong passwords in a row before each further try has to wait
_FIRST_DELAY_SECONDS = 30
# Capped low: guessing stays slow (at most 12 tries an hour once waiting), yet ten wrong
# guesses by someone else cannot shut the manager out for long.
_MAX_DELAY_SECONDS = 5 * 60


class LoginRefused(PermissionDenied):
    """A log-in that failed; ``retry_after`` is how many seconds to wait before the next try."""

    def __init__(self, message: str, retry_after: int = 0):
        super().__init__(message)
        self.retry_after = retry_after


def login_delay(failed_logins: int) -> int:
    """Seconds to wait after ``failed_logins`` wrong passwords in a row: none for the first
    five, then 30 s, doubling with each further failure, at most 5 minutes."""
    if failed_logins < FREE_ATTEMPTS:
        return 0
    return min(_FIRST_DELAY_SECONDS * 2 ** (failed_logins - FREE_ATTEMPTS), _MAX_DELAY_SECONDS)


def retry_after(staff: Staff, at: dt.datetime | None = None) -> int:
    """Seconds before ``staff`` may try a password again (0: now)."""
    delay = login_delay(staff.failed_logins or 0)
    if not delay or staff.last_failed_at is None:
        return 0
    at = at or now()
    return max(0, int((staff.last_failed_at + dt.timedelta(seconds=delay) - at).total_seconds()))


def _wait_message(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if minutes:
        return _("Too many wrong passwords. Try again in {minutes} min {seconds} s.").format(
            minutes=minutes, seconds=rest
        )
    return _("Too many wrong passwords. Try again in {seconds} s.").format(seconds=seconds)


def authenticate(username: str, password: str, at: dt.datetime | None = None) -> Staff:
    """The active staff member with this user name and password, or LoginRefused saying why.

    Failures are counted on the account (so a restart does not reset them); after five in a
    row each further try must wait longer, and while it waits the password is not even checked.
    """
    at = at or now()
    name = clean_text(username)
    staff = Staff.get_or_none(Staff.username == name)
    wrong = _("Wrong user name or password.")
    if staff is None or not staff.password_hash:
        # As slow as a wrong password (the same hash work and an audit row written), so the
        # time taken does not tell which user names exist.
        verify_password(password or "", _dummy_hash())
        with db.atomic():
            audit.record(None, "login_failed", "staff", None, summary=name[:80])
        raise LoginRefused(wrong)
    wait = retry_after(staff, at)
    if wait:
        raise LoginRefused(_wait_message(wait), wait)
    if not verify_password(password or "", staff.password_hash):
        with db.atomic():
            Staff.update(failed_logins=Staff.failed_logins + 1, last_failed_at=at).where(
                Staff.id == staff.id
            ).execute()
            audit.record(staff, "login_failed", "staff", staff.id, summary=staff.username)
        staff = Staff.get_by_id(staff.id)
        wait = login_delay(staff.failed_logins)
        if wait:
            raise LoginRefused(f"{wrong} {_wait_message(wait)}", wait)
        return_left = FREE_ATTEMPTS - staff.failed_logins
        raise LoginRefused(
            f"{wrong} " + _("{n} more tries before a waiting time.").format(n=return_left)
        )
    if not staff.active:
        raise LoginRefused(_("This account has been deactivated; ask the manager."))
    with db.atomic():
        Staff.update(failed_logins=0, last_failed_at=None, last_login_at=at).where(
            Staff.id == staff.id
        ).execute()
        audit.record(staff, "login", "staff", staff.id, summary=staff.username)
    return Staff.get_by_id(staff.id)


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    """A hash of a random password with the same parameters, made once per process."""
    if not _DUMMY:
        _DUMMY.append(hash_password(base64.b64encode(os.urandom(12)).decode()))
    return _DUMMY[0]


def clear_lockout(actor: Staff, staff_id: int) -> None:
    """The manager lifts a staff member's waiting time after wrong passwords."""
    require(actor, "manage_staff")
    staff = _get(staff_id)
    with db.atomic():
        Staff.update(failed_logins=0, last_failed_at=None).where(Staff.id == staff.id).execute()
        audit.record(actor, "clear_lockout", "staff", staff.id, summary=staff.username)
    emit_after_commit(Change.STAFF)


def check_password(password: str, repeat: str, field: str = "password") -> None:
    """Raise ValidationError unless ``password`` is long enough and typed the same twice."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError.single(
            field,
            _("The password needs at least {n} characters.").format(n=MIN_PASSWORD_LENGTH),
        )
    if password != repeat:
        raise ValidationError.single("repeat", _("The two passwords differ."))


def change_password(actor: Staff, old: str, new: str, repeat: str) -> None:
    """The signed-in staff member changes their own password."""
    if actor is None or not actor.active:
        raise PermissionDenied(_("Sign in first."))
    current = Staff.get_by_id(actor.id)
    if current.password_hash and not verify_password(old or "", current.password_hash):
        raise ValidationError.single("old", _("The current password is wrong."))
    check_password(new, repeat)
    _set_password(actor, actor, new, "change_password")


def reset_password(actor: Staff, staff_id: int, new: str, repeat: str) -> None:
    """The manager gives a staff member a new password (and lifts any waiting time)."""
    require(actor, "manage_staff")
    staff = _get(staff_id)
    check_password(new, repeat)
    _set_password(actor, staff, new, "reset_password")


def _set_password(actor: Staff, staff: Staff, new: str, action: str) -> None:
    """Store ``staff``'s new password, lifting any waiting time, and audit it as ``action``."""
    with db.atomic():
        Staff.update(password_hash=hash_password(new), failed_logins=0, last_failed_at=None).where(
            Staff.id == staff.id
        ).execute()
        audit.record(actor, action, "staff", staff.id, summary=staff.username)
    emit_after_commit(Change.STAFF)


def needs_first_run() -> bool:
    """True while no active manager can sign in (no password set yet): the set-up is due."""
    return not (
        Staff.select()
        .where(Staff.role == Role.MANAGER, Staff.active == True, Staff.password_hash != "")
        .exists()
    )


def passwordless_manager() -> Staff | None:
    """The manager account made by ``init``/``demo`` on the command line that has no password
    yet: the first-run set-up gives it one instead of making a second manager."""
    if not needs_first_run():
        return None
    return (
        Staff.select()
        .where(Staff.role == Role.MANAGER, Staff.active == True)
        .order_by(Staff.id)
        .first()
    )


def first_run(
    office_name: str, display_name: str, username: str, password: str, repeat: str
) -> Staff:
    """Set up the office: its name and the manager's account, in one transaction.

    The manager account the command line made for scripted use (no password) becomes this
    manager's, so records made before the set-up keep a signer.
    """
    if not needs_first_run():
        raise PermissionDenied(_("The office is already set up; sign in as the manager."))
    errors: dict[str, str] = {}
    office_name, display_name, username = (
        clean_text(office_name),
        clean_text(display_name),
        clean_text(username),
    )
    if not office_name:
        errors["office_name"] = _("Enter the office's name.")
    if not display_name:
        errors["display_name"] = _("Enter the name shown on forms.")
    if not username:
        errors["username"] = _("Enter a user name.")
    try:
        check_password(password, repeat)
    except ValidationError as exc:
        errors.update(exc.errors)
    existing = (
        Staff.select()
        .where(Staff.role == Role.MANAGER, Staff.active == True)
        .order_by(Staff.id)
        .first()
    )
    taken = Staff.select().where(Staff.username == username)
    if existing is not None:
        taken = taken.where(Staff.id != existing.id)
    if username and taken.exists():
        errors["username"] = _("This user name is taken.")
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        if existing is None:
            manager = create_staff(None, username, display_name, Role.MANAGER, password)
        else:
            before = audit.snapshot(existing, ["username", "display_name"])
            existing.username, existing.display_name = username, display_name
            existing.password_hash = hash_password(password)
            existing.save()
            manager = existing
            audit.record(
                manager,
                "update",
                "staff",
                manager.id,
                summary=username,
                changes=audit.diff(before, {"username": username, "display_name": display_name}),
            )
        settings.put(manager, {"office.name": office_name})
    emit_after_commit(Change.STAFF)
    return manager


# --- Staff management (manager) ----------------------------------------------------------


def _get(staff_id: int) -> Staff:
    return get_or_not_found(Staff, _("No such staff member."), Staff.id == staff_id)


def _other_active_managers(staff_id: int) -> int:
    return (
        Staff.select()
        .where(Staff.role == Role.MANAGER, Staff.active == True, Staff.id != staff_id)
        .count()
    )


def update_staff(actor: Staff, staff_id: int, display_name: str, role: Role | str) -> Staff:
    """Rename a staff member or change their role; the office always keeps one manager."""
    require(actor, "manage_staff")
    staff = _get(staff_id)
    display_name = clean_text(display_name)
    errors = {}
    if not display_name:
        errors["display_name"] = _("Enter the name shown on forms.")
    if role not in set(Role):
        errors["role"] = _("Choose a role.")
    elif (
        staff.role == Role.MANAGER
        and role != Role.MANAGER
        and staff.active
        and not _other_active_managers(staff.id)
    ):
        errors["role"] = _("The office needs at least one manager.")
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        before = audit.snapshot(staff, ["display_name", "role"])
        staff.display_name, staff.role = display_name, str(role)
        staff.save()
        changes = audit.diff(before, audit.snapshot(staff, ["display_name", "role"]))
        if changes:
            audit.record(
                actor, "update", "staff", staff.id, summary=staff.username, changes=changes
            )
            emit_after_commit(Change.STAFF)
    return staff


def set_active(actor: Staff, staff_id: int, active: bool, reason: str = "") -> Staff:
    """Deactivate (or reactivate) an account. Staff are never deleted: their name stays on
    every record they signed."""
    require(actor, "manage_staff")
    staff = _get(staff_id)
    if not active:
        if staff.id == actor.id:
            raise Conflict(_("You cannot deactivate your own account."))
        if staff.role == Role.MANAGER and not _other_active_managers(staff.id):
            raise Conflict(_("The office needs at least one manager."))
    if staff.active == active:
        return staff
    with db.atomic():
        staff.active = active
        staff.save()
        audit.record(
            actor,
            "deactivate" if not active else "reactivate",
            "staff",
            staff.id,
            summary=reason or staff.username,
            changes={"active": [not active, active]},
        )
    emit_after_commit(Change.STAFF)
    return staff


@dataclass(frozen=True)
class StaffRow:
    """One line of the staff list."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    has_password: bool
    failed_logins: int
    last_login_at: dt.datetime | None

    @property
    def role_label(self) -> str:
        return _(ROLE_LABELS[Role(self.role)]) if self.role in set(Role) else self.role


def staff_ids(
    sort_key: str | None = None, descending: bool = False, include_inactive: bool = True
) -> list[int]:
    """Staff ids, active ones first, by user name unless ``sort_key`` names a column."""
    columns = {"username": Staff.username, "display_name": Staff.display_name, "role": Staff.role}
    order = columns.get(sort_key or "", Staff.username)
    query = Staff.select(Staff.id)
    if not include_inactive:
        query = query.where(Staff.active == True)
    query = query.order_by(Staff.active.desc(), order.desc() if descending else order, Staff.id)
    return [row.id for row in query]


def staff_rows(ids: list[int]) -> list[StaffRow]:
    found = {s.id: s for s in Staff.select().where(Staff.id.in_(ids))}
    return [
        StaffRow(
            id=s.id,
            username=s.username,
            display_name=s.display_name,
            role=s.role,
            active=bool(s.active),
            has_password=bool(s.password_hash),
            failed_logins=s.failed_logins or 0,
            last_login_at=s.last_login_at,
        )
        for s in in_id_order(ids, found)
    ]


def staff_row(staff_id: int) -> StaffRow:
    rows = staff_rows([staff_id])
    if not rows:
        raise NotFound(_("No such staff member."))
    return rows[0]

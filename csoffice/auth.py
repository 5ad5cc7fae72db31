"""Staff accounts, roles and what each role may do, and password hashing.

The domain layer checks permissions itself (``require``); the UI only hides what a role
cannot use. Passwords are stored as scrypt hashes, never in clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from enum import StrEnum

from csoffice import audit
from csoffice.db.database import db
from csoffice.db.models import Staff
from csoffice.errors import PermissionDenied, ValidationError
from csoffice.i18n import N_, _


class Role(StrEnum):
    MANAGER = "manager"
    CLERK = "clerk"
    VIEWER = "viewer"


ROLE_LABELS = {Role.MANAGER: N_("Manager"), Role.CLERK: N_("Clerk"), Role.VIEWER: N_("Viewer")}

# What each action needs. Desk work is for clerks and the manager; the rest is the manager's.
_MANAGER_ONLY = {
    "confirm_major_complaint",
    "reopen_complaint",
    "adjust_points",
    "export",
    "merge_customers",
    "archive_customer",
    "change_settings",
    "manage_staff",
    "restore_backup",
    "view_audit",
    "close_appraisal",
    "sample_check",
}
_DESK_WORK = {"edit", "print", "backup"}
ACTION_LABELS = {
    "confirm_major_complaint": N_("confirm a major complaint"),
    "reopen_complaint": N_("re-open a closed complaint"),
    "adjust_points": N_("adjust points by hand"),
    "export": N_("export data"),
    "merge_customers": N_("merge customer files"),
    "archive_customer": N_("archive a customer"),
    "change_settings": N_("change the settings"),
    "manage_staff": N_("manage staff accounts"),
    "restore_backup": N_("restore a backup"),
    "view_audit": N_("view the audit trail"),
    "close_appraisal": N_("close an appraisal month"),
    "sample_check": N_("draw a sample check"),
    "edit": N_("change records"),
    "print": N_("print"),
    "backup": N_("make a backup"),
}


def can(staff: Staff | None, action: str) -> bool:
    if staff is None or not staff.active:
        return False
    if staff.role == Role.MANAGER:
        return True
    if action in _MANAGER_ONLY:
        return False
    if action in _DESK_WORK:
        return staff.role == Role.CLERK
    return True


def require(staff: Staff | None, action: str) -> None:
    """Raise PermissionDenied, saying why, unless ``staff`` may do ``action``."""
    if can(staff, action):
        return
    what = _(ACTION_LABELS.get(action, action))
    if action in _MANAGER_ONLY:
        raise PermissionDenied(_("Only the manager may {action}.").format(action=what))
    raise PermissionDenied(_("Your role may not {action}.").format(action=what))


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
    username, display_name = username.strip(), display_name.strip()
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

"""Roles and what each may do: the one permission check every write path calls.

Apart from ``auth`` (accounts, passwords, sign-in) so that ``settings`` and the audit viewer
can check a permission without importing the account code that writes settings.
"""

from __future__ import annotations

from enum import StrEnum

from csoffice.db.models import Staff
from csoffice.errors import PermissionDenied
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
    "choose_backup_folder",
    "view_audit",
    "close_appraisal",
    "choose_appraisal_supervisor",
    "sample_check",
}
# view_personal: full phone and ID numbers on a customer's file (viewers see them masked).
_DESK_WORK = {"edit", "print", "backup", "view_personal"}
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
    "choose_backup_folder": N_("choose where a backup goes"),
    "view_audit": N_("view the audit trail"),
    "close_appraisal": N_("close an appraisal month"),
    "choose_appraisal_supervisor": N_("choose who gives the supervisor's mark"),
    "sample_check": N_("draw a sample check"),
    "edit": N_("change records"),
    "print": N_("print"),
    "backup": N_("make a backup"),
    "view_personal": N_("see full phone and ID numbers"),
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


def _current(staff: Staff | None) -> Staff | None:
    """``staff`` as the database has it now: a manager at another desk may have deactivated
    the account or changed its role since it signed in. The caller's object is brought up to
    date too, so the screens follow at their next refresh."""
    if staff is None or staff.id is None:
        return staff  # the command line acts without a staff record
    row = Staff.select(Staff.id, Staff.role, Staff.active).where(Staff.id == staff.id).first()
    if row is None:
        staff.active = False
        return staff
    staff.role, staff.active = row.role, row.active
    return staff


def require(staff: Staff | None, action: str) -> None:
    """Raise PermissionDenied, saying why, unless ``staff`` may do ``action`` (checked against
    the current staff record, not the one read at sign-in)."""
    was_active = staff is not None and bool(staff.active)
    staff = _current(staff)
    if can(staff, action):
        return
    if was_active and staff is not None and not staff.active:
        raise PermissionDenied(_("This account has been deactivated; ask the manager."))
    what = _(ACTION_LABELS.get(action, action))
    if action in _MANAGER_ONLY:
        raise PermissionDenied(_("Only the manager may {action}.").format(action=what))
    raise PermissionDenied(_("Your role may not {action}.").format(action=what))

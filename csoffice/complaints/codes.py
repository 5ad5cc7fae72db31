"""Complaint codes and their labels: statuses, severities, channels, categories,
departments, workflow actions and the state machine's transitions."""

from __future__ import annotations

from csoffice import auth, receptions, settings
from csoffice.db.models import Staff
from csoffice.i18n import N_, _

STATUSES = {
    "received": N_("Received"),
    "awaiting_manager": N_("Awaiting the manager"),
    "in_progress": N_("In progress"),
    "handled": N_("Handled"),
    "informed": N_("Customer informed"),
    "closed": N_("Closed"),
    "rejected": N_("Rejected"),
}
# The resolution clock runs while a complaint is in one of these.
OPEN_STATUSES = ("received", "awaiting_manager", "in_progress")
# The first responder still has work to do (chase, inform the customer, close).
ACTIVE_STATUSES = (*OPEN_STATUSES, "handled", "informed")
FINAL_STATUSES = ("closed", "rejected")

SEVERITIES = {
    "ordinary": N_("Ordinary complaint"),
    "major": N_("Major complaint"),
    "group": N_("Group complaint"),
}
MANAGER_SEVERITIES = ("major", "group")

CHANNELS = receptions.CHANNELS  # a complaint comes in the ways a call or visit does
CATEGORIES = {
    "quality": N_("Product quality"),
    "attitude": N_("Service attitude"),
    "delivery": N_("Delivery"),
    "billing": N_("Billing"),
    "repair": N_("Repair"),
    "property": N_("Property management"),
    "other": N_("Other"),
}
DEPARTMENTS = {
    "service": N_("Customer service"),
    "sales": N_("Sales"),
    "aftersales": N_("After-sales service"),
    "finance": N_("Finance"),
    "logistics": N_("Logistics"),
    "property": N_("Property management office"),
}
ACTIONS = {
    "receive": N_("Received"),
    "submit": N_("Send to the manager"),
    "confirm": N_("Confirm and assign"),
    "assign": N_("Hand to a department"),
    "handle": N_("Record the result"),
    "rework": N_("Send back for rework"),
    "inform": N_("Record the customer's feedback"),
    "close": N_("Close and file"),
    "reject": N_("Reject"),
    "reopen": N_("Re-open"),
    "escalate": N_("Escalated to the manager"),
    "note": N_("Note added"),
    "edit": N_("Form corrected"),
    "group_add": N_("Complainant added"),
    "group_remove": N_("Complainant removed"),
    "duplicate": N_("Marked as a duplicate of"),
    "duplicate_found": N_("Repeated by"),
    "unduplicate": N_("No longer a duplicate of"),
}

# The state machine: (action, from status) → to status. Nothing else moves a complaint.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("submit", "received"): "awaiting_manager",
    ("confirm", "awaiting_manager"): "in_progress",
    ("assign", "received"): "in_progress",  # ordinary complaints only
    ("assign", "in_progress"): "in_progress",  # handed on to another department or person
    ("handle", "in_progress"): "handled",
    ("rework", "handled"): "in_progress",
    ("inform", "handled"): "informed",
    ("close", "informed"): "closed",
    ("reject", "received"): "rejected",
    ("reject", "awaiting_manager"): "rejected",
    ("reject", "in_progress"): "rejected",
    ("reopen", "closed"): "in_progress",
    ("reopen", "rejected"): "received",
}
MOVES = tuple(dict.fromkeys(action for action, _status in TRANSITIONS))

DEFAULT_NUMBER_FORMAT = "TS-{year:04d}{month:02d}-{seq:04d}"
DEFAULT_DEADLINES = {"ordinary": (24, 72), "major": (4, 24), "group": (1, 24)}
PAGE_SIZES = ("A4", "A5")

_MAX = {
    "contact_name": 100,
    "facts": 4000,
    "desired_outcome": 2000,
    "department": 40,
    "handler_name": 60,
    "note": 2000,
    "result": 4000,
    "root_cause": 2000,
    "corrective_action": 2000,
    "customer_opinion": 2000,
    "satisfaction_reason": 1000,
}


def label(labels: dict[str, str], code: str) -> str:
    """The translated label of ``code``; a code the office added itself is shown as typed."""
    return _(labels[code]) if code in labels else code


def status_label(code: str) -> str:
    return label(STATUSES, code)


def severity_label(code: str) -> str:
    return label(SEVERITIES, code)


def channel_label(code: str) -> str:
    return label(CHANNELS, code)


def category_label(code: str) -> str:
    return label(CATEGORIES, code)


def department_label(code: str) -> str:
    return label(DEPARTMENTS, code)


def action_label(code: str) -> str:
    return label(ACTIONS, code)


def categories() -> list[tuple[str, str]]:
    """The office's complaint categories as (code, label), in the office's order."""
    return [(code, category_label(code)) for code in settings.get("complaints.categories") or []]


def departments() -> list[tuple[str, str]]:
    return [(code, department_label(code)) for code in settings.get("complaints.departments") or []]


def staff_choices(receivers_only: bool = False) -> list[tuple[int, str]]:
    """Active staff as (id, name): anyone may handle a complaint; clerks and the manager receive."""
    query = Staff.select(Staff.id, Staff.display_name).where(Staff.active == True)
    if receivers_only:
        query = query.where(Staff.role.in_([auth.Role.MANAGER, auth.Role.CLERK]))
    return [(row.id, row.display_name) for row in query.order_by(Staff.id)]

"""Complaint handling (投诉处理): the form, its workflow as an explicit state machine, running
numbers, deadlines and escalation, the ledger (投诉台帐) and its export.

The flow: received → (major and group complaints: awaiting the manager) → in progress
(a department and a person) → handled → customer informed → closed; or rejected with a
reason. Only the manager confirms major and group complaints and re-opens closed ones; each
move is a dated, signed step of the timeline. Whoever received a complaint owns it to the end
(首问负责制), whoever does the fixing.

The package, by responsibility: codes (statuses, severities, the state machine), records (one
complaint, the write transaction), limits (deadlines, overdue, escalation), numbering, form
(clean, create, update), workflow (moves, notes), attachments, detail (one complaint as shown),
ledger (the lazy list, totals, the Today board's lists), ledger_export, grouping (a group
complaint's complainants, duplicates and how both are counted); slip (the printed slip, its
permission and audit) is imported from csoffice.complaints.slip.
"""

from csoffice.complaints.attachments import (
    attach,
    void_attachment,
)
from csoffice.complaints.codes import (
    ACTIONS,
    ACTIVE_STATUSES,
    CATEGORIES,
    CHANNELS,
    DEFAULT_DEADLINES,
    DEFAULT_NUMBER_FORMAT,
    DEPARTMENTS,
    FINAL_STATUSES,
    MANAGER_SEVERITIES,
    MOVES,
    OPEN_STATUSES,
    PAGE_SIZES,
    SEVERITIES,
    STATUSES,
    TRANSITIONS,
    action_label,
    categories,
    category_label,
    channel_label,
    department_label,
    departments,
    label,
    severity_label,
    staff_choices,
    status_label,
)
from csoffice.complaints.detail import (
    AttachmentRow,
    ComplaintView,
    Round,
    StepRow,
    rounds_of,
    to_input,
    view,
    view_by_number,
)
from csoffice.complaints.form import (
    FIELD_LABELS,
    FORM_FIELDS,
    ComplaintInput,
    clean,
    create,
    draft_from_reception,
    update,
)
from csoffice.complaints.grouping import (
    COUNTING_NOTE,
    Complainant,
    add_complainant,
    complainants,
    duplicates_of,
    link_duplicate,
    other_complainants,
    people,
    remove_complainant,
    unlink_duplicate,
)
from csoffice.complaints.ledger import (
    SORT_KEYS,
    ComplaintRow,
    LedgerFilter,
    LedgerTotals,
    Owner,
    overdue_ids,
    owned_by,
    rows,
    search_ids,
    totals,
)
from csoffice.complaints.ledger_export import (
    EXPORT_COLUMNS,
    export,
    export_ledger,
)
from csoffice.complaints.limits import (
    OVERDUE_DEFINITION,
    OVERDUE_LABELS,
    _overdue_condition,
    deadline_hours,
    deadlines,
    escalate_overdue,
    overdue_in,
    overdue_kind,
)
from csoffice.complaints.numbering import (
    format_number,
    numbers_gap_free,
)
from csoffice.complaints.records import (
    COUNTED,
    ROUND_FIELDS,
    get,
    get_by_number,
)
from csoffice.complaints.workflow import (
    StepInput,
    add_note,
    allowed_actions,
    move,
)

__all__ = [
    "ACTIONS",
    "ACTIVE_STATUSES",
    "CATEGORIES",
    "CHANNELS",
    "COUNTED",
    "COUNTING_NOTE",
    "DEFAULT_DEADLINES",
    "DEFAULT_NUMBER_FORMAT",
    "DEPARTMENTS",
    "EXPORT_COLUMNS",
    "FIELD_LABELS",
    "FINAL_STATUSES",
    "FORM_FIELDS",
    "MANAGER_SEVERITIES",
    "MOVES",
    "OPEN_STATUSES",
    "OVERDUE_DEFINITION",
    "OVERDUE_LABELS",
    "PAGE_SIZES",
    "ROUND_FIELDS",
    "SEVERITIES",
    "SORT_KEYS",
    "STATUSES",
    "TRANSITIONS",
    "AttachmentRow",
    "Complainant",
    "ComplaintInput",
    "ComplaintRow",
    "ComplaintView",
    "LedgerFilter",
    "LedgerTotals",
    "Owner",
    "Round",
    "StepInput",
    "StepRow",
    "_overdue_condition",
    "action_label",
    "add_complainant",
    "add_note",
    "allowed_actions",
    "attach",
    "categories",
    "category_label",
    "channel_label",
    "clean",
    "complainants",
    "create",
    "deadline_hours",
    "deadlines",
    "department_label",
    "departments",
    "draft_from_reception",
    "duplicates_of",
    "escalate_overdue",
    "export",
    "export_ledger",
    "format_number",
    "get",
    "get_by_number",
    "label",
    "link_duplicate",
    "move",
    "numbers_gap_free",
    "other_complainants",
    "overdue_ids",
    "overdue_in",
    "overdue_kind",
    "owned_by",
    "people",
    "remove_complainant",
    "rounds_of",
    "rows",
    "search_ids",
    "severity_label",
    "staff_choices",
    "status_label",
    "to_input",
    "totals",
    "unlink_duplicate",
    "update",
    "view",
    "view_by_number",
    "void_attachment",
]

"""Return visits (回访): the rules that schedule follow-up calls, the due list, each call's result,
the manager's sample check and the export.

A rule hangs a call on a customer's service event or on a handled complaint: 7 days after a
purchase or delivery (7DC), 3 days after a repair (3DC), one month and one year after a purchase,
a few days after a complaint was handled (to confirm the customer is satisfied). Calls can also
be scheduled by hand. A call that does not reach the customer is tried again the next day, up to
a limit; a dissatisfied answer is called again a few days later until it is settled, or becomes
a complaint. The manager draws a random sample of last month's calls for a second call.

The package, by responsibility: ``codes`` (kinds, statuses, labels, questions), ``planning`` (the
rules and the scheduler), ``replan`` (changing the rules), ``calls`` (writing calls and their
results), ``follow_up`` (complaints raised from calls, the sample check), ``lists`` (the due list,
its rows, one call's view), ``export`` (the export and the checks).
"""

from csoffice.survey import DEFAULT_QUESTIONS
from csoffice.visit_rules import Facts, Rule
from csoffice.visits.calls import (
    Outcome,
    ResultInput,
    cancel,
    get,
    reassign,
    record_result,
    schedule,
)
from csoffice.visits.codes import (
    DISSATISFIED,
    KINDS,
    SATISFACTION,
    STATUSES,
    _int_setting,
    kinds,
    label,
    questions,
    satisfaction_label,
    staff_choices,
    status_label,
)
from csoffice.visits.export import (
    EXPORT_COLUMNS,
    check_results,
    export,
)
from csoffice.visits.follow_up import (
    answers_of,
    complaint_draft_from_visit,
    last_month,
    link_complaint,
    raise_complaint,
    sample_check,
    sample_size,
)
from csoffice.visits.lists import (
    SORT_KEYS,
    VIEWS,
    Assignee,
    Caller,
    VisitFilter,
    VisitRow,
    VisitView,
    due_ids,
    result_text,
    rows,
    search_ids,
    view,
)
from csoffice.visits.planning import (
    rule_specs,
    rules,
    schedule_due_visits,
)
from csoffice.visits.replan import (
    Replanned,
    check_rules,
    replan,
    save_rules,
)

__all__ = [
    "DEFAULT_QUESTIONS",
    "DISSATISFIED",
    "EXPORT_COLUMNS",
    "KINDS",
    "SATISFACTION",
    "SORT_KEYS",
    "STATUSES",
    "VIEWS",
    "Assignee",
    "Caller",
    "Facts",
    "Outcome",
    "Replanned",
    "ResultInput",
    "Rule",
    "VisitFilter",
    "VisitRow",
    "VisitView",
    "_int_setting",
    "answers_of",
    "cancel",
    "check_results",
    "check_rules",
    "complaint_draft_from_visit",
    "due_ids",
    "export",
    "get",
    "kinds",
    "label",
    "last_month",
    "link_complaint",
    "questions",
    "raise_complaint",
    "reassign",
    "record_result",
    "replan",
    "result_text",
    "rows",
    "rule_specs",
    "rules",
    "sample_check",
    "sample_size",
    "satisfaction_label",
    "save_rules",
    "schedule",
    "schedule_due_visits",
    "search_ids",
    "staff_choices",
    "status_label",
    "view",
]

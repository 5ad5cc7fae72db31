"""A clerk's daily work report (每天递交工作报告): what one clerk did on one day — the receptions
taken, follow-ups closed and still owed, return visits done, complaints received — with the
clerk's and the manager's signatures. Every figure from csoffice.desk_reports."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from csoffice import receptions, reports, visits
from csoffice.desk_reports import ClerkDay
from csoffice.i18n import _, format_date, format_number, format_time
from csoffice.printing.report_parts import BODY, _fit, _table, figure_pairs, heading, p
from csoffice.printing.styles import (
    Office,
    build_on_letterhead,
    document,
    header_row,
    signature_block,
)
from csoffice.validation import mask_phone


def _reception_rows(rows: list[receptions.ReceptionRow]) -> Flowable:
    head = header_row(
        _("Time"), _("Channel"), _("Caller"), _("Category"), _("What was said"), _("Outcome")
    )
    widths = [14 * mm, 16 * mm, 34 * mm, 16 * mm, BODY - 126 * mm, 46 * mm]
    body = [
        [
            format_time(r.received_at),
            p(receptions.channel_label(r.channel), "small"),
            p(f"{r.caller} {mask_phone(r.caller_phone)}".strip(), "small"),
            p(receptions.category_label(r.category), "small"),
            p(_fit(r.content.replace("\n", " "), widths[4] * 2.6, 7.5), "small"),
            p(_fit(r.outcome.replace("\n", " "), widths[5] * 2.6, 7.5), "small"),
        ]
        for r in rows
    ]
    return _table([head, *body], widths, font_size=7.5)


def _followups(rows: list[receptions.ReceptionRow], day: dt.date) -> Flowable:
    head = header_row(_("Received"), _("Caller"), _("What was said"), _("Due"))
    widths = [26 * mm, 30 * mm, BODY - 82 * mm, 26 * mm]
    body = [
        [
            format_date(r.received_at.date(), "short"),
            p(r.caller, "small"),
            p(_fit(r.content.replace("\n", " "), widths[2] * 1.9, 7.5), "small"),
            (format_date(r.followup_due, "short") if r.followup_due else "—")
            + (_(" (overdue)") if r.followup_due and r.followup_due < day else ""),
        ]
        for r in rows
    ]
    return _table([head, *body], widths, font_size=7.5)


def _visits(rows: list[visits.VisitRow]) -> Flowable:
    head = header_row(_("Customer"), _("Kind"), _("Result"), _("Satisfaction"))
    widths = [40 * mm, 50 * mm, BODY - 130 * mm, 40 * mm]
    body = [
        [
            p(v.customer_name, "small"),
            p(v.kind_label, "small"),
            p(v.result_label, "small"),
            p(reports.satisfaction_label(v.satisfaction), "small"),
        ]
        for v in rows
    ]
    return _table([head, *body], widths, font_size=7.5)


def render_clerk_daily(d: ClerkDay, office: Office) -> bytes:
    """One clerk's day of work as an A4 PDF, for the clerk and the manager to sign."""
    title = _("Daily work report")
    out = io.BytesIO()
    doc = document(out, f"{title} {d.staff_name} {d.day.isoformat()}", office.display_name)
    categories = "、".join(
        f"{receptions.category_label(c)} {format_number(k)}" for c, k in d.by_category
    )
    story: list[Flowable] = [
        p(title, "title"),
        p(
            _("{name} · {date}").format(name=d.staff_name, date=format_date(d.day, "full")),
            "base",
        ),
        Spacer(1, 2 * mm),
        figure_pairs(
            [
                (_("Calls and visits taken"), format_number(d.reception_count)),
                (_("Follow-ups closed"), format_number(len(d.followups_done))),
                (_("Follow-ups still owed"), format_number(len(d.followups_owed))),
                (_("Return visits done"), format_number(len(d.visits_done))),
                (_("Complaints received (first responder)"), format_number(d.complaints_received)),
                (_("Complaint steps signed"), format_number(d.complaint_steps)),
                (_("Standard answers read"), format_number(d.answers_read)),
                (_("Questions without an answer"), format_number(d.no_answer)),
            ]
        ),
        p(_("By category: {list}").format(list=categories or "—"), "small"),
        heading(_("Calls and visits ({n})").format(n=format_number(d.reception_count))),
        _reception_rows(d.receptions) if d.receptions else p(_("None this day."), "base"),
        heading(_("Follow-ups closed ({n})").format(n=format_number(len(d.followups_done)))),
        _followups(d.followups_done, d.day) if d.followups_done else p(_("None this day."), "base"),
        heading(_("Follow-ups still owed ({n})").format(n=format_number(len(d.followups_owed)))),
        _followups(d.followups_owed, d.day) if d.followups_owed else p(_("None."), "base"),
        heading(_("Return visits done ({n})").format(n=format_number(len(d.visits_done)))),
        _visits(d.visits_done) if d.visits_done else p(_("None this day."), "base"),
        Spacer(1, 6 * mm),
        KeepTogether(signature_block([_("Clerk"), _("Manager")], BODY)),
    ]
    build_on_letterhead(doc, story, office, f"{title} · {d.staff_name} · {d.day.isoformat()}")
    return out.getvalue()

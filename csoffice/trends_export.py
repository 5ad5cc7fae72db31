"""The monthly report's appendices as sheets of its Excel export: the twelve-month trends and
the answer library's use, from the same figures the PDF prints (csoffice.trends, answers)."""

from __future__ import annotations

from csoffice import answers, complaints, receptions, reports
from csoffice.i18n import _
from csoffice.reports import Period
from csoffice.reports.sections import Section
from csoffice.trends import Rows, Trends, trends


def _rows(rows: Rows, label) -> list[list]:
    return [[label(code), *values] for code, values in rows]


def trend_sections(t: Trends) -> list[Section]:
    head = [_("Month"), *t.months]
    churn = t.churn
    figures = [
        [_("Receptions"), *t.receptions],
        [_("Complaints received in the period"), *t.complaints],
        [_("Average time to resolve (hours)"), *t.hours_to_resolve],
        [_("Complaint satisfaction"), *t.complaint_satisfaction],
        [_("Return-visit satisfaction"), *t.visit_satisfaction],
        [_("New customer files"), *t.new_customers],
        [_("Customers in touch"), *t.active_customers],
        [
            _("No contact for {months} months").format(months=t.churn_months),
            *[m.inactive for m in churn],
        ],
        [_("Dissatisfied, not yet won back"), *[m.dissatisfied for m in churn]],
        [_("Cards cancelled"), *[m.cards_cancelled for m in churn]],
        [_("Cards lapsed"), *[m.cards_lapsed for m in churn]],
    ]
    return [
        Section(_("Trends"), head, figures),
        Section(
            _("Trend: complaints by category"),
            head,
            _rows(t.complaints_by_category, complaints.category_label),
        ),
        Section(
            _("Trend: complaints by department"),
            head,
            _rows(t.complaints_by_department, reports.department_text),
        ),
        Section(
            _("Trend: receptions by channel"),
            head,
            _rows(t.receptions_by_channel, receptions.channel_label),
        ),
        Section(
            _("Trend: receptions by reason"),
            head,
            _rows(t.receptions_by_category, receptions.category_label),
        ),
    ]


def answer_sections(usage: answers.AnswerUsage) -> list[Section]:
    return [
        Section(
            _("Most-used answers"),
            [_("Topic"), _("Question"), _("Times used")],
            [[u.topic, u.question, u.uses] for u in usage.most_used],
        ),
        Section(
            _("Questions without an answer"),
            [_("What the caller asked"), _("Category"), _("Times"), _("Last asked")],
            [
                [u.content, receptions.category_label(u.category), u.times, u.last_at]
                for u in usage.unanswered
            ],
        ),
    ]


def appendix_sections(period: Period) -> list[Section]:
    return [*trend_sections(trends(period)), *answer_sections(answers.usage(period, shown=None))]

"""The monthly report's appendices: the twelve-month trends (a chart and its numbers for each)
and how the answer library served the desk (most-used answers, questions with none)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from csoffice import receptions
from csoffice.answers import AnswerUsage
from csoffice.i18n import _, format_date, format_number
from csoffice.printing.report_parts import BODY, _fit, _table, heading, p
from csoffice.printing.styles import header_row
from csoffice.printing.trend_charts import TrendChart, trend_charts, value_text
from csoffice.trends import Trends

CHART_HEIGHT = 62 * mm
TABLE_FONT = 7


def _numbers(chart: TrendChart, labels: list[str]) -> Flowable:
    first = 34 * mm
    width = (BODY - first) / len(labels)
    head = [p("", "small"), *[p(label, "small") for label in labels]]
    body = [
        [p(_fit(name, first - 3 * mm, TABLE_FONT), "small")]
        + [value_text(v, chart.decimals) for v in values]
        for name, values in chart.series
    ]
    return _table(
        [head, *body], [first] + [width] * len(labels), numbers_from=1, font_size=TABLE_FONT
    )


def trend_section(t: Trends, number: str) -> list[Flowable]:
    labels = t.month_labels()
    out: list[Flowable] = [
        PageBreak(),
        heading(
            _("{n}. Appendix: the last twelve months ({first} – {last})").format(
                n=number, first=t.periods[0].label(), last=t.periods[-1].label()
            )
        ),
        p(
            _(
                "Each month counted as in its own monthly report: complaints received in the month as they stand now; return visits done in the month; churn as at the month's end."
            ),
            "small",
        ),
        Spacer(1, 2 * mm),
    ]
    short = t.month_labels(with_year=False)
    for chart in trend_charts(t):
        out.append(
            KeepTogether(
                [
                    chart.drawing(labels, BODY, CHART_HEIGHT),
                    _numbers(chart, short),
                    Spacer(1, 4 * mm),
                ]
            )
        )
    return out


def answer_section(usage: AnswerUsage, number: str) -> list[Flowable]:
    out: list[Flowable] = [
        heading(_("{n}. Appendix: the answer library").format(n=number)),
        p(
            _(
                "Standard answers read to callers: {uses} (in {receptions} receptions). Receptions where no answer was found: {missing}."
            ).format(
                uses=format_number(usage.uses),
                receptions=format_number(usage.receptions_answered),
                missing=format_number(usage.unanswered_count),
            ),
            "base",
        ),
        Spacer(1, 2 * mm),
    ]
    if usage.most_used:
        head = header_row(_("Topic"), _("Question"), _("Times used"))
        body = [[p(u.topic or "—"), p(u.question), format_number(u.uses)] for u in usage.most_used]
        out.append(
            KeepTogether(
                [
                    p(_("Most-used answers"), "label"),
                    _table([head, *body], [34 * mm, BODY - 58 * mm, 24 * mm], numbers_from=2),
                ]
            )
        )
    else:
        out.append(p(_("No standard answer was read to a caller this month."), "base"))
    out.append(Spacer(1, 3 * mm))
    if usage.unanswered:
        head = header_row(_("What the caller asked"), _("Category"), _("Times"), _("Last asked"))
        body = [
            [
                p(u.content),
                p(receptions.category_label(u.category)),
                format_number(u.times),
                format_date(u.last_at.date(), "short"),
            ]
            for u in usage.unanswered
        ]
        out.append(
            p(_("Questions without an answer (input for next month's improvements)"), "label")
        )
        out.append(
            _table([head, *body], [BODY - 66 * mm, 22 * mm, 16 * mm, 28 * mm], numbers_from=2)
        )
        if usage.unanswered_questions > len(usage.unanswered):
            out.append(
                p(
                    _("… and {n} more; the reception log lists them all.").format(
                        n=format_number(usage.unanswered_questions - len(usage.unanswered))
                    ),
                    "small",
                )
            )
    else:
        out.append(p(_("Every question this month found an answer in the library."), "base"))
    return out


def appendix(t: Trends, usage: AnswerUsage, first_number: int) -> list[Flowable]:
    """Both appendices of the monthly report (the twelve months' trends and the answer library's
    use), numbered from ``first_number``."""
    return [
        *trend_section(t, str(first_number)),
        *answer_section(usage, str(first_number + 1)),
    ]

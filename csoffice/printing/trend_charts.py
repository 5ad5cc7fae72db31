"""Twelve-month trend charts, drawn once for the monthly report's appendix and (as SVG) the
Reports tab. Lines are told apart in black and white by their dash and marker, every point
carries its number when there is room, and the legend names each line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.legends import Legend, LineSwatch
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from csoffice import complaints, receptions, reports
from csoffice.i18n import _, format_number
from csoffice.printing import charts
from csoffice.printing.fonts import register_pdf_font
from csoffice.trends import Rows, Trends, folded

_MARKERS = ["FilledSquare", "Circle", "FilledTriangle", "Diamond", "Cross", "FilledCircle"]
_DASHES = [None, (4, 2), (1, 2), (6, 2, 1, 2), (2, 2), (8, 3)]


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    width: float,
    height: float,
    value_max: float | None = None,
    decimals: int = 0,
) -> Drawing:
    """One line per series over the months; a missing value (None) leaves a gap."""
    font = register_pdf_font()
    drawing = charts._drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName=font, fontSize=10, fillColor=charts.INK))
    if not any(v is not None for _n, values in series for v in values):
        drawing.add(
            String(width / 2, height / 2, "—", fontName=font, fontSize=12, textAnchor="middle")
        )
        return drawing
    chart = HorizontalLineChart()
    legend_rows = (len(series) + 2) // 3 if len(series) > 1 else 0
    chart.x, chart.y = 34, 30
    chart.width = width - 44  # pyright: ignore[reportAttributeAccessIssue]  # stubs say int; reportlab takes floats
    chart.height = height - 50 - 11 * legend_rows  # pyright: ignore[reportAttributeAccessIssue]  # stubs say int; reportlab takes floats
    chart.data = [[None if v is None else float(v) for v in values] for _n, values in series]
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max((v for _n, vs in series for v in vs if v is not None), default=0)
    chart.valueAxis.valueMax = value_max or (max(5, top * 1.2))
    if value_max == 5:
        chart.valueAxis.valueStep = 1
    chart.valueAxis.labelTextFormat = lambda v: format_number(round(v, decimals))
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.joinedLines = 1
    if len(series) == 1:
        chart.lineLabelFormat = lambda v: "" if v is None else format_number(round(v, decimals))
        chart.lineLabels.fontName = font
        chart.lineLabels.fontSize = 6
        chart.lineLabels.dy = 5
    colours = [
        charts.INK if i < 2 else charts.GREYS[i % len(charts.GREYS)] for i in range(len(series))
    ]
    for index, (_name, values) in enumerate(series):
        line = chart.lines[index]
        # Gaps are joined over; a series with fewer than two values has no line to draw
        # (reportlab refuses a one-point line), only its marker.
        drawn = sum(1 for v in values if v is not None) >= 2
        line.strokeColor = colours[index] if drawn else None
        line.strokeWidth = 1.1
        if _DASHES[index % len(_DASHES)]:
            line.strokeDashArray = _DASHES[index % len(_DASHES)]
        marker = makeMarker(_MARKERS[index % len(_MARKERS)])
        marker.size = 4
        marker.fillColor = charts.INK
        marker.strokeColor = charts.INK
        line.symbol = marker
    drawing.add(chart)
    if len(series) > 1:
        legend = Legend()
        legend.fontName = font
        legend.fontSize = 7.5
        legend.alignment = "right"
        legend.columnMaximum = legend_rows
        legend.x, legend.y = 4, height - 18  # pyright: ignore[reportAttributeAccessIssue]  # stubs say int; reportlab takes floats
        legend.dx, legend.dy = 18, 6
        legend.deltax = 24
        legend.deltay = 11
        legend.dxTextSpace = 6
        legend.autoXPadding = 14
        pairs = []
        for index, (name, _values) in enumerate(series):
            swatch = LineSwatch()
            swatch.strokeColor = colours[index]
            swatch.strokeWidth = 1.1  # pyright: ignore[reportAttributeAccessIssue]  # stubs say int; reportlab takes floats
            swatch.strokeDashArray = _DASHES[index % len(_DASHES)]
            swatch.width = 18
            pairs.append((swatch, name))
        legend.colorNamePairs = pairs
        drawing.add(legend)
    return drawing


@dataclass(frozen=True)
class TrendChart:
    """One chart of the trends and the table of its numbers (rows of label and values)."""

    key: str
    title: str
    series: list[tuple[str, list[float | None]]]
    value_max: float | None = None
    decimals: int = 0

    def drawing(self, labels: list[str], width: float, height: float) -> Drawing:
        return line_chart(
            self.title, labels, self.series, width, height, self.value_max, self.decimals
        )


def _labelled(rows: Rows, label, keep: int = 4) -> list[tuple[str, list[float | None]]]:
    return [
        (_("Others") if code == "*" else label(code), [float(v) for v in values])
        for code, values in folded(rows, keep)
    ]


def _hours(values: list[float | None]) -> list[float | None]:
    return [None if v is None else round(v, 1) for v in values]


def trend_charts(t: Trends) -> list[TrendChart]:
    """The charts of the trends, in the order the report and the screen show them."""
    churn = t.churn
    return [
        TrendChart(
            "satisfaction",
            _("Satisfaction (average score 1–5)"),
            [
                (_("Complaints"), t.complaint_satisfaction),
                (_("Return visits"), t.visit_satisfaction),
            ],
            value_max=5,
            decimals=2,
        ),
        TrendChart(
            "complaint_categories",
            _("Complaints by category"),
            _labelled(t.complaints_by_category, complaints.category_label),
        ),
        TrendChart(
            "departments",
            _("Complaints by responsible department"),
            _labelled(t.complaints_by_department, reports.department_text),
        ),
        TrendChart(
            "resolve",
            _("Average time to resolve (hours)"),
            [(_("Received → closed"), _hours(t.hours_to_resolve))],
            decimals=1,
        ),
        TrendChart(
            "channels",
            _("Receptions by channel"),
            _labelled(t.receptions_by_channel, receptions.channel_label),
        ),
        TrendChart(
            "reasons",
            _("Receptions by reason"),
            _labelled(t.receptions_by_category, receptions.category_label),
        ),
        TrendChart(
            "customers",
            _("Customers"),
            [
                (_("New customer files"), [float(v) for v in t.new_customers]),
                (_("Customers in touch"), [float(v) for v in t.active_customers]),
            ],
        ),
        TrendChart(
            "churn",
            _("Churn"),
            [
                (
                    _("No contact for {months} months").format(months=t.churn_months),
                    [float(m.inactive) for m in churn],
                ),
                (_("Dissatisfied, not yet won back"), [float(m.dissatisfied) for m in churn]),
                (
                    _("Member cards cancelled or lapsed"),
                    [float(m.cards_cancelled + m.cards_lapsed) for m in churn],
                ),
            ],
        ),
    ]


def value_text(value: float | None, decimals: int) -> str:
    if value is None:
        return "—"
    return format_number(round(value, decimals) if decimals else round(value))

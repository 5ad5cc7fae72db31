"""Bar and pie charts of report figures (reportlab graphics) that read in black and white.

Series and slices are told apart by distinct greys with a black outline, every bar and slice
carries its number, and the legend names each grey, so a photocopy loses nothing. The same
drawings go into the PDFs and, rendered to SVG, onto the dashboard.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors

from csoffice.i18n import format_number, format_percent
from csoffice.printing.fonts import register_pdf_font

# Far enough apart to tell on a cheap laser printer; the lightest still shows on white.
GREYS = [colors.Color(g, g, g) for g in (0.15, 0.55, 0.85, 0.35, 0.7, 0.95, 0.45, 0.8)]
INK = colors.black


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    # The renderer starts every drawing in Helvetica unless told otherwise, which would put
    # an unembedded font into the PDF even though no text uses it.
    drawing.__dict__["initialFontName"] = register_pdf_font()
    # White paper behind the chart, also on screen where the SVG would show the window's colour.
    drawing.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=None))  # pyright: ignore[reportArgumentType]  # stubs lack Unpack on **kw
    return drawing


def _number(value: float) -> str:
    return format_number(int(value)) if float(value).is_integer() else format_number(value)


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | float]]],
    width: float,
    height: float,
) -> Drawing:
    """Grouped bars: one group per category, one bar per series (e.g. this month, last month)."""
    font = register_pdf_font()
    drawing = _drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName=font, fontSize=10, fillColor=INK))
    chart = VerticalBarChart()
    chart.x, chart.y = 36, 38
    chart.width, chart.height = width - 46, height - 58  # pyright: ignore[reportAttributeAccessIssue]  # stubs say int; reportlab takes floats
    chart.data = [list(values) or [0] for _name, values in series]
    chart.categoryAxis.categoryNames = list(categories) or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "ne" if len(categories) > 5 else "n"
    chart.categoryAxis.labels.angle = 30 if len(categories) > 5 else 0
    chart.categoryAxis.labels.dy = -2
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.labelTextFormat = _number
    chart.valueAxis.valueMin = 0
    top = max((max(values, default=0) for _n, values in series), default=0)
    if top <= 5:
        chart.valueAxis.valueMax = 5
        chart.valueAxis.valueStep = 1
    else:  # room above the tallest bar for its number
        chart.valueAxis.valueMax = top * 1.15
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.barSpacing = 1
    chart.groupSpacing = 6
    chart.barLabelFormat = _number
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 5
    for index in range(len(series)):
        chart.bars[index].fillColor = GREYS[index % len(GREYS)]
        chart.bars[index].strokeColor = INK
        chart.bars[index].strokeWidth = 0.5
    drawing.add(chart)
    if len(series) > 1:
        legend = Legend()
        legend.fontName = font
        legend.fontSize = 8
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.x, legend.y = width * 0.42, height - 4  # pyright: ignore[reportAttributeAccessIssue]  # stubs say int; reportlab takes floats
        legend.dx = legend.dy = 8
        legend.deltax = 10
        legend.strokeColor = INK
        legend.strokeWidth = 0.5
        legend.colorNamePairs = [
            (GREYS[i % len(GREYS)], name) for i, (name, _values) in enumerate(series)
        ]
        drawing.add(legend)
    return drawing


def pie_chart(
    title: str, slices: Sequence[tuple[str, int]], width: float, height: float
) -> Drawing:
    """A pie on the left, and beside it a legend naming every slice 'name n (share)' — set
    smaller rather than run past the drawing (long English labels), never over the pie."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font = register_pdf_font()
    drawing = _drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName=font, fontSize=10, fillColor=INK))
    shown = [(name, n) for name, n in slices if n > 0]
    total = sum(n for _name, n in shown)
    if not total:
        drawing.add(
            String(width / 2, height / 2, "—", fontName=font, fontSize=12, textAnchor="middle")
        )
        return drawing
    pie = Pie()
    size = min(width * 0.42, height - 30)
    pie.width = pie.height = size  # pyright: ignore[reportAttributeAccessIssue]  # stubs say int; reportlab takes floats
    pie.x, pie.y = 4, (height - 16 - size) / 2  # pyright: ignore[reportAttributeAccessIssue]  # stubs say int; reportlab takes floats
    pie.data = [n for _name, n in shown]
    pie.labels = None
    pie.slices.strokeColor = INK
    pie.slices.strokeWidth = 0.5
    for index in range(len(shown)):
        pie.slices[index].fillColor = GREYS[index % len(GREYS)]
    drawing.add(pie)
    labels = [f"{name} {_number(n)} ({format_percent(n / total)})" for name, n in shown]
    swatch = 8
    left = pie.x + size + 10
    room = width - left - swatch - 6
    font_size = 8.0
    while font_size > 5 and max(stringWidth(text, font, font_size) for text in labels) > room:
        font_size -= 0.5
    step = min(font_size + 4, (height - 20) / max(1, len(labels)))
    legend = Legend()
    legend.fontName = font
    legend.fontSize = font_size
    legend.alignment = "right"
    legend.columnMaximum = len(labels)
    legend.x, legend.y = left, height - 18  # pyright: ignore[reportAttributeAccessIssue]  # stubs say int; reportlab takes floats
    legend.dx = legend.dy = swatch
    legend.deltay = step  # pyright: ignore[reportAttributeAccessIssue]  # stubs say int; reportlab takes floats
    legend.strokeColor = INK
    legend.strokeWidth = 0.5
    legend.colorNamePairs = [(GREYS[i % len(GREYS)], text) for i, text in enumerate(labels)]
    drawing.add(legend)
    return drawing


def to_svg(drawing: Drawing, font_family: str = "") -> bytes:
    """The drawing as SVG; ``font_family`` names the font the viewer knows the PDF font as."""
    text = renderSVG.drawToString(drawing)
    if font_family:
        text = text.replace(register_pdf_font(), font_family)
    return text.encode("utf-8")

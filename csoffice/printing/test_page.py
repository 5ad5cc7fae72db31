"""A printer test page (render only): the office header, Chinese text, rare name characters, numbers."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from csoffice.i18n import _, format_datetime, format_money, format_number
from csoffice.printing.office import Office
from csoffice.printing.styles import (
    MARGIN,
    build_on_letterhead,
    document,
    label_value_table,
    styles,
)

# Names with characters outside the common set (CJK Extension A), as customers really have.
RARE_NAMES = ["刘䶮", "王㛃", "李㐱", "陈䓖", "张㵘"]


def test_page_pdf(office: Office, printed_at: dt.datetime | None = None) -> bytes:
    """The test page under ``office``'s letterhead, stamped ``printed_at`` (now by default)."""
    style = styles()
    buffer = BytesIO()
    doc = document(buffer, _("Printer test page"), office.display_name)
    rows = [
        [_("Chinese text"), "客户服务部 来访登记 投诉处理单 客户档案 会员卡 回访 报表"],
        [_("Rare name characters"), "  ".join(RARE_NAMES)],
        [_("Numbers"), format_number(1234567.89)],
        [_("Money"), format_money(8888.5)],
        [_("Printed at"), format_datetime(printed_at or dt.datetime.now())],
    ]
    table = label_value_table(rows, 40 * mm, A4[0] - 2 * MARGIN)
    story = [
        Paragraph(_("Printer test page"), style["title"]),
        Paragraph(
            _(
                "If every line below shows characters rather than empty boxes, forms will print correctly on this PC."
            ),
            style["base"],
        ),
        Spacer(1, 5 * mm),
        table,
    ]
    build_on_letterhead(doc, story, office)
    return buffer.getvalue()

"""A printer test page: the office header, Chinese text, rare name characters, numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from csoffice.i18n import _, format_datetime, format_money, format_number
from csoffice.printing.styles import (
    MARGIN,
    build_on_letterhead,
    document,
    label_value_table,
    styles,
)
from csoffice.settings import Office

# Names with characters outside the common set (CJK Extension A), as customers really have.
RARE_NAMES = ["刘䶮", "王㛃", "李㐱", "陈䓖", "张㵘"]


def write_test_page(path: Path, office: Office) -> Path:
    style = styles()
    doc = document(str(path), _("Printer test page"), office.display_name)
    rows = [
        [_("Chinese text"), "客户服务部 来访登记 投诉处理单 客户档案 会员卡 回访 报表"],
        [_("Rare name characters"), "  ".join(RARE_NAMES)],
        [_("Numbers"), format_number(1234567.89)],
        [_("Money"), format_money(8888.5)],
        [_("Printed at"), format_datetime(dt.datetime.now())],
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
    return path


def print_command(actor, args: list[str], out: Path) -> None:
    """``python -m csoffice print test-page --out FILE.pdf``."""
    from csoffice import settings

    write_test_page(out, settings.office())

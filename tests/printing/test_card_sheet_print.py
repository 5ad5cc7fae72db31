"""The member card as printed: every font embedded (the number and the barcode too)."""

from __future__ import annotations

from csoffice import customers, members
from csoffice.members.prints import print_card
from tests.conftest import needs_poppler, pdf_fonts

pytestmark = needs_poppler


def test_card_and_sheet_embed_every_font(manager, tmp_path):
    numbers = []
    for name, mobile in (("刘䶮", "13800138000"), ("王芳", "13900139000")):
        customer = customers.create(manager, customers.CustomerInput(name=name, mobile=mobile))
        numbers.append(members.enrol(manager, customer.id).card_no)
    for out in (
        print_card(manager, numbers[:1], tmp_path / "card.pdf"),
        print_card(manager, numbers, tmp_path / "sheet.pdf"),
    ):
        rows = [line.split() for line in pdf_fonts(out).splitlines()[2:] if line.strip()]
        assert rows and all(row[0].endswith("WenQuanYiZenHei") for row in rows), rows
        assert all(row[-5] == "yes" for row in rows)

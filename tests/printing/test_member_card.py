"""The printed member card (CR80), the A4 sheet of cards and the gift handover slip."""

from __future__ import annotations

import subprocess

import pytest

from csoffice import customers, members, settings
from csoffice.errors import Conflict, NotFound
from csoffice.members import print_card, print_handover_slip
from tests.conftest import needs_poppler, pdf_fonts, pdf_text, run_cli

pytestmark = needs_poppler


def page_size(path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    line = next(line for line in info.stdout.splitlines() if line.startswith("Page size"))
    width, _x, height = line.split(":")[1].split()[:3]
    return float(width), float(height)


@pytest.fixture
def card(manager):
    settings.put(manager, {"office.name": "幸福汽车 4S 店"})
    customer = customers.create(manager, customers.CustomerInput(name="刘䶮", mobile="13800138000"))
    card = members.enrol(manager, customer.id)
    members.earn(manager, card.card_no, "60000")  # 金卡
    return members.find_card(card.card_no)


def test_card_is_cr80_with_name_level_and_number(manager, card, tmp_path):
    out = print_card(manager, [card.card_no], tmp_path / "card.pdf")
    width, height = page_size(out)
    assert (round(width / 72 * 25.4, 1), round(height / 72 * 25.4, 1)) == (85.6, 54.0)
    text = pdf_text(out)
    for expected in ("幸福汽车 4S 店", "刘䶮", "金卡", card.card_no, "会员卡"):
        assert expected in text
    assert "WenQuanYiZenHei" in pdf_fonts(out) and " yes " in pdf_fonts(out)


def test_sheet_of_cards_on_a4(manager, card, tmp_path):
    other = customers.create(manager, customers.CustomerInput(name="王芳", mobile="13900139000"))
    second = members.enrol(manager, other.id)
    numbers = [card.card_no, second.card_no] * 6  # 12 cards: two pages of ten
    out = print_card(manager, numbers, tmp_path / "sheet.pdf")
    width, height = page_size(out)
    assert (round(width), round(height)) == (595, 842)
    text = pdf_text(out)
    assert text.count(card.card_no) == 6 and text.count("王芳") == 6
    assert text.count("\f") == 2


def test_only_active_cards_print(manager, card, tmp_path):
    members.report_lost(manager, card.card_no)
    with pytest.raises(Conflict):
        print_card(manager, [card.card_no], tmp_path / "lost.pdf")
    with pytest.raises(NotFound):
        print_card(manager, ["88009999999"], tmp_path / "none.pdf")


def test_handover_slip_has_gift_points_and_signature_lines(manager, card, tmp_path):
    gift = members.create_gift(manager, "品牌保温杯", 300, stock=5)
    redemption = members.redeem(manager, card.card_no, gift.id, quantity=2)
    out = print_handover_slip(manager, redemption.id, tmp_path / "slip.pdf")
    assert page_size(out) == pytest.approx((595.3, 841.9), abs=0.5)
    text = pdf_text(out)
    for expected in (
        "积分换礼领取单",
        "刘䶮",
        card.card_no,
        "品牌保温杯",
        "600",
        "5,400",
        "会员签名",
    ):
        assert expected in text


def test_print_card_from_the_command_line(manager, card, database, tmp_path):
    out = tmp_path / "cli.pdf"
    result = run_cli("--db", str(database.path), "print", "card", card.card_no, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert card.card_no in pdf_text(out)
    missing = run_cli(
        "--db", str(database.path), "print", "card", "12345", "--out", str(tmp_path / "x.pdf")
    )
    assert missing.returncode == 1
    assert "12345" in missing.stderr

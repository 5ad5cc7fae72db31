"""The printed member card (CR80), the A4 sheet of cards and the gift handover slip."""

from __future__ import annotations

import subprocess

import pytest

from csoffice import customers, members, settings
from csoffice.errors import Conflict, NotFound
from csoffice.members.prints import print_card, print_handover_slip
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


def test_a_viewer_may_not_print_and_nothing_is_written(manager, viewer, card, tmp_path):
    from csoffice.errors import PermissionDenied

    gift = members.create_gift(manager, "品牌保温杯", 300, stock=5)
    redemption = members.redeem(manager, card.card_no, gift.id)
    with pytest.raises(PermissionDenied):
        print_card(viewer, [card.card_no], tmp_path / "card.pdf")
    with pytest.raises(PermissionDenied):
        print_handover_slip(viewer, redemption.id, tmp_path / "slip.pdf")
    assert not (tmp_path / "card.pdf").exists() and not (tmp_path / "slip.pdf").exists()


def test_printing_writes_an_audit_row_per_card_and_slip(manager, card, tmp_path):
    from csoffice.db.models import AuditLog

    gift = members.create_gift(manager, "品牌保温杯", 300, stock=5)
    redemption = members.redeem(manager, card.card_no, gift.id)
    print_card(manager, [card.card_no, card.card_no], tmp_path / "sheet.pdf")
    print_handover_slip(manager, redemption.id, tmp_path / "slip.pdf")
    rows = AuditLog.select().where(AuditLog.action == "print").order_by(AuditLog.id)
    assert [(row.entity, row.entity_id, row.summary) for row in rows] == [
        ("member_card", card.id, card.card_no),
        ("member_card", card.id, card.card_no),
        ("redemption", redemption.id, "品牌保温杯"),
    ]


def test_the_renderer_takes_plain_data_and_returns_pdf_bytes(tmp_path):
    import datetime as dt

    from csoffice.printing.member_card import (
        CardFace,
        HandoverSlip,
        card_pdf,
        card_sheet_pdf,
        handover_slip_pdf,
    )
    from csoffice.printing.styles import Office

    office = Office("幸福汽车 4S 店", "建设路 1 号", "0571-88886666")
    face = CardFace("88000000018", "刘䶮", "金卡", dt.date(2026, 3, 1), dt.date(2029, 3, 1))
    slip = HandoverSlip(
        7, dt.datetime(2026, 3, 2, 10, 30), face.card_no, "刘䶮", "13800138000", "金卡",
        "品牌保温杯", 2, 600, 5_400, "王芳", "done",
    )  # fmt: skip
    for name, pdf, expected in (
        ("card", card_pdf(face, office), ("幸福汽车 4S 店", "刘䶮", "金卡", face.card_no, "2029-03-01")),
        ("sheet", card_sheet_pdf([face] * 3, office), ("刘䶮", face.card_no)),
        ("slip", handover_slip_pdf(slip, office), ("积分换礼领取单", "品牌保温杯", "600", "5,400", "王芳")),
    ):  # fmt: skip
        assert pdf.startswith(b"%PDF")
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        text = pdf_text(path)
        assert all(value in text for value in expected), (name, text)

"""The checks of phones, resident IDs, credit codes, e-mail and card check digits."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice.errors import ValidationError
from csoffice.validation import (
    check_credit_code,
    check_email,
    check_phone,
    luhn_digit,
    luhn_valid,
    mask_id,
    mask_phone,
    normalize_phone,
    parse_resident_id,
)


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 13812345678",
        "0086-138-1234-5678",
        "１３８１２３４５６７８",
        "8613812345678",
    ],
)
def test_mobile_forms_normalise(raw):
    assert check_phone(raw) == "13812345678"


@pytest.mark.parametrize(
    "raw",
    ["19912345678", "16612345678", "17012345678", "010-12345678", "0755-88888888", "(021)61234567"],
)
def test_real_numbers_pass(raw):
    assert check_phone(raw)


@pytest.mark.parametrize(
    "raw", ["12345", "23812345678", "1381234567", "abc", "138123456789", "0000-1234567"]
)
def test_bad_numbers_are_refused_with_the_field(raw):
    with pytest.raises(ValidationError) as info:
        check_phone(raw, field="mobile")
    assert "mobile" in info.value.errors
    assert raw.strip() in info.value.errors["mobile"]


def test_empty_phone_is_allowed_unless_required():
    assert check_phone("  ") == ""
    with pytest.raises(ValidationError):
        check_phone("", required=True)


def test_resident_id_check_digit_and_birthday():
    parsed = parse_resident_id("11010519491231002X")
    assert parsed.birthday == dt.date(1949, 12, 31) and parsed.gender == "F"
    assert parse_resident_id("11010519491231002x").number.endswith("X")
    with pytest.raises(ValidationError, match="校验位"):
        parse_resident_id("110105194912310021")


def test_resident_id_with_a_retired_area_code_is_accepted():
    # 513701: an area code since merged away (Dazhou region); the holder still uses it.
    body = "51370119800101123"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    assert parse_resident_id(body + check).birthday == dt.date(1980, 1, 1)


@pytest.mark.parametrize("raw", ["1101051949123100", "11010519491331002X", "abcdefghijklmnopqr"])
def test_malformed_resident_ids(raw):
    with pytest.raises(ValidationError):
        parse_resident_id(raw)


def test_resident_id_birthday_in_the_future_is_refused():
    body = "11010520991231002"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    with pytest.raises(ValidationError, match="出生日期"):
        parse_resident_id(body + check, today=dt.date(2026, 11, 24))


def test_credit_code():
    assert check_credit_code("91350100M000100Y43") == "91350100M000100Y43"
    assert check_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    with pytest.raises(ValidationError):
        check_credit_code("91350100M000100Y44")
    with pytest.raises(ValidationError):
        check_credit_code("91350100M000100YI3")


def test_email():
    assert check_email("a@b.cn") == "a@b.cn"
    assert check_email("") == ""
    with pytest.raises(ValidationError):
        check_email("not-an-address")


def test_masks():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id("110101199001011234") == "110101********1234"


def test_luhn():
    assert luhn_digit("7992739871") == "3"
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")
    assert normalize_phone("+86 138 1234 5678") == "13812345678"

"""One phone rule for the form, the desk's quick entry and every importer."""

from __future__ import annotations

import pytest

from csoffice import customers, receptions, settings
from csoffice.customers import CustomerInput
from csoffice.errors import ValidationError
from csoffice.validation import check_area_code, check_phone, phone_number


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("138 1234 5678", "13812345678"),
        ("0755-8888 8888", "075588888888"),
        ("(010)61234567", "01061234567"),
        ("400-810-8888", "4008108888"),
    ],
)
def test_mobiles_and_landlines_with_area_code(raw, stored):
    assert check_phone(raw) == stored


@pytest.mark.parametrize("raw", ["10012345678", "12012345678", "0000-1234567", "8888"])
def test_what_is_no_phone_is_refused(raw):
    with pytest.raises(ValidationError):
        check_phone(raw, field="mobile")


def test_a_local_number_needs_the_office_area_code():
    with pytest.raises(ValidationError) as info:
        check_phone("6123 4567", field="mobile")
    assert "0755-12345678" in info.value.errors["mobile"] or "区号" in info.value.errors["mobile"]
    assert check_phone("6123 4567", area_code="0755") == "075561234567"
    assert phone_number("61234567", "010") == "01061234567"
    assert check_area_code(" 0755 ") == "0755"
    with pytest.raises(ValidationError):
        check_area_code("755")


def test_form_and_desk_follow_the_office_setting(manager):
    with pytest.raises(ValidationError):
        customers.create(manager, CustomerInput(name="张三", mobile="61234567"))
    settings.put(manager, {"office.area_code": "021"})
    assert customers.create(manager, CustomerInput(name="张三", mobile="61234567")).mobile == (
        "02161234567"
    )
    reception = receptions.ReceptionInput(
        caller_name="李四", caller_phone="61234568", content="问价"
    )
    saved = receptions.create(manager, reception)
    assert saved.caller_phone == "02161234568"

"""Bad input at the domain's doors: random text, control characters, emoji, huge fields.
Every function either accepts it (and stores something sane) or refuses it with a
ValidationError; nothing else escapes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csoffice import complaints, customers, validation
from csoffice.complaints import ComplaintInput
from csoffice.customers import CustomerInput
from csoffice.db.models import Complaint, Customer
from csoffice.errors import ValidationError

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text as it arrives from a keyboard, a paste from a web page or a damaged file.
nasty = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\u200b张三\u200b",
            "😀👨‍👩‍👧",
            "\r\n\t",
            "Robert'); DROP TABLE customer;--",
            "１３８１２３４５６７８",
            "+86 138-1234-5678",
            "110101199003071234",
            "ＡＢＣ",
            "𠀀𪚥䶮",
            "x" * 5000,
        ]
    ),
)


@FUZZ
@given(raw=nasty)
def test_validation_functions_never_crash(raw):
    digits = validation.normalize_phone(raw)
    assert isinstance(digits, str)
    for check in (validation.check_phone, validation.check_credit_code, validation.check_email):
        try:
            assert isinstance(check(raw), str)
        except ValidationError as exc:
            assert exc.errors and all(isinstance(m, str) and m for m in exc.errors.values())
    try:
        parsed = validation.parse_resident_id(raw)
    except ValidationError:
        parsed = None
    assert parsed is None or (parsed.number.isascii() and len(parsed.number) == 18)
    assert isinstance(validation.mask_phone(raw), str)
    assert isinstance(validation.mask_id(raw), str)
    assert validation.luhn_valid(raw) in (True, False)


@FUZZ
@given(raw=nasty)
def test_masks_never_reveal_the_middle(raw):
    masked = validation.mask_phone(raw)
    if len(raw) >= 7:
        assert masked[:3] == raw[:3] and masked[-4:] == raw[-4:]
        assert set(masked[3:-4]) <= {"*"}


customer_inputs = st.builds(
    CustomerInput,
    kind=st.sampled_from(["individual", "company", "robot", ""]),
    name=nasty,
    gender=st.sampled_from(["", "M", "F", "X", "男"]),
    birthday=st.one_of(st.none(), st.dates(min_value=dt.date(1800, 1, 1))),
    id_number=nasty,
    mobile=nasty,
    phone2=nasty,
    email=nasty,
    address=nasty,
    company=nasty,
    customer_class=st.one_of(st.sampled_from(sorted(customers.CLASSES)), nasty),
    source=nasty,
    tags=st.lists(nasty, max_size=4),
    interests=nasty,
    notes=nasty,
)


@FUZZ
@given(data=customer_inputs)
def test_customer_clean_and_create(database, manager, data):
    try:
        values = customers.clean(data)
    except ValidationError as exc:
        assert exc.errors
        return
    assert values["name"].strip() and "\x00" not in values["name"]
    for phone in (values["mobile"], values["phone2"]):
        assert phone == "" or phone.isdigit()
    try:
        made = customers.create(manager, data, allow_duplicate=True)
    except ValidationError:
        return
    stored = Customer.get_by_id(made.id)
    assert stored.name == values["name"]
    assert customers.rows(customers.search_ids(customers.SearchFilter(text=stored.mobile or "")))


complaint_inputs = st.builds(
    ComplaintInput,
    received_at=st.one_of(
        st.none(),
        st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    ),
    channel=st.one_of(st.sampled_from(["phone", "visit", "wechat"]), nasty),
    contact_name=nasty,
    contact_phone=nasty,
    category=st.one_of(st.sampled_from(["quality", "attitude"]), nasty),
    severity=st.one_of(st.sampled_from(["ordinary", "major", "group"]), nasty),
    facts=nasty,
    desired_outcome=nasty,
)


@FUZZ
@given(data=complaint_inputs)
def test_complaint_input(database, clerk, data):
    before = Complaint.select().count()
    try:
        made = complaints.create(clerk, data)
    except ValidationError as exc:
        assert exc.errors
        assert Complaint.select().count() == before  # nothing half-saved
        return
    stored = complaints.get(made.id)
    assert stored.number and stored.receiver_id == clerk.id
    assert "\x00" not in stored.facts


@pytest.mark.parametrize("text", ["1²", "١٢٣", "12³4"])
def test_luhn_with_unicode_digits(text):
    assert validation.luhn_valid(text) in (True, False)


@pytest.mark.parametrize("raw", ["138١٢٣٤٥٦٧٨", "١٣٨١٢٣٤٥٦٧٨", "13８1２３4５６7８"])
def test_phones_are_stored_in_ascii_digits_only(raw):
    try:
        digits = validation.check_phone(raw)
    except ValidationError:
        return
    assert digits == "13812345678"


def test_resident_id_in_other_digits_is_refused():
    with pytest.raises(ValidationError):
        validation.parse_resident_id("١١٠١٠١١٩٩٠٠٣٠٧١٢٣٤")

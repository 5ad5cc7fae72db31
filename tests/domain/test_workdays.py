"""Working days: chinese-calendar checked against the State Council's notices for 2025 and 2026,
the 调休 weekends, a year the library does not know (weekends and fixed-date holidays, and the
office's own entries first), counting working days and office hours, complaint deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import complaints, settings, workdays
from csoffice.complaints import ComplaintInput
from csoffice.errors import ValidationError
from csoffice.workdays import Calendar

D = dt.date


def _span(first: dt.date, days: int) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range(days)]


# 国务院办公厅关于2025年部分节假日安排的通知 (2024-11-12) and the 2026 notice (2025-11).
def _days(*spans: tuple[dt.date, int]) -> list[dt.date]:
    return [day for first, count in spans for day in _span(first, count)]


HOLIDAYS = {
    2025: _days(
        (D(2025, 1, 1), 1),
        (D(2025, 1, 28), 8),
        (D(2025, 4, 4), 3),
        (D(2025, 5, 1), 5),
        (D(2025, 5, 31), 3),
        (D(2025, 10, 1), 8),
    ),
    2026: _days(
        (D(2026, 1, 1), 3),
        (D(2026, 2, 15), 9),
        (D(2026, 4, 4), 3),
        (D(2026, 5, 1), 5),
        (D(2026, 6, 19), 3),
        (D(2026, 9, 25), 3),
        (D(2026, 10, 1), 7),
    ),
}
ADJUSTED_WORKDAYS = {
    2025: [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)],
    2026: [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ],
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_library_matches_the_state_council_notice(year):
    office = Calendar()
    for day in HOLIDAYS[year]:
        assert not office.is_workday(day), day
    for day in ADJUSTED_WORKDAYS[year]:
        assert office.is_workday(day), day
    # Every other day: Monday to Friday work, weekends rest.
    special = set(HOLIDAYS[year]) | set(ADJUSTED_WORKDAYS[year])
    for day in _span(D(year, 1, 1), 365):
        if day not in special:
            assert office.is_workday(day) == (day.weekday() < 5), day


def test_hand_in_over_a_tiaoxiu_weekend():
    office = Calendar()
    # Delivery on Thursday 12 February 2026: Friday 13th, then Saturday 14th is a 调休 working
    # day before the Spring Festival — two working days end on that Saturday.
    assert office.add_workdays(D(2026, 2, 12), 2) == D(2026, 2, 14)
    # Delivery on Saturday 14th: the holiday runs to the 23rd.
    assert office.add_workdays(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert office.add_workdays(D(2026, 2, 14), 2) == D(2026, 2, 25)
    # An ordinary weekend: Thursday → Monday.
    assert office.add_workdays(D(2026, 3, 12), 2) == D(2026, 3, 16)
    assert office.workdays_between(D(2026, 3, 12), D(2026, 3, 17)) == 3
    assert office.workdays_between(D(2026, 3, 17), D(2026, 3, 12)) == -3


def test_a_year_the_library_does_not_know(manager):
    assert not workdays.library_knows(2099)
    office = Calendar()
    assert office.is_workday(D(2099, 1, 5))  # a Monday
    assert not office.is_workday(D(2099, 1, 1))  # 元旦, on a fixed date
    assert not office.is_workday(D(2099, 10, 2))  # 国庆
    assert not office.is_workday(D(2099, 1, 3))  # a Saturday
    assert not office.known(2099)
    assert workdays.unknown_years(D(2099, 3, 1)) == [2099]
    assert workdays.unknown_years(D(2026, 3, 1)) == []
    # The manager enters the notice: the office's own dates come first.
    values = workdays.check_office_days(
        "2099-01-26 ~ 2099-02-01\n# 春节\n", "2099-01-24", "08:30", "17:30"
    )
    settings.put(manager, values)
    office = workdays.calendar()
    assert office.known(2099) and workdays.unknown_years(D(2099, 3, 1)) == []
    assert not office.is_workday(D(2099, 1, 27)) and office.is_workday(D(2099, 1, 24))


def test_office_days_are_checked_by_line():
    with pytest.raises(ValidationError) as bad:
        workdays.check_office_days("2027-02-06\n2027-13-01\n", "", "08:30", "17:30")
    assert bad.value.errors["calendar.holidays"].startswith("第 2 行")
    with pytest.raises(ValidationError) as both:
        workdays.check_office_days("2027-02-06", "2027-02-06", "08:30", "17:30")
    assert "2027-02-06" in both.value.errors["calendar.workdays"]
    with pytest.raises(ValidationError) as hours:
        workdays.check_office_days("", "", "17:30", "08:30")
    assert "calendar.end" in hours.value.errors
    with pytest.raises(ValidationError) as backwards:
        workdays.check_office_days("2027-02-13 ~ 2027-02-05", "", "08:30", "17:30")
    assert "calendar.holidays" in backwards.value.errors


def test_working_hours_skip_nights_weekends_and_holidays():
    office = Calendar()
    friday = dt.datetime(2026, 3, 13, 17, 0)
    assert office.add_working_hours(friday, 4) == dt.datetime(2026, 3, 16, 12, 0)
    early = dt.datetime(2026, 3, 16, 7, 0)
    assert office.add_working_hours(early, 1) == dt.datetime(2026, 3, 16, 9, 30)
    # Received on the eve of the National Day week (1–7 October 2026): one hour that day, nine
    # on the 8th and the 9th, the last five on Saturday the 10th, a 调休 working day.
    eve = dt.datetime(2026, 9, 30, 16, 30)
    assert office.add_working_hours(eve, 24) == dt.datetime(2026, 10, 10, 13, 30)


def test_complaint_deadlines_in_working_hours_as_a_setting(manager):
    received = dt.datetime(2026, 3, 13, 17, 0)  # Friday
    on_the_clock = complaints.deadlines("major", received)
    assert on_the_clock[0] == received + dt.timedelta(hours=4)
    settings.put(manager, {"complaints.working_hours": True})
    respond, _resolve = complaints.deadlines("major", received)
    assert respond == dt.datetime(2026, 3, 16, 12, 0)
    created = complaints.create(
        manager,
        ComplaintInput(
            channel="phone",
            contact_name="张伟",
            contact_phone="13812345678",
            category="quality",
            severity="major",
            facts="空调不制冷",
            received_at=received,
        ),
    )
    assert created.response_due == dt.datetime(2026, 3, 16, 12, 0)

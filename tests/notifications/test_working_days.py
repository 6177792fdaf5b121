from __future__ import annotations

import datetime as dt

import pytest

from notifications.models import fill_days
from notifications.working_days import add_working_days, is_working_day

D = dt.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 12, 24), True),
        (D(2026, 12, 25), False),  # Christmas Day
        (D(2026, 12, 28), False),  # Boxing Day substitute (26th is a Saturday)
        (D(2027, 3, 26), False),  # Good Friday
        (D(2027, 3, 29), False),  # Easter Monday
        (D(2027, 3, 27), False),  # Saturday
        (D(2027, 3, 30), True),
    ],
)
def test_it_knows_england_and_wales_bank_holidays(day: dt.date, working: bool) -> None:
    assert is_working_day(day) is working


def test_it_counts_back_over_christmas() -> None:
    assert add_working_days(D(2026, 12, 31), -5) == D(2026, 12, 22)


def test_it_counts_forward_over_easter() -> None:
    assert add_working_days(D(2027, 3, 25), 1) == D(2027, 3, 30)
    assert add_working_days(D(2027, 4, 1), 5) == D(2027, 4, 8)
    assert add_working_days(D(2027, 4, 1), 15) == D(2027, 4, 22)


def test_it_moves_a_weekend_due_day_to_the_friday_before() -> None:
    assert add_working_days(D(2027, 4, 3), 0) == D(2027, 4, 2)
    assert add_working_days(D(2027, 3, 29), 0) == D(2027, 3, 25)  # Easter Monday
    assert add_working_days(D(2027, 4, 1), 0) == D(2027, 4, 1)


@pytest.mark.parametrize(
    ("title", "days", "expected"),
    [
        ("A case review is due in {days} working days", 1, "A case review is due in 1 working day"),
        (
            "A case review is due in {days} working days",
            5,
            "A case review is due in 5 working days",
        ),
        ("Overdue: its date passed {days} days ago", 1, "Overdue: its date passed 1 day ago"),
        ("Overdue by {days} working days", 11, "Overdue by 11 working days"),
        ("Overdue by {days} working days", 21, "Overdue by 21 working days"),
        ("A case review is due today", 0, "A case review is due today"),
    ],
)
def test_one_day_is_singular(title: str, days: int, expected: str) -> None:
    assert fill_days(title, days) == expected


@pytest.mark.parametrize(
    ("day", "days", "expected"),
    [
        (dt.date.max, 5, dt.date.max),
        (D(9999, 12, 30), 10, dt.date.max),
        (dt.date.min, -5, dt.date.min),
        (D(1, 1, 2), -10, dt.date.min),
    ],
)
def test_a_sum_that_would_run_off_the_calendar_stops_at_its_end(
    day: dt.date, days: int, expected: dt.date
) -> None:
    assert add_working_days(day, days) == expected


def test_the_calendar_s_last_day_still_counts_back() -> None:
    assert add_working_days(dt.date.max, -3) < dt.date.max
    assert add_working_days(dt.date.max, 0) <= dt.date.max

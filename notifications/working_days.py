"""Working days in England: Monday to Friday, less England and Wales bank holidays."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def previous_working_day(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the working day before it (or the
    calendar's first day, which no real date comes near)."""
    while not is_working_day(day) and day > dt.date.min:
        day -= dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``day`` (before it when negative).

    With ``days == 0`` the result is ``previous_working_day(day)``: a reminder
    "on the day" of a weekend review goes out on the Friday before. A sum that would run
    off either end of the calendar stops at that end (9999-12-31 or 0001-01-01) rather
    than failing: the forms never let such a date in, and a reminder for 9999 never fires.
    """
    if days == 0:
        return previous_working_day(day)
    step = dt.timedelta(days=1 if days > 0 else -1)
    remaining = abs(days)
    end = dt.date.max if days > 0 else dt.date.min
    while remaining:
        if day == end:
            return end
        day += step
        if is_working_day(day):
            remaining -= 1
    return day

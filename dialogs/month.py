"""A month calendar to tap: the travel countdown's date and the /session form's day.

One helper for both, so the two calendars look alike (month name, weekday header, past days
inert) and read the same in Khmer (Khmer month names and digits).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta

from aiogram.filters.callback_data import CallbackData

from bot.content.i18n import Translator, local_digits
from dialogs.screen import Row


def month_rows(t: Translator, month: date, today: date, *, day: Callable[[date], CallbackData],
               page: Callable[[date], CallbackData], inert: CallbackData) -> tuple[Row, ...]:
    """‹ month year ›, the weekdays, then the weeks of `month`: a day tapped gives `day(d)`,
    an arrow `page(first of that month)`; days past or of other months are inert dots."""
    lang = t.language
    before = (month.replace(day=1) - timedelta(days=1)).replace(day=1)
    after = (month.replace(day=1) + timedelta(days=32)).replace(day=1)
    name = t("calendar-month", month=month.month, year=local_digits(str(month.year), lang))
    paging: Row = [("‹", page(before)), (name, inert), ("›", page(after))]
    # Monday first, as calendar.Calendar() lays the weeks out.
    weekdays: Row = [(d, inert) for d in t("calendar-weekdays").split()]
    weeks: list[Row] = [
        [_cell(d, month, today, day, inert, lang) for d in week]
        for week in calendar.Calendar().monthdatescalendar(month.year, month.month)
    ]
    return (paging, weekdays, *weeks)


def _cell(when: date, month: date, today: date, day: Callable[[date], CallbackData],
          inert: CallbackData, lang: str) -> tuple[str, CallbackData]:
    if when.month != month.month or when < today:
        return "·", inert
    return local_digits(str(when.day), lang), day(when)

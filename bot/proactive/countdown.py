"""The travel countdown's steps: days relative to the travel date, and when each is due."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.storage.schedules import at_local_hour

# Days relative to the travel date: reminders before, the morning itself, a check-in after.
OFFSETS = (-14, -7, -3, -1, 0, 3)
REMINDER_HOUR = 8


def next_step(travel_date: date, step: int, now: datetime,
              zone: ZoneInfo) -> tuple[int, datetime | None]:
    """The first step from `step` on that is still ahead, and when it is due."""
    for index in range(step, len(OFFSETS)):
        due = at_local_hour(travel_date + timedelta(days=OFFSETS[index]), REMINDER_HOUR, zone)
        if due > now:
            return index, due
    return len(OFFSETS), None

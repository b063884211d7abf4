"""Quiet hours: nothing proactive is sent between, by default, 21:00 and 07:00 local time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class QuietHours:
    """A nightly window in a time zone; start == end means no quiet hours."""

    start: int
    end: int
    zone: ZoneInfo

    def contains(self, moment: datetime) -> bool:
        """True when `moment` falls inside the quiet window."""
        hour = moment.astimezone(self.zone).hour
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= hour < self.end
        return hour >= self.start or hour < self.end

    def next_allowed(self, moment: datetime) -> datetime:
        """`moment` itself, or the end of the quiet window it falls in (in UTC)."""
        if not self.contains(moment):
            return moment
        local = moment.astimezone(self.zone)
        end = local.replace(hour=self.end, minute=0, second=0, microsecond=0)
        if end <= local:
            end += timedelta(days=1)
        return end.astimezone(UTC)

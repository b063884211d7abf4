"""The travel countdown flow (flow.py), its views and reminders (views.py), dates (dates.py)."""

from dialogs.travel.flow import create_router
from dialogs.travel.views import OFFSETS, next_step, reminder_view

__all__ = ["OFFSETS", "create_router", "next_step", "reminder_view"]

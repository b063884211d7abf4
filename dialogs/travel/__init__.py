"""The travel countdown flow (flow.py), its views (views.py), dates (dates.py), nudges."""

from dialogs.travel.flow import create_router
from dialogs.travel.views import reminder_view

__all__ = ["create_router", "reminder_view"]

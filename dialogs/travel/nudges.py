"""What the travel countdown sends on its own, in the look the person chose."""

from __future__ import annotations

from typing import Any

from bot.content.i18n import Translator
from bot.content.store import Content
from bot.proactive.outbox import Claimed
from bot.proactive.sender import Rendered
from dialogs.callbacks import ReadCb
from dialogs.notifications import discreet
from dialogs.travel.views import reminder_view


def reminder(row: Claimed, content: Content, t: Translator) -> Rendered:
    """A countdown step: the checklist or numbers of that day, discreet if chosen."""
    view = discreet.present(reminder_view(content, t, row.payload), t,
                            str(row.payload.get("notify", discreet.DISCREET)),
                            ReadCb(kind=discreet.TRAVEL, ref=_travel_ref(row.payload)))
    return Rendered(view.text, view.markup())


def _travel_ref(payload: dict[str, Any]) -> str:
    """What a Read button needs to re-render a travel message: offset and destination."""
    return f"{payload['offset']}.{payload.get('dest') or ''}"

"""What a group gets on its own: reminders with RSVP, the place's pin, the session's tip,
and the trainer's attendance prompt. Each goes to the forum topic the sessions were set in."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.content.i18n import Translator
from bot.content.store import Content
from bot.proactive.outbox import Claimed
from bot.proactive.sender import Rendered
from dialogs.groups.rsvp import Reminder, attendance_view, reminder_view
from dialogs.groups.session_form import local


def reminder(row: Claimed, content: Content, t: Translator, *, zone: ZoneInfo) -> Rendered:
    """The reminder of a session, with who is coming and the RSVP buttons."""
    p = row.payload
    when = local(datetime.fromisoformat(p["starts"]), zone, t)
    found = Reminder(int(p["session"]), p["title"], _topic_name(content, t, p), when, p["place"])
    view = reminder_view(found, t, int(p["coming"]), int(p["missing"]))
    return Rendered(view.text, view.markup(), thread=p.get("thread"))


def attendance(row: Claimed, content: Content, t: Translator, *, zone: ZoneInfo) -> Rendered:
    """The trainer's private prompt to record who came."""
    p = row.payload
    when = local(datetime.fromisoformat(p["starts"]), zone, t)
    view = attendance_view(p["title"], when, int(p["session"]), t)
    return Rendered(view.text, view.markup(), thread=p.get("thread"))


def pin(row: Claimed, content: Content, t: Translator) -> Rendered:
    """The meeting place as a venue pin, sent right after the reminder."""
    p = row.payload
    venue = {"latitude": float(p["lat"]), "longitude": float(p["lon"]),
             "title": p["title"], "address": p["place"]}
    return Rendered("", venue=venue, thread=p.get("thread"))


def tip(row: Claimed, content: Content, t: Translator) -> Rendered | None:
    """After the session: one tip of its topic, a different one each session."""
    p = row.payload
    topic = content.topic("parenting", str(p.get("topic")))
    if topic is None:
        return None
    item = topic.items[int(p["n"]) % len(topic.items)]
    text = t("rsvp-tip", topic=topic.title.get(t.language), tip=item.text.get(t.language))
    return Rendered(text, None, (content.version, item.id), thread=p.get("thread"))


def _topic_name(content: Content, t: Translator, payload: dict[str, Any]) -> str:
    topic = content.topic("parenting", str(payload.get("topic")))
    return topic.title.get(t.language) if topic else str(payload.get("topic"))

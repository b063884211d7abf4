"""Checklists a person ticks off: one message, edited in place, ticks kept under their key.

A topic marked `checklist: true` in content opens here instead of page by page, from the
topic list, a search result or a countdown reminder. Ticks are private (the person's
pseudonymous key and the item id, nothing else) and /forget erases them.
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer
from sqlalchemy.exc import SQLAlchemyError

from bot.content.i18n import Translator, local_digits
from bot.content.model import MESSAGE_LIMIT, Topic
from bot.content.phones import services_named
from bot.content.store import Content
from bot.storage.people import Profile
from bot.storage.ticks import Ticks
from dialogs.callbacks import ChecklistCb, MenuCb, Screen, TopicCb
from dialogs.hotlines import call_rows
from dialogs.menu import menu_row
from dialogs.screen import Row, View, in_rows, show
from dialogs.text import escape

log = logging.getLogger(__name__)
PACK = "migration"
PER_ROW = 3  # tick buttons a row: numbers only, so three fit any phone
TICKED, OPEN = "✅", "⬜"


def checklist_topic(content: Content, topic_id: str) -> Topic | None:
    """The topic when it is a checklist of the migration pack; None otherwise."""
    topic = content.topic(PACK, topic_id)
    return topic if topic is not None and topic.checklist else None


def checklist_view(topic: Topic, ticked: set[str], content: Content, t: Translator) -> View:
    """Every entry with its box, a numbered tick button each, calls, and the ways back."""
    lang = t.language
    done = sum(1 for item in topic.items if item.id in ticked)
    lines = [t("checklist-title", title=escape(topic.title.get(lang)),
               done=local_digits(str(done), lang), total=local_digits(str(len(topic.items)), lang)),
             t("checklist-how")]
    buttons: list[tuple[str, ChecklistCb]] = []
    # Each entry fits one message alone; together they might not: share the room evenly.
    room = (MESSAGE_LIMIT - 200 - sum(map(len, lines))) // max(len(topic.items), 1)
    for n, item in enumerate(topic.items):
        box, number = TICKED if item.id in ticked else OPEN, local_digits(str(n + 1), lang)
        lines.append(f"{box} <b>{number}.</b> {escape(_fit(item.text.get(lang), room))}")
        buttons.append((f"{box} {number}", ChecklistCb(topic=topic.id, item=n)))
    rows = in_rows(buttons, PER_ROW)
    named = services_named(content, " ".join(i.text.get(lang) for i in topic.items))
    back: Row = [(t("common-button-back"), MenuCb(to=Screen.MIGRATION)), *menu_row(t)]
    return View("\n\n".join(lines), (*rows, *call_rows(named, t), back))


def _fit(text: str, room: int) -> str:
    """`text`, or as much of it as fits in `room` characters, ending with an ellipsis."""
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


async def open_checklist(
    callback: CallbackQuery, callback_data: ChecklistCb | TopicCb, content: Content,
    t: Translator, profile: Profile | None, ticks: Ticks, callback_answer: CallbackAnswer,
) -> None:
    """Show a checklist with the person's ticks; with an entry named, tick or untick it first."""
    topic = checklist_topic(content, callback_data.topic)
    if topic is None:
        callback_answer.text = t("browse-topic-gone")
        await show(callback, View(t("browse-topic-gone"), (menu_row(t),)))
        return
    item = getattr(callback_data, "item", -1)
    ticked = await _ticked(ticks, profile, topic, item if 0 <= item < len(topic.items) else -1)
    if ticked is None:
        callback_answer.text = t("settings-storage-down")
        ticked = set()
    await show(callback, checklist_view(topic, ticked, content, t))


async def _ticked(ticks: Ticks, profile: Profile | None, topic: Topic,
                  item: int) -> set[str] | None:
    """The person's ticks in this topic, after toggling entry `item` (-1: none); None if down."""
    if profile is None:
        return None
    try:
        if item >= 0:
            await ticks.toggle(profile.key, topic.items[item].id)
        return await ticks.ticked(profile.key, (i.id for i in topic.items))
    except SQLAlchemyError:
        log.warning("could not read or store checklist ticks", exc_info=True)
        return None


def is_checklist(_: CallbackQuery, callback_data: TopicCb, content: Content) -> bool:
    """A topic button that names a checklist: it opens as a list, not page by page."""
    return callback_data.area == PACK and checklist_topic(content, callback_data.topic) is not None


def create_router() -> Router:
    """The checklists' handlers; included before browsing, which shows other topics."""
    router = Router(name="checklists")
    router.callback_query.register(open_checklist, ChecklistCb.filter())
    router.callback_query.register(open_checklist, TopicCb.filter(), is_checklist)
    return router

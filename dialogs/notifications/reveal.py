"""The Read button under a fully neutral notification: edit the message to its content.

The content comes back by id, never from stored clear text: a counsellor's words from the
encrypted transcript (only the person's own lines), static messages re-rendered from their
view. A forged or stale button gets a kind alert and nothing else.
"""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.content.i18n import Translator
from bot.content.store import Content
from bot.proactive.countdown import OFFSETS
from bot.proactive.outbox import Outbox
from bot.proactive.render import Renderers
from bot.runtime.settings import Settings
from bot.storage.cases import Cases
from bot.storage.people import Profile
from bot.storage.vault import Vault
from dialogs import travel
from dialogs.callbacks import ReadCb
from dialogs.counsellor.forum import counsellor_view
from dialogs.counsellor.jobs import waiting_view
from dialogs.counsellor.person import rating_view
from dialogs.notifications.discreet import (
    CLOSED,
    JOINED,
    LINE,
    MEDIA,
    OUTBOX,
    TRAVEL,
    WAITING,
    media_source,
)
from dialogs.screen import View, show
from dialogs.travel.views import destinations

log = logging.getLogger(__name__)


async def read(callback: CallbackQuery, callback_data: ReadCb, bot: Bot, t: Translator,
               profile: Profile | None, cases: Cases, content: Content, settings: Settings,
               vault: Vault, callback_answer: CallbackAnswer, outbox: Outbox,
               renderers: Renderers) -> None:
    """Show the real message in place (an edit does not notify); refuse kindly otherwise."""
    if callback_data.kind == OUTBOX:
        if not await _queued(callback, callback_data.ref, profile, outbox, renderers):
            callback_answer.text, callback_answer.show_alert = t("notify-gone"), True
        return
    view = await revealed(callback_data, t, profile, cases, content, settings, vault) \
        if profile is not None else None
    if view is None:
        callback_answer.text, callback_answer.show_alert = t("notify-gone"), True
        return
    await show(callback, view)
    source = media_source(vault, callback_data.ref) if callback_data.kind == MEDIA else None
    if source is not None and settings.counsellor_chats:
        # The first group: with several, the media's own group is not in its Read button yet.
        await _copy_media(bot, callback.from_user.id, settings.counsellor_chats[0], source[1])


async def revealed(data: ReadCb, t: Translator, profile: Profile, cases: Cases,
                   content: Content, settings: Settings, vault: Vault) -> View | None:
    """The content behind a Read button, or None when it is not this person's or is gone."""
    ref = data.ref
    if data.kind == LINE and ref.isdigit():
        return await _line(cases, t, profile, int(ref))
    if data.kind == MEDIA and (source := media_source(vault, ref)) is not None:
        return await _line(cases, t, profile, source[0])
    if data.kind == CLOSED and ref.isdigit():
        case = await cases.get(int(ref))
        mine = case is not None and case.person_key == profile.key
        return rating_view(t, int(ref), settings.case_retention_days) if mine else None
    if data.kind == JOINED:
        return View(t("counsellor-joined"))
    if data.kind == WAITING:
        return waiting_view(content, t, settings)
    if data.kind == TRAVEL:
        return _travel(content, t, ref)
    return None


async def _queued(callback: CallbackQuery, ref: str, profile: Profile | None, outbox: Outbox,
                  renderers: Renderers) -> bool:
    """A message the outbox sent veiled after a hide: render its row again, if it is theirs."""
    row = await outbox.row(int(ref)) if ref.isdigit() and profile is not None else None
    if row is None or profile is None or row.person_key != profile.key:
        return False
    rendered = renderers.render(row)  # read from storage: not veiled
    if rendered is None:
        return False
    message, bot, chat_id = callback.message, callback.bot, callback.from_user.id
    assert bot is not None
    if rendered.poll is None and rendered.venue is None:
        if isinstance(message, Message):  # in place: an edit does not notify
            await message.edit_text(rendered.text, reply_markup=rendered.markup)
        else:  # older than 48 hours: no longer editable
            await bot.send_message(chat_id, rendered.text, reply_markup=rendered.markup)
        return True
    # A poll or a pin cannot replace a text message: sent anew, the neutral one removed.
    if rendered.poll is not None:
        await bot.send_poll(chat_id, **rendered.poll)
    else:
        await bot.send_venue(chat_id, **(rendered.venue or {}))
    if isinstance(message, Message):
        await message.delete()
    return True


async def _line(cases: Cases, t: Translator, profile: Profile, line: int) -> View | None:
    body = await cases.line(line, profile.key, "counsellor")
    return counsellor_view(t, body) if body is not None else None


async def _copy_media(bot: Bot, chat_id: int, forum: int, message_id: int) -> None:
    # In a private chat the person's id is the chat id. The text is already shown: a media
    # message the counsellors deleted since is logged, not turned into an error for them.
    try:
        await bot.copy_message(chat_id, forum, message_id)
    except TelegramBadRequest:
        log.warning("a counsellor's media could not be copied on Read")


def _travel(content: Content, t: Translator, ref: str) -> View | None:
    # Static content for a destination the button names: nothing personal to leak.
    offset, _, code = ref.partition(".")
    known = {d.destination for d in destinations(content)}
    if offset not in {str(o) for o in OFFSETS} or code not in known:
        return None
    return travel.reminder_view(content, t, {"offset": int(offset), "dest": code})


def create_router() -> Router:
    """The Read button's handler."""
    router = Router(name="reveal")
    router.callback_query.register(read, ReadCb.filter())
    return router

"""Everything no feature handled: a short kind reply, or silence where that is right."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.types import (
    CallbackQuery,
    ChatMemberUpdated,
    InlineQuery,
    InlineQueryResultsButton,
    Message,
)
from aiogram.utils.callback_answer import CallbackAnswer

from bot.content.i18n import Translator
from bot.storage.people import People
from dialogs.callbacks import MenuCb, Screen
from dialogs.menu import main_menu, menu_row
from dialogs.screen import View, reply, show
from dialogs.search import typed_text

log = logging.getLogger(__name__)
private = F.chat.type == ChatType.PRIVATE
groups = F.chat.type.in_({ChatType.GROUP, ChatType.SUPERGROUP})


def short_view(t: Translator, lead_id: str) -> View:
    """One line and a Menu button: a reply that does not fill the chat with menus."""
    return View(t(lead_id), (menu_row(t),))


async def unknown_command(message: Message, t: Translator) -> None:
    """Say the command is unknown, with the Menu button rather than the whole menu."""
    await reply(message, short_view(t, "fallback-unknown-command"))


def voice_view(t: Translator, lead_id: str) -> View:
    """An honest reply to what Sokh cannot read, with the ways to a person."""
    return View(t(lead_id), (
        [(t("menu-button-help"), MenuCb(to=Screen.HELP))],
        [(t("menu-button-counsellor"), MenuCb(to=Screen.COUNSELLOR))],
        menu_row(t),
    ))


async def voice(message: Message, t: Translator) -> None:
    """Voice notes, audio and round videos: Sokh cannot listen yet; offer people who can."""
    await reply(message, voice_view(t, "fallback-voice"))


async def sticker(message: Message, t: Translator) -> None:
    """Stickers carry no words to read: say so, with the same ways to a person."""
    await reply(message, voice_view(t, "fallback-sticker"))


async def location(message: Message, t: Translator) -> None:
    """A shared location is not needed; say so without storing it."""
    await reply(message, short_view(t, "fallback-location"))


async def media(message: Message, t: Translator) -> None:
    """Photos, files and the rest: explain what works, with the ways to a person."""
    await reply(message, voice_view(t, "fallback-media"))


async def edited(message: Message, t: Translator) -> None:
    """Edits are not re-read; ask for a new message."""
    await message.answer(t("fallback-edited"))


async def group_command(message: Message, t: Translator) -> None:
    """Commands in groups: Sokh's personal features live in private chats."""
    await message.reply(t("fallback-group"))


async def stale_button(
    callback: CallbackQuery, t: Translator, callback_answer: CallbackAnswer
) -> None:
    """A button from an old or changed screen, or forged data: back to the menu."""
    callback_answer.text = t("fallback-stale-button")
    await show(callback, main_menu(t))


async def inline(query: InlineQuery, t: Translator) -> None:
    """Inline mode is not offered; point to the private chat instead."""
    button = InlineQueryResultsButton(text=t("fallback-inline-button"), start_parameter="inline")
    await query.answer([], button=button, is_personal=True, cache_time=300)


async def membership(event: ChatMemberUpdated, people: People) -> None:
    """Stop counting people who blocked the bot as reachable."""
    if event.new_chat_member.status == ChatMemberStatus.KICKED:
        await people.mark_blocked(people.key_for(event.from_user.id))


async def ignore(_: Message) -> None:
    """Group chatter and channel posts are not for Sokh: stay silent."""


def create_router() -> Router:
    """The fallback flow's handlers, in the order they are tried."""
    router = Router(name="fallback")
    router.message.register(unknown_command, private, F.text.startswith("/"))
    router.message.register(typed_text, private, F.text)
    router.message.register(location, private, F.location | F.venue)
    router.message.register(voice, private, F.voice | F.audio | F.video_note)
    router.message.register(sticker, private, F.sticker)
    router.message.register(media, private)
    router.edited_message.register(edited, private)
    router.message.register(group_command, groups, F.text.startswith("/"))
    router.callback_query.register(stale_button)
    router.inline_query.register(inline)
    router.my_chat_member.register(membership, F.chat.type == ChatType.PRIVATE)
    router.message.register(ignore)
    router.channel_post.register(ignore)
    router.edited_channel_post.register(ignore)
    return router

"""Quick exit: 'Hide this chat' and /hide delete the conversation and leave a neutral menu.

The same routine runs by itself for people who chose 'Clean up after me' (auto-clean).
Telegram lets a bot delete messages of a private chat for 48 hours; older ones stay, and
the person is told so once. See docs/quick-exit.md.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.exc import SQLAlchemyError

from bot.content.i18n import Locales, Translator
from bot.pipeline.trail import TrailRecorder
from bot.runtime.clock import Clock
from bot.runtime.settings import Settings
from bot.storage.cases import Cases
from bot.storage.trail import WINDOW, Kept
from bot.storage.vault import Vault
from dialogs.callbacks import AutoCleanCb, HideCb
from dialogs.menu import main_menu, menu_row
from dialogs.screen import Row

log = logging.getLogger(__name__)
BATCH = 100  # deleteMessages takes at most 100 ids
GONE = "message to delete not found"


def hide_button(t: Translator) -> tuple[str, HideCb]:
    """The small 'Hide this chat' button every sensitive screen carries."""
    return t("hide-button"), HideCb()


def quick_exit_row(t: Translator) -> Row:
    """'Menu' and 'Hide this chat' side by side, the last row of a sensitive screen."""
    return [*menu_row(t), hide_button(t)]


def auto_clean_row(t: Translator, on: bool, screen: str = "s", urgent: bool = False,
                   lang: str = "") -> Row:
    """The 'Clean up after me' switch; tapping it flips the setting."""
    label = t("hide-autoclean-on" if on else "hide-autoclean-off")
    return [(label, AutoCleanCb(on=not on, screen=screen, urgent=urgent, lang=lang))]


@dataclass(frozen=True)
class QuickExit:
    """Everything the hide routine needs; handlers and the auto-clean job share it."""

    trail: TrailRecorder
    cases: Cases
    settings: Settings
    locales: Locales
    clock: Clock

    async def hide(self, bot: Bot, person_key: str, chat_id: int, t: Translator,
                   silent: bool = False) -> None:
        """Delete the kept messages, tell counsellors of an open case, leave the menu."""
        kept = await self._kept(person_key)
        lead = "" if kept is not None else t("hide-failed")
        if kept is not None:
            fresh = [k.message_id for k in kept if self.clock() - k.sent_at < WINDOW]
            refused = await delete_all(bot, chat_id, fresh)
            lost = await self._forget(person_key, kept)
            if refused or lost or len(fresh) < len(kept):
                lead = t("hide-too-old")
        await self._tell_counsellors(bot, person_key)
        view = main_menu(t, lead)
        await bot.send_message(chat_id, view.text, reply_markup=view.markup(),
                               disable_notification=silent)

    async def set_auto_clean(self, person_key: str, on: bool) -> bool:
        """Store the person's choice; False when the database is unavailable."""
        try:
            await self.trail.store.set_auto_clean(person_key, on)
        except (SQLAlchemyError, OSError):
            log.warning("could not store the auto-clean choice", exc_info=True)
            return False
        return True

    async def auto_clean(self, person_key: str) -> bool:
        """The person's choice; off when the database cannot say."""
        try:
            return await self.trail.store.auto_clean(person_key)
        except (SQLAlchemyError, OSError):
            return False

    async def _kept(self, person_key: str) -> list[Kept] | None:
        try:
            await self.trail.flush()  # the newest ids may still be in the buffer
            return await self.trail.store.kept(person_key)
        except (SQLAlchemyError, OSError):
            log.warning("cannot read the message trail; nothing hidden", exc_info=True)
            return None

    async def _forget(self, person_key: str, kept: Sequence[Kept]) -> bool:
        try:
            return await self.trail.store.cleaned(person_key, [k.row_id for k in kept])
        except (SQLAlchemyError, OSError):
            log.warning("could not drop cleaned ids; the purge job will", exc_info=True)
            return False

    async def _tell_counsellors(self, bot: Bot, person_key: str) -> None:
        """The case stays open; its topic only learns that the screen was cleared."""
        chats = self.settings.counsellor_chats
        try:
            case = await self.cases.active_for(person_key) if chats else None
            if case is None or case.topic_id is None:
                return
            chat_id = case.forum_id if case.forum_id is not None else chats[0]
            staff = self.locales.get(self.settings.counsellor_language)
            note = staff("hide-case-note", alias=case.alias)
            await bot.send_message(chat_id, note, message_thread_id=case.topic_id)
        except (SQLAlchemyError, OSError, TelegramAPIError):
            log.warning("could not tell the counsellors a screen was cleared", exc_info=True)


async def toggle_auto_clean(callback: CallbackQuery, callback_data: AutoCleanCb,
                            quick_exit: QuickExit, vault: Vault) -> bool:
    """Store the switch tapped in a private chat; return the setting now in force."""
    person_key = vault.person_key(callback.from_user.id)
    saved = await quick_exit.set_auto_clean(person_key, callback_data.on)
    return callback_data.on if saved else not callback_data.on


async def delete_all(bot: Bot, chat_id: int, message_ids: Sequence[int]) -> int:
    """Delete in batches of 100, one by one when a batch fails; return how many were refused."""
    refused = 0
    for start in range(0, len(message_ids), BATCH):
        batch = list(message_ids[start:start + BATCH])
        try:
            await bot.delete_messages(chat_id, batch)
            continue
        except TelegramAPIError:
            log.info("batch delete refused; deleting one by one")
        for message_id in batch:
            refused += not await _delete_one(bot, chat_id, message_id)
    return refused


async def _delete_one(bot: Bot, chat_id: int, message_id: int) -> bool:
    try:
        await bot.delete_message(chat_id, message_id)
    except TelegramBadRequest as error:
        return GONE in error.message  # already gone is as good as deleted
    except TelegramAPIError:
        return False
    return True


async def hide_command(message: Message, bot: Bot, quick_exit: QuickExit, vault: Vault,
                       t: Translator) -> None:
    """/hide: clear the chat and leave the menu."""
    await quick_exit.hide(bot, vault.person_key(message.chat.id), message.chat.id, t)


async def hide_tapped(callback: CallbackQuery, bot: Bot, quick_exit: QuickExit, vault: Vault,
                      t: Translator) -> None:
    """'Hide this chat': clear the chat and leave the menu."""
    chat_id = callback.from_user.id  # a private chat's id is the person's id
    await quick_exit.hide(bot, vault.person_key(chat_id), chat_id, t)


def create_router() -> Router:
    """The quick-exit handlers (private chats only)."""
    router = Router(name="hide")
    router.message.register(hide_command, F.chat.type == ChatType.PRIVATE, Command("hide"))
    router.callback_query.register(hide_tapped, HideCb.filter(),
                                   F.message.chat.type == ChatType.PRIVATE)
    return router

"""Quick exit: 'Hide this chat' and /hide delete the conversation and leave a neutral menu.

The same routine runs by itself for people who chose 'Clean up after me' (auto-clean).
Telegram lets a bot delete messages of a private chat for 48 hours; older ones stay, and
the person is told so once. Deletions that fail for a passing reason are kept and retried,
and the person is told the true reason anything stays. See docs/quick-exit.md.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
)
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from sqlalchemy.exc import SQLAlchemyError

from bot.content.i18n import Locales, Translator
from bot.pipeline.trail import TrailRecorder
from bot.runtime.clock import Clock
from bot.runtime.settings import Settings
from bot.storage.cases import Cases
from bot.storage.trail import WINDOW, Failed, Kept, Known
from bot.storage.vault import Vault
from dialogs.callbacks import AutoCleanCb, HideCb
from dialogs.menu import main_menu, menu_row
from dialogs.screen import Row

log = logging.getLogger(__name__)
BATCH = 100  # deleteMessages takes at most 100 ids
GONE = "message to delete not found"
# Hide's database read: past this the person is not kept waiting; memory is deleted instead.
READ_TIMEOUT_S = 3.0
# Gaps in the known ids are swept, at most this many ids below the newest (10 calls).
SWEEP_MAX = 1000
# A 429 asking for at most this long is waited out inside the hide; longer ones are retried.
INLINE_WAIT_S = 3


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
                   silent: bool = False, upto: int | None = None) -> None:
        """Delete the chat, tell counsellors of an open case, leave the menu, record it all.

        `upto`: the newest message id the update shows, the top of the range swept. What
        could not be deleted for a passing reason is kept and retried (jobs.py); the menu
        says why anything stays. Raises only when the menu cannot be sent, so an auto-clean
        is claimed again after its lease.
        """
        memory = self.trail.remembered(person_key)
        self.trail.hidden(person_key)  # veiled from now on: no apology, neutral notifications
        known = await self._known(person_key, upto)
        now, kept = self.clock(), known.kept if known is not None else []
        fresh = [k for k in kept if now - k.sent_at < WINDOW]
        targets = sweep({k.message_id for k in fresh} | set(memory) | {upto or 0} - {0})
        deletion = await delete_all(bot, chat_id, targets)
        await self._tell_counsellors(bot, person_key)
        lead = _lead(t, known, bool(targets), deletion, stale=len(fresh) < len(kept))
        view = main_menu(t, lead)
        try:
            await bot.send_message(chat_id, view.text, reply_markup=view.markup(),
                                   disable_notification=silent)
        except TelegramForbiddenError:
            log.info("the person blocked the bot; nothing to leave behind")
        seen = min((k.sent_at for k in fresh), default=now)
        await self.settle(person_key, kept, deletion, hid=True, seen_at=seen)

    async def settle(self, person_key: str, handled: Sequence[Kept], deletion: Deletion,
                     hid: bool, seen_at: datetime | None = None) -> bool:
        """Record a round of deletions; False when the database could not take it."""
        failed = Failed(deletion.failed, deletion.wait_s, seen_at)
        try:
            await self.trail.store.settle(person_key, handled, failed, hid)
        except (SQLAlchemyError, OSError):
            log.warning("could not record the deletions; the next hide tries all again",
                        exc_info=True)
            return False
        return True

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

    async def _known(self, person_key: str, upto: int | None) -> Known | None:
        """The kept ids, or None when the database fails or is slower than READ_TIMEOUT_S."""
        try:
            return await asyncio.wait_for(self._read(person_key, upto), READ_TIMEOUT_S)
        except (SQLAlchemyError, OSError, TimeoutError):
            log.warning("cannot read the message trail; deleting what memory holds",
                        exc_info=True)
            return None

    async def _read(self, person_key: str, upto: int | None) -> Known:
        # Shielded: a timeout must not cancel a write halfway and lose the buffer.
        await asyncio.shield(self.trail.flush())  # the newest ids may still be buffered
        return await self.trail.store.start_hide(person_key, upto)

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


def _lead(t: Translator, known: Known | None, tried: bool, deletion: Deletion,
          stale: bool) -> str:
    """The true reason anything stays, one line each, or nothing when all is gone."""
    lines = []
    if known is None:
        lines.append(t("hide-partial" if tried else "hide-failed"))
    elif deletion.failed:
        lines.append(t("hide-retrying"))
    if deletion.refused or stale or (known is not None and known.lost):
        lines.append(t("hide-too-old"))
    return "\n".join(lines)


def sweep(ids: set[int]) -> list[int]:
    """The known ids and every id between them, at most SWEEP_MAX below the newest.

    A private chat's ids rise with each message, so the gaps are messages the trail
    missed (a crash lost the last buffer, another process noted them): deleteMessages skips
    ids it cannot find, and every id above a fresh one is itself within the 48 h.
    """
    if not ids:
        return []
    top = max(ids)
    return sorted(ids | set(range(max(min(ids), top - SWEEP_MAX), top + 1)))


async def toggle_auto_clean(callback: CallbackQuery, callback_data: AutoCleanCb,
                            quick_exit: QuickExit, vault: Vault) -> bool:
    """Store the switch tapped in a private chat; return the setting now in force."""
    person_key = vault.person_key(callback.from_user.id)
    saved = await quick_exit.set_auto_clean(person_key, callback_data.on)
    return callback_data.on if saved else not callback_data.on


@dataclass
class Deletion:
    """What a round of deletions left: ids to try again, ids refused for good, the wait."""

    failed: set[int] = field(default_factory=set)  # 5xx, network, 429: retried later
    refused: int = 0  # too old (or the person blocked the bot): never deletable
    wait_s: float = 0.0  # the longest retry_after Telegram asked for


async def delete_all(bot: Bot, chat_id: int, message_ids: Sequence[int],
                     sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> Deletion:
    """Delete in batches of 100; a refused batch goes one by one; nothing raises."""
    result = Deletion()
    for start in range(0, len(message_ids), BATCH):
        batch = list(message_ids[start:start + BATCH])
        try:
            await _delete_batch(bot, chat_id, batch, sleep)
        except TelegramRetryAfter as error:
            result.failed.update(batch)
            result.wait_s = max(result.wait_s, float(error.retry_after))
        except TelegramForbiddenError:
            result.refused += len(message_ids) - start  # blocked: nothing can be deleted
            return result
        except TelegramBadRequest:
            log.info("batch delete refused; deleting one by one")
            for message_id in batch:
                await _delete_one(bot, chat_id, message_id, result)
        except (TelegramAPIError, TimeoutError):  # 5xx, network: Telegram may do it later
            result.failed.update(batch)
    return result


async def _delete_batch(bot: Bot, chat_id: int, batch: list[int],
                        sleep: Callable[[float], Awaitable[None]]) -> None:
    """deleteMessages; a short 429 is waited out once, so a hide rarely leaves anything."""
    try:
        await bot.delete_messages(chat_id, batch)
    except TelegramRetryAfter as error:
        if error.retry_after > INLINE_WAIT_S:
            raise
        await sleep(error.retry_after)
        await bot.delete_messages(chat_id, batch)


async def _delete_one(bot: Bot, chat_id: int, message_id: int, result: Deletion) -> None:
    try:
        await bot.delete_message(chat_id, message_id)
    except TelegramRetryAfter as error:
        result.failed.add(message_id)
        result.wait_s = max(result.wait_s, float(error.retry_after))
    except TelegramBadRequest as error:
        result.refused += GONE not in error.message  # already gone is as good as deleted
    except (TelegramForbiddenError, TelegramNotFound):
        result.refused += 1
    except (TelegramAPIError, TimeoutError):
        result.failed.add(message_id)


async def hide_command(message: Message, bot: Bot, quick_exit: QuickExit, vault: Vault,
                       t: Translator) -> None:
    """/hide: clear the chat and leave the menu."""
    await quick_exit.hide(bot, vault.person_key(message.chat.id), message.chat.id, t,
                          upto=message.message_id)


async def hide_tapped(callback: CallbackQuery, bot: Bot, quick_exit: QuickExit, vault: Vault,
                      t: Translator, callback_answer: CallbackAnswer) -> None:
    """'Hide this chat': clear the chat and leave the menu."""
    # Answered first, quietly: an answer after a long hide would be 'query is too old'.
    callback_answer.disable()
    with suppress(TelegramBadRequest):
        await callback.answer()
    chat_id = callback.from_user.id  # a private chat's id is the person's id
    upto = callback.message.message_id if callback.message is not None else None
    await quick_exit.hide(bot, vault.person_key(chat_id), chat_id, t, upto=upto)


def create_router() -> Router:
    """The quick-exit handlers (private chats only)."""
    router = Router(name="hide")
    router.message.register(hide_command, F.chat.type == ChatType.PRIVATE, Command("hide"))
    router.callback_query.register(hide_tapped, HideCb.filter(),
                                   F.message.chat.type == ChatType.PRIVATE)
    return router

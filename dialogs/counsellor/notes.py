"""The bot's notes in the counsellors' forum: the topic's first note (how to take, reply and
close) and the urgent announcement in General, both updated when someone takes the case.

The notes are queued with the case's messages (dialogs/counsellor/relay.py); the few direct
sends left in handlers (closing notes) wait out a 429's `retry_after` instead of failing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter
from aiogram.types import Message

from bot.content.i18n import Translator
from bot.storage.cases import CaseInfo
from dialogs.callbacks import TakeCb
from dialogs.screen import View

log = logging.getLogger(__name__)
T = TypeVar("T")
# A group refills one message every 3 s; cases opened together wait their turn, up to a
# minute (the whole bucket) before the call fails as it would have without waiting.
PATIENCE_S = 60.0
LIVE_MINUTES = 10  # see docs/counsellor.md, 'Neutral first line'


async def patiently(call: Callable[[], Awaitable[T]]) -> T:
    """Make a Bot API call, waiting out Telegram's 429 `retry_after` for up to a minute."""
    waited = 0.0
    while True:
        try:
            return await call()
        except TelegramRetryAfter as error:
            if waited + error.retry_after > PATIENCE_S:
                raise
            waited += error.retry_after
            await asyncio.sleep(error.retry_after)


def intro_view(t: Translator, case: CaseInfo, taken_by: str | None = None) -> View:
    """The topic's first note: what the case is and how to take, reply and close it."""
    how = t("counsellor-how-to")
    if taken_by is not None:
        return View(f"{t('counsellor-case-taken', alias=case.alias, name=taken_by)}\n\n{how}")
    head = t("counsellor-case-new", alias=case.alias, language=case.language)
    return View(f"{head}\n\n{how}", ([(t("counsellor-button-take"), TakeCb(case=case.id))],))


async def mark_taken(bot: Bot, chat_id: int, t: Translator, case: CaseInfo, name: str,
                     intro: Message | None) -> None:
    """Show in the topic and in General that the case is taken, and by whom."""
    if intro is not None:
        await intro.edit_text(intro_view(t, case, name).text)
    if case.announce_id is None:
        return
    try:
        await bot.edit_message_text(t("counsellor-urgent-taken", alias=case.alias, name=name),
                                    chat_id=chat_id, message_id=case.announce_id)
    except TelegramAPIError as error:  # deleted by an admin, or too old to edit
        log.info("case %s: the announcement was not updated (%s)", case.alias, error.message)

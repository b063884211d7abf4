"""The bot's notes in the counsellors' forum: the topic's first note (how to take, reply and
close), the urgent announcement in General, both updated when someone takes the case, and
the person's first message carried in from triage.

These few sends happen as a case opens, inside a handler: a 429 is waited out
(`retry_after`) rather than turned into an error for the person.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramRetryAfter
from aiogram.types import Message

from bot.content.i18n import Translator
from bot.storage.cases import CaseInfo, Cases
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


async def post_intro(bot: Bot, chat_id: int, t: Translator, case: CaseInfo,
                     topic_id: int) -> int:
    """Send the topic's first note with the Take button; return its message id."""
    intro = intro_view(t, case)
    sent = await patiently(lambda: bot.send_message(
        chat_id, intro.text, message_thread_id=topic_id, reply_markup=intro.markup()))
    return sent.message_id


async def announce(bot: Bot, chat_id: int, t: Translator, cases: Cases, case: CaseInfo) -> None:
    """Tell General an urgent case is waiting; keep the note's id to update it when taken."""
    sent = await patiently(lambda: bot.send_message(
        chat_id, t("counsellor-urgent-announce", alias=case.alias)))
    await cases.set_announce(case.id, sent.message_id)


async def carry_first(bot: Bot, chat_id: int, case: CaseInfo, topic_id: int,
                      first: Message) -> int | None:
    """Copy the message that triggered triage into the topic; return the copy's id.

    None when it is gone (she hid the chat) or refused.
    """
    try:
        copied = await patiently(lambda: bot.copy_message(
            chat_id, first.chat.id, first.message_id, message_thread_id=topic_id))
    except TelegramBadRequest as error:
        log.warning("case %s: the first message could not be carried (%s)", case.alias,
                    error.message)
        return None
    return copied.message_id


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

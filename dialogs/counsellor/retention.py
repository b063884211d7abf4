"""Retention in the counsellors' Telegram forum: a purged case's topic is deleted.

`deleteForumTopic` removes the topic with every message in it. Where Telegram refuses
(the bot lost the right to delete messages, a network error), the case's own messages are
deleted one by one from the ids kept for that (bot/storage/forum_cleanup.py), and whatever
is left is tried again with a growing pause. Logs name the queue row and Telegram's
reason, never a case's words or who the person was.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.storage.forum_cleanup import Cleanup, ForumCleanups

log = logging.getLogger(__name__)
BATCH = 100  # deleteMessages takes at most 100 ids
GIVE_UP_AFTER = 12  # about two days of retries (1 min doubling to 6 h)
# Telegram's words for "nothing left to delete there": the work is done.
GONE = ("thread not found", "TOPIC_ID_INVALID", "message to delete not found")


async def clean(bot: Bot, cleanups: ForumCleanups, only: Sequence[int] | None = None) -> int:
    """Delete due topics (or just these queued ones); return how many are finished."""
    finished = 0
    for job in await cleanups.due(only=list(only) if only is not None else None):
        finished += await _clean_one(bot, cleanups, job)
    return finished


async def _clean_one(bot: Bot, cleanups: ForumCleanups, job: Cleanup) -> int:
    topic_gone, reason = await _delete_topic(bot, job)
    # After the topic, its ids are mostly 'not found' (skipped); the General note remains.
    left, why = await _delete_messages(bot, job.chat_id, job.message_ids)
    if topic_gone or not left:
        await cleanups.done(job.id)
        log.info("forum cleanup %d done (topic deleted: %s)", job.id, topic_gone)
        return 1
    if job.attempts + 1 >= GIVE_UP_AFTER:
        await cleanups.done(job.id)
        log.error("forum cleanup %d given up after %d tries: delete topic %s in the "
                  "counsellors' group by hand (%s; %s)", job.id, job.attempts + 1,
                  job.topic_id, reason, why)
        return 0
    later = await cleanups.failed(job, left)
    log.warning("forum cleanup %d failed (try %d: %s; %d message(s) left: %s); next try %s",
                job.id, job.attempts + 1, reason, len(left), why, later.isoformat())
    return 0


async def _delete_topic(bot: Bot, job: Cleanup) -> tuple[bool, str]:
    """(whether the topic is gone, Telegram's reason when not)."""
    if job.topic_id is None:
        return True, ""
    try:
        await bot.delete_forum_topic(job.chat_id, job.topic_id)
    except TelegramAPIError as error:
        return _gone(error), error.message
    return True, ""


async def _delete_messages(bot: Bot, chat_id: int,
                           ids: Sequence[int]) -> tuple[tuple[int, ...], str]:
    """Delete by the hundred, one by one where a batch is refused; return what is left."""
    left: list[int] = []
    reason = ""
    for start in range(0, len(ids), BATCH):
        batch = list(ids[start:start + BATCH])
        try:
            await bot.delete_messages(chat_id, batch)
            continue
        except TelegramAPIError:
            pass
        for message_id in batch:
            try:
                await bot.delete_message(chat_id, message_id)
            except TelegramAPIError as error:
                if not _gone(error):
                    left.append(message_id)
                    reason = error.message
    return tuple(left), reason


def _gone(error: TelegramAPIError) -> bool:
    return any(word.lower() in error.message.lower() for word in GONE)

"""Auto-clean: the periodic jobs that run quick exit after a silence, and drop old ids.

Due clean-ups are rows (trail_state.next_due_at), claimed atomically, so a restart loses
none and two processes never clean the same chat. See docs/quick-exit.md.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from sqlalchemy.exc import SQLAlchemyError

from dialogs.quick_exit.flow import QuickExit

log = logging.getLogger(__name__)


async def clean_due(bot: Bot, quick_exit: QuickExit) -> int:
    """Run quick exit for every chat whose silence ran out; return how many."""
    try:
        due = await quick_exit.trail.store.claim_due()
    except (SQLAlchemyError, OSError):
        log.warning("auto-clean cannot read the database; next run tries again", exc_info=True)
        return 0
    for item in due:
        t = quick_exit.locales.get(item.language)
        try:
            await quick_exit.hide(bot, item.person_key, item.chat_id, t, silent=True)
        except TelegramAPIError:
            log.warning("auto-clean could not reach a chat")
    return len(due)


async def purge_trail(quick_exit: QuickExit) -> int:
    """Drop message ids past Telegram's 48-hour window."""
    try:
        dropped = await quick_exit.trail.store.purge()
    except (SQLAlchemyError, OSError):
        log.warning("could not purge the message trail", exc_info=True)
        return 0
    if dropped:
        log.info("dropped %d message id(s) past 48 hours", dropped)
    return dropped

"""Auto-clean: the periodic jobs that run quick exit after a silence, and drop old ids.

Due clean-ups are rows (trail_state.next_due_at), claimed atomically with a lease, so a
restart loses none, a failed one runs again, and two processes never clean the same chat.
Deletions a hide could not do for a passing reason are retried here too, silently: nothing
is ever posted to a chat after its hide. See docs/quick-exit.md.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from sqlalchemy.exc import SQLAlchemyError

from dialogs.quick_exit.flow import QuickExit, delete_all, sweep

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
            # The due time stays a lease ahead: the clean-up runs again then.
            log.warning("auto-clean could not reach a chat; it will try again")
    return len(due)


async def retry_failed(bot: Bot, quick_exit: QuickExit) -> int:
    """Try again the deletions that failed for a passing reason; return for how many people."""
    try:
        due = await quick_exit.trail.store.claim_retries()
    except (SQLAlchemyError, OSError):
        log.warning("cannot read failed deletions; next run tries again", exc_info=True)
        return 0
    for item in due:
        # Swept like a hide: ids a killed hide never wrote down lie between the kept ones.
        deletion = await delete_all(bot, item.chat_id, sweep({k.message_id for k in item.kept}))
        await quick_exit.settle(item.person_key, item.kept, deletion, hid=False)
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

"""Last line of defence: log a failure without personal data, and never go silent.

Except on a chat just hidden: nothing is posted there until the person comes back, and a
late callback answer ('query is too old') is no failure the person needs to hear about.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.types import ErrorEvent
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from bot.content.i18n import Locales, language_from_telegram
from bot.content.store import ContentStore
from bot.storage.vault import Vault
from dialogs.hotlines import emergency_view
from dialogs.quick_exit.flow import QuickExit

log = logging.getLogger(__name__)
# Telegram's answers to a callback answered too late or twice: nothing the person can fix.
LATE_ANSWER = ("query is too old", "query id is invalid")
# The database or Redis down or hanging (TimeoutError is an OSError): a passing outage, said so.
STORAGE_DOWN = (SQLAlchemyError, RedisError, OSError)


async def on_error(
    event: ErrorEvent, bot: Bot, locales: Locales, content_store: ContentStore,
    quick_exit: QuickExit, vault: Vault,
) -> None:
    """Apologise with the emergency numbers, which need only memory, not the database.

    A storage outage gets an honest 'try again in a few minutes' (docs/deploy.md).
    """
    error = event.exception
    if late_answer(error):
        log.info("update %s: a callback answer came too late", event.update.update_id)
        return
    log.error(
        "update %s (%s) failed: %s", event.update.update_id, event.update.event_type,
        type(error).__name__, exc_info=(type(error), error, error.__traceback__),
    )
    if isinstance(error, TelegramForbiddenError):
        return
    chat_id, user = _private_chat(event)
    # A hidden chat stays neutral: an apology with hotlines would undo the hide.
    if chat_id is None or quick_exit.trail.veiled(vault.person_key(chat_id)):
        return
    t = locales.get(language_from_telegram(user))
    lead = t("common-try-again-soon" if isinstance(error, STORAGE_DOWN) else "common-error")
    view = emergency_view(content_store.current, t, lead=lead)
    try:
        await bot.send_message(chat_id, view.text, reply_markup=view.markup())
    except TelegramAPIError:
        log.warning("could not send the apology after a failure")


def late_answer(error: BaseException) -> bool:
    """True for Telegram refusing a callback answer because the tap is too old."""
    return isinstance(error, TelegramBadRequest) and any(
        words in error.message.lower() for words in LATE_ANSWER)


def _private_chat(event: ErrorEvent) -> tuple[int | None, str | None]:
    update = event.update
    message = update.message or update.edited_message
    if update.callback_query is not None:
        user = update.callback_query.from_user
        return user.id, user.language_code
    if message is not None and message.chat.type == "private":
        code = message.from_user.language_code if message.from_user else None
        return message.chat.id, code
    return None, None

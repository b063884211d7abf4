"""Last line of defence: log a failure without personal data, and never go silent."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import ErrorEvent

from bot.content.i18n import Locales, language_from_telegram
from bot.content.store import ContentStore
from dialogs.hotlines import emergency_view

log = logging.getLogger(__name__)


async def on_error(
    event: ErrorEvent, bot: Bot, locales: Locales, content_store: ContentStore
) -> None:
    """Apologise with the emergency numbers, which need only memory, not the database."""
    error = event.exception
    log.error(
        "update %s (%s) failed: %s", event.update.update_id, event.update.event_type,
        type(error).__name__, exc_info=(type(error), error, error.__traceback__),
    )
    if isinstance(error, TelegramForbiddenError):
        return
    chat_id, user = _private_chat(event)
    if chat_id is None:
        return
    t = locales.get(language_from_telegram(user))
    view = emergency_view(content_store.current, t, lead=t("common-error"))
    try:
        await bot.send_message(chat_id, view.text, reply_markup=view.markup())
    except TelegramAPIError:
        log.warning("could not send the apology after a failure")


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

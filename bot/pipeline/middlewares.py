"""Middlewares: who is speaking (pseudonymously), in which language, and in-flight tracking."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.enums import ChatType
from aiogram.types import Chat, TelegramObject, User
from sqlalchemy.exc import SQLAlchemyError

from bot.content.i18n import Locales, language_from_telegram
from bot.content.store import ContentStore
from bot.storage.people import People, Profile

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
# A hanging database must not hang the bot; crisis messages skip the lookup altogether.
PROFILE_TIMEOUT_S = 5.0
Urgent = Callable[[TelegramObject], bool]


class ContextMiddleware(BaseMiddleware):
    """Give handlers the current content, the person's profile and a translator."""

    def __init__(self, content: ContentStore, locales: Locales, people: People,
                 urgent: Urgent | None = None) -> None:
        self._content, self._locales, self._people = content, locales, people
        self._urgent = urgent or (lambda event: False)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        # The crisis reply needs no profile: never make it wait for the database.
        profile = None if self._urgent(event) else await self._profile(user, chat)
        chosen = profile.language if profile else None
        language = chosen or language_from_telegram(user.language_code if user else None)
        data.update(content=self._content.current, profile=profile, t=self._locales.get(language))
        return await handler(event, data)

    async def _profile(self, user: User | None, chat: Chat | None) -> Profile | None:
        if user is None or chat is None or chat.type != ChatType.PRIVATE or user.is_bot:
            return None
        cached = self._people.cached(user.id)
        if cached is not None:
            return cached  # most updates: no task for the timeout, no database
        try:
            return await asyncio.wait_for(self._people.touch(user.id, chat.id), PROFILE_TIMEOUT_S)
        except TimeoutError:
            # No traceback: in a crowd of first contacts this can be hundreds at once, and
            # formatting them slowed the bot further (docs/deploy.md).
            log.warning("storage slow; answering without a profile")
            return None
        except (SQLAlchemyError, OSError):
            # The database being down must not silence the bot: help numbers live in memory.
            log.warning("storage unavailable; answering without a profile", exc_info=True)
            return None


class InFlightMiddleware(BaseMiddleware):
    """Counts updates being handled, so shutdown can wait for them to finish."""

    def __init__(self) -> None:
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        self._running += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self._running -= 1
            if self._running == 0:
                self._idle.set()

    async def drain(self, timeout: float) -> bool:
        """Wait until no update is being handled; False if `timeout` ran out first."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.warning("shutdown: %d update(s) still running after %.0fs", self._running, timeout)
            return False
        return True

"""What a webhook update's handling sent, so a redelivery after a worker died does not send
it again.

A worker killed after Telegram took a reply but before the update's claim was `done` left
Telegram to deliver the update again, and the next worker answered it again: the person got
the message twice. Now each Bot API call made while handling a webhook update is recorded
in Redis once Telegram answered it: the call's answer, encrypted with the vault and bound to
the update, kept REPLIES_KEEP. A delivery that takes over a dead worker's claim
(`Claim.AGAIN`) reads the record first: its first calls, the ones the dead worker made, get
their recorded answers without going to Telegram; the rest go out as usual. A handler takes
the same path for the same update, so its n-th call is the same call.

The remaining window is the time between Telegram's answer and the record (one Redis call).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from cryptography.exceptions import InvalidTag
from pydantic import BaseModel
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.runtime.breaker import REDIS_TIMEOUT_S
from bot.storage.vault import Vault

__all__ = ["ReplyLedger"]

log = logging.getLogger(__name__)
REPLIES_KEEP_MS = 10 * 60 * 1000  # longer than any redelivery takes to come


@dataclass
class _Handling:
    """The update being handled in this task, its calls so far, and a dead worker's record."""

    key: str
    context: bytes
    recorded: dict[int, str] = field(default_factory=dict)
    calls: int = 0


_CURRENT: ContextVar[_Handling | None] = ContextVar("sokh_replies", default=None)


# Built once: pydantic keeps parametrised generics only weakly, and building Response[Any]
# for every recorded call was 7 % of a webhook worker's CPU in a profile.
_ANY_RESPONSE = Response[Any]


class ReplyLedger(BaseRequestMiddleware):
    """A session middleware plus the context a webhook update is handled in."""

    def __init__(self, redis: Redis, vault: Vault, bot_id: int) -> None:
        self._redis, self._vault, self._prefix = redis, vault, f"sokh:replies:{bot_id}:"

    @asynccontextmanager
    async def handling(self, update_id: int, again: bool) -> AsyncIterator[None]:
        """Record the calls made inside; `again`: first replay what a dead worker recorded."""
        key = f"{self._prefix}{update_id}"
        state = _Handling(key, key.encode())
        if again:
            state.recorded = await self._read(key)
        token = _CURRENT.set(state)
        try:
            yield
        finally:
            _CURRENT.reset(token)

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        state = _CURRENT.get()
        if state is None:  # not inside a webhook update (jobs, senders, polling)
            return await make_request(bot, method)
        state.calls += 1
        number = state.calls
        if number in state.recorded:
            replayed = self._replayed(bot, method, state, number)
            if replayed is not None:
                return cast(Response[TelegramType], replayed)
        response = await make_request(bot, method)
        await self._record(state, number, response)
        return response

    def _replayed(self, bot: Bot, method: TelegramMethod[TelegramType], state: _Handling,
                  number: int) -> Any:
        """The recorded answer of the dead worker's n-th call, as Telegram gave it."""
        try:
            raw = self._vault.decrypt(state.recorded[number], state.context)
            answer = Response[method.__returning__]  # type: ignore[name-defined]
            replayed: Response[TelegramType] = answer.model_validate_json(
                raw, context={"bot": bot})
            if replayed.result is None:
                raise ValueError("no result recorded")
        except (InvalidTag, ValueError):
            log.warning("replies: a recorded answer could not be read; calling again")
            return None
        log.info("replies: a call a dead worker made for this update is not made again")
        return replayed.result  # the chain passes results, whatever the annotations say

    async def _record(self, state: _Handling, number: int, result: Any) -> None:
        # What the chain below hands back is the call's result, not the Response.
        payload = result.model_dump(mode="json", by_alias=True, exclude_none=True) \
            if isinstance(result, BaseModel) else result
        body = _ANY_RESPONSE(ok=True, result=payload).model_dump_json(exclude_none=True)
        sealed = self._vault.encrypt(body.encode(), state.context)
        with suppress(RedisError, OSError, TimeoutError):
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.hset(state.key, str(number), sealed)
                pipe.pexpire(state.key, REPLIES_KEEP_MS)
                await asyncio.wait_for(pipe.execute(), REDIS_TIMEOUT_S)

    async def _read(self, key: str) -> dict[int, str]:
        try:
            raw = await asyncio.wait_for(self._redis.hgetall(key), REDIS_TIMEOUT_S)
        except (RedisError, OSError, TimeoutError):
            return {}
        return {int(k): v.decode() if isinstance(v, bytes) else str(v) for k, v in raw.items()}

"""Per-person turns: one person's updates are handled one at a time, in update_id order, across
every worker, and the crisis reply never waits for a turn.

Two layers. In each process, a person's updates wait for the earlier ones of the same process
(memory, ordered by update_id). Across processes, with Redis, a person's waiting update ids sit
in a sorted set; an update goes when its id is the lowest there. Each entry names its
worker's `Pulse`: an entry whose worker died (no pulse) is skipped, so a kill -9 holds nobody
up for longer than the pulse's life. Redis slow or down costs at most REDIS_TIMEOUT_S per
update, after which it goes without the cross-worker turn (in order within its process).

Keys hold no Telegram id: each person's key is a pseudonym (bot/pipeline/fsm_keys.py).
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any, cast

from aiogram import Bot
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.memory import DisabledEventIsolation
from aiogram.types import TelegramObject, Update
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.runtime.breaker import IN_LINE_TIMEOUT_S, REDIS_TIMEOUT_S
from bot.storage.vault import Vault

__all__ = ["OrderedFSMMiddleware", "PersonTurns", "Pulse"]

log = logging.getLogger(__name__)
# The longest an update waits for a person's earlier one elsewhere (a slow handler).
MAX_WAIT_S = 10.0
POLL_S = (0.005, 0.1)  # first and longest pause between looks at the Redis queue
PULSE_BEAT_S, PULSE_TTL_S = 2.0, 10.0
# A turn's keys outlive any wait; a forgotten one goes by itself.
TURN_KEY_MS = 120_000

# KEYS: queue (zset), owners (hash). ARGV: update id, worker token, pulse prefix, key ms.
# Enters the update (once), drops heads whose worker has no pulse, says if it is first.
_ENTER = """
redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if head == false or head == nil or head == ARGV[1] then return 1 end
  local owner = redis.call('HGET', KEYS[2], head)
  if owner and redis.call('EXISTS', ARGV[3] .. owner) == 1 then return 0 end
  redis.call('ZREM', KEYS[1], head)
  redis.call('HDEL', KEYS[2], head)
end
"""


class Pulse:
    """This worker's sign of life in Redis: a key renewed every PULSE_BEAT_S.

    Other workers take over what a worker without a pulse held (its turns, its update
    claims): a process killed mid-update blocks no one for longer than PULSE_TTL_S.
    """

    PREFIX = "sokh:worker:"

    def __init__(self, redis: Redis, beat_s: float = PULSE_BEAT_S,
                 ttl_s: float = PULSE_TTL_S) -> None:
        self.redis, self._beat_s, self._ttl_ms = redis, beat_s, int(ttl_s * 1000)
        self.token = uuid.uuid4().hex
        self.key = f"{self.PREFIX}{self.token}"
        self._task: asyncio.Task[None] | None = None

    async def beat(self) -> None:
        """Renew the key; Redis unreachable is logged by whoever needs it."""
        with suppress(RedisError, OSError, TimeoutError):
            await asyncio.wait_for(self.redis.set(self.key, b"1", px=self._ttl_ms),
                                   REDIS_TIMEOUT_S * 4)

    def start(self) -> None:
        """Beat in the background until `stop`."""
        if self._task is None:
            self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            await self.beat()
            await asyncio.sleep(self._beat_s)

    async def stop(self) -> None:
        """Stop beating and remove the key: what this worker held is free at once."""
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with suppress(RedisError, OSError, TimeoutError):
            await asyncio.wait_for(self.redis.delete(self.key), REDIS_TIMEOUT_S)


class _LocalTurns:
    """In one process: a person's updates go in update_id order, one at a time."""

    def __init__(self) -> None:
        self._waiting: dict[str, list[int]] = {}
        self._changed: dict[str, asyncio.Event] = {}

    @asynccontextmanager
    async def turn(self, name: str, update_id: int) -> AsyncIterator[None]:
        queue = self._waiting.setdefault(name, [])
        changed = self._changed.setdefault(name, asyncio.Event())
        heapq.heappush(queue, update_id)
        try:
            while queue[0] != update_id:
                changed.clear()
                await changed.wait()
            yield
        finally:
            queue.remove(update_id)
            heapq.heapify(queue)
            changed.set()
            if not queue:
                del self._waiting[name], self._changed[name]


class PersonTurns:
    """A person's updates one at a time, in update_id order (module docstring)."""

    def __init__(self, vault: Vault, redis: Redis | None = None, pulse: Pulse | None = None,
                 max_wait_s: float = MAX_WAIT_S) -> None:
        self._vault, self._redis, self._pulse = vault, redis, pulse
        self._max_wait_s = max_wait_s
        self._plain = DefaultKeyBuilder(with_bot_id=True)
        self._local = _LocalTurns()
        self._left: dict[str, asyncio.Event] = {}
        self._enter = redis.register_script(_ENTER) if redis is not None else None

    @asynccontextmanager
    async def turn(self, key: StorageKey, update_id: int) -> AsyncIterator[None]:
        """Wait for this person's earlier updates, here and in other workers; then go."""
        name = self._vault.pseudonym(self._plain.build(key, "lock"))
        # Every update enters Redis as it arrives, so a later one never sees an empty queue
        # while an earlier one waits in some process's memory.
        if await self._wait_shared(name, update_id):
            try:
                yield
            finally:
                await self._leave(name, update_id)
        else:  # no Redis, or it failed: in order within this process at least
            async with self._local.turn(name, update_id):
                yield

    async def _wait_shared(self, name: str, update_id: int) -> bool:
        """Wait for the turn in Redis; False when there is none (no Redis, or slow)."""
        if self._redis is None or self._pulse is None or self._enter is None:
            return False
        keys = [f"sokh:turn:{name}", f"sokh:turn-of:{name}"]
        args: list[str | int] = [update_id, self._pulse.token, Pulse.PREFIX, TURN_KEY_MS]
        pause, waited = POLL_S[0], 0.0
        while True:
            try:
                first = await asyncio.wait_for(self._enter(keys=keys, args=args),
                                               REDIS_TIMEOUT_S)
            except (RedisError, OSError, TimeoutError):
                log.warning("turns: Redis slow or unreachable; going without the shared turn")
                return False
            if first:
                return True
            if waited >= self._max_wait_s:
                log.warning("turns: an earlier update of one person ran past %.0fs; going on",
                            self._max_wait_s)
                return True
            # Woken at once when the earlier update was in this process; else look again.
            left = self._left.setdefault(name, asyncio.Event())
            with suppress(TimeoutError):
                await asyncio.wait_for(left.wait(), pause)
            waited += pause
            pause = min(pause * 2, POLL_S[1])

    async def _leave(self, name: str, update_id: int) -> None:
        assert self._redis is not None
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zrem(f"sokh:turn:{name}", update_id)
                pipe.hdel(f"sokh:turn-of:{name}", str(update_id))
                await asyncio.wait_for(pipe.execute(), REDIS_TIMEOUT_S)
        except (RedisError, OSError, TimeoutError):
            # The entry names this worker: it blocks the next only until this worker's
            # updates are gone or its keys expire.
            log.warning("turns: Redis unreachable; a turn is left to expire")
        left = self._left.pop(name, None)
        if left is not None:
            left.set()


Urgent = Callable[[TelegramObject], bool]
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class OrderedFSMMiddleware(FSMContextMiddleware):
    """aiogram's FSM middleware, each person's updates in turn; the crisis reply skips turns.

    Replaces the dispatcher's own (its events isolation gets only the key, not the update's
    id nor whether it is urgent).
    """

    def __init__(self, storage: BaseStorage, turns: PersonTurns, urgent: Urgent) -> None:
        super().__init__(storage, DisabledEventIsolation())
        self._turns, self._urgent = turns, urgent

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        bot = cast(Bot, data["bot"])
        context = self.resolve_event_context(bot, data)
        data["fsm_storage"] = self.storage
        if context is None or not isinstance(event, Update):
            return await handler(event, data)
        if self._urgent(event):
            # From memory, at once: no turn, and the state only if Redis answers quickly.
            try:
                state = await asyncio.wait_for(context.get_state(), IN_LINE_TIMEOUT_S)
            except (RedisError, OSError, TimeoutError):
                state = None
            data.update(state=context, raw_state=state)
            return await handler(event, data)
        async with self._turns.turn(context.key, event.update_id):
            # Read after the turn starts: the earlier update may have changed it.
            data.update(state=context, raw_state=await context.get_state())
            return await handler(event, data)

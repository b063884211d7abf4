"""Coalesce concurrent look-ups into one database round trip per batch.

On campaign day a thousand people write for the first time within seconds, and a getUpdates
batch hands over a hundred updates at once. One transaction each meant a hundred commits,
thread hops and waits for SQLite's single writer; one transaction for the whole batch costs
about as much as one of them. Requests for the same key share one answer, so a person's
first messages arriving together no longer race to insert the same row.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

__all__ = ["Batcher"]

A = TypeVar("A")
R = TypeVar("R")
# Bound on one statement's parameters (SQLite allows 32,766; PostgreSQL 65,535).
MAX_BATCH = 500


class Batcher(Generic[A, R]):
    """Runs `load` on everything asked while the previous batch was in the database."""

    def __init__(self, load: Callable[[dict[str, A]], Awaitable[dict[str, R]]]) -> None:
        self._load = load
        self._waiting: dict[str, tuple[A, list[asyncio.Future[R]]]] = {}
        self._task: asyncio.Task[None] | None = None

    async def get(self, key: str, argument: A) -> R:
        """The result for `key`, loaded together with whatever else is waiting."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(key, (argument, []))[1].append(future)
        if self._task is None:
            self._task = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._waiting:
                await self._run(self._take())
        finally:
            self._task = None

    def _take(self) -> dict[str, tuple[A, list[asyncio.Future[R]]]]:
        keys = list(self._waiting)[:MAX_BATCH]
        return {key: self._waiting.pop(key) for key in keys}

    async def _run(self, batch: dict[str, tuple[A, list[asyncio.Future[R]]]]) -> None:
        try:
            results = await self._load({key: argument for key, (argument, _) in batch.items()})
        except BaseException as error:  # every waiter sees the failure, as alone it would
            for _, futures in batch.values():
                for future in futures:
                    if not future.done():
                        future.set_exception(error)
            if not isinstance(error, Exception):
                raise  # cancelled: the waiters were told, now stop
            return
        for key, (_, futures) in batch.items():
            for future in futures:
                if not future.done():
                    future.set_result(results[key])

"""Long polling that confirms an update only after it was handled (at least once).

aiogram's polling confirms a batch with the next getUpdates, whether or not its updates were
handled: a process killed mid-batch lost them. Here the offset sent to Telegram never passes
an update still being handled, so Telegram hands anything unfinished to the next process; the
intake's record of finished update ids (bot/pipeline/intake.py) makes that replay skip them.

A batch's updates are handled together (a person's in order: bot/pipeline/turns.py); the next
poll waits for the batch, but at most BATCH_WAIT_S: a stuck handler keeps its own update
unconfirmed without holding everyone else's. Stopping waits STOP_GRACE_S for what is in hand,
then cancels it, unconfirmed: shutdown takes seconds, and the update comes again on start
(with the last batch, whose finished updates the intake's record skips). Handled updates are
recorded a poll at a time, one write per batch: a record per update cost SQLite four fifths
of its polling throughput.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError, TelegramConflictError, TelegramNetworkError
from aiogram.methods import GetUpdates
from aiogram.types import Update

from bot.pipeline.intake import Intake

__all__ = ["BATCH_WAIT_S", "STOP_GRACE_S", "Poller"]

log = logging.getLogger(__name__)
POLL_TIMEOUT_S = 10
# Past this the next poll goes without the batch's stragglers (they stay unconfirmed, and come
# back with each poll, skipped): a handler stuck on a locked database holds no one else up.
BATCH_WAIT_S = 0.5
STOP_GRACE_S = 3.0
# With only unfinished updates in hand and nothing new, look again this often (Telegram
# answers at once while they are unconfirmed: a long poll cannot wait for new ones).
IDLE_LOOK_S = 0.25
BACKOFF_S = (0.5, 10.0)
CLAIM_TIMEOUT_S = 0.3
Urgent = Callable[[Update], bool]


class Poller:
    """getUpdates, handle, then confirm; until `stop` is set."""

    def __init__(self, dispatcher: Dispatcher, bot: Bot, stop: asyncio.Event,
                 intake: Intake | None = None, urgent: Urgent = lambda update: False,
                 grace_s: float = STOP_GRACE_S, batch_wait_s: float = BATCH_WAIT_S) -> None:
        self.dispatcher, self.bot, self.stop, self.intake = dispatcher, bot, stop, intake
        self.urgent = urgent
        self.grace_s, self.batch_wait_s = grace_s, batch_wait_s
        self.in_flight: dict[int, asyncio.Task[None]] = {}
        self.high: int | None = None  # the highest update id taken so far
        self._data: dict[str, Any] = {"dispatcher": dispatcher, "bots": [bot]}
        self._marking: set[asyncio.Future[Any]] = set()
        self._finished: list[int] = []  # handled since the last record
        self._conflict_said = False

    @property
    def offset(self) -> int | None:
        """What to confirm: everything below the oldest update still being handled."""
        if self.in_flight:
            return min(self.in_flight)
        return None if self.high is None else self.high + 1

    async def run(self) -> None:
        """Poll until stopped; then finish what is in hand, or cancel it unconfirmed."""
        allowed = self.dispatcher.resolve_used_update_types()
        pause = BACKOFF_S[0]
        while not self.stop.is_set():
            self._record_finished()
            try:
                updates = await self._until_stopped(self._get(allowed))
            except (TelegramNetworkError, TelegramAPIError) as error:
                self._failed(error, pause)
                await self._until_stopped(asyncio.sleep(pause))
                pause = min(pause * 2, BACKOFF_S[1])
                continue
            pause = BACKOFF_S[0]
            if updates is None:
                break
            await self._take(updates)
        await self._wind_down()

    def _failed(self, error: Exception, pause: float) -> None:
        """Log a failed poll; a second poller is a deployment mistake, said plainly once."""
        if isinstance(error, TelegramConflictError):
            if not self._conflict_said:
                log.error("polling: another process is polling this bot (409 Conflict); only "
                          "one may. Stop the other, or run several workers with a webhook "
                          "(docs/deploy.md)")
            self._conflict_said = True
            return
        log.warning("polling: getUpdates failed (%s); again in %.1fs", type(error).__name__,
                    pause)

    async def _get(self, allowed: list[str]) -> list[Update]:
        method = GetUpdates(offset=self.offset, timeout=POLL_TIMEOUT_S, allowed_updates=allowed)
        return await self.bot(method, request_timeout=POLL_TIMEOUT_S + 10)

    async def _take(self, updates: list[Update]) -> None:
        """Start the new updates; wait for them (bounded), or for any change when none is new."""
        fresh = [u for u in updates if self.high is None or u.update_id > self.high]
        if fresh:
            self.high = fresh[-1].update_id
        # Risk words never wait for the replay check (detection runs once per update).
        urgent = [self.urgent(update) for update in fresh]
        started = [self._start(update) for update, now in zip(fresh, urgent, strict=True) if now]
        others = [update for update, now in zip(fresh, urgent, strict=True) if not now]
        replayed = await self._handled_before(others)
        started += [self._start(update) for update in others
                    if update.update_id not in replayed]
        if started:
            await self._until_stopped(asyncio.wait(started, timeout=self.batch_wait_s))
        elif self.in_flight:  # only stragglers came back: do not spin on them
            await self._until_stopped(asyncio.wait(list(self.in_flight.values()),
                                                   timeout=IDLE_LOOK_S,
                                                   return_when=asyncio.FIRST_COMPLETED))

    def _start(self, update: Update) -> asyncio.Task[None]:
        task = asyncio.create_task(self._handle(update))
        self.in_flight[update.update_id] = task
        task.add_done_callback(lambda _: self.in_flight.pop(update.update_id, None))
        return task

    async def _handle(self, update: Update) -> None:
        """Handle, then note it for the batch's record; cancelled (stopping) notes nothing."""
        try:
            await self.dispatcher.feed_update(self.bot, update, **self._data)
        except Exception:
            # The errors router already had its chance: replaying would fail the same way.
            log.exception("polling: update %d failed", update.update_id)
        self._finished.append(update.update_id)

    async def _handled_before(self, updates: list[Update]) -> set[int]:
        """The ids a previous run finished (a replay after a restart), in one look per batch.

        Nothing waits on the look for longer than CLAIM_TIMEOUT_S (a locked database):
        better twice than late. One poller per bot (Telegram refuses a second getUpdates),
        so no claims: only a previous run's record matters.
        """
        if self.intake is None or not updates:
            return set()
        looking = asyncio.ensure_future(self.intake.done_among([u.update_id for u in updates]))
        # Not wait_for: cancelling a database call waits for the database all the same.
        await asyncio.wait([looking], timeout=CLAIM_TIMEOUT_S)
        if not looking.done():
            self._background(looking)
            return set()
        return looking.result()

    def _record_finished(self) -> None:
        """Record what was handled since the last poll, in the background, in one write."""
        if self.intake is None or not self._finished:
            return
        finished, self._finished = self._finished, []
        self._background(asyncio.ensure_future(self.intake.finish_all(finished)))

    def _background(self, task: asyncio.Future[Any]) -> None:
        """Keep a claim or its record going without waiting for it (awaited at stop)."""
        self._marking.add(task)
        task.add_done_callback(self._marking.discard)

    async def _until_stopped(self, work: Any) -> Any:
        """`work`'s result, or None once stop is set (the work is then cancelled)."""
        task = asyncio.ensure_future(work)
        stopping = asyncio.ensure_future(self.stop.wait())
        try:
            await asyncio.wait([task, stopping], return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if task.done():
            return task.result()
        task.cancel()
        with suppress(asyncio.CancelledError, TelegramNetworkError, TelegramAPIError):
            await task
        return None

    async def _wind_down(self) -> None:
        """Give what is in hand STOP_GRACE_S, then cancel the rest (unconfirmed).

        Nothing more is confirmed: the next start gets the last batch again, and the claims
        skip what was finished (a getUpdates now would cut off the long poll just cancelled).
        """
        running = list(self.in_flight.values())
        if running:
            await asyncio.wait(running, timeout=self.grace_s)
        left = [task for task in running if not task.done()]
        if left:
            log.warning("polling: %d update(s) unfinished at stop; Telegram keeps them",
                        len(left))
            for task in left:
                task.cancel()
            await asyncio.wait(left, timeout=1.0)
        self._record_finished()
        if self._marking:  # records of handled updates: a replay after restart skips them
            await asyncio.wait(list(self._marking), timeout=self.grace_s)


async def poll(dispatcher: Dispatcher, bot: Bot, stop: asyncio.Event,
               intake: Intake | None = None, urgent: Urgent = lambda update: False) -> None:
    """The start-up hooks, polling until `stop`, then the shutdown hooks and the session."""
    await bot.delete_webhook(drop_pending_updates=False)
    await dispatcher.emit_startup(bot=bot, dispatcher=dispatcher, bots=[bot])
    try:
        await Poller(dispatcher, bot, stop, intake, urgent).run()
    finally:
        try:
            await dispatcher.emit_shutdown(bot=bot, dispatcher=dispatcher, bots=[bot])
        finally:
            await bot.session.close()

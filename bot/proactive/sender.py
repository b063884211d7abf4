"""The outbox sender: Telegram's limits kept, 429/403/5xx handled, quiet hours respected."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.exc import SQLAlchemyError

from bot.proactive.limits import OVERALL_PER_S, PAID_PER_S, SendLimits
from bot.proactive.outbox import Claimed, Outbox
from bot.proactive.quiet import QuietHours
from bot.proactive.rate_share import ChatShare, shared_chat_wait
from bot.runtime.clock import Clock
from bot.storage.people import People
from bot.storage.vault import Vault

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
MAX_BACKOFF_S = 600
# While a batch goes out, what Telegram took is recorded at most this often rather than at
# the batch's end: a sender killed mid-batch repeats only the sends since the last record
# (about one at 30 a second, a few dozen at the paid 1,000), not the whole batch so far.
RECORD_EVERY_S = 0.02


@dataclass(frozen=True)
class Rendered:
    """The message for one outbox row, and the content item it delivers, if any."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    item: tuple[str, str] | None = None  # (content version, item id)
    poll: dict[str, Any] | None = None  # sendPoll arguments: a quiz poll instead of `text`
    venue: dict[str, Any] | None = None  # sendVenue arguments: a place's pin instead of `text`
    thread: int | None = None  # the forum topic a group's message belongs in


Render = Callable[[Claimed], Rendered | None]


@dataclass
class Outcomes:
    """What happened to one batch, settled in a few statements."""

    sent: list[Claimed] = field(default_factory=list)
    items: list[tuple[str, str, str]] = field(default_factory=list)
    later: list[tuple[Claimed, float, str, bool]] = field(default_factory=list)
    failed: list[tuple[Claimed, str]] = field(default_factory=list)
    blocked: list[Claimed] = field(default_factory=list)


@dataclass
class SenderConfig:
    """Knobs with sensible defaults; `paid` turns on allow_paid_broadcast (up to 1000/s)."""

    paid: bool = False
    batch: int = 40
    idle_s: float = 1.0
    exclusive: bool = True
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


class Sender:
    """Claims due outbox rows and sends them within Telegram's limits."""

    def __init__(self, bot: Bot, outbox: Outbox, people: People, vault: Vault, render: Render,
                 clock: Clock, quiet: QuietHours, config: SenderConfig | None = None) -> None:
        self.bot, self.outbox, self.people, self.vault = bot, outbox, people, vault
        self.render, self.clock, self.quiet = render, clock, quiet
        self.config = config or SenderConfig()
        rate = PAID_PER_S if self.config.paid else OVERALL_PER_S
        self.limits = SendLimits(rate, self.config.monotonic)
        self.chats: ChatShare | None = None  # per-chat limits shared with other senders
        self.batch = self.config.batch * (10 if self.config.paid else 1)
        self.sent_total = 0
        # Sends Telegram took whose bookkeeping the database did not (it went down just
        # then): settled first thing once it answers, so those rows neither wait out their
        # lease nor go out twice, as the relay's (docs/deploy.md, "Degraded, not down").
        self._unsettled: Outcomes | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set; a sole sender first takes back rows a crash left claimed."""
        if self.config.exclusive:
            # If the database is down now, leases still hand these rows back in 2 minutes.
            with suppress(SQLAlchemyError, OSError):
                await self.outbox.recover()
        while not stop.is_set():
            try:
                sent = await self.run_once()
            except (SQLAlchemyError, OSError):
                log.warning("outbox unavailable; trying again shortly", exc_info=True)
                sent = 0
            if sent == 0:
                with suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.config.idle_s)

    async def run_once(self) -> int:
        """Claim one batch, send it, settle it; return how many rows were handled."""
        if self._unsettled is not None:
            await self._settle(self._unsettled)
            self._unsettled = None
        now = self.clock()
        if self.quiet.contains(now):
            return 0
        rows = await self.outbox.claim(now, self.batch)
        outcomes = Outcomes()
        sending = asyncio.ensure_future(
            asyncio.gather(*(self._guarded(row, outcomes) for row in rows)))
        try:
            await self._record_while(sending, outcomes)
            await self._settle(outcomes)
        except (SQLAlchemyError, OSError):
            self._unsettled = outcomes
            raise
        finally:
            sending.cancel()  # only ever still running if this run itself was cancelled
        return len(rows)

    async def _record_while(self, sending: asyncio.Future[Any], out: Outcomes) -> None:
        """Record sends as Telegram takes them until the batch is out; a database failing
        meanwhile leaves them to the batch's settling, which keeps them if it fails too."""
        with suppress(SQLAlchemyError, OSError):
            while not sending.done():
                await asyncio.wait([sending], timeout=RECORD_EVERY_S)
                if out.sent and not sending.done():
                    await self._record_sent(out)
        await sending

    async def _record_sent(self, out: Outcomes) -> None:
        """Mark what Telegram took as sent; sends that land meanwhile stay for the next."""
        sent, items = out.sent, out.items
        out.sent, out.items = [], []
        try:
            await self.outbox.mark_sent([r.id for r in sent], self.clock(), items)
        except BaseException:
            out.sent[:0], out.items[:0] = sent, items
            raise

    async def _guarded(self, row: Claimed, out: Outcomes) -> None:
        # One bad row (undecryptable, unrenderable) must not leave the batch's sends unsettled.
        try:
            await self._deliver(row, out)
        except Exception as error:
            log.exception("outbox row %d could not be sent", row.id)
            out.failed.append((row, type(error).__name__))

    async def _deliver(self, row: Claimed, out: Outcomes) -> None:
        chat_id = self._chat_id(row)
        if chat_id is None:
            out.failed.append((row, "no such group"))
            return
        busy = self.limits.chat_wait(chat_id)
        if busy > 0:  # back to wait rather than hold a sending slot others could use
            out.later.append((row, busy, "chat busy", False))
            return
        rendered = self.render(row)
        if rendered is None:
            out.failed.append((row, "nothing to send"))
            return
        busy = await shared_chat_wait(self.chats, self.limits, chat_id)
        if busy > 0:  # another sender wrote to this chat just now
            out.later.append((row, busy, "chat busy", False))
            return
        await self.config.sleep(max(0.0, self.limits.reserve(chat_id)))
        await self._send(chat_id, row, rendered, out)

    def _chat_id(self, row: Claimed) -> int | None:
        """A group's chat id as claimed; a person's, decrypted."""
        if row.group_id is not None:
            return row.group_chat_id
        if row.chat_id_enc is None or row.person_key is None:
            return None
        return self.vault.decrypt_chat_id(row.chat_id_enc, row.person_key)

    async def _send(self, chat_id: int, row: Claimed, rendered: Rendered, out: Outcomes) -> None:
        try:
            await self._post(chat_id, rendered)
        except TelegramRetryAfter as error:
            self.limits.pause(error.retry_after)
            out.later.append((row, float(error.retry_after), "429", False))
        except TelegramForbiddenError:
            out.blocked.append(row)
        except (TelegramServerError, TelegramNetworkError, TimeoutError) as error:
            out.later.append((row, _backoff(row.attempts), type(error).__name__, True))
        except TelegramBadRequest as error:
            out.failed.append((row, error.message))
        else:
            out.sent.append(row)
            self.sent_total += 1
            # Reach is counted per person; a group's tip shows in the sessions report instead.
            if rendered.item is not None and row.person_key is not None:
                out.items.append((row.person_key, *rendered.item))

    async def _post(self, chat_id: int, rendered: Rendered) -> None:
        paid = self.config.paid or None
        if rendered.poll is not None:
            await self.bot.send_poll(chat_id, **rendered.poll, allow_paid_broadcast=paid)
            return
        if rendered.venue is not None:
            await self.bot.send_venue(chat_id, **rendered.venue, allow_paid_broadcast=paid,
                                      message_thread_id=rendered.thread)
            return
        await self.bot.send_message(chat_id, rendered.text, reply_markup=rendered.markup,
                                    allow_paid_broadcast=paid, message_thread_id=rendered.thread)

    async def _settle(self, out: Outcomes) -> None:
        """Record each outcome; what is recorded leaves `out`, so a retry after an outage
        records only the rest."""
        now = self.clock()
        if out.sent:
            await self._record_sent(out)
        while out.later:
            row, seconds, error, counts = out.later[0]
            if counts and row.attempts + 1 >= MAX_ATTEMPTS:
                out.failed.append((row, error))
            else:
                due = self.quiet.next_allowed(now + timedelta(seconds=seconds))
                await self.outbox.retry([row.id], due, error, count=counts)
            out.later.pop(0)
        while out.failed:
            row, error = out.failed[0]
            log.warning("outbox row %d failed: %s", row.id, error)
            await self.outbox.fail([row.id], error)
            out.failed.pop(0)
        while out.blocked:
            await self._blocked(out.blocked[0])
            out.blocked.pop(0)

    async def _blocked(self, row: Claimed) -> None:
        """403: a group removed the bot (pause it), or a person blocked it (inactive)."""
        if row.group_id is not None:
            log.info("a group no longer lets the bot post; its sessions are paused")
            await self.outbox.pause_group(row.group_id)
        elif row.person_key is not None:
            await self.people.mark_blocked(row.person_key)
            await self.outbox.cancel_person(row.person_key)


def _backoff(attempts: int) -> float:
    """Seconds before retry number `attempts + 1`: doubling, capped."""
    return float(min(MAX_BACKOFF_S, 2 ** (attempts + 1)))

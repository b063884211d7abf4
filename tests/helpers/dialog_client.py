"""Fast dialog tests: the real dispatcher fed updates in-process, no HTTP and no polling."""

# Telegram is played by the emulator's in-memory state (the same code that serves the
# end-to-end tests over HTTP), called directly by a recording session. So requests are still
# checked against the Bot API spec and Telegram's refusals ("message is not modified", text
# too long, bad HTML), chats keep their messages, edits and deletions, and buttons are
# tapped by label; only the transport is left out, and each update is handled to the end
# before the client returns.

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import BufferedInputFile, InputFile, Update
from pydantic import SecretStr

from bot.proactive.limits import OVERALL_PER_S, SendLimits
from bot.proactive.relay import RelaySender
from bot.runtime.clock import Clock, utc_now
from bot.runtime.settings import Settings
from bot.runtime.transport import create_bot
from bot.wiring import Proactive, Services, build_dispatcher, build_services, start_trail
from simulator.emulator import BotApiEmulator
from simulator.faults import ConnectionDropped
from simulator.spec import FileUpload
from simulator.state import SimChat, SimMessage, SimUser
from tests.helpers.harness import TEST_SALT, TEST_SECRET, TOKEN
from tests.helpers.warm import files_parsed_once, migrated_sqlite

__all__ = ["DialogClient", "RecordedCall", "RecordingSession", "dialog_client"]

Json = dict[str, Any]


@dataclass(frozen=True)
class RecordedCall:
    """One Bot API call as the bot made it: method name and JSON parameters."""

    method: str
    params: Json


class RecordingSession(BaseSession):
    """Records every Bot API call and answers it from the emulator's state, without HTTP."""

    def __init__(self, telegram: BotApiEmulator) -> None:
        super().__init__()
        self.telegram = telegram
        self.calls: list[RecordedCall] = []

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        """Record the call, run it on the emulated Telegram and parse the answer."""
        name, (params, uploads) = method.__api_method__, self._params(bot, method)
        self.calls.append(RecordedCall(name, params))
        try:
            status, body = await self.telegram.execute(name, params, uploads)
        except ConnectionDropped:
            raise TelegramNetworkError(method, "connection dropped") from None
        response = self.check_response(bot, method, status, self.json_dumps(body))
        return cast(TelegramType, response.result)

    def _params(self, bot: Bot,
                method: TelegramMethod[TelegramType]) -> tuple[Json, dict[str, FileUpload]]:
        """The parameters as JSON and the uploaded files, as they would travel over HTTP."""
        files: dict[str, InputFile] = {}
        params: Json = {}
        for key, raw in method.model_dump(exclude_none=True, warnings=False).items():
            value = self.prepare_value(raw, bot=bot, files=files, _dumps_json=False)
            if value is not None and value != "":
                params[key] = value
        uploads = {key: _upload(file) for key, file in files.items()}
        return cast(Json, json.loads(self.json_dumps(params))), uploads

    async def stream_content(
        self, url: str, headers: dict[str, Any] | None = None, timeout: int = 30,
        chunk_size: int = 65536, raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        """A file the emulator holds, by the file id at the end of its download URL."""
        stored = self.telegram.files.get(url.rsplit("/", 1)[-1])
        if stored is None or stored.data is None:
            raise FileNotFoundError("the emulator holds no bytes for this file")
        yield stored.data

    async def close(self) -> None:
        """Nothing to close: no connection was opened."""


def _upload(file: InputFile) -> FileUpload:
    """An aiogram upload as the emulator receives one (only in-memory files are sent)."""
    if not isinstance(file, BufferedInputFile):
        raise NotImplementedError("the dialog client uploads in-memory files only")
    return FileUpload(file.filename or "file", file.data)


@dataclass
class DialogClient:
    """The real dispatcher and services, driven by simulated people, one update at a time."""

    emu: BotApiEmulator
    services: Services
    dispatcher: Dispatcher
    bot: Bot
    session: RecordingSession
    relay: RelaySender

    def chat(self, user: SimUser) -> SimChat:
        """The private chat between a person and the bot."""
        return self.emu.private_chat(user)

    async def feed(self) -> None:
        """Hand every pending update to the dispatcher, in order, each to its end; then let
        the counsellor relay send what it queued (time jumps: no pacing waits here)."""
        queue = self.emu.queue
        while updates := queue.take(100):
            for raw in updates:
                del queue.pending[raw["update_id"]]
                update = Update.model_validate(raw, context={"bot": self.bot})
                response = await self.dispatcher.feed_update(self.bot, update)
                if isinstance(response, TelegramMethod):  # as polling does with such returns
                    await self.bot(response)
        while await self.relay.run_once():
            pass

    async def settle(self) -> None:
        """Handle every pending update (each is handled to its end)."""
        await self.feed()

    async def act(self, chat: SimChat, action: Callable[[], object],
                  predicate: Callable[[SimMessage], bool] | None = None,
                  timeout: float = 1.0) -> SimMessage:
        """Do something, feed the updates, return the bot's next new or edited message there."""
        future: asyncio.Future[SimMessage] = asyncio.get_running_loop().create_future()
        self.emu.add_message_waiter(chat, (predicate, future))
        action()
        await self.feed()
        try:  # a reply sent by a task the handler started may come a moment later
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise AssertionError(f"the bot did not answer; calls: {self.methods()[-5:]}; "
                                 f"chat: {[m.text for m in self.emu.chat_messages(chat)[-3:]]}"
                                 ) from None

    async def say(self, user: SimUser, text: str) -> SimMessage:
        """Send text in the private chat and return the bot's next message or edit."""
        return await self.act(self.chat(user), lambda: self.emu.send_text(user, text))

    async def tap(self, user: SimUser, message: SimMessage, label: str) -> SimMessage:
        """Tap an inline button by its label and return the bot's next message or edit."""
        return await self.act(message.chat, lambda: self.emu.click(user, message, label))

    async def press(self, user: SimUser, message: SimMessage, label: str) -> Json:
        """Tap a button that changes no message; return what answerCallbackQuery said."""
        query = self.emu.click(user, message, label)
        await self.feed()
        return self.emu.callback_answer(query) or {}

    async def click_raw(self, user: SimUser, message_id: int, data: str,
                        chat: SimChat | None = None) -> str:
        """Send a callback query with any data (stale or forged); return its query id."""
        query = self.emu.click_raw(user, message_id, data, chat)
        await self.feed()
        return query

    def buttons(self, message: SimMessage) -> list[str]:
        """The labels of a message's keyboard."""
        return self.emu.buttons(message)

    def last(self, user: SimUser) -> SimMessage | None:
        """The newest visible bot message in the person's chat."""
        return self.emu.last_bot_message(self.chat(user))

    def texts(self, user: SimUser) -> list[str]:
        """The texts of the bot's visible messages in the person's chat, oldest first."""
        return [m.text or "" for m in self.emu.chat_messages(self.chat(user)) if m.from_bot]

    def calls(self, method: str) -> list[RecordedCall]:
        """The recorded calls of one method (case-insensitive)."""
        return [c for c in self.session.calls if c.method.lower() == method.lower()]

    def methods(self) -> list[str]:
        """The names of every call the bot made, in order."""
        return [c.method for c in self.session.calls]


def dialog_settings(folder: Path, **overrides: Any) -> Settings:
    """Settings for an in-process bot on a SQLite file in `folder`."""
    values: dict[str, Any] = {
        "bot_token": SecretStr(TOKEN), "database_url": f"sqlite+aiosqlite:///{folder / 'd.db'}",
        "sokh_secret_key": SecretStr(TEST_SECRET), "sokh_key_salt": TEST_SALT,
        "redis_url": None, "webhook_url": None,
        "counsellor_chat_id": None, "flood_limit": 1000, "outbox_sender": False,
    }
    return Settings(**{**values, **overrides})


@asynccontextmanager
async def dialog_client(folder: Path, clock: Clock = utc_now,
                        **overrides: Any) -> AsyncIterator[DialogClient]:
    """Real services and dispatcher on SQLite, talking to an in-memory Telegram."""
    emu = BotApiEmulator(token=TOKEN)
    if "database_url" not in overrides:
        overrides["database_url"] = await migrated_sqlite(folder / "d.db")
    with files_parsed_once():
        services = await build_services(dialog_settings(folder, **overrides), clock)
    dispatcher, _ = build_dispatcher(services)
    emu.queue.set_allowed(dispatcher.resolve_used_update_types())
    bot = create_bot(services.settings)  # the same defaults (parse mode, previews) as the bot
    session = RecordingSession(emu)
    bot.session = session
    start_trail(services, bot)  # as assemble's start-up hook does
    jumps = itertools.count()
    limits = SendLimits(OVERALL_PER_S, lambda: next(jumps) * 1000.0)
    relay = Proactive(services).relay_sender(bot, limits, grace_s=0.0)
    try:
        yield DialogClient(emu, services, dispatcher, bot, session, relay)
    finally:
        await services.quick_exit.trail.stop()
        await services.close()

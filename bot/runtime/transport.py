"""Talking to a Bot API server: long polling by default, a webhook when configured."""

from __future__ import annotations

import asyncio
import hmac
import logging
import signal
from contextlib import nullcontext
from typing import Any
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.methods import GetUpdates, Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InlineKeyboardMarkup, InputFile
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import FormData, JsonPayload, web

from bot.pipeline.flood_gate import FloodGate
from bot.pipeline.intake import Claim, Intake
from bot.pipeline.replies import ReplyLedger
from bot.runtime.polling import Urgent, poll
from bot.runtime.settings import Settings

log = logging.getLogger(__name__)
# Keyboards whose JSON form is kept: menus and first screens repeat the same markup object.
MARKUPS_KEPT = 1024


class PinResponseTypes(BaseRequestMiddleware):
    """Keep each parametrised `Response[T]` alive, so pydantic's weak cache keeps it.

    aiogram builds `Response[T]` on every call; pydantic caches generic models only weakly,
    so without a strong reference each request rebuilt the model class (a third of a call).
    """

    def __init__(self) -> None:
        self._pinned: dict[Any, Any] = {}

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self._pinned:
            self._pinned[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)


class JsonSession(AiohttpSession):
    """Sends requests as JSON, and multipart only when uploading files.

    Telegram accepts both; building multipart forms was a sixth of the bot's CPU per update.
    With a flood `gate`, polled updates over a person's limit are dropped before parsing.
    """

    gate: FloodGate | None = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # By identity, holding the markup so its id cannot be reused; markups are never
        # changed once built (dialogs/screen.py), so the JSON form stays right.
        self._markups: dict[int, tuple[InlineKeyboardMarkup, Any]] = {}

    def check_response(
        self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int, content: str
    ) -> Response[TelegramType]:
        """Parse the response; a getUpdates batch first goes through the flood gate."""
        if self.gate is not None and isinstance(method, GetUpdates):
            content = self._gated(self.gate, content)
        return super().check_response(bot, method, status_code, content)

    def _gated(self, gate: FloodGate, content: str) -> str:
        """The getUpdates response without the updates the gate drops."""
        try:
            raw = self.json_loads(content)
        except ValueError:
            return content  # aiogram's own parse reports it
        if not isinstance(raw, dict) or not isinstance(raw.get("result"), list):
            return content
        dropped = gate.dropped
        raw["result"] = gate.filter_batch(raw["result"])
        return content if gate.dropped == dropped else self.json_dumps(raw)

    def build_form_data(  # type: ignore[override]
        self, bot: Bot, method: TelegramMethod[TelegramType]
    ) -> FormData | JsonPayload:
        files: dict[str, InputFile] = {}
        payload = {}
        markup = getattr(method, "reply_markup", None)
        kept = markup if isinstance(markup, InlineKeyboardMarkup) else None
        # Unset fields would be dropped below anyway; leaving them out of the dump spares
        # prepare_value a walk over every empty field of every button.
        dumped = method.model_dump(exclude_none=True, warnings=False,
                                   exclude={"reply_markup"} if kept is not None else None)
        for key, raw in dumped.items():
            value = self.prepare_value(raw, bot=bot, files=files, _dumps_json=False)
            # Like aiogram's form builder: leave out unset and empty-string fields only.
            if value is not None and value != "":
                payload[key] = value
        if kept is not None:
            payload["reply_markup"] = self._prepared_markup(kept, bot)
        if files:
            return super().build_form_data(bot, method)
        return JsonPayload(payload, dumps=self.json_dumps)

    def _prepared_markup(self, markup: InlineKeyboardMarkup, bot: Bot) -> Any:
        """An inline keyboard's JSON form, made once per markup object."""
        held = self._markups.get(id(markup))
        if held is not None and held[0] is markup:
            return held[1]
        # Buttons carry no files: the walk only resolves and drops empty fields.
        prepared = self.prepare_value(markup.model_dump(exclude_none=True, warnings=False),
                                      bot=bot, files={}, _dumps_json=False)
        if len(self._markups) >= MARKUPS_KEPT:
            self._markups.clear()
        self._markups[id(markup)] = (markup, prepared)
        return prepared


def create_bot(config: Settings) -> Bot:
    """A Bot speaking to TELEGRAM_API_URL: Telegram, a self-hosted server or the emulator."""
    if config.bot_token is None:
        raise RuntimeError("BOT_TOKEN is not set")
    session = JsonSession(api=TelegramAPIServer.from_base(config.telegram_api_url.rstrip("/")))
    session.middleware(PinResponseTypes())
    return Bot(
        config.bot_token.get_secret_value(), session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


async def run_polling(dispatcher: Dispatcher, bot: Bot, stop: asyncio.Event, *,
                      gate: FloodGate | None = None, intake: Intake | None = None,
                      urgent: Urgent = lambda update: False) -> None:
    """Long polling until `stop`, confirming only what was handled (bot/runtime/polling.py)."""
    if isinstance(bot.session, JsonSession):
        bot.session.gate = gate
    await poll(dispatcher, bot, stop, intake, urgent)


class SecretRequestHandler(SimpleRequestHandler):
    """aiogram's webhook handler: the exact secret, the flood gate, handle then acknowledge.

    Anything without the secret gets 401. Updates the flood `gate` drops are answered 200
    unparsed. Others are claimed through `intake` (docs/deploy.md), handled, and only then
    answered 200: a worker that dies mid-update leaves Telegram to deliver it again.
    """

    gate: FloodGate | None = None
    intake: Intake | None = None
    replies: ReplyLedger | None = None

    def verify_secret(self, telegram_secret_token: str, bot: Bot) -> bool:
        """Compare as bytes, so a header of any characters is refused, never a crash."""
        expected = (self.secret_token or "").encode()
        given = telegram_secret_token.encode("utf-8", "surrogateescape")
        return bool(expected) and hmac.compare_digest(given, expected)

    async def handle(self, request: web.Request) -> web.Response:
        """Check the secret, then the flood gate and the claim, then handle and answer."""
        bot = await self.resolve_bot(request)
        if not self.verify_secret(request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""), bot):
            return web.Response(body="Unauthorized", status=401)
        update = await request.json(loads=bot.session.json_loads)
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return web.Response(body="Bad Request", status=400)
        if self.gate is not None and not self.gate.admit(update):
            return web.json_response({})
        claim = Claim.NEW if self.intake is None else await self.intake.claim(update["update_id"])
        if claim is Claim.DONE:
            return web.json_response({})
        if claim is Claim.BUSY:  # another worker is on it: Telegram tries again later
            return web.Response(body="Busy", status=503, headers={"Retry-After": "5"})
        return await self._handle_claimed(bot, update, again=claim is Claim.AGAIN)

    async def _handle_claimed(self, bot: Bot, update: dict[str, Any],
                              again: bool = False) -> web.Response:
        update_id = int(update["update_id"])
        recording = (self.replies.handling(update_id, again) if self.replies is not None
                     else nullcontext())
        try:
            async with recording:
                result: TelegramMethod[Any] | None = await self.dispatcher.feed_webhook_update(
                    bot, update, **self.data)
        except BaseException:
            if self.intake is not None:
                await self.intake.release(update_id)
            raise
        if self.intake is not None:
            await self.intake.finish(update_id)
        return web.Response(body=self._build_response_writer(bot=bot, result=result))


async def run_webhook(
    dispatcher: Dispatcher, bot: Bot, config: Settings, stop: asyncio.Event,
    gate: FloodGate | None = None, intake: Intake | None = None,
    replies: ReplyLedger | None = None,
) -> None:
    """Serve the webhook until `stop` is set; updates without the secret get 401."""
    if config.webhook_url is None or config.webhook_secret is None:
        raise RuntimeError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    secret = config.webhook_secret.get_secret_value()
    app = web.Application()
    path = urlsplit(config.webhook_url).path or "/"
    handler = SecretRequestHandler(dispatcher, bot, secret_token=secret,
                                   handle_in_background=False)
    handler.gate, handler.intake, handler.replies = gate, intake, replies
    handler.register(app, path=path)
    setup_application(app, dispatcher, bot=bot)
    runner = web.AppRunner(app, access_log=None)  # a line per update was a cost at scale
    await runner.setup()  # the start-up hooks: the trail's middleware is registered
    if replies is not None:  # after the trail's: a replayed answer still enters the trail
        bot.session.middleware(replies)
    host, port = config.webhook_host_port
    await web.TCPSite(runner, host, port).start()
    await bot.set_webhook(config.webhook_url, secret_token=secret,
                          allowed_updates=dispatcher.resolve_used_update_types())
    log.info("webhook listening on %s:%d", host, port)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        await bot.session.close()


def stop_on_signals(stop: asyncio.Event) -> None:
    """Set `stop` on SIGINT or SIGTERM."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

"""The reference bot for `make bench`: bare aiogram answering each message with its text."""

from __future__ import annotations

import asyncio
import os

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message


async def echo(message: Message) -> None:
    """Send the text back."""
    await message.answer(message.text or "?")


async def main() -> None:
    """Long-poll TELEGRAM_API_URL until SIGTERM."""
    api = TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"])
    bot = Bot(os.environ["BOT_TOKEN"], session=AiohttpSession(api=api))
    dispatcher = Dispatcher()
    dispatcher.message.register(echo)
    await bot.delete_webhook()
    await dispatcher.start_polling(bot)


if __name__ == "__main__":
    asyncio.run(main())

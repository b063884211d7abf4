"""Synchronous filters, a router's own and its handlers', run on the event loop's thread."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from aiogram import Bot, Dispatcher, Router
from aiogram.types import Chat, Message, Update, User

from bot.pipeline.inline_filters import run_sync_filters_inline


async def test_router_and_handler_filters_run_without_a_thread_hop() -> None:
    threads: list[int] = []
    answered: list[str] = []

    def on_loop(message: Message) -> bool:
        threads.append(threading.get_ident())
        return True

    async def handler(message: Message) -> None:
        answered.append(message.text or "")

    router = Router()
    router.message.filter(on_loop)
    router.message.register(handler, on_loop)
    dispatcher = Dispatcher()
    dispatcher.include_router(router)

    assert run_sync_filters_inline(dispatcher) == 2
    person = User(id=5, is_bot=False, first_name="Dara")
    message = Message(message_id=1, date=datetime.now(UTC), text="hello", from_user=person,
                      chat=Chat(id=5, type="private"))
    await dispatcher.feed_update(Bot("42:TEST"), Update(update_id=1, message=message))

    assert answered == ["hello"]
    assert threads == [threading.get_ident()] * 2

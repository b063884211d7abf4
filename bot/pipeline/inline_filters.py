"""Run cheap synchronous filters inline instead of in a worker thread.

aiogram calls every non-async filter (each `F.chat.type == ...` magic filter) through
`asyncio.to_thread`: a thread hop per filter per update. Sokh's routers check dozens of such
filters before the fallback answers, which made thread hops most of the cost of an update.
Magic filters only read attributes, so running them on the event loop is safe and cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.dispatcher.event.telegram import TelegramEventObserver


def run_sync_filters_inline(router: Router) -> int:
    """Make every synchronous filter under `router` run on the loop; return how many."""
    changed = 0
    for observer in router.observers.values():
        for handler in _handlers(observer):
            for event_filter in handler.filters or ():
                if not event_filter.awaitable:
                    event_filter.callback = _awaitable(event_filter.callback)
                    event_filter.awaitable = True
                    changed += 1
    return changed + sum(run_sync_filters_inline(sub) for sub in router.sub_routers)


def _handlers(observer: TelegramEventObserver) -> list[HandlerObject]:
    # A router's own filters (`router.message.filter(...)`) sit on a handler aiogram keeps
    # private; missed, they hopped to a thread for every message the router saw.
    root: HandlerObject | None = getattr(observer, "_handler", None)
    return [*observer.handlers, *([root] if root is not None else [])]


def _awaitable(check: Callable[..., Any]) -> Callable[..., Any]:
    async def run(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

    return run

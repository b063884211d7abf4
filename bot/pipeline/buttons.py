"""Every button tap is authorised before any handler sees it: one guard, one table of rules.

Callback data comes from the person's phone and can be forged or replayed. A tap reaches a
handler only when its data unpacks into a known kind of button, the chat is one where that
button is shown, and the button's rule accepts its values and the person tapping. Anything
else gets a short answer on the button and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.enums import ChatType
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, TelegramObject

log = logging.getLogger(__name__)

PRIVATE = frozenset({ChatType.PRIVATE})
GROUPS = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
Check = Callable[[Any, CallbackQuery, dict[str, Any]], Awaitable[bool]]


@dataclass(frozen=True)
class Rule:
    """Where a kind of button is shown, and what else its tap must satisfy."""

    chats: frozenset[ChatType]
    check: Check | None = None
    refusal: str | None = None  # the Fluent id of the answer, when not the guard's own
    alert: bool = False  # a refusal too long for a toast is shown as an alert


_UNKNOWN = Rule(frozenset())


class ButtonGuard(BaseMiddleware):
    """Outer middleware on callback queries: refuses taps their rule does not allow."""

    def __init__(self, rules: Mapping[type[CallbackData], Rule], refusal: str) -> None:
        self._rules = {kind.__prefix__: (kind, rule) for kind, rule in rules.items()}
        self._refusal = refusal
        self.refused = 0

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)
        rule = await self.refusing(event, data)
        if rule is None:
            return await handler(event, data)
        self.refused += 1
        log.info("refused a button tap")  # nothing about who or what: forged data is theirs
        t = data.get("t")
        await event.answer(t(rule.refusal or self._refusal) if t else None, show_alert=rule.alert)
        return None

    async def refusing(self, query: CallbackQuery, data: dict[str, Any]) -> Rule | None:
        """None when the tap is a known button in its kind of chat passing its rule; else the
        rule that refuses it (a bare one for unknown or unreadable data)."""
        found = self._rules.get((query.data or "").split(":", 1)[0])
        if found is None or query.message is None:
            return _UNKNOWN
        kind, rule = found
        if query.message.chat.type not in rule.chats:
            return _UNKNOWN
        try:
            button = kind.unpack(query.data or "")
        except (ValueError, TypeError):
            return rule
        if rule.check is None or await rule.check(button, query, data):
            return None
        return rule

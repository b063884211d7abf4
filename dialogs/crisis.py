"""Crisis triage: risk words get the emergency numbers before anything else, from memory.

This router comes first in the dispatcher. It needs no database: the detector and the
content were loaded at start, and the language is read from the script the person wrote in.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.types import Message, TelegramObject, Update

from bot.content.i18n import Locales, Translator
from bot.content.store import Content
from dialogs.callbacks import CaseCb
from dialogs.hotlines import emergency_view
from dialogs.risk import RiskDetector, RiskMatch
from dialogs.screen import View, reply
from dialogs.states import CaseStates

log = logging.getLogger(__name__)
KHMER_SCRIPT = re.compile(r"[\u1780-\u17FF]")
BARE_COMMAND = re.compile(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?")


def written_language(text: str) -> str:
    """Answer in the language the person wrote in: Khmer script means Khmer."""
    return "km" if KHMER_SCRIPT.search(text) else "en"


def crisis_view(content: Content, t: Translator) -> View:
    """Emergency numbers under one calm sentence, then the offer of a counsellor."""
    numbers = emergency_view(content, t, lead=t("crisis-lead"))
    offer = [(t("crisis-button-counsellor"), CaseCb(action="consent", urgent=True))]
    return View(numbers.text, (*numbers.rows[:-1], offer, numbers.rows[-1]))


def urgent_update(risk: RiskDetector) -> Callable[[TelegramObject], bool]:
    """For ContextMiddleware: true for a private message that will get the crisis reply."""
    def urgent(event: TelegramObject) -> bool:
        message = event.message if isinstance(event, Update) else None
        if message is None or message.chat.type != ChatType.PRIVATE:
            return False
        return detect(risk, message.text or message.caption) is not None
    return urgent


@lru_cache(maxsize=64)  # small: only spans the two checks of one update
def detect(risk: RiskDetector, text: str | None) -> RiskMatch | None:
    """The detector's verdict, computed once per text (the middleware and filter both ask)."""
    if not text or BARE_COMMAND.fullmatch(text.strip()):
        return None  # "/help" alone carries no words to read; "/help they hurt me" does
    return risk.detect(text)


async def at_risk(
    message: Message, risk: RiskDetector, raw_state: str | None = None
) -> dict[str, Any] | bool:
    """Filter: the message shows risk (and is not already in a counsellor conversation)."""
    if raw_state == CaseStates.open.state:
        return False  # a counsellor is reading along; the relay flags risk in the topic
    text = message.text or message.caption
    match = detect(risk, text)
    return {"risk_match": match, "risk_text": text} if match else False


async def crisis_reply(
    message: Message, risk_match: RiskMatch, risk_text: str, content: Content, locales: Locales
) -> None:
    """Send the emergency numbers and the offer of a counsellor, first of all."""
    t = locales.get(written_language(risk_text))
    await reply(message, crisis_view(content, t))
    # Category and rule only: never the words that matched.
    log.info("crisis reply sent (%s, rule %s)", risk_match.category, risk_match.term_id)


def create_router() -> Router:
    """The crisis flow: one handler, tried before every other router."""
    router = Router(name="crisis")
    router.message.register(crisis_reply, F.chat.type == ChatType.PRIVATE, at_risk)
    return router

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
from aiogram.types import Message, ReplyParameters, TelegramObject, Update

from bot.content.i18n import Locales, Translator
from bot.content.model import Service
from bot.content.store import Content
from bot.language import Romaniser, is_romanised
from bot.language.risk import RiskCategory, RiskDetector, RiskMatch
from dialogs.callbacks import CaseAction, CaseCb
from dialogs.hotlines import numbers_view
from dialogs.screen import View
from dialogs.states import CaseStates

log = logging.getLogger(__name__)
KHMER_SCRIPT = re.compile(r"[\u1780-\u17FF]")
BARE_COMMAND = re.compile(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?")


def written_language(text: str, romaniser: Romaniser | None = None) -> str:
    """Answer in the language the person wrote in: Khmer script or romanised Khmer is Khmer."""
    if KHMER_SCRIPT.search(text):
        return "km"
    romanised = romaniser is not None and is_romanised(romaniser.read(text))
    return "km" if romanised else "en"


# Which services lead for each kind of risk (service categories in content/services.yaml).
_LEADING_SERVICES = {
    RiskCategory.SELF_HARM: "mental-health",
    RiskCategory.DISTRESS: "mental-health",
    RiskCategory.DRUGS_ALCOHOL: "drugs-alcohol",
    RiskCategory.TRAFFICKING: "trafficking",
    RiskCategory.FORCED_LABOUR: "trafficking",
    RiskCategory.CHILD_IN_DANGER: "missing-child",
}


# Kinds of risk whose first words are their own (`crisis-lead-<category>`).
OWN_LEADS = (RiskCategory.MEDICAL_EMERGENCY, RiskCategory.DRUGS_ALCOHOL, RiskCategory.DISTRESS)


def lead_id(match: RiskMatch | None) -> str:
    """The Fluent id of the first words: they fit what was said, and who said it."""
    if match is None:
        return "crisis-lead"
    category = match.category
    if category == RiskCategory.SELF_HARM:
        return "crisis-lead-self-harm-witness" if match.witness else "crisis-lead-self-harm"
    if category in OWN_LEADS:
        return f"crisis-lead-{category.value}"
    return "crisis-lead-witness" if match.witness else "crisis-lead"


def crisis_services(content: Content, match: RiskMatch | None) -> tuple[Service, ...]:
    """The numbers to show: those for this kind of risk first, then the emergency ones."""
    wanted = _LEADING_SERVICES.get(match.category) if match else None
    leading = [s for s in content.services() if wanted in s.categories] if wanted else []
    urgent = content.services(emergency_only=True)
    ordered = [*(s for s in leading if s.emergency), *(s for s in leading if not s.emergency)]
    # Deduplicated by id: services are not hashable (their review marks are a dict).
    return tuple({s.id: s for s in [*ordered[:2], *urgent]}.values())


@lru_cache(maxsize=128)
def crisis_view(content: Content, t: Translator, match: RiskMatch | None = None) -> View:
    """Fitting words, the numbers for this risk, then the offer of a counsellor."""
    numbers = numbers_view(crisis_services(content, match), t, lead=t(lead_id(match)))
    # The card's language rides along: the consent should not switch to another one.
    offer = [(t("crisis-button-counsellor"),
              CaseCb(action=CaseAction.CONSENT, urgent=True, lang=t.language))]
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
    message: Message, risk_match: RiskMatch, risk_text: str, content: Content, locales: Locales,
    risk: RiskDetector,
) -> None:
    """Send the emergency numbers and the offer of a counsellor, first of all."""
    t = locales.get(written_language(risk_text, risk.romaniser))
    view = crisis_view(content, t, risk_match)
    # A reply to her message: if she asks for a counsellor, Telegram names that message
    # in the tap, so it can be carried into the case without being stored anywhere first.
    await message.answer(view.text, reply_markup=view.markup(), reply_parameters=ReplyParameters(
        message_id=message.message_id, allow_sending_without_reply=True))
    # Category and rule only: never the words that matched.
    log.info("crisis reply sent (%s, rule %s)", risk_match.category, risk_match.term_id)


def create_router() -> Router:
    """The crisis flow: one handler, tried before every other router."""
    router = Router(name="crisis")
    router.message.register(crisis_reply, F.chat.type == ChatType.PRIVATE, at_risk)
    return router


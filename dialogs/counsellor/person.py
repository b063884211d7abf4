"""Talk to a counsellor, the person's side: honest consent, an anonymous case, the relay.

Flow (docs/counsellor.md): menu, /counsellor or the crisis offer → consent → case opened
(waiting) → messages relayed to the case's forum topic → the counsellor's replies come back
as 'Counsellor:' → /close in the topic → rating. Without COUNSELLOR_CHAT_ID: hotlines only.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.content.i18n import Locales, Translator
from bot.content.store import Content
from bot.language.risk import RiskDetector
from bot.runtime.settings import Settings
from bot.storage.cases import CaseInfo, Cases
from bot.storage.people import Profile
from bot.storage.vault import Vault
from dialogs.callbacks import AutoCleanCb, CaseAction, CaseCb, MenuCb, RateCb, Screen
from dialogs.counsellor import forum
from dialogs.counsellor.consent import (
    auto_clean_toggled,
    consent_button,
    counsellor_button,
    counsellor_command,
    emergency_numbers,
    first_message,
    more_button,
    person_translator,
)
from dialogs.counsellor.mail import CaseMail
from dialogs.crisis import detect
from dialogs.hotlines import emergency_view
from dialogs.menu import main_menu
from dialogs.quick_exit.flow import quick_exit_row
from dialogs.screen import View, reply, show
from dialogs.states import CaseStates

log = logging.getLogger(__name__)
private = F.chat.type == ChatType.PRIVATE
CASE_LOOKUP_S = 1.0  # as long as the profile lookup may take (bot/pipeline/middlewares.py)
# Risk words: the crisis reply is due within a second even while the database hangs.
URGENT_CASE_LOOKUP_S = 0.4


async def start_case(callback: CallbackQuery, callback_data: CaseCb, bot: Bot, state: FSMContext,
                     profile: Profile | None, cases: Cases, content: Content, t: Translator,
                     settings: Settings, locales: Locales, case_mail: CaseMail,
                     callback_answer: CallbackAnswer) -> None:
    """Open a case (or resume hers), pass on her first message if she agreed, say what next."""
    callback_answer.disable()
    await callback.answer()
    t = person_translator(locales, profile, t, callback_data.lang)
    if profile is None or not settings.counsellor_chats:
        await show(callback, emergency_view(content, t, lead=t("counsellor-unavailable")))
        return
    case, carried = await cases.active_for(profile.key), False
    if case is None:
        chat_id = callback.message.chat.id if callback.message else callback.from_user.id
        case = await cases.open_in(settings.counsellor_chats, profile.key, chat_id, t.language,
                                   callback_data.urgent)
        first = first_message(callback) if callback_data.share else None
        opened = await forum.open_topic(bot, settings, locales, cases, case_mail, case, first)
        if opened is None:
            await show(callback, emergency_view(content, t, lead=t("counsellor-unavailable")))
            return
        case, carried = opened
    # A hint only: whether a case is open is read from the database (in_case).
    await state.set_state(CaseStates.open)
    await show(callback, connected_view(content, t, settings, case, carried))


def connected_view(content: Content, t: Translator, settings: Settings, case: CaseInfo,
                   carried: bool) -> View:
    """'You are in the queue as case K7Q2', and that her first message was passed on."""
    text = t("counsellor-connected", alias=case.alias, minutes=settings.counsellor_wait_minutes,
             numbers=emergency_numbers(content))
    if carried:
        text = f"{t('counsellor-first-arrived')}\n\n{text}"
    return View(text, (quick_exit_row(t),))


async def in_case(message: Message, cases: Cases, vault: Vault, risk: RiskDetector,
                  raw_state: str | None = None) -> dict[str, Any] | bool:
    """Filter: a private message (not a command) from a person whose case is open.

    Read from the database (cached briefly), not the FSM: it holds after a restart, on
    another worker and with Redis down. A database that does not answer in time (0.4 s for
    risk words, 1 s otherwise) leaves the message to crisis triage and the fallback, unless
    this process knew the person's case (docs/deploy.md, "Degraded, not down").
    """
    if message.chat.type != ChatType.PRIVATE or (message.text or "").startswith("/"):
        return False
    urgent = detect(risk, message.text or message.caption) is not None
    wait = URGENT_CASE_LOOKUP_S if urgent else CASE_LOOKUP_S
    key = vault.person_key(message.chat.id)
    case, fresh = await cases.open_case_soon(key, wait)
    if case is not None and case.topic_id is not None:
        return {"case": case}
    if not fresh:
        log.warning("cannot tell whether a person is in a case; not relaying")
        # Seen in a case: say it did not go through, rather than answer as if outside one.
        in_one = cases.seemed_open(key) or raw_state == CaseStates.open.state
        return {"case": None, "case_unreachable": True} if in_one else False
    return {"case": None} if raw_state == CaseStates.open.state else False


async def relay_to_counsellors(message: Message, case: CaseInfo | None, state: FSMContext,
                               cases: Cases, settings: Settings, risk: RiskDetector,
                               t: Translator, case_mail: CaseMail, content: Content,
                               case_unreachable: bool = False) -> None:
    """Queue the person's message for their case's topic and keep it, encrypted.

    Never an error for a queued message: the 👌 on it says when it reached the counsellors.
    With the database unreachable nothing can be kept: she is told to send it again soon,
    under the emergency numbers (from memory).
    """
    if case_unreachable:
        await reply(message, emergency_view(content, t, lead=t("common-try-again-soon")))
        return
    if case is None:
        await state.clear()
        await reply(message, main_menu(t, t("counsellor-case-over")))
        return
    if message.contact is not None:  # a contact card names and numbers the person
        await reply(message, View(t("counsellor-contact-refused")))
        return
    if message.location is not None:
        await reply(message, location_view(t, message.message_id))
        return
    await cases.record(case, "person", forum.transcript_text(message))
    await case_mail.from_person(case, forum.forum_of(settings, case), message,
                                _risk(risk, message))


def _risk(risk: RiskDetector, message: Message) -> str | None:
    text = message.text or message.caption
    match = risk.detect(text) if text else None
    return str(match.category) if match is not None else None


async def relay_edit(message: Message, case: CaseInfo | None, settings: Settings,
                     risk: RiskDetector, case_mail: CaseMail) -> None:
    """An edited message goes to the topic as a note with its new words."""
    if case is None or (message.text is None and message.caption is None):
        return
    await case_mail.from_person(case, forum.forum_of(settings, case), message,
                                _risk(risk, message), edit=True)


def location_view(t: Translator, message_id: int) -> View:
    """Ask before a location goes to the counsellor: it can show where the person is."""
    return View(t("counsellor-location-confirm"), (
        [(t("counsellor-button-send-location"),
          CaseCb(action=CaseAction.SEND_LOCATION, ref=message_id))],
        [(t("counsellor-button-keep-location"),
          CaseCb(action=CaseAction.KEEP_LOCATION, ref=message_id))],
    ))


async def location_answer(callback: CallbackQuery, callback_data: CaseCb, bot: Bot,
                          cases: Cases, vault: Vault, settings: Settings, t: Translator,
                          case_mail: CaseMail) -> None:
    """Send the location the person confirmed (copied from their own chat), or keep it."""
    case = await cases.open_case(vault.person_key(callback.from_user.id))
    send = callback_data.action == CaseAction.SEND_LOCATION and case is not None
    if case is not None and send:
        await cases.record(case, "person", "[location]")
        payload = {"to": forum.forum_of(settings, case), "th": case.topic_id,
                   "alias": case.alias, "urgent": case.urgent, "k": "copy",
                   "kind": "location", "msg": callback_data.ref, "risk": ""}
        await case_mail.put(case, "in", callback_data.ref, "msg", payload)
    key = "counsellor-location-sent" if send else "counsellor-location-kept"
    await show(callback, View(t(key)))


async def rate_case(callback: CallbackQuery, callback_data: RateCb, profile: Profile | None,
                    cases: Cases, t: Translator) -> None:
    """Keep the person's rating of their closed case and thank them."""
    if profile is not None:
        await cases.rate(callback_data.case, profile.key, callback_data.score)
    await show(callback, main_menu(t, t("counsellor-rated")))


def rating_view(t: Translator, case_id: int, days: int) -> View:
    """The closing message: the case ended, what is kept where and how long, rate it 1–5."""
    stars = [(str(score), RateCb(case=case_id, score=score)) for score in range(1, 6)]
    return View(t("counsellor-closed", days=days), (stars, quick_exit_row(t)))


def create_relay_router() -> Router:
    """What a person in an open case writes: tried first, before crisis triage.

    The counsellor reads along and the topic flags risk words, so the crisis reply is not
    sent in a case; a database that does not answer leaves the message to triage.
    """
    router = Router(name="case-relay")
    router.message.register(relay_to_counsellors, in_case)
    router.edited_message.register(relay_edit, in_case)
    return router


def create_router() -> Router:
    """The counsellor flow's handlers (person side, then the counsellors' forum)."""
    router = Router(name="counsellor")
    router.callback_query.register(counsellor_button, MenuCb.filter(F.to == Screen.COUNSELLOR))
    router.message.register(counsellor_command, private, Command("counsellor"))
    router.callback_query.register(consent_button, CaseCb.filter(F.action == CaseAction.CONSENT))
    router.callback_query.register(more_button, CaseCb.filter(F.action == CaseAction.MORE))
    router.callback_query.register(start_case, CaseCb.filter(F.action == CaseAction.START))
    router.callback_query.register(location_answer, CaseCb.filter(
        F.action.in_({CaseAction.SEND_LOCATION, CaseAction.KEEP_LOCATION})))
    router.callback_query.register(rate_case, RateCb.filter())
    router.callback_query.register(auto_clean_toggled, AutoCleanCb.filter(F.screen == "c"))
    router.include_router(forum.create_router())
    return router

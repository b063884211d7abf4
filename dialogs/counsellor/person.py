"""Talk to a counsellor, the person's side: honest consent, an anonymous case, the relay.

Flow (docs/counsellor.md): menu, /counsellor or the crisis offer → consent → case opened
(waiting) → messages relayed to the case's forum topic → the counsellor's replies come back
as 'Counsellor:' → /close in the topic → rating. Without COUNSELLOR_CHAT_ID: hotlines only.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.content.i18n import Locales, Translator
from bot.content.store import Content
from bot.language.risk import RiskDetector
from bot.runtime.settings import Settings
from bot.storage.cases import CaseInfo, Cases
from bot.storage.people import Profile
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
from dialogs.hotlines import emergency_view
from dialogs.menu import main_menu
from dialogs.quick_exit.flow import quick_exit_row
from dialogs.screen import View, reply, show
from dialogs.states import CaseStates

log = logging.getLogger(__name__)
private = F.chat.type == ChatType.PRIVATE


async def start_case(callback: CallbackQuery, callback_data: CaseCb, bot: Bot, state: FSMContext,
                     profile: Profile | None, cases: Cases, content: Content, t: Translator,
                     settings: Settings, locales: Locales,
                     callback_answer: CallbackAnswer) -> None:
    """Open a case (or resume hers), carry her first message if she agreed, say what next."""
    # Answered now: the forum's notes may wait for the group's flood limit.
    callback_answer.disable()
    await callback.answer()
    t = person_translator(locales, profile, t, callback_data.lang)
    if profile is None or settings.counsellor_chat_id is None:
        await show(callback, emergency_view(content, t, lead=t("counsellor-unavailable")))
        return
    case, carried = await cases.active_for(profile.key), False
    if case is None:
        chat_id = callback.message.chat.id if callback.message else callback.from_user.id
        case = await cases.open(profile.key, chat_id, t.language, callback_data.urgent)
        first = first_message(callback) if callback_data.share else None
        opened = await forum.open_topic(bot, settings, locales, cases, case, first)
        if opened is None:
            await show(callback, emergency_view(content, t, lead=t("counsellor-unavailable")))
            return
        carried = opened
    await state.set_state(CaseStates.open)
    await state.update_data(case_id=case.id)
    await show(callback, connected_view(content, t, settings, case, carried))


def connected_view(content: Content, t: Translator, settings: Settings, case: CaseInfo,
                   carried: bool) -> View:
    """'You are in the queue as case K7Q2', and whether her first message arrived."""
    text = t("counsellor-connected", alias=case.alias, minutes=settings.counsellor_wait_minutes,
             numbers=emergency_numbers(content))
    if carried:
        text = f"{t('counsellor-first-arrived')}\n\n{text}"
    return View(text, (quick_exit_row(t),))


async def relay_to_counsellors(message: Message, bot: Bot, state: FSMContext, cases: Cases,
                               settings: Settings, locales: Locales, risk: RiskDetector,
                               t: Translator) -> None:
    """Copy the person's message into their case's topic and keep it, encrypted."""
    case = await _current_case(state, cases)
    if case is None or settings.counsellor_chat_id is None:
        await state.clear()
        await reply(message, main_menu(t, t("counsellor-case-over")))
        return
    left = await forum.copy_to_topic(bot, settings, locales, risk, case, message)
    await cases.note_forum(case.id, *left)
    await cases.record(case, "person", forum.transcript_text(message))


async def _current_case(state: FSMContext, cases: Cases) -> CaseInfo | None:
    case_id = (await state.get_data()).get("case_id")
    case = await cases.get(int(case_id)) if case_id is not None else None
    return case if case is not None and case.status != "closed" else None


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


def create_router() -> Router:
    """The counsellor flow's handlers (person side, then the counsellors' forum)."""
    router = Router(name="counsellor")
    router.callback_query.register(counsellor_button, MenuCb.filter(F.to == Screen.COUNSELLOR))
    router.message.register(counsellor_command, private, Command("counsellor"))
    router.callback_query.register(consent_button, CaseCb.filter(F.action == CaseAction.CONSENT))
    router.callback_query.register(more_button, CaseCb.filter(F.action == CaseAction.MORE))
    router.callback_query.register(start_case, CaseCb.filter(F.action == CaseAction.START))
    router.callback_query.register(rate_case, RateCb.filter())
    router.callback_query.register(auto_clean_toggled, AutoCleanCb.filter(F.screen == "c"))
    router.message.register(relay_to_counsellors, private, StateFilter(CaseStates.open),
                            ~F.text.startswith("/"))
    router.include_router(forum.create_router(rating_view))
    return router

"""Talk to a counsellor, the person's side: honest consent, an anonymous case, the relay.

Flow (docs/counsellor.md): menu, /counsellor or the crisis offer → consent → case opened
(waiting) → messages relayed to the case's forum topic → the counsellor's replies come back
as 'Counsellor:' → /close in the topic → rating. Without COUNSELLOR_CHAT_ID: hotlines only.
"""

from __future__ import annotations

import logging
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.content.i18n import Locales, Translator
from bot.content.store import Content
from bot.language.risk import RiskDetector
from bot.runtime.clock import Clock
from bot.runtime.settings import Settings
from bot.storage.cases import CaseInfo, Cases
from bot.storage.people import Profile
from bot.storage.vault import Vault
from dialogs.callbacks import AutoCleanCb, CaseAction, CaseCb, MenuCb, RateCb, Screen
from dialogs.counsellor import forum
from dialogs.hotlines import emergency_view
from dialogs.menu import main_menu
from dialogs.quick_exit.flow import QuickExit, auto_clean_row, quick_exit_row, toggle_auto_clean
from dialogs.screen import View, reply, show
from dialogs.states import CaseStates

log = logging.getLogger(__name__)
private = F.chat.type == ChatType.PRIVATE


def is_open_now(settings: Settings, now: datetime) -> bool:
    """Whether counsellors are on duty now (office hours in SOKH_TIMEZONE)."""
    hour = now.astimezone(settings.timezone).hour
    return settings.counsellor_open_hour <= hour < settings.counsellor_close_hour


def emergency_numbers(content: Content) -> str:
    """The emergency numbers from content, for sentences that name them."""
    return ", ".join(s.phone for s in content.services(emergency_only=True))


def consent_view(content: Content, t: Translator, settings: Settings, now: datetime,
                 urgent: bool, auto_clean: bool = False) -> View:
    """Plain words on who reads, what is kept, hours; then agree or go back."""
    lines = [t("counsellor-consent", days=settings.case_retention_days,
               numbers=emergency_numbers(content),
               open=settings.counsellor_open_hour, close=settings.counsellor_close_hour)]
    if not is_open_now(settings, now):
        lines.append(t("counsellor-closed-now"))
    return View("\n\n".join(lines), (
        [(t("counsellor-button-agree"), CaseCb(action=CaseAction.START, urgent=urgent))],
        auto_clean_row(t, auto_clean, "c", urgent),  # offered here too (docs/quick-exit.md)
        quick_exit_row(t),
    ))


def entry_view(content: Content, t: Translator, settings: Settings, now: datetime,
               urgent: bool = False, auto_clean: bool = False) -> View:
    """The consent screen, or hotlines and an honest sentence when no counsellors are set."""
    if settings.counsellor_chat_id is None:
        return emergency_view(content, t, lead=t("counsellor-unavailable"))
    return consent_view(content, t, settings, now, urgent, auto_clean)


async def counsellor_button(callback: CallbackQuery, content: Content, t: Translator,
                            settings: Settings, clock: Clock, quick_exit: QuickExit,
                            vault: Vault) -> None:
    """Show the consent screen in place (menu button)."""
    on = await quick_exit.auto_clean(vault.person_key(callback.from_user.id))
    await show(callback, entry_view(content, t, settings, clock(), auto_clean=on))


async def counsellor_command(message: Message, content: Content, t: Translator,
                             settings: Settings, clock: Clock, quick_exit: QuickExit,
                             vault: Vault) -> None:
    """Show the consent screen as a new message (/counsellor)."""
    on = await quick_exit.auto_clean(vault.person_key(message.chat.id))
    await reply(message, entry_view(content, t, settings, clock(), auto_clean=on))


async def consent_button(callback: CallbackQuery, callback_data: CaseCb, content: Content,
                         t: Translator, settings: Settings, clock: Clock, quick_exit: QuickExit,
                         vault: Vault) -> None:
    """Show the consent screen after the crisis offer; the case will be marked urgent."""
    on = await quick_exit.auto_clean(vault.person_key(callback.from_user.id))
    await show(callback, entry_view(content, t, settings, clock(), callback_data.urgent, on))


async def start_case(callback: CallbackQuery, callback_data: CaseCb, bot: Bot, state: FSMContext,
                     profile: Profile | None, cases: Cases, content: Content, t: Translator,
                     settings: Settings, locales: Locales) -> None:
    """Open an anonymous case (or resume the open one) and say what happens next."""
    if profile is None or settings.counsellor_chat_id is None:
        await show(callback, emergency_view(content, t, lead=t("counsellor-unavailable")))
        return
    case = await cases.active_for(profile.key)
    if case is None:
        chat_id = callback.message.chat.id if callback.message else callback.from_user.id
        case = await cases.open(profile.key, chat_id, t.language, callback_data.urgent)
        if not await forum.open_topic(bot, settings, locales, cases, case):
            await show(callback, emergency_view(content, t, lead=t("counsellor-unavailable")))
            return
    await state.set_state(CaseStates.open)
    await state.update_data(case_id=case.id)
    await show(callback, View(t("counsellor-connected", alias=case.alias,
                                minutes=settings.counsellor_wait_minutes,
                                numbers=emergency_numbers(content)), (quick_exit_row(t),)))


async def auto_clean_toggled(callback: CallbackQuery, callback_data: AutoCleanCb,
                             content: Content, t: Translator, settings: Settings, clock: Clock,
                             quick_exit: QuickExit, vault: Vault) -> None:
    """Switch 'Clean up after me' from the consent screen, then show the screen again."""
    on = await toggle_auto_clean(callback, callback_data, quick_exit, vault)
    await show(callback, entry_view(content, t, settings, clock(), callback_data.urgent, on))


async def relay_to_counsellors(message: Message, bot: Bot, state: FSMContext, cases: Cases,
                               settings: Settings, locales: Locales, risk: RiskDetector,
                               t: Translator) -> None:
    """Copy the person's message into their case's topic and keep it, encrypted."""
    case = await _current_case(state, cases)
    if case is None or settings.counsellor_chat_id is None:
        await state.clear()
        await reply(message, main_menu(t, t("counsellor-case-over")))
        return
    await forum.copy_to_topic(bot, settings, locales, risk, case, message)
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


def rating_view(t: Translator, case_id: int) -> View:
    """The closing message: the case ended, rate it 1–5, come back any time."""
    stars = [(str(score), RateCb(case=case_id, score=score)) for score in range(1, 6)]
    return View(t("counsellor-closed"), (stars, quick_exit_row(t)))


def create_router() -> Router:
    """The counsellor flow's handlers (person side, then the counsellors' forum)."""
    router = Router(name="counsellor")
    router.callback_query.register(counsellor_button, MenuCb.filter(F.to == Screen.COUNSELLOR))
    router.message.register(counsellor_command, private, Command("counsellor"))
    router.callback_query.register(consent_button, CaseCb.filter(F.action == CaseAction.CONSENT))
    router.callback_query.register(start_case, CaseCb.filter(F.action == CaseAction.START))
    router.callback_query.register(rate_case, RateCb.filter())
    router.callback_query.register(auto_clean_toggled, AutoCleanCb.filter(F.screen == "c"))
    router.message.register(relay_to_counsellors, private, StateFilter(CaseStates.open),
                            ~F.text.startswith("/"))
    router.include_router(forum.create_router(rating_view))
    return router

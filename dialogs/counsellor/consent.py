"""The way into a case: a short consent (three lines, the rest behind 'More'), in the
language the person wrote in, offering to carry the message that triggered triage.

From the crisis card the consent is a new message, so the card and its numbers stay on
screen; it replies to her message, so Telegram names that message in every tap on the
consent (nothing is stored before she agrees).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiogram import Bot
from aiogram.types import CallbackQuery, Message, ReplyParameters

from bot.content.i18n import Locales, Translator
from bot.content.store import Content
from bot.runtime.clock import Clock
from bot.runtime.settings import Settings
from bot.storage.people import Profile
from bot.storage.vault import Vault
from dialogs.callbacks import AutoCleanCb, CaseAction, CaseCb
from dialogs.hotlines import emergency_view
from dialogs.quick_exit.flow import QuickExit, auto_clean_row, quick_exit_row, toggle_auto_clean
from dialogs.screen import View, reply, show


@dataclass(frozen=True)
class Entry:
    """How she came in: urgent or not, her language, a first message to carry, all terms."""

    urgent: bool = False
    lang: str = ""
    first: bool = False
    full: bool = False
    auto_clean: bool = False


def is_open_now(settings: Settings, now: datetime) -> bool:
    """Whether counsellors are on duty now (office hours in SOKH_TIMEZONE)."""
    hour = now.astimezone(settings.timezone).hour
    return settings.counsellor_open_hour <= hour < settings.counsellor_close_hour


def emergency_numbers(content: Content) -> str:
    """The emergency numbers from content, for sentences that name them."""
    return ", ".join(s.phone for s in content.services(emergency_only=True))


def person_translator(locales: Locales, profile: Profile | None, t: Translator,
                      lang: str) -> Translator:
    """Her chosen language; until she chooses one, the language she wrote in."""
    if lang and (profile is None or profile.language is None):
        return locales.get(lang)
    return t


def first_message(callback: CallbackQuery) -> Message | None:
    """The person's message the tapped screen replies to (the one that triggered triage)."""
    shown = callback.message
    return shown.reply_to_message if isinstance(shown, Message) else None


def consent_view(content: Content, t: Translator, settings: Settings, now: datetime,
                 entry: Entry) -> View:
    """Three plain lines (or all the terms), then agree, More, or go back."""
    key = "counsellor-consent" if entry.full else "counsellor-consent-short"
    lines = [t(key, days=settings.case_retention_days, numbers=emergency_numbers(content),
               open=settings.counsellor_open_hour, close=settings.counsellor_close_hour)]
    if not is_open_now(settings, now):
        lines.append(t("counsellor-closed-now", open=settings.counsellor_open_hour,
                       close=settings.counsellor_close_hour))
    more = [] if entry.full else [[(t("counsellor-button-more"), _cb(CaseAction.MORE, entry))]]
    return View("\n\n".join(lines), (
        *_start_rows(t, entry), *more,
        auto_clean_row(t, entry.auto_clean, "c", entry.urgent, entry.lang),
        quick_exit_row(t),
    ))


def _start_rows(t: Translator, entry: Entry) -> list[list[tuple[str, CaseCb]]]:
    """'Yes, start'; with a first message, carry it or not (her choice)."""
    if not entry.first:
        return [[(t("counsellor-button-agree"), _cb(CaseAction.START, entry))]]
    return [[(t("counsellor-button-agree-share"), _cb(CaseAction.START, entry, share=True))],
            [(t("counsellor-button-agree-fresh"), _cb(CaseAction.START, entry))]]


def _cb(action: CaseAction, entry: Entry, share: bool = False) -> CaseCb:
    return CaseCb(action=action, urgent=entry.urgent, lang=entry.lang, share=share)


def entry_view(content: Content, t: Translator, settings: Settings, now: datetime,
               entry: Entry = Entry()) -> View:
    """The consent screen, or hotlines and an honest sentence when no counsellors are set."""
    if not settings.counsellor_chats:
        return emergency_view(content, t, lead=t("counsellor-unavailable"))
    return consent_view(content, t, settings, now, entry)


async def counsellor_button(callback: CallbackQuery, content: Content, t: Translator,
                            settings: Settings, clock: Clock, quick_exit: QuickExit,
                            vault: Vault) -> None:
    """Show the consent screen in place (menu button)."""
    on = await quick_exit.auto_clean(vault.person_key(callback.from_user.id))
    await show(callback, entry_view(content, t, settings, clock(), Entry(auto_clean=on)))


async def counsellor_command(message: Message, content: Content, t: Translator,
                             settings: Settings, clock: Clock, quick_exit: QuickExit,
                             vault: Vault) -> None:
    """Show the consent screen as a new message (/counsellor)."""
    on = await quick_exit.auto_clean(vault.person_key(message.chat.id))
    await reply(message, entry_view(content, t, settings, clock(), Entry(auto_clean=on)))


async def consent_button(callback: CallbackQuery, callback_data: CaseCb, bot: Bot,
                         content: Content, t: Translator, locales: Locales,
                         profile: Profile | None, settings: Settings, clock: Clock,
                         quick_exit: QuickExit, vault: Vault) -> None:
    """From the crisis card: the consent as a new message, so the numbers stay on screen."""
    t = person_translator(locales, profile, t, callback_data.lang)
    first = first_message(callback)
    on = await quick_exit.auto_clean(vault.person_key(callback.from_user.id))
    entry = Entry(callback_data.urgent, callback_data.lang, first is not None, auto_clean=on)
    view = entry_view(content, t, settings, clock(), entry)
    to = ReplyParameters(message_id=first.message_id, allow_sending_without_reply=True) \
        if first is not None else None
    await bot.send_message(callback.from_user.id, view.text, reply_markup=view.markup(),
                           reply_parameters=to)


async def more_button(callback: CallbackQuery, callback_data: CaseCb, content: Content,
                      t: Translator, locales: Locales, profile: Profile | None,
                      settings: Settings, clock: Clock, quick_exit: QuickExit,
                      vault: Vault) -> None:
    """Show all the terms in place of the short ones."""
    t = person_translator(locales, profile, t, callback_data.lang)
    on = await quick_exit.auto_clean(vault.person_key(callback.from_user.id))
    entry = Entry(callback_data.urgent, callback_data.lang, first_message(callback) is not None,
                  full=True, auto_clean=on)
    await show(callback, entry_view(content, t, settings, clock(), entry))


async def auto_clean_toggled(callback: CallbackQuery, callback_data: AutoCleanCb,
                             content: Content, t: Translator, locales: Locales,
                             profile: Profile | None, settings: Settings, clock: Clock,
                             quick_exit: QuickExit, vault: Vault) -> None:
    """Switch 'Clean up after me' from the consent screen, then show the screen again."""
    on = await toggle_auto_clean(callback, callback_data, quick_exit, vault)
    t = person_translator(locales, profile, t, callback_data.lang)
    entry = Entry(callback_data.urgent, callback_data.lang, first_message(callback) is not None,
                  auto_clean=on)
    await show(callback, entry_view(content, t, settings, clock(), entry))

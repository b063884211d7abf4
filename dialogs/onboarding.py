"""First contact: /start, choosing a language, and /language to change it."""

from __future__ import annotations

import logging
from functools import lru_cache

from aiogram import F, Router
from aiogram.filters import Command, CommandStart
from aiogram.types import CallbackQuery, Message
from sqlalchemy.exc import SQLAlchemyError

from bot.content.i18n import LANGUAGES, Locales, Translator
from bot.storage.people import People, Profile
from dialogs.callbacks import LanguageCb, MenuCb, Screen
from dialogs.menu import main_menu
from dialogs.screen import View, reply, show

log = logging.getLogger(__name__)


@lru_cache(maxsize=8)  # the first screen of every newcomer: packed once per language
def language_choice(t: Translator) -> View:
    """Both language buttons, each labelled in its own language."""
    buttons = [(t(f"common-language-name-{code}"), LanguageCb(code=code)) for code in LANGUAGES]
    return View(t("onboarding-choose-language"), (buttons,))


async def start(message: Message, t: Translator, profile: Profile | None) -> None:
    """Greet: newcomers choose a language, returning people get the menu."""
    if profile is not None and profile.language is not None:
        await reply(message, main_menu(t))
    else:
        await reply(message, language_choice(t))


async def language_command(message: Message, t: Translator) -> None:
    """Offer the language choice again."""
    await reply(message, language_choice(t))


async def language_button(callback: CallbackQuery, t: Translator) -> None:
    """Offer the language choice in place (from Settings)."""
    await show(callback, language_choice(t))


async def language_chosen(
    callback: CallbackQuery, callback_data: LanguageCb, locales: Locales,
    people: People, profile: Profile | None,
) -> None:
    """Remember the language and continue to the menu in it."""
    t = locales.get(callback_data.code)
    saved = await _save_language(people, profile, callback_data.code)
    lead = t("onboarding-welcome" if saved else "settings-storage-down")
    await show(callback, main_menu(t, lead))


async def _save_language(people: People, profile: Profile | None, code: str) -> bool:
    if profile is None:
        return False
    try:
        await people.set_language(profile.key, code)
    except SQLAlchemyError:
        log.exception("could not store a language choice")
        return False
    return True


def create_router() -> Router:
    """The onboarding flow's handlers, in the order they are tried."""
    router = Router(name="onboarding")
    router.message.register(start, CommandStart())
    router.message.register(language_command, Command("language"))
    router.callback_query.register(language_button, MenuCb.filter(F.to == Screen.LANGUAGE))
    router.callback_query.register(language_chosen, LanguageCb.filter(F.code.in_(LANGUAGES)))
    return router

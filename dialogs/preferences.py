"""Settings: language, and erasing everything Sokh holds about a person (/forget)."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import CallbackQuery, Message
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from bot.content.i18n import Translator
from bot.pipeline.resilient_storage import ResilientStorage
from bot.pipeline.throttle import Limiter
from bot.runtime.settings import Settings
from bot.storage.cases import Cases
from bot.storage.people import People, Profile
from bot.storage.vault import Vault
from dialogs.callbacks import AutoCleanCb, CourseAction, CourseCb, ForgetCb, MenuCb, Screen
from dialogs.counsellor import retention
from dialogs.menu import main_menu, menu_row
from dialogs.notifications import discreet
from dialogs.quick_exit.flow import QuickExit, auto_clean_row, toggle_auto_clean
from dialogs.screen import View, reply, show

log = logging.getLogger(__name__)


def settings_view(t: Translator, auto_clean: bool = False) -> View:
    """Language and data controls."""
    language = t(f"common-language-name-{t.language}")
    return View(t("settings-title"), (
        [(t("settings-button-language", language=language), MenuCb(to=Screen.LANGUAGE))],
        [(t("settings-button-course"), CourseCb(action=CourseAction.HOME))],
        discreet.settings_row(t),
        auto_clean_row(t, auto_clean),
        [(t("settings-button-forget"), MenuCb(to=Screen.FORGET))],
        menu_row(t),
    ))


def forget_confirmation(t: Translator) -> View:
    """Ask before erasing: it cannot be undone."""
    return View(t("settings-forget-confirm"), ([
        (t("settings-forget-yes"), ForgetCb(confirm=True)),
        (t("settings-forget-no"), ForgetCb(confirm=False)),
    ],))


async def settings_button(callback: CallbackQuery, t: Translator, quick_exit: QuickExit,
                          vault: Vault) -> None:
    """Open Settings in place."""
    auto_clean = await quick_exit.auto_clean(vault.person_key(callback.from_user.id))
    await show(callback, settings_view(t, auto_clean))


async def auto_clean_toggled(callback: CallbackQuery, callback_data: AutoCleanCb, t: Translator,
                             quick_exit: QuickExit, vault: Vault) -> None:
    """Switch 'Clean up after me' and show Settings again."""
    on = await toggle_auto_clean(callback, callback_data, quick_exit, vault)
    await show(callback, settings_view(t, on))


async def forget_command(message: Message, t: Translator) -> None:
    """Ask for confirmation before erasing."""
    await reply(message, forget_confirmation(t))


async def forget_button(callback: CallbackQuery, t: Translator) -> None:
    """Ask for confirmation in place."""
    await show(callback, forget_confirmation(t))


async def forget_cancelled(callback: CallbackQuery, t: Translator, quick_exit: QuickExit,
                           vault: Vault) -> None:
    """Keep everything and go back to Settings."""
    await settings_button(callback, t, quick_exit, vault)


async def forget_confirmed(
    callback: CallbackQuery, bot: Bot, t: Translator, people: People, profile: Profile | None,
    quick_exit: QuickExit, vault: Vault, cases: Cases, settings: Settings, state: FSMContext,
    fsm_storage: BaseStorage, flood_limiter: Limiter,
) -> None:
    """Erase the person, her counsellor conversations and their forum topics; say what."""
    if profile is None:
        await show(callback, main_menu(t, t("settings-storage-down")))
        return
    try:
        await quick_exit.trail.flush()  # buffered ids must not outlive the erasure
        conversations = await cases.retire_for(profile.key, _first(settings))
        erased = await people.forget(profile.key, vault.role_key(callback.from_user.id))
    except SQLAlchemyError:
        log.exception("could not erase a person")
        await show(callback, main_menu(t, t("settings-storage-down")))
        return
    await _forget_shared_state(callback, profile.key, state, fsm_storage, flood_limiter)
    await show(callback, View(_erased(t, erased, conversations), (menu_row(t),)))
    if conversations:  # the topics go now; the cleanup job retries what Telegram refuses
        await retention.clean(bot, cases.cleanups)


def _first(settings: Settings) -> int | None:
    """The group that holds cases opened before there were several (each case knows its own)."""
    return settings.counsellor_chats[0] if settings.counsellor_chats else None


def _erased(t: Translator, erased: dict[str, int], conversations: int) -> str:
    """What /forget erased, in words: records, and counsellor conversations and their copies."""
    if not erased["people"] and not conversations:
        return t("settings-forget-nothing")
    others = sum(count for table, count in erased.items() if table != "people")
    done = t("settings-forget-done", records=others + conversations)
    return f"{done}\n\n{t('settings-forget-cases', cases=conversations)}" if conversations \
        else done


async def _forget_shared_state(callback: CallbackQuery, person_key: str, state: FSMContext,
                               storage: BaseStorage, limiter: Limiter) -> None:
    """Erase the person's keys outside the database: conversation state and flood counters."""
    try:
        await state.clear()
        if isinstance(storage, ResilientStorage) and callback.bot is not None:
            await storage.forget(callback.bot.id, callback.from_user.id)
        await limiter.forget(person_key)
    except (RedisError, OSError):
        # They expire on their own (bot/pipeline/fsm_keys.py); nothing in them is readable.
        log.warning("could not erase a person's Redis keys; they will expire", exc_info=True)


def create_router() -> Router:
    """The settings flow's handlers, in the order they are tried."""
    router = Router(name="settings")
    router.callback_query.register(settings_button, MenuCb.filter(F.to == Screen.SETTINGS))
    router.callback_query.register(auto_clean_toggled, AutoCleanCb.filter(F.screen == "s"))
    router.message.register(forget_command, Command("forget"))
    router.callback_query.register(forget_button, MenuCb.filter(F.to == Screen.FORGET))
    router.callback_query.register(forget_cancelled, ForgetCb.filter(~F.confirm))
    router.callback_query.register(forget_confirmed, ForgetCb.filter(F.confirm))
    return router

"""The main menu: where every conversation starts and returns."""

from __future__ import annotations

from functools import lru_cache

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.content.i18n import Translator
from dialogs.callbacks import CourseAction, CourseCb, MenuCb, Screen, TravelAction, TravelCb
from dialogs.screen import Row, View, reply, show


@lru_cache(maxsize=64)  # translators are replaced, never changed: the menu never goes stale
def main_menu(t: Translator, lead: str = "") -> View:
    """The menu, optionally under a line of text such as a welcome."""
    text = f"{lead}\n\n{t('menu-title')}" if lead else t("menu-title")
    return View(text, (
        [(t("menu-button-parenting"), MenuCb(to=Screen.PARENTING))],
        [(t("menu-button-migration"), MenuCb(to=Screen.MIGRATION))],
        [(t("menu-button-help"), MenuCb(to=Screen.HELP))],
        [(t("menu-button-course"), CourseCb(action=CourseAction.HOME))],
        [(t("menu-button-travel"), TravelCb(action=TravelAction.HOME))],
        [(t("menu-button-counsellor"), MenuCb(to=Screen.COUNSELLOR))],
        [(t("menu-button-settings"), MenuCb(to=Screen.SETTINGS))],
    ))


def menu_row(t: Translator) -> Row:
    """A single 'Menu' button row, the way back from anywhere."""
    return [(t("common-button-menu"), MenuCb(to=Screen.HOME))]


async def menu_command(message: Message, t: Translator) -> None:
    """Show the main menu as a new message."""
    await reply(message, main_menu(t))


async def menu_button(callback: CallbackQuery, t: Translator) -> None:
    """Go back to the main menu in place."""
    await show(callback, main_menu(t))


def create_router() -> Router:
    """The menu flow's handlers, in the order they are tried."""
    router = Router(name="menu")
    router.message.register(menu_command, Command("menu"))
    router.callback_query.register(menu_button, MenuCb.filter(F.to == Screen.HOME))
    return router

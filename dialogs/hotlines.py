"""Get help now: hotline numbers first, tap-to-call cards, and /help."""

from __future__ import annotations

from functools import lru_cache

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.content.i18n import Translator
from bot.content.model import Service
from bot.content.store import Content
from dialogs.callbacks import CallCb, MenuCb, ReferralCb, Screen
from dialogs.quick_exit.flow import quick_exit_row
from dialogs.screen import Row, View, reply, show
from dialogs.text import escape


def service_line(service: Service, t: Translator) -> str:
    """One service: name, number, hours and who it is for."""
    lang = t.language
    return t(
        "help-service-line", name=escape(service.name.get(lang)), phone=service.phone,
        hours=escape(service.hours.get(lang)), who=escape(service.who.get(lang)),
    )


def call_rows(services: tuple[Service, ...], t: Translator) -> list[Row]:
    """A tap-to-call button per service (Telegram buttons cannot hold tel: links)."""
    return [
        [(t("help-call-button", phone=s.phone, name=s.name.get(t.language)), CallCb(service=s.id))]
        for s in services
    ]


def numbers_view(services: tuple[Service, ...], t: Translator, lead: str = "") -> View:
    """These numbers under an optional lead line, each with its call button; memory only."""
    lines = [lead] if lead else []
    lines += [t("help-title"), *(service_line(s, t) for s in services)]
    return View("\n\n".join(lines), (*call_rows(services, t), quick_exit_row(t)))


@lru_cache(maxsize=32)
def emergency_view(content: Content, t: Translator, lead: str = "") -> View:
    """Emergency numbers only, under an optional lead line; needs nothing but memory."""
    return numbers_view(content.services(emergency_only=True), t, lead)


# Content and translators are replaced, never changed, on reload: their screens never go stale.
@lru_cache(maxsize=32)
def help_view(content: Content, t: Translator) -> View:
    """Emergency numbers first, then the other services, and when they were checked."""
    urgent = content.services(emergency_only=True)
    others = tuple(s for s in content.services() if not s.emergency)
    checked = min((s.last_verified for s in content.services()), default=None)
    lines = [t("help-title"), *(service_line(s, t) for s in urgent)]
    if others:
        lines += [t("help-more-title"), *(service_line(s, t) for s in others)]
    if checked is not None:
        lines.append(f"<i>{t('help-checked', date=checked.isoformat())}</i>")
    finder = [(t("referral-button"), ReferralCb())]
    return View("\n\n".join(lines), (*call_rows(urgent, t), finder, quick_exit_row(t)))


async def help_command(message: Message, content: Content, t: Translator) -> None:
    """Show the hotlines as a new message."""
    await reply(message, help_view(content, t))


async def help_button(callback: CallbackQuery, content: Content, t: Translator) -> None:
    """Show the hotlines in place."""
    await show(callback, help_view(content, t))


async def call_card(
    callback: CallbackQuery, callback_data: CallCb, content: Content, t: Translator,
    callback_answer: CallbackAnswer,
) -> None:
    """Send a contact card so the number can be called with one tap."""
    service = content.service(callback_data.service)
    if service is None or not isinstance(callback.message, Message):
        callback_answer.text = t("help-service-gone")
        await show(callback, help_view(content, t))
        return
    name = service.name.get(t.language)[:64]
    await callback.message.answer_contact(phone_number=service.phone, first_name=name)


def create_router() -> Router:
    """The help flow's handlers, in the order they are tried."""
    router = Router(name="help")
    # In a group, /help is the group's own (dialogs/groups/membership.py).
    router.message.register(help_command, F.chat.type == ChatType.PRIVATE, Command("help"))
    router.callback_query.register(help_button, MenuCb.filter(F.to == Screen.HELP))
    router.callback_query.register(call_card, CallCb.filter())
    return router

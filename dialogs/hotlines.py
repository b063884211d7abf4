"""Get help now: the national lines first, more by topic or province, tap-to-call cards, /help."""

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
from dialogs.callbacks import AboutCb, CallCb, MenuCb, PlaceCb, ReferralCb, Screen
from dialogs.numbers import about_rows, about_view, call_rows, service_line
from dialogs.quick_exit.flow import quick_exit_row
from dialogs.screen import View, in_rows, reply, show
from dialogs.text import escape

__all__ = ["call_rows", "create_router", "emergency_view", "help_view", "numbers_view",
           "service_line"]
ABROAD = "abroad"
PROVINCES_PER_ROW = 3


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
    """The national lines, then the way to more numbers by topic or by province."""
    urgent = content.services(emergency_only=True)
    lines = [t("help-title"), *(service_line(s, t) for s in urgent), t("help-more")]
    more = [(t("help-by-topic-button"), ReferralCb()), (t("help-by-place-button"), PlaceCb())]
    rows = (*call_rows(urgent, t), *about_rows(urgent, t), more, quick_exit_row(t))
    return View("\n\n".join(lines), rows)


def places_view(content: Content, t: Translator) -> View:
    """Where the person is: the provinces three a row, and outside Cambodia."""
    buttons = [(p.name.get(t.language), PlaceCb(province=p.id)) for p in content.provinces()]
    rows = in_rows(buttons, PROVINCES_PER_ROW)
    rows.append([(t("help-place-abroad-button"), PlaceCb(province=ABROAD))])
    rows.append([(t("common-button-back"), MenuCb(to=Screen.HELP)), *quick_exit_row(t)])
    return View(t("help-place-choose"), tuple(rows))


def place_view(content: Content, province: str, t: Translator) -> View | None:
    """A province's own numbers, or saying plainly there is none, then the national lines."""
    if province == ABROAD:
        services = tuple(s for s in content.services() if s.country != "kh")
        lines = [t("help-abroad-title")]
    else:
        found = next((p for p in content.provinces() if p.id == province), None)
        if found is None:
            return None
        name = escape(found.name.get(t.language))
        local = tuple(s for s in content.services() if s.scope == province)
        services = (*local, *content.services(emergency_only=True))
        lines = [t("help-place-title", place=name)]
        lines += [] if local else [t("help-place-none", place=name)]
    lines += [service_line(s, t) for s in services]
    back = [(t("common-button-back"), PlaceCb()), *quick_exit_row(t)]
    return View("\n\n".join(lines), (*call_rows(services, t),
                                      *about_rows(services, t, province=province), back))


async def help_command(message: Message, content: Content, t: Translator) -> None:
    """Show the national lines as a new message."""
    await reply(message, help_view(content, t))


async def help_button(callback: CallbackQuery, content: Content, t: Translator) -> None:
    """Show the national lines in place."""
    await show(callback, help_view(content, t))


async def by_place(callback: CallbackQuery, callback_data: PlaceCb, content: Content,
                   t: Translator) -> None:
    """The province list, or one province's numbers, in place."""
    view = place_view(content, callback_data.province, t) if callback_data.province else None
    await show(callback, view or places_view(content, t))


async def about_number(callback: CallbackQuery, callback_data: AboutCb, content: Content,
                       t: Translator, callback_answer: CallbackAnswer) -> None:
    """What is behind one number, in place, with Back to where it was tapped."""
    service = content.service(callback_data.service)
    if service is None:
        callback_answer.text = t("help-service-gone")
        await show(callback, help_view(content, t))
        return
    await show(callback, about_view(content, service, callback_data, t))


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
    router.callback_query.register(by_place, PlaceCb.filter())
    router.callback_query.register(about_number, AboutCb.filter())
    router.callback_query.register(call_card, CallCb.filter())
    return router

"""Session reminders with RSVP buttons edited in place, and the trainer's attendance record."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.content.i18n import Locales, Translator
from bot.content.store import Content
from bot.runtime.settings import Settings
from bot.storage.group_sessions import SessionStore
from bot.storage.groups import GroupStore
from bot.storage.vault import Vault
from dialogs.callbacks import AttendanceCb, RsvpCb
from dialogs.groups.session_form import local
from dialogs.screen import View, show
from dialogs.states import AttendanceForm
from dialogs.text import escape

NUMBERS = re.compile(r"\d+")
SPLIT = ("women", "men", "girls", "boys")


@dataclass(frozen=True)
class Reminder:
    """What a reminder shows: enough to draw it again from the database or a payload."""

    session: int
    title: str
    topic: str
    when: str
    place: str


def reminder_view(r: Reminder, t: Translator, coming: int = 0, not_coming: int = 0) -> View:
    """The reminder with its live counts and the two RSVP buttons."""
    text = t("rsvp-reminder", title=escape(r.title), topic=escape(r.topic), when=r.when,
             place=escape(r.place), coming=coming, missing=not_coming)
    row = [(t("rsvp-coming"), RsvpCb(session=r.session, coming=True)),
           (t("rsvp-not-coming"), RsvpCb(session=r.session, coming=False))]
    return View(text, (row,))


def attendance_view(title: str, when: str, session: int, t: Translator) -> View:
    """The trainer's private prompt after a session."""
    text = t("attendance-ask", title=escape(title), when=when)
    return View(text, ([(t("attendance-button"), AttendanceCb(session=session))],))


async def answer(callback: CallbackQuery, callback_data: RsvpCb, group_sessions: SessionStore,
                 groups: GroupStore, vault: Vault, content: Content, locales: Locales,
                 settings: Settings, callback_answer: CallbackAnswer) -> None:
    """Count one member's answer and redraw the same reminder with the new counts."""
    row = await group_sessions.get(callback_data.session)
    chat = callback.message.chat if callback.message else None
    group = await groups.get(chat.id) if chat else None
    if row is None or group is None or row.group_id != group.id:
        return
    key = vault.role_key(callback.from_user.id)
    coming, missing = await group_sessions.rsvp(row.id, key, callback_data.coming)
    t = locales.get(group.language)
    topic = content.topic("parenting", row.topic)
    reminder = Reminder(row.id, row.title, topic.title.get(t.language) if topic else row.topic,
                        local(row.starts_at, settings.timezone, t), row.place)
    callback_answer.text = t("rsvp-thanks")
    await show(callback, reminder_view(reminder, t, coming, missing))


async def record(callback: CallbackQuery, callback_data: AttendanceCb, state: FSMContext,
                 t: Translator) -> None:
    """The trainer tapped 'Record attendance': ask for the numbers."""
    await state.set_state(AttendanceForm.count)
    await state.set_data({"session": callback_data.session})
    await show(callback, View(t("attendance-how")))


async def got_numbers(message: Message, state: FSMContext, group_sessions: SessionStore,
                      vault: Vault, t: Translator) -> None:
    """Numbers typed: a total, optionally women, men, girls, boys; save them."""
    numbers = [int(n) for n in NUMBERS.findall(message.text or "")]
    row = await group_sessions.get((await state.get_data())["session"])
    if len(numbers) not in (1, 5) or row is None:
        await message.answer(t("attendance-bad"))
        return
    if message.from_user is None or row.trainer_key != vault.role_key(message.from_user.id):
        await state.clear()
        return
    await state.clear()
    values = {"attended": numbers[0], **dict(zip(SPLIT, numbers[1:], strict=False))}
    await group_sessions.change(row.id, **values)
    await message.answer(t("attendance-saved", count=numbers[0]))


def create_router() -> Router:
    """RSVP taps in groups; attendance in the trainer's private chat."""
    router = Router(name="rsvp")
    router.callback_query.register(answer, RsvpCb.filter())
    router.callback_query.register(record, AttendanceCb.filter())
    router.message.register(got_numbers, AttendanceForm.count, F.text,
                            F.chat.type == ChatType.PRIVATE)
    return router

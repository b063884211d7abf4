"""/sessions → Edit: title, topic or place (with its pin) of one date, or of the rest of a series.

Edit n → Title / Topic / Place → the new value (typed, a topic button, or a location pin) →
when later dates of the series follow: only this date, or this date and later → announced.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.content.i18n import Locales, Translator
from bot.content.store import Content
from bot.runtime.settings import Settings
from bot.storage.group_sessions import SCHEDULED, SessionStore
from bot.storage.groups import GroupStore
from bot.storage.models import GroupSession
from bot.storage.vault import Vault
from dialogs.callbacks import SessionAction, SessionCb
from dialogs.groups.membership import Admins, group_t, may_schedule
from dialogs.groups.session_form import ask, pin_of, summary
from dialogs.screen import Row, View, reply, show
from dialogs.states import EditForm

FIELDS = ("title", "topic", "place")


async def start(callback: CallbackQuery, callback_data: SessionCb, state: FSMContext, bot: Bot,
                groups: GroupStore, admins: Admins, vault: Vault, group_sessions: SessionStore,
                content: Content, locales: Locales, t: Translator, settings: Settings,
                callback_answer: CallbackAnswer) -> None:
    """Edit n: check the right to schedule, then ask which field changes."""
    chat = callback.message.chat if isinstance(callback.message, Message) else None
    group = await groups.get(chat.id) if chat else None
    row = await group_sessions.get(int(callback_data.value))
    if group is None or row is None or row.group_id != group.id or row.status != SCHEDULED \
            or not await may_schedule(bot, group, callback.from_user.id, groups, admins, vault):
        callback_answer.text = t("sessions-not-allowed")
        return
    t = group_t(group, locales, t)
    await state.set_state(EditForm.field)
    await state.set_data({"session": row.id, "lang": t.language})
    buttons = [
        (t(f"sessions-field-{f}"), SessionCb(action=SessionAction.FIELD, value=f)) for f in FIELDS
    ]
    text = t("sessions-edit-what", session=summary(row, content, t, settings.timezone))
    if isinstance(callback.message, Message):
        await reply(callback.message, View(text, (buttons,)))


async def chose_field(
    callback: CallbackQuery,
    callback_data: SessionCb,
    state: FSMContext,
    content: Content,
    locales: Locales,
) -> None:
    """A field picked: topics as buttons; a title or place typed in reply."""
    data = await state.update_data(field=callback_data.value)
    t = locales.get(data["lang"])
    await state.set_state(EditForm.value)
    if callback_data.value == "topic":
        rows: list[Row] = [
            [(topic.title.get(t.language), SessionCb(action=SessionAction.ETOPIC, value=topic.id))]
            for topic in content.packs["parenting"].topics
        ]
        await show(callback, View(t("sessions-ask-topic"), tuple(rows)))
        return
    await show(callback, View(t(f"sessions-field-{callback_data.value}") + " ✏️"))
    if isinstance(callback.message, Message):
        await ask(
            callback.message, t(f"sessions-edit-ask-{callback_data.value}"), callback.from_user
        )


async def got_text(
    message: Message,
    state: FSMContext,
    group_sessions: SessionStore,
    content: Content,
    locales: Locales,
    settings: Settings,
) -> None:
    """A new title or place typed (a new place drops the old pin, which was for the old place)."""
    field, text = (await state.get_data()).get("field"), (message.text or "").strip()
    if field not in ("title", "place") or not text:
        return  # the topic is chosen with its buttons
    values: dict[str, Any] = (
        {"title": text[:120]}
        if field == "title"
        else {"place": text[:200], "latitude": None, "longitude": None}
    )
    await _decide(message, state, values, group_sessions, content, locales, settings)


async def got_pin(
    message: Message,
    state: FSMContext,
    group_sessions: SessionStore,
    content: Content,
    locales: Locales,
    settings: Settings,
) -> None:
    """A location shared while editing the place: it becomes the place's pin."""
    pin = pin_of(message)
    if pin["lat"] is None or (await state.get_data()).get("field") != "place":
        return
    values = {"latitude": pin["lat"], "longitude": pin["lon"]}
    await _decide(message, state, values, group_sessions, content, locales, settings)


async def got_topic(
    callback: CallbackQuery,
    callback_data: SessionCb,
    state: FSMContext,
    group_sessions: SessionStore,
    content: Content,
    locales: Locales,
    settings: Settings,
) -> None:
    """A new topic tapped."""
    if isinstance(callback.message, Message):
        await callback.message.delete_reply_markup()
        await _decide(
            callback.message,
            state,
            {"topic": callback_data.value},
            group_sessions,
            content,
            locales,
            settings,
        )


async def _decide(
    message: Message,
    state: FSMContext,
    values: dict[str, Any],
    group_sessions: SessionStore,
    content: Content,
    locales: Locales,
    settings: Settings,
) -> None:
    """Apply at once to a single date; for a series, ask whether later dates change too."""
    data = await state.update_data(values=values)
    row = await group_sessions.get(data["session"])
    if row is None:
        await state.clear()
        return
    later = await group_sessions.series_from(row)
    if len(later) <= 1:
        await _apply(message, state, row, False, group_sessions, content, locales, settings)
        return
    t = locales.get(data["lang"])
    day_text = t.day_month(row.starts_at.astimezone(settings.timezone).date())
    buttons = [
        (t("sessions-scope-one", day=day_text), SessionCb(action=SessionAction.SCOPE, value="one")),
        (
            t("sessions-scope-later", day=day_text, count=len(later)),
            SessionCb(action=SessionAction.SCOPE, value="later"),
        ),
    ]
    await state.set_state(EditForm.scope)
    await reply(message, View(t("sessions-edit-scope", day=day_text), (buttons,)))


async def chose_scope(
    callback: CallbackQuery,
    callback_data: SessionCb,
    state: FSMContext,
    group_sessions: SessionStore,
    content: Content,
    locales: Locales,
    settings: Settings,
) -> None:
    """Only this date, or this date and the later ones of its series."""
    data = await state.get_data()
    row = await group_sessions.get(data["session"])
    if row is None or not isinstance(callback.message, Message):
        await state.clear()
        return
    await callback.message.delete_reply_markup()
    await _apply(
        callback.message,
        state,
        row,
        callback_data.value == "later",
        group_sessions,
        content,
        locales,
        settings,
    )


async def _apply(
    message: Message,
    state: FSMContext,
    row: GroupSession,
    later: bool,
    group_sessions: SessionStore,
    content: Content,
    locales: Locales,
    settings: Settings,
) -> None:
    """Save the change and announce the dates as they now are to the group."""
    data = await state.get_data()
    await state.clear()
    rows = await group_sessions.edit(row, data["values"], later=later)
    t = locales.get(data["lang"])
    lines = [summary(r, content, t, settings.timezone) for r in rows]
    await message.answer(t("sessions-edited", count=len(rows)) + "\n" + "\n".join(lines))


def create_router() -> Router:
    """The edit form; its steps only answer the person who tapped Edit."""
    router = Router(name="session-edit")
    router.callback_query.register(start, SessionCb.filter(F.action == SessionAction.EDIT))
    router.callback_query.register(
        chose_field, EditForm.field, SessionCb.filter(F.action == SessionAction.FIELD)
    )
    router.callback_query.register(
        got_topic, EditForm.value, SessionCb.filter(F.action == SessionAction.ETOPIC)
    )
    router.message.register(got_text, EditForm.value, F.text)
    router.message.register(got_pin, EditForm.value, F.location | F.venue)
    router.callback_query.register(
        chose_scope, EditForm.scope, SessionCb.filter(F.action == SessionAction.SCOPE)
    )
    return router

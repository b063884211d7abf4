"""/session in a group: title → topic → day → time → place → pin → repeat → reminders."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, ForceReply, Message, User
from aiogram.utils.callback_answer import CallbackAnswer

from bot.content.i18n import Locales, Translator
from bot.content.store import Content
from bot.runtime.clock import Clock
from bot.runtime.settings import Settings
from bot.storage.group_sessions import Plan, SessionStore
from bot.storage.groups import GroupStore
from bot.storage.models import Group, GroupSession
from bot.storage.vault import Vault
from dialogs.callbacks import SessionAction, SessionCb
from dialogs.groups.membership import Admins, group_t, groups_only, known_group, may_schedule
from dialogs.screen import Row, View, reply, show
from dialogs.states import TRAINER_STATES, SessionForm
from dialogs.text import escape

WEEKS = (1, 4, 8, 12)
REMINDERS = {"24-1": (1440, 60), "1": (60,), "24": (1440,), "0": ()}
TIME = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*$")


def parse_time(text: str) -> tuple[int, int] | None:
    """'18:00', '6.30' or '7h15' as (hour, minute); None when it is not a time."""
    match = TIME.match(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return int(match[1]), int(match[2])


def local(moment: datetime, zone: ZoneInfo) -> str:
    """A time as people in the group read it: 07/12 18:00, in SOKH_TIMEZONE."""
    return moment.astimezone(zone).strftime("%d/%m %H:%M")


def summary(row: GroupSession, content: Content, t: Translator, zone: ZoneInfo) -> str:
    """One session in one line: when, title, topic and place."""
    topic = content.topic("parenting", row.topic)
    name = topic.title.get(t.language) if topic else row.topic
    return t("sessions-line", when=local(row.starts_at, zone), title=escape(row.title),
             topic=escape(name), place=escape(row.place))


async def ask(message: Message, text: str, user: User | None = None) -> None:
    """Ask for a typed answer; a reply gets through the group's privacy mode.

    A selective ForceReply opens the reply box only for the sender of the message it replies
    to, or for users it mentions: so reply to the speaker, or after a tap mention the tapper.
    """
    force = ForceReply(selective=True)
    if user is None:
        await message.reply(text, reply_markup=force)
        return
    mention = f'<a href="tg://user?id={user.id}">{escape(user.first_name)}</a>'
    await message.answer(f"{mention} {text}", reply_markup=force)


async def start(message: Message, state: FSMContext, bot: Bot, groups: GroupStore,
                admins: Admins, vault: Vault, locales: Locales, t: Translator) -> None:
    """/session: check the speaker may schedule, then ask for the title."""
    group = await known_group(message.chat, groups)
    t = group_t(group, locales, t)
    user = message.from_user
    if user is None or not await may_schedule(bot, group, user.id, groups, admins, vault):
        await message.reply(t("sessions-not-allowed"))
        return
    if message.is_topic_message and message.message_thread_id != group.thread_id:
        await groups.set_thread(group.id, message.message_thread_id)
    await state.set_state(SessionForm.title)
    await state.set_data({"group": group.id, "lang": t.language})
    await message.reply(t("sessions-ask-title"), reply_markup=ForceReply(selective=True))


async def got_title(message: Message, state: FSMContext, content: Content,
                    locales: Locales) -> None:
    """Title typed: offer the parenting themes as topics."""
    data = await state.update_data(title=(message.text or "").strip()[:120])
    t = locales.get(data["lang"])
    rows: list[Row] = [
        [(topic.title.get(t.language), SessionCb(action=SessionAction.TOPIC, value=topic.id))]
        for topic in content.packs["parenting"].topics
    ]
    await state.set_state(SessionForm.topic)
    markup = View("", (*rows, quit_row(t))).markup()
    await message.answer(t("sessions-ask-topic"), reply_markup=markup)


async def got_topic(
    callback: CallbackQuery,
    callback_data: SessionCb,
    state: FSMContext,
    locales: Locales,
    settings: Settings,
    clock: Clock,
) -> None:
    """Topic chosen: offer the next seven days."""
    data = await state.update_data(topic=callback_data.value)
    t, today = locales.get(data["lang"]), clock().astimezone(settings.timezone).date()
    days = [today + timedelta(days=n) for n in range(7)]
    rows: list[Row] = [
        [
            (d.strftime("%d/%m"), SessionCb(action=SessionAction.DAY, value=d.isoformat()))
            for d in days[i : i + 4]
        ]
        for i in (0, 4)
    ]
    await state.set_state(SessionForm.day)
    await show(callback, View(t("sessions-ask-day"), (*rows, quit_row(t))))


async def got_day(
    callback: CallbackQuery, callback_data: SessionCb, state: FSMContext, locales: Locales
) -> None:
    """Day chosen: ask for the time."""
    data = await state.update_data(day=callback_data.value)
    t = locales.get(data["lang"])
    await state.set_state(SessionForm.time)
    day = date.fromisoformat(callback_data.value).strftime("%d/%m")
    await show(callback, View(t("sessions-day-chosen", day=day)))
    if isinstance(callback.message, Message):
        await ask(callback.message, t("sessions-ask-time"), callback.from_user)


async def got_time(
    message: Message, state: FSMContext, locales: Locales, settings: Settings, clock: Clock
) -> None:
    """Time typed: check it is a future time, then ask where."""
    data = await state.get_data()
    t, hm = locales.get(data["lang"]), parse_time(message.text or "")
    day = date.fromisoformat(data["day"])
    if hm is None:
        await ask(message, t("sessions-bad-time"))
        return
    starts = datetime(day.year, day.month, day.day, *hm, tzinfo=settings.timezone)
    if starts <= clock():
        await ask(message, t("sessions-time-passed"))
        return
    await state.update_data(starts=starts.isoformat())
    await state.set_state(SessionForm.place)
    await ask(message, t("sessions-ask-place"))


def repeat_view(t: Translator) -> View:
    """Once, or weekly for a few weeks."""
    row = [
        (t("sessions-weeks", weeks=n), SessionCb(action=SessionAction.WEEKS, value=str(n)))
        for n in WEEKS
    ]
    return View(t("sessions-ask-repeat"), (row, quit_row(t)))


def quit_row(t: Translator) -> Row:
    """The way out of the form, under every step that has buttons."""
    return [(t("sessions-button-quit"), SessionCb(action=SessionAction.QUIT))]


def pin_of(message: Message) -> dict[str, float | None]:
    """The coordinates of a shared location or venue as form data; None values without one."""
    point = message.venue.location if message.venue else message.location
    return {"lat": point.latitude if point else None, "lon": point.longitude if point else None}


def place_of(message: Message) -> str:
    """The place's name: the text typed, a venue's title, or a pin sign for a bare location."""
    return (message.text or "").strip()[:200] or (message.venue.title if message.venue else "📍")


async def got_place(message: Message, state: FSMContext, locales: Locales) -> None:
    """Place typed: offer to add a location pin. A pin shared already: ask about repeats."""
    pin = pin_of(message)
    data = await state.update_data({"place": place_of(message), **pin})
    t = locales.get(data["lang"])
    if pin["lat"] is not None:
        await state.set_state(SessionForm.repeat)
        await reply(message, repeat_view(t))
        return
    await state.set_state(SessionForm.pin)
    skip = [(t("sessions-pin-skip"), SessionCb(action=SessionAction.PIN, value="skip"))]
    await reply(message, View(t("sessions-ask-pin"), (skip, quit_row(t))))


async def got_pin(message: Message, state: FSMContext, locales: Locales) -> None:
    """A location shared for the place: keep it for the reminders, then ask about repeats."""
    data = await state.update_data(pin_of(message))
    await state.set_state(SessionForm.repeat)
    await reply(message, repeat_view(locales.get(data["lang"])))


async def skip_pin(callback: CallbackQuery, state: FSMContext, locales: Locales) -> None:
    """No pin: ask about repeats in the same message."""
    data = await state.get_data()
    await state.set_state(SessionForm.repeat)
    await show(callback, repeat_view(locales.get(data["lang"])))


async def got_repeat(
    callback: CallbackQuery, callback_data: SessionCb, state: FSMContext, locales: Locales
) -> None:
    """Repeat chosen: ask which reminders to send."""
    data = await state.update_data(weeks=int(callback_data.value))
    t = locales.get(data["lang"])
    rows: list[Row] = [
        [(t(f"sessions-reminders-{key}"), SessionCb(action=SessionAction.REM, value=key))]
        for key in REMINDERS
    ]
    await state.set_state(SessionForm.reminders)
    await show(callback, View(t("sessions-ask-reminders"), (*rows, quit_row(t))))


async def got_reminders(
    callback: CallbackQuery,
    callback_data: SessionCb,
    state: FSMContext,
    bot: Bot,
    groups: GroupStore,
    group_sessions: SessionStore,
    vault: Vault,
    content: Content,
    locales: Locales,
    settings: Settings,
    clock: Clock,
    callback_answer: CallbackAnswer,
) -> None:
    """Reminders chosen: save every date and announce the series to the group."""
    data = await state.get_data()
    starts, before = datetime.fromisoformat(data["starts"]), REMINDERS[callback_data.value]
    if before and starts - timedelta(minutes=max(before)) <= clock():
        # Accepted, the first reminder would never be sent: say so and let them choose again.
        callback_answer.text = locales.get(data["lang"])("sessions-reminder-passed")
        callback_answer.show_alert = True
        return
    await state.clear()
    plan = Plan(data["title"], data["topic"], starts, data["place"], before, data["weeks"],
                data["lat"], data["lon"])
    rows = await group_sessions.add(data["group"], vault.person_key(callback.from_user.id), plan)
    t = locales.get(data["lang"])
    lines = [summary(row, content, t, settings.timezone) for row in rows]
    which = t(f"sessions-reminders-{callback_data.value}")
    lines.append(t("sessions-saved-reminders", which=which))
    view = View(t("sessions-saved", count=len(rows)) + "\n" + "\n".join(lines))
    await show(callback, view)
    group = await groups.by_id(data["group"])
    if callback.message and callback.message.chat.id != (group.chat_id if group else None):
        await announce(bot, group, view.text)


async def announce(bot: Bot, group: Group | None, text: str) -> None:
    """Tell the group about sessions set up in a private chat (in its forum topic)."""
    if group is not None:
        await bot.send_message(group.chat_id, text, message_thread_id=group.thread_id)


async def quit_form(callback: CallbackQuery, state: FSMContext, locales: Locales) -> None:
    """Cancel tapped: drop the form; nothing was saved."""
    data = await state.get_data()
    await state.clear()
    await show(callback, View(locales.get(data.get("lang", "en"))("sessions-quit")))


async def cancel_command(message: Message, state: FSMContext, t: Translator,
                         groups: GroupStore, locales: Locales) -> None:
    """/cancel in a group or during a trainer's form: stop whatever form is open."""
    data = await state.get_data()
    t = locales.get(data["lang"]) if "lang" in data else t
    if message.chat.type != ChatType.PRIVATE and "lang" not in data:
        t = group_t(await known_group(message.chat, groups), locales, t)
    had_form = await state.get_state() is not None
    await state.clear()
    await message.reply(t("sessions-quit" if had_form else "sessions-nothing-to-cancel"))


def create_router() -> Router:
    """The /session form; its steps only answer the person filling it in."""
    router = Router(name="sessions")
    router.message.register(start, groups_only, Command("session"))
    router.message.register(cancel_command, Command("cancel"))
    router.callback_query.register(
        quit_form, StateFilter(*TRAINER_STATES), SessionCb.filter(F.action == SessionAction.QUIT)
    )
    router.message.register(got_title, SessionForm.title, F.text)
    router.callback_query.register(
        got_topic, SessionForm.topic, SessionCb.filter(F.action == SessionAction.TOPIC)
    )
    router.callback_query.register(
        got_day, SessionForm.day, SessionCb.filter(F.action == SessionAction.DAY)
    )
    router.message.register(got_time, SessionForm.time, F.text)
    router.message.register(got_place, SessionForm.place, F.text | F.location | F.venue)
    router.message.register(got_pin, SessionForm.pin, F.location | F.venue)
    router.callback_query.register(
        skip_pin, SessionForm.pin, SessionCb.filter(F.action == SessionAction.PIN)
    )
    router.callback_query.register(
        got_repeat, SessionForm.repeat, SessionCb.filter(F.action == SessionAction.WEEKS)
    )
    router.callback_query.register(
        got_reminders, SessionForm.reminders, SessionCb.filter(F.action == SessionAction.REM)
    )
    return router

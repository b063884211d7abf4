"""/session in a group: one-tap defaults first, the full form when something is new.

Like the last session: same title, topic, place → next week's day and time, or a calendar day
→ weekly × 4 with reminders 24 h and 1 h before (one tap each). Something new: title → topic
→ calendar day → time → place → pin → the same plan step, where the defaults are one button.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
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
from dialogs.month import month_rows
from dialogs.screen import Row, View, reply, show
from dialogs.states import TRAINER_STATES, SessionForm
from dialogs.text import escape

WEEKS = (1, 4, 8, 12)
DEFAULT_WEEKS = 4  # a parenting group meets weekly; a month of it is the usual first plan
REMINDERS = {"24-1": (1440, 60), "1": (60,), "24": (1440,), "0": ()}
TIME = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*$")
# A moment in a button: callback data may not hold ':' (aiogram's separator).
STAMP = "%Y-%m-%dT%H.%M"


def parse_time(text: str) -> tuple[int, int] | None:
    """'18:00', '6.30' or '7h15' (Khmer digits too) as (hour, minute); None when not a time."""
    match = TIME.match(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return int(match[1]), int(match[2])


def from_stamp(text: str, zone: ZoneInfo) -> datetime | None:
    """A button's moment ('2026-12-09T18.00', local time) as an aware datetime."""
    try:
        return datetime.strptime(text, STAMP).replace(tzinfo=zone)
    except ValueError:
        return None


def local(moment: datetime, zone: ZoneInfo, t: Translator) -> str:
    """A time as people in the group read it: 07/12 18:00 (០៧/១២ ១៨:០០), in SOKH_TIMEZONE."""
    return t.day_time(moment.astimezone(zone))


def line(t: Translator, content: Content, zone: ZoneInfo, starts: datetime, title: str,
         topic_id: str, place: str) -> str:
    """One session in one line: when, title, topic and place."""
    topic = content.topic("parenting", topic_id)
    name = topic.title.get(t.language) if topic else topic_id
    return t("sessions-line", when=local(starts, zone, t), title=escape(title),
             topic=escape(name), place=escape(place))


def summary(row: GroupSession, content: Content, t: Translator, zone: ZoneInfo) -> str:
    """A stored session in one line."""
    return line(t, content, zone, row.starts_at, row.title, row.topic, row.place)


def next_like(last: datetime, now: datetime) -> datetime:
    """The same weekday and time as `last`, the first week after it that is still to come."""
    weeks = max(1, -(-(now - last) // timedelta(weeks=1)))
    moment = last + timedelta(weeks=weeks)
    return moment if moment > now else moment + timedelta(weeks=1)


def fitting_reminders(starts: datetime, now: datetime) -> str:
    """The fullest reminder choice whose first reminder is still to come."""
    return next(key for key in ("24-1", "1", "0")
                if not REMINDERS[key] or starts - timedelta(minutes=max(REMINDERS[key])) > now)


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
                admins: Admins, vault: Vault, group_sessions: SessionStore, content: Content,
                locales: Locales, t: Translator, settings: Settings) -> None:
    """/session: check the speaker may schedule, then offer last time's plan or ask a title."""
    group = await known_group(message.chat, groups)
    t = group_t(group, locales, t)
    user = message.from_user
    if user is None or not await may_schedule(bot, group, user.id, groups, admins, vault):
        await message.reply(t("sessions-not-allowed"))
        return
    if message.is_topic_message and message.message_thread_id != group.thread_id:
        await groups.set_thread(group.id, message.message_thread_id)
    await open_form(message, None, state, group, t, group_sessions, content, settings)


async def open_form(message: Message, user: User | None, state: FSMContext, group: Group,
                    t: Translator, group_sessions: SessionStore, content: Content,
                    settings: Settings) -> None:
    """Start the form for `group`: 'like last time?' when it met before, else the title.

    `user` is the trainer when `message` is the bot's own (after a tap), to mention them.
    """
    await state.set_data({"group": group.id, "lang": t.language})
    last = await group_sessions.last(group.id)
    # A topic the content no longer has cannot be copied: ask afresh.
    if last is None or content.topic("parenting", last.topic) is None:
        await state.set_state(SessionForm.title)
        await ask(message, t("sessions-ask-title"), user)
        return
    zone = settings.timezone
    await state.update_data(after=last.starts_at.isoformat(),
                            at=last.starts_at.astimezone(zone).strftime("%H.%M"),
                            last={"title": last.title, "topic": last.topic, "place": last.place,
                                  "lat": last.latitude, "lon": last.longitude})
    await state.set_state(SessionForm.like)
    text = t("sessions-ask-like", session=summary(last, content, t, zone))
    await reply(message, View(text, (
        [(t("sessions-button-like"), SessionCb(action=SessionAction.LIKE))],
        [(t("sessions-button-new"), SessionCb(action=SessionAction.NEW))],
        quit_row(t),
    )))


async def got_like(callback: CallbackQuery, state: FSMContext, locales: Locales,
                   settings: Settings, clock: Clock) -> None:
    """Same title, topic and place as last time: on to the day, next week's first."""
    data = await state.get_data()
    data = await state.update_data({**data["last"], "like": True})
    await state.set_state(SessionForm.day)
    await show(callback, day_view(locales.get(data["lang"]), data, settings.timezone, clock()))


async def got_new(callback: CallbackQuery, state: FSMContext, locales: Locales) -> None:
    """Something new: ask for the title (the last time stays offered as the hour)."""
    data = await state.get_data()
    await state.set_state(SessionForm.title)
    if isinstance(callback.message, Message):
        await callback.message.delete_reply_markup()
        await ask(callback.message, locales.get(data["lang"])("sessions-ask-title"),
                  callback.from_user)


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


async def got_topic(callback: CallbackQuery, callback_data: SessionCb, state: FSMContext,
                    locales: Locales, settings: Settings, clock: Clock) -> None:
    """Topic chosen: offer the month's days."""
    data = await state.update_data(topic=callback_data.value)
    await state.set_state(SessionForm.day)
    await show(callback, day_view(locales.get(data["lang"]), data, settings.timezone, clock()))


def day_view(t: Translator, data: dict[str, Any], zone: ZoneInfo, now: datetime,
             month: date | None = None) -> View:
    """Next week like last time (when the group met before), then a month calendar."""
    today = now.astimezone(zone).date()
    rows: list[Row] = []
    if data.get("like"):
        proposed = next_like(datetime.fromisoformat(data["after"]).astimezone(zone), now)
        rows.append([(t("sessions-button-next", when=t.when(proposed)),
                      SessionCb(action=SessionAction.NEXT, value=proposed.strftime(STAMP)))])
    rows += month_rows(
        t, month or today, today,
        day=lambda d: SessionCb(action=SessionAction.DAY, value=d.isoformat()),
        page=lambda first: SessionCb(action=SessionAction.CAL, value=f"{first:%Y-%m}"),
        inert=SessionCb(action=SessionAction.NOOP))
    return View(t("sessions-ask-day"), (*rows, quit_row(t)))


async def page_month(callback: CallbackQuery, callback_data: SessionCb, state: FSMContext,
                     locales: Locales, settings: Settings, clock: Clock) -> None:
    """‹ or ›: another month of the calendar."""
    data = await state.get_data()
    month = date.fromisoformat(f"{callback_data.value}-01")
    await show(callback, day_view(locales.get(data["lang"]), data, settings.timezone, clock(),
                                  month))


async def noop(callback: CallbackQuery) -> None:
    """A calendar's name, weekday or past-day cell: nothing to do."""


async def got_next(callback: CallbackQuery, callback_data: SessionCb, state: FSMContext,
                   content: Content, locales: Locales, settings: Settings, clock: Clock,
                   callback_answer: CallbackAnswer) -> None:
    """Next week like last time, day and hour in one tap: on to the plan."""
    data = await state.get_data()
    t, starts = locales.get(data["lang"]), from_stamp(callback_data.value, settings.timezone)
    if starts is None or starts <= clock():
        callback_answer.text, callback_answer.show_alert = t("sessions-day-passed"), True
        return
    data = await state.update_data(starts=starts.isoformat())
    await state.set_state(SessionForm.repeat)
    await show(callback, repeat_view(t, data, content, settings.timezone, clock()))


async def got_day(callback: CallbackQuery, callback_data: SessionCb, state: FSMContext,
                  locales: Locales, settings: Settings, clock: Clock,
                  callback_answer: CallbackAnswer) -> None:
    """Day chosen: ask for the time (last time's hour one tap away)."""
    data = await state.get_data()
    t, day = locales.get(data["lang"]), date.fromisoformat(callback_data.value)
    if day < clock().astimezone(settings.timezone).date():  # a calendar left open overnight
        callback_answer.text, callback_answer.show_alert = t("sessions-day-passed"), True
        return
    data = await state.update_data(day=callback_data.value)
    await state.set_state(SessionForm.time)
    at = parse_time(data.get("at", ""))
    rows: tuple[Row, ...] = ([(t.time(datetime(2000, 1, 1, *at).time()),
                               SessionCb(action=SessionAction.TIME, value=data["at"]))],) \
        if at else ()
    await show(callback, View(t("sessions-day-chosen", day=t.day_month(day)), rows))
    if isinstance(callback.message, Message):
        await ask(callback.message, t("sessions-ask-time"), callback.from_user)


async def got_time(message: Message, state: FSMContext, content: Content, locales: Locales,
                   settings: Settings, clock: Clock) -> None:
    """Time typed: check it is a future time, then ask where (or plan, the place known)."""
    data = await state.get_data()
    t, hm = locales.get(data["lang"]), parse_time(message.text or "")
    if hm is None:
        await ask(message, t("sessions-bad-time"))
        return
    starts = _starts(data, hm, settings.timezone)
    if starts <= clock():
        await ask(message, t("sessions-time-passed"))
        return
    plan = await _timed(state, starts, t, content, settings.timezone, clock())
    if plan is not None:
        await reply(message, plan)
        return
    await ask(message, t("sessions-ask-place"))


async def tapped_time(callback: CallbackQuery, callback_data: SessionCb, state: FSMContext,
                      content: Content, locales: Locales, settings: Settings, clock: Clock,
                      callback_answer: CallbackAnswer) -> None:
    """Last time's hour tapped: as if typed, answered in the tapped message."""
    data = await state.get_data()
    t, hm = locales.get(data["lang"]), parse_time(callback_data.value)
    starts = _starts(data, hm, settings.timezone) if hm else None
    if starts is None or starts <= clock():
        callback_answer.text, callback_answer.show_alert = t("sessions-time-passed"), True
        return
    plan = await _timed(state, starts, t, content, settings.timezone, clock())
    if plan is not None:
        await show(callback, plan)
        return
    await show(callback, View(t("sessions-day-chosen", day=local(starts, settings.timezone, t))))
    if isinstance(callback.message, Message):
        await ask(callback.message, t("sessions-ask-place"), callback.from_user)


async def _timed(state: FSMContext, starts: datetime, t: Translator, content: Content,
                 zone: ZoneInfo, now: datetime) -> View | None:
    """Keep the start; the plan to show when the place is known (like last time), else None
    and the form waits for the place."""
    data = await state.update_data(starts=starts.isoformat())
    if "place" not in data:
        await state.set_state(SessionForm.place)
        return None
    await state.set_state(SessionForm.repeat)
    return repeat_view(t, data, content, zone, now)


def _starts(data: dict[str, Any], hm: tuple[int, int], zone: ZoneInfo) -> datetime:
    day = date.fromisoformat(data["day"])
    return datetime(day.year, day.month, day.day, *hm, tzinfo=zone)


def repeat_view(t: Translator, data: dict[str, Any], content: Content, zone: ZoneInfo,
                now: datetime) -> View:
    """The session so far, then the plan: the defaults in one tap, or once / n weeks."""
    starts = datetime.fromisoformat(data["starts"])
    key = fitting_reminders(starts, now)
    plain = t("sessions-plan-default", weeks=t("sessions-weeks", weeks=DEFAULT_WEEKS),
              reminders=t(f"sessions-reminders-{key}"))
    row = [
        (t("sessions-weeks", weeks=n), SessionCb(action=SessionAction.WEEKS, value=str(n)))
        for n in WEEKS
    ]
    draft = line(t, content, zone, starts, data["title"], data["topic"], data["place"])
    return View(f"{draft}\n{t('sessions-ask-repeat')}", (
        [(plain, SessionCb(action=SessionAction.PLAN, value=f"{DEFAULT_WEEKS}.{key}"))],
        row, quit_row(t),
    ))


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


async def got_place(message: Message, state: FSMContext, content: Content, locales: Locales,
                    settings: Settings, clock: Clock) -> None:
    """Place typed: offer to add a location pin. A pin shared already: on to the plan."""
    pin = pin_of(message)
    data = await state.update_data({"place": place_of(message), **pin})
    t = locales.get(data["lang"])
    if pin["lat"] is not None:
        await state.set_state(SessionForm.repeat)
        await reply(message, repeat_view(t, data, content, settings.timezone, clock()))
        return
    await state.set_state(SessionForm.pin)
    skip = [(t("sessions-pin-skip"), SessionCb(action=SessionAction.PIN, value="skip"))]
    await reply(message, View(t("sessions-ask-pin"), (skip, quit_row(t))))


async def got_pin(message: Message, state: FSMContext, content: Content, locales: Locales,
                  settings: Settings, clock: Clock) -> None:
    """A location shared for the place: keep it for the reminders, then the plan."""
    data = await state.update_data(pin_of(message))
    await state.set_state(SessionForm.repeat)
    t = locales.get(data["lang"])
    await reply(message, repeat_view(t, data, content, settings.timezone, clock()))


async def skip_pin(callback: CallbackQuery, state: FSMContext, content: Content,
                   locales: Locales, settings: Settings, clock: Clock) -> None:
    """No pin: the plan, in the same message."""
    data = await state.get_data()
    await state.set_state(SessionForm.repeat)
    t = locales.get(data["lang"])
    await show(callback, repeat_view(t, data, content, settings.timezone, clock()))


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


async def got_reminders(callback: CallbackQuery, callback_data: SessionCb, state: FSMContext,
                        bot: Bot, groups: GroupStore, group_sessions: SessionStore,
                        content: Content, locales: Locales, settings: Settings, clock: Clock,
                        callback_answer: CallbackAnswer) -> None:
    """Reminders chosen after the number of weeks: save."""
    data = await state.get_data()
    await _save(callback, state, data, data["weeks"], callback_data.value, bot, groups,
                group_sessions, content, locales, settings, clock, callback_answer)


async def got_plan(callback: CallbackQuery, callback_data: SessionCb, state: FSMContext,
                   bot: Bot, groups: GroupStore, group_sessions: SessionStore, content: Content,
                   locales: Locales, settings: Settings, clock: Clock,
                   callback_answer: CallbackAnswer) -> None:
    """The defaults accepted (weeks and reminders in one button): save."""
    weeks, _, key = callback_data.value.partition(".")
    await _save(callback, state, await state.get_data(), int(weeks), key, bot, groups,
                group_sessions, content, locales, settings, clock, callback_answer)


async def _save(callback: CallbackQuery, state: FSMContext, data: dict[str, Any], weeks: int,
                key: str, bot: Bot, groups: GroupStore, group_sessions: SessionStore,
                content: Content, locales: Locales, settings: Settings, clock: Clock,
                callback_answer: CallbackAnswer) -> None:
    """Save every date and announce the series to the group, with the reminders it gets."""
    t = locales.get(data["lang"])
    starts, before = datetime.fromisoformat(data["starts"]), REMINDERS[key]
    if before and starts - timedelta(minutes=max(before)) <= clock():
        # Accepted, the first reminder would never be sent: say so and let them choose again.
        callback_answer.text, callback_answer.show_alert = t("sessions-reminder-passed"), True
        return
    await state.clear()
    plan = Plan(data["title"], data["topic"], starts, data["place"], before, weeks,
                data.get("lat"), data.get("lon"))
    rows = await group_sessions.add(data["group"], callback.from_user.id, plan)
    lines = [summary(row, content, t, settings.timezone) for row in rows]
    lines.append(t("sessions-saved-reminders", which=t(f"sessions-reminders-{key}")))
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
    on = SessionCb.filter
    router.message.register(start, groups_only, Command("session"))
    router.message.register(cancel_command, Command("cancel"))
    router.callback_query.register(
        quit_form, StateFilter(*TRAINER_STATES), on(F.action == SessionAction.QUIT))
    router.callback_query.register(got_like, SessionForm.like, on(F.action == SessionAction.LIKE))
    router.callback_query.register(got_new, SessionForm.like, on(F.action == SessionAction.NEW))
    router.message.register(got_title, SessionForm.title, F.text)
    router.callback_query.register(got_topic, SessionForm.topic,
                                   on(F.action == SessionAction.TOPIC))
    router.callback_query.register(got_next, SessionForm.day, on(F.action == SessionAction.NEXT))
    router.callback_query.register(got_day, SessionForm.day, on(F.action == SessionAction.DAY))
    router.callback_query.register(page_month, SessionForm.day, on(F.action == SessionAction.CAL))
    router.callback_query.register(noop, SessionForm.day, on(F.action == SessionAction.NOOP))
    router.message.register(got_time, SessionForm.time, F.text)
    router.callback_query.register(tapped_time, SessionForm.time,
                                   on(F.action == SessionAction.TIME))
    router.message.register(got_place, SessionForm.place, F.text | F.location | F.venue)
    router.message.register(got_pin, SessionForm.pin, F.location | F.venue)
    router.callback_query.register(skip_pin, SessionForm.pin, on(F.action == SessionAction.PIN))
    router.callback_query.register(got_plan, SessionForm.repeat,
                                   on(F.action == SessionAction.PLAN))
    router.callback_query.register(got_repeat, SessionForm.repeat,
                                   on(F.action == SessionAction.WEEKS))
    router.callback_query.register(got_reminders, SessionForm.reminders,
                                   on(F.action == SessionAction.REM))
    return router

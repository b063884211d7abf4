"""The parenting course: opt in (age, time, frequency), nudges, /pause /resume /stop."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.content.course import course_plan, tip_ref
from bot.content.i18n import Translator
from bot.content.model import AGES, Item
from bot.content.phones import services_named
from bot.content.store import Content
from bot.proactive.outbox import Outbox
from bot.proactive.quiet import QuietHours
from bot.runtime.clock import Clock
from bot.runtime.settings import Settings
from bot.storage.people import People, Profile
from bot.storage.schedules import ACTIVE, COURSE, DONE, PAUSED, Schedules, next_at_hour
from dialogs.browse import quiz_poll
from dialogs.callbacks import CourseAction, CourseCb
from dialogs.course.feedback import RATINGS, feedback, labels_for
from dialogs.hotlines import call_rows
from dialogs.menu import menu_row
from dialogs.screen import View, reply, show
from dialogs.text import escape

HOURS = ("7", "12", "19")  # morning, midday, evening: all outside the default quiet hours
EVERY = ("1", "2", "7")  # daily, every 2 days, weekly
CONTROLS = (CourseAction.PAUSE, CourseAction.RESUME, CourseAction.STOP)


def tip_view(item: Item, t: Translator, n: int, total: int, content: Content) -> View:
    """One tip of the course with call buttons for its numbers, feedback, 'next', 'pause'."""
    text = f"{t('course-tip-title', n=n, total=total)}\n\n{escape(item.text.get(t.language))}"
    ref, labels = tip_ref(item.id), labels_for(item.id)
    return View(text, (
        *call_rows(services_named(content, item.text.get(t.language)), t),
        [(t(f"{labels.button}useful"), CourseCb(action=CourseAction.USEFUL, value=ref)),
         (t(f"{labels.button}useless"), CourseCb(action=CourseAction.USELESS, value=ref))],
        [(t("course-button-next"), CourseCb(action=CourseAction.NEXT))],
        [(t("course-button-pause"), CourseCb(action=CourseAction.PAUSE))],
    ))


def done_view(t: Translator, age: str | None = None) -> View:
    """The course is finished: celebrate, and offer the course for the next age group."""
    older = AGES[AGES.index(age) + 1:] if age in AGES else ()
    offer = [[(t("course-button-next-age", age=t(f"course-age-{older[0]}")),
               CourseCb(action=CourseAction.HOUR, value=older[0]))]] if older else []
    return View(
        t("course-done"),
        (*offer, [(t("course-button-again"), CourseCb(action=CourseAction.START))], menu_row(t)),
    )


def choice_view(
    t: Translator,
    question: str,
    action: CourseAction,
    prefix: str,
    options: tuple[str, ...],
    label: str,
) -> View:
    """A question with one button per option; earlier answers ride along in the data."""
    rows = [[(t(f"{label}{o}"), CourseCb(action=action, value=f"{prefix}{o}"))] for o in options]
    return View(t(question), (*rows, menu_row(t)))


def home_view(
    t: Translator, status: str | None, zone: ZoneInfo, due: datetime | None = None
) -> View:
    """The course's own screen: an invitation, or where the person's course stands."""
    if status is None:
        return View(
            t("course-intro"),
            ([(t("course-button-start"), CourseCb(action=CourseAction.START))], menu_row(t)),
        )
    when = t.day_time(due.astimezone(zone)) if due else "-"
    toggle = (
        (CourseAction.PAUSE, "course-button-pause")
        if status == ACTIVE
        else (CourseAction.RESUME, "course-button-resume")
    )
    return View(
        t("course-status", status=status, when=when),
        (
            [(t(toggle[1]), CourseCb(action=toggle[0]))],
            [(t("course-button-change"), CourseCb(action=CourseAction.START))],
            [(t("course-button-stop"), CourseCb(action=CourseAction.STOP))],
            menu_row(t),
        ),
    )


async def open_course(
    callback: CallbackQuery,
    t: Translator,
    profile: Profile | None,
    schedules: Schedules,
    settings: Settings,
) -> None:
    """Show the course screen: join, or the person's current course."""
    row = await schedules.get(profile.key, COURSE) if profile else None
    status = row.status if row and row.status in (ACTIVE, PAUSED) else None
    await show(callback, home_view(t, status, settings.timezone, row.next_due_at if row else None))


async def ask_age(callback: CallbackQuery, t: Translator) -> None:
    """Ask the child's age group; next: the time of day."""
    await show(
        callback, choice_view(t, "course-ask-age", CourseAction.HOUR, "", AGES, "course-age-")
    )


async def ask_hour(callback: CallbackQuery, callback_data: CourseCb, t: Translator) -> None:
    """Ask the time of day; next: how often."""
    prefix = f"{callback_data.value}."
    await show(
        callback,
        choice_view(t, "course-ask-hour", CourseAction.EVERY, prefix, HOURS, "course-hour-"),
    )


async def ask_every(callback: CallbackQuery, callback_data: CourseCb, t: Translator) -> None:
    """Ask how often; next: the course starts."""
    prefix = f"{callback_data.value}."
    await show(
        callback,
        choice_view(t, "course-ask-every", CourseAction.GO, prefix, EVERY, "course-every-"),
    )


async def begin(
    callback: CallbackQuery,
    callback_data: CourseCb,
    t: Translator,
    profile: Profile | None,
    schedules: Schedules,
    people: People,
    content: Content,
    settings: Settings,
    clock: Clock,
) -> None:
    """Start the course; the first tip comes at once unless it is quiet hours, then on time."""
    # The button guard (dialogs/buttons.py) let through only an age, hour and pace it offers.
    age, hour, every = callback_data.value.split(".")
    if profile is None:
        await show(callback, View(t("settings-storage-down"), (menu_row(t),)))
        return
    now, zone = clock(), settings.timezone
    quiet = QuietHours(settings.quiet_start_hour, settings.quiet_end_hour, zone)
    # Joined at night: nothing now, the first tip at the chosen hour. Otherwise the first
    # tip now (a parent who just joined should not wait hours for it), the next one on pace.
    later = quiet.contains(now) or not isinstance(callback.message, Message)
    due = next_at_hour(now, int(hour), zone, 0 if later else int(every))
    await schedules.replace(
        profile.key, COURSE, age=age, hour=int(hour), every_days=int(every), next_due_at=due
    )
    when = t.day_time(due.astimezone(zone))
    said = "course-started" if later else "course-started-now"
    await show(callback, View(t(said, when=when), (menu_row(t),)))
    if not later and isinstance(callback.message, Message):
        await send_next(callback.message, profile.key, age, 0, t, schedules, people, content)


async def control(
    action: str,
    profile: Profile | None,
    schedules: Schedules,
    outbox: Outbox,
    zone: ZoneInfo,
    clock: Clock,
) -> str:
    """Pause, resume or stop a person's course; return the id of the text to answer with."""
    row = await schedules.get(profile.key, COURSE) if profile else None
    if profile is None or row is None or row.status not in (ACTIVE, PAUSED):
        return "course-none"
    if action == "resume":
        due = next_at_hour(clock(), row.hour, zone)
        await schedules.change(profile.key, COURSE, status=ACTIVE, next_due_at=due)
        return "course-resumed"
    # A tip already queued must not arrive after the person said pause or stop.
    await outbox.cancel_person(profile.key, COURSE)
    if action == "pause":
        await schedules.change(profile.key, COURSE, status=PAUSED)
        return "course-paused"
    await schedules.remove(profile.key, COURSE)
    return "course-stopped"


def control_view(t: Translator, said: str) -> View:
    """What changed, with the way to undo a pause."""
    rows = (
        [[(t("course-button-resume"), CourseCb(action=CourseAction.RESUME))]]
        if said == "course-paused"
        else []
    )
    return View(t(said), (*rows, menu_row(t)))


async def control_command(
    message: Message,
    t: Translator,
    profile: Profile | None,
    schedules: Schedules,
    outbox: Outbox,
    settings: Settings,
    clock: Clock,
) -> None:
    """Handle /pause, /resume and /stop for the course."""
    action = (message.text or "/").split()[0].lstrip("/").split("@")[0]
    said = await control(action, profile, schedules, outbox, settings.timezone, clock)
    await reply(message, control_view(t, said))


async def control_button(
    callback: CallbackQuery,
    callback_data: CourseCb,
    t: Translator,
    profile: Profile | None,
    schedules: Schedules,
    outbox: Outbox,
    settings: Settings,
    clock: Clock,
) -> None:
    """Pause, resume or stop from a button; the tip above stays readable."""
    said = await control(callback_data.action, profile, schedules, outbox, settings.timezone, clock)
    if isinstance(callback.message, Message):
        await reply(callback.message, control_view(t, said))


async def next_now(
    callback: CallbackQuery,
    t: Translator,
    profile: Profile | None,
    schedules: Schedules,
    people: People,
    content: Content,
    callback_answer: CallbackAnswer,
) -> None:
    """Send the next tip at once, as if it were due now."""
    row = await schedules.get(profile.key, COURSE) if profile else None
    if profile is None or row is None or not isinstance(callback.message, Message):
        callback_answer.text = t("course-none")
        return
    await send_next(callback.message, profile.key, row.age, row.step, t, schedules, people,
                    content)


async def send_next(
    message: Message, key: str, age: str | None, step: int, t: Translator,
    schedules: Schedules, people: People, content: Content,
) -> None:
    """Send tip `step` now and move the course on; a theme's quiz follows its last tip."""
    plan = course_plan(content, age)
    item = content.item(plan.items[step]) if step < len(plan.items) else None
    if item is None:
        await schedules.change(key, COURSE, status=DONE)
        await reply(message, done_view(t, age))
        return
    await schedules.change(key, COURSE, step=step + 1)
    await reply(message, tip_view(item, t, step + 1, len(plan.items), content))
    await people.record_delivery(key, content.version, item.id)
    quiz = content.quiz(plan.quizzes.get(step, ""))
    if quiz is not None:  # asked for at once, so sent at once rather than through the outbox
        await message.answer_poll(**quiz_poll(quiz, t.language))
        await people.record_delivery(key, content.version, quiz.id)


def create_router() -> Router:
    """The course flow's handlers, in the order they are tried."""
    router = Router(name="course")
    router.message.register(control_command, Command("pause", "resume", "stop"))
    on = CourseCb.filter
    router.callback_query.register(open_course, on(F.action == CourseAction.HOME))
    router.callback_query.register(ask_age, on(F.action == CourseAction.START))
    router.callback_query.register(ask_hour, on(F.action == CourseAction.HOUR))
    router.callback_query.register(ask_every, on(F.action == CourseAction.EVERY))
    router.callback_query.register(begin, on(F.action == CourseAction.GO))
    router.callback_query.register(control_button, on(F.action.in_(CONTROLS)))
    router.callback_query.register(feedback, on(F.action.in_(RATINGS)))
    router.callback_query.register(next_now, on(F.action == CourseAction.NEXT))
    return router

"""The travel countdown: destination, date (calendar or typed), change, cancel, check-in."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.content.i18n import Translator
from bot.content.store import Content
from bot.proactive.countdown import next_step
from bot.proactive.outbox import Outbox
from bot.runtime.clock import Clock
from bot.runtime.settings import Settings
from bot.storage.people import Profile
from bot.storage.schedules import ACTIVE, TRAVEL, Schedules
from dialogs.callbacks import TravelAction, TravelCb
from dialogs.menu import menu_row
from dialogs.screen import View, reply, show
from dialogs.states import TravelForm
from dialogs.travel.dates import parse_date
from dialogs.travel.views import (
    calendar_view,
    country,
    destination_view,
    status_view,
)

FURTHEST = timedelta(days=730)


def _today(clock: Clock, settings: Settings) -> date:
    return clock().astimezone(settings.timezone).date()


async def open_travel(callback: CallbackQuery, t: Translator, profile: Profile | None,
                      schedules: Schedules, content: Content, clock: Clock,
                      settings: Settings) -> None:
    """Show the saved countdown, or ask where the person is going."""
    row = await schedules.get(profile.key, TRAVEL) if profile else None
    if row is None or row.status != ACTIVE or row.travel_date is None:
        await show(callback, destination_view(content, t))
        return
    place = country(content, row.destination or "", t)
    next_on = _local_day(row.next_due_at, settings)
    await show(callback, status_view(t, content, place, row.travel_date,
                                     _today(clock, settings), row.step, next_on,
                                     "travel-status"))


def _local_day(moment: datetime | None, settings: Settings) -> date | None:
    return moment.astimezone(settings.timezone).date() if moment else None


async def change(callback: CallbackQuery, t: Translator, content: Content) -> None:
    """Start again from the destination."""
    await show(callback, destination_view(content, t))


async def choose_destination(callback: CallbackQuery, callback_data: TravelCb, t: Translator,
                             state: FSMContext, clock: Clock, settings: Settings) -> None:
    """Remember the destination; next: the date, tapped or typed."""
    await state.set_state(TravelForm.date)
    await state.update_data(dest=callback_data.value)
    today = _today(clock, settings)
    await show(callback, calendar_view(t, callback_data.value, today.replace(day=1), today))


async def page_month(callback: CallbackQuery, callback_data: TravelCb, t: Translator,
                     clock: Clock, settings: Settings) -> None:
    """Show another month of the calendar."""
    code, _, month = callback_data.value.partition(".")
    first = date.fromisoformat(f"{month}-01")
    await show(callback, calendar_view(t, code, first, _today(clock, settings)))


async def tapped_day(callback: CallbackQuery, callback_data: TravelCb, t: Translator,
                     profile: Profile | None, schedules: Schedules, outbox: Outbox,
                     content: Content, state: FSMContext, clock: Clock,
                     settings: Settings) -> None:
    """Save the tapped date."""
    code, _, day = callback_data.value.partition(".")
    view = await save(date.fromisoformat(day), code, t, profile, schedules, outbox, content,
                      clock, settings)
    if view.text != t("travel-date-past"):  # a day gone stale at midnight: typing still works
        await state.clear()
    await show(callback, view)


async def typed_date(message: Message, t: Translator, profile: Profile | None,
                     schedules: Schedules, outbox: Outbox, content: Content, state: FSMContext,
                     clock: Clock, settings: Settings) -> None:
    """Read a typed date (English or Khmer, Khmer digits too) and save it."""
    when = parse_date(message.text or "")
    if when is None:
        await reply(message, View(t("travel-date-unknown"), (menu_row(t),)))
        return
    code = str((await state.get_data()).get("dest", ""))
    view = await save(when, code, t, profile, schedules, outbox, content, clock, settings)
    if view.text != t("travel-date-past"):
        await state.clear()
    await reply(message, view)


async def save(when: date, code: str, t: Translator, profile: Profile | None,
               schedules: Schedules, outbox: Outbox, content: Content, clock: Clock,
               settings: Settings) -> View:
    """Refuse past or far dates kindly; otherwise (re)schedule the countdown."""
    today = _today(clock, settings)
    if when < today:
        return View(t("travel-date-past"), (menu_row(t),))
    if when > today + FURTHEST or profile is None:
        return View(t("travel-date-far" if profile else "settings-storage-down"), (menu_row(t),))
    step, due = next_step(when, 0, clock(), settings.timezone)
    # Reminders already queued for an old date must not arrive.
    await outbox.cancel_person(profile.key, TRAVEL)
    await schedules.replace(profile.key, TRAVEL, destination=code, travel_date=when, step=step,
                            next_due_at=due)
    return status_view(t, content, country(content, code, t), when, today, step,
                       _local_day(due, settings))


async def cancel(callback: CallbackQuery, t: Translator, profile: Profile | None,
                 schedules: Schedules, outbox: Outbox) -> None:
    """Cancel the countdown and anything it had queued."""
    if profile is not None:
        await outbox.cancel_person(profile.key, TRAVEL)
        await schedules.remove(profile.key, TRAVEL)
    await show(callback, View(t("travel-cancelled"), (menu_row(t),)))


async def arrived_safely(callback: CallbackQuery, t: Translator) -> None:
    """Thank the person for letting us know they arrived."""
    await show(callback, View(t("travel-safe-thanks"), (menu_row(t),)))


async def noop(callback: CallbackQuery) -> None:
    """Inert calendar cells: nothing to do."""


def create_router() -> Router:
    """The travel flow's handlers, in the order they are tried."""
    router = Router(name="travel")
    on = TravelCb.filter
    router.callback_query.register(open_travel, on(F.action == TravelAction.HOME))
    router.callback_query.register(change, on(F.action == TravelAction.CHANGE))
    router.callback_query.register(choose_destination, on(F.action == TravelAction.DEST))
    router.callback_query.register(page_month, on(F.action == TravelAction.CAL))
    router.callback_query.register(tapped_day, on(F.action == TravelAction.DAY))
    router.callback_query.register(cancel, on(F.action == TravelAction.CANCEL))
    router.callback_query.register(arrived_safely, on(F.action == TravelAction.SAFE))
    router.callback_query.register(noop, on(F.action == TravelAction.NOOP))
    router.message.register(typed_date, StateFilter(TravelForm.date), F.text)
    return router

"""/sessions in a group: what is coming, with buttons to edit, move or cancel one date."""

from __future__ import annotations

import re
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, ForceReply, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.content.i18n import Locales, Translator
from bot.content.store import Content
from bot.runtime.clock import Clock
from bot.runtime.settings import Settings
from bot.storage.group_sessions import SCHEDULED, SessionStore
from bot.storage.groups import GroupStore
from bot.storage.models import Group
from bot.storage.vault import Vault
from dialogs.callbacks import SessionAction, SessionCb
from dialogs.groups import session_edit
from dialogs.groups.membership import Admins, group_t, groups_only, known_group, may_schedule
from dialogs.groups.session_form import ask, local, parse_time, summary
from dialogs.screen import Row, View, show
from dialogs.states import MoveForm

# The buttons under each listed session, in this order; each has a `sessions-<action>` label.
ROW_ACTIONS = (SessionAction.EDIT, SessionAction.MOVE, SessionAction.CANCEL)
WHEN = re.compile(r"^\s*(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\s+(\S+)\s*$")


async def listing(group: Group, group_sessions: SessionStore, content: Content,
                  t: Translator, settings: Settings) -> View:
    """The group's coming sessions, numbered, with edit, move and cancel buttons for each."""
    rows = await group_sessions.upcoming(group.id)
    if not rows:
        return View(t("sessions-none"))
    lines = [f"{n}. " + summary(r, content, t, settings.timezone) for n, r in enumerate(rows, 1)]
    buttons: list[Row] = [[(t(f"sessions-{action}", n=n), SessionCb(action=action, value=str(r.id)))
                           for action in ROW_ACTIONS]
                          for n, r in enumerate(rows, 1)]
    return View(t("sessions-coming") + "\n" + "\n".join(lines), tuple(buttons))


async def show_list(message: Message, groups: GroupStore, group_sessions: SessionStore,
                    content: Content, locales: Locales, t: Translator, settings: Settings) -> None:
    """/sessions: list what is coming in this group."""
    group = await known_group(message.chat, groups)
    view = await listing(group, group_sessions, content, group_t(group, locales, t), settings)
    await message.answer(view.text, reply_markup=view.markup())


async def _allowed(callback: CallbackQuery, bot: Bot, groups: GroupStore, admins: Admins,
                   vault: Vault) -> Group | None:
    chat = callback.message.chat if callback.message else None
    group = await groups.get(chat.id) if chat else None
    if group is None or not await may_schedule(bot, group, callback.from_user.id, groups,
                                               admins, vault):
        return None
    return group


async def cancel(callback: CallbackQuery, callback_data: SessionCb, bot: Bot, groups: GroupStore,
                 admins: Admins, vault: Vault, group_sessions: SessionStore, content: Content,
                 locales: Locales, t: Translator, settings: Settings,
                 callback_answer: CallbackAnswer) -> None:
    """Cancel one date and announce it to the group."""
    group = await _allowed(callback, bot, groups, admins, vault)
    row = await group_sessions.get(int(callback_data.value))
    if group is None or row is None or row.group_id != group.id or row.status != SCHEDULED:
        callback_answer.text = t("sessions-not-allowed")
        return
    t = group_t(group, locales, t)
    await group_sessions.cancel(row.id)
    await show(callback, await listing(group, group_sessions, content, t, settings))
    if isinstance(callback.message, Message):
        await callback.message.answer(
            t("sessions-cancelled", session=summary(row, content, t, settings.timezone)))


async def move(callback: CallbackQuery, callback_data: SessionCb, state: FSMContext, bot: Bot,
               groups: GroupStore, admins: Admins, vault: Vault, locales: Locales,
               t: Translator, callback_answer: CallbackAnswer) -> None:
    """Ask for the new date and time of one session."""
    group = await _allowed(callback, bot, groups, admins, vault)
    if group is None or not isinstance(callback.message, Message):
        callback_answer.text = t("sessions-not-allowed")
        return
    t = group_t(group, locales, t)
    await state.set_state(MoveForm.when)
    await state.set_data({"session": int(callback_data.value), "lang": t.language})
    await ask(callback.message, t("sessions-ask-when"), callback.from_user)


def parse_when(text: str, now: datetime, settings: Settings) -> datetime | None:
    """'14/12 18:00' (or '14/12/2027 18:00') in SOKH_TIMEZONE; None when unreadable."""
    match, zone = WHEN.match(text), settings.timezone
    hm = parse_time(match[4]) if match else None
    if match is None or hm is None:
        return None
    year = int(match[3]) if match[3] else now.astimezone(zone).year
    try:
        moment = datetime(year, int(match[2]), int(match[1]), *hm, tzinfo=zone)
    except ValueError:
        return None
    return moment if match[3] or moment > now else moment.replace(year=year + 1)


async def got_when(message: Message, state: FSMContext, group_sessions: SessionStore,
                   content: Content, locales: Locales, settings: Settings, clock: Clock) -> None:
    """New time typed: move the session and announce it."""
    data = await state.get_data()
    t, now = locales.get(data["lang"]), clock()
    moment = parse_when(message.text or "", now, settings)
    row = await group_sessions.get(data["session"])
    if moment is None or moment <= now:
        await message.reply(t("sessions-bad-when"), reply_markup=ForceReply(selective=True))
        return
    await state.clear()
    if row is None:
        return
    await group_sessions.move(row, moment)
    await message.answer(t("sessions-moved", session=summary(row, content, t, settings.timezone),
                           when=local(moment, settings.timezone, t)))


async def not_yours(callback: CallbackQuery, t: Translator,
                    callback_answer: CallbackAnswer) -> None:
    """A form button of someone else's form, or an old one: change nothing."""
    callback_answer.text = t("sessions-not-your-form")


def create_router() -> Router:
    """The list and its buttons, the edit form; last, a catch-all for stale form buttons."""
    router = Router(name="session-list")
    router.message.register(show_list, groups_only, Command("sessions"))
    router.callback_query.register(cancel, SessionCb.filter(F.action == SessionAction.CANCEL))
    router.callback_query.register(move, SessionCb.filter(F.action == SessionAction.MOVE))
    router.message.register(got_when, MoveForm.when, F.text)
    # Sub-routers see an update only after this router's own handlers passed on it.
    stale = Router(name="session-stale-buttons")
    stale.callback_query.register(not_yours, SessionCb.filter())
    router.include_routers(session_edit.create_router(), stale)
    return router

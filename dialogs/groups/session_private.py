"""/session in a private chat: the trainer picks one of their groups, then the same form."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.content.i18n import Locales, Translator
from bot.content.store import Content
from bot.runtime.settings import Settings
from bot.storage.group_sessions import SessionStore
from bot.storage.groups import ACTIVE, GroupStore
from bot.storage.vault import Vault
from dialogs.callbacks import SessionAction, SessionCb
from dialogs.groups.membership import Admins, group_t, may_schedule
from dialogs.groups.session_form import open_form
from dialogs.screen import Row, View, reply
from dialogs.text import escape


async def pick_group(message: Message, groups: GroupStore, vault: Vault, t: Translator) -> None:
    """/session in private: offer the groups this person trains, or explain where to start."""
    if message.from_user is None:
        return
    mine = await groups.of_trainer(vault.role_key(message.from_user.id))
    if not mine:
        await message.answer(t("sessions-in-group"))
        return
    rows: list[Row] = [
        [(escape(g.title) or "…", SessionCb(action=SessionAction.GROUP, value=str(g.id)))]
        for g in mine
    ]
    await reply(message, View(t("sessions-pick-group"), tuple(rows)))


async def chose_group(
    callback: CallbackQuery,
    callback_data: SessionCb,
    state: FSMContext,
    bot: Bot,
    groups: GroupStore,
    admins: Admins,
    vault: Vault,
    locales: Locales,
    t: Translator,
    group_sessions: SessionStore,
    content: Content,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    """A group picked: check the right to schedule there again, then the form's first step."""
    group = await groups.by_id(int(callback_data.value))
    user = callback.from_user
    if (
        group is None
        or group.status != ACTIVE
        or not isinstance(callback.message, Message)
        or not await may_schedule(bot, group, user.id, groups, admins, vault)
    ):
        callback_answer.text = t("sessions-not-allowed")
        return
    await open_form(callback.message, user, state, group, group_t(group, locales, t),
                    group_sessions, content, settings)


def create_router() -> Router:
    """Private /session: choose the group; the form's own router does the rest."""
    router = Router(name="session-private")
    router.message.register(pick_group, F.chat.type == ChatType.PRIVATE, Command("session"))
    router.callback_query.register(
        chose_group,
        F.message.chat.type == ChatType.PRIVATE,
        SessionCb.filter(F.action == SessionAction.GROUP),
    )
    return router

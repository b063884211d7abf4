"""Sokh in a trainer's group: joining, the group's language, who may schedule, upgrades."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Chat, ChatMemberUpdated, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.content.i18n import LANGUAGES, Locales, Translator
from bot.content.store import Content
from bot.storage.groups import ACTIVE, PAUSED, GroupStore
from bot.storage.models import Group
from bot.storage.profile_cache import TTLCache
from bot.storage.vault import Vault
from dialogs.callbacks import GroupAction, GroupCb
from dialogs.screen import View, show
from dialogs.text import escape

log = logging.getLogger(__name__)
groups_only = F.chat.type.in_({ChatType.GROUP, ChatType.SUPERGROUP})
PRESENT = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR}
GONE = {ChatMemberStatus.LEFT, ChatMemberStatus.KICKED}
# Admin lists change rarely; a minute of staleness saves a request per command.
ADMINS_TTL_S = 60.0
LANGUAGE_LABELS = {"km": "ខ្មែរ", "en": "English"}


class Admins:
    """getChatAdministrators per group, cached briefly in memory (never stored)."""

    def __init__(self, ttl_s: float = ADMINS_TTL_S) -> None:
        self._cache: TTLCache[frozenset[int]] = TTLCache(ttl_s)

    async def ids(self, bot: Bot, chat_id: int) -> frozenset[int]:
        """The user ids of the group's creator and administrators."""
        found = self._cache.get(str(chat_id))
        if found is None:
            members = await bot.get_chat_administrators(chat_id)
            found = frozenset(m.user.id for m in members)
            self._cache.put(str(chat_id), found)
        return found


def group_t(group: Group | None, locales: Locales, fallback: Translator) -> Translator:
    """The group's chosen language, or the speaker's until an admin chooses."""
    return locales.get(group.language) if group and group.language else fallback


async def known_group(chat: Chat, groups: GroupStore) -> Group:
    """The group, registered on first use (the bot may predate this feature in it)."""
    group = await groups.get(chat.id)
    if group is None or group.status != ACTIVE:
        group = await groups.join(chat.id, chat.title or "")
    return group


async def may_schedule(bot: Bot, group: Group, user_id: int, groups: GroupStore,
                       admins: Admins, vault: Vault) -> bool:
    """Admins of the group and the trainers they named may schedule."""
    if user_id in await admins.ids(bot, group.chat_id):
        return True
    return await groups.is_trainer(group.id, vault.person_key(user_id))


def language_choice(locales: Locales) -> View:
    """The first message in a group: both languages, and a button for each."""
    text = "\n\n".join(locales.get(lang)("groups-hello") for lang in LANGUAGES)
    row = [
        (LANGUAGE_LABELS[lang], GroupCb(action=GroupAction.LANG, value=lang)) for lang in LANGUAGES
    ]
    return View(text, (row,))


async def added(event: ChatMemberUpdated, groups: GroupStore, locales: Locales, bot: Bot) -> None:
    """The bot joined a group: remember it and ask an admin for the group's language."""
    await groups.join(event.chat.id, event.chat.title or "")
    view = language_choice(locales)
    await bot.send_message(event.chat.id, view.text, reply_markup=view.markup())


async def removed(event: ChatMemberUpdated, groups: GroupStore) -> None:
    """The bot left or was removed: pause the group's reminders until it is back."""
    await groups.set_status(event.chat.id, PAUSED)
    log.info("bot removed from a group; its schedules are paused")


async def choose_language(
    callback: CallbackQuery,
    callback_data: GroupCb,
    bot: Bot,
    groups: GroupStore,
    admins: Admins,
    locales: Locales,
    callback_answer: CallbackAnswer,
) -> None:
    """An admin picked the group's language: explain what Sokh does, in it."""
    chat = callback.message.chat if callback.message else None
    t = locales.get(callback_data.value)
    if (
        chat is None
        or callback_data.value not in LANGUAGES
        or callback.from_user.id not in await admins.ids(bot, chat.id)
    ):
        callback_answer.text, callback_answer.show_alert = t("groups-admins-only"), True
        return
    group = await known_group(chat, groups)
    await groups.set_language(group.id, callback_data.value)
    await show(callback, View(t("groups-intro")))


async def setup(
    message: Message, bot: Bot, groups: GroupStore, admins: Admins, locales: Locales, t: Translator
) -> None:
    """/setup: an admin shows the language choice again."""
    group = await known_group(message.chat, groups)
    user = message.from_user
    if user is None or user.id not in await admins.ids(bot, group.chat_id):
        await message.reply(group_t(group, locales, t)("groups-admins-only"))
        return
    view = language_choice(locales)
    await message.answer(view.text, reply_markup=view.markup())


async def name_trainer(
    message: Message,
    bot: Bot,
    groups: GroupStore,
    admins: Admins,
    vault: Vault,
    locales: Locales,
    t: Translator,
) -> None:
    """/trainer in reply to someone's message: an admin lets them schedule sessions."""
    group = await known_group(message.chat, groups)
    t = group_t(group, locales, t)
    speaker = message.from_user
    if speaker is None or speaker.id not in await admins.ids(bot, group.chat_id):
        await message.reply(t("groups-admins-only"))
        return
    target = message.reply_to_message.from_user if message.reply_to_message else None
    if target is None or target.is_bot:
        await message.reply(t("groups-trainer-how"))
        return
    await groups.add_trainer(group.id, vault.person_key(target.id))
    await message.reply(t("groups-trainer-added", name=escape(target.first_name)))


async def group_help(message: Message, groups: GroupStore, content: Content,
                     locales: Locales, t: Translator) -> None:
    """/help in a group: the group's commands, and one line with the national child line."""
    t = group_t(await known_group(message.chat, groups), locales, t)
    lines = [t("groups-intro")]
    national = content.services(emergency_only=True)[:1]
    lines += [t("groups-help-hotline", name=s.name.get(t.language), phone=s.phone)
              for s in national]
    await message.reply("\n\n".join(lines))


async def migrated(message: Message, groups: GroupStore) -> None:
    """The group became a supergroup: its sessions follow it to the new chat id."""
    if message.migrate_to_chat_id is not None:
        await groups.migrate(message.chat.id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id is not None:
        await groups.migrate(message.migrate_from_chat_id, message.chat.id)


def create_router() -> Router:
    """Group membership, set-up and trainer handlers; before the fallback."""
    router = Router(name="groups")
    router.my_chat_member.register(
        added,
        groups_only,
        F.new_chat_member.status.in_(PRESENT),
        F.old_chat_member.status.in_(GONE),
    )
    router.my_chat_member.register(removed, groups_only, F.new_chat_member.status.in_(GONE))
    router.callback_query.register(choose_language, GroupCb.filter(F.action == GroupAction.LANG))
    router.message.register(migrated, F.migrate_to_chat_id | F.migrate_from_chat_id)
    router.message.register(setup, groups_only, Command("setup"))
    router.message.register(name_trainer, groups_only, Command("trainer"))
    router.message.register(group_help, groups_only, Command("help"))
    return router

"""The counsellors' forum: a topic per case, take, reply, /close and /queue.

Only members of COUNSELLOR_CHAT_ID act on cases (getChatMember, cached briefly); anything
else is left to the fallback router. Counsellors see an alias, never who the person is:
messages are copied or re-sent, never forwarded.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from aiogram import Bot, F, Router
from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.content.i18n import Locales, Translator
from bot.runtime.clock import Clock
from bot.runtime.settings import Settings
from bot.storage.cases import TAKEN, CaseInfo, Cases
from dialogs.callbacks import TakeCb
from dialogs.counsellor import notes, retention
from dialogs.counsellor.mail import CaseMail
from dialogs.counsellor.relay import counsellor_view
from dialogs.text import escape

__all__ = ["counsellor_view"]  # reveal.py shows a counsellor's line the same way

log = logging.getLogger(__name__)
MEMBER_CACHE_S = 60.0
ACTIVE = {ChatMemberStatus.CREATOR, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER}
# Telegram allows 4096 characters of text and 1024 of caption; the neutral first line and
# 'Counsellor:' take up to ~60 in either language, so counsellors get this much.
RELAY_TEXT_MAX, RELAY_CAPTION_MAX = 4000, 950


class Counsellors(Filter):
    """Filter: the update comes from a current member of the counsellors' group."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[bool, float]] = {}

    async def __call__(self, event: Message | CallbackQuery, bot: Bot, settings: Settings) -> bool:
        chat = event.chat if isinstance(event, Message) else getattr(event.message, "chat", None)
        if chat is None or chat.id not in settings.counsellor_chats or event.from_user is None:
            return False
        return await self._is_member(bot, chat.id, event.from_user.id)

    async def _is_member(self, bot: Bot, chat_id: int, user_id: int) -> bool:
        cached = self._seen.get(user_id)
        if cached and time.monotonic() - cached[1] < MEMBER_CACHE_S:
            return cached[0]
        member = await bot.get_chat_member(chat_id, user_id)
        allowed = member.status in ACTIVE
        self._seen[user_id] = (allowed, time.monotonic())
        return allowed


def staff(locales: Locales, settings: Settings) -> Translator:
    """The counsellors' language, whatever the person speaks."""
    return locales.get(settings.counsellor_language)


def forum_of(settings: Settings, case: CaseInfo) -> int:
    """The counsellors' group that holds a case (the first one for cases from before)."""
    return case.forum_id if case.forum_id is not None else settings.counsellor_chats[0]


async def open_topic(bot: Bot, settings: Settings, locales: Locales, cases: Cases,
                     case_mail: CaseMail, case: CaseInfo,
                     first: Message | None = None) -> tuple[CaseInfo, bool] | None:
    """Create the case's topic; queue its how-to note with Take, her first message if she
    agreed, and an urgent case's note in General.

    Returns None when the group refused (the case is closed), else the case with its topic
    and whether `first` was passed on.
    """
    chat_id, t = forum_of(settings, case), staff(locales, settings)
    name = t("counsellor-topic-urgent" if case.urgent else "counsellor-topic", alias=case.alias)
    try:
        topic = await bot.create_forum_topic(chat_id, name)
    except TelegramAPIError:
        # Misconfigured group (not a forum, bot not an admin): be honest, keep nothing.
        log.error("cannot create a topic in the counsellors' group: check COUNSELLOR_CHAT_ID")
        await cases.close(case.id, 0, keep_transcript=False)
        return None
    await cases.set_topic(case.id, topic.message_thread_id)
    case = replace(case, topic_id=topic.message_thread_id)
    await case_mail.note(case, chat_id, "intro", notes.intro_view(t, case).text, take=True)
    if first is not None:  # queued like any of her messages: it gets the 👌 when delivered
        await cases.record(case, "person", transcript_text(first))
        await case_mail.from_person(case, chat_id, first, None)
    if case.urgent:
        announce = t("counsellor-urgent-announce", alias=case.alias)
        await case_mail.note(case, chat_id, "announce", announce, thread=False)
    return case, first is not None


def transcript_text(message: Message) -> str:
    """What the transcript keeps of a message: its text, or the kind of media."""
    return message.text or message.caption or f"[{message.content_type}]"


def _too_long(message: Message) -> bool:
    """True when the neutral line and 'Counsellor:' would push it past Telegram's limits."""
    if message.text is not None:
        return len(message.text) > RELAY_TEXT_MAX
    return len(message.caption or "") > RELAY_CAPTION_MAX


async def take_case(callback: CallbackQuery, callback_data: TakeCb, bot: Bot, cases: Cases,
                    locales: Locales, settings: Settings, callback_answer: CallbackAnswer,
                    case_mail: CaseMail) -> None:
    """Give the case to this counsellor; a second counsellor is told it is taken."""
    t = staff(locales, settings)
    case = await cases.get(callback_data.case)
    if case is None or not await cases.take(case.id, callback.from_user.id):
        callback_answer.text, callback_answer.show_alert = t("counsellor-already-taken"), True
        return
    intro = callback.message if isinstance(callback.message, Message) else None
    await notes.mark_taken(bot, forum_of(settings, case), t, case,
                           escape(callback.from_user.full_name), intro)
    seq = callback.message.message_id if callback.message else 0
    await case_mail.to_person(case, seq, "joined", {"k": "joined"})
    log.info("case %s taken", case.alias)


async def counsellor_reply(message: Message, cases: Cases, locales: Locales,
                           settings: Settings, case_mail: CaseMail) -> None:
    """Queue a counsellor's message in a case topic for the person, in order."""
    case = await cases.by_topic(message.chat.id, message.message_thread_id or 0)
    if case is None or case.status == "closed" or message.from_user is None:
        return
    t = staff(locales, settings)
    if case.status != TAKEN or case.counsellor_id != message.from_user.id:
        await message.reply(t("counsellor-take-first"))
        return
    if _too_long(message):
        await message.reply(t("counsellor-too-long", most=RELAY_TEXT_MAX,
                              most_caption=RELAY_CAPTION_MAX))
        return
    # Recorded first: a fully neutral notification's Read button names the line by its id.
    line = await cases.record(case, "counsellor", transcript_text(message))
    await cases.note_forum(case.id, message.message_id)  # retention deletes it with the case
    words = message.text if message.text is not None else message.caption
    payload = {"k": "reply", "forum": message.chat.id, "th": case.topic_id, "line": line,
               "msg": message.message_id, "kind": message.content_type}
    if words:
        payload["sealed"] = case_mail.seal(case, words)
    await case_mail.to_person(case, message.message_id, "msg", payload)


async def queue_command(message: Message, cases: Cases, locales: Locales, settings: Settings,
                        clock: Clock) -> None:
    """List the cases no one has taken yet, urgent first."""
    t, now = staff(locales, settings), clock()
    lines = [t("counsellor-queue-line", alias=c.alias, urgent=str(c.urgent).lower(),
               minutes=int((now - c.opened_at).total_seconds() // 60))
             for c in await cases.waiting() if forum_of(settings, c) == message.chat.id]
    await message.answer("\n".join([t("counsellor-queue-title"), *lines]) if lines
                         else t("counsellor-queue-empty"))


async def not_a_counsellor(callback: CallbackQuery) -> None:
    """Someone outside the counsellors' group: change nothing, say nothing."""


async def close_case(message: Message, bot: Bot, cases: Cases, locales: Locales,
                     settings: Settings, fsm_storage: BaseStorage, case_mail: CaseMail) -> None:
    """End the case: tell both sides, close the topic, offer the person a rating."""
    t = staff(locales, settings)
    case = await cases.by_topic(message.chat.id, message.message_thread_id or 0)
    if case is None or case.status == "closed" or message.from_user is None:
        await message.answer(t("counsellor-no-case-here"))
        return
    days = settings.case_retention_days
    queued = await cases.close(case.id, message.from_user.id, days > 0, message.chat.id)
    if queued is None:  # a second /close raced this one
        return
    await _end_person_state(bot, fsm_storage, case.chat_id)
    # Queued behind the counsellor's last messages, so the person reads them first.
    await case_mail.to_person(case, message.message_id, "closed", {"k": "closed"})
    if queued:  # zero retention: the topic goes now (retried by the cleanup job if not)
        await retention.clean(bot, cases.cleanups, queued)
        await notes.patiently(lambda: bot.send_message(
            message.chat.id, t("counsellor-case-closed-deleted", alias=case.alias)))
    else:
        await notes.patiently(lambda: message.answer(
            t("counsellor-case-closed", alias=case.alias, days=days)))
        await bot.close_forum_topic(message.chat.id, case.topic_id or 0)
    log.info("case %s closed", case.alias)


async def _end_person_state(bot: Bot, storage: BaseStorage, chat_id: int) -> None:
    # In a private chat the user id is the chat id.
    key = StorageKey(bot_id=bot.id, chat_id=chat_id, user_id=chat_id)
    await FSMContext(storage=storage, key=key).clear()


def create_router() -> Router:
    """The forum side: every handler behind the counsellors' membership check."""
    router = Router(name="cases")
    members = Counsellors()
    router.callback_query.register(take_case, TakeCb.filter(), members)
    router.callback_query.register(not_a_counsellor, TakeCb.filter())
    router.message.register(queue_command, Command("queue"), members)
    router.message.register(close_case, Command("close"), members)
    router.message.register(counsellor_reply, F.message_thread_id, ~F.text.startswith("/"),
                            members)
    return router

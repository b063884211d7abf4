"""The counsellors' forum: a topic per case, take, reply, /close and /queue.

Only members of COUNSELLOR_CHAT_ID act on cases (getChatMember, cached briefly); anything
else is left to the fallback router. Counsellors see an alias, never who the person is:
messages are copied or re-sent, never forwarded.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from aiogram import Bot, F, Router
from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.filters import Command, Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.content.i18n import Locales, Translator
from bot.language.risk import RiskDetector
from bot.runtime.clock import Clock
from bot.runtime.settings import Settings
from bot.storage.cases import TAKEN, CaseInfo, Cases
from bot.storage.people import People
from bot.storage.vault import Vault
from dialogs.callbacks import ReadCb, TakeCb
from dialogs.counsellor import notes, retention
from dialogs.notifications.discreet import (
    CLOSED,
    JOINED,
    LIVE,
    NEUTRAL,
    line_read,
    present,
    send_sensitive,
)
from dialogs.screen import View
from dialogs.text import escape

log = logging.getLogger(__name__)
MEMBER_CACHE_S = 60.0
ACTIVE = {ChatMemberStatus.CREATOR, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER}
# Media whose copy can carry the 'Counsellor:' line as a caption.
# Telegram allows 4096 characters of text and 1024 of caption; the neutral first line and
# 'Counsellor:' take up to ~60 in either language, so counsellors get this much.
RELAY_TEXT_MAX, RELAY_CAPTION_MAX = 4000, 950
CAPTIONED = {"photo", "voice", "video", "document", "audio", "animation"}
RatingView = Callable[[Translator, int, int], View]


class Counsellors(Filter):
    """Filter: the update comes from a current member of the counsellors' group."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[bool, float]] = {}

    async def __call__(self, event: Message | CallbackQuery, bot: Bot, settings: Settings) -> bool:
        chat = event.chat if isinstance(event, Message) else getattr(event.message, "chat", None)
        if chat is None or chat.id != settings.counsellor_chat_id or event.from_user is None:
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


async def open_topic(bot: Bot, settings: Settings, locales: Locales, cases: Cases,
                     case: CaseInfo, first: Message | None = None) -> bool | None:
    """Create the case's topic: how-to note and Take button, her first message if she
    agreed, and an urgent case announced in General.

    Returns None when the group refused (the case is closed), else whether `first` arrived.
    """
    chat_id, t = settings.counsellor_chat_id, staff(locales, settings)
    assert chat_id is not None
    name = t("counsellor-topic-urgent" if case.urgent else "counsellor-topic", alias=case.alias)
    try:
        topic = await bot.create_forum_topic(chat_id, name)
    except TelegramAPIError:
        # Misconfigured group (not a forum, bot not an admin): be honest, keep nothing.
        log.error("cannot create a topic in the counsellors' group: check COUNSELLOR_CHAT_ID")
        await cases.close(case.id, 0, keep_transcript=False)
        return None
    thread = topic.message_thread_id
    await cases.set_topic(case.id, thread)
    left = [await notes.post_intro(bot, chat_id, t, case, thread)]
    copied = await notes.carry_first(bot, chat_id, case, thread, first) if first else None
    if copied is not None and first is not None:
        left.append(copied)
        await cases.record(case, "person", transcript_text(first))
    await cases.note_forum(case.id, *left)
    if case.urgent:
        await notes.announce(bot, chat_id, t, cases, case)
    return copied is not None


def transcript_text(message: Message) -> str:
    """What the transcript keeps of a message: its text, or the kind of media."""
    return message.text or message.caption or f"[{message.content_type}]"


async def copy_to_topic(bot: Bot, settings: Settings, locales: Locales, risk: RiskDetector,
                        case: CaseInfo, message: Message) -> list[int]:
    """Copy a person's message into the topic; flag risk words for the counsellor.

    Returns the ids of what it left in the forum (retention deletes them with the case).
    """
    chat_id = settings.counsellor_chat_id
    assert chat_id is not None and case.topic_id is not None
    copied = await bot.copy_message(chat_id, message.chat.id, message.message_id,
                                    message_thread_id=case.topic_id)
    text = message.text or message.caption
    match = risk.detect(text) if text else None
    if match is not None:
        note = staff(locales, settings)("counsellor-risk-flag", category=str(match.category))
        flag = await bot.send_message(chat_id, note, message_thread_id=case.topic_id)
        return [copied.message_id, flag.message_id]
    return [copied.message_id]


def _too_long(message: Message) -> bool:
    """True when the neutral line and 'Counsellor:' would push it past Telegram's limits."""
    if message.text is not None:
        return len(message.text) > RELAY_TEXT_MAX
    return len(message.caption or "") > RELAY_CAPTION_MAX


def counsellor_view(t: Translator, text: str) -> View:
    """A counsellor's words as the person sees them: 'Counsellor:' and never a name."""
    return View(f"{t('counsellor-prefix')} {escape(text)}")


async def send_to_person(bot: Bot, t: Translator, case: CaseInfo, message: Message,
                         mode: str, read: ReadCb) -> None:
    """Re-send a counsellor's message as 'Counsellor:' without their name, discreetly."""
    if message.text is not None or mode == NEUTRAL:
        # Fully neutral media wait behind Read too: the tap copies them (notifications/reveal.py).
        view = counsellor_view(t, transcript_text(message))
        await send_sensitive(bot, case.chat_id, view, t, mode, read)
        return
    # Discreet media: the caption (or the line before a sticker) starts with the neutral line.
    prefix = present(View(t("counsellor-prefix")), t, mode, None).text
    if message.content_type in CAPTIONED:
        caption = f"{prefix} {escape(message.caption or '')}".strip()
        await bot.copy_message(case.chat_id, message.chat.id, message.message_id,
                               caption=caption)
        return
    await bot.send_message(case.chat_id, prefix)
    await bot.copy_message(case.chat_id, message.chat.id, message.message_id)


async def take_case(callback: CallbackQuery, callback_data: TakeCb, bot: Bot, cases: Cases,
                    locales: Locales, settings: Settings, callback_answer: CallbackAnswer,
                    people: People) -> None:
    """Give the case to this counsellor; a second counsellor is told it is taken."""
    t = staff(locales, settings)
    case = await cases.get(callback_data.case)
    if case is None or not await cases.take(case.id, callback.from_user.id):
        callback_answer.text, callback_answer.show_alert = t("counsellor-already-taken"), True
        return
    intro = callback.message if isinstance(callback.message, Message) else None
    await notes.mark_taken(bot, settings.counsellor_chat_id or 0, t, case,
                           escape(callback.from_user.full_name), intro)
    person = locales.get(case.language)
    mode = await people.notify_mode(case.person_key)
    await notes.patiently(lambda: send_sensitive(
        bot, case.chat_id, View(person("counsellor-joined")), person, mode, ReadCb(kind=JOINED)))
    log.info("case %s taken", case.alias)


async def _mode(cases: Cases, people: People, case: CaseInfo, clock: Clock) -> str:
    """Live (no neutral first line) while she is writing; after a silence, her setting."""
    since = clock() - timedelta(minutes=notes.LIVE_MINUTES)
    if await cases.wrote_since(case.id, "person", since):
        return LIVE
    return await people.notify_mode(case.person_key)


async def counsellor_reply(message: Message, bot: Bot, cases: Cases, locales: Locales,
                           settings: Settings, people: People, vault: Vault,
                           clock: Clock) -> None:
    """Relay a counsellor's message in a case topic to the person."""
    case = await cases.by_topic(message.message_thread_id or 0)
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
    await cases.note_forum(case.id, message.message_id)
    mode = await _mode(cases, people, case, clock)
    read = line_read(vault, line, None if message.text is not None else message.message_id)
    try:
        await send_to_person(bot, locales.get(case.language), case, message, mode, read)
    except TelegramForbiddenError:
        await message.reply(t("counsellor-person-gone"))


async def queue_command(message: Message, cases: Cases, locales: Locales, settings: Settings,
                        clock: Clock) -> None:
    """List the cases no one has taken yet, urgent first."""
    t, now = staff(locales, settings), clock()
    lines = [t("counsellor-queue-line", alias=c.alias, urgent=str(c.urgent).lower(),
               minutes=int((now - c.opened_at).total_seconds() // 60))
             for c in await cases.waiting()]
    await message.answer("\n".join([t("counsellor-queue-title"), *lines]) if lines
                         else t("counsellor-queue-empty"))


async def not_a_counsellor(callback: CallbackQuery) -> None:
    """Someone outside the counsellors' group: change nothing, say nothing."""


def closer(rating_view: RatingView) -> Callable[..., object]:
    """The /close handler, given the person's closing screen (from the person's side)."""
    async def close_case(message: Message, bot: Bot, cases: Cases, locales: Locales,
                         settings: Settings, fsm_storage: BaseStorage, people: People) -> None:
        """End the case: tell both sides, close the topic, offer the person a rating."""
        t = staff(locales, settings)
        case = await cases.by_topic(message.message_thread_id or 0)
        if case is None or case.status == "closed" or message.from_user is None:
            await message.answer(t("counsellor-no-case-here"))
            return
        days = settings.case_retention_days
        queued = await cases.close(case.id, message.from_user.id, days > 0, message.chat.id)
        if queued is None:  # a second /close raced this one
            return
        await _end_person_state(bot, fsm_storage, case.chat_id)
        person = locales.get(case.language)
        mode = await people.notify_mode(case.person_key)
        await notes.patiently(lambda: send_sensitive(
            bot, case.chat_id, rating_view(person, case.id, days), person, mode,
            ReadCb(kind=CLOSED, ref=str(case.id))))
        if queued:  # zero retention: the topic goes now (retried by the cleanup job if not)
            await retention.clean(bot, cases.cleanups, queued)
            await notes.patiently(lambda: bot.send_message(
                message.chat.id, t("counsellor-case-closed-deleted", alias=case.alias)))
        else:
            await notes.patiently(lambda: message.answer(
                t("counsellor-case-closed", alias=case.alias, days=days)))
            await bot.close_forum_topic(message.chat.id, case.topic_id or 0)
        log.info("case %s closed", case.alias)
    return close_case


async def _end_person_state(bot: Bot, storage: BaseStorage, chat_id: int) -> None:
    # In a private chat the user id is the chat id.
    key = StorageKey(bot_id=bot.id, chat_id=chat_id, user_id=chat_id)
    await FSMContext(storage=storage, key=key).clear()


def create_router(rating_view: RatingView) -> Router:
    """The forum side: every handler behind the counsellors' membership check."""
    router = Router(name="cases")
    members = Counsellors()
    router.callback_query.register(take_case, TakeCb.filter(), members)
    router.callback_query.register(not_a_counsellor, TakeCb.filter())
    router.message.register(queue_command, Command("queue"), members)
    router.message.register(closer(rating_view), Command("close"), members)
    router.message.register(counsellor_reply, F.message_thread_id, ~F.text.startswith("/"),
                            members)
    return router

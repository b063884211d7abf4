"""Periodic counsellor-path jobs: tell people no one has taken their case yet; purge old
cases and delete their forum topics."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.content.i18n import Locales, Translator
from bot.content.store import Content, ContentStore
from bot.runtime.settings import Settings
from bot.storage.cases import Cases
from bot.storage.people import People
from dialogs.callbacks import ReadCb
from dialogs.counsellor import retention
from dialogs.hotlines import emergency_view
from dialogs.notifications.discreet import WAITING, send_sensitive
from dialogs.screen import View

log = logging.getLogger(__name__)


def waiting_view(content: Content, t: Translator, settings: Settings) -> View:
    """The honest 'no one has taken it yet' note, with the hotlines."""
    lead = t("counsellor-no-one-yet", minutes=settings.counsellor_wait_minutes)
    return emergency_view(content, t, lead=lead)


async def tell_waiting(bot: Bot, cases: Cases, locales: Locales, content: ContentStore,
                       settings: Settings, people: People) -> int:
    """Honestly tell people whose case waited too long, with the hotlines; return how many."""
    told = 0
    for case in await cases.overdue(settings.counsellor_wait_minutes):
        t = locales.get(case.language)
        view = waiting_view(content.current, t, settings)
        try:
            await send_sensitive(bot, case.chat_id, view, t,
                                 await people.notify_mode(case.person_key), ReadCb(kind=WAITING))
            told += 1
        except TelegramAPIError:
            log.warning("could not tell case %s it is still waiting", case.alias)
    return told


async def purge_cases(cases: Cases, settings: Settings) -> int:
    """Delete cases and transcripts closed longer ago than the retention period; their
    forum topics are queued for `clean_forum`."""
    purged = await cases.purge(settings.case_retention_days,
                               settings.counsellor_chats[0] if settings.counsellor_chats else None)
    if purged:
        log.info("purged %d closed case(s) past retention", purged)
    return purged


async def clean_forum(bot: Bot, cases: Cases) -> int:
    """Delete the forum topics of purged cases that are due (first tries and retries)."""
    return await retention.clean(bot, cases.cleanups)

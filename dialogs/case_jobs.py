"""Periodic counsellor-path jobs: tell people no one has taken their case yet; purge old cases."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from apscheduler.schedulers.base import BaseScheduler

from bot.content_loader import ContentStore
from bot.i18n import Locales
from bot.settings import Settings
from bot.storage.cases import Cases
from dialogs.help import emergency_view

log = logging.getLogger(__name__)


async def tell_waiting(bot: Bot, cases: Cases, locales: Locales, content: ContentStore,
                       settings: Settings) -> int:
    """Honestly tell people whose case waited too long, with the hotlines; return how many."""
    told = 0
    for case in await cases.overdue(settings.counsellor_wait_minutes):
        t = locales.get(case.language)
        lead = t("counsellor-no-one-yet", minutes=settings.counsellor_wait_minutes)
        view = emergency_view(content.current, t, lead=lead)
        try:
            await bot.send_message(case.chat_id, view.text, reply_markup=view.markup())
            told += 1
        except TelegramAPIError:
            log.warning("could not tell case %s it is still waiting", case.alias)
    return told


async def purge_cases(cases: Cases, settings: Settings) -> int:
    """Delete cases and transcripts closed longer ago than the retention period."""
    purged = await cases.purge(settings.case_retention_days)
    if purged:
        log.info("purged %d closed case(s) past retention", purged)
    return purged


def add_case_jobs(scheduler: BaseScheduler, bot: Bot, cases: Cases, locales: Locales,
                  content: ContentStore, settings: Settings) -> None:
    """Register the waiting check (every minute) and the retention purge (hourly)."""
    scheduler.add_job(tell_waiting, "interval", minutes=1, id="cases-waiting",
                      args=[bot, cases, locales, content, settings], replace_existing=True)
    scheduler.add_job(purge_cases, "interval", hours=1, id="cases-purge",
                      args=[cases, settings], replace_existing=True)

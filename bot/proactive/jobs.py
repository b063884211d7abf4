"""APScheduler with a handful of periodic jobs; per-person schedules are rows, not jobs."""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.content.store import ContentStore
from bot.runtime.clock import Clock

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(days=365)
# APScheduler 3's default grace of 1 s drops a job whose run was due during a restart.
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}


def create_scheduler(content: ContentStore, clock: Clock, timezone: str) -> AsyncIOScheduler:
    """The scheduler with every periodic job, in the in-memory job store."""
    scheduler = AsyncIOScheduler(timezone=timezone, job_defaults=JOB_DEFAULTS)
    scheduler.add_job(
        warn_stale_services, "cron", hour=8, args=[content, clock],
        id="stale-services", replace_existing=True,
    )
    return scheduler


async def warn_stale_services(content: ContentStore, clock: Clock) -> list[str]:
    """Log services whose numbers were last checked over a year ago; return their ids."""
    today = clock().date()
    stale = [s.id for s in content.current.services() if today - s.last_verified > STALE_AFTER]
    for service_id in stale:
        log.warning("service %s was last verified over a year ago: check its number", service_id)
    return stale

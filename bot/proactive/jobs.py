"""APScheduler with a handful of periodic jobs; per-person schedules are rows, not jobs.

The jobs themselves are declared in one table in bot/wiring.py; this module turns such a
table into scheduler jobs with the defaults every one of them needs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.content.store import ContentStore
from bot.runtime.clock import Clock, utc_now

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(days=365)
# APScheduler 3's default grace of 1 s drops a job whose run was due during a restart.
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}


@dataclass(frozen=True)
class Job:
    """One periodic job: its id, what it calls with which arguments, and when."""

    id: str
    func: Callable[..., Any]
    trigger: IntervalTrigger | CronTrigger
    args: tuple[Any, ...] = field(default=())
    at_once: bool = False  # also run right at start, not only after the first interval


def every(**interval: int) -> IntervalTrigger:
    """An interval trigger: every(seconds=20), every(minutes=10), every(hours=1)."""
    return IntervalTrigger(**interval)


def create_scheduler(timezone: str) -> AsyncIOScheduler:
    """A scheduler on the in-memory job store with the defaults every job needs."""
    return AsyncIOScheduler(timezone=timezone, job_defaults=JOB_DEFAULTS)


def add_jobs(scheduler: AsyncIOScheduler, jobs: Iterable[Job]) -> None:
    """Add (or re-add, never double) every job of the table."""
    for job in jobs:
        # APScheduler runs on real time, whatever clock the rows use.
        start = {"next_run_time": utc_now()} if job.at_once else {}
        scheduler.add_job(job.func, job.trigger, args=list(job.args), id=job.id,
                          replace_existing=True, **start)


async def warn_stale_services(content: ContentStore, clock: Clock) -> list[str]:
    """Log services whose numbers were last checked over a year ago; return their ids."""
    today = clock().date()
    stale = [s.id for s in content.current.services() if today - s.last_verified > STALE_AFTER]
    for service_id in stale:
        log.warning("service %s was last verified over a year ago: check its number", service_id)
    return stale

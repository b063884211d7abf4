"""`python run_bot.py broadcast ITEM`: queue a content item for a segment, watch it go out.

People carry only a language and their schedules, so the segments are language and course
(active course, optionally one age group). The running bot's sender delivers the rows,
within Telegram's limits and outside quiet hours; this command queues them and shows progress.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.content.store import ContentStore
from bot.proactive.outbox import PENDING, SENDING, NewMessage, Outbox
from bot.runtime.clock import Clock, utc_now
from bot.runtime.settings import Settings
from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.models import OutboxRow, Person, Schedule
from bot.storage.schedules import ACTIVE, COURSE

BAR = 30


def add_broadcast_command(commands: Any) -> None:
    """Register `broadcast` on the CLI's sub-command parser."""
    parser = commands.add_parser("broadcast", help="send a content item to a segment")
    parser.add_argument("item", help="content item id, e.g. parenting.praise.specific")
    parser.add_argument("--language", choices=("km", "en"))
    parser.add_argument("--course", action="store_true", help="only people taking the course")
    parser.add_argument("--age", help="with --course: only this age group (0-2, 3-5, ...)")
    parser.add_argument("--dry-run", action="store_true", help="only count who it reaches")
    parser.add_argument("--no-wait", action="store_true", help="queue and return")
    parser.set_defaults(handler=lambda args: asyncio.run(broadcast(args, Settings(), utc_now)))


def segment(args: argparse.Namespace) -> Any:
    """People (key, encrypted chat id, language) the broadcast reaches."""
    query = select(Person.key, Person.chat_id_enc, Person.language).where(
        Person.blocked_at.is_(None))
    if args.language:
        query = query.where(func.coalesce(Person.language, "km") == args.language)
    if args.course or args.age:
        query = query.join(Schedule, Schedule.person_key == Person.key).where(
            Schedule.kind == COURSE, Schedule.status == ACTIVE)
    if args.age:
        query = query.where(Schedule.age == args.age)
    return query


async def broadcast(args: argparse.Namespace, config: Settings, clock: Clock) -> int:
    """Count, or queue and follow, one broadcast; return the exit status."""
    if ContentStore(config.content_dir).current.item(args.item) is None:
        print(f"no content item {args.item!r}", file=sys.stderr)
        return 2
    engine = create_engine(config.database_url)
    await migrate.upgrade(engine)
    try:
        async with engine.connect() as conn:
            people = (await conn.execute(segment(args))).all()
        print(f"{args.item} reaches {len(people)} people")
        if not args.dry_run and people:
            await queue(engine, args.item, people, clock())
            if not args.no_wait:
                await follow(engine, campaign_of(args.item), len(people))
    finally:
        await engine.dispose()
    return 0


def campaign_of(item: str) -> str:
    """The outbox campaign of a broadcast: once per item and person."""
    return f"b:{item}"[:40]


async def queue(engine: AsyncEngine, item: str, people: Any, now: datetime) -> None:
    """Queue the item, due at `now`, for everyone in the segment; a repeat queues nothing twice."""
    outbox = Outbox(session_factory(engine))
    rows = [NewMessage(key, campaign_of(item), "1", enc, language or "km",
                       {"kind": "item", "item": item}, now) for key, enc, language in people]
    for start in range(0, len(rows), 5000):
        await outbox.enqueue(rows[start:start + 5000])


async def follow(engine: AsyncEngine, campaign: str, total: int, poll_s: float = 1.0) -> None:
    """Draw a progress bar until the bot's sender has settled every row."""
    while True:
        waiting = await _waiting(engine, campaign)
        done = total - waiting
        filled = BAR * done // max(total, 1)
        print(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total}", end="", flush=True)
        if waiting == 0:
            print()
            return
        await asyncio.sleep(poll_s)


async def _waiting(engine: AsyncEngine, campaign: str) -> int:
    query = select(func.count()).select_from(OutboxRow).where(
        OutboxRow.campaign == campaign, OutboxRow.status.in_((PENDING, SENDING)))
    async with engine.connect() as conn:
        return int((await conn.execute(query)).scalar() or 0)

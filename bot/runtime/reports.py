"""`run_bot.py report sessions`: sessions, RSVPs and attendance by group, topic and month."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import sys
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.runtime.report_unanswered import add_unanswered_command
from bot.runtime.settings import Settings
from bot.runtime.sheets import as_text_cells, csv_cell
from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.group_sessions import CANCELLED, HELD, rsvp_counts
from bot.storage.models import Group, GroupSession

COUNTS = ("attended", "women", "men", "girls", "boys")


@dataclass
class Line:
    """One row of the report: a group, a topic and a month."""

    group: str
    topic: str
    month: str
    sessions: int = 0
    held: int = 0
    cancelled: int = 0
    rsvp_coming: int = 0
    rsvp_not_coming: int = 0
    attended: int = 0
    women: int = 0
    men: int = 0
    girls: int = 0
    boys: int = 0


HEADER = tuple(f.name for f in fields(Line))


async def session_report(engine: AsyncEngine, start: date, end: date,
                         zone: ZoneInfo) -> list[Line]:
    """Lines for sessions starting from `start` to `end` (both local dates, inclusive)."""
    low = datetime.combine(start, time(), zone).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC)
    query = (select(GroupSession, Group.title).join(Group, Group.id == GroupSession.group_id)
             .where(GroupSession.starts_at >= low, GroupSession.starts_at < high)
             .order_by(Group.title, GroupSession.topic, GroupSession.starts_at))
    async with session_factory(engine)() as session:
        rows = (await session.execute(query)).all()
        counts = await rsvp_counts(session, [row.id for row, _ in rows])
    lines: dict[tuple[str, str, str], Line] = {}
    for row, title in rows:
        month = row.starts_at.astimezone(zone).strftime("%Y-%m")
        line = lines.setdefault((title, row.topic, month), Line(title, row.topic, month))
        _add(line, row, counts.get(row.id, (0, 0)))
    return list(lines.values())


def _add(line: Line, row: GroupSession, rsvp: tuple[int, int]) -> None:
    line.sessions += 1
    line.held += row.status == HELD
    line.cancelled += row.status == CANCELLED
    line.rsvp_coming += rsvp[0]
    line.rsvp_not_coming += rsvp[1]
    for name in COUNTS:
        setattr(line, name, getattr(line, name) + (getattr(row, name) or 0))


def as_csv(lines: Sequence[Line]) -> str:
    """The report as CSV text with a header row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows([csv_cell(value) for value in astuple(line)] for line in lines)
    return out.getvalue()


def write_xlsx(lines: Sequence[Line], path: Path) -> None:
    """The report as a one-sheet workbook."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "sessions"
    sheet.append(list(HEADER))
    for line in lines:
        sheet.append(list(astuple(line)))
    as_text_cells(sheet)
    book.save(path)


def add_report_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `report sessions` on the top-level subcommands."""
    report = commands.add_parser("report", help="reports for M&E").add_subparsers(required=True)
    sessions = report.add_parser("sessions", help="sessions, RSVPs and attendance")
    sessions.add_argument("--from", dest="start", type=date.fromisoformat, required=True)
    sessions.add_argument("--to", dest="end", type=date.fromisoformat, required=True)
    sessions.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    sessions.add_argument("--output", type=Path, default=None,
                          help="file to write (xlsx needs one; csv defaults to stdout)")
    sessions.set_defaults(handler=run_sessions_report)
    add_unanswered_command(report)


def run_sessions_report(args: argparse.Namespace) -> int:
    """Build the report from DATABASE_URL and write it as asked."""
    if args.format == "xlsx" and args.output is None:
        print("--format xlsx needs --output FILE.xlsx", file=sys.stderr)
        return 2
    settings = Settings()
    lines = asyncio.run(_collect(settings, args.start, args.end))
    if args.format == "xlsx":
        write_xlsx(lines, args.output)
    elif args.output is not None:
        args.output.write_text(as_csv(lines), encoding="utf-8")
    else:
        sys.stdout.write(as_csv(lines))
    return 0


async def _collect(settings: Settings, start: date, end: date) -> list[Line]:
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        return await session_report(engine, start, end, settings.timezone)
    finally:
        await engine.dispose()

"""`run_bot.py report unanswered`: the typed questions search most often could not answer.

Counted only with COUNT_UNANSWERED=true, and stripped of personal data before they are
stored (bot/language/scrub.py): content editors read this to add keywords or content.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import sys

from bot.runtime.settings import Settings
from bot.runtime.sheets import csv_cell
from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.unanswered import Count, Unanswered


def add_unanswered_command(report: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `report unanswered` under `report`."""
    command = report.add_parser("unanswered", help="typed questions search could not answer")
    command.add_argument("--top", type=int, default=30, help="how many to list")
    command.set_defaults(handler=run_unanswered_report)


def run_unanswered_report(args: argparse.Namespace) -> int:
    """Print the most frequent unanswered questions as CSV."""
    counts = asyncio.run(_collect(Settings(), args.top))
    sys.stdout.write(as_csv(counts))
    return 0


def as_csv(counts: list[Count]) -> str:
    """count, language, last_seen, question."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("count", "language", "last_seen", "question"))
    writer.writerows((c.count, c.language, c.last_seen.isoformat(), csv_cell(c.text))
                     for c in counts)
    return out.getvalue()


async def _collect(settings: Settings, top: int) -> list[Count]:
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        return await Unanswered(session_factory(engine)).top(top)
    finally:
        await engine.dispose()

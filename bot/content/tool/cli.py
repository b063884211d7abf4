"""`python run_bot.py content <verb>`: validate, stats, diff, export, import and review."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bot.content.tool.diff import diff_content, files_for, format_diff
from bot.content.tool.flatten import FlattenError
from bot.content.tool.source import read_content
from bot.content.tool.stats import format_feedback, format_stats, pack_stats
from bot.content.tool.validate import DEFAULT_MAX_AGE_DAYS, validate_folder
from bot.content.tool.yamlsrc import FolderFiles
from bot.storage.feedback import read_feedback

__all__ = ["add_content_commands"]


def add_content_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the content verbs on `subparsers` (of `run_bot.py content`)."""
    check = _verb(subparsers, "validate", "check every content rule", run_validate)
    check.add_argument("--max-age-days", type=int, default=DEFAULT_MAX_AGE_DAYS,
                       help="a service verified longer ago than this is an error (default 365)")
    check.add_argument("--today", type=date.fromisoformat, default=None,
                       help="check as if today were this date (YYYY-MM-DD)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    stats = _verb(subparsers, "stats", "counts per pack, language and review status, and "
                  "useful / not useful taps per tip", run_stats)
    stats.add_argument("--database", default=None,
                       help="the bot's database, for taps on tips (default: DATABASE_URL)")
    diff = _verb(subparsers, "diff", "what changed between two versions", run_diff, folder=False)
    diff.add_argument("old", help="a content folder, or a git revision (REV or REV:path)")
    diff.add_argument("new", help="a content folder, or a git revision (REV or REV:path)")
    export = _verb(subparsers, "export", "write the content to a spreadsheet", run_export)
    export.add_argument("file", type=Path, help="the .xlsx file to write")
    load = _verb(subparsers, "import", "replace the content from a spreadsheet", run_import)
    load.add_argument("file", type=Path, help="the .xlsx file to read")
    review = subparsers.add_parser("review", help="a review round by native speakers")
    rounds = review.add_subparsers(required=True)
    out = _verb(rounds, "export", "write texts awaiting review to a sheet", run_review_export)
    out.add_argument("file", type=Path, help="the .xlsx file to write")
    out.add_argument("--language", choices=("km", "en"), default="km")
    back = _verb(rounds, "import", "apply a reviewed sheet (all or nothing)", run_review_import)
    back.add_argument("file", type=Path, help="the reviewed .xlsx file")
    back.add_argument("--today", type=date.fromisoformat, default=None,
                      help="the review date to record (default: today)")


def _verb(subparsers: argparse._SubParsersAction, name: str, summary: str,  # type: ignore[type-arg]
          handler: Callable[[argparse.Namespace], int],
          folder: bool = True) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=summary)
    parser.set_defaults(handler=handler)
    if folder:
        parser.add_argument("--folder", type=Path, default=None,
                            help="the content folder (default: CONTENT_DIR, else content/)")
    return parser


def _folder(args: argparse.Namespace) -> Path:
    if args.folder is not None:
        return Path(args.folder)
    from bot.runtime.settings import Settings  # read the environment only when no folder is given

    return Settings().content_dir


def run_validate(args: argparse.Namespace) -> int:
    """Print every problem; exit 1 when there are errors (or warnings with --strict)."""
    report = validate_folder(_folder(args), today=args.today, max_age_days=args.max_age_days)
    for problem in report.problems:
        print(problem)
    failed = bool(report.errors) or (args.strict and bool(report.warnings))
    version = report.loaded.manifest.version if report.loaded.manifest else "?"
    print(f"content {version}: {len(report.errors)} error(s), {len(report.warnings)} "
          f"warning(s){'' if failed else ': OK'}")
    return 1 if failed else 0


def run_stats(args: argparse.Namespace) -> int:
    """Print counts per pack, language and review status, then feedback on tips."""
    loaded = read_content(FolderFiles(_folder(args)))
    for problem in loaded.problems:
        print(problem)
    every = [pack_stats(s.pack) for s in loaded.packs if s.pack is not None]
    print(format_stats(loaded.manifest.version if loaded.manifest else "?", every))
    print(format_feedback(asyncio.run(read_feedback(_database(args)))))
    return 1 if loaded.problems else 0


def _database(args: argparse.Namespace) -> str:
    if args.database is not None:
        return str(args.database)
    from bot.runtime.settings import Settings  # read the environment only when no database is given

    return Settings().database_url


def run_diff(args: argparse.Namespace) -> int:
    """Print what changed between OLD and NEW."""
    try:
        print(format_diff(diff_content(files_for(args.old), files_for(args.new))))
    except ValueError as error:
        print(f"cannot diff: {error}")
        return 1
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write one sheet per pack to FILE."""
    from bot.content.tool.spreadsheet import export_xlsx  # openpyxl only when needed

    try:
        sheets = export_xlsx(_folder(args), args.file)
    except FlattenError as error:
        print(f"cannot export: {error}")
        return 1
    print(f"wrote {args.file}: sheets {', '.join(sheets)}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Replace content files from FILE, or change nothing and list the problems."""
    from bot.content.tool.spreadsheet import import_xlsx  # openpyxl only when needed

    result = import_xlsx(args.file, _folder(args))
    for problem in result.problems:
        print(problem)
    if result.problems:
        print(f"{len(result.problems)} problem(s): nothing was changed")
        return 1
    print(f"changed: {', '.join(result.changed)}" if result.changed else "nothing to change")
    return 0


def run_review_export(args: argparse.Namespace) -> int:
    """Write the texts awaiting review in one language to FILE."""
    from bot.content.tool.review import export_review  # openpyxl only when needed

    count = export_review(_folder(args), args.file, args.language)
    print(f"wrote {args.file}: {count} {args.language} text(s) awaiting review")
    return 0


def run_review_import(args: argparse.Namespace) -> int:
    """Apply a reviewed sheet, or change nothing and list the problems."""
    from bot.content.tool.review import import_review  # openpyxl only when needed

    result = import_review(args.file, _folder(args), args.today or date.today())
    for problem in result.problems:
        print(problem)
    if result.problems:
        print(f"{len(result.problems)} problem(s): nothing was changed")
        return 1
    print(f"changed: {', '.join(result.changed)}" if result.changed else "nothing to change")
    return 0

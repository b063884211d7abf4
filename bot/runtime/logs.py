"""Logging, configured once at start. Log lines never carry ids, names or message text.

In production (LOG_JSON=true) each line is one JSON object, for a log shipper to index:
time, level, logger, message and, on a failure, the exception's type and traceback.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime

PLAIN = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object a line; only what the record's own message and exception say."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line."""
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = record.exc_info[0].__name__
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def setup_logging(json_lines: bool = False) -> None:
    """Plain timestamped lines (or JSON lines) on stderr; LOG_LEVEL overrides INFO."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(PLAIN))
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO").upper(), handlers=[handler])
    # aiogram's per-update INFO line is noise at scale; keep its warnings.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    # APScheduler says INFO twice for every job run (several a minute); failures stay visible.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)

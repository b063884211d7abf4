"""Logging, configured once at start. Log lines never carry ids, names or message text."""

from __future__ import annotations

import logging
import os


def setup_logging() -> None:
    """Plain timestamped lines on stderr; LOG_LEVEL overrides the INFO default."""
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # aiogram's per-update INFO line is noise at scale; keep its warnings.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)

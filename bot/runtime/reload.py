"""Content reload without restart: SIGHUP swaps content atomically, or keeps the old."""

from __future__ import annotations

import asyncio
import logging
import signal

from bot.content.model import ContentError
from bot.content.store import ContentStore

log = logging.getLogger(__name__)


def reload_content(store: ContentStore) -> bool:
    """Reload content from disk; on invalid content log why and keep serving the old."""
    old = store.current.version
    try:
        new = store.reload().version
    except ContentError as error:
        log.error("content reload refused, still serving %s: %s", old, error)
        return False
    log.info("content reloaded: %s -> %s", old, new)
    return True


def reload_on_sighup(store: ContentStore) -> None:
    """Editors run `kill -HUP <pid>` after changing content/."""
    asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, reload_content, store)

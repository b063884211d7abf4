"""Text helpers shared by dialogs: Telegram-HTML escaping."""

from __future__ import annotations

import html


def escape(text: str) -> str:
    """Escape text for Telegram's HTML parse mode (quotes may stay as they are)."""
    return html.escape(text, quote=False)

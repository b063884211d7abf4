"""Outbox rows back into messages: each flow registers the renderers of what it sends."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.content.i18n import Locales, Translator
from bot.content.store import Content, ContentStore
from bot.proactive.outbox import Claimed
from bot.proactive.sender import Rendered

Renderer = Callable[[Claimed, Content, Translator], Rendered | None]
# A payload kind, or (campaign, kind) where one campaign's kinds mean something of their own.
RendererKey = str | tuple[str, str]


class Renderers:
    """Render an outbox row with the renderer registered for its campaign and kind."""

    def __init__(self, content: ContentStore, locales: Locales,
                 table: Mapping[RendererKey, Renderer]) -> None:
        self._content, self._locales, self._table = content, locales, dict(table)

    def render(self, row: Claimed) -> Rendered | None:
        """The message for a row, in the person's language, from current content."""
        kind = str(row.payload.get("kind"))
        renderer = self._table.get((row.campaign, kind)) or self._table.get(kind)
        if renderer is None:
            return None
        return renderer(row, self._content.current, self._locales.get(row.language))

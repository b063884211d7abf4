"""Outbox rows back into messages: each flow registers the renderers of what it sends.

One rule applies to every kind: a person who hid the chat (quick exit) and has not opened
Sokh since gets only the neutral line and a Read button, whatever the row would show
(`veil`, given by wiring from dialogs/notifications). docs/quick-exit.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.content.i18n import Locales, Translator
from bot.content.store import Content, ContentStore
from bot.proactive.outbox import Claimed
from bot.proactive.sender import Rendered

Renderer = Callable[[Claimed, Content, Translator], Rendered | None]
# The fully neutral form of a rendered row: the neutral line and a Read button.
Veil = Callable[[Claimed, Rendered, Translator], Rendered]
# A payload kind, or (campaign, kind) where one campaign's kinds mean something of their own.
RendererKey = str | tuple[str, str]


class Renderers:
    """Render an outbox row with the renderer registered for its campaign and kind."""

    def __init__(self, content: ContentStore, locales: Locales,
                 table: Mapping[RendererKey, Renderer], veil: Veil | None = None) -> None:
        self._content, self._locales, self._table = content, locales, dict(table)
        self._veil = veil

    def render(self, row: Claimed) -> Rendered | None:
        """The message for a row, in the person's language, from current content."""
        kind = str(row.payload.get("kind"))
        renderer = self._table.get((row.campaign, kind)) or self._table.get(kind)
        if renderer is None:
            return None
        t = self._locales.get(row.language)
        rendered = renderer(row, self._content.current, t)
        if rendered is not None and row.hidden and self._veil is not None:
            return self._veil(row, rendered, t)
        return rendered

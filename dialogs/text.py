"""Text helpers shared by dialogs: Telegram-HTML escaping, sources in the reader's language."""

from __future__ import annotations

import html

from bot.content.i18n import Translator
from bot.content.store import Content

# Between publishers' names: neutral in both scripts (Khmer has no list comma).
NAME_SEPARATOR = " · "


def escape(text: str) -> str:
    """Escape text for Telegram's HTML parse mode (quotes may stay as they are)."""
    return html.escape(text, quote=False)


def sources_line(content: Content, sources: tuple[str, ...], t: Translator) -> str:
    """'Source: WHO and UNICEF' in the reader's language, italic; citations stay in content.

    Content with no source (its editor_note says why) reads as general advice.
    """
    names = [p.name.get(t.language) for p in content.cited(sources)]
    if not names:
        return f"<i>{escape(t('common-source-general'))}</i>"
    line = t("common-source", source=NAME_SEPARATOR.join(names), count=len(names))
    return f"<i>{escape(line)}</i>"


# How a sentence ends in each language: Khmer closes with khan (។).
SENTENCE_END = {"km": "។", "en": "."}


def sentences(parts: list[str], language: str) -> str:
    """Short facts as sentences: '24 hours. Free.' or '២៤ ម៉ោង។ ឥតគិតថ្លៃ។'."""
    end = SENTENCE_END.get(language, ".")
    return " ".join(p if p.endswith(("។", ".", "!", "?")) else p + end for p in parts)

"""Which services a text names by number, so every number people read can be tapped."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.content.model import Service
from bot.content.store import Content
from bot.content.tool.rules_refs import digits
from bot.language import clean

__all__ = ["services_named"]

# A number as written in content: '1280', '023 997 919', '+855 23 216 532', '031-201-2345'.
NUMBER = re.compile(r"\+?\d[\d -]*\d")


def services_named(content: Content, text: str) -> tuple[Service, ...]:
    """The services whose numbers appear in `text`, in the order they appear, each once."""
    by_number = _by_number(content)
    found: list[Service] = []
    for match in NUMBER.finditer(clean(text)):  # clean(): Khmer digits read as 0-9
        service = by_number.get(digits(match.group().strip(" -")))
        if service is not None and service not in found:
            found.append(service)
    return tuple(found)


@lru_cache(maxsize=4)  # content is replaced, never changed, on reload
def _by_number(content: Content) -> dict[str, Service]:
    """Every dialled form of every service's numbers, to the service."""
    return {digits(phone): s for s in content.services() for phone in (s.phone, *s.other_phones)}

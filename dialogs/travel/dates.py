"""Read a travel date typed in English or Khmer forms; Khmer digits accepted."""

from __future__ import annotations

import re
from datetime import date

from bot.language import clean

KHMER_MONTHS = ("មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា",
                "កញ្ញា", "តុលា", "វិច្ឆិកា", "ធ្នូ")
ENGLISH_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                  "dec")
_NUMERIC = re.compile(r"^(\d{1,4})[./\- ](\d{1,2})[./\- ](\d{1,4})$")


def parse_date(text: str) -> date | None:
    """A date from '25/12/2026', '2026-12-25', '25 Dec 2026', '២៥ ធ្នូ ២០២៦' and the like."""
    # The language layer's clean-up: Khmer digits as 0-9, no zero-width spaces, NFC.
    cleaned = " ".join(clean(text).replace(",", " ").split())
    numeric = _NUMERIC.match(cleaned)
    try:
        if numeric:
            return _from_numbers(*(int(part) for part in numeric.groups()))
        return _from_words(cleaned)
    except ValueError:
        return None


def _from_numbers(first: int, second: int, third: int) -> date:
    # Cambodia writes day/month/year; a four-digit first part means ISO year-month-day.
    if first > 31:
        return date(first, second, third)
    return date(third if third > 99 else 2000 + third, second, first)


def _from_words(text: str) -> date | None:
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    month = _month(text)
    if month is None or len(numbers) != 2:
        return None
    day, year = sorted(numbers)
    return date(year, month, day)


def _month(text: str) -> int | None:
    # Khmer words are not space-separated reliably ('ខែធ្នូ'): look for the name anywhere.
    for number, name in enumerate(KHMER_MONTHS, start=1):
        if name.rstrip("ៈ") in text:
            return number
    words = re.findall(r"[a-z]{3,}", text.lower())
    return next((ENGLISH_MONTHS.index(w[:3]) + 1 for w in words if w[:3] in ENGLISH_MONTHS), None)

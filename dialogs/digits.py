"""Digits in the reader's language: counts and dates in Khmer text use Khmer digits.

Phone numbers are never passed through here: people dial them as written, in 0-9.
"""

from __future__ import annotations

# The `screens` branch adds the same mapping to bot/content/i18n.py (Translator.number);
# when both are merged, one of the two goes.
KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


def local_digits(text: str, language: str) -> str:
    """`text` with 0-9 written as the language's own digits (Khmer digits in km)."""
    return text.translate(KHMER_DIGITS) if language == "km" else text

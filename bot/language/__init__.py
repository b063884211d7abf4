"""The language layer shared by crisis triage and search.

- text: NFC, invisible characters, Khmer digits, which script a message is in;
- khmer: one spelling for Khmer (characters in one order, variants unified), read as clusters;
- segment: Khmer words (khmercut, whose model ships in the package);
- english: lowercase stemmed English words, slang and misspellings undone;
- romanised: Khmer typed in Latin letters, read back into Khmer script (content/romanised.yaml).
- yamlfile: the language files' YAML, refusing a key given twice.

Everything here is pure Python over data loaded once, so triage works with the database down.
"""

from bot.language.english import normalise_english, stem
from bot.language.khmer import HAS_KHMER, khmer_tokens, normalise_khmer
from bot.language.romanised import Reading, RomanisedError, Romaniser, is_romanised
from bot.language.segment import khmer_words
from bot.language.text import clean, has_khmer, latin_words

__all__ = [
    "HAS_KHMER",
    "Reading",
    "RomanisedError",
    "Romaniser",
    "clean",
    "has_khmer",
    "is_romanised",
    "khmer_tokens",
    "khmer_words",
    "latin_words",
    "normalise_english",
    "normalise_khmer",
    "stem",
]

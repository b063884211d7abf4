"""Interface strings from Fluent files in locales/{en,km}/, one bundle per language."""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from babel.dates import format_date
from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import FluentParser
from fluent.syntax.ast import Junk

LANGUAGES = ("km", "en")
DEFAULT_LANGUAGE = "km"
KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
log = logging.getLogger(__name__)


def local_digits(text: str, language: str) -> str:
    """`text` with 0-9 as the language's own digits (Khmer in km). Never for phone numbers:
    people dial those, and Telegram links only 0-9."""
    return text.translate(KHMER_DIGITS) if language == "km" else text


class Translator:
    """Formats one message id in one language."""

    def __init__(self, bundle: FluentBundle, language: str) -> None:
        self._bundle = bundle
        self.language = language
        # Most strings are button labels without arguments, formatted on every reply.
        self._plain: dict[str, str] = {}

    def __call__(self, message_id: str, **args: Any) -> str:
        """Return the formatted text; a missing id is a bug, so it raises."""
        if not args:
            plain = self._plain.get(message_id)
            if plain is None:
                plain = self._plain[message_id] = self._format(message_id, {})
            return plain
        return self._format(message_id, args)

    def _format(self, message_id: str, args: dict[str, Any]) -> str:
        message = self._bundle.get_message(message_id)
        if message.value is None:
            raise KeyError(f"{message_id} has no value in {self.language}")
        kept = _kept_strings(args) if self.language == "km" else {}
        shown = {k: kept.get(k, (v, v))[0] for k, v in args.items()}
        formatted, errors = self._bundle.format_pattern(message.value, shown)
        for error in errors:
            log.error("fluent error in %s/%s: %s", self.language, message_id, error)
        text = str(formatted)
        if self.language != "km":
            return text
        # Khmer text counts in Khmer digits: the message's own and int arguments (Fluent still
        # selects [1] or [0] on the number). String arguments (phone numbers, names, times a
        # caller formatted) are put back exactly as given.
        text = local_digits(text, "km")
        for marker, original in kept.values():
            text = text.replace(marker, original)
        return text

    def number(self, value: int) -> str:
        """A count as text in this language's digits."""
        return local_digits(str(value), self.language)

    def day_month(self, day: date) -> str:
        """A day as trainers and forms write it, day first: '07/12', '០៧/១២'."""
        return local_digits(day.strftime("%d/%m"), self.language)

    def day_time(self, moment: datetime) -> str:
        """A day and time, short, in the caller's time zone: '07/12 18:00', '០៧/១២ ១៨:០០'."""
        return f"{self.day_month(moment.date())} {self.time(moment.time())}"

    def date(self, day: date) -> str:
        """A day as people write it: '21 November 2026', '២១ វិច្ឆិកា ២០២៦' (CLDR month names)."""
        return local_digits(format_date(day, "d MMMM y", locale=self.language), self.language)

    def time(self, moment: time) -> str:
        """A time of day on the 24-hour clock: '08:30', '០៨:៣០'."""
        return local_digits(moment.strftime("%H:%M"), self.language)

    def when(self, moment: datetime) -> str:
        """A near moment with its weekday, in the caller's time zone: 'Mon 7 December 18:00',
        'ចន្ទ ៧ ធ្នូ ១៨:០០'; for schedules (course tips, sessions, reminders)."""
        day = format_date(moment.date(), "EEE d MMMM", locale=self.language)
        return f"{local_digits(day, self.language)} {self.time(moment.time())}"

    def has(self, message_id: str) -> bool:
        """True when this language defines `message_id`."""
        return bool(self._bundle.has_message(message_id))


def _kept_strings(args: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Private-use markers standing in for string arguments that hold digits."""
    with_digits = (k for k, v in args.items() if isinstance(v, str) and any(map(str.isdigit, v)))
    return {k: (chr(0xE000 + n), args[k]) for n, k in enumerate(with_digits)}


class Locales:
    """All languages' bundles, loaded once at start."""

    def __init__(self, locales_dir: Path) -> None:
        self._translators = {lang: _load(locales_dir / lang, lang) for lang in LANGUAGES}

    def get(self, language: str | None) -> Translator:
        """The translator for `language`, falling back to Khmer."""
        return self._translators.get(language or DEFAULT_LANGUAGE) or self._translators["km"]

    def message_ids(self, language: str) -> set[str]:
        """Every message id defined for `language` (used by completeness tests)."""
        return set(self._translators[language]._bundle._messages)


def _load(folder: Path, language: str) -> Translator:
    files = sorted(folder.glob("*.ftl"))
    if not files:
        raise FileNotFoundError(f"no .ftl files in {folder}")
    # use_isolating=False: Telegram would show the U+2068/U+2069 marks as-is.
    bundle = FluentBundle([language], use_isolating=False)
    for path in files:
        source = path.read_text(encoding="utf-8")
        junk = [entry for entry in FluentParser().parse(source).body if isinstance(entry, Junk)]
        if junk:
            raise ValueError(f"{path}: cannot parse {(junk[0].content or '').strip()[:80]!r}")
        bundle.add_resource(FluentResource(source))
    return Translator(bundle, language)


def language_from_telegram(language_code: str | None) -> str:
    """Default language for someone who has not chosen one: Khmer unless they use English."""
    if language_code and language_code.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE

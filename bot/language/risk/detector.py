"""RiskDetector: loads the terms once, then checks each message against them from memory."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import yaml

from bot.language import HAS_KHMER, Romaniser, is_romanised
from bot.language.risk.categories import PRIORITY, RiskMatch
from bot.language.risk.compiler import Compiler
from bot.language.risk.matching import Rule, Tokens, first_match, mask_all
from bot.language.risk.terms import Entry, Terms, parse_terms

_LANGS = ("en", "km")
_LATIN = re.compile("[A-Za-z]")
_WORD = re.compile(r"[a-z]+")
ROMANISED_FILE = "romanised.yaml"  # beside risk_terms.yaml


class RiskDetector:
    """Decides from one message alone whether it needs the crisis reply; works from memory."""

    def __init__(self, compiler: Compiler, terms: Terms, romaniser: Romaniser | None = None):
        self._compiler = compiler
        self._romaniser = romaniser
        categories = terms.categories
        extra = [*terms.witness, *terms.self_words]
        every = [*terms.exclusions, *extra, *(e for c in PRIORITY for e in categories.get(c, []))]
        frequency = self._frequency(every)
        self._exclusions = {
            lang: self._compile(terms.exclusions, lang, frequency) for lang in _LANGS
        }
        self._witness = {lang: self._compile(terms.witness, lang, frequency) for lang in _LANGS}
        self._self = {lang: self._compile(terms.self_words, lang, frequency) for lang in _LANGS}
        self._rules = {
            lang: {c: self._compile(categories.get(c, []), lang, frequency) for c in PRIORITY}
            for lang in _LANGS
        }

    @classmethod
    def from_file(cls, path: Path) -> RiskDetector:
        """Load and validate a risk-terms file (and romanised.yaml beside it, if there)."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"{path}: cannot read the risk terms: {exc}") from exc
        table = path.parent / ROMANISED_FILE
        return cls.from_data(data, str(path), table if table.exists() else None)

    @classmethod
    def from_data(
        cls, data: object, source: str = "risk terms", romanised: Path | None = None
    ) -> RiskDetector:
        """Validate already-parsed risk terms; `source` names them in error messages."""
        terms = parse_terms(data, source)
        compiler = Compiler(terms.groups, terms.spelling, terms.variants)
        english = _english_words(terms)
        romaniser = Romaniser.from_file(romanised, english) if romanised else None
        return cls(compiler, terms, romaniser)

    @property
    def romaniser(self) -> Romaniser | None:
        """The romanised-Khmer table this detector reads with; search reads with it too."""
        return self._romaniser

    def detect(self, text: str) -> RiskMatch | None:
        """Return the most urgent risk the text shows, or None; keeps nothing of the text."""
        readings = self._readings(text)
        for category in PRIORITY:
            for lang, tokens in readings:
                if (term_id := first_match(self._rules[lang][category], tokens)) is not None:
                    return replace(RiskMatch(category, term_id), witness=self._witness_of(readings))
        return None

    def _readings(self, text: str) -> list[tuple[str, Tokens]]:
        """Read the text as English, as Khmer script, and as romanised Khmer where it may be."""
        readings = [("en", self._read(text, "en"))]
        if HAS_KHMER.search(text):
            readings.append(("km", self._read(text, "km")))
        if self._romaniser is not None and _LATIN.search(text):
            reading = self._romaniser.read(text)
            if reading.recognised and (is_romanised(reading) or reading.recognised >= 2):
                readings += [("km", self._read(k, "km")) for k in (reading.khmer, *reading.others)]
        return readings

    def _witness_of(self, readings: list[tuple[str, Tokens]]) -> bool:
        """Whether the writer reports someone else: a witness word, and no word for 'me'."""
        witness = False
        for lang, tokens in readings:
            copy = Tokens(list(tokens.tokens))
            if first_match(self._witness[lang], copy) is None:
                continue
            mask_all(self._witness[lang], copy)  # "my friend" must not count as "me"
            if first_match(self._self[lang], copy) is not None:
                return False
            witness = True
        return witness

    def _read(self, text: str, lang: str) -> Tokens:
        """Tokenise text for one language and blank out its look-alikes."""
        tokens = Tokens(self._compiler.tokens(text, lang))
        mask_all(self._exclusions[lang], tokens)
        return tokens

    def _frequency(self, entries: list[Entry]) -> Counter[str]:
        """Count how often each token occurs across all terms, to find each term's rarest."""
        return Counter(
            token
            for lang in _LANGS
            for rule in self._compile(entries, lang, {})
            for element in rule.elements
            for alt in element.alts
            for token in alt
        )

    def _compile(
        self, entries: list[Entry], lang: str, frequency: Mapping[str, int]
    ) -> tuple[Rule, ...]:
        rules = (rule for entry in entries for rule in self._compiler.rules(entry, lang))
        return tuple(rule.rekeyed(frequency) for rule in rules)


def _english_words(terms: Terms) -> frozenset[str]:
    """Every English word the terms use: the romaniser never reads these as Khmer typos."""
    entries = [*terms.exclusions, *(e for es in terms.categories.values() for e in es)]
    texts = [t for e in entries for t in e.terms["en"]]
    texts += [m for g in terms.groups.values() for m in g.get("en", [])]
    return frozenset(w for text in texts for w in _WORD.findall(text.lower()) if len(w) > 3)


"""RiskDetector: loads the terms once, then checks each message against them from memory."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import yaml

from bot.language.khmer import HAS_KHMER
from dialogs.risk.categories import PRIORITY, RiskCategory, RiskMatch
from dialogs.risk.compiler import Compiler
from dialogs.risk.matching import Rule, Tokens, first_match, mask_all
from dialogs.risk.terms import Entry, parse_terms

_LANGS = ("en", "km")


class RiskDetector:
    """Decides from one message alone whether it needs the crisis reply; works from memory."""

    def __init__(
        self,
        compiler: Compiler,
        exclusions: list[Entry],
        categories: dict[RiskCategory, list[Entry]],
    ) -> None:
        self._compiler = compiler
        frequency = self._frequency([*exclusions, *(e for c in PRIORITY for e in categories[c])])
        self._exclusions = {lang: self._compile(exclusions, lang, frequency) for lang in _LANGS}
        self._rules = {
            lang: {c: self._compile(categories[c], lang, frequency) for c in PRIORITY}
            for lang in _LANGS
        }

    @classmethod
    def from_file(cls, path: Path) -> RiskDetector:
        """Load and validate a risk-terms file; raise ValueError naming the faulty entry."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"{path}: cannot read the risk terms: {exc}") from exc
        return cls.from_data(data, str(path))

    @classmethod
    def from_data(cls, data: object, source: str = "risk terms") -> RiskDetector:
        """Validate already-parsed risk terms; `source` names them in error messages."""
        terms = parse_terms(data, source)
        compiler = Compiler(terms.groups, terms.spelling, terms.variants)
        return cls(compiler, terms.exclusions, terms.categories)

    def detect(self, text: str) -> RiskMatch | None:
        """Return the most urgent risk the text shows, or None; keeps nothing of the text."""
        readings = {"en": self._read(text, "en")}
        if HAS_KHMER.search(text):
            readings["km"] = self._read(text, "km")
        for category in PRIORITY:
            for lang, tokens in readings.items():
                if (term_id := first_match(self._rules[lang][category], tokens)) is not None:
                    return RiskMatch(category, term_id)
        return None

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
